"""Per-run state built from the global options: output, clock, config, database.

Created once per invocation by the root callback and stored on the Typer context (no
module-level singletons); the database is opened only when a command first needs it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from lrm_cli.clock import Clock, local_zone
from lrm_cli.config import (
    Config,
    default_db_path,
    load_config,
    require_db_folder,
    resolve_db_path,
)
from lrm_cli.errors import InvalidInput, StorageError
from lrm_cli.render import Output

if TYPE_CHECKING:  # the fast path (cli/fast.py) builds a Run without importing Typer
    import typer

    from lrm_cli.services.database import Database


ARGV: list[str] | None = None  # the process's arguments, set by app.run (not under tests)

# Every command that opens the database, by whether it may create it. A read-only command
# given a database file that does not exist (--db, LRM_DB or db in config.toml) is refused
# (exit 6): a digest run by cron against a mistyped path would otherwise create an empty
# database and report "nobody is due" for ever. lrm's default file is created by any
# command (first use). tests/test_missing_database.py checks this against the tree.
READ_ONLY_COMMANDS = frozenset(
    {
        "balance", "date list", "db backup", "db check", "digest", "drift", "due", "dupes",
        "export ics", "export json", "export vcard", "list", "losing-touch", "reminders",
        "search", "show", "tags", "timeline", "upcoming",
    }
)  # fmt: skip


@dataclass
class Run:
    db_flag: str | None = None
    json: bool = False
    no_color: bool = False
    debug: bool = False
    today: str | None = None
    _out: Output | None = field(default=None, repr=False)
    _config: Config | None = field(default=None, repr=False)
    _db: Database | None = field(default=None, repr=False)
    _clock: Clock | None = field(default=None, repr=False)
    command: str = "lrm"  # the command path, for the undo journal when ARGV is unknown

    @classmethod
    def of(cls, ctx: typer.Context, json_flag: bool = False) -> Run:
        run = ctx.find_root().obj
        if not isinstance(run, Run):  # a sub-app invoked directly, e.g. from tests
            run = Run()
            ctx.find_root().obj = run
        run.command = ctx.command_path or run.command
        if json_flag and not run.json:
            run.json = True
            run._out = None
        return run

    @property
    def out(self) -> Output:
        if self._out is None:
            self._out = Output.choose(json_mode=self.json, no_color=self.no_color)
        return self._out

    @property
    def config(self) -> Config:
        if self._config is None:
            self._config = load_config()
        return self._config

    @property
    def clock(self) -> Clock:
        if self._clock is None:
            zone = local_zone(self.config.timezone)
            if self.today:
                try:
                    pinned = date.fromisoformat(self.today)
                except ValueError as exc:
                    raise InvalidInput(  # the option's value, or the variable's when absent
                        f"--today (or LRM_TODAY) {self.today!r} is not YYYY-MM-DD"
                    ) from exc
                self._clock = Clock.pinned(pinned, zone)
            else:
                self._clock = Clock.system(zone)
        return self._clock

    @property
    def scheduler(self):
        """The scheduler's settings, from ``[scheduler]`` in config.toml."""
        from lrm_cli.settings import SchedulerSettings

        return self.config.settings("scheduler", SchedulerSettings.from_mapping)

    @property
    def digest_settings(self):
        from lrm_cli.services.schedule import DigestSettings

        return self.config.settings("digest", DigestSettings.from_mapping)

    @property
    def db_path(self) -> Path:
        return resolve_db_path(self.db_flag, self.config)

    @property
    def db(self) -> Database:
        if self._db is None:
            from lrm_cli.services.database import open_database

            path = self.db_path
            if not path.exists():
                require_db_folder(path)
                self._refuse_a_missing_file(path)
            if ARGV is not None:
                import shlex

                command = shlex.join(["lrm", *ARGV])
            else:
                command = self.command
            self._db = open_database(path, warn=self.out.warn, command=command)
        return self._db

    def _refuse_a_missing_file(self, path: Path) -> None:
        command = self.command.removeprefix("lrm").strip()
        if command not in READ_ONLY_COMMANDS or path == default_db_path():
            return
        raise StorageError(
            f"no database at {path}",
            hint="check --db, LRM_DB or db in config.toml (lrm add or an import creates one)",
        )

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
