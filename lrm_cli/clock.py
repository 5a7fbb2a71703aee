"""The one place that reads the wall clock. Services receive a Clock; a hidden
``--today`` / ``LRM_TODAY`` pins it so that tests and bug reports are reproducible."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone, tzinfo


def local_zone(name: str = "") -> tzinfo:
    """The user's zone with its rules (summer time included): ``name`` if given, else
    ``$TZ``, else the system's /etc/localtime; a fixed offset only as a last resort."""
    import os
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    if name:
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            from lrm_cli.domain import ConfigError

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


def wall_timestamp() -> int:
    return int(time.time())


_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()


class LocalDays:
    """Epoch seconds -> the local calendar day (as a ``date.toordinal()``), fast.

    ``datetime.fromtimestamp(ts, zone)`` costs ~1.5 µs; lists of 100k contacts need two
    conversions per row. A zone's UTC offset changes only a few times a year, so the
    offset is cached per UTC day when it is the same at both ends of that day (exact:
    offsets only change at transitions, and a day with one is computed per call)."""

    def __init__(self, zone: tzinfo) -> None:
        self.zone = zone
        self._offsets: dict[int, int | None] = {}
        self._dates: dict[int, str] = {}
        self._times: dict[int, str] = {}
        self._suffixes: dict[int, str] = {}

    def _offset(self, ts: int) -> int:
        off = self.zone.utcoffset(datetime.fromtimestamp(ts, self.zone))
        return int(off.total_seconds()) if off is not None else 0

    def offset(self, ts: int) -> int:
        """The zone's UTC offset at ``ts``, in seconds."""
        bucket = ts // 86400
        offset = self._offsets.get(bucket, -1)
        if offset == -1:
            start, end = self._offset(bucket * 86400), self._offset(bucket * 86400 + 86399)
            offset = self._offsets[bucket] = start if start == end else None
        if offset is None:
            offset = self._offset(ts)
        return offset

    def __call__(self, ts: int) -> int:
        return (ts + self.offset(ts)) // 86400 + _EPOCH_ORDINAL

    def iso(self, ts: int | None) -> str | None:
        """``datetime.fromtimestamp(ts, zone).isoformat(timespec="seconds")``, several
        times faster over a long list: the offset comes from the cache, and the date, the
        time of day and the offset suffix are each spelled once and remembered."""
        if ts is None:
            return None
        offset = self.offset(ts)
        day, seconds = divmod(ts + offset, 86400)
        date_text = self._dates.get(day)
        if date_text is None:
            date_text = self._dates[day] = date.fromordinal(day + _EPOCH_ORDINAL).isoformat()
        time_text = self._times.get(seconds)
        if time_text is None:
            hours, rest = divmod(seconds, 3600)
            time_text = self._times[seconds] = f"{hours:02d}:{rest // 60:02d}:{rest % 60:02d}"
        suffix = self._suffixes.get(offset)
        if suffix is None:
            fixed = timezone(timedelta(seconds=offset))
            suffix = self._suffixes[offset] = datetime(2000, 1, 1, tzinfo=fixed).isoformat()[19:]
        return f"{date_text}T{time_text}{suffix}"
