"""Notes, interactions, the timeline, relationships and important dates via the CLI."""

from __future__ import annotations

import sqlite3

import pytest


@pytest.fixture
def people(lrm):
    lrm("add", "Ada Lovelace")
    lrm("add", "Charles Babbage")
    lrm("add", "Grace Hopper")
    return lrm


def test_log_one_interaction_with_many_participants(people, db_path):
    result = people(
        "log",
        "ada",
        "charles",
        "--kind",
        "meal",
        "--initiator",
        "them",
        "--when",
        "last tuesday",
        "--summary",
        "Dinner",
        "--sentiment",
        "+1",
        "--json",
    )
    assert result.exit_code == 0, result.stderr
    logged = result.json()
    assert logged["kind"] == "meal" and logged["initiator"] == "them"
    assert logged["sentiment"] == 1 and logged["summary"] == "Dinner"
    # LRM_TODAY is Sunday 2026-11-29 in Europe/London: last Tuesday is the 24th, at noon
    assert logged["occurred_at"] == "2026-11-24T12:00:00+00:00"
    assert [p["name"] for p in logged["participants"]] == ["Ada Lovelace", "Charles Babbage"]
    conn = sqlite3.connect(db_path)
    assert conn.execute("SELECT count(*) FROM interaction").fetchone()[0] == 1
    assert conn.execute("SELECT count(*) FROM interaction_participant").fetchone()[0] == 2


def test_log_defaults(people):
    logged = people("log", "grace", "--json").json()
    assert (logged["kind"], logged["initiator"], logged["sentiment"]) == ("other", "mutual", None)
    assert logged["occurred_at"].startswith("2026-11-29")


def test_log_same_contact_twice_counts_once(people):
    logged = people("log", "ada", "Ada Lovelace", "--json").json()
    assert len(logged["participants"]) == 1


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--when", "the day after never"], "cannot understand the date"),
        (["--sentiment", "5"], "outside -2..+2"),
        (["--sentiment", "happy"], "invalid sentiment"),
        (["--kind", "telepathy"], "unknown kind"),
        (["--initiator", "nobody"], "unknown initiator"),
        (["--weight", "-1"], "weight"),
    ],
)
def test_log_bad_input_writes_nothing(people, db_path, args, needle):
    result = people("log", "ada", *args)
    assert result.exit_code == 5, result.stderr
    assert needle in result.stderr
    assert sqlite3.connect(db_path).execute("SELECT count(*) FROM interaction").fetchone()[0] == 0


def test_log_with_one_unknown_participant_writes_nothing(people, db_path):
    result = people("log", "ada", "nobody")
    assert result.exit_code == 3
    assert sqlite3.connect(db_path).execute("SELECT count(*) FROM interaction").fetchone()[0] == 0


def test_note_and_pin(people):
    note = people("note", "ada", "Prefers letters", "--pin", "--json").json()
    assert note["body"] == "Prefers letters" and note["pinned"] is True
    assert people("note", "ada", "   ").exit_code == 5


def test_timeline_interleaves_newest_first_and_filters(people):
    people("log", "ada", "--when", "2026-10-01", "--summary", "october")
    people("log", "ada", "--when", "2026-11-20", "--summary", "november")
    people("note", "ada", "today's note")
    people("log", "charles", "--when", "2026-11-21", "--summary", "not ada's")
    items = people("timeline", "ada", "--json").json()
    assert [(i["type"], i.get("summary") or i.get("body")) for i in items] == [
        ("note", "today's note"),
        ("interaction", "november"),
        ("interaction", "october"),
    ]
    since = people("timeline", "ada", "--since", "2026-11-01", "--until", "2026-11-20", "--json")
    assert [i["summary"] for i in since.json()] == ["november"]
    assert people("timeline", "ada", "--limit", "1", "--json").json()[0]["type"] == "note"
    human = people("timeline", "ada").stdout
    assert human.index("today's note") < human.index("november") < human.index("october")


def test_timeline_bad_range(people):
    result = people("timeline", "ada", "--since", "2026-11-20", "--until", "2026-11-01")
    assert result.exit_code == 5
    assert "after --until" in result.stderr
    assert people("timeline", "ada", "--since", "someday maybe").exit_code == 5


def test_timeline_empty_is_success(people):
    result = people("timeline", "grace", "--json")
    assert result.exit_code == 0 and result.json() == []


def test_relate_and_inverse(people):
    result = people("relate", "ada", "charles", "--as", "parent", "--json")
    assert result.json()["kind"] == "parent"
    ada = people("show", "ada", "--json").json()
    charles = people("show", "charles", "--json").json()
    (rid,) = {r["id"] for r in ada["relationships"] + charles["relationships"]}
    assert ada["relationships"] == [
        {
            "id": rid,
            "kind": "parent",
            "label": None,
            "contact": {"id": 2, "name": "Charles Babbage"},
        }
    ]
    assert charles["relationships"] == [
        {"id": rid, "kind": "child", "label": None, "contact": {"id": 1, "name": "Ada Lovelace"}}
    ]
    assert people("relate", "ada", "ada", "--as", "friend").exit_code == 5
    assert people("relate", "ada", "grace", "--as", "nemesis").exit_code == 5


def test_dates_add_list_rm(people):
    added = people("date", "add", "ada", "--kind", "anniversary", "--on", "--06-21", "--json")
    assert added.exit_code == 0, added.stderr
    assert added.json()["date"] == "--06-21"
    people(
        "date",
        "add",
        "ada",
        "--kind",
        "custom",
        "--label",
        "Name day",
        "--on",
        "2020-02-29",
        "--remind",
        "1w",
    )
    listed = people("date", "list", "ada", "--json").json()
    assert [(d["kind"], d["date"], d["remind_days_before"]) for d in listed] == [
        ("custom", "2020-02-29", 7),
        ("anniversary", "--06-21", None),
    ]
    assert people("date", "rm", "ada", str(listed[0]["id"])).exit_code == 0
    assert len(people("date", "list", "ada", "--json").json()) == 1
    assert people("date", "rm", "ada", "999").exit_code == 3


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--on", "2021-02-29"], "date"),
        (["--on", "1990"], "year alone"),
        (["--kind", "custom", "--on", "--01-01"], "needs a --label"),
        (["--kind", "wedding", "--on", "--01-01"], "unknown date kind"),
        (["--on", "--01-01", "--remind", "soonish"], "invalid duration"),
    ],
)
def test_dates_bad_input(people, args, needle):
    result = people("date", "add", "ada", *args)
    assert result.exit_code == 5, result.stderr
    assert needle in result.stderr
    assert people("date", "list", "ada", "--json").json() == []
