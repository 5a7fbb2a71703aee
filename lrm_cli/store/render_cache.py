"""The render cache (table ``render_cache``, migration 0010): the bytes an export last
rendered for a card or a calendar component, and the fingerprint of what they came from.

It is derived data: losing it costs one slower export. Writing it is best effort (a
read-only or busy database exports all the same, uncached)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from typing import NamedTuple


class Rendered(NamedTuple):
    key: str
    print: str
    body: bytes


_BATCH = 500  # keys per IN (...) look-up, below SQLite's variable limit


def lookup(conn: sqlite3.Connection, kind: str, keys: Sequence[str]) -> dict[str, Rendered]:
    """The cached renderings of ``keys`` (those there are), by key."""
    found: dict[str, Rendered] = {}
    for start in range(0, len(keys), _BATCH):
        chunk = keys[start : start + _BATCH]
        marks = ", ".join("?" for _ in chunk)
        for row in conn.execute(
            f"SELECT key, print, body FROM render_cache WHERE kind = ? AND key IN ({marks})",
            (kind, *chunk),
        ):
            found[row[0]] = Rendered._make(row)
    return found


def save(
    conn: sqlite3.Connection,
    kind: str,
    rendered: Sequence[Rendered],
    keep: Sequence[str] | None = None,
) -> bool:
    """Store ``rendered`` in a transaction of its own, and when ``keep`` is given (a whole
    export's keys) drop ``kind``'s other rows, if there are any. Best effort: a database
    that is read-only, or busy for more than a moment, is left as it was (False)."""
    from lrm_cli.store.db import write_derived

    wanted = None if keep is None else set(keep)
    if not rendered and (wanted is None or _count(conn, kind) <= len(wanted)):
        return True  # nothing to add, nothing to drop: no write at all

    def work(conn: sqlite3.Connection) -> None:
        conn.executemany(
            "INSERT OR REPLACE INTO render_cache (kind, key, print, body) VALUES (?, ?, ?, ?)",
            [(kind, *r) for r in rendered],
        )
        if wanted is not None and _count(conn, kind) > len(wanted):
            _keep_only(conn, kind, wanted)

    return write_derived(conn, work)


def _count(conn: sqlite3.Connection, kind: str) -> int:
    return conn.execute("SELECT count(*) FROM render_cache WHERE kind = ?", (kind,)).fetchone()[0]


def _keep_only(conn: sqlite3.Connection, kind: str, keys: Iterable[str]) -> None:
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS render_keep (key TEXT PRIMARY KEY)")
    conn.execute("DELETE FROM render_keep")
    conn.executemany("INSERT OR IGNORE INTO render_keep (key) VALUES (?)", ((k,) for k in keys))
    conn.execute(
        "DELETE FROM render_cache WHERE kind = ? AND key NOT IN (SELECT key FROM render_keep)",
        (kind,),
    )
    conn.execute("DELETE FROM render_keep")
