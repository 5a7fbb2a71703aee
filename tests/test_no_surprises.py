"""Issue 12, "no silent surprises": a database path in a folder that does not exist, the
safety copy of `db restore`, and a "no" to a confirmation prompt."""

from __future__ import annotations

import sqlite3
import stat
from pathlib import Path

import pytest
from conftest import run_exe


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _names(lrm, *db: str) -> list[str]:
    return [c["name"] for c in lrm(*db, "list", "--all", "--json").json()]


# --- a database in a folder that does not exist --------------------------------------------------

# every command that opens the database, Typer's path and the fast path's (cli/fast.py)
OPENING = [
    ("list",),
    ("list", "--json"),
    ("show", "ada"),
    ("due",),
    ("balance",),
    ("digest",),
    ("search", "ada"),
    ("add", "Ada"),
    ("log", "ada", "--kind", "call"),
    ("upcoming",),
    ("export", "json"),
    ("db", "check"),
]


@pytest.mark.parametrize("args", OPENING, ids=" ".join)
def test_an_empty_db_option_is_refused_not_read_as_the_default(lrm, db_path, args):
    """A cron line's ``--db "$DB"`` with DB unset must not write into the default file."""
    lrm("add", "Ada")  # the default database (conftest's LRM_DB) has someone in it
    before = db_path.read_bytes()
    for empty in ("", "  "):
        result = lrm("--db", empty, *args)
        assert result.exit_code == 5
        lines = result.stderr.splitlines()
        assert len(lines) == 1 and "--db is empty" in lines[0], result.stderr
    assert db_path.read_bytes() == before


@pytest.mark.parametrize("args", OPENING, ids=" ".join)
def test_a_db_in_a_missing_folder_is_refused(lrm, tmp_path, args):
    folder = tmp_path / "no-such-folder"
    result = lrm("--db", str(folder / "lrm.sqlite3"), *args)
    assert result.exit_code == 6
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and f"the database folder {folder} does not exist" in lines[0]
    assert result.stdout == ""
    assert not folder.exists()


def test_the_refusal_is_json_under_json_and_holds_for_lrm_db_too(lrm, tmp_path, monkeypatch):
    folder = tmp_path / "typo"
    monkeypatch.setenv("LRM_DB", str(folder / "lrm.sqlite3"))
    result = lrm("list", "--json")
    assert result.exit_code == 6
    assert '"code": "storage"' in result.stderr and str(folder) in result.stderr
    assert not folder.exists()


def test_the_fast_path_refuses_too(lrm_exe, tmp_path):
    folder = tmp_path / "missing"
    for args in (["list"], ["due", "--json"], ["digest"], ["show", "1"], ["search", "x"]):
        done = run_exe(lrm_exe, "--db", str(folder / "x.sqlite3"), *args)
        assert done.returncode == 6, (args, done.stderr)
        assert done.stderr.count("\n") == 1 and str(folder) in done.stderr
    assert not folder.exists()


def test_an_existing_folder_gets_a_new_database(lrm, tmp_path):
    target = tmp_path / "elsewhere.sqlite3"
    assert lrm("--db", str(target), "add", "Ada").exit_code == 0
    assert _names(lrm, "--db", str(target)) == ["Ada"]
    assert _mode(target) == 0o600


def test_the_default_data_folder_is_created_0700(lrm, monkeypatch, isolated):
    monkeypatch.delenv("LRM_DB")
    data = isolated / "home" / "data" / "lrm"  # XDG_DATA_HOME/lrm
    assert not data.exists()
    result = lrm("add", "Ada")
    assert result.exit_code == 0, result.stderr
    assert _mode(data) == 0o700
    assert _mode(data.parent) == 0o700  # made with it (XDG_DATA_HOME did not exist either)
    assert _mode(data / "lrm.sqlite3") == 0o600


def test_db_path_still_names_a_missing_folder_without_error(lrm, tmp_path):
    other = tmp_path / "later" / "lrm.sqlite3"
    result = lrm("--db", str(other), "db", "path")
    assert result.exit_code == 0 and result.stdout == f"{other}\n"


# --- db restore keeps the database it replaces ---------------------------------------------------


def _backup(lrm, tmp_path: Path) -> Path:
    dest = tmp_path / "backup.sqlite3"
    assert lrm("db", "backup", str(dest)).exit_code == 0
    return dest


def _safety_copies(db_path: Path) -> list[Path]:
    return sorted(db_path.parent.glob(f"{db_path.name}.before-restore-*.bak"))


def test_restore_keeps_a_private_safety_copy_beside_the_database(lrm, db_path, tmp_path):
    assert lrm("add", "Ada").exit_code == 0
    backup = _backup(lrm, tmp_path)
    assert lrm("add", "Only In The Current One").exit_code == 0

    result = lrm("db", "restore", str(backup), "--yes")
    assert result.exit_code == 0, result.stderr
    (kept,) = _safety_copies(db_path)
    assert result.stdout.splitlines() == [
        f"restored {db_path} from {backup}",
        f"the database it replaced is kept at {kept}",
    ]
    assert _mode(kept) == 0o600
    assert _names(lrm) == ["Ada"]
    # the copy is the database as it was: restoring it undoes the restore
    assert _names(lrm, "--db", str(kept)) == ["Ada", "Only In The Current One"]

    again = lrm("db", "restore", str(backup), "--yes", "--json")  # the same second: a new name
    assert again.exit_code == 0, again.stderr
    copies = _safety_copies(db_path)
    assert len(copies) == 2
    assert again.json()["safety_copy"] in {str(c) for c in copies} - {str(kept)}


