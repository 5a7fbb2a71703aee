"""Alembic migrations: the head, the schema they build, upgrades, and databases lrm refuses."""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from conftest import run_exe

from lrm_cli.store import migrate
from lrm_cli.store.db import Database
from lrm_cli.store.schema_version import HEAD_REVISION
from lrm_cli.store.search import is_index_table

REPO = Path(__file__).resolve().parent.parent


def _revision(path: Path) -> str | None:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT version_num FROM alembic_version").fetchone()[0]
    finally:
        conn.close()


def _columns(path: Path, table: str) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return [row[1] for row in conn.execute(f"PRAGMA table_info({table})")]
    finally:
        conn.close()


def _snapshot(path: Path) -> tuple[bytes, int, int]:
    st = path.stat()
    return path.read_bytes(), st.st_mtime_ns, stat.S_IMODE(st.st_mode)


def _assert_one_line_error(stderr: str, *needles: str) -> None:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("lrm: error:"), stderr
    assert "Traceback" not in stderr
    for needle in needles:
        assert needle in lines[0], stderr


# --- the head and the schema -------------------------------------------------------------------


def test_head_revision_constant_is_alembic_head():
    assert migrate.head_revision() == HEAD_REVISION
    assert HEAD_REVISION in migrate.known_revisions()


def test_migrations_dir_is_the_source_tree_in_development():
    assert migrate.migrations_dir() == REPO / "migrations"


def _structure(path: Path) -> dict[str, object]:
    """Every table's columns, keys, foreign keys, indexes (with collations) and column
    collations, read back from SQLite itself."""
    conn = sqlite3.connect(path)
    try:
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name != 'alembic_version'"
                " ORDER BY name"
            )
            if not is_index_table(r[0])  # the FTS5 search index: tests/test_search.py
        ]
        out: dict[str, object] = {}
        for table in tables:
            sql = conn.execute(
                "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)
            ).fetchone()[0]
            indexes = {}
            for _, name, unique, origin, partial in conn.execute(f"PRAGMA index_list({table})"):
                cols = [
                    (r[2], r[4], r[5]) for r in conn.execute(f"PRAGMA index_xinfo({name})") if r[5]
                ]  # key columns: (name, collation, key)
                key = name if origin == "c" else f"{origin}:{cols}"
                indexes[key] = (unique, origin, partial, cols)
            out[table] = {
                "columns": list(conn.execute(f"PRAGMA table_xinfo({table})")),
                "foreign_keys": sorted(
                    r[2:] for r in conn.execute(f"PRAGMA foreign_key_list({table})")
                ),
                "indexes": indexes,
                "collations": sorted(re.findall(r'(\w+) \w+ COLLATE "?(\w+)"?', sql)),
                # invisible to PRAGMA table_info: whether a deleted row's id is given again
                "autoincrement": "AUTOINCREMENT" in sql.upper(),
            }
        return out
    finally:
        conn.close()


# SQLite's reflection cannot see expression indexes: _index_sql compares them instead
@pytest.mark.filterwarnings("ignore:Skipped unsupported reflection of expression-based index")
@pytest.mark.filterwarnings("ignore:autogenerate skipping metadata-specified expression-based")
def test_migrated_schema_equals_the_models(tmp_path):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlalchemy import create_engine, inspect
    from sqlmodel import SQLModel

    import lrm_cli.store.models  # noqa: F401

    migrated = tmp_path / "migrated.sqlite3"
    Database(migrated).close()
    assert _revision(migrated) == HEAD_REVISION

    engine = create_engine(f"sqlite:///{migrated}")
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(
                connection,
                opts={
                    "compare_type": True,
                    "compare_server_default": True,
                    "include_name": lambda name, type_, _: (
                        not (type_ == "table" and is_index_table(name))
                    ),
                },
            )
            assert compare_metadata(context, SQLModel.metadata) == []

            inspector = inspect(connection)
            tables = {t for t in inspector.get_table_names() if not is_index_table(t)}
            assert tables - {"alembic_version"} == set(SQLModel.metadata.tables)
            for name, table in SQLModel.metadata.tables.items():
                in_db = {
                    (i["name"], tuple(i["column_names"]), bool(i["unique"]))
                    for i in inspector.get_indexes(name)
                }
                in_model = {  # SQLite's reflection skips expression indexes: compared below
                    (i.name, tuple(c.name for c in i.columns), bool(i.unique))
                    for i in table.indexes
                    if i.columns
                }
                assert in_db == in_model, name
    finally:
        engine.dispose()

    # Stricter than autogenerate (which ignores collations and constraint details): the
    # migrated file has the same structure as one built straight from the models.
    direct = tmp_path / "direct.sqlite3"
    engine = create_engine(f"sqlite:///{direct}")
    try:
        SQLModel.metadata.create_all(engine)
    finally:
        engine.dispose()
    assert _structure(migrated) == _structure(direct)
    assert _index_sql(migrated) == _index_sql(direct)


