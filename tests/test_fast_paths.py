"""The fast paths of the scheduler's reads agree with the reference computations:
sliding-window counts moved day by day equal counts rebuilt from scratch, the JSON
SQLite writes equals ``json.dumps``, and balance lists ranked and written in SQL equal
the scheduler's items."""

from __future__ import annotations

import json
import random
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from lrm_cli.clock import Clock
from lrm_cli.scheduler import SchedulerSettings
from lrm_cli.services import stats as stats_service
from lrm_cli.services.schedule import DueItem
from lrm_cli.store import stats as store
from lrm_cli.store.db import Database

ZONES = ["Europe/London", "America/St_Johns", "Australia/Lord_Howe", "Asia/Kathmandu", "UTC"]


@given(
    name=st.text(min_size=1, max_size=30),
    milli=st.integers(-50_000, 10**9),
    overdue=st.integers(-30, 3000),
    last=st.one_of(st.none(), st.integers(-5000, 30_000)),
)
def test_json_sqlite_writes_equals_json_dumps(name, milli, overdue, last) -> None:
    """Names in any script (escapes included), days and thousandths come out of
    json_object as ``json.dumps`` writes them."""
    import sqlite3

    conn = sqlite3.connect(":memory:")
    text = conn.execute(
        "SELECT json_object('name', ?1, 'last', date(?2 * 86400, 'unixepoch'),"
        " 'overdue', ?3, 'urgency', ?4 / 1000.0)",
        (name, last, overdue, milli),
    ).fetchone()[0]
    day = None if last is None else (date(1970, 1, 1) + timedelta(days=last)).isoformat()
    expected = {"name": name, "last": day, "overdue": overdue, "urgency": milli / 1000}
    assert text == json.dumps(expected, ensure_ascii=False, separators=(",", ":"))


def test_due_items_sort_most_urgent_first() -> None:
    a = DueItem(-2.0, -10, "B", 2, None, 30, "tag", 1)
    b = DueItem(-2.0, -12, "C", 3, None, 30, "tag", 1)
    c = DueItem(-0.5, 0, "A", 1, None, 30, "tag", 1)
    assert sorted([c, a, b]) == [b, a, c]
    assert (b.urgency, b.overdue_days) == (2.0, 12)


def _log(conn, interaction_id: int, contact_ids: list[int], ts: int, initiator: str) -> None:
    conn.execute(
        "INSERT INTO interaction (id, uid, occurred_at, kind, initiator, created_at)"
        " VALUES (?, ?, ?, 'call', ?, ?)",
        (interaction_id, f"i{interaction_id}", ts, initiator, ts),
    )
    for cid in contact_ids:
        conn.execute(
            "INSERT INTO interaction_participant (interaction_id, contact_id, occurred_at,"
            " initiator) VALUES (?, ?, ?, ?)",
            (interaction_id, cid, ts, initiator),
        )


def _counts(conn) -> dict[int, tuple[int, ...]]:
    return {
        r[0]: tuple(r[1:])
        for r in conn.execute(
            "SELECT contact_id, win_all, win_recent, win_me, win_them, win_mutual"
            " FROM contact_stats ORDER BY contact_id"
        )
    }


@settings(max_examples=25, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    steps=st.lists(st.one_of(st.integers(-5, 5), st.integers(-400, 400)), max_size=6),
)
def test_windows_moved_day_by_day_equal_windows_rebuilt(
    tmp_path_factory, seed: int, steps: list[int]
) -> None:
    """Logging through fold_interaction and moving the day (forwards, backwards, far)
    always leaves the same counts as a rebuild for that day."""
    rng = random.Random(seed)
    path: Path = tmp_path_factory.mktemp("win") / "lrm.sqlite3"
    db = Database(path)
    s = SchedulerSettings()
    zone = ZoneInfo("Europe/London")
    day = date(2026, 11, 29)
    base = int(datetime(2026, 11, 29, tzinfo=UTC).timestamp())
    with db.write() as conn:
        for cid in range(1, 6):
            conn.execute(
                "INSERT INTO contact (id, uid, display_name, created_at, updated_at)"
                " VALUES (?, ?, ?, 0, 0)",
                (cid, f"u{cid}", f"P{cid}"),
            )
    iid = 0
    for step in [0, *steps]:
        day = day + timedelta(days=step)
        stats_service.ensure_windows(db, day, zone, s)
        with db.write() as conn:
            for _ in range(rng.randint(0, 15)):
                iid += 1
                ts = base + rng.randint(-800, 100) * 86400 + rng.randint(0, 86399)
                who = rng.sample(range(1, 6), rng.randint(1, 3))
                initiator = rng.choice(["me", "them", "mutual"])
                _log(conn, iid, who, ts, initiator)
                stats_service.fold_interaction(
                    conn, who, occurred_at=ts, initiator=initiator, kind="call", weight=None,
                    settings=s,
                )  # fmt: skip
        with db.read() as conn:
            moved = _counts(conn)
        with db.write() as conn:
            store.rebuild_windows(conn, stats_service.target_window(day, zone, s))
            rebuilt = _counts(conn)
            # and the windowed view agrees with the reference range query
            w = stats_service.target_window(day, zone, s)
            reference = store.window_counts(
                conn,
                previous_start=w.previous_start,
                recent_start=w.recent_start,
                counts_start=w.counts_start,
                end=w.end_at,
            )
            assert store.windowed(conn) == {k: v for k, v in reference.items()}
        assert moved == rebuilt
    db.close()


