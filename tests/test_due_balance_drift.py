"""The rules over many contacts (store/scheduler_sql.py: cadence in force, due, urgency,
ranking, balance and its label, one-sided, drift, window counts), through the CLI, against
values worked out by hand in the comments or counted naively here. Also: `show` answers
with the lists' own statements; reads write nothing (they answer from a read-only file and
while another process holds the write lock); the tag cadence that triggers keep on each
contact follows every way tags change; SQLite writes JSON as ``json.dumps`` does."""

from __future__ import annotations

import json
import os
import random
import sqlite3
import subprocess
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

TODAY = date(2026, 11, 29)  # conftest's LRM_TODAY; the zone is Europe/London


def ok(lrm, *args: str):
    result = lrm(*args)
    assert result.exit_code == 0, (args, result.stderr)
    return result


def log(lrm, who: str, when: str, initiator: str = "me", kind: str = "call", *more: str):
    ok(lrm, "log", who, "--when", when, "--initiator", initiator, "--kind", kind, *more)


def by_name(items: list[dict]) -> dict[str, dict]:
    return {item["name"]: item for item in items}


# --- cadence in force --------------------------------------------------------------------------


def test_the_smallest_tag_cadence_wins_and_a_contact_s_own_wins_over_tags(lrm) -> None:
    ok(lrm, "--today", "2026-10-01", "add", "Ada Lovelace", "-t", "close", "-t", "work")
    ok(lrm, "--today", "2026-10-01", "add", "Charles Babbage", "-t", "work", "--cadence", "60d")
    ok(lrm, "tag", "cadence", "close", "30d")
    ok(lrm, "tag", "cadence", "work", "14d")
    due = by_name(ok(lrm, "due", "--json").json())
    # Ada: tags of 30 and 14 days -> 14; created 2026-10-01 + 14 = 2026-10-15, 45 days ago
    assert due["Ada Lovelace"]["cadence_days"] == 14
    assert due["Ada Lovelace"]["cadence_source"] == "tag"
    assert (due["Ada Lovelace"]["due_on"], due["Ada Lovelace"]["overdue_days"]) == (
        "2026-10-15",
        45,
    )
    # Charles: his own 60 days beat work's 14: 2026-10-01 + 60 = 2026-11-30, not yet due
    assert "Charles Babbage" not in due
    ada = ok(lrm, "cadence", "ada", "--json").json()["cadence"]
    assert ada == {"days": 14, "source": "tag", "tag": "work", "inferred_from": None}
    assert ok(lrm, "show", "ada", "--json").json()["cadence"] == ada
    charles = ok(lrm, "show", "charles", "--json").json()
    assert charles["cadence"]["source"] == "explicit" and charles["due"]["due_on"] == "2026-11-30"


def test_a_tag_cadence_below_one_day_counts_as_unset(lrm, db_path: Path) -> None:
    ok(lrm, "--today", "2026-10-01", "add", "Ada Lovelace", "-t", "close", "-t", "work")
    ok(lrm, "tag", "cadence", "close", "30d")
    ok(lrm, "tag", "cadence", "work", "14d")
    with sqlite3.connect(db_path) as conn:  # as an import from elsewhere could leave it
        conn.execute("UPDATE tag SET cadence_days = 0 WHERE name = 'work'")
    (ada,) = ok(lrm, "due", "--json").json()
    assert (ada["cadence_days"], ada["cadence_source"]) == (30, "tag")
    shown = ok(lrm, "cadence", "ada", "--json").json()["cadence"]
    assert (shown["days"], shown["tag"]) == (30, "close")