def _index_sql(path: Path) -> dict[str, str]:
    """Each index's CREATE statement, whitespace folded (expressions and WHERE included)."""
    conn = sqlite3.connect(path)
    try:
        return {
            name: " ".join(sql.split())
            for name, sql in conn.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
            )
        }
    finally:
        conn.close()


# --- upgrades --------------------------------------------------------------------------------


FUTURE = "f9001"  # a revision after whatever this checkout's head is

MIGRATION_FUTURE = '''
"""rebuild contact with a pronouns column

Revision ID: f9001
Revises: HEAD_HERE
"""

import sqlalchemy as sa
from alembic import op

revision = "f9001"
down_revision = "HEAD_HERE"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # recreate="always": a full table rebuild (copy, DROP, rename), the risky kind of
    # SQLite migration: with foreign keys enforced it would cascade-delete child rows.
    with op.batch_alter_table("contact", recreate="always") as batch_op:
        batch_op.add_column(sa.Column("pronouns", sa.String(), nullable=True))
    op.execute("UPDATE contact SET pronouns = 'they/them'")
    FAIL_HERE


def downgrade() -> None:
    with op.batch_alter_table("contact", recreate="always") as batch_op:
        batch_op.drop_column("pronouns")
'''


@pytest.fixture
def db_at_head(lrm, db_path):
    """A real database at the current head holding a contact, methods, tags, an interaction."""
    assert (
        lrm(
            "add",
            "Ada Lovelace",
            "-e",
            "ada@example.org",
            "-e",
            "ada@analytical.org",
            "-t",
            "mentors",
            "-t",
            "math",
        ).exit_code
        == 0
    )
    assert lrm("add", "Charles Babbage").exit_code == 0
    assert lrm("log", "Ada Lovelace", "Charles Babbage", "--summary", "tea").exit_code == 0
    assert _revision(db_path) == HEAD_REVISION
    return db_path


def _future_migrations(tmp_path: Path, monkeypatch, *, fail: bool, failure: str = "") -> Path:
    """A copy of migrations/ with one more revision, made the head for this test; with
    ``fail`` it ends by raising (or by running the statement ``failure``)."""
    scripts = tmp_path / "future-migrations"
    if scripts.exists():
        shutil.rmtree(scripts)
    shutil.copytree(REPO / "migrations", scripts, ignore=shutil.ignore_patterns("__pycache__"))
    last = failure or "raise RuntimeError('disk on fire')"
    body = MIGRATION_FUTURE.replace("HEAD_HERE", HEAD_REVISION).replace(
        "FAIL_HERE", last if fail else "pass"
    )
    (scripts / "versions" / f"{FUTURE}_pronouns.py").write_text(textwrap.dedent(body))
    monkeypatch.setattr(migrate, "migrations_dir", lambda: scripts)
    monkeypatch.setattr("lrm_cli.store.schema_version.HEAD_REVISION", FUTURE)
    monkeypatch.setattr("lrm_cli.store.db.HEAD_REVISION", FUTURE)
    assert migrate.head_revision() == FUTURE
    return scripts


def _backups(db_path: Path) -> list[Path]:
    return sorted(db_path.parent.glob(f"{db_path.name}.before-migration-*"))


