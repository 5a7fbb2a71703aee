"""The scheduler's reads: one SQL statement each, aggregated in SQLite."""

from __future__ import annotations

import sqlite3
from typing import NamedTuple

from lrm_cli.store.localtime import ZoneSQL, day_text_sql
from lrm_cli.store.sqljson import joined


class TrackedRow(NamedTuple):
    id: int
    name: str
    explicit_cadence: int | None
    tag_cadence: int | None
    inferred_cadence: int | None
    created_at: int
    last_at: int | None
    snoozed_until: str | None
    archived: bool
    balance_num: float
    balance_den: float
    interaction_count: int


_TRACKED = """
SELECT c.id, c.display_name, c.cadence_days,
  (SELECT min(t.cadence_days) FROM contact_tag ct JOIN tag t ON t.id = ct.tag_id
     WHERE ct.contact_id = c.id) AS tag_cadence,
  s.inferred_cadence_days, c.created_at, s.last_at, c.snoozed_until,
  c.archived_at IS NOT NULL, coalesce(s.balance_num, 0), coalesce(s.balance_den, 0),
  coalesce(s.interaction_count, 0)
FROM contact c LEFT JOIN contact_stats s ON s.contact_id = c.id
"""


_CANDIDATES = """
WITH candidate AS (
  SELECT id, name, cadence, source, since, last_at FROM (
    SELECT c.id AS id, c.display_name AS name,
      CASE WHEN c.cadence_days >= 1 THEN c.cadence_days
           WHEN c.tag_cadence_days >= 1 THEN c.tag_cadence_days
           WHEN s.inferred_cadence_days >= 1 THEN s.inferred_cadence_days END AS cadence,
      CASE WHEN c.cadence_days >= 1 THEN 'explicit'
           WHEN c.tag_cadence_days >= 1 THEN 'tag'
           ELSE 'inferred' END AS source,
      coalesce(s.last_at, c.created_at) AS since, s.last_at AS last_at
    FROM contact c
    LEFT JOIN contact_stats s ON s.contact_id = c.id
    WHERE c.archived_at IS NULL AND (c.snoozed_until IS NULL OR c.snoozed_until <= :today_iso)
      {tag}
  )
  WHERE cadence IS NOT NULL AND since + cadence * 86400 <= :horizon
),
dated AS MATERIALIZED (  -- the local day computed once per row, not once per use
  SELECT id, name, cadence, source, last_at, {since_day} AS since_day FROM candidate
),
due AS (
  SELECT id, name, cadence, source,
    CASE WHEN last_at IS NULL THEN NULL ELSE since_day END AS last_day,
    since_day + cadence AS due_day,
    :today - since_day - cadence AS overdue,
    -- floor((2000 * days_since + cadence) / (2 * cadence)): "/" truncates towards zero,
    -- so the numerator is shifted positive by a multiple of the divisor
    (2000 * (:today - since_day) + cadence + 2000000000000 * cadence) / (2 * cadence)
      - 1000000000000 AS milli
  FROM dated WHERE :today - since_day - cadence >= -:within
)
"""
_DUE_ORDER = "ORDER BY milli DESC, overdue DESC, name COLLATE BINARY, id"
_DUE_TAG = (
    "AND EXISTS (SELECT 1 FROM contact_tag ct JOIN tag t ON t.id = ct.tag_id "
    "WHERE ct.contact_id = c.id AND t.name = :tag)"
)


class DueQuery(NamedTuple):
    """Who is due on ``today`` (days since 1970-01-01, local) or within ``within`` days."""

    today: int
    within: int
    horizon: int  # epoch seconds: a pre-filter, one day past the last local day asked
    today_iso: str
    tag: str | None = None

    def sql(self, local: ZoneSQL) -> str:
        return _CANDIDATES.format(tag=_DUE_TAG if self.tag else "", since_day=local.day("since"))

    def args(self) -> dict[str, object]:
        return self._asdict()


def due_rows(
    conn: sqlite3.Connection, local: ZoneSQL, query: DueQuery, limit: int | None = None
) -> tuple[list[tuple], int]:
    """The ``limit`` most urgent due contacts (all without a limit), as (urgency in
    thousandths, overdue days, name, id, day of the last contact or None, cadence days,
    cadence source, due day), and how many are due; days count from 1970-01-01 in the
    user's zone.

    This is ``scheduler.due_status`` with ``scheduler.effective_cadence`` (explicit, else
    the smallest tag cadence, else inferred; values below 1 unset), written in SQL so
    that a list of 100k contacts never passes through Python one row at a time;
    tests/test_scheduler_sql.py holds the two equal."""
    local.attach(conn)
    sql = f"{query.sql(local)} SELECT milli, overdue, name, id, last_day, cadence, source,"
    sql += f" due_day, (SELECT count(*) FROM due) FROM due {_DUE_ORDER}"
    sql += f" LIMIT {int(limit)}" if limit else ""
    rows = conn.execute(sql, query.args()).fetchall()
    return [row[:-1] for row in rows], rows[0][-1] if rows else 0