def test_inferred_cadence_and_its_source(lrm) -> None:
    ok(lrm, "--today", "2026-01-01", "add", "Ada Lovelace")
    for day in ("2026-09-01", "2026-09-21", "2026-10-11"):  # gaps of 20 days
        log(lrm, "ada", day)
    (ada,) = ok(lrm, "due", "--json").json()
    # 2026-10-11 + 20 = 2026-10-31, 29 days ago; urgency 49 / 20 = 2.45
    assert ada == {
        "id": 1,
        "name": "Ada Lovelace",
        "last_contact": "2026-10-11",
        "cadence_days": 20,
        "cadence_source": "inferred",
        "due_on": "2026-10-31",
        "overdue_days": 29,
        "urgency": 2.45,
    }
    shown = ok(lrm, "cadence", "ada", "--json").json()["cadence"]
    assert shown == {"days": 20, "source": "inferred", "tag": None, "inferred_from": 3}


# --- due --------------------------------------------------------------------------------------


def test_due_days_urgency_and_order(lrm) -> None:
    for name, cadence in (("Ada", "30d"), ("Bea", "16d"), ("Cy", "16d"), ("Dee", "3d")):
        ok(lrm, "--today", "2026-11-01", "add", name, "--cadence", cadence)
    log(lrm, "ada", "2026-10-20")  # 40 days since / 30 = 1.333; due 2026-11-19, 10 days ago
    log(lrm, "bea", "2026-11-28")  # 1 / 16 = 0.0625 -> 0.063 (half up); due in 15 days
    log(lrm, "cy", "2026-11-28")
    log(lrm, "dee", "2026-11-26")  # 3 / 3 = 1.0, due today
    everyone = ok(lrm, "due", "--within", "15", "--json").json()
    assert [(d["name"], d["urgency"], d["overdue_days"], d["due_on"]) for d in everyone] == [
        ("Ada", 1.333, 10, "2026-11-19"),
        ("Dee", 1.0, 0, "2026-11-29"),
        ("Bea", 0.063, -15, "2026-12-14"),  # a tie with Cy: by name
        ("Cy", 0.063, -15, "2026-12-14"),
    ]
    assert [d["name"] for d in ok(lrm, "due", "--json").json()] == ["Ada", "Dee"]
    assert [d["name"] for d in ok(lrm, "due", "--within", "14", "--json").json()] == ["Ada", "Dee"]
    assert [d["name"] for d in ok(lrm, "due", "-n", "1", "--json").json()] == ["Ada"]
    assert ok(lrm, "show", "bea", "--json").json()["due"] == everyone[2]


def test_urgency_of_a_contact_logged_ahead_rounds_half_up(lrm) -> None:
    ok(lrm, "--today", "2026-11-01", "add", "Ada", "--cadence", "16d")
    ok(lrm, "--today", "2026-11-01", "add", "Bob", "--cadence", "3d")
    log(lrm, "ada", "2026-11-30", "me", "call", "--future")  # -1/16 = -0.0625 -> -0.062
    log(lrm, "bob", "2026-11-30", "me", "call", "--future")  # -1/3 = -0.333...
    shown = by_name(ok(lrm, "due", "--within", "30", "--json").json())
    assert (shown["Ada"]["urgency"], shown["Ada"]["overdue_days"]) == (-0.062, -17)
    assert (shown["Bob"]["urgency"], shown["Bob"]["overdue_days"]) == (-0.333, -4)


def test_snoozed_and_archived_contacts_are_not_due(lrm) -> None:
    for name in ("Ada", "Bob", "Cy"):
        ok(lrm, "--today", "2026-10-01", "add", name, "--cadence", "7d")
    ok(lrm, "snooze", "ada", "--until", "2026-12-05")
    ok(lrm, "archive", "bob")
    assert [d["name"] for d in ok(lrm, "due", "--json").json()] == ["Cy"]
    assert ok(lrm, "show", "ada", "--json").json()["due"] is None
    assert ok(lrm, "show", "bob", "--json").json()["due"] is None
    # on the day the snooze ends, Ada is due again
    assert [d["name"] for d in ok(lrm, "--today", "2026-12-05", "due", "--json").json()] == [
        "Ada",
        "Cy",
    ]


# --- balance ----------------------------------------------------------------------------------


