"""``store.stats.histories``: every contact's interactions, read in one pass for many
contacts (a restore, a changed setting) and through the (contact, time) index for a few.
Both ways must give what one query per contact gives, contacts without interactions
included, so that ``recompute`` writes the same aggregates whichever way it read."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lrm_cli.store import stats

KINDS = ("call", "message", "meeting")
INITIATORS = ("me", "them", "mutual")

interactions = st.lists(
    st.tuples(
        st.integers(0, 3_000),  # occurred_at: small, so that times tie
        st.sampled_from(KINDS),
        st.sampled_from(INITIATORS),
        st.none() | st.floats(0.1, 5),
        st.sets(st.integers(0, 11), min_size=1, max_size=3),  # participants (indexes)
    ),
    max_size=40,
)


def one_by_one(conn: sqlite3.Connection, contact_id: int) -> list[stats.HistoryRow]:
    rows = conn.execute(
        "SELECT p.occurred_at, i.initiator, i.kind, i.weight FROM interaction_participant p"
        " JOIN interaction i ON i.id = p.interaction_id WHERE p.contact_id = ?"
        " ORDER BY p.occurred_at, p.interaction_id",
        (contact_id,),
    )
    return [stats.HistoryRow(*r) for r in rows]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    items=interactions,
    contact_count=st.integers(1, 12),
    gaps=st.lists(st.integers(1, 4), min_size=12, max_size=12),
    pick=st.sets(st.integers(0, 11)),
)
def test_histories_give_what_one_query_per_contact_gives(
    template_db: Path, tmp_path_factory, items, contact_count, gaps, pick
):
    path = tmp_path_factory.mktemp("histories") / "lrm.sqlite3"
    shutil.copyfile(template_db, path)
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        ids, at = [], 0
        for gap in gaps[:contact_count]:  # ids with holes, as after deletions
            at += gap
            ids.append(at)
        conn.executemany(
            "INSERT INTO contact (id, uid, display_name, created_at, updated_at)"
            " VALUES (?, ?, ?, 0, 0)",
            [(cid, f"u{cid}", f"C{cid}") for cid in ids],
        )
        # ids falling as rows are added: the order of the rows is not the order of the ids
        for n, (when, kind, initiator, weight, who) in zip(
            range(len(items), 0, -1), items, strict=True
        ):
            conn.execute(
                "INSERT INTO interaction (id, uid, occurred_at, kind, initiator, weight,"
                " created_at) VALUES (?, ?, ?, ?, ?, ?, 0)",
                (n, f"i{n}", when, kind, initiator, weight),
            )
            conn.executemany(
                "INSERT INTO interaction_participant (interaction_id, contact_id, occurred_at,"
                " initiator) VALUES (?, ?, ?, ?)",
                [(n, cid, when, initiator) for cid in {ids[p % contact_count] for p in who}],
            )
        wanted = sorted({ids[p % contact_count] for p in pick})
        # a quarter of the contacts or more: one pass; fewer: the index (for 1 of 12)
        for chosen in (wanted, ids, ids[:1]):
            got = list(stats.histories(conn, list(reversed(chosen))))
            assert [cid for cid, _ in got] == sorted(chosen)
            for cid, rows in got:
                assert rows == one_by_one(conn, cid)
    finally:
        conn.close()


def test_both_ways_are_taken(template_db: Path, tmp_path: Path, monkeypatch):
    """The test above reaches both statements: a quarter of the contacts or more reads
    in one pass, fewer follow the index."""
    path = tmp_path / "lrm.sqlite3"
    shutil.copyfile(template_db, path)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.executemany(
        "INSERT INTO contact (id, uid, display_name, created_at, updated_at)"
        " VALUES (?, ?, ?, 0, 0)",
        [(i, f"u{i}", f"C{i}") for i in range(1, 13)],
    )
    seen: list[str] = []
    conn.set_trace_callback(seen.append)
    list(stats.histories(conn, [1, 2, 3]))
    assert any("CROSS JOIN" in s for s in seen)
    seen.clear()
    list(stats.histories(conn, [1, 2]))
    assert any("INDEXED BY" in s for s in seen) and not any("CROSS JOIN" in s for s in seen)
    conn.close()
