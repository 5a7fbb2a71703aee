"""A restore into an empty database writes each page once (a rollback journal for the
load, ``Database.bulk_load``), and leaves the file as every other command expects it: in
WAL mode, with no log holding the load; with another process using the file it goes
through WAL as usual; a failed restore leaves it empty, in WAL mode."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, date
from pathlib import Path

from lrm_cli.clock import Clock
from lrm_cli.services import json_io
from lrm_cli.store.db import Database

TS = "2026-01-01T10:00:00+00:00"


def _document(contacts: int, bad_at: int | None = None) -> str:
    people = [
        {"uid": f"c{n}", "id": n + 1, "name": f"Person {n}", "created_at": TS, "updated_at": TS}
        for n in range(contacts)
    ]
    if bad_at is not None:
        people[bad_at]["name"] = ""  # a contact must have a name
    return json.dumps({"format": "lrm", "schema": "0009", "contacts": people})


def _mode(db: Path) -> str:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("PRAGMA journal_mode").fetchone()[0]
    finally:
        conn.close()


def _log_size(db: Path) -> int:
    wal = db.with_name(db.name + "-wal")
    return wal.stat().st_size if wal.exists() else 0


def test_a_restore_leaves_wal_mode_and_no_log_of_the_load(lrm, db_path, tmp_path):
    lrm("list")  # the file exists, migrated
    db = Database(db_path)
    try:  # the log as the restore leaves it (closing the last connection empties it)
        clock = Clock.pinned(date(2026, 12, 7), UTC)
        json_io.import_document(db, _document(2000), "backup.json", clock)
        assert _mode(db_path) == "wal"  # another process may read while this one writes
        assert _log_size(db_path) < 64 << 10  # the load went to the file, not the log
    finally:
        db.close()
    assert len(lrm("list", "--json").json()) == 2000


def test_a_restore_while_another_process_reads_goes_through_wal(lrm, db_path, tmp_path):
    path = tmp_path / "backup.json"
    path.write_text(_document(50), "utf-8")
    lrm("list")  # the file exists, migrated
    other = sqlite3.connect(db_path)  # another program holding the file open
    try:
        other.execute("SELECT count(*) FROM contact").fetchone()
        result = lrm("import", "json", str(path))
        assert result.exit_code == 0, result.stderr
        assert other.execute("SELECT count(*) FROM contact").fetchone()[0] == 50
    finally:
        other.close()
    assert _mode(db_path) == "wal"


def test_a_failed_restore_leaves_the_database_empty_in_wal_mode(lrm, db_path, tmp_path):
    path = tmp_path / "backup.json"
    path.write_text(_document(3000, bad_at=2500), "utf-8")
    result = lrm("import", "json", str(path))
    assert result.exit_code == 5
    assert "contacts[2500]" in result.stderr
    assert _mode(db_path) == "wal"
    assert lrm("list", "--json").json() == []