def test_older_database_is_backed_up_then_upgraded(lrm, db_at_head, tmp_path, monkeypatch):
    db_path = db_at_head
    _future_migrations(tmp_path, monkeypatch, fail=False)
    copies: list[tuple[Path, Path, str | None]] = []
    real_stage = migrate.staged_copy

    def spy(source: Path, dest: Path):
        copies.append((source, dest, _revision(source)))  # before Alembic touched it
        return real_stage(source, dest)

    monkeypatch.setattr(migrate, "staged_copy", spy)

    result = lrm("list", "--json")
    assert result.exit_code == 0, result.stderr
    assert [c["name"] for c in result.json()] == ["Ada Lovelace", "Charles Babbage"]
    assert f"{HEAD_REVISION} -> {FUTURE}" in result.stderr

    assert _revision(db_path) == FUTURE
    assert "pronouns" in _columns(db_path, "contact")
    conn = sqlite3.connect(db_path)
    try:
        assert conn.execute("SELECT count(*) FROM contact_method").fetchone()[0] == 2
        assert conn.execute("SELECT count(*) FROM contact_tag").fetchone()[0] == 2
        assert conn.execute("SELECT count(*) FROM interaction_participant").fetchone()[0] == 2
        assert conn.execute("SELECT DISTINCT pronouns FROM contact").fetchall() == [("they/them",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        conn.close()
    # the triggers that keep each contact's tag cadence outlive the rebuilt table
    assert lrm("tag", "cadence", "mentors", "14d").exit_code == 0
    assert lrm("tag", "add", "Charles", "mentors").exit_code == 0
    conn = sqlite3.connect(db_path)
    try:
        cadences = conn.execute("SELECT tag_cadence_days FROM contact ORDER BY id").fetchall()
        assert cadences == [(14,), (14,)]
    finally:
        conn.close()

    (backup,) = _backups(db_path)
    assert copies == [(db_path, backup, HEAD_REVISION)]
    assert backup.name == f"{db_path.name}.before-migration-{HEAD_REVISION}.bak"
    assert str(backup) in result.stderr
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    assert _revision(backup) == HEAD_REVISION
    assert "pronouns" not in _columns(backup, "contact")
    conn = sqlite3.connect(backup)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT count(*) FROM contact_method").fetchone()[0] == 2
    finally:
        conn.close()

    # Only once: the next command finds the database current.
    assert lrm("add", "Grace Hopper").exit_code == 0
    assert len(_backups(db_path)) == 1


def test_failed_upgrade_leaves_the_database_as_it_was(lrm, db_at_head, tmp_path, monkeypatch):
    db_path = db_at_head
    _future_migrations(tmp_path, monkeypatch, fail=True)

    result = lrm("list")
    assert result.exit_code == 6
    lines = result.stderr.strip().splitlines()
    assert "failed" in lines[-1] and "disk on fire" in lines[-1]
    assert "Traceback" not in result.stderr

    # The rebuild, the UPDATE and the version row were one transaction: all rolled back.
    assert _revision(db_path) == HEAD_REVISION
    assert "pronouns" not in _columns(db_path, "contact")
    conn = sqlite3.connect(db_path)
    try:
        assert conn.execute("SELECT count(*) FROM contact").fetchone()[0] == 2
        assert conn.execute("SELECT count(*) FROM contact_method").fetchone()[0] == 2
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
        assert not any(t.startswith("_alembic_tmp") for t in tables)
    finally:
        conn.close()
    assert len(_backups(db_path)) == 1


def test_failed_first_migration_leaves_no_half_built_schema(tmp_path, monkeypatch):
    """A new database whose first migration dies part-way must not be left with tables but
    no version row (which every later run would reject as "not an lrm database"). New
    databases come from the schema snapshot (tests/test_schema_snapshot.py) unless it is
    behind the head: then Alembic builds them, and this holds."""
    from alembic.runtime.migration import MigrationContext

    from lrm_cli.store import snapshot

    monkeypatch.setattr(snapshot, "usable", lambda: False)
    real_run = MigrationContext.run_migrations

    def run_then_fail(self, **kw):
        real_run(self, **kw)  # every CREATE TABLE and the version row have been sent
        raise RuntimeError("killed")

    monkeypatch.setattr(MigrationContext, "run_migrations", run_then_fail)
    path = tmp_path / "new.sqlite3"
    with pytest.raises(Exception, match="killed"):
        Database(path)
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] == 0
    finally:
        conn.close()

    monkeypatch.setattr(MigrationContext, "run_migrations", real_run)
    Database(path).close()
    assert _revision(path) == HEAD_REVISION


def test_empty_file_is_a_new_database(lrm, db_path):
    db_path.unlink()
    db_path.touch(mode=0o600)  # e.g. made by `touch` or by a backup tool
    assert lrm("add", "Ada").exit_code == 0
    assert _revision(db_path) == HEAD_REVISION


# --- the start-up check --------------------------------------------------------------------


def test_startup_check_on_a_current_database_imports_neither_alembic_nor_sqlalchemy(lrm, db_path):
    assert lrm("add", "Ada Lovelace").exit_code == 0
    code = textwrap.dedent(f"""
        import sys
        from pathlib import Path
        from lrm_cli.store.db import Database
        db = Database(Path({str(db_path)!r}))
        with db.read() as conn:
            assert conn.execute("SELECT count(*) FROM contact").fetchone()[0] == 1
        db.close()
        print('alembic' in sys.modules, 'sqlalchemy' in sys.modules)
        sys.argv = ["lrm", "--db", {str(db_path)!r}, "list"]
        from importlib.metadata import entry_points
        (script,) = entry_points(group="console_scripts", name="lrm")
        try:
            script.load()()
        except SystemExit as exc:
            assert not exc.code, exc.code
        print('alembic' in sys.modules, 'sqlalchemy' in sys.modules, 'sqlmodel' in sys.modules)
    """)
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=db_path.parent
    )
    assert out.returncode == 0, out.stderr
    lines = out.stdout.strip().splitlines()
    assert lines[0] == "False False"
    assert lines[-1] == "False False False"


