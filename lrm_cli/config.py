"""Settings: command-line flags > LRM_* environment > config.toml > defaults.

The specification is data (``SETTINGS``); ``docs/config.md`` describes it and every
problem in a config file is reported together in one ConfigError.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, TypeVar

from lrm_cli.errors import ConfigError, InvalidInput, StorageError

APP_NAME = "lrm"
T = TypeVar("T")


@dataclass(frozen=True)
class Setting:
    name: str
    type: type
    default: Any
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("db", str, "", "Path of the database (default: the platform's user data folder)."),
    Setting("phone_region", str, "", "Region for phone numbers written without +country, e.g. GB."),
    Setting("timezone", str, "", "IANA zone for showing times (default: the system's)."),
)


SECTIONS = {
    "scheduler": "Scheduler constants (lrm_cli/settings.py SchedulerSettings).",
    "digest": "What the digest shows (lrm_cli/services/schedule.py DigestSettings).",
    "calendar": "iCalendar export alarms (lrm_cli/services/ics_export.py CalendarSettings).",
    "sync": "vdir folders and the sync command (lrm_cli/services/sync.py SyncSettings).",
}


@dataclass(frozen=True)
class Config:
    db: str = ""
    phone_region: str = ""
    timezone: str = ""
    sections: dict[str, dict[str, Any]] = field(default_factory=dict)
    path: Path | None = None  # the file read (or looked for), to name in its problems

    def section(self, name: str) -> dict[str, Any]:
        return self.sections.get(name, {})

    def settings(self, name: str, parse: Callable[[dict[str, Any]], T]) -> T:
        """``[name]`` parsed by ``parse`` (a settings class's ``from_mapping``); what is
        wrong with it names the config file, as the file's own problems do."""
        try:
            return parse(self.section(name))
        except ConfigError as err:
            where = self.path or "config.toml"
            missing = "" if self.path is None or self.path.exists() else " (no such file yet)"
            raise ConfigError(f"{where}{missing}: {err.message}", err.hint) from None


def default_data_dir() -> Path:
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False)


def demo_database_path() -> Path:
    """Where `lrm demo` keeps its throw-away database: the user's cache folder, one file
    replaced by each run (a temporary folder per run piled up in /tmp)."""
    from platformdirs import user_cache_path

    return user_cache_path(APP_NAME, appauthor=False) / "demo.sqlite3"


def default_config_path() -> Path:
    env = os.environ.get("LRM_CONFIG")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_config_path

    return user_config_path(APP_NAME, appauthor=False) / "config.toml"


def load_config(path: Path | None = None, environ: dict[str, str] | None = None) -> Config:
    """Merge defaults, the config file and ``LRM_<NAME>`` environment variables."""
    environ = dict(os.environ) if environ is None else environ
    path = path or default_config_path()
    values: dict[str, Any] = {s.name: s.default for s in SETTINGS}
    sections: dict[str, dict[str, Any]] = {}
    problems: list[str] = []
    if path.exists() and path.stat().st_size:  # an empty file configures nothing
        import tomllib  # only when there is a file to read

        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError) as exc:
            raise ConfigError(f"cannot read the config file {path}: {exc}") from exc
        known = {s.name: s for s in SETTINGS}
        for key, value in data.items():
            setting = known.get(key)
            if isinstance(value, dict):
                if key in SECTIONS:
                    sections[key] = value
                else:
                    problems.append(f"unknown section [{key}]")
                continue
            if setting is None:
                problems.append(f"unknown setting {key!r}")
            elif not isinstance(value, setting.type):
                problems.append(f"{key} must be a {setting.type.__name__}")
            else:
                values[key] = value
    if problems:
        raise ConfigError(f"{path}: " + "; ".join(problems))
    for setting in SETTINGS:
        env_value = environ.get(f"LRM_{setting.name.upper()}")
        if env_value is not None:
            values[setting.name] = env_value
    values["sections"] = sections
    values["path"] = path
    return Config(**{f.name: values[f.name] for f in fields(Config)})


def resolve_db_path(flag: str | None, config: Config) -> Path:
    """``--db`` > ``LRM_DB`` > config ``db`` > ``<user data>/lrm.sqlite3``. An empty
    ``--db`` (a script's unset ``--db "$DB"``) is refused, not read as "the default"; an
    empty ``LRM_DB`` is unset, as the shell's ``LRM_DB= lrm ...`` means."""
    if flag is not None and not flag.strip():
        raise InvalidInput("--db is empty", hint="give a file, or leave out --db for the default")
    chosen = flag or config.db
    if chosen:
        return Path(chosen).expanduser()
    return default_db_path()


def default_db_path() -> Path:
    return default_data_dir() / "lrm.sqlite3"


def require_db_folder(path: Path) -> None:
    """Refuse a database in a folder that does not exist (StorageError, exit 6): a slip in
    ``--db`` would otherwise quietly start a new, empty database somewhere. lrm's own data
    folder is the exception: lrm creates it (0700) on first use."""
    folder = path.parent
    if folder.exists() or folder == default_data_dir():
        return
    raise StorageError(
        f"the database folder {folder} does not exist",
        hint="create it first, or fix the path given by --db, LRM_DB or db in config.toml",
    )
