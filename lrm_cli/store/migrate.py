"""Alembic, run programmatically: imported only when a database is behind.

A new database is built from the schema snapshot instead (store/snapshot.py: the
statements the migrations leave behind, replayed in one transaction), which imports
neither Alembic nor SQLAlchemy; only when the snapshot is not at ``HEAD_REVISION`` (a
migration added without regenerating it, which tests/test_schema_snapshot.py catches)
does a new database run every migration.

``upgrade`` takes an exclusive ``flock`` on the database file so that two processes
starting on a new database do not both migrate (SQLite's own locks are POSIX ``fcntl``
locks, which ``flock`` does not interfere with on Linux), checks that the database is
not from a newer lrm, copies it aside with SQLite's backup API, then migrates.
"""

from __future__ import annotations

import fcntl
import sqlite3
import sys
from pathlib import Path

from lrm_cli.errors import StorageError
from lrm_cli.store.backup import publish, staged_copy
from lrm_cli.store.db import (
    BUSY_TIMEOUT_S,
    Warn,
    connect,
    create_private_file,
    private,
    schema_revision,
)


def migrations_dir() -> Path:
    """The Alembic scripts: inside the wheel, or at the top of a source checkout."""
    here = Path(__file__).resolve().parent.parent  # lrm_cli/
    for candidate in (here / "migrations", here.parent / "migrations"):
        if (candidate / "env.py").exists():
            return candidate
    raise StorageError("lrm's migration scripts are missing from this installation")


def _alembic_config():
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_dir()))
    return cfg


def known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(_alembic_config())
    return {rev.revision for rev in script.walk_revisions()}


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    heads = ScriptDirectory.from_config(_alembic_config()).get_heads()
    if len(heads) != 1:
        raise StorageError(f"migrations have {len(heads)} heads; expected one")
    return heads[0]


def backup_path(path: Path, revision: str) -> Path:
    """``lrm.sqlite3.before-migration-0007.bak``: one name per schema left behind, so a
    migration that fails and is tried again replaces its copy instead of adding another
    whole database on every attempt (on a disk that may be full already)."""
    return path.with_name(f"{path.name}.before-migration-{revision}.bak")


def backup_before_migration(path: Path, revision: str) -> Path:
    """A copy of the database before its schema changes, staged beside it and renamed into
    place when whole: a copy that fails (a full disk) leaves no partial file, and the one
    an earlier attempt made stays until the new one is complete."""
    dest = backup_path(path, revision)
    try:
        with staged_copy(path, dest) as copy:
            publish(copy, dest, replace=True)
    except StorageError as exc:
        raise StorageError(
            f"cannot copy {path} aside before upgrading its schema: {exc.message}",
            hint="the database was left as it was; free some space and try again",
        ) from exc
    return dest


def upgrade(path: Path, warn: Warn) -> None:
    with open(path, "rb") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            _upgrade_locked(path, warn)
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _upgrade_locked(path: Path, warn: Warn) -> None:
    from lrm_cli.store.schema_version import HEAD_REVISION

    conn = connect(path)
    try:
        current = schema_revision(conn)
        if current == HEAD_REVISION:
            return  # another process migrated while we waited for the lock
        if current is not None and current not in known_revisions():
            raise StorageError(
                f"{path} was written by a newer version of lrm (schema {current})",
                hint="upgrade lrm: pip install -U lrm",
            )
        if current is not None and current == head_revision():
            # The scripts' head, though HEAD_REVISION says otherwise (a stale constant,
            # which tests/test_migrations.py catches): nothing to migrate, nothing to copy.
            return
        has_tables = conn.execute(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table'"
        ).fetchone()[0]
        if current is None and has_tables:
            raise StorageError(f"{path} is an SQLite database, but not an lrm one")
        conn.execute("PRAGMA journal_mode = WAL")
        if current is None and _create_from_snapshot(path, conn):
            return
    finally:
        conn.close()
    saved = None
    if current is not None:
        saved = backup_before_migration(path, current)
        warn(f"upgrading the database schema {current} -> {HEAD_REVISION}; a copy is in {saved}")
    try:
        _run_alembic(path)
    except Exception as exc:  # the upgrade is one transaction: nothing was changed
        raise StorageError(
            f"upgrading {path} to schema {HEAD_REVISION} failed: {failure_text(exc)}",
            hint="the database was left as it was"
            + (f"; a copy made before the upgrade is in {saved}" if saved else ""),
        ) from exc


