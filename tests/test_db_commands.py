"""`lrm db path`, `lrm db backup` and `lrm db restore`."""

from __future__ import annotations

import hashlib
import sqlite3
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

from conftest import run_exe

from lrm_cli.store.schema_version import HEAD_REVISION


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _query(path: Path, sql: str) -> list[tuple]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def _names(lrm) -> list[str]:
    result = lrm("list", "--json")
    assert result.exit_code == 0, result.stderr
    return [c["name"] for c in result.json()]


# --- db path -------------------------------------------------------------------------------------


def test_db_path_prints_lrm_db(lrm, db_path):
    result = lrm("db", "path")
    assert result.exit_code == 0
    assert result.stdout == f"{db_path}\n"
    assert lrm("db", "path", "--json").json() == {"path": str(db_path), "exists": True}


def test_db_path_flag_overrides_and_creates_nothing(lrm, tmp_path):
    other = tmp_path / "elsewhere" / "other.sqlite3"
    result = lrm("--db", str(other), "db", "path", "--json")
    assert result.exit_code == 0
    assert result.json() == {"path": str(other), "exists": False}
    assert lrm("--db", str(other), "db", "path").stdout == f"{other}\n"
    assert not other.parent.exists()


def test_db_path_console_script_reads_the_environment(lrm_exe, tmp_path):
    target = tmp_path / "env.sqlite3"
    result = run_exe(lrm_exe, "db", "path", env={"LRM_DB": str(target)})
    assert result.returncode == 0 and result.stdout == f"{target}\n"
    assert not target.exists()


# --- db backup -----------------------------------------------------------------------------------

EMAILS, TAGS = 3, 2

WRITER = (
    textwrap.dedent(
        """
    import sys
    from pathlib import Path
    from lrm_cli.clock import Clock
    from lrm_cli.services.contacts import ContactChanges, add_contact
    from lrm_cli.store.db import Database

    db_path, stop = Path(sys.argv[1]), Path(sys.argv[2])
    db = Database(db_path)
    clock = Clock.system()
    n = 0
    while not stop.exists():
        add_contact(db, ContactChanges(
            name=f"Busy {n}",
            emails=[f"busy{n}.{j}@example.org" for j in range(EMAILS_N)],
            tags=[f"busy-{n}-{j}" for j in range(TAGS_N)],
        ), clock)
        n += 1
        if n == 20:
            print("writing", flush=True)
    db.close()
    print(n, flush=True)
    """
    )
    .replace("EMAILS_N", str(EMAILS))
    .replace("TAGS_N", str(TAGS))
)


def _assert_consistent_copy(path: Path) -> int:
    assert _query(path, "PRAGMA integrity_check") == [("ok",)]
    assert _query(path, "SELECT version_num FROM alembic_version") == [(HEAD_REVISION,)]
    contacts = _query(
        path,
        "SELECT c.display_name,"
        " (SELECT count(*) FROM contact_method m WHERE m.contact_id = c.id),"
        " (SELECT count(*) FROM contact_tag t WHERE t.contact_id = c.id)"
        " FROM contact c WHERE c.display_name LIKE 'Busy %'",
    )
    assert [row for row in contacts if row[1:] != (EMAILS, TAGS)] == []
    numbers = sorted(int(name.split()[1]) for name, _, _ in contacts)
    assert numbers == list(range(len(numbers)))  # a prefix of the writer's sequence
    assert _query(path, "SELECT count(*) FROM tag WHERE name LIKE 'busy-%'") == [
        (len(contacts) * TAGS,)
    ]
    return len(contacts)


def test_backup_while_another_process_writes(lrm, lrm_exe, db_path, tmp_path):
    assert lrm("add", "Ada Lovelace").exit_code == 0
    stop = tmp_path / "stop"
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(db_path), str(stop)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert writer.stdout is not None
        assert writer.stdout.readline() == "writing\n", writer.stderr and writer.stderr.read()
        counts = []
        for k in range(3):
            dest = tmp_path / f"backup-{k}.sqlite3"
            result = run_exe(lrm_exe, "db", "backup", str(dest), "--json")
            assert result.returncode == 0, result.stderr
            assert result.stderr == ""
            assert result.stdout and str(dest) in result.stdout
            assert _mode(dest) == 0o600
            assert not Path(f"{dest}-wal").exists()  # the copy is whole in one file
            counts.append(_assert_consistent_copy(dest))
            assert _query(dest, "SELECT display_name FROM contact WHERE id = 1") == [
                ("Ada Lovelace",)
            ]
        assert counts == sorted(counts) and counts[-1] > counts[0]  # written meanwhile
    finally:
        stop.touch()
        out, err = writer.communicate(timeout=60)
    assert writer.returncode == 0, err
    assert err == ""  # the writer never met "database is locked"
    assert _assert_consistent_copy(db_path) == int(out.split()[-1])