def test_balance_example_of_design(lrm) -> None:
    ok(lrm, "add", "Ada")
    log(lrm, "ada", "2026-11-29", "me", "call")  # s*w*d = 1, w*d = 1
    log(lrm, "ada", "2026-06-02", "them", "gift")  # 180 days old: -1*2*0.5 = -1, w*d = 1
    (ada,) = ok(lrm, "balance", "--json").json()
    assert (ada["balance"], ada["label"]) == (0.0, "balanced")  # 0 / 2
    assert (ada["initiated_by_me"], ada["initiated_by_them"], ada["mutual"]) == (1, 1, 0)


@pytest.mark.parametrize(
    ("rows", "value", "label"),
    [
        # every interaction at one instant, so no decay between them: (sum s*w) / (sum w)
        ([("me", "call")] * 3 + [("them", "call")] * 2, 0.2, "you_give_more"),  # 1 / 5
        ([("them", "call")] * 3 + [("me", "call")] * 2, -0.2, "they_give_more"),
        ([("me", "favor"), ("them", "call"), ("mutual", "gift")], 0.2, "you_give_more"),  # 1/5
        ([("me", "call")] + [("mutual", "call")] * 4 + [("mutual", "message")], 0.182, "balanced"),
        ([("them", "message")] + [("mutual", "email")] * 4, -0.2, "they_give_more"),
    ],
)
@pytest.mark.parametrize("when", ["2026-02-13 00:00", "2026-11-20 10:00"])
def test_a_balance_of_exactly_the_threshold_is_not_balanced(lrm, rows, value, label, when) -> None:
    """DESIGN §3: |balance| < 0.2 is balanced, so 0.2 itself is not (2026-02-13 00:00 UTC
    is 53 half-lives after the epoch: the sums are exact there; elsewhere they are not)."""
    ok(lrm, "add", "Ada")
    ok(lrm, "add", "Bob")
    log(lrm, "bob", "2026-11-01", "me", "call")  # 1.0: one-sided, first in the lists
    for initiator, kind in rows:
        log(lrm, "ada", when, initiator, kind)
    listed = ok(lrm, "balance", "--json").json()
    assert [(b["name"], b["balance"], b["label"]) for b in listed] == [
        ("Bob", 1.0, "you_give_more"),
        ("Ada", value, label),
    ]
    assert ok(lrm, "balance", "ada", "--json").json() == [listed[1]]
    assert ok(lrm, "show", "ada", "--json").json()["balance"] == listed[1]
    table = ok(lrm, "balance").stdout
    assert label.replace("_", " ") in table
    one_sided = by_name(ok(lrm, "digest", "--json").json()["one_sided"])
    assert ("Ada" in one_sided) == (label != "balanced")


def test_one_sided_needs_three_interactions(lrm) -> None:
    for name in ("Ada", "Bob"):
        ok(lrm, "add", name)
    for _ in range(3):
        log(lrm, "ada", "2026-11-20", "them", "call")
    for _ in range(2):
        log(lrm, "bob", "2026-11-20", "them", "call")
    one_sided = ok(lrm, "digest", "--json").json()["one_sided"]
    assert [(b["name"], b["balance"], b["label"]) for b in one_sided] == [
        ("Ada", -1.0, "they_give_more")
    ]


# --- drift ------------------------------------------------------------------------------------


