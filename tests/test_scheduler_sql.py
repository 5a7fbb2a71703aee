"""The scheduler's lists computed inside SQLite (due, drift; balance is in
test_fast_paths.py) equal the scheduler's pure functions applied contact by contact,
for random databases, days, zones and options: the same people, in the same order,
with the same numbers, and the JSON SQLite writes equals ``json.dumps`` of the items.
Also: the triggers that keep each contact's tag cadence (migration 0005) follow every
way tags change."""

from __future__ import annotations

import json
import random
import sqlite3
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from lrm_cli import scheduler
from lrm_cli.clock import Clock
from lrm_cli.scheduler import SchedulerSettings
from lrm_cli.services import lists
from lrm_cli.services import schedule as service
from lrm_cli.services import stats as stats_service
from lrm_cli.store import schedule as store
from lrm_cli.store import sqljson
from lrm_cli.store import stats as stats_store
from lrm_cli.store.db import Database

ZONES = ["Europe/London", "America/St_Johns", "Australia/Lord_Howe", "Pacific/Apia", "UTC"]
NAMES = ["Ada", "ada", "Émile", "Zoë", "Bob", "王", 'Q"uote\\', "tab\there", "Ωmega"]


def _build(path: Path, seed: int, today: date) -> Database:
    """A database of a dozen contacts with explicit, tag and inferred cadences, snoozes,
    archives, and interactions (some in the future) around ``today``."""
    rng = random.Random(seed)
    db = Database(path)
    base = int(datetime(today.year, today.month, today.day).timestamp())
    with db.write() as conn:
        for tid, cadence in enumerate([7, 30, None, 90], start=1):
            conn.execute(
                "INSERT INTO tag (id, name, cadence_days) VALUES (?, ?, ?)",
                (tid, f"t{tid}", cadence),
            )
        iid = 0
        # a few creation times shared by several contacts: ties that the name breaks
        moments = [base - rng.randint(0, 4000) * 86400 - rng.randint(0, 86399) for _ in range(3)]
        for cid in range(1, 13):
            created = rng.choice(moments)
            conn.execute(
                "INSERT INTO contact (id, uid, display_name, cadence_days, snoozed_until,"
                " archived_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    cid,
                    f"u{cid}",
                    rng.choice(NAMES),
                    rng.choice([None, 1, 7, 7, 7, 7, 30, 365]),
                    rng.choice([None, None, None, (today + timedelta(days=rng.randint(-5, 5)))]),
                    rng.choice([None, None, None, None, created]),
                    created,
                    created,
                ),
            )
            for tid in rng.sample(range(1, 5), rng.randint(0, 2)):
                conn.execute(
                    "INSERT INTO contact_tag (contact_id, tag_id) VALUES (?, ?)", (cid, tid)
                )
            for _ in range(rng.choice([0, 0, 0, 1, 3, 6])):
                iid += 1
                ts = base + rng.randint(-3000, 3) * 86400 + rng.randint(0, 86399)
                initiator = rng.choice(["me", "them", "mutual"])
                conn.execute(
                    "INSERT INTO interaction (id, uid, occurred_at, kind, initiator, created_at)"
                    " VALUES (?, ?, ?, 'call', ?, ?)",
                    (iid, f"i{iid}", ts, initiator, ts),
                )
                conn.execute(
                    "INSERT INTO interaction_participant (interaction_id, contact_id,"
                    " occurred_at, initiator) VALUES (?, ?, ?, ?)",
                    (iid, cid, ts, initiator),
                )
        ids = [r[0] for r in conn.execute("SELECT id FROM contact")]
        stats_service.recompute(conn, ids, SchedulerSettings())
    return db


def _reference(db: Database, clock: Clock, within: int, tag: str | None) -> list[dict]:
    """Contact by contact, with the show command's row (tag cadence by subquery) and
    ``scheduler.due_status``; ranked as DESIGN says."""
    found = []
    with db.read() as conn:
        ids = [r[0] for r in conn.execute("SELECT id FROM contact")]
        tagged = {
            r[0]
            for r in conn.execute(
                "SELECT ct.contact_id FROM contact_tag ct JOIN tag t ON t.id = ct.tag_id"
                " WHERE t.name = ?",
                (tag,),
            )
        }
        for cid in ids:
            if tag is not None and cid not in tagged:
                continue
            row = store.tracked(conn, cid)
            item = service._due_item(row, clock.today, clock.zone)
            if item is not None and scheduler.is_due(item.due, within):
                found.append(item)
    found.sort()
    return [i.as_json() for i in found]


@settings(max_examples=60, deadline=None)
@given(
    seed=st.integers(0, 100_000),
    zone=st.sampled_from(ZONES),
    day_offset=st.integers(-400, 400),
    within=st.sampled_from([None, "3d", "2w", "400d"]),
    tag=st.sampled_from([None, "t1", "t2", "t4"]),
    limit=st.sampled_from([None, 1, 3]),
)
def test_due_in_sql_equals_the_scheduler(
    tmp_path_factory, seed, zone, day_offset, within, tag, limit
) -> None:
    today = date(2026, 11, 29) + timedelta(days=day_offset)
    db = _build(tmp_path_factory.mktemp("due") / "lrm.sqlite3", seed, today)
    clock = Clock.pinned(today, ZoneInfo(zone))
    s = SchedulerSettings()
    within_days = int(within[:-1]) * (7 if within and within.endswith("w") else 1) if within else 0
    expected = _reference(db, clock, within_days, tag)
    items, total = service.due_page(db, clock, s, within=within, tag=tag, limit=limit)
    assert total == len(expected)
    shown = expected[:limit] if limit else expected
    assert [i.as_json() for i in items] == shown
    text = lists.due_json(db, clock, s, within=within, tag=tag, limit=limit)
    if not shown:
        assert text is None
    else:
        dumped = [json.dumps(item, ensure_ascii=False, separators=(",", ":")) for item in shown]
        assert text.decode() == ",\n  ".join(dumped)
    db.close()


