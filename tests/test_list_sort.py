"""`lrm list` sorted by name: the order Python gives equals SQLite's (the JSON list is
SQLite's, the table Python's)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from lrm_cli.store.db import Database


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