# --- databases lrm refuses ---------------------------------------------------------------------


def test_database_from_a_newer_lrm_is_refused_and_untouched(lrm, lrm_exe, db_path):
    assert lrm("add", "Ada Lovelace").exit_code == 0
    conn = sqlite3.connect(db_path)
    conn.execute("UPDATE alembic_version SET version_num = '9999'")
    conn.commit()
    conn.close()
    before = _snapshot(db_path)
    files_before = sorted(p.name for p in db_path.parent.iterdir())

    for args in (("list",), ("add", "Bob")):
        result = run_exe(lrm_exe, *args)
        assert result.returncode == 6
        _assert_one_line_error(result.stderr, "newer version", "9999")

    assert _snapshot(db_path) == before
    assert sorted(p.name for p in db_path.parent.iterdir()) == files_before  # no backup


def test_text_file_is_refused_and_untouched(lrm_exe, tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("my private notes\n" * 100)
    before = _snapshot(path)
    result = run_exe(lrm_exe, "--db", str(path), "list")
    assert result.returncode == 6
    _assert_one_line_error(result.stderr, "not an SQLite database")
    assert _snapshot(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "home", "notes.txt"]


def test_folder_is_refused(lrm_exe, tmp_path):
    folder = tmp_path / "somewhere"
    folder.mkdir()
    result = run_exe(lrm_exe, "--db", str(folder), "add", "Ada")
    assert result.returncode == 6
    _assert_one_line_error(result.stderr, "folder")
    assert list(folder.iterdir()) == []


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read a file whatever its mode")
def test_unreadable_database_is_refused(lrm, lrm_exe, db_path):
    assert lrm("add", "Ada").exit_code == 0
    db_path.chmod(0)
    try:
        result = run_exe(lrm_exe, "list")
        assert result.returncode == 6
        _assert_one_line_error(result.stderr, "permission denied")
    finally:
        db_path.chmod(0o600)


def test_other_sqlite_database_is_refused_and_untouched(lrm_exe, tmp_path):
    path = tmp_path / "firefox.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT)")
    conn.execute("INSERT INTO moz_places (url) VALUES ('https://example.org')")
    conn.commit()
    conn.close()
    path.chmod(0o600)
    before = _snapshot(path)
    result = run_exe(lrm_exe, "--db", str(path), "add", "Ada")
    assert result.returncode == 6
    _assert_one_line_error(result.stderr, "not an lrm")
    assert _snapshot(path) == before


def test_path_that_cannot_be_created_is_a_storage_error(lrm_exe, tmp_path):
    a_file = tmp_path / "plain.txt"
    a_file.write_text("x")
    result = run_exe(lrm_exe, "--db", str(a_file / "lrm.sqlite3"), "add", "Ada")
    assert result.returncode == 6
    _assert_one_line_error(result.stderr, "cannot create", "Not a directory")
    assert a_file.read_text() == "x"