def test_backup_into_a_folder(lrm, tmp_path):
    assert lrm("add", "Ada").exit_code == 0
    folder = tmp_path / "backups"
    folder.mkdir()
    result = lrm("db", "backup", str(folder), "--json")
    assert result.exit_code == 0, result.stderr
    written = Path(result.json()["path"])
    assert written.parent == folder and written.name.startswith("lrm-")
    assert _mode(written) == 0o600
    assert _query(written, "SELECT display_name FROM contact") == [("Ada",)]


def test_backup_without_a_destination_goes_beside_the_database(lrm, db_path):
    """`lrm db backup` alone (a nightly cron line): a dated copy in a private backups/
    folder next to the database, which a restore takes back."""
    assert lrm("add", "Ada").exit_code == 0
    result = lrm("db", "backup", "--json")
    assert result.exit_code == 0, result.stderr
    written = Path(result.json()["path"])
    assert written.parent == db_path.parent / "backups" and written.name.startswith("lrm-")
    assert _mode(written.parent) == 0o700 and _mode(written) == 0o600
    assert _query(written, "SELECT display_name FROM contact") == [("Ada",)]
    assert lrm("add", "Bob").exit_code == 0
    assert lrm("db", "restore", str(written), "--yes").exit_code == 0
    assert _names(lrm) == ["Ada"]


def test_backup_refuses_to_overwrite_without_force(lrm, tmp_path):
    assert lrm("add", "Ada").exit_code == 0
    dest = tmp_path / "precious.txt"
    dest.write_text("do not lose me")
    result = lrm("db", "backup", str(dest))
    assert result.exit_code == 5
    assert "--force" in result.stderr
    assert dest.read_text() == "do not lose me"

    result = lrm("db", "backup", str(dest), "--force")
    assert result.exit_code == 0, result.stderr
    assert _mode(dest) == 0o600
    assert _query(dest, "SELECT display_name FROM contact") == [("Ada",)]


def test_backup_onto_the_database_itself_is_refused(lrm, db_path, tmp_path):
    assert lrm("add", "Ada").exit_code == 0
    lrm("list")
    before = _digest(db_path)
    link = tmp_path / "link.sqlite3"
    link.symlink_to(db_path)
    for dest in (db_path, link, Path(f"{db_path}-wal")):
        # --force would delete the live database, then copy an empty file onto itself.
        result = lrm("db", "backup", str(dest), "--force")
        assert result.exit_code == 5, (dest, result.stderr)
        assert "the database itself" in result.stderr
    assert _digest(db_path) == before
    assert _names(lrm) == ["Ada"]


def test_restore_from_the_database_itself_is_refused(lrm, db_path):
    assert lrm("add", "Ada").exit_code == 0
    result = lrm("db", "restore", str(db_path), "--yes")
    assert result.exit_code == 5
    assert "the database itself" in result.stderr
    assert _names(lrm) == ["Ada"]


def test_backup_into_a_missing_folder_is_not_found(lrm, tmp_path):
    result = lrm("db", "backup", str(tmp_path / "nope" / "b.sqlite3"))
    assert result.exit_code == 3
    assert not (tmp_path / "nope").exists()


# --- db restore ----------------------------------------------------------------------------------


def _backup(lrm, tmp_path: Path, name: str = "backup.sqlite3") -> Path:
    dest = tmp_path / name
    result = lrm("db", "backup", str(dest))
    assert result.exit_code == 0, result.stderr
    return dest


