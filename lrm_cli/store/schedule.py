"""Reminders, yearly dates, cadence and snooze settings: the scheduler's rows one at a
time. The rules over many contacts (due, balance, drift) are in ``scheduler_sql.py``."""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING, NamedTuple

from lrm_cli.store.changes import update_changed

if TYPE_CHECKING:
    from lrm_cli.store.scheduler_sql import AsOf


class DateRow(NamedTuple):
    contact_id: int
    contact_name: str
    kind: str
    date: str
    label: str | None
    lead_days: int | None


def yearly_dates(conn: sqlite3.Connection, month_days: list[str] | None = None) -> list[DateRow]:
    """Birthdays and important dates of active contacts (the scheduler picks the window);
    only those whose ``MM-DD`` is in ``month_days`` when given (a pre-filter: both
    ``1815-12-10`` and ``--12-10`` end in ``12-10``)."""
    match, args = "", []
    if month_days is not None:
        marks = ",".join("?" for _ in month_days)
        match = f" AND substr({{col}}, -5) IN ({marks})"
        args = list(month_days)
    # "+c.archived_at": not by ix_contact_active, whose equality on archived_at the
    # planner would otherwise prefer to the month-day indexes
    sql = (
        "SELECT c.id, c.display_name, 'birthday', c.birthday, NULL, NULL FROM contact c "
        "WHERE c.birthday IS NOT NULL AND +c.archived_at IS NULL"
        + match.format(col="c.birthday")
        + " UNION ALL SELECT c.id, c.display_name, d.kind, d.date, d.label, "
        "d.remind_days_before FROM important_date d JOIN contact c ON c.id = d.contact_id "
        "WHERE +c.archived_at IS NULL" + match.format(col="d.date")
    )
    return [DateRow(*r) for r in conn.execute(sql, args + args)]


def longest_lead(conn: sqlite3.Connection) -> int | None:
    """The longest reminder lead of any date (``date add --remind``): the dates that may
    be listed further ahead than the window (``scheduler.reach``)."""
    return conn.execute("SELECT max(remind_days_before) FROM important_date").fetchone()[0]


class ReminderRow(NamedTuple):
    id: int
    uid: str
    title: str
    due_on: str
    recurrence: str | None
    done_at: int | None
    created_at: int
    contact_id: int | None
    contact_name: str | None


_REMINDER = (
    "SELECT r.id, r.uid, r.title, r.due_on, r.recurrence, r.done_at, r.created_at, c.id, "
    "c.display_name FROM reminder r LEFT JOIN contact c ON c.id = r.contact_id"
)
# The reminders lrm puts in front of the user (`reminders`, `upcoming`, the digest, the
# exported and synced calendar), over ``reminder r LEFT JOIN contact c``: not done, and not
# about an archived contact ("hidden from lists and reminders", as its birthday is; they
# come back with `lrm unarchive`, and `show` and `reminders --all` list them meanwhile).
NOT_DONE = "r.done_at IS NULL"
OPEN_REMINDER = f"{NOT_DONE} AND c.archived_at IS NULL"


def open_reminders(
    conn: sqlite3.Connection,
    *,
    due_by: str | None = None,
    as_of: AsOf | None = None,
    contact_id: int | None = None,
) -> list[ReminderRow]:
    """The open reminders (``OPEN_REMINDER``), by due day; with ``as_of``, only those that
    existed at the end of its day (created before it: ``AsOf.happened``); with
    ``contact_id``, that contact's reminders not done, archived or not (for `show`)."""
    sql = f"{_REMINDER} WHERE " + (NOT_DONE if contact_id else OPEN_REMINDER)
    if as_of is not None:
        sql += f" AND {as_of.happened('r.created_at')}"
    args: list[object] = []
    if contact_id is not None:
        sql += " AND r.contact_id = ?"
        args.append(contact_id)
    if due_by:
        sql += " AND r.due_on <= ?"
        args.append(due_by)
    return [ReminderRow(*r) for r in conn.execute(sql + " ORDER BY r.due_on, r.id", args)]


class PlannedRow(NamedTuple):
    id: int
    occurred_at: int
    kind: str
    summary: str | None
    contact_id: int
    contact_name: str
    uid: str  # the interaction's
    created_at: int


PLANNED = "i.occurred_at > i.created_at"
"""An interaction logged before it happened (``lrm log --future``: a lunch next week),
over ``interaction i``: what `upcoming` and the digest list as planned."""


