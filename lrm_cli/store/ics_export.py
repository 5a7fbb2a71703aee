"""Bulk reads for `lrm export ics`: one statement per kind of item, in a stable order."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from lrm_cli.store.schedule import OPEN_REMINDER


@dataclass(frozen=True, slots=True)
class YearlyRow:
    contact_uid: str
    contact_name: str
    kind: str  # birthday | anniversary | custom
    date: str  # partial date: YYYY-MM-DD or --MM-DD
    label: str | None
    lead_days: int | None
    date_id: int | None  # important_date.id (None for the birthday)
    updated_at: int


def yearly_dates(conn: sqlite3.Connection) -> list[YearlyRow]:
    """Birthdays and important dates of active (not archived) contacts."""
    return [
        YearlyRow(*r)
        for r in conn.execute(
            "SELECT c.uid, c.display_name, 'birthday', c.birthday, NULL, NULL, NULL, "
            "c.updated_at FROM contact c "
            "WHERE c.birthday IS NOT NULL AND c.archived_at IS NULL "
            "UNION ALL SELECT c.uid, c.display_name, d.kind, d.date, d.label, "
            "d.remind_days_before, d.id, c.updated_at "
            "FROM important_date d JOIN contact c ON c.id = d.contact_id "
            "WHERE c.archived_at IS NULL ORDER BY 1, 7"
        )
    ]


@dataclass(frozen=True, slots=True)
class ReminderRow:
    uid: str
    title: str
    due_on: str
    recurrence: str | None
    created_at: int
    contact_name: str | None


def open_reminders(conn: sqlite3.Connection) -> list[ReminderRow]:
    """The open reminders, as `lrm reminders` lists them (``OPEN_REMINDER``)."""
    return [
        ReminderRow(*r)
        for r in conn.execute(
            "SELECT r.uid, r.title, r.due_on, r.recurrence, r.created_at, c.display_name "
            "FROM reminder r LEFT JOIN contact c ON c.id = r.contact_id "
            f"WHERE {OPEN_REMINDER} "
            "ORDER BY r.uid"
        )
    ]
