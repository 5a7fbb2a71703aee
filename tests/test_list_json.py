"""``lrm list --json`` is written by SQLite (store.listing.list_json); it must equal
``json.dumps`` of the rows ``list_contacts`` returns through ``shapes.listed``, for any
data, zone, filter, sort and limit."""

from __future__ import annotations

import json
import random
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lrm_cli import shapes
from lrm_cli.store import contacts as store
from lrm_cli.store import listing
from lrm_cli.store.db import Database
from lrm_cli.store.localtime import ZoneSQL

NOW = int(datetime(2026, 11, 29, 12, tzinfo=UTC).timestamp())
NAMES = ["Ada", "ada", "Émile", "Zoë", "Bob", "王", 'Q"uote\\', "Ωmega", "bob"]
TEXTS = [None, "", "x", "Ünïcode ✓", 'say "hi"', "back\\slash", "日本"]


def _build(path: Path, seed: int) -> Database:
    rng = random.Random(seed)
    db = Database(path)
    with db.write() as conn:
        for tid, name in enumerate(["work", "close", "Zeta", "älpha"], start=1):
            conn.execute("INSERT INTO tag (id, name) VALUES (?, ?)", (tid, name))
        for cid in range(1, rng.randint(1, 14)):
            created = NOW - rng.randint(-10, 9000) * 86400 + rng.randint(0, 86399)
            conn.execute(
                "INSERT INTO contact (id, uid, display_name, given_name, family_name, nickname,"
                " organization, title, birthday, how_met, cadence_days, snoozed_until,"
                " archived_at, created_at, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    cid,
                    f"uid-{cid}",
                    rng.choice(NAMES),
                    *(rng.choice(TEXTS) for _ in range(5)),
                    rng.choice([None, "1815-12-10", "--06-21"]),
                    rng.choice(TEXTS),
                    rng.choice([None, 7, 30]),
                    rng.choice([None, "2026-12-24"]),
                    rng.choice([None, None, None, created + 5]),
                    rng.choice([created, created, created - 10**9]),  # some before 1970
                    created + rng.randint(0, 10**7),
                ),
            )
            positions = list(range(rng.randint(0, 4)))
            rng.shuffle(positions)  # inserted out of order: the list follows position
            for position in positions:
                kind = rng.choice(["email", "phone", "address"])
                conn.execute(
                    "INSERT INTO contact_method (contact_id, kind, value, position, is_preferred)"
                    " VALUES (?, ?, ?, ?, 0)",
                    (cid, kind, f"{kind}-{cid}-{position}-{rng.choice(NAMES)}", position),
                )
            for tid in rng.sample(range(1, 5), rng.randint(0, 3)):
                conn.execute(
                    "INSERT INTO contact_tag (contact_id, tag_id) VALUES (?, ?)", (cid, tid)
                )
            if rng.random() < 0.7:
                conn.execute(
                    "INSERT INTO contact_stats (contact_id, interaction_count, last_at,"
                    " balance_num, balance_den, stats_key) VALUES (?, 1, ?, 0, 0, 'k')",
                    (cid, rng.choice([None, NOW - rng.randint(0, 4000) * 86400 - 3600])),
                )
    return db


@settings(max_examples=60, deadline=None)
@given(
    seed=st.integers(0, 100_000),
    zone=st.sampled_from(["UTC", "Europe/London", "America/St_Johns", "Asia/Kathmandu"]),
    sort=st.sampled_from(list(listing.SORTS)),
    reverse=st.booleans(),
    archived=st.sampled_from(["active", "archived", "all"]),
    tag=st.sampled_from([None, "work", "älpha"]),
    search=st.sampled_from([None, "a", "ÜN", "phone", "%"]),
    limit=st.sampled_from([None, 1, 4]),
)
def test_list_json_in_sql_equals_the_python_shape(
    tmp_path_factory, seed, zone, sort, reverse, archived, tag, search, limit
) -> None:
    db = _build(tmp_path_factory.mktemp("list") / "lrm.sqlite3", seed)
    z = ZoneInfo(zone)
    filters = {"tag": tag, "search": search, "archived": archived, "sort": sort}
    filters.update(reverse=reverse, limit=limit)
    with db.read() as conn:
        rows = store.list_contacts(conn, **filters)
        text = listing.list_json(conn, ZoneSQL(z, NOW), **filters)
    expected = [
        json.dumps(shapes.listed(r, z), ensure_ascii=False, separators=(",", ":")) for r in rows
    ]
    assert (text.decode() if text else None) == (",\n  ".join(expected) if expected else None)
    db.close()


def _written(body) -> bytes:
    import io

    from lrm_cli.render.output import Output

    raw = io.BytesIO()
    out = Output("json", stdout=io.TextIOWrapper(raw, encoding="utf-8"))
    out.json_joined(body)
    out.stdout.flush()
    return raw.getvalue()


@pytest.mark.parametrize("n", [0, 1, 2, 999, 1000, 1001, 2500])
def test_a_list_written_as_it_comes_equals_the_joined_list(n):
    """``lrm list --json`` hands its objects over one by one: the text is the same as the
    joined list's, whatever the count (batches of 1,000)."""
    items = [f'{{"id":{i},"name":"Zoë {i}"}}'.encode() for i in range(n)]
    assert _written(iter(items)) == _written(b",\n  ".join(items) or None)
    assert json.loads(_written(iter(items))) == [json.loads(i) for i in items]


def test_a_long_list_is_written_before_it_is_all_read():
    """100,000 contacts are not held at once: the first objects are on stdout while later
    ones are still being read."""
    import io

    from lrm_cli.render.output import Output

    raw = io.BytesIO()
    out = Output("json", stdout=io.TextIOWrapper(raw, encoding="utf-8"))
    seen_written = []

    def rows():
        for i in range(5000):
            if i == 4000:
                seen_written.append(raw.getvalue().count(b'{"id"'))
            yield f'{{"id":{i}}}'.encode()

    out.json_joined(rows())
    assert seen_written and seen_written[0] >= 3000
    assert len(json.loads(raw.getvalue())) == 5000


def test_an_error_while_reading_leaves_stdout_empty():
    import io

    from lrm_cli.render.output import Output

    raw = io.BytesIO()
    out = Output("json", stdout=io.TextIOWrapper(raw, encoding="utf-8"))

    def rows():
        raise sqlite3.OperationalError("database is locked")
        yield b"{}"

    with pytest.raises(sqlite3.OperationalError):
        out.json_joined(rows())
    out.stdout.flush()
    assert raw.getvalue() == b""


def test_list_json_through_the_cli_is_the_whole_list_in_order(lrm):
    for name in ["Zoë", "ada", "Bob", "Émile"]:
        assert lrm("add", name, "--email", f"{len(name)}@example.org").exit_code == 0
    result = lrm("list", "--json")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("[\n  {") and result.stdout.endswith("}\n]\n")
    assert [c["name"] for c in result.json()] == ["ada", "Bob", "Émile", "Zoë"]
    limited = lrm("list", "--json", "--limit", "2", "--sort", "name", "--reverse")
    assert [c["name"] for c in limited.json()] == ["Zoë", "Émile"]
    assert lrm("list", "--json", "--tag", "nobody").stdout == "[]\n"
