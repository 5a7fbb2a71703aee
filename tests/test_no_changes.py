"""A command that changes nothing writes nothing, and says so (docs/json.md, "Changing
nothing"): through the real CLI, each write asked to set what is already so exits 0, says
``no changes to ...``, answers ``"changed": false`` in JSON, and leaves every row, every
``updated_at`` and the undo history as they were (read with sqlite3 directly). The same
command with a real change still writes, says ``"changed": true``, and can be undone."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from lrm_cli.store.tables import DATA_TABLES
from lrm_cli.words import NO_CHANGES

# The no-ops run a day after the set-up: a write that touched a row would move its
# updated_at (the pinned clock is noon of --today).
LATER = ("--today", "2026-11-30")
DATA = DATA_TABLES  # every table of the user's data


def undo_count(db_path: Path) -> int:
    with closing(sqlite3.connect(db_path)) as conn:
        return conn.execute("SELECT count(*) FROM undo_change").fetchone()[0]


def updated_at(db_path: Path) -> dict[int, int]:
    with closing(sqlite3.connect(db_path)) as conn:
        return dict(conn.execute("SELECT id, updated_at FROM contact"))


def rows(db_path: Path) -> dict[str, list[tuple]]:
    with closing(sqlite3.connect(db_path)) as conn:
        return {
            t: conn.execute(f"SELECT rowid, * FROM {t} ORDER BY rowid").fetchall() for t in DATA
        }


def state(db_path: Path) -> tuple:
    return undo_count(db_path), updated_at(db_path), rows(db_path)


ADA = ["add", "Ada Lovelace"]
BOTH = [ADA, ["add", "William King"]]
LOGGED = [*BOTH, ["log", "ada", "--kind", "call", "--summary", "tea", "--when", "2026-11-20"]]
REMINDED = [ADA, ["remind", "ada", "call", "--on", "2027-01-01", "--every", "3m"]]

# (id, set-up commands, a command that changes nothing, one that changes something)
CASES = [
    ("edit", [[*ADA, "--org", "X"]], ["edit", "ada", "--org", "X"], ["edit", "ada", "--org", "Y"]),
    (
        "tag-add",
        [[*ADA, "--tag", "mentors"]],
        ["tag", "add", "ada", "mentors"],
        ["tag", "add", "ada", "friends"],
    ),
    ("archive", [ADA, ["archive", "ada"]], ["archive", "ada"], ["unarchive", "ada"]),
    ("unarchive", [ADA], ["unarchive", "ada"], ["archive", "ada"]),
    (
        "relate-again",
        [*BOTH, ["relate", "ada", "william", "--as", "spouse"]],
        ["relate", "ada", "william", "--as", "spouse"],
        ["relate", "ada", "william", "--as", "friend"],
    ),
    (
        "relate-symmetric-other-way",
        [*BOTH, ["relate", "ada", "william", "--as", "spouse"]],
        ["relate", "william", "ada", "--as", "spouse"],
        ["relate", "william", "ada", "--as", "colleague"],
    ),
    (
        "relate-inverse-other-way",
        [*BOTH, ["relate", "ada", "william", "--as", "parent"]],
        ["relate", "william", "ada", "--as", "child"],
        ["relate", "william", "ada", "--as", "friend"],
    ),
    ("cadence", [[*ADA, "--cadence", "30d"]], ["cadence", "ada", "30d"], ["cadence", "ada", "14d"]),
    ("cadence-clear", [ADA], ["cadence", "ada", "--clear"], ["cadence", "ada", "14d"]),
    (
        "tag-cadence",
        [[*ADA, "--tag", "mentors"], ["tag", "cadence", "mentors", "30d"]],
        ["tag", "cadence", "mentors", "30d"],
        ["tag", "cadence", "mentors", "14d"],
    ),
    (
        "tag-cadence-clear",
        [[*ADA, "--tag", "mentors"]],
        ["tag", "cadence", "mentors", "--clear"],
        ["tag", "cadence", "mentors", "14d"],
    ),
    (
        "snooze",
        [ADA, ["snooze", "ada", "--until", "2027-01-10"]],
        ["snooze", "ada", "--until", "2027-01-10"],
        ["snooze", "ada", "--until", "2027-02-01"],
    ),
    (
        "snooze-clear",
        [ADA],
        ["snooze", "ada", "--clear"],
        ["snooze", "ada", "--until", "2027-01-10"],
    ),
    (
        "interaction-edit",
        LOGGED,
        ["interaction", "edit", "1", "--kind", "call", "--summary", "tea", "--when", "2026-11-20"],
        ["interaction", "edit", "1", "--kind", "meal"],
    ),
    (
        "interaction-add-present",
        LOGGED,
        ["interaction", "edit", "1", "--add", "ada"],
        ["interaction", "edit", "1", "--add", "william"],
    ),
    (
        "date-add-again",
        [ADA, ["date", "add", "ada", "--on", "--07-08", "--label", "Wedding"]],
        ["date", "add", "ada", "--on", "--07-08", "--label", "wedding"],
        ["date", "add", "ada", "--on", "--07-08", "--label", "Wedding", "--remind", "1w"],
    ),
    (
        "note-edit",
        [ADA, ["note", "ada", "hello"]],
        ["note", "edit", "1", "hello"],
        ["note", "edit", "1", "goodbye"],
    ),
    (
        "note-unpin",
        [ADA, ["note", "ada", "hello"]],
        ["note", "edit", "1", "--unpin"],
        ["note", "edit", "1", "--pin"],
    ),
    (
        "reminder-edit",
        REMINDED,
        ["reminder", "edit", "1", "--on", "2027-01-01", "--title", "call", "--every", "3m"],
        ["reminder", "edit", "1", "--title", "ring"],
    ),
    (
        "done-again",
        [ADA, ["remind", "ada", "call", "--on", "2027-01-01"], ["done", "1"]],
        ["done", "1"],
        ["reminder", "edit", "1", "--reopen"],
    ),
    (
        "reminder-contact",
        REMINDED,
        ["reminder", "edit", "1", "--contact", "ada"],
        ["reminder", "edit", "1", "--contact", "-"],
    ),
]


@pytest.mark.parametrize(
    ("setup", "same", "change"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_a_write_that_changes_nothing_writes_nothing(lrm, db_path, setup, same, change):
    for command in setup:
        assert lrm(*command).exit_code == 0, command
    before = state(db_path)

    said = lrm(*LATER, *same)
    assert said.exit_code == 0, said.stderr
    assert said.stdout.startswith(f"{NO_CHANGES} "), said.stdout
    assert said.stdout.count("\n") == 1
    assert state(db_path) == before

    answered = lrm(*LATER, *same, "--json")
    assert answered.exit_code == 0, answered.stderr
    assert answered.json()["changed"] is False
    assert state(db_path) == before

    changed = lrm(*LATER, *change, "--json")
    assert changed.exit_code == 0, changed.stderr
    assert changed.json()["changed"] is True
    after = state(db_path)
    assert after[0] == before[0] + 1  # one undo entry
    assert after[2] != before[2]
    undone = lrm("undo")
    assert undone.exit_code == 0, undone.stderr
    assert state(db_path) == before


def test_the_wording_is_edits(lrm):
    """`edit` said it first; every other write says it the same way."""
    lrm(*ADA, "--org", "X")
    assert lrm("edit", "ada", "--org", "X").stdout == f"{NO_CHANGES} Ada Lovelace (X) #1\n"
    assert lrm("archive", "ada").stdout == "archived Ada Lovelace (X) #1\n"
    assert lrm("archive", "ada").stdout == f"{NO_CHANGES} Ada Lovelace (X) #1\n"
    assert lrm("cadence", "ada", "2w").stdout == "Ada Lovelace: every 14 days\n"
    assert lrm("cadence", "ada", "14d").stdout == f"{NO_CHANGES} Ada Lovelace: every 14 days\n"


def test_undo_after_a_no_op_reverts_the_change_before_it(lrm, db_path):
    lrm(*ADA)
    lrm("cadence", "ada", "30d")
    lrm(*LATER, "cadence", "ada", "30d")
    undone = lrm("undo", "--json").json()
    assert undone["command"] == "lrm cadence"  # the command line under tests
    assert undone["rows"] == {"contact": {"update": 1}}
    assert undo_count(db_path) == 1  # the add is left
    assert lrm("cadence", "ada", "--json").json()["cadence_days"] is None


def test_removing_someone_who_was_not_there_is_not_found(lrm, db_path):
    for command in LOGGED:
        lrm(*command)
    before = state(db_path)
    result = lrm(*LATER, "interaction", "edit", "1", "--remove", "william", "--kind", "meal")
    assert result.exit_code == 3
    assert result.stdout == ""
    assert "William King (#2) was not part of interaction #1" in result.stderr
    assert state(db_path) == before
    answered = lrm("interaction", "edit", "1", "--remove", "william", "--json")
    assert answered.exit_code == 3
    assert '"code":"not_found"' in answered.stderr.replace(" ", "")
    assert state(db_path) == before


def test_removing_someone_who_was_there_still_works(lrm, db_path):
    for command in LOGGED:
        lrm(*command)
    lrm("interaction", "edit", "1", "--add", "william")
    before = state(db_path)
    removed = lrm(*LATER, "interaction", "edit", "1", "--remove", "william", "--json")
    assert removed.exit_code == 0, removed.stderr
    assert removed.json()["changed"] is True
    assert [p["name"] for p in removed.json()["participants"]] == ["Ada Lovelace"]
    assert undo_count(db_path) == before[0] + 1
    lrm("undo")
    assert state(db_path) == before


def test_relate_the_other_way_round_adds_no_second_row(lrm, db_path):
    for command in BOTH:
        lrm(*command)
    lrm("relate", "ada", "william", "--as", "spouse")
    lrm("relate", "william", "ada", "--as", "spouse")
    lrm("relate", "ada", "william", "--as", "mentor")
    lrm("relate", "william", "ada", "--as", "mentee")
    assert len(rows(db_path)["relationship"]) == 2
    shown = lrm("show", "ada", "--json").json()["relationships"]
    assert sorted(r["kind"] for r in shown) == ["mentor", "spouse"]


def test_a_json_file_merged_again_leaves_no_change_to_undo(lrm, db_path, tmp_path):
    # the import loads each record aside and merges it in: a row added and deleted again
    # within one command is no change (the history said "1 contact added, 1 contact deleted")
    lrm("add", "Ada Lovelace", "--email", "ada@example.org")
    lrm("log", "ada", "--kind", "call", "--summary", "tea")
    export = tmp_path / "lrm.json"
    export.write_text(lrm("export", "json").stdout)
    before = state(db_path)
    again = lrm("import", "json", "--merge", str(export))
    assert again.exit_code == 0, again.stderr
    assert state(db_path) == before
    # a real difference in the same file is one change, and undo puts it back
    document = json.loads(export.read_text())
    document["contacts"][0]["title"] = "Countess"
    export.write_text(json.dumps(document))
    assert lrm("import", "json", "--merge", str(export)).exit_code == 0
    assert undo_count(db_path) == before[0] + 1
    assert lrm("show", "ada", "--json").json()["title"] == "Countess"
    assert lrm("undo").exit_code == 0
    assert rows(db_path) == before[2]
