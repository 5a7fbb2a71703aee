"""The undo journal (migration 0007): each write transaction is one change; triggers log
the statements that revert its rows; ``revert`` runs them newest first.

``Database.write`` calls :func:`begin` and :func:`finish` around every transaction, so the
journal entry commits or rolls back with the writes it describes. A change that touched
no journaled row (a read moving the statistics windows) leaves nothing behind.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import NamedTuple

from lrm_cli.store.stats import participants_of
from lrm_cli.store.tables import DATA_TABLES

KEEP_CHANGES = 200  # older changes are forgotten: undo reaches this far back

# every table of the user's data (what export json writes), what imported cards gave
# (migration 0022) and the UIDs of merged contacts (0024): not exported, but an undone
# import or merge must forget what it read or moved
JOURNALED = (*DATA_TABLES, "card_seen", "merged_uid")


def begin(conn: sqlite3.Connection, command: str, at: int) -> int:
    cur = conn.execute("INSERT INTO undo_change (command, at) VALUES (?, ?)", (command, at))
    change_id = int(cur.lastrowid)
    conn.execute("UPDATE undo_state SET change_id = ? WHERE id = 1", (change_id,))
    return change_id


@contextmanager
def unjournaled(conn: sqlite3.Connection) -> Iterator[None]:
    """Writes the journal need not hold, inside a change: only rows that hang off a row
    the change inserted (ON DELETE CASCADE), which go when the undo deletes that row."""
    (change,) = conn.execute("SELECT change_id FROM undo_state WHERE id = 1").fetchone()
    conn.execute("UPDATE undo_state SET change_id = NULL WHERE id = 1")
    try:
        yield
    finally:
        conn.execute("UPDATE undo_state SET change_id = ? WHERE id = 1", (change,))


def finish(conn: sqlite3.Connection, change_id: int) -> None:
    """Stop journaling; drop the change if it logged nothing; forget old changes."""
    conn.execute("UPDATE undo_state SET change_id = NULL WHERE id = 1")
    _drop_rows_gone_again(conn, change_id)
    _drop_repeated_updates(conn, change_id)
    empty = conn.execute(
        "SELECT NOT EXISTS (SELECT 1 FROM undo_log WHERE change_id = ?)", (change_id,)
    ).fetchone()[0]
    if empty:
        conn.execute("DELETE FROM undo_change WHERE id = ?", (change_id,))
    elif change_id > KEEP_CHANGES and change_id % 20 == 0:
        oldest = change_id - KEEP_CHANGES
        conn.execute("DELETE FROM undo_log WHERE change_id <= ?", (oldest,))
        conn.execute("DELETE FROM undo_change WHERE id <= ?", (oldest,))


def _drop_rows_gone_again(conn: sqlite3.Connection, change_id: int) -> None:
    """Forget what the change logged of a row it inserted and deleted again (a record
    loaded aside and merged in, by ``import json --merge``): reverting it would do nothing,
    and the history would list a change that changed nothing ("1 contact added, 1 contact
    deleted"). A row id used again after the delete starts a new history of its own."""
    if not conn.execute(
        "SELECT EXISTS (SELECT 1 FROM undo_log WHERE change_id = ? AND op = 'delete')",
        (change_id,),
    ).fetchone()[0]:
        return
    rows = conn.execute(
        "SELECT id, tbl, row_id, op FROM undo_log WHERE change_id = ? AND (tbl, row_id) IN "
        "(SELECT tbl, row_id FROM undo_log WHERE change_id = ? AND op = 'insert') "
        "ORDER BY id",
        (change_id, change_id),
    ).fetchall()
    entries: dict[tuple[str, int], list[tuple[int, str]]] = {}
    for entry_id, table, row_id, op in rows:
        entries.setdefault((table, row_id), []).append((entry_id, op))
    gone: list[int] = []
    for history in entries.values():
        start = None
        for index, (_, op) in enumerate(history):
            if op == "insert":
                start = index
            elif op == "delete" and start is not None:
                gone.extend(entry_id for entry_id, _ in history[start : index + 1])
                start = None
    for at in range(0, len(gone), 500):
        part = gone[at : at + 500]
        conn.execute(f"DELETE FROM undo_log WHERE id IN ({','.join('?' for _ in part)})", part)


def _drop_repeated_updates(conn: sqlite3.Connection, change_id: int) -> None:
    """Forget an update after another entry of its row in the change: the row's first
    entry (its insert, or its first update, which sets every column back) already
    reverts it, and the history would count the row twice ("2 contacts restored" for
    one contact updated twice). An update that leaves its row as it was is never
    journaled (the triggers compare every column, migration 0013)."""
    # A window over the change's entries in SQL: a restore journals one insert per row,
    # which Python need not hold (tests/test_json_import_stream.py measures it). A
    # change without updates (a restore, an import) skips the window: 0.35 s at 10k.
    if not conn.execute(
        "SELECT EXISTS (SELECT 1 FROM undo_log WHERE change_id = ? AND op = 'update')",
        (change_id,),
    ).fetchone()[0]:
        return
    conn.execute(
        "DELETE FROM undo_log WHERE id IN (SELECT id FROM ("
        "SELECT id, op, row_number() OVER (PARTITION BY tbl, row_id ORDER BY id) AS nth "
        "FROM undo_log WHERE change_id = ?) WHERE op = 'update' AND nth > 1)",
        (change_id,),
    )


def pause(conn: sqlite3.Connection) -> None:
    """No journaling for the rest of this transaction (an undo, a restore)."""
    conn.execute("UPDATE undo_state SET change_id = NULL WHERE id = 1")


def clear(conn: sqlite3.Connection) -> int:
    """Stop journaling this transaction and forget every change (``lrm forget --purge``:
    the journal holds the rows it could put back, and the command lines, which name
    people). Returns how many earlier changes could have been undone."""
    current = conn.execute("SELECT change_id FROM undo_state WHERE id = 1").fetchone()[0]
    pause(conn)
    earlier = conn.execute(
        "SELECT count(*) FROM undo_change WHERE id IS NOT ?", (current,)
    ).fetchone()[0]
    conn.execute("DELETE FROM undo_log")
    conn.execute("DELETE FROM undo_change")
    return int(earlier)


class Change(NamedTuple):
    id: int
    command: str
    at: int
    counts: dict[str, Counter]  # table -> {"insert": n, "update": n, "delete": n}


def _counts(conn: sqlite3.Connection, change_ids: list[int]) -> dict[int, dict[str, Counter]]:
    out: dict[int, dict[str, Counter]] = {cid: {} for cid in change_ids}
    if not change_ids:
        return out
    marks = ",".join("?" for _ in change_ids)
    for change_id, table, op, n in conn.execute(
        f"SELECT change_id, tbl, op, count(*) FROM undo_log WHERE change_id IN ({marks}) "
        "GROUP BY change_id, tbl, op",
        change_ids,
    ):
        out[change_id].setdefault(table, Counter())[op] = n
    return out


def changes(conn: sqlite3.Connection, limit: int) -> list[Change]:
    """The most recent changes that can be undone, newest first."""
    rows = conn.execute(
        "SELECT id, command, at FROM undo_change ORDER BY id DESC LIMIT ?", (limit,)
    ).fetchall()
    counts = _counts(conn, [r[0] for r in rows])
    return [Change(r[0], r[1], r[2], counts[r[0]]) for r in rows]


def change(conn: sqlite3.Connection, change_id: int) -> Change | None:
    """The change CHANGE_ID, if the history still holds it."""
    row = conn.execute(
        "SELECT id, command, at FROM undo_change WHERE id = ?", (change_id,)
    ).fetchone()
    return None if row is None else Change(row[0], row[1], row[2], _counts(conn, [row[0]])[row[0]])


def revert(conn: sqlite3.Connection, change: Change) -> set[int]:
    """Run the change's inverse statements, newest first, and forget it. Returns the
    contacts whose interactions changed (their aggregates need rebuilding)."""
    pause(conn)
    return _run_inverse(conn, change)


class Entangled(Exception):
    """An earlier change that cannot be reverted alone: ``later`` (id, command) wrote rows
    that reverting it would touch, or ``clash`` is the constraint a row put back breaks."""

    def __init__(self, later: list[tuple[int, str]], clash: str = "") -> None:
        super().__init__(clash or ", ".join(f"#{i}" for i, _ in later))
        self.later = later
        self.clash = clash


def revert_alone(conn: sqlite3.Connection, change: Change, at: int) -> set[int]:
    """Revert CHANGE, one before the last, leaving the changes since as they are: allowed
    when reverting it touches no row a later change wrote (its own rows, and those a
    deleted row takes along, ON DELETE CASCADE). Otherwise raises :class:`Entangled`; the
    caller's transaction then rolls back. The journal records the revert as a change of
    its own to see every row it touched, then forgets that record."""
    later = _later_writers(conn, change.id, after=change.id)
    if later:
        raise Entangled(later)
    probe = begin(conn, "undo", at)
    try:
        contacts = _run_inverse(conn, change)
    except sqlite3.IntegrityError as e:  # a later change holds the same name, id, ...
        raise Entangled([], str(e)) from None
    later = _later_writers(conn, probe, after=change.id) or _later_parents(conn, probe, change.id)
    if later:
        raise Entangled(later)
    pause(conn)
    conn.execute("DELETE FROM undo_log WHERE change_id = ?", (probe,))
    conn.execute("DELETE FROM undo_change WHERE id = ?", (probe,))
    return contacts


def _later_writers(conn: sqlite3.Connection, source: int, after: int) -> list[tuple[int, str]]:
    """The changes after AFTER (but SOURCE) that wrote a row SOURCE's journal names."""
    return conn.execute(
        "SELECT c.id, c.command FROM undo_change c WHERE c.id > ? AND c.id != ? AND EXISTS ("
        "SELECT 1 FROM undo_log l WHERE l.change_id = c.id AND (l.tbl, l.row_id) IN ("
        "SELECT tbl, row_id FROM undo_log WHERE change_id = ?)) ORDER BY c.id",
        (after, source, source),
    ).fetchall()


def _later_parents(conn: sqlite3.Connection, probe: int, after: int) -> list[tuple[int, str]]:
    """The changes after AFTER that deleted a row the rows put back (journaled under
    PROBE) refer to: the foreign keys, deferred, would fail only at the commit. Raises
    Entangled when a row refers to one the history does not hold."""
    found: set[tuple[int, str]] = set()
    tables = [r[0] for r in conn.execute(
        "SELECT DISTINCT tbl FROM undo_log WHERE change_id = ?", (probe,)
    )]  # fmt: skip
    for table in tables:
        for _, rowid, parent, fk in conn.execute(f'PRAGMA foreign_key_check("{table}")'):
            column = next(r[3] for r in conn.execute(f'PRAGMA foreign_key_list("{table}")')
                          if r[0] == fk)  # fmt: skip
            (value,) = conn.execute(
                f'SELECT "{column}" FROM "{table}" WHERE rowid = ?', (rowid,)
            ).fetchone()
            deleted = conn.execute(
                "SELECT c.id, c.command FROM undo_change c JOIN undo_log l ON l.change_id = c.id "
                "WHERE c.id > ? AND l.tbl = ? AND l.row_id = ? AND l.op = 'delete'",
                (after, parent, value),
            ).fetchall()
            if not deleted:
                raise Entangled([], f"it refers to a {parent} that is no longer there")
            found.update(deleted)
    return sorted(found)


def _run_inverse(conn: sqlite3.Connection, change: Change) -> set[int]:
    conn.execute("PRAGMA defer_foreign_keys = ON")  # a parent comes back after its rows
    rows = conn.execute(
        "SELECT tbl, row_id, contact_id, sql FROM undo_log WHERE change_id = ? ORDER BY id DESC",
        (change.id,),
    ).fetchall()
    touched_interactions = {row_id for table, row_id, _, _ in rows if table == "interaction"}
    # a participant row moved to another contact (a merge) is logged under its old contact:
    # the contacts its rows name before and after the revert are both touched
    contacts = {cid for table, _, cid, _ in rows if table == "interaction_participant" and cid}
    contacts.update(participants_of(conn, touched_interactions))
    contacts.update(_participant_contacts(conn, change.id))
    for _table, _row_id, _contact, sql in rows:
        conn.execute(sql)
    contacts.update(participants_of(conn, touched_interactions))
    contacts.update(_participant_contacts(conn, change.id))
    conn.execute("DELETE FROM undo_log WHERE change_id = ?", (change.id,))
    conn.execute("DELETE FROM undo_change WHERE id = ?", (change.id,))
    return contacts


def _participant_contacts(conn: sqlite3.Connection, change_id: int) -> set[int]:
    """The contacts the change's participant rows name now (a row that is gone names
    none): one join of the journal with the rows, however large the change."""
    return {
        r[0]
        for r in conn.execute(
            "SELECT DISTINCT p.contact_id FROM undo_log u "
            "JOIN interaction_participant p ON p.rowid = u.row_id "
            "WHERE u.change_id = ? AND u.tbl = 'interaction_participant'",
            (change_id,),
        )
    }


def existing_contacts(conn: sqlite3.Connection, ids: set[int]) -> list[int]:
    if not ids:
        return []
    marks = ",".join("?" for _ in ids)
    return [
        r[0]
        for r in conn.execute(
            f"SELECT id FROM contact WHERE id IN ({marks}) ORDER BY id", list(ids)
        )
    ]