def test_restore_replaces_the_database_with_yes(lrm, db_path, tmp_path):
    assert lrm("add", "Ada Lovelace", "-e", "ada@example.org").exit_code == 0
    assert lrm("add", "Charles Babbage").exit_code == 0
    backup = _backup(lrm, tmp_path)
    assert lrm("add", "Grace Hopper").exit_code == 0
    assert lrm("forget", "Ada Lovelace", "--yes").exit_code == 0
    assert _names(lrm) == ["Charles Babbage", "Grace Hopper"]

    result = lrm("db", "restore", str(backup), "--yes", "--json")
    assert result.exit_code == 0, result.stderr
    assert result.json()["path"] == str(db_path)
    assert result.json()["schema"] == HEAD_REVISION
    assert _names(lrm) == ["Ada Lovelace", "Charles Babbage"]
    assert _query(db_path, "SELECT value FROM contact_method") == [("ada@example.org",)]
    assert _mode(db_path) == 0o600
    assert lrm("add", "After Restore").exit_code == 0  # still a working database
    assert _query(db_path, "PRAGMA integrity_check") == [("ok",)]


def test_restore_refuses_to_overwrite_without_yes(lrm, db_path, tmp_path):
    assert lrm("add", "Ada").exit_code == 0
    backup = _backup(lrm, tmp_path)
    assert lrm("add", "Bob").exit_code == 0
    lrm("list")  # the last connection closed: everything is in the main file
    before = _digest(db_path)

    result = lrm("db", "restore", str(backup))
    assert result.exit_code == 5
    assert "--yes" in result.stderr
    assert _digest(db_path) == before
    assert _names(lrm) == ["Ada", "Bob"]


def _corrupt_page(path: Path, table: str) -> None:
    """Overwrite the root page of ``table`` (in the middle of the file) with garbage."""
    conn = sqlite3.connect(path)
    try:
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        (root,) = conn.execute(
            "SELECT rootpage FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)
        ).fetchone()
    finally:
        conn.close()
    assert not Path(f"{path}-wal").exists()
    with open(path, "r+b") as fh:
        fh.seek((root - 1) * page_size + 8)
        fh.write(bytes(range(256)) * (page_size // 256 - 1))


def test_restore_refuses_a_corrupted_backup(lrm, db_path, tmp_path):
    for k in range(10):
        assert lrm("add", f"Person {k}", "-e", f"p{k}@example.org").exit_code == 0
    good = _backup(lrm, tmp_path)
    assert lrm("add", "Current Only").exit_code == 0
    lrm("list")
    before = _digest(db_path)

    overwritten = tmp_path / "overwritten.sqlite3"
    overwritten.write_bytes(good.read_bytes())
    _corrupt_page(overwritten, "contact_method")
    truncated = tmp_path / "truncated.sqlite3"
    truncated.write_bytes(good.read_bytes()[: good.stat().st_size // 2])

    for bad in (overwritten, truncated):
        result = lrm("db", "restore", str(bad), "--yes")
        assert result.exit_code == 6, (bad, result.stderr)
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and "integrity" in lines[0]
        assert _digest(db_path) == before
    assert "Current Only" in _names(lrm)


def test_restore_refuses_files_that_are_not_lrm_backups(lrm, db_path, tmp_path):
    lrm("list")
    before = _digest(db_path)
    other = tmp_path / "other.sqlite3"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    text = tmp_path / "notes.txt"
    text.write_text("hello")

    assert lrm("db", "restore", str(other), "--yes").exit_code == 5
    assert lrm("db", "restore", str(text), "--yes").exit_code == 6
    assert lrm("db", "restore", str(tmp_path / "missing.sqlite3"), "--yes").exit_code == 3
    assert _digest(db_path) == before


def test_restore_refuses_a_backup_from_a_newer_lrm(lrm, db_path, tmp_path):
    assert lrm("add", "Ada").exit_code == 0
    backup = _backup(lrm, tmp_path)
    conn = sqlite3.connect(backup)
    conn.execute("UPDATE alembic_version SET version_num = '9999'")
    conn.commit()
    conn.close()
    lrm("list")
    before = _digest(db_path)
    result = lrm("db", "restore", str(backup), "--yes")
    assert result.exit_code == 6
    assert "newer version" in result.stderr
    assert _digest(db_path) == before


def test_restore_into_a_new_location_needs_no_yes(lrm, tmp_path):
    assert lrm("add", "Ada").exit_code == 0
    backup = _backup(lrm, tmp_path)
    target = tmp_path / "new-home" / "lrm.sqlite3"
    target.parent.mkdir()
    result = lrm("--db", str(target), "db", "restore", str(backup))
    assert result.exit_code == 0, result.stderr
    listed = lrm("--db", str(target), "list", "--json")
    assert [c["name"] for c in listed.json()] == ["Ada"]