_DUE_JSON = (
    "json_object('id', id, 'name', name, 'last_contact', {last}, 'cadence_days', cadence,"
    " 'cadence_source', source, 'due_on', {due}, 'overdue_days', overdue,"
    " 'urgency', milli / 1000.0)"
)


def due_json(
    conn: sqlite3.Connection, local: ZoneSQL, query: DueQuery, limit: int | None = None
) -> bytes | None:
    """The rows of :func:`due_rows` as compact JSON objects (``DueItem.as_json``; SQLite
    writes a REAL with up to 15 significant digits, so thousandths print as Python
    prints them), joined by ``sqljson.JSON_SEPARATOR``; None when nobody is due. A test holds
    them equal to ``json.dumps`` of the items."""
    local.attach(conn)
    text = _DUE_JSON.format(last=day_text_sql("last_day"), due=day_text_sql("due_day"))
    ranked = f"SELECT * FROM due {_DUE_ORDER}" + (f" LIMIT {int(limit)}" if limit else "")
    sql = f"{query.sql(local)} SELECT {text} AS t FROM ({ranked})"  # sorted, then written
    return joined(conn, sql, query.args())


def tracked(conn: sqlite3.Connection, contact_id: int) -> TrackedRow | None:
    row = conn.execute(f"{_TRACKED} WHERE c.id = ?", (contact_id,)).fetchone()
    return TrackedRow(*row) if row else None


def balances(conn: sqlite3.Connection, *, include_archived: bool = False) -> list[TrackedRow]:
    """Every contact with at least one interaction, with its balance sums."""
    where = "WHERE s.interaction_count > 0" + (
        "" if include_archived else " AND c.archived_at IS NULL"
    )
    return [TrackedRow(*r) for r in conn.execute(f"{_TRACKED} {where}")]


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


def open_reminders(conn: sqlite3.Connection, *, due_by: str | None = None) -> list[ReminderRow]:
    sql = f"{_REMINDER} WHERE r.done_at IS NULL"
    args: list[object] = []
    if due_by:
        sql += " AND r.due_on <= ?"
        args.append(due_by)
    return [ReminderRow(*r) for r in conn.execute(sql + " ORDER BY r.due_on, r.id", args)]


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


def move_reminder(conn: sqlite3.Connection, reminder_id: int, due_on: str) -> None:
    conn.execute("UPDATE reminder SET due_on = ? WHERE id = ?", (due_on, reminder_id))


def set_contact_cadence(conn: sqlite3.Connection, contact_id: int, days: int | None, now: int):
    conn.execute(
        "UPDATE contact SET cadence_days = ?, updated_at = ? WHERE id = ?", (days, now, contact_id)
    )


def set_snooze(conn: sqlite3.Connection, contact_id: int, until: str | None, now: int) -> None:
    conn.execute(
        "UPDATE contact SET snoozed_until = ?, updated_at = ? WHERE id = ?",
        (until, now, contact_id),
    )


def set_tag_cadence(conn: sqlite3.Connection, tag: str, days: int | None) -> bool:
    cur = conn.execute("UPDATE tag SET cadence_days = ? WHERE name = ?", (days, tag))
    if cur.rowcount == 0 and days is not None:
        conn.execute("INSERT INTO tag (name, cadence_days) VALUES (?, ?)", (tag, days))
    return True


def mean_sentiment(conn: sqlite3.Connection, contact_id: int, since: int) -> float | None:
    row = conn.execute(
        "SELECT avg(i.sentiment) FROM interaction_participant p JOIN interaction i "
        "ON i.id = p.interaction_id WHERE p.contact_id = ? AND p.occurred_at >= ? "
        "AND i.sentiment IS NOT NULL",
        (contact_id, since),
    ).fetchone()
    return row[0]


def update_reminder(conn: sqlite3.Connection, reminder_id: int, fields: dict) -> None:
    """Set some of title, due_on, recurrence, contact_id."""
    unknown = set(fields) - {"title", "due_on", "recurrence", "contact_id"}
    if unknown:
        raise ValueError(f"not a reminder field: {unknown}")
    if fields:
        sets = ", ".join(f"{name} = ?" for name in fields)
        conn.execute(f"UPDATE reminder SET {sets} WHERE id = ?", [*fields.values(), reminder_id])


def delete_reminder(conn: sqlite3.Connection, reminder_id: int) -> bool:
    return conn.execute("DELETE FROM reminder WHERE id = ?", (reminder_id,)).rowcount > 0
