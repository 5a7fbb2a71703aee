"""The sync state (table ``sync_item``): one row per item file lrm sync has seen, and per
folder one mark (href ``""``, never a file's name): what a pass that found nothing to do
saw, so that the next one with the same data and the same files can stop there."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from typing import NamedTuple

MARK = ""  # the href of a folder's mark


class SyncRow(NamedTuple):
    href: str
    uid: str
    local_hash: str
    remote_hash: str


def rows(
    conn: sqlite3.Connection, folder: str, extensions: tuple[str, ...] = ()
) -> dict[str, SyncRow]:
    """Every item of ``folder`` (with one of ``extensions``, when given: contacts and
    calendar may share a folder), by file name."""
    ends = tuple(f".{e.lower()}" for e in extensions)
    return {
        r[0]: SyncRow._make(r)
        for r in conn.execute(
            "SELECT href, uid, local_hash, remote_hash FROM sync_item"
            " WHERE folder = ? AND href != ''",
            (folder,),
        )
        if not ends or r[0].lower().endswith(ends)
    }


def mark(conn: sqlite3.Connection, folder: str) -> tuple[str, str] | None:
    """(data, files) of ``folder``'s mark, None without one."""
    row = conn.execute(
        "SELECT local_hash, remote_hash FROM sync_item WHERE folder = ? AND href = ''", (folder,)
    ).fetchone()
    return (row[0], row[1]) if row else None


def set_mark(conn: sqlite3.Connection, folder: str, data: str, files: str, now: int) -> None:
    put(conn, folder, [SyncRow(MARK, "", data, files)], now)


def clear_mark(conn: sqlite3.Connection, folder: str) -> None:
    drop(conn, folder, [MARK])


def put(conn: sqlite3.Connection, folder: str, items: Iterable[SyncRow], now: int) -> None:
    conn.executemany(
        "INSERT INTO sync_item (folder, href, uid, local_hash, remote_hash, synced_at)"
        " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (folder, href) DO UPDATE SET"
        " uid = excluded.uid, local_hash = excluded.local_hash,"
        " remote_hash = excluded.remote_hash, synced_at = excluded.synced_at",
        [(folder, r.href, r.uid, r.local_hash, r.remote_hash, now) for r in items],
    )


def drop(conn: sqlite3.Connection, folder: str, hrefs: Iterable[str]) -> None:
    conn.executemany(
        "DELETE FROM sync_item WHERE folder = ? AND href = ?", [(folder, h) for h in hrefs]
    )


def hrefs_of_uid(conn: sqlite3.Connection, uid: str) -> list[tuple[str, str]]:
    """(folder, href) of every file that holds the item ``uid``, in any folder."""
    return conn.execute(
        "SELECT folder, href FROM sync_item WHERE uid = ? AND href != ''", (uid,)
    ).fetchall()


def contact_ids(conn: sqlite3.Connection) -> dict[str, tuple[int, int | None, str]]:
    """uid -> (id, archived_at, name) of every contact."""
    return {
        row[1]: (row[0], row[2], row[3])
        for row in conn.execute("SELECT id, uid, archived_at, display_name FROM contact")
    }


def merged_uids(conn: sqlite3.Connection) -> dict[str, int]:
    """uid -> id of the contact it was merged into (``lrm merge``) of every merged card."""
    return dict(conn.execute("SELECT uid, contact_id FROM merged_uid"))


def archive(conn: sqlite3.Connection, contact_id: int, now: int) -> None:
    conn.execute(
        "UPDATE contact SET archived_at = ?, updated_at = ? WHERE id = ?",
        (now, now, contact_id),
    )


def tag_names(conn: sqlite3.Connection, contact_id: int) -> dict[str, int]:
    return {
        name: tid
        for tid, name in conn.execute(
            "SELECT t.id, t.name FROM contact_tag ct JOIN tag t ON t.id = ct.tag_id"
            " WHERE ct.contact_id = ?",
            (contact_id,),
        )
    }


def unlink_tags(conn: sqlite3.Connection, contact_id: int, tag_ids: Iterable[int]) -> None:
    conn.executemany(
        "DELETE FROM contact_tag WHERE contact_id = ? AND tag_id = ?",
        [(contact_id, t) for t in tag_ids],
    )