def _create_from_snapshot(path: Path, conn: sqlite3.Connection) -> bool:
    """Build a new database's schema from the snapshot in one transaction; False (and
    nothing done) when the snapshot is not at the head, so Alembic builds it."""
    from lrm_cli.store import snapshot

    if not snapshot.usable():
        return False
    try:
        snapshot.create(conn)
    except Exception as exc:  # one transaction: the file is as empty as it was
        raise StorageError(
            f"creating the database {path} failed: {failure_text(exc)}",
            hint="the file was left empty",
        ) from exc
    return True


def failure_text(exc: BaseException) -> str:
    """One line for a failed migration: SQLAlchemy's errors carry the statement, its
    parameters and a "Background on this error" link on further lines; the driver's own
    error (``orig``) says what went wrong."""
    cause = getattr(exc, "orig", None) or exc
    lines = [line for line in str(cause).splitlines() if line.strip()]
    return f"{type(cause).__name__}: {lines[0] if lines else 'no details'}"


def _engine(path: Path):
    """An engine whose transactions really are SQLite transactions.

    Python's ``sqlite3`` (before 3.12's ``autocommit``) opens a transaction only before
    INSERT/UPDATE/DELETE, so every CREATE TABLE of a migration would commit on its own and
    a migration killed half-way would leave tables without an ``alembic_version`` row: a
    database no later lrm could open. Taking the driver out of its legacy mode and sending
    BEGIN ourselves makes the whole upgrade, DDL and version row, one atomic transaction.
    """
    from sqlalchemy import create_engine, event
    from sqlalchemy.pool import NullPool

    engine = create_engine(
        f"sqlite:///{path}", poolclass=NullPool, connect_args={"timeout": BUSY_TIMEOUT_S}
    )

    @event.listens_for(engine, "connect")
    def _no_implicit_transactions(dbapi_connection, _record) -> None:
        dbapi_connection.isolation_level = None
        # Alembic rebuilds a table to alter it (copy, drop, rename the copy); the triggers
        # that keep contact.tag_cadence_days (0005) name the contact table, and modern
        # ALTER TABLE RENAME refuses while the original is gone. The legacy rename leaves
        # trigger bodies as written, which is right once the copy has the old name.
        dbapi_connection.execute("PRAGMA legacy_alter_table = ON")
        private(dbapi_connection)  # a rebuilt table's old pages are zeroed, not left behind

    @event.listens_for(engine, "begin")
    def _begin_immediate(connection) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def _run_alembic(path: Path) -> None:
    import warnings

    from alembic import command

    engine = _engine(path)
    try:
        with warnings.catch_warnings(), engine.begin() as connection:
            # A table rebuild reflects the table, and SQLAlchemy cannot reflect expression
            # indexes (the month-day ones of 0005): the migration recreates them itself, so
            # the warning would only alarm the user on stderr.
            warnings.filterwarnings(
                "ignore", message="Skipped unsupported reflection of expression-based index"
            )
            cfg = _alembic_config()
            cfg.attributes["connection"] = connection
            command.upgrade(cfg, "head")
    finally:
        engine.dispose()


def main(argv: list[str]) -> int:
    """Developer entry point: ``python -m lrm_cli.store.migrate revision MESSAGE``."""
    if len(argv) != 2 or argv[0] != "revision":
        print("usage: python -m lrm_cli.store.migrate revision MESSAGE", file=sys.stderr)
        return 2
    import tempfile

    from alembic import command

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "scratch.sqlite3"
        create_private_file(db)
        _run_alembic(db)
        engine = _engine(db)
        with engine.begin() as connection:
            cfg = _alembic_config()
            cfg.attributes["connection"] = connection
            command.revision(cfg, message=argv[1], autogenerate=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
