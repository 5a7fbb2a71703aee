"""Issue 16, the storage items: backups that never destroy backups, odd files refused as the
database, exit codes for full disks and out-of-range values, secure_delete, and the dates an
interaction may have. Every check goes through the command line, as a user meets it."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import sqlite3
import stat
from pathlib import Path

import pytest
from conftest import run_exe
from test_db_commands import _corrupt_page
from test_migrations import _backups, _future_migrations, _revision

from lrm_cli.store import backup as backup_store
from lrm_cli.store.schema_version import HEAD_REVISION


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _one_error_line(stderr: str, *needles: str) -> str:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("lrm: error:"), stderr
    assert "Traceback" not in stderr and "unexpected" not in stderr, stderr
    for needle in needles:
        assert needle in lines[0], stderr
    return lines[0]


def _names_in(path: Path) -> list[str]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return [r[0] for r in conn.execute("SELECT display_name FROM contact ORDER BY id")]
    finally:
        conn.close()


def _disk_full_after_some_pages(monkeypatch) -> None:
    """The backup API writes a few pages of the copy, then the disk is full."""

    def copy_then_fail(src: sqlite3.Connection, dst: sqlite3.Connection) -> None:
        src.backup(dst, pages=2, progress=_raise_full)

    monkeypatch.setattr(backup_store, "_copy_pages", copy_then_fail)


def _raise_full(status: int, remaining: int, total: int) -> None:
    raise sqlite3.OperationalError("database or disk is full")


def _enospc(*_args, **_kwargs):
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


# --- db backup ------------------------------------------------------------------------------


@pytest.fixture
def old_backup(lrm, tmp_path: Path) -> Path:
    """A backup holding Ada, then a database that has moved on (Ada and Charles)."""
    assert lrm("add", "Ada Lovelace").exit_code == 0
    dest = tmp_path / "backups" / "lrm.sqlite3"
    dest.parent.mkdir()
    assert lrm("db", "backup", str(dest)).exit_code == 0
    assert lrm("add", "Charles Babbage").exit_code == 0
    return dest


def test_backup_force_over_an_old_backup_replaces_it_whole(lrm, old_backup):
    old_backup.chmod(0o644)  # made by another tool: the new copy is lrm's, so 0600
    result = lrm("db", "backup", str(old_backup), "--force")
    assert result.exit_code == 0, result.stderr
    assert _names_in(old_backup) == ["Ada Lovelace", "Charles Babbage"]
    assert _mode(old_backup) == 0o600
    assert sorted(p.name for p in old_backup.parent.iterdir()) == [old_backup.name]


@pytest.mark.parametrize("failure", ["sqlite full", "fsync ENOSPC"])
def test_backup_force_on_a_full_disk_keeps_the_old_backup(lrm, old_backup, monkeypatch, failure):
    before = _digest(old_backup)
    if failure == "sqlite full":
        _disk_full_after_some_pages(monkeypatch)
    else:
        monkeypatch.setattr(os, "fsync", _enospc)
    result = lrm("db", "backup", str(old_backup), "--force")
    assert result.exit_code == 6
    _one_error_line(result.stderr, str(old_backup), "left as it was")
    assert _digest(old_backup) == before
    assert _names_in(old_backup) == ["Ada Lovelace"]
    assert [p.name for p in old_backup.parent.iterdir()] == [old_backup.name]  # no .tmp


def test_backup_to_a_new_file_on_a_full_disk_leaves_nothing(lrm, tmp_path, monkeypatch):
    assert lrm("add", "Ada Lovelace").exit_code == 0
    folder = tmp_path / "backups"
    folder.mkdir()
    _disk_full_after_some_pages(monkeypatch)
    result = lrm("db", "backup", str(folder / "new.sqlite3"))
    assert result.exit_code == 6
    _one_error_line(result.stderr, "new.sqlite3", "full")
    assert list(folder.iterdir()) == []
    monkeypatch.undo()
    assert lrm("db", "backup", str(folder / "new.sqlite3")).exit_code == 0  # space again


def test_backup_of_a_damaged_database_warns_and_never_replaces_a_backup(
    lrm, db_path, old_backup, tmp_path
):
    for k in range(10):
        assert lrm("add", f"Person {k}", "-e", f"p{k}@example.org").exit_code == 0
    _corrupt_page(db_path, "contact_method")
    before = _digest(old_backup)

    fresh = tmp_path / "damaged-copy.sqlite3"
    result = lrm("db", "backup", str(fresh))
    assert result.exit_code == 0, result.stderr
    (warning,) = result.stderr.strip().splitlines()
    assert "warning" in warning and "quick_check" in warning and str(fresh) in warning
    assert fresh.exists() and _mode(fresh) == 0o600

    result = lrm("db", "backup", str(old_backup), "--force")
    assert result.exit_code == 6
    _one_error_line(result.stderr, "quick_check", f"{old_backup} was kept")
    assert _digest(old_backup) == before
    assert [p.name for p in old_backup.parent.iterdir()] == [old_backup.name]


def test_backup_force_onto_a_pipe_is_refused(lrm, tmp_path):
    assert lrm("add", "Ada").exit_code == 0
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    result = lrm("db", "backup", str(pipe), "--force")
    assert result.exit_code == 5
    _one_error_line(result.stderr, "named pipe")
    assert stat.S_ISFIFO(pipe.lstat().st_mode)


# --- the database path ----------------------------------------------------------------------


@pytest.fixture
def no_chmod(monkeypatch) -> list:
    """os.chmod refused (and recorded) for the test: lrm must not chmod what it did not make;
    a regression must not change the system's null device either."""
    calls: list = []

    def refuse(path, mode, *args, **kwargs):
        calls.append((str(path), mode))
        raise AssertionError(f"chmod {path}")

    monkeypatch.setattr(os, "chmod", refuse)
    return calls


