"""The one place that reads the wall clock. Services receive a Clock; a hidden
``--today`` / ``LRM_TODAY`` pins it so that tests and bug reports are reproducible."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, tzinfo


def local_zone(name: str = "") -> tzinfo:
    """The user's zone with its rules (summer time included): ``name`` if given, else
    ``$TZ``, else the system's /etc/localtime; a fixed offset only as a last resort."""
    import os
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    if name:
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            from lrm_cli.errors import ConfigError

            raise ConfigError(f"unknown time zone {name!r}") from exc
    for candidate in (os.environ.get("TZ", "").lstrip(":"), _system_zone_name()):
        if candidate:
            try:
                return ZoneInfo(candidate)
            except (ZoneInfoNotFoundError, ValueError):
                continue
    zone = datetime.now().astimezone().tzinfo
    assert zone is not None
    return zone


def _system_zone_name() -> str:
    """``Europe/London`` from the /etc/localtime symlink, when it is one."""
    import os

    try:
        target = os.readlink("/etc/localtime")
    except OSError:
        return ""
    marker = "zoneinfo/"
    return target.split(marker, 1)[1] if marker in target else ""


@dataclass(frozen=True)
class Clock:
    now: datetime  # aware, in the user's zone

    @classmethod
    def system(cls, zone: tzinfo | None = None) -> Clock:
        return cls(datetime.now(zone or local_zone()))

    @classmethod
    def pinned(cls, today: date, zone: tzinfo | None = None) -> Clock:
        """Noon on ``today``: far from midnight, so zone arithmetic never changes the day."""
        zone = zone or local_zone()
        return cls(datetime(today.year, today.month, today.day, 12, 0, tzinfo=zone))

    @property
    def today(self) -> date:
        return self.now.date()

    @property
    def zone(self) -> tzinfo:
        assert self.now.tzinfo is not None
        return self.now.tzinfo

    @property
    def timestamp(self) -> int:
        return int(self.now.timestamp())
