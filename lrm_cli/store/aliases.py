"""Contact aliases (table ``contact_alias``, migration 0008): the other names a contact is
known by, such as the name of a record merged into it. Names compare as the column does
(``COLLATE NOCASE``); a contact has each alias once and never its own name as an alias.
Callers own the transaction.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Iterable

from lrm_cli.domain import ContactRef


def of(conn: sqlite3.Connection, contact_id: int) -> list[str]:
    """The contact's aliases, oldest first."""
    return [
        r[0]
        for r in conn.execute(
            "SELECT name FROM contact_alias WHERE contact_id = ? ORDER BY id", (contact_id,)
        )
    ]


def of_all(conn: sqlite3.Connection) -> dict[int, list[str]]:
    """Every contact's aliases (contacts without any left out), oldest first."""
    out: dict[int, list[str]] = defaultdict(list)
    for contact_id, name in conn.execute(
        "SELECT contact_id, name FROM contact_alias ORDER BY contact_id, id"
    ):
        out[contact_id].append(name)
    return dict(out)


def find(conn: sqlite3.Connection, name: str) -> list[ContactRef]:
    """The contacts with this alias (case-insensitive, by the name index)."""
    return [
        ContactRef(id=r[0], name=r[1])
        for r in conn.execute(
            "SELECT DISTINCT c.id, c.display_name FROM contact_alias a"
            " JOIN contact c ON c.id = a.contact_id WHERE a.name = ? ORDER BY c.id",
            (name,),
        )
    ]


def add(conn: sqlite3.Connection, contact_id: int, names: Iterable[str], now: int) -> list[str]:
    """Give the contact these aliases; a name it already has (as its name or an alias) or a
    blank one is skipped. Returns the aliases added, in order."""
    added = []
    for name in names:
        if not name.strip():
            continue
        cur = conn.execute(
            "INSERT OR IGNORE INTO contact_alias (contact_id, name, created_at)"
            " SELECT ?1, ?2, ?3 WHERE NOT EXISTS"
            " (SELECT 1 FROM contact WHERE id = ?1 AND display_name = ?2)",
            (contact_id, name, now),
        )
        if cur.rowcount:
            added.append(name)
    return added


def remove(
    conn: sqlite3.Connection, contact_id: int, names: Iterable[str]
) -> tuple[list[str], list[str]]:
    """Take these aliases from the contact (names compare as the column does: case
    aside). Returns the aliases removed, as they were stored, and the names it did not
    have."""
    removed, missing = [], []
    for name in names:
        found = conn.execute(
            "SELECT name FROM contact_alias WHERE contact_id = ? AND name = ?", (contact_id, name)
        ).fetchall()
        conn.execute(
            "DELETE FROM contact_alias WHERE contact_id = ? AND name = ?", (contact_id, name)
        )
        removed += [stored for (stored,) in found]
        if not found:
            missing.append(name)
    return removed, missing


def move(conn: sqlite3.Connection, keep: int, other: int) -> tuple[list[str], int]:
    """Move ``other``'s aliases to ``keep``; one ``keep`` already has (as its name or an
    alias) is deleted instead. Returns the names moved and how many were dropped."""
    moved, dropped = [], 0
    for alias_id, name in conn.execute(
        "SELECT id, name FROM contact_alias WHERE contact_id = ? ORDER BY id", (other,)
    ).fetchall():
        taken = conn.execute(
            "SELECT EXISTS (SELECT 1 FROM contact WHERE id = ?1 AND display_name = ?2)"
            " OR EXISTS (SELECT 1 FROM contact_alias WHERE contact_id = ?1 AND name = ?2)",
            (keep, name),
        ).fetchone()[0]
        if taken:
            conn.execute("DELETE FROM contact_alias WHERE id = ?", (alias_id,))
            dropped += 1
        else:
            conn.execute("UPDATE contact_alias SET contact_id = ? WHERE id = ?", (keep, alias_id))
            moved.append(name)
    return moved, dropped