@pytest.mark.parametrize("how", ["--db", "LRM_DB"])
def test_the_null_device_is_refused_as_the_database(lrm, monkeypatch, no_chmod, how):
    null = Path(os.devnull)
    before = null.stat()
    if how == "--db":
        result = lrm("--db", str(null), "add", "Ada")
    else:
        monkeypatch.setenv("LRM_DB", str(null))
        result = lrm("add", "Ada")
    assert result.exit_code == 6
    _one_error_line(result.stderr, str(null), "character device")
    assert no_chmod == []
    after = null.stat()
    assert (after.st_mode, after.st_rdev) == (before.st_mode, before.st_rdev)


def test_a_folder_is_refused_as_the_database(lrm, tmp_path):
    folder = tmp_path / "folder"
    folder.mkdir()
    result = lrm("--db", str(folder), "list")
    assert result.exit_code == 6
    _one_error_line(result.stderr, str(folder), "a folder")


def test_a_fifo_is_refused_without_blocking(lrm_exe, tmp_path):
    pipe = tmp_path / "pipe.sqlite3"
    os.mkfifo(pipe)
    # Opening a FIFO waits for a writer: run the real program, with a timeout, not in-process.
    result = run_exe(lrm_exe, "--db", str(pipe), "list", timeout=30)
    assert result.returncode == 6
    _one_error_line(result.stderr, str(pipe), "named pipe")


def test_restore_onto_a_pipe_is_refused(lrm, old_backup, tmp_path):
    pipe = tmp_path / "pipe.sqlite3"
    os.mkfifo(pipe)
    result = lrm("--db", str(pipe), "db", "restore", str(old_backup), "--yes")
    assert result.exit_code == 6
    _one_error_line(result.stderr, str(pipe), "named pipe")
    assert stat.S_ISFIFO(pipe.lstat().st_mode)


def test_an_existing_file_keeps_its_mode(lrm, tmp_path, no_chmod):
    shared = tmp_path / "shared.sqlite3"
    fd = os.open(shared, os.O_CREAT | os.O_WRONLY, 0o600)
    os.fchmod(fd, 0o640)  # made by someone else, group-readable on purpose (os.chmod is refused)
    os.close(fd)
    for name in ("Ada", "Charles"):
        result = lrm("--db", str(shared), "add", name)
        assert result.exit_code == 0, result.stderr
        (warning,) = result.stderr.strip().splitlines()
        assert "warning" in warning and str(shared) in warning and "640" in warning
    assert _mode(shared) == 0o640
    assert no_chmod == []


def test_a_new_database_is_made_private(lrm, tmp_path, no_chmod):
    fresh = tmp_path / "fresh.sqlite3"
    old = os.umask(0o022)
    try:
        result = lrm("--db", str(fresh), "add", "Ada")
    finally:
        os.umask(old)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    assert _mode(fresh) == 0o600  # made so at creation, without any chmod


# --- secure_delete ---------------------------------------------------------------------------


@pytest.fixture
def sqlite_built_without_secure_delete(monkeypatch) -> None:
    """Connections as a SQLite built without SQLITE_SECURE_DELETE gives them (Debian's
    turns it on by default; many others leave it off)."""
    real_connect = sqlite3.connect

    def connect(*args, **kwargs):
        conn = real_connect(*args, **kwargs)
        conn.execute("PRAGMA secure_delete = OFF")
        return conn

    monkeypatch.setattr(sqlite3, "connect", connect)