def test_drift_hand_computed(lrm) -> None:
    for name in ("Ada", "Bob", "Cy", "Dot"):
        ok(lrm, "add", name)
    # the windows: recent 2026-06-03..2026-11-29 (180 days), earlier 2025-06-03..2026-06-02
    earlier = ["2025-07-01", "2025-08-01", "2025-09-01", "2025-10-01", "2025-11-01", "2026-01-01"]
    for day in earlier:
        log(lrm, "ada", day)
        log(lrm, "bob", day)
    for day in earlier[:4]:
        log(lrm, "cy", day)
    for day in earlier[:3]:
        log(lrm, "dot", day)  # 3 earlier, none since: too few to call it drift
    log(lrm, "ada", "2026-09-01")  # 1 recent: 1/180*30 = 0.17 < 0.5 * (6/365*30 = 0.49)
    for day in ("2026-07-01", "2026-08-01", "2026-09-01"):  # 3 recent: 0.5, not below
        log(lrm, "bob", day)
    # the last day of the earlier window and the first of the recent one: Cy has 5
    # earlier (5/365*30 = 0.41) and 1 recent (0.17 < 0.21): drifting
    log(lrm, "cy", "2026-06-02")
    log(lrm, "cy", "2026-06-03")
    assert ok(lrm, "drift", "--json").json() == [
        {
            "id": 1,
            "name": "Ada",
            "recent_count": 1,
            "previous_count": 6,
            "recent_rate": 0.17,
            "previous_rate": 0.49,
        },
        {
            "id": 3,
            "name": "Cy",
            "recent_count": 1,
            "previous_count": 5,
            "recent_rate": 0.17,
            "previous_rate": 0.41,
        },
    ]  # most faded first: 0.17 / 0.49 before 0.17 / 0.41
    digest = ok(lrm, "digest", "--json").json()
    assert [d["name"] for d in digest["drifting"]] == ["Ada", "Cy"]
    assert digest["totals"]["drifting"] == 2


# --- window counts move with the day, in the read ---------------------------------------------

WINDOWS_CONFIG = (
    "[scheduler]\ndrift_recent_days = 10\ndrift_previous_days = 20\nwindow_days = 15\n"
    "drift_min_previous = 1\ndrift_ratio = 1.0\n"
)


def _naive_counts(logged: list[tuple[int, int, str]], today: int) -> dict[int, dict]:
    """Per contact, from (contact, day, initiator) rows and days counted from TODAY:
    recent = days today-9..today, previous = today-29..today-10, initiators over
    today-15..today (WINDOWS_CONFIG's windows)."""
    counts: dict[int, dict] = {}
    for cid, day, who in logged:
        c = counts.setdefault(cid, {"recent": 0, "previous": 0, "me": 0, "them": 0, "mutual": 0})
        if today - 9 <= day <= today:
            c["recent"] += 1
        elif today - 29 <= day <= today - 10:
            c["previous"] += 1
        if today - 15 <= day <= today:
            c[who] += 1
    return counts


@settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    writes=st.lists(
        st.tuples(
            st.integers(-40, 10), st.integers(0, 12), st.sampled_from([1, 2, 3]), st.booleans()
        ),
        min_size=1,
        max_size=8,
    ),
    reads=st.lists(st.integers(-45, 45), min_size=1, max_size=3),
)
def test_counts_follow_the_day_asked_whatever_day_wrote_last(lrm, isolated, writes, reads):
    """Writes (logs on day w, `--today w`) move the stored base of the counts; reads on
    other days move it in their statement. Either way the counts are the naive ones."""
    (isolated / "config.toml").write_text(WINDOWS_CONFIG)
    day = lambda n: (TODAY + timedelta(days=n)).isoformat()  # noqa: E731
    if not ok(lrm, "list", "--json").json():
        for name in ("Ada", "Bob", "Cy"):
            ok(lrm, "--today", day(-100), "add", name)
    logged = [
        (r[0], (date.fromisoformat(r[1]) - TODAY).days, r[2])
        for r in _logged(isolated / "data" / "lrm.sqlite3")
    ]
    for write_day, back, cid, mine in writes:
        who = "me" if mine else "them"
        ok(lrm, "--today", day(write_day), "log", str(cid), "--when", day(write_day - back),
           "--initiator", who)  # fmt: skip
        logged.append((cid, write_day - back, who))
    for read_day in reads:
        expected = _naive_counts(logged, read_day)
        balance = ok(lrm, "--today", day(read_day), "balance", "--json").json()
        assert {b["id"]: (b["initiated_by_me"], b["initiated_by_them"]) for b in balance} == {
            cid: (c["me"], c["them"]) for cid, c in expected.items()
        }
        drifting = ok(lrm, "--today", day(read_day), "drift", "--json").json()
        assert {d["id"]: (d["recent_count"], d["previous_count"]) for d in drifting} == {
            cid: (c["recent"], c["previous"])
            for cid, c in expected.items()
            if c["previous"] >= 1 and c["recent"] * 20 < c["previous"] * 10  # rate < rate
        }