@given(days_since=st.integers(-5000, 50_000), cadence=st.integers(1, 3650))
def test_urgency_in_sql_is_the_scheduler_s_half_up_thousandths(days_since, cadence) -> None:
    conn = sqlite3.connect(":memory:")
    sql = (
        "SELECT (2000 * ?1 + ?2 + 2000000000000 * ?2) / (2 * ?2) - 1000000000000,"
        " json_object('u', ((2000 * ?1 + ?2 + 2000000000000 * ?2) / (2 * ?2) - 1000000000000)"
        " / 1000.0)"
    )
    milli, text = conn.execute(sql, (days_since, cadence)).fetchone()
    assert milli == scheduler.urgency_milli(days_since, cadence)
    exact = days_since / cadence * 1000
    assert exact - 0.5 <= milli <= exact + 0.5  # to the nearest thousandth
    assert text == json.dumps({"u": milli / 1000}, separators=(",", ":"))


def test_group_concat_keeps_the_order_of_an_ordered_subquery() -> None:
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE t (k INTEGER, v TEXT)")
    rng = random.Random(7)
    rows = [(rng.randint(0, 10**6), f"v{i}") for i in range(20_000)]
    conn.executemany("INSERT INTO t VALUES (?, ?)", rows)
    joined = sqljson.joined(conn, "SELECT v AS t FROM (SELECT * FROM t ORDER BY k DESC, v)")
    expected = [v for _, v in sorted(rows, key=lambda r: (-r[0], r[1]))]
    assert joined.decode() == ",\n  ".join(expected)
    assert sqljson.joined(conn, "SELECT v AS t FROM t WHERE k < 0") is None


def _tag_cadences(db: Database) -> dict[int, int | None]:
    with db.read() as conn:
        kept = dict(conn.execute("SELECT id, tag_cadence_days FROM contact"))
        computed = dict(
            conn.execute(
                "SELECT c.id, (SELECT min(t.cadence_days) FROM contact_tag ct JOIN tag t"
                " ON t.id = ct.tag_id WHERE ct.contact_id = c.id AND t.cadence_days >= 1)"
                " FROM contact c"
            )
        )
    assert kept == computed
    return kept


def test_tag_cadence_column_follows_every_change(lrm, db_path) -> None:
    for name in ("Ada Lovelace", "Charles Babbage", "Mary Somerville"):
        assert lrm("add", name).exit_code == 0
    db = Database(db_path)
    assert set(_tag_cadences(db).values()) == {None}
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
        result = lrm(*step)
        assert result.exit_code == 0, (step, result.stderr)
        seen.append(_tag_cadences(db))
    assert seen[2] == {1: 14, 2: None, 3: None}
    assert seen[4] == {1: 7, 2: 7, 3: None}
    assert seen[5][1] == 14
    assert seen[6][1] is None
    assert 1 not in seen[-1]
    with db.write() as conn:  # deleting a tag cascades to its links, which fire too
        conn.execute("DELETE FROM tag WHERE name = 'work'")
    assert set(_tag_cadences(db).values()) == {None}
    db.close()


@settings(max_examples=40, deadline=None)
@given(
    counts=st.lists(
        st.tuples(st.integers(0, 12), st.integers(0, 30), st.sampled_from(NAMES), st.booleans()),
        min_size=1,
        max_size=30,
    ),
    ratio=st.sampled_from([0.5, 0.3, 1.0, 0.75, 0.1]),
    recent_days=st.sampled_from([180, 90, 7, 31]),
    previous_days=st.sampled_from([365, 180, 100]),
    limit=st.sampled_from([None, 1, 5]),
)
def test_drift_in_sql_equals_the_scheduler(
    tmp_path_factory, counts, ratio, recent_days, previous_days, limit
) -> None:
    s = SchedulerSettings(
        drift_ratio=ratio, drift_recent_days=recent_days, drift_previous_days=previous_days
    )
    db = Database(tmp_path_factory.mktemp("drift") / "lrm.sqlite3")
    with db.write() as conn:
        for cid, (recent, previous, name, archived) in enumerate(counts, start=1):
            conn.execute(
                "INSERT INTO contact (id, uid, display_name, archived_at, created_at,"
                " updated_at) VALUES (?, ?, ?, ?, 0, 0)",
                (cid, f"u{cid}", name, 1 if archived else None),
            )
            conn.execute(
                "INSERT INTO contact_stats (contact_id, interaction_count, balance_num,"
                " balance_den, stats_key, win_all, win_recent) VALUES (?, 1, 0, 0, 'k', ?, ?)",
                (cid, recent + previous, recent),
            )
        rows, total = stats_store.drift_rows(
            conn,
            min_previous=s.drift_min_previous,
            recent_days=recent_days,
            previous_days=previous_days,
            ratio=ratio,
            limit=limit,
        )
    expected = sorted(
        (scheduler.drift_order(recent, previous, s), name, cid, recent, previous)
        for cid, (recent, previous, name, archived) in enumerate(counts, start=1)
        if not archived and scheduler.drift(recent, previous, s) is not None
    )
    assert total == len(expected)
    shown = expected[:limit] if limit else expected
    assert rows == [(cid, name, recent, previous) for _, name, cid, recent, previous in shown]
    db.close()