def test_every_connection_lrm_opens_has_secure_delete_on(
    lrm, db_path, tmp_path, sqlite_built_without_secure_delete
):
    from lrm_cli.services.database import open_database

    assert lrm("add", "Ada").exit_code == 0
    for path in (db_path, tmp_path / "fresh.sqlite3"):  # an existing and a new database
        db = open_database(path, warn=lambda _: None, command="test")
        try:
            with db.read() as conn:
                assert conn.execute("PRAGMA secure_delete").fetchone() == (1,)
        finally:
            db.close()


# --- exit codes --------------------------------------------------------------------------------


@pytest.fixture
def export(lrm, tmp_path) -> dict:
    assert lrm("add", "Ada Lovelace", "-e", "ada@example.org").exit_code == 0
    assert lrm("log", "Ada", "--when", "yesterday", "--summary", "tea").exit_code == 0
    assert lrm("remind", "Ada", "call", "--on", "tomorrow").exit_code == 0
    result = lrm("export", "json")
    assert result.exit_code == 0, result.stderr
    return result.json()


@pytest.mark.parametrize(
    ("where", "key", "value", "words"),
    [
        ("interactions", "weight", "1e400", "weight"),
        ("contacts", "id", str(2**70), "out of range"),
        ("contacts", "cadence_days", str(2**70), "out of range"),
        ("interactions", "occurred_at", '"9999-12-31T23:59:59+00:00"', "out of range"),
        ("interactions", "occurred_at", '"0001-01-01T00:00:00+00:00"', "out of range"),
        ("contacts", "created_at", '"0001-01-01T00:00:00+14:00"', "out of range"),
        ("reminders", "done_at", '"9999-12-31T23:59:59-14:00"', "out of range"),
        ("interactions", "created_at", str(2**70), "out of range"),
    ],
)
def test_import_json_with_values_out_of_range_is_invalid_input(
    lrm, export, tmp_path, monkeypatch, where, key, value, words
):
    text = json.dumps(export)
    record = json.dumps(export[where][0])
    changed = export[where][0] | {key: "PLACEHOLDER"}
    text = text.replace(record, json.dumps(changed).replace('"PLACEHOLDER"', value))
    assert value in text
    source = tmp_path / "bad.json"
    source.write_text(text)
    monkeypatch.setenv("LRM_DB", str(tmp_path / "empty.sqlite3"))
    result = lrm("import", "json", str(source))
    assert result.exit_code == 5
    _one_error_line(result.stderr, f"{where}[0].{key}", words)
    assert lrm("list", "--json").json() == []  # nothing was written


@pytest.mark.parametrize("future", [False, True])
def test_log_in_the_year_9999_is_invalid_input(lrm, future):
    assert lrm("add", "Ada").exit_code == 0
    result = lrm("log", "Ada", "--when", "9999-12-31 23:59", *(["--future"] if future else []))
    assert result.exit_code == 5
    _one_error_line(result.stderr, "9999-12-31", "more than a year ahead")
    assert lrm("timeline", "Ada", "--json").json() == []


def test_vcard_vdir_export_on_a_full_disk_is_a_storage_error(lrm, tmp_path, monkeypatch):
    assert lrm("add", "Ada Lovelace").exit_code == 0
    folder = tmp_path / "cards"
    monkeypatch.setattr(os, "fsync", _enospc)
    result = lrm("export", "vcard", "--vdir", str(folder))
    assert result.exit_code == 6
    _one_error_line(result.stderr, "No space left on device")
    assert [p.name for p in folder.iterdir()] == []  # no temporary file left


def test_ics_folder_export_on_a_full_disk_is_a_storage_error(lrm, tmp_path, monkeypatch):
    assert lrm("add", "Ada Lovelace", "--birthday", "1815-12-10").exit_code == 0
    folder = tmp_path / "calendar"
    monkeypatch.setattr(os, "fsync", _enospc)
    result = lrm("export", "ics", "--vdir", str(folder))
    assert result.exit_code == 6
    _one_error_line(result.stderr, "No space left on device")
    assert [p.name for p in folder.iterdir()] == []


def test_json_export_on_a_full_disk_is_a_storage_error(lrm, tmp_path, monkeypatch):
    assert lrm("add", "Ada Lovelace").exit_code == 0
    out = tmp_path / "all.json"
    out.write_text("the previous export")
    monkeypatch.setattr(os, "fsync", _enospc)
    result = lrm("export", "json", "--out", str(out))
    assert result.exit_code == 6
    _one_error_line(result.stderr, "No space left on device")
    assert out.read_text() == "the previous export"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".all")] == []