def _logged(path: Path) -> list[tuple[int, str, str]]:
    """(contact, local day, initiator) of what earlier examples logged (hypothesis reuses
    the test's database); interactions are logged at noon, so the UTC day is the day."""
    with sqlite3.connect(path) as conn:
        return conn.execute(
            "SELECT contact_id, date(occurred_at, 'unixepoch'), initiator"
            " FROM interaction_participant"
        ).fetchall()


# --- reads write nothing -----------------------------------------------------------------------

READS = (
    ("digest", "--json"),
    ("balance", "--json"),
    ("balance", "ada", "--json"),
    ("drift", "--json"),
    ("due", "--json"),
    ("show", "ada", "--json"),
)


@pytest.fixture
def book_of_an_earlier_day(lrm, db_path: Path):
    """A book last written on 2026-11-01: its stored counts are for that day's windows,
    four weeks before the reads' today."""
    ok(lrm, "--today", "2026-01-01", "add", "Ada Lovelace", "--cadence", "30d")
    for day, who in (("2025-11-15", "me"), ("2026-02-01", "them"), ("2026-03-01", "them")):
        ok(lrm, "--today", "2026-11-01", "log", "ada", "--when", day, "--initiator", who)
    for day in ("2026-06-01", "2026-10-15"):
        ok(lrm, "--today", "2026-11-01", "log", "ada", "--when", day, "--initiator", "me")
    return lrm


def _window_anchor(path: Path) -> tuple:
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
        return conn.execute("SELECT * FROM stats_window").fetchall()


def test_reads_move_the_windows_in_the_read_only(book_of_an_earlier_day, db_path) -> None:
    lrm = book_of_an_earlier_day
    before = _window_anchor(db_path)
    (ada,) = ok(lrm, "balance", "--json").json()
    # the last 365 days from 2026-11-29: 2026-02-01 and 2026-03-01 by them, 2026-06-01 and
    # 2026-10-15 by me (2025-11-15 fell out of the window since 2026-11-01)
    assert (ada["initiated_by_me"], ada["initiated_by_them"]) == (2, 2)
    for args in READS:
        ok(lrm, *args)
    assert _window_anchor(db_path) == before


