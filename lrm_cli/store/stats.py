"""Per-contact aggregates (``contact_stats``), written: the balance sums, the inferred
cadence and the stored base of the window counts. The arithmetic of one interaction lives
in ``lrm_cli.scheduler``, the reads in ``store/scheduler_sql.py``; this module moves
numbers in and out. Callers own the transaction.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from itertools import groupby
from operator import itemgetter
from typing import NamedTuple

from lrm_cli.store.scheduler_sql import AsOf, Window, Windows, window_anchor, window_deltas


class HistoryRow(NamedTuple):
    """One interaction as one contact's statistics see it."""

    occurred_at: int
    initiator: str
    kind: str
    weight: float | None


HISTORY_CHUNK = 500  # contacts per statement: an IN list SQLite walks in index order
_HISTORY_COLUMNS = "p.contact_id, p.occurred_at, i.initiator, i.kind, i.weight"
# ties of time in interaction order, so that both ways below sum in the same order
_HISTORY_ORDER = "ORDER BY p.contact_id, p.occurred_at, p.interaction_id"


def histories(
    conn: sqlite3.Connection, contact_ids: Sequence[int]
) -> Iterator[tuple[int, list[HistoryRow]]]:
    """(contact id, every interaction of it, oldest first) for each of ``contact_ids``, in
    ascending id order, those without interactions included. Not one statement per
    contact (a restore recomputes every contact): for a quarter of the contacts or more,
    one pass over the interactions in table order, sorted once (about three times faster
    than following the (contact, time) index, whose rows point all over the interaction
    table); for fewer, the index, ``HISTORY_CHUNK`` contacts a statement."""
    ordered = sorted(set(contact_ids))
    if not ordered:
        return
    contacts = conn.execute("SELECT count(*) FROM contact").fetchone()[0]
    if len(ordered) * 4 >= contacts:
        wanted = set(ordered)
        rows = conn.execute(
            f"SELECT {_HISTORY_COLUMNS} FROM interaction i CROSS JOIN interaction_participant p"
            f" ON p.interaction_id = i.id {_HISTORY_ORDER}"
        )
        yield from _grouped(ordered, (r for r in rows if r[0] in wanted))
        return
    for start in range(0, len(ordered), HISTORY_CHUNK):
        chunk = ordered[start : start + HISTORY_CHUNK]
        marks = ",".join("?" for _ in chunk)
        yield from _grouped(
            chunk,
            conn.execute(
                f"SELECT {_HISTORY_COLUMNS} FROM interaction_participant p"
                " INDEXED BY ix_participant_contact_time JOIN interaction i"
                f" ON i.id = p.interaction_id WHERE p.contact_id IN ({marks}) {_HISTORY_ORDER}",
                chunk,
            ),
        )


def _grouped(ordered: list[int], rows: Iterable[tuple]) -> Iterator[tuple[int, list[HistoryRow]]]:
    """Rows (contact id first) ordered by contact id, as (contact id, its rows) for every
    one of ``ordered`` (ascending, a superset of the rows' contacts), in one pass."""
    position = 0
    for contact_id, group in groupby(rows, itemgetter(0)):
        while ordered[position] != contact_id:
            yield ordered[position], []
            position += 1
        yield contact_id, [HistoryRow(*row[1:]) for row in group]
        position += 1
    for contact_id in ordered[position:]:
        yield contact_id, []


def last_times(conn: sqlite3.Connection, contact_id: int, limit: int) -> list[int]:
    """The newest ``limit`` interaction times of a contact, oldest first."""
    rows = conn.execute(
        "SELECT occurred_at FROM interaction_participant WHERE contact_id = ? "
        "ORDER BY occurred_at DESC LIMIT ?",
        (contact_id, limit),
    ).fetchall()
    return [r[0] for r in reversed(rows)]


def add_interaction(
    conn: sqlite3.Connection,
    contact_id: int,
    occurred_at: int,
    num: float,
    den: float,
    key: str,
) -> None:
    """Fold one new interaction into a contact's row (created when missing)."""
    conn.execute(
        "INSERT INTO contact_stats (contact_id, interaction_count, first_at, last_at, "
        "balance_num, balance_den, stats_key) VALUES (?1, 1, ?2, ?2, ?3, ?4, ?5) "
        "ON CONFLICT (contact_id) DO UPDATE SET "
        "interaction_count = interaction_count + 1, "
        "first_at = min(coalesce(first_at, ?2), ?2), last_at = max(coalesce(last_at, ?2), ?2), "
        "balance_num = balance_num + ?3, balance_den = balance_den + ?4",
        (contact_id, occurred_at, num, den, key),
    )


def set_inferred(conn: sqlite3.Connection, contact_id: int, days: int | None) -> None:
    conn.execute(
        "UPDATE contact_stats SET inferred_cadence_days = ? WHERE contact_id = ?",
        (days, contact_id),
    )


class StatsRow(NamedTuple):
    """A contact's aggregates as :func:`replace` writes them."""

    contact_id: int
    count: int
    first_at: int | None
    last_at: int | None
    inferred: int | None
    num: float
    den: float
    key: str


