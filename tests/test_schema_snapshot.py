"""A new database is built from the schema snapshot (store/snapshot.py), not by running
every migration: the first `lrm add` imports neither Alembic nor SQLAlchemy. The
snapshot must be exactly what the migrations build."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from lrm_cli.store import schema_snapshot, snapshot
from lrm_cli.store.db import Database
from lrm_cli.store.schema_version import HEAD_REVISION

STALE = f"the schema snapshot is not what the migrations build: run `{snapshot.REGENERATE}`"


def _everything(path: Path) -> dict[str, object]:
    """All that SQLite keeps of a database's schema and contents: ``sqlite_master`` in
    its order, every table's rows (shadow tables and ``alembic_version`` included), the
    header's pragmas and the journal mode."""
    conn = sqlite3.connect(path)
    try:
        master = conn.execute(
            "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY rowid"
        ).fetchall()
        rows = {}
        for kind, name, _, sql in master:
            if kind == "table" and not (sql or "").upper().startswith("CREATE VIRTUAL"):
                rows[name] = sorted(conn.execute(f'SELECT * FROM "{name}"'), key=repr)
        pragmas = {p: conn.execute(f"PRAGMA {p}").fetchone()[0] for p in snapshot.PRAGMAS}
        pragmas["journal_mode"] = conn.execute("PRAGMA journal_mode").fetchone()[0]
        return {"sqlite_master": master, "rows": rows, "pragmas": pragmas}
    finally:
        conn.close()


def test_a_new_database_equals_the_one_the_migrations_build(tmp_path):
    by_alembic = tmp_path / "alembic.sqlite3"
    snapshot.migrated_with_alembic(by_alembic)
    new = tmp_path / "new.sqlite3"
    Database(new).close()

    expected, got = _everything(by_alembic), _everything(new)
    assert expected["rows"]["alembic_version"] == [(HEAD_REVISION,)], STALE
    for part in ("sqlite_master", "rows", "pragmas"):
        assert got[part] == expected[part], f"{STALE} ({part} differs)"


def test_the_snapshot_file_is_what_the_command_writes():
    assert snapshot.snapshot_path().read_text(encoding="utf-8") == snapshot.generate(), STALE


def test_the_first_run_imports_neither_alembic_nor_sqlalchemy(tmp_path):
    db = tmp_path / "lrm.sqlite3"
    code = textwrap.dedent(f"""
        import sys
        sys.argv = ["lrm", "--db", {str(db)!r}, "add", "Ada Lovelace"]
        from importlib.metadata import entry_points
        (script,) = entry_points(group="console_scripts", name="lrm")
        try:
            script.load()()
        except SystemExit as exc:
            assert not exc.code, exc.code
        print(*(name in sys.modules for name in ("alembic", "sqlalchemy", "sqlmodel")))
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines() == ["added Ada Lovelace #1", "False False False"]
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchall() == [
            (HEAD_REVISION,)
        ]
        assert conn.execute("SELECT display_name FROM contact").fetchall() == [("Ada Lovelace",)]
    finally:
        conn.close()


def test_a_creation_that_fails_half_way_leaves_the_file_empty(lrm, db_path, monkeypatch):
    db_path.unlink()
    statements = schema_snapshot.STATEMENTS
    half = len(statements) // 2
    broken = (*statements[:half], "CREATE TABLE broken (", *statements[half:])
    monkeypatch.setattr(schema_snapshot, "STATEMENTS", broken)

    result = lrm("add", "Ada Lovelace")
    assert result.exit_code == 6
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("lrm: error: creating the database"), lines
    conn = sqlite3.connect(db_path)
    try:  # one transaction: no table of the first half stayed behind
        assert conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] == 0
    finally:
        conn.close()

    monkeypatch.setattr(schema_snapshot, "STATEMENTS", statements)
    assert lrm("add", "Ada Lovelace").exit_code == 0
    assert _everything(db_path)["rows"]["alembic_version"] == [(HEAD_REVISION,)]


def test_a_snapshot_behind_the_head_is_not_used(tmp_path, monkeypatch):
    """A migration added without regenerating: new databases are migrated by Alembic,
    never built from the old snapshot."""

    def refuse(conn):
        pytest.fail("the stale snapshot was used")

    monkeypatch.setattr(schema_snapshot, "REVISION", "0000")
    monkeypatch.setattr(snapshot, "create", refuse)
    path = tmp_path / "new.sqlite3"
    Database(path).close()
    assert _everything(path)["rows"]["alembic_version"] == [(HEAD_REVISION,)]
