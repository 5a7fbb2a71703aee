"""`lrm forget`: undoable by default (a slip is fixable), and with `--purge` nothing of
the person stays in the database file: not in the undo journal (its rows and the command
lines that named them), not in the search index's older segments, not in the
write-ahead log. The bytes of the files are what is checked."""

from __future__ import annotations

import sqlite3
from pathlib import Path

# Words only the forgotten person's records hold, each where a different table keeps it.
THEIRS = {
    "name": "Wilhelmina Quarrington",
    "email": "wq@quarrington.example",
    "note": "allergic to xylophonium",
    "how_met": "the zanzibarian fair",
    "summary": "talked about the vortigern plans",
    "reminder": "send the juxtaposia letters",
    "date label": "ferncombe day",
    "alias": "Mina Quarrington",
}


def _world(lrm) -> None:
    def ok(*args: str) -> None:
        assert lrm(*args).exit_code == 0, args

    for i in range(6):
        ok("add", f"Keeper {i}", "--how-met", f"ordinary meeting {i}")
        ok("note", f"Keeper {i}", f"harmless words {i}")
    ok("add", THEIRS["name"], "--email", THEIRS["email"], "--how-met", "somewhere")
    ok("add", THEIRS["alias"])
    ok("merge", THEIRS["name"], THEIRS["alias"], "--yes")  # an alias, and a merge's journal
    ok("note", "Wilhelmina", THEIRS["note"])
    ok("edit", "Wilhelmina", "--how-met", THEIRS["how_met"])
    ok(
        "log",
        "Wilhelmina",
        "--kind",
        "call",
        "--when",
        "2026-11-20",
        "--summary",
        THEIRS["summary"],
    )
    ok("remind", "Wilhelmina", THEIRS["reminder"], "--on", "2026-12-20")
    ok(
        "date",
        "add",
        "Wilhelmina",
        "--kind",
        "custom",
        "--label",
        THEIRS["date label"],
        "--on",
        "--05-04",
    )
    ok("log", "Keeper 1", "--kind", "call", "--when", "2026-11-21", "--summary", "a shared word")
    for i in range(7):  # later changes (the journal holds more than the forget, and the
        # search index several segments: FTS5 merges them only now and then)
        ok("note", f"Keeper {i % 6}", f"more words {i}")


def _left_in(db_path: Path) -> set[str]:
    """Which of THEIRS the database's files hold, as UTF-8 bytes (each word of a value,
    so that a search index's terms count: FTS5 stores words, not values)."""
    data = b"".join(
        p.read_bytes() for p in db_path.parent.iterdir() if p.name.startswith(db_path.name)
    )
    found = set()
    for what, value in THEIRS.items():
        words = [w for w in value.replace("@", " ").replace(".", " ").split() if len(w) > 6]
        if any(w.lower().encode() in data.lower() for w in words):
            found.add(what)
    return found


def test_forget_can_be_undone_so_the_journal_keeps_them(lrm, db_path):
    _world(lrm)
    assert lrm("forget", "Wilhelmina", "--yes").exit_code == 0
    assert _left_in(db_path) == set(THEIRS)  # in the undo journal, on purpose
    assert lrm("undo").exit_code == 0
    shown = lrm("show", "Wilhelmina", "--json").json()
    assert shown["how_met"] == THEIRS["how_met"]


def test_forget_purge_leaves_nothing_of_them_in_the_file(lrm, db_path):
    # another connection keeps the database open: SQLite does not fold and delete the
    # write-ahead log when lrm closes, so what the log held is checked too
    lrm("list")
    other = sqlite3.connect(db_path)
    try:
        other.execute("SELECT count(*) FROM contact").fetchone()
        _world(lrm)
        assert db_path.with_name(db_path.name + "-wal").stat().st_size > 0
        result = lrm("forget", "Wilhelmina", "--yes", "--purge")
        assert result.exit_code == 0, result.stderr
        assert "emptied the undo history" in result.stdout
        assert result.stderr == ""
        assert _left_in(db_path) == set()
    finally:
        other.close()
    # everyone else is as they were, and searchable
    assert len(lrm("list", "--json").json()) == 6
    assert [h["contact"]["name"] for h in lrm("search", "harmless", "--json").json()][:1]
    assert lrm("search", "xylophonium", "--json").json() == []
    assert lrm("undo", "--list", "--json").json() == []
    assert lrm("undo").exit_code != 0  # nothing to undo