def replace(conn: sqlite3.Connection, rows: Iterable[StatsRow]) -> None:
    """Write these contacts' aggregates afresh (window counts zero until recounted)."""
    conn.executemany(
        "INSERT OR REPLACE INTO contact_stats (contact_id, interaction_count, first_at, "
        "last_at, inferred_cadence_days, balance_num, balance_den, stats_key) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )


def stale_contacts(conn: sqlite3.Connection, key: str) -> list[int]:
    """Contacts whose aggregates were computed with other settings (or never): two range
    seeks of ix_contact_stats_key, nothing when everything is fresh."""
    return [
        r[0]
        for r in conn.execute(
            "SELECT contact_id FROM contact_stats WHERE stats_key < ?1 OR stats_key > ?1", (key,)
        )
    ]


def participants_of(conn: sqlite3.Connection, interaction_ids: Iterable[int]) -> list[int]:
    ids = list(interaction_ids)
    if not ids:
        return []
    marks = ",".join("?" for _ in ids)
    return [
        r[0]
        for r in conn.execute(
            f"SELECT DISTINCT contact_id FROM interaction_participant "
            f"WHERE interaction_id IN ({marks})",
            ids,
        )
    ]


# --- the stored base of the window counts (contact_stats.win_*, boundaries in stats_window) ---


def move_windows(conn: sqlite3.Connection, target: Window) -> None:
    """Move the stored base to ``target``'s boundaries (at write time): the difference
    counted as a read would count it (``Windows.of``), then written."""
    windows = Windows.of(window_anchor(conn), target)
    if windows.delta is None:
        return
    rows = window_deltas(conn, windows)
    if not windows.base:
        conn.execute(
            "UPDATE contact_stats SET win_all = 0, win_recent = 0, win_me = 0, win_them = 0,"
            " win_mutual = 0"
        )
    conn.executemany(
        "UPDATE contact_stats SET win_all = win_all + ?2, win_recent = win_recent + ?3,"
        " win_me = win_me + ?4, win_them = win_them + ?5, win_mutual = win_mutual + ?6"
        " WHERE contact_id = ?1",
        rows,
    )
    conn.execute(
        "INSERT OR REPLACE INTO stats_window (id, previous_start, recent_start, counts_start,"
        " end_at) VALUES (1, ?, ?, ?, ?)",
        target,
    )


def lacks_window_base(conn: sqlite3.Connection) -> bool:
    """True when contacts have aggregates but the window counts have no base yet."""
    if window_anchor(conn) is not None:
        return False
    return conn.execute("SELECT EXISTS (SELECT 1 FROM contact_stats)").fetchone()[0] == 1


def recount_windows(conn: sqlite3.Connection, contact_ids: Sequence[int]) -> None:
    """Count these contacts' base afresh for the stored boundaries (after their
    interactions changed); nothing without a base."""
    anchor = window_anchor(conn)
    if anchor is None:
        return
    for start in range(0, len(contact_ids), 500):
        chunk = list(contact_ids[start : start + 500])
        marks = ",".join("?" for _ in chunk)
        conn.execute(
            "UPDATE contact_stats SET win_all = 0, win_recent = 0, win_me = 0, win_them = 0,"
            f" win_mutual = 0 WHERE contact_id IN ({marks})",
            chunk,
        )
        conn.executemany(
            "UPDATE contact_stats SET win_all = ?2, win_recent = ?3, win_me = ?4,"
            " win_them = ?5, win_mutual = ?6 WHERE contact_id = ?1",
            window_deltas(conn, Windows.of(anchor, anchor, chunk)),
        )


def participations_after(conn: sqlite3.Connection, as_of: AsOf) -> list[tuple]:
    """(contact_id, occurred_at, initiator, kind, weight) of each participation that had
    not happened by the end of ``as_of``'s day: a range of ix_participant_time, empty
    for "after today" unless something was logged ahead."""
    return conn.execute(
        "SELECT p.contact_id, p.occurred_at, i.initiator, i.kind, i.weight"
        " FROM interaction_participant p INDEXED BY ix_participant_time"
        f" JOIN interaction i ON i.id = p.interaction_id WHERE {as_of.later_than()}"
    ).fetchall()


def last_times_before(
    conn: sqlite3.Connection, contact_ids: Sequence[int], as_of: AsOf, limit: int
) -> dict[int, list[int]]:
    """The newest ``limit`` interaction times (oldest first) of each of ``contact_ids``
    among those that had happened by the end of ``as_of``'s day; contacts without any
    are left out. One statement over ix_participant_contact_time."""
    rows = conn.execute(
        "SELECT contact_id, occurred_at FROM (SELECT p.contact_id AS contact_id,"
        " p.occurred_at AS occurred_at, row_number() OVER (PARTITION BY p.contact_id"
        " ORDER BY p.occurred_at DESC) AS k FROM interaction_participant p"
        " WHERE p.contact_id IN (SELECT value FROM json_each(?))"
        f" AND {as_of.happened()}) WHERE k <= ? ORDER BY contact_id, occurred_at",
        (json.dumps(list(contact_ids)), limit),
    )
    found: dict[int, list[int]] = {}
    for contact_id, at in rows:
        found.setdefault(contact_id, []).append(at)
    return found