def test_reads_answer_while_another_process_holds_the_write_lock(
    book_of_an_earlier_day, db_path
) -> None:
    lrm = book_of_an_earlier_day
    expected = {args: ok(lrm, *args).stdout for args in READS}
    writer = sqlite3.connect(db_path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # e.g. a long import
    try:
        for args in READS:
            assert ok(lrm, *args).stdout == expected[args], args
    finally:
        writer.execute("ROLLBACK")
        writer.close()


@pytest.fixture
def read_only(db_path: Path):
    """Makes the database file read-only (0400; for root, which chmod does not stop,
    also immutable with chattr)."""

    def make() -> None:
        db_path.chmod(0o400)
        if os.geteuid() == 0:
            done = subprocess.run(["chattr", "+i", str(db_path)], capture_output=True)
            if done.returncode != 0:
                pytest.skip("cannot make a file read-only for root here (chattr)")

    yield make
    if os.geteuid() == 0:
        subprocess.run(["chattr", "-i", str(db_path)], capture_output=True)
    db_path.chmod(0o600)


def test_reads_answer_from_a_read_only_database(book_of_an_earlier_day, db_path, read_only):
    lrm = book_of_an_earlier_day
    expected = {args: ok(lrm, *args).stdout for args in READS}
    read_only()
    with pytest.raises(OSError):
        db_path.open("r+b")
    for args in READS:
        assert ok(lrm, *args).stdout == expected[args], args
    digest = json.loads(expected[("digest", "--json")])
    assert [d["name"] for d in digest["due"]] == ["Ada Lovelace"]  # 2026-10-15 + 30 days


# --- the tag cadence kept on each contact (migration 0005's triggers) -------------------------


def _tag_cadences(path: Path) -> dict[int, int | None]:
    with sqlite3.connect(path) as conn:
        return dict(conn.execute("SELECT id, tag_cadence_days FROM contact"))


def test_the_tag_cadence_follows_every_change_of_tags(lrm, db_path: Path) -> None:
    for name in ("Ada Lovelace", "Charles Babbage", "Mary Somerville"):
        ok(lrm, "add", name)
    assert set(_tag_cadences(db_path).values()) == {None}
    steps = [
        ("tag", "cadence", "close", "14d"),
        ("tag", "cadence", "work", "90d"),
        ("tag", "add", "Ada", "close", "work"),
        ("tag", "add", "Charles", "work"),
        ("tag", "cadence", "work", "7d"),  # now smaller than close's
        ("tag", "rm", "Ada", "work"),
        ("tag", "cadence", "close", "--clear"),
        ("tag", "add", "Mary", "close", "work"),
        ("merge", "Charles", "Mary", "--yes"),  # links move to the kept contact
        ("forget", "Ada", "--yes"),
    ]
    seen = []
    for step in steps:
        ok(lrm, *step)
        seen.append(_tag_cadences(db_path))
    assert seen[2] == {1: 14, 2: None, 3: None}  # Ada: close 14, work 90 -> 14
    assert seen[3] == {1: 14, 2: 90, 3: None}
    assert seen[4] == {1: 7, 2: 7, 3: None}
    assert seen[5][1] == 14
    assert seen[6][1] is None
    assert seen[7] == {1: None, 2: 7, 3: 7}
    assert 1 not in seen[-1]
    with sqlite3.connect(db_path) as conn:  # deleting a tag cascades to its links
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("DELETE FROM tag WHERE name = 'work'")
    assert set(_tag_cadences(db_path).values()) == {None}


# --- JSON written by SQLite ---------------------------------------------------------------------


@given(
    name=st.text(min_size=1, max_size=30),
    milli=st.integers(-50_000, 10**9),
    overdue=st.integers(-30, 3000),
    last=st.one_of(st.none(), st.integers(-5000, 30_000)),
)
def test_json_sqlite_writes_equals_json_dumps(name, milli, overdue, last) -> None:
    """Names in any script (escapes included), days and thousandths come out of
    json_object as ``json.dumps`` writes them (the lists' JSON is SQLite's)."""
    conn = sqlite3.connect(":memory:")
    text = conn.execute(
        "SELECT json_object('name', ?1, 'last', date(?2 * 86400, 'unixepoch'),"
        " 'overdue', ?3, 'urgency', ?4 / 1000.0)",
        (name, last, overdue, milli),
    ).fetchone()[0]
    day = None if last is None else (date(1970, 1, 1) + timedelta(days=last)).isoformat()
    expected = {"name": name, "last": day, "overdue": overdue, "urgency": milli / 1000}
    assert text == json.dumps(expected, ensure_ascii=False, separators=(",", ":"))


def test_group_concat_keeps_the_order_of_an_ordered_subquery() -> None:
    from lrm_cli.store import sqljson

    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE t (k INTEGER, v TEXT)")
    rng = random.Random(7)
    rows = [(rng.randint(0, 10**6), f"v{i}") for i in range(20_000)]
    conn.executemany("INSERT INTO t VALUES (?, ?)", rows)
    joined = sqljson.joined(conn, "SELECT v AS t FROM (SELECT * FROM t ORDER BY k DESC, v)")
    expected = [v for _, v in sorted(rows, key=lambda r: (-r[0], r[1]))]
    assert joined.decode() == ",\n  ".join(expected)
    assert sqljson.joined(conn, "SELECT v AS t FROM t WHERE k < 0") is None