def test_forget_purge_says_when_another_reader_keeps_the_log(lrm, db_path):
    _world(lrm)
    reader = sqlite3.connect(db_path, isolation_level=None)
    try:
        reader.execute("BEGIN")
        reader.execute("SELECT count(*) FROM contact").fetchone()  # a snapshot held open
        result = lrm("forget", "Wilhelmina", "--yes", "--purge", "--json")
        assert result.exit_code == 0, result.stderr
        assert result.json()["purged"]["log_emptied"] is False
        assert "another process has the database open" in result.stderr
        assert "-wal" in result.stderr
        reader.execute("COMMIT")
    finally:
        reader.close()
    assert lrm("show", "Wilhelmina").exit_code != 0


def test_forget_purge_names_the_copies_lrm_kept_beside_the_database(lrm, db_path):
    """A copy made before a migration or a restore is a backup: listed, not deleted."""
    _world(lrm)
    kept = db_path.with_name(f"{db_path.name}.before-migration-0011.bak")
    kept.write_bytes(db_path.read_bytes())
    result = lrm("forget", "Wilhelmina", "--yes", "--purge", "--json")
    assert result.exit_code == 0, result.stderr
    assert result.json()["purged"]["copies_left"] == [str(kept)]
    assert "1 older copy of the database may still hold what was deleted" in result.stderr
    assert str(kept) in result.stderr
    assert kept.exists()


def test_undo_clear_leaves_no_copy_of_what_was_deleted(lrm, db_path):
    """A note deleted stays in the undo history (to put it back) until `undo --clear`."""
    _world(lrm)
    notes = lrm("show", "Wilhelmina", "--json").json()["notes"]
    (note,) = [n for n in notes if n["body"] == THEIRS["note"]]
    assert lrm("note", "rm", str(note["id"])).exit_code == 0
    assert "note" in _left_in(db_path)  # in the journal, to be undone
    result = lrm("undo", "--clear", "--yes", "--json")
    assert result.exit_code == 0, result.stderr
    cleared = result.json()
    assert cleared == {
        "undo_changes": cleared["undo_changes"],
        "log_emptied": True,
        "copies_left": [],
    }
    assert cleared["undo_changes"] > 20
    assert "note" not in _left_in(db_path)
    assert "name" in _left_in(db_path)  # she is still there: only the history went
    assert lrm("undo", "--list", "--json").json() == []
    assert lrm("undo", "--clear", "--yes").stdout == "emptied the undo history (0 changes)\n"
    both = lrm("undo", "--clear", "--list")
    assert both.exit_code == 5 and "--clear and --list" in both.stderr


def test_undo_clear_asks_first_and_refuses_without_a_terminal(lrm, monkeypatch):
    """Emptying the history is the one thing undo cannot undo: it asks, as forget does."""
    from lrm_cli.cli import prompts

    assert lrm("add", "Ann Lee").exit_code == 0
    refused = lrm("undo", "--clear")
    assert refused.exit_code == 5 and "without --yes" in refused.stderr
    assert len(lrm("undo", "--list", "--json").json()) == 1
    monkeypatch.setattr(prompts, "interactive", lambda: True)
    declined = lrm("undo", "--clear", input="n\n")
    assert declined.exit_code == 0 and "Empty the undo history?" in declined.stderr
    assert len(lrm("undo", "--list", "--json").json()) == 1
    accepted = lrm("undo", "--clear", input="y\n")
    assert accepted.exit_code == 0, accepted.stderr
    assert lrm("undo", "--list", "--json").json() == []
