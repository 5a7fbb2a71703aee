"""The connection lrm opens: pragmas, transactions, and the privacy of the files."""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

import pytest
from conftest import run_exe

from lrm_cli.domain import StorageError
from lrm_cli.store import db as store_db
from lrm_cli.store.db import Database


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def umask_022():
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


def test_connection_pragmas(tmp_path):
    db = Database(tmp_path / "lrm.sqlite3")
    try:
        conn = db.conn
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
        assert conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000
        assert conn.isolation_level is None  # transactions are lrm's, not the driver's
    finally:
        db.close()
    # And the same on a second opening of the now existing database.
    db = Database(tmp_path / "lrm.sqlite3")
    try:
        assert db.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert db.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert db.conn.execute("PRAGMA synchronous").fetchone()[0] == 2
    finally:
        db.close()


def test_database_that_lost_wal_mode_gets_it_back(tmp_path):
    path = tmp_path / "lrm.sqlite3"
    Database(path).close()
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA journal_mode = DELETE").fetchone()[0] == "delete"
    conn.close()
    db = Database(path)
    try:
        assert db.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        db.close()


def test_write_is_immediate_and_one_transaction(tmp_path):
    db = Database(tmp_path / "lrm.sqlite3")
    other = sqlite3.connect(tmp_path / "lrm.sqlite3", timeout=0, isolation_level=None)
    try:
        with db.write() as conn:
            assert conn.in_transaction
            conn.execute("INSERT INTO tag (name) VALUES ('a')")
            # The write lock is taken at BEGIN, not at the first write: a second writer is
            # refused at once rather than after it has read (no deadlock between two
            # read-then-write transactions).
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("BEGIN IMMEDIATE")
        assert not db.conn.in_transaction

        with pytest.raises(RuntimeError), db.write() as conn:
            conn.execute("INSERT INTO tag (name) VALUES ('b')")
            raise RuntimeError("half-way")
        assert not db.conn.in_transaction
        with db.read() as conn:
            assert [r[0] for r in conn.execute("SELECT name FROM tag")] == ["a"]
    finally:
        other.close()
        db.close()


def test_foreign_keys_cascade(tmp_path):
    db = Database(tmp_path / "lrm.sqlite3")
    try:
        with db.write() as conn:
            conn.execute(
                "INSERT INTO contact (uid, display_name, created_at, updated_at)"
                " VALUES ('u1', 'Ada', 0, 0)"
            )
            conn.execute(
                "INSERT INTO contact_method (contact_id, kind, value, is_preferred, position)"
                " VALUES (1, 'email', 'a@b.c', 0, 0)"
            )
        with pytest.raises(StorageError, match="FOREIGN KEY"), db.write() as conn:
            conn.execute(
                "INSERT INTO contact_method (contact_id, kind, value, is_preferred, position)"
                " VALUES (99, 'email', 'x@y.z', 0, 0)"
            )
        with db.write() as conn:
            conn.execute("DELETE FROM contact WHERE id = 1")
        with db.read() as conn:
            assert conn.execute("SELECT count(*) FROM contact_method").fetchone()[0] == 0
    finally:
        db.close()


def test_lock_held_too_long_is_a_storage_error(tmp_path, monkeypatch):
    path = tmp_path / "lrm.sqlite3"
    Database(path).close()
    monkeypatch.setattr(store_db, "BUSY_TIMEOUT_S", 0.2)
    db = Database(path)
    holder = sqlite3.connect(path, isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")
        with pytest.raises(StorageError, match="locked"), db.write() as conn:
            conn.execute("INSERT INTO tag (name) VALUES ('a')")
        holder.execute("ROLLBACK")
        with db.write() as conn:  # usable again once the other writer is done
            conn.execute("INSERT INTO tag (name) VALUES ('a')")
    finally:
        holder.close()
        db.close()


# --- privacy --------------------------------------------------------------------------------


def test_new_database_is_private_whatever_the_umask(tmp_path, umask_022):
    folder = tmp_path / "fresh" / "lrm"
    path = folder / "lrm.sqlite3"
    db = Database(path)
    try:
        with db.write() as conn:
            conn.execute("INSERT INTO tag (name) VALUES ('a')")
        # The connection is open, so the WAL and shared-memory files exist now.
        wal, shm = Path(f"{path}-wal"), Path(f"{path}-shm")
        assert wal.exists() and shm.exists()
        assert _mode(folder) == 0o700
        assert _mode(path) == 0o600
        assert _mode(wal) == 0o600
        assert _mode(shm) == 0o600
    finally:
        db.close()


def test_new_database_by_the_cli_is_private(lrm_exe, isolated, umask_022):
    path = isolated / "home" / "data" / "lrm" / "lrm.sqlite3"  # the default: XDG_DATA_HOME/lrm
    result = run_exe(lrm_exe, "add", "Ada Lovelace", env={"LRM_DB": ""})
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert _mode(path.parent) == 0o700
    assert _mode(path) == 0o600


def test_backup_and_restore_files_are_private(lrm, isolated, monkeypatch, umask_022):
    assert lrm("add", "Ada").exit_code == 0
    copy = isolated / "copy.sqlite3"
    assert lrm("db", "backup", str(copy)).exit_code == 0
    assert _mode(copy) == 0o600
    monkeypatch.delenv("LRM_DB")  # restored into the default folder, which lrm creates
    target = isolated / "home" / "data" / "lrm" / "lrm.sqlite3"
    assert lrm("db", "restore", str(copy)).exit_code == 0
    assert _mode(target) == 0o600
    assert _mode(target.parent) == 0o700


def test_world_readable_database_gets_a_warning_and_keeps_its_mode(lrm, lrm_exe, db_path):
    # lrm chmods only what it creates: a mode someone chose is theirs to change.
    assert lrm("add", "Ada Lovelace").exit_code == 0
    db_path.chmod(0o644)
    for _ in range(2):  # every run says so, until the owner decides
        result = run_exe(lrm_exe, "list")
        assert result.returncode == 0
        assert "Ada Lovelace" in result.stdout
        warnings = result.stderr.strip().splitlines()
        assert len(warnings) == 1
        assert "warning" in warnings[0] and str(db_path) in warnings[0] and "600" in warnings[0]
        assert _mode(db_path) == 0o644
    db_path.chmod(0o600)
    assert run_exe(lrm_exe, "list").stderr == ""


def test_readable_wal_companions_are_named_too(tmp_path):
    path = tmp_path / "lrm.sqlite3"
    keeper = Database(path)  # keeps -wal and -shm in place
    try:
        with keeper.write() as conn:
            conn.execute("INSERT INTO tag (name) VALUES ('a')")
        for suffix in ("-wal", "-shm"):
            Path(f"{path}{suffix}").chmod(0o640)
        warned: list[str] = []
        Database(path, warn=warned.append).close()
        assert len(warned) == 1  # one line for all
        for suffix in ("-wal", "-shm"):
            assert f"{path}{suffix} (mode 640)" in warned[0]
            assert _mode(Path(f"{path}{suffix}")) == 0o640
    finally:
        keeper.close()