# --- migrations ------------------------------------------------------------------------------


@pytest.fixture
def db_before_upgrade(lrm, db_path):
    assert lrm("add", "Ada Lovelace", "-e", "ada@example.org").exit_code == 0
    assert lrm("log", "Ada", "--summary", "tea").exit_code == 0
    return db_path


def test_a_full_disk_before_a_migration_is_one_line_and_leaves_nothing(
    lrm, db_before_upgrade, tmp_path, monkeypatch
):
    db_path = db_before_upgrade
    _future_migrations(tmp_path, monkeypatch, fail=False)
    before = _digest(db_path)
    _disk_full_after_some_pages(monkeypatch)
    result = lrm("list")
    assert result.exit_code == 6
    _one_error_line(result.stderr, "before upgrading", "full")
    assert _digest(db_path) == before and _revision(db_path) == HEAD_REVISION
    assert sorted(p.name for p in db_path.parent.iterdir()) == [db_path.name]


def test_a_failed_migration_is_one_line_and_keeps_one_copy_however_often_tried(
    lrm, db_before_upgrade, tmp_path, monkeypatch
):
    db_path = db_before_upgrade
    _future_migrations(
        tmp_path,
        monkeypatch,
        fail=True,
        failure='op.execute("INSERT INTO no_such_table VALUES (1)")',
    )
    for _ in range(3):
        result = lrm("list")
        assert result.exit_code == 6
        *_, last = result.stderr.strip().splitlines()  # after "upgrading ...; a copy is in"
        line = _one_error_line(last, "failed", "no such table: no_such_table")
        assert result.stderr.count("lrm: error:") == 1
        assert "sqlalche.me" not in line and "[SQL" not in line
        assert _revision(db_path) == HEAD_REVISION
        (copy,) = _backups(db_path)
        assert copy.name == f"{db_path.name}.before-migration-{HEAD_REVISION}.bak"
        assert _mode(copy) == 0o600
    assert sorted(p.name for p in db_path.parent.iterdir()) == sorted([db_path.name, copy.name])


# --- dates of interactions -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("when", "future", "words"),
    [
        ("-1 days ago", False, "sign"),
        ("in -2 days", True, "sign"),
        ("0001-01-01", False, "before 1900"),
        ("1899-12-31 23:00", False, "before 1900"),
        ("in 2 years", True, "more than a year ahead"),
        ("2030-01-01", True, "more than a year ahead"),
        ("2030-01-01", False, "more than a year ahead"),
        ("in 3 days", False, "--future"),
    ],
)
def test_implausible_interaction_dates_are_refused(lrm, when, future, words):
    assert lrm("add", "Ada").exit_code == 0
    result = lrm("log", "Ada", "--when", when, *(["--future"] if future else []))
    assert result.exit_code == 5
    _one_error_line(result.stderr, words)
    assert lrm("timeline", "Ada", "--json").json() == []


def test_plausible_edges_are_accepted(lrm):
    assert lrm("add", "Ada").exit_code == 0
    for when, future in (("1900-01-01", False), ("in 300 days", True), ("today", False)):
        result = lrm("log", "Ada", "--when", when, *(["--future"] if future else []))
        assert result.exit_code == 0, (when, result.stderr)
    days = sorted(i["occurred_at"][:10] for i in lrm("timeline", "Ada", "--json").json())
    assert days == ["1900-01-01", "2026-11-29", "2027-09-25"]


def test_an_interaction_cannot_be_moved_to_an_implausible_date(lrm):
    assert lrm("add", "Ada").exit_code == 0
    logged = lrm("log", "Ada", "--when", "yesterday", "--json").json()
    result = lrm("interaction", "edit", str(logged["id"]), "--when", "9999-12-31", "--future")
    assert result.exit_code == 5
    _one_error_line(result.stderr, "more than a year ahead")
    (item,) = lrm("timeline", "Ada", "--json").json()
    assert item["occurred_at"] == logged["occurred_at"]


def test_timeline_until_the_last_day_there_is(lrm):
    assert lrm("add", "Ada").exit_code == 0
    assert lrm("log", "Ada", "--when", "yesterday").exit_code == 0
    result = lrm("timeline", "--since", "1900-01-01", "--until", "9999-12-31", "--json")
    assert result.exit_code == 0, result.stderr
    assert len(result.json()) == 1