def test_restore_into_a_new_file_keeps_no_copy(lrm, tmp_path):
    assert lrm("add", "Ada").exit_code == 0
    backup = _backup(lrm, tmp_path)
    target = tmp_path / "fresh.sqlite3"
    result = lrm("--db", str(target), "db", "restore", str(backup), "--json")
    assert result.exit_code == 0, result.stderr
    assert result.json()["safety_copy"] is None
    assert list(tmp_path.glob("fresh.sqlite3.before-restore-*")) == []


def test_restore_over_a_damaged_database_keeps_its_bytes(lrm, db_path, tmp_path):
    assert lrm("add", "Ada").exit_code == 0
    backup = _backup(lrm, tmp_path)
    lrm("list")  # checkpointed: the main file holds everything
    damaged = b"SQLite format 3\x00" + b"\xff" * 4000
    db_path.write_bytes(damaged)
    result = lrm("db", "restore", str(backup), "--yes")
    assert result.exit_code == 0, result.stderr
    (kept,) = _safety_copies(db_path)
    assert kept.read_bytes() == damaged and _mode(kept) == 0o600
    assert _names(lrm) == ["Ada"]


def test_restore_into_a_missing_folder_is_refused(lrm, tmp_path):
    assert lrm("add", "Ada").exit_code == 0
    backup = _backup(lrm, tmp_path)
    target = tmp_path / "new-home" / "lrm.sqlite3"
    result = lrm("--db", str(target), "db", "restore", str(backup))
    assert result.exit_code == 6
    assert f"{target.parent} does not exist" in result.stderr
    assert not target.parent.exists()


# --- "no" to a confirmation prompt: exit 0, nothing changed --------------------------------------


def _counts(db_path: Path) -> dict[str, int]:
    conn = sqlite3.connect(db_path)
    try:
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%'"
                " AND name NOT LIKE 'search%' AND name NOT LIKE 'undo%'"
            )
        ]
        return {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
    finally:
        conn.close()


# every command that asks before it changes something
PROMPTING = {
    "forget": lambda backup: ("forget", "ada lovelace"),
    "merge": lambda backup: ("merge", "ada lovelace", "ada king"),
    "db restore": lambda backup: ("db", "restore", str(backup)),
}


@pytest.mark.parametrize("command", sorted(PROMPTING))
def test_no_to_a_prompt_changes_nothing_and_exits_0(lrm, db_path, tmp_path, monkeypatch, command):
    assert lrm("add", "Ada Lovelace", "-e", "ada@example.org").exit_code == 0
    assert lrm("add", "Ada King").exit_code == 0
    backup = _backup(lrm, tmp_path)
    assert lrm("add", "Charles Babbage").exit_code == 0
    monkeypatch.setattr("lrm_cli.cli.prompts.interactive", lambda: True)
    before = _counts(db_path)

    declined = lrm(*PROMPTING[command](backup), input="n\n")
    assert declined.exit_code == 0, declined.stderr
    assert declined.stdout.strip() == "n"  # CliRunner echoes what was typed; no result
    assert declined.stderr.endswith("[y/N]:nothing changed\n")  # (CliRunner: the space on stdout)
    assert _counts(db_path) == before
    assert _safety_copies(db_path) == []

    accepted = lrm(*PROMPTING[command](backup), input="y\n")
    assert accepted.exit_code == 0, accepted.stderr
    assert _counts(db_path) != before


@pytest.mark.parametrize("command", sorted(PROMPTING))
def test_without_a_terminal_a_prompting_command_needs_yes(lrm, db_path, tmp_path, command):
    assert lrm("add", "Ada Lovelace").exit_code == 0
    assert lrm("add", "Ada King").exit_code == 0
    backup = _backup(lrm, tmp_path)
    before = _counts(db_path)
    refused = lrm(*PROMPTING[command](backup))
    assert refused.exit_code == 5
    assert "--yes" in refused.stderr and len(refused.stderr.splitlines()) == 1
    assert _counts(db_path) == before


# --- an empty database says how to start --------------------------------------------------------

HINT = 'no contacts yet: lrm add "Ada Lovelace" --email ada@example.org\n'


@pytest.mark.parametrize("command", ["list", "due", "digest"])
def test_an_empty_database_says_how_to_start(lrm, command):
    result = lrm(command)
    assert result.exit_code == 0
    assert result.stderr == HINT
    if command != "digest":
        assert result.stdout == ""
    else:
        assert "nobody is due" in result.stdout  # the page as always
    as_json = lrm(command, "--json")
    assert as_json.exit_code == 0 and as_json.stderr == ""
    assert as_json.stdout.startswith("[]" if command != "digest" else "{")


def test_the_hint_is_for_an_empty_database_only(lrm):
    assert lrm("add", "Ada").exit_code == 0
    assert lrm("archive", "ada").exit_code == 0  # nothing active, nobody due: not empty
    for command in ("list", "due", "digest"):
        result = lrm(command)
        assert result.exit_code == 0 and "lrm add" not in result.stderr, command


def test_the_fast_path_gives_the_hint_too(lrm, lrm_exe, db_path):
    for command in ("list", "due", "digest"):
        done = run_exe(lrm_exe, command, env={"LRM_DB": str(db_path)})
        assert done.returncode == 0 and done.stderr == HINT, (command, done.stderr)
