"""The facts the digest shows beside each person due (services/reach_out.py and
store/reach_out.py): the right rows, and a fixed number of statements however many people
are shown (one per kind of fact over their ids, never one per person)."""

from __future__ import annotations

from datetime import date

from lrm_cli.clock import Clock
from lrm_cli.scheduler import SchedulerSettings
from lrm_cli.services import reach_out
from lrm_cli.services.schedule import due_page
from lrm_cli.store import reach_out as store
from lrm_cli.store.db import Database


def _people(lrm, count: int) -> None:
    for n in range(count):
        name = f"Person {n:02d}"
        lrm(
            "add",
            name,
            "--cadence",
            "7d",
            "--email",
            f"p{n}@example.org",
            "--phone",
            f"+4420794600{n:02d}",
        )
        lrm("log", name, "--kind", "call", "--initiator", "them", "--when", "2026-10-01")
        lrm("log", name, "--kind", "email", "--initiator", "me", "--when", "2026-10-02")
        lrm("note", name, f"pinned {n}", "--pin")


def _statements(db: Database, ids_shown: int) -> tuple[int, dict]:
    clock = Clock.pinned(date(2026, 11, 29), None)
    settings = SchedulerSettings()
    due, _total = due_page(db, clock, settings, limit=ids_shown)
    assert len(due) == ids_shown
    seen: list[str] = []
    db.conn.set_trace_callback(seen.append)
    try:
        found = reach_out.details(db, clock, settings, due, [], [])
    finally:
        db.conn.set_trace_callback(None)
    return len([s for s in seen if s.lstrip().upper().startswith(("SELECT", "WITH"))]), found


def test_one_statement_per_kind_of_fact_whatever_the_number_shown(lrm, db_path):
    _people(lrm, 6)
    db = Database(db_path)
    try:
        one, found_one = _statements(db, 1)
        six, found_six = _statements(db, 6)
    finally:
        db.close()
    assert one == six == 8  # last interaction, pinned note, notes since, methods, channel,
    # the balance (its windows, then its rows), and the tag a cadence comes from
    assert len(found_one) == 1 and len(found_six) == 6
    detail = next(iter(found_six.values()))
    assert detail.facts.last is not None and detail.facts.last.kind == "email"
    assert detail.pinned_note.startswith("pinned ")
    assert detail.reach is not None and (detail.reach.kind, detail.reach.source) == (
        "email",
        "last_used",
    )


def test_the_channel_is_the_newest_one_they_have_a_method_for(lrm, db_path):
    lrm("add", "Phone Only", "--phone", "+442079460000")
    lrm("add", "Nothing", "--cadence", "7d")
    lrm("log", "phone", "--kind", "call", "--when", "2026-09-01")
    lrm("log", "phone", "--kind", "email", "--when", "2026-10-01")  # no email on file
    lrm("log", "phone", "--kind", "meeting", "--when", "2026-11-01")  # no channel
    lrm("log", "nothing", "--kind", "call", "--when", "2026-11-01")
    db = Database(db_path)
    try:
        with db.read() as conn:
            from lrm_cli.nextstep import CHANNELS

            assert store.last_channels(conn, [1, 2], CHANNELS) == {1: "call"}
            assert store.last_channels(conn, [], CHANNELS) == {}
        with db.write() as conn:
            conn.execute("UPDATE contact_method SET is_preferred = 1 WHERE contact_id = 1")
        with db.read() as conn:
            assert store.last_channels(conn, [1, 2], CHANNELS) == {}  # preferred decides
            last = store.last_interactions(conn, [1, 2, 99])
            assert {cid: row.kind for cid, row in last.items()} == {1: "meeting", 2: "call"}
            assert store.pinned_notes(conn, [1, 2]) == {}
            assert store.methods(conn, [2]) == {}
    finally:
        db.close()


def test_the_newest_pinned_note_only(lrm, db_path):
    lrm("add", "Ada")
    lrm("note", "ada", "old pinned", "--pin")
    lrm("note", "ada", "new pinned", "--pin")
    lrm("note", "ada", "newest, not pinned")
    db = Database(db_path)
    try:
        with db.read() as conn:
            assert store.pinned_notes(conn, [1]) == {1: "new pinned"}
    finally:
        db.close()


def _due_ada(lrm, *args: str) -> dict:
    result = lrm("digest", "--json", *args)
    assert result.exit_code == 0, result.stderr
    (ada,) = [item for item in result.json()["due"] if item["name"] == "Ada"]
    return ada


def test_a_note_written_since_the_last_talk_is_shown_until_you_talk_again(lrm):
    lrm("add", "Ada", "--cadence", "7d")
    lrm("log", "ada", "--kind", "call", "--when", "2026-10-01")
    lrm("--today", "2026-10-15", "note", "ada", "moving to Lisbon in January")
    assert _due_ada(lrm)["recent_note"] == {
        "date": "2026-10-15",
        "body": "moving to Lisbon in January",
        "more": 0,
    }
    text = lrm("digest").stdout.splitlines()
    assert "      new note, 2026-10-15: moving to Lisbon in January" in text
    # the page of a day before it was written does not show it
    assert _due_ada(lrm, "--date", "2026-10-10")["recent_note"] is None
    assert _due_ada(lrm, "--date", "2026-10-15")["recent_note"] is not None
    lrm("log", "ada", "--kind", "call", "--when", "2026-10-20")  # talked since: said
    assert _due_ada(lrm)["recent_note"] is None
    assert "new note" not in lrm("digest").stdout


def test_a_pinned_note_is_not_shown_twice_and_someone_never_contacted_shows_theirs(lrm):
    lrm("--today", "2026-10-01", "add", "Ada", "--cadence", "7d")  # due a week after
    lrm("--today", "2026-10-15", "note", "ada", "met at the conference, wants a call")
    ada = _due_ada(lrm)  # never contacted: every note is since
    assert ada["last_interaction"] is None
    assert ada["recent_note"]["body"] == "met at the conference, wants a call"
    assert "      note, 2026-10-15: met at the conference, wants a call" in lrm("digest").stdout
    lrm("--today", "2026-10-16", "note", "ada", "prefers letters", "--pin")
    ada = _due_ada(lrm)  # the pinned one is said as such; the one before is still new
    assert ada["pinned_note"] == "prefers letters"
    assert ada["recent_note"]["body"] == "met at the conference, wants a call"


def test_every_note_since_the_last_talk_is_counted_not_only_the_newest(lrm):
    """Two things learnt since the last call: the newest is shown, the other is counted,
    with where to read it; a note from before the call is not counted."""
    lrm("add", "Ada", "--cadence", "7d")
    lrm("--today", "2026-09-20", "note", "ada", "before the call")
    lrm("log", "ada", "--kind", "call", "--when", "2026-10-01")
    lrm("--today", "2026-10-09", "note", "ada", "moving to Lisbon in spring")
    lrm("--today", "2026-10-10", "note", "ada", "ask about her marathon time")
    assert _due_ada(lrm)["recent_note"] == {
        "date": "2026-10-10",
        "body": "ask about her marathon time",
        "more": 1,
    }
    lines = lrm("digest").stdout.splitlines()
    at = lines.index("      new note, 2026-10-10: ask about her marathon time")
    assert lines[at + 1] == "      and 1 more note since: lrm timeline 1"
    # the page of 9 October had only the first
    assert _due_ada(lrm, "--date", "2026-10-09")["recent_note"]["more"] == 0