def planned_interactions(
    conn: sqlite3.Connection,
    start: int | None = None,
    end: int | None = None,
    as_of: AsOf | None = None,
) -> list[PlannedRow]:
    """The planned interactions (:data:`PLANNED`) in [start, end) (epoch seconds; both
    None: all of them, the calendar's), one row per participant not archived, by time,
    id and name; with ``as_of``, only those logged by the end of its day
    (``AsOf.happened``)."""
    # CROSS JOIN keeps this order: the interactions first, then their people (left to
    # itself, SQLite read every active contact's: seconds at 100k); a window's by their
    # time's index, all of them in one pass over the table (in the index's order, each
    # row is a jump: 4x slower on a cold cache)
    where = [PLANNED, "c.archived_at IS NULL"]
    if start is not None and end is not None:
        where.insert(0, "i.occurred_at >= :start AND i.occurred_at < :end")
    if as_of is not None:
        where.append(as_of.happened("i.created_at"))
    sql = (
        "SELECT i.id, i.occurred_at, i.kind, i.summary, c.id, c.display_name, i.uid,"
        " i.created_at"
        f" FROM interaction i{' NOT INDEXED' if start is None else ''}"
        " CROSS JOIN interaction_participant p ON p.interaction_id = i.id"
        " CROSS JOIN contact c ON c.id = p.contact_id"
        f" WHERE {' AND '.join(where)}"
        " ORDER BY i.occurred_at, i.id, c.display_name COLLATE BINARY, c.id"
    )
    return [PlannedRow(*r) for r in conn.execute(sql, {"start": start, "end": end})]


def hidden_reminders(conn: sqlite3.Connection, contact_id: int) -> int:
    """How many reminders not done are about ``contact_id`` while it is archived (hidden:
    ``OPEN_REMINDER``); 0 for a contact not archived."""
    return conn.execute(
        "SELECT count(*) FROM reminder r JOIN contact c ON c.id = r.contact_id "
        f"WHERE r.contact_id = ? AND {NOT_DONE} AND NOT ({OPEN_REMINDER})",
        (contact_id,),
    ).fetchone()[0]


def all_reminders(conn: sqlite3.Connection) -> list[ReminderRow]:
    return [ReminderRow(*r) for r in conn.execute(f"{_REMINDER} ORDER BY r.due_on, r.id")]


def get_reminder(conn: sqlite3.Connection, reminder_id: int) -> ReminderRow | None:
    row = conn.execute(f"{_REMINDER} WHERE r.id = ?", (reminder_id,)).fetchone()
    return ReminderRow(*row) if row else None


def insert_reminder(
    conn: sqlite3.Connection,
    *,
    uid: str,
    contact_id: int | None,
    title: str,
    due_on: str,
    recurrence: str | None,
    now: int,
) -> int:
    cur = conn.execute(
        "INSERT INTO reminder (uid, contact_id, title, due_on, recurrence, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        (uid, contact_id, title, due_on, recurrence, now),
    )
    return int(cur.lastrowid)


def complete_reminder(conn: sqlite3.Connection, reminder_id: int, now: int) -> None:
    conn.execute("UPDATE reminder SET done_at = ? WHERE id = ?", (now, reminder_id))


def move_reminder(conn: sqlite3.Connection, reminder_id: int, due_on: str, recurrence: str) -> None:
    conn.execute(
        "UPDATE reminder SET due_on = ?, recurrence = ? WHERE id = ?",
        (due_on, recurrence, reminder_id),
    )


def set_contact_cadence(
    conn: sqlite3.Connection, contact_id: int, days: int | None, now: int
) -> bool:
    """True when the cadence changed (else nothing is written)."""
    fields = {"cadence_days": days}
    return update_changed(conn, "contact", contact_id, fields, stamp=("updated_at", now))


def set_snooze(conn: sqlite3.Connection, contact_id: int, until: str | None, now: int) -> bool:
    """True when the snooze changed (else nothing is written)."""
    fields = {"snoozed_until": until}
    return update_changed(conn, "contact", contact_id, fields, stamp=("updated_at", now))


def set_tag_cadence(conn: sqlite3.Connection, tag: str, days: int | None) -> bool:
    """True when the tag's cadence changed (a new tag with a cadence is a change)."""
    if update_changed(conn, "tag", tag, {"cadence_days": days}, key="name"):
        return True
    exists = conn.execute("SELECT 1 FROM tag WHERE name = ?", (tag,)).fetchone()
    if exists is None and days is not None:
        conn.execute("INSERT INTO tag (name, cadence_days) VALUES (?, ?)", (tag, days))
        return True
    return False


def mean_sentiment(conn: sqlite3.Connection, contact_id: int, since: int) -> float | None:
    row = conn.execute(
        "SELECT avg(i.sentiment) FROM interaction_participant p JOIN interaction i "
        "ON i.id = p.interaction_id WHERE p.contact_id = ? AND p.occurred_at >= ? "
        "AND i.sentiment IS NOT NULL",
        (contact_id, since),
    ).fetchone()
    return row[0]


def update_reminder(conn: sqlite3.Connection, reminder_id: int, fields: dict) -> bool:
    """Set some of title, due_on, recurrence, contact_id, done_at where they differ; True
    when the reminder changed (else nothing is written)."""
    unknown = set(fields) - {"title", "due_on", "recurrence", "contact_id", "done_at"}
    if unknown:
        raise ValueError(f"not a reminder field: {unknown}")
    return update_changed(conn, "reminder", reminder_id, fields)


def delete_reminder(conn: sqlite3.Connection, reminder_id: int) -> bool:
    return conn.execute("DELETE FROM reminder WHERE id = ?", (reminder_id,)).rowcount > 0
