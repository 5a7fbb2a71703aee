"""`lrm list` sorted by name: where a name goes is ``normalize.name_order`` (case and
accents aside, then id), and every way a list is made agrees: Python's sort (the table),
SQLite's (the JSON, a filtered list) and the list cache's stored order."""

from __future__ import annotations

import json
from datetime import UTC

from hypothesis import given, settings
from hypothesis import strategies as st

from lrm_cli.normalize import name_order
from lrm_cli.store.db import Database
from lrm_cli.store.localtime import ZoneSQL


def test_accented_names_sort_with_their_letter_not_after_z(lrm) -> None:
    for name in ["Zoë Adams", "Øyvind Berg", "anna bell", "Élodie Martin", "Łukasz Nowak", "Bob"]:
        assert lrm("add", name).exit_code == 0
    expected = ["anna bell", "Bob", "Élodie Martin", "Łukasz Nowak", "Øyvind Berg", "Zoë Adams"]
    assert [c["name"] for c in lrm("list", "--json").json()] == expected
    assert [c["name"] for c in lrm("list", "--json").json()] == expected  # from the cache
    table = lrm("list").stdout.splitlines()
    assert [line.split("\t")[1] for line in table] == expected
    reversed_names = [c["name"] for c in lrm("list", "--json", "--reverse").json()]
    assert reversed_names == expected[::-1]


@given(st.text(alphabet="abcXYZ ,.'-019", max_size=12))
def test_an_ascii_name_orders_as_its_lower_case(name: str) -> None:
    # the shortcut for ASCII names is the full rule's answer
    assert name_order(name) == name.lower()
    assert name_order(name) == name_order(name.upper())


@given(st.text(alphabet="eE", min_size=1, max_size=4), st.sampled_from("\u0301\u0300\u0308"))
def test_an_accent_does_not_move_a_name(base: str, accent: str) -> None:
    accented = base[0] + accent + base[1:]
    assert name_order(accented) == name_order(base)


@settings(max_examples=30, deadline=None)
@given(
    names=st.lists(
        st.text(alphabet="aAbBzZ _-ÉéßöÖØøł王Ωω1", min_size=1, max_size=5),
        min_size=1,
        max_size=30,
    ),
    reverse=st.booleans(),
)
def test_every_list_by_name_is_in_the_same_order(tmp_path_factory, names, reverse) -> None:
    from lrm_cli.store import contacts, list_cache, listing

    db = Database(tmp_path_factory.mktemp("sort") / "lrm.sqlite3")
    local = ZoneSQL(UTC, 0)
    with db.write() as conn:
        for cid, name in enumerate(names, start=1):
            conn.execute(
                "INSERT INTO contact (id, uid, display_name, created_at, updated_at)"
                " VALUES (?, ?, ?, 0, 0)",
                (cid, f"u{cid}", name),
            )
    conn = db.conn
    # by name_order, ties by id ascending whatever the direction (a stable sort of ids)
    ids = range(1, len(names) + 1)
    expected = sorted(ids, key=lambda i: name_order(names[i - 1]), reverse=reverse)

    python_sorted = [r.id for r in contacts.list_contacts(conn, sort="name", reverse=reverse)]
    sqlite_sorted = [
        json.loads(row)["id"] for row in listing.list_json_rows(conn, local, reverse=reverse)
    ]
    assert list_cache.fill(conn, local, listing.shape_key(local))
    cached = [
        json.loads(row)["id"]
        for row in listing.list_json_rows(conn, local, reverse=reverse, from_cache=True)
    ]
    assert python_sorted == sqlite_sorted == cached == expected
    db.close()