def test_windows_follow_the_day_through_the_cli(lrm) -> None:
    """balance and drift see the same counts whatever day they ran on before."""
    lrm("add", "Ada Lovelace")
    for when in ("2026-11-20", "2026-06-01", "2025-12-01", "2025-09-01", "2025-08-01"):
        lrm("log", "Ada", "--kind", "call", "--when", when, "--initiator", "them")
    first = lrm("balance", "--json").json()
    assert lrm("--today", "2025-01-01", "balance", "--json").exit_code == 0
    assert lrm("balance", "--json").json() == first
    assert first[0]["initiated_by_them"] == 3  # the last 365 days


def test_clock_pinned_is_noon_local() -> None:
    clock = Clock.pinned(date(2026, 3, 29), ZoneInfo("Europe/London"))
    assert clock.today == date(2026, 3, 29)


@settings(max_examples=20, deadline=None)
@given(
    sums=st.lists(
        st.tuples(
            st.floats(-50, 50, allow_nan=False),
            st.floats(0.001, 50, allow_nan=False),
            st.integers(0, 12),
            st.sampled_from(["Ada", "ada", "Émile", "Zoë", "Bob", "王"]),
        ),
        min_size=1,
        max_size=25,
    )
)
def test_most_one_sided_in_sql_ranks_as_python_would(tmp_path_factory, sums) -> None:
    from lrm_cli.services.schedule import balance_items

    db = Database(tmp_path_factory.mktemp("one") / "lrm.sqlite3")
    with db.write() as conn:
        for cid, (num, den, count, name) in enumerate(sums, start=1):
            num = max(-den * 1.0000001, min(den * 1.0000001, num))  # |num/den| about <= 1
            conn.execute(
                "INSERT INTO contact (id, uid, display_name, created_at, updated_at)"
                " VALUES (?, ?, ?, 0, 0)",
                (cid, f"u{cid}", name),
            )
            conn.execute(
                "INSERT INTO contact_stats (contact_id, interaction_count, balance_num,"
                " balance_den, stats_key) VALUES (?, ?, ?, ?, 'k')",
                (cid, count, num, den),
            )
        s = SchedulerSettings()
        expected = sorted(
            i
            for i in balance_items(store.balance_rows(conn), s)
            if i.interaction_count >= 3 and abs(i.balance or 0) >= s.balanced_threshold
        )[:5]
        got = balance_items(
            store.most_one_sided(conn, threshold=s.balanced_threshold, min_interactions=3, limit=5),
            s,
        )
    assert got == expected
    db.close()


def test_month_days_cover_the_window_and_29_february() -> None:
    from lrm_cli.services.schedule import _month_days

    assert _month_days(date(2026, 12, 30), 3) == ["01-01", "01-02", "12-30", "12-31"]
    assert "02-29" in _month_days(date(2027, 2, 20), 8)  # 28 February 2027 is in it
    assert _month_days(date(2026, 1, 1), 400) is None


@settings(max_examples=20, deadline=None)
@given(
    sums=st.lists(
        st.tuples(
            st.one_of(st.floats(-50, 50, allow_nan=False), st.sampled_from([0.0625, -0.0625, 1.0])),
            st.one_of(st.floats(0.001, 50, allow_nan=False), st.just(0.0), st.just(1.0)),
            st.sampled_from(["Ada", "ada", "Émile", "Zoë", "Bob", "王"]),
        ),
        min_size=1,
        max_size=25,
    ),
    limit=st.one_of(st.none(), st.integers(1, 5)),
)
def test_balance_json_in_sql_equals_the_items_json(tmp_path_factory, sums, limit) -> None:
    from lrm_cli.services.lists import balance_json
    from lrm_cli.services.schedule import balances

    db = Database(tmp_path_factory.mktemp("bal") / "lrm.sqlite3")
    with db.write() as conn:
        for cid, (num, den, name) in enumerate(sums, start=1):
            conn.execute(
                "INSERT INTO contact (id, uid, display_name, created_at, updated_at)"
                " VALUES (?, ?, ?, 0, 0)",
                (cid, f"u{cid}", name),
            )
            conn.execute(
                "INSERT INTO contact_stats (contact_id, interaction_count, balance_num,"
                " balance_den, stats_key) VALUES (?, 1, ?, ?, ?)",
                (cid, num, den, stats_service.stats_key(SchedulerSettings())),
            )
    clock = Clock.pinned(date(2026, 11, 29), ZoneInfo("UTC"))
    s = SchedulerSettings()
    expected = [
        json.dumps(i.as_json(), ensure_ascii=False, separators=(",", ":"))
        for i in balances(db, clock, s)
    ]
    shown = expected[:limit] if limit else expected
    assert balance_json(db, clock, s, limit).decode() == ",\n  ".join(shown)
    db.close()


@settings(max_examples=30, deadline=None)
@given(
    names=st.lists(
        st.text(alphabet="aAbBzZ _-ÉéßöÖ王Ωω1", min_size=1, max_size=5), min_size=1, max_size=30
    ),
    reverse=st.booleans(),
)
def test_list_sorted_by_name_in_python_matches_sqlite(tmp_path_factory, names, reverse) -> None:
    from lrm_cli.store import contacts

    db = Database(tmp_path_factory.mktemp("sort") / "lrm.sqlite3")
    with db.write() as conn:
        for cid, name in enumerate(names, start=1):
            conn.execute(
                "INSERT INTO contact (id, uid, display_name, created_at, updated_at)"
                " VALUES (?, ?, ?, 0, 0)",
                (cid, f"u{cid}", name),
            )
        direction = "DESC NULLS FIRST" if reverse else "ASC NULLS LAST"
        expected = [
            r[0]
            for r in conn.execute(
                f"SELECT id FROM contact ORDER BY display_name {direction}, display_name, id"
            )
        ]
        got = [r.id for r in contacts.list_contacts(conn, sort="name", reverse=reverse)]
    assert got == expected
    db.close()
