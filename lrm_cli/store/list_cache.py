"""The list cache (migrations 0011, 0015, 0016): each contact's object of ``lrm list --json``
as SQLite last wrote it (store/listing.py), all for one shape (``listing.shape_key``: the
rendering and the zone, in ``list_cache_shape``). At 100,000 contacts, writing every
object takes ~0.8 s; the rows are stored in the list's order (``normalize.name_order``,
then id), so the default list reads them back with no sort, ~0.06 s (issue 14).

Triggers drop a contact's object whenever what it is made from changes (its row, its
methods and tags, a tag's name, its last contact), and a deleted contact's with it, so
the cache holds every contact's object exactly when it has as many rows as there are
contacts; a list after a change writes only the objects that changed. It is derived
data: filling it is best effort (``db.write_derived``), and a list it cannot serve
whole is written as before. tests/test_list_cache.py holds a list read from the cache
equal to one written afresh after any change.
"""

from __future__ import annotations

import sqlite3

from lrm_cli.store import listing
from lrm_cli.store.localtime import ZoneSQL

_COMPLETE = (
    "SELECT coalesce((SELECT shape FROM list_cache_shape WHERE id = 1) = ?, 0)"
    " AND (SELECT count(*) FROM list_cache) = (SELECT count(*) FROM contact)"
)


# where a fill writes the missing objects before storing them in the cache's order
_WRITTEN_TABLE = (
    "CREATE TEMP TABLE IF NOT EXISTS lrm_list_written (id INTEGER PRIMARY KEY, t TEXT NOT NULL)"
)
_DROP_WRITTEN = "DROP TABLE IF EXISTS temp.lrm_list_written"


def complete(conn: sqlite3.Connection, key: str) -> bool:
    """Whether every contact's object is cached, for ``key`` (``listing.shape_key``)."""
    return bool(conn.execute(_COMPLETE, (key,)).fetchone()[0])


def fill(conn: sqlite3.Connection, local: ZoneSQL, key: str) -> bool:
    """Write the objects the cache lacks (all of them if it holds another shape), in a
    transaction of its own; False when the database is busy or read-only."""
    from lrm_cli.store.db import write_derived

    def work(conn: sqlite3.Connection) -> None:
        shape = conn.execute("SELECT shape FROM list_cache_shape WHERE id = 1").fetchone()
        if shape is None or shape[0] != key:
            conn.execute("DELETE FROM list_cache")
            conn.execute(
                "INSERT OR REPLACE INTO list_cache_shape (id, shape) VALUES (1, ?)", (key,)
            )
        local.attach(conn)
        # written apart first, then stored in the cache's order: inserting by id into a
        # table kept by name splits pages all over it (100k objects: 1.6 s, not 0.6 s)
        conn.execute(_WRITTEN_TABLE)
        conn.execute(
            f"INSERT INTO temp.lrm_list_written SELECT id, t FROM ({listing.fill_statement(local)})"
        )
        conn.execute(
            "INSERT INTO list_cache (name_order, contact_id, archived_at, body) "
            "SELECT lrm_name_order(c.display_name) AS k, c.id, c.archived_at, w.t"
            " FROM temp.lrm_list_written w JOIN contact c ON c.id = w.id ORDER BY k, c.id"
        )
        conn.execute(_DROP_WRITTEN)

    return write_derived(conn, work)
