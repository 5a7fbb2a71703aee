"""`lrm export ics`: birthdays, anniversaries and other yearly dates as all-day yearly
events; due reconnects and open reminders as to-dos (or events), each with an alarm.

Everything in the output derives from the database and the settings, never from the
wall clock, so an unchanged database exports to the same bytes every time:

- UIDs: ``lrm-birthday-<contact uid>``, ``lrm-<kind>-<contact uid>-<date id>`` for an
  anniversary or custom date, ``lrm-reconnect-<contact uid>``, ``lrm-reminder-<reminder
  uid>``, ``lrm-plan-<interaction uid>``, limited to ``[A-Za-z0-9_.+-]`` (formats.vdir.safe_uid);
- DTSTAMP: the record's last change: the contact's ``updated_at`` for its dates, the
  later of ``updated_at`` and the last interaction for a reconnect, the reminder's
  ``created_at``, a plan's when it was logged;
- a plan (an interaction logged ahead, ``lrm log --future``; past ones too: they are
  what happened) is an event on its day, at its time of day when it was given one, with
  an alarm an hour before (all-day: as a reminder's); its people not archived, as
  `upcoming` lists it;
- a date without a year starts in 1972 (:data:`YEARLESS_START`, a leap year, so
  ``--02-29`` is a real date); a date with a year starts in that year;
- the reconnect of a tracked contact is its next due date (last interaction, else
  creation, plus the cadence), moved to the end of a snooze when later.
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, tzinfo
from pathlib import Path
from typing import Any

from lrm_cli import __version__
from lrm_cli.dates import PartialDate
from lrm_cli.errors import ConfigError, InvalidInput
from lrm_cli.formats import vdir
from lrm_cli.formats.ical import CalItem, yearly_rule
from lrm_cli.scheduler import PlannedItem, planned_items, planned_title
from lrm_cli.services.lists import EPOCH_ORDINAL as _EPOCH_ORDINAL
from lrm_cli.services.stats import ensure_fresh, midnight
from lrm_cli.settings import SchedulerSettings
from lrm_cli.store import ics_export as store
from lrm_cli.store import scheduler_sql as sql
from lrm_cli.store.db import Database
from lrm_cli.store.localtime import ZoneSQL
from lrm_cli.store.schedule import PlannedRow, planned_interactions
from lrm_cli.vocabulary import MAX_LEAD_DAYS

YEARLESS_START = 1972
"""The first year of a date without a year: a leap year, so 29 February exists."""

UID_PREFIX = "lrm-"
"""Every exported UID starts with this; in a vdir, stale ``lrm-*.ics`` files are removed."""

_TIME = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")


@dataclass(frozen=True)
class CalendarSettings:
    """``[calendar]`` in config.toml."""

    lead_days: int = 1  # alarm this many days before a reconnect or reminder
    date_lead_days: int = 1  # ... before a birthday or a date without its own lead
    alarm_time: str = "09:00"  # at this local time of day
    alarms: bool = True  # false: no VALARMs at all

    @classmethod
    def from_mapping(cls, data: dict[str, Any]) -> CalendarSettings:
        problems = []
        values: dict[str, Any] = {}
        for key, value in data.items():
            if key not in cls.__dataclass_fields__:
                problems.append(f"unknown setting [calendar] {key}")
            elif key in ("lead_days", "date_lead_days"):
                if (
                    not isinstance(value, int)
                    or isinstance(value, bool)
                    or not 0 <= value <= MAX_LEAD_DAYS
                ):
                    problems.append(
                        f"[calendar] {key} must be a whole number from 0 to {MAX_LEAD_DAYS}"
                    )
                else:
                    values[key] = value
            elif key == "alarm_time":
                if not isinstance(value, str) or not _TIME.match(value):
                    problems.append('[calendar] alarm_time must be "HH:MM", e.g. "09:00"')
                else:
                    values[key] = value
            elif not isinstance(value, bool):
                problems.append(f"[calendar] {key} must be true or false")
            else:
                values[key] = value
        if problems:
            raise ConfigError("; ".join(problems))
        return cls(**values)

    def trigger(self, lead_days: int) -> timedelta | None:
        """The VALARM trigger, relative to the start of an all-day item: ``lead_days``
        before, at ``alarm_time`` (1 day at 09:00 is -PT15H)."""
        if not self.alarms:
            return None
        hours, minutes = (int(part) for part in self.alarm_time.split(":"))
        return timedelta(days=-max(0, lead_days), hours=hours, minutes=minutes)


def _stamp(ts: int) -> datetime:
    return datetime.fromtimestamp(ts, UTC)


def _when(lead_days: int) -> str:
    if lead_days <= 0:
        return "Today"
    return "Tomorrow" if lead_days == 1 else f"In {lead_days} days"


def _yearly_title(row: store.YearlyRow) -> str:
    """As `lrm upcoming` titles them: "Ada Lovelace's birthday", "Ada Lovelace: Wedding"."""
    if row.label and row.kind != "birthday":
        return f"{row.contact_name}: {row.label}"
    if row.kind in ("birthday", "anniversary"):
        return f"{row.contact_name}'s {row.kind}"
    return f"{row.contact_name}'s date"


def _yearly(row: store.YearlyRow, settings: CalendarSettings) -> CalItem | None:
    try:
        partial = PartialDate.parse(row.date)
    except InvalidInput:
        return None  # an unparseable stored date is skipped, as `upcoming` does
    start = date(partial.year or YEARLESS_START, partial.month, partial.day)
    if row.date_id is None:
        uid = f"{UID_PREFIX}{row.kind}-{row.contact_uid}"
    else:
        uid = f"{UID_PREFIX}{row.kind}-{row.contact_uid}-{row.date_id}"
    lead = settings.date_lead_days if row.lead_days is None else row.lead_days
    summary = _yearly_title(row)
    return CalItem(
        uid=vdir.safe_uid(uid),
        summary=summary,
        start=start,
        stamp=_stamp(row.updated_at),
        rrule=yearly_rule(partial.month, partial.day),
        trigger=settings.trigger(lead),
        alarm=f"{_when(lead)}: {summary}",
        contact=row.contact_name,
        extra=(("x-lrm-year", str(partial.year)),) if partial.year else (),
    )


def _reconnect(row: tuple, settings: CalendarSettings, todo: bool) -> CalItem:
    """A tracked contact's reconnect, from a ``scheduler_sql.reconnect_rows`` row: on its
    due day, or at the end of its snooze when that is later."""
    uid, name, due_day, snoozed_until, updated_at, last_at = row
    due_on = date.fromordinal(due_day + _EPOCH_ORDINAL)
    if snoozed_until:
        due_on = max(due_on, date.fromisoformat(snoozed_until))
    summary = f"Reach out to {name}"
    return CalItem(
        uid=vdir.safe_uid(f"{UID_PREFIX}reconnect-{uid}"),
        summary=summary,
        start=due_on,
        stamp=_stamp(max(updated_at, last_at or 0)),
        todo=todo,
        trigger=settings.trigger(settings.lead_days),
        alarm=f"{_when(settings.lead_days)}: {summary}",
        contact=name,
    )


def _reminder(row: store.ReminderRow, settings: CalendarSettings, todo: bool) -> CalItem:
    return CalItem(
        uid=vdir.safe_uid(f"{UID_PREFIX}reminder-{row.uid}"),
        summary=row.title,
        start=date.fromisoformat(row.due_on),
        stamp=_stamp(row.created_at),
        todo=todo,
        rrule=row.recurrence or None,
        trigger=settings.trigger(settings.lead_days),
        alarm=f"{_when(settings.lead_days)}: {row.title}",
        contact=row.contact_name,
    )


def _plan(plan: PlannedItem, settings: CalendarSettings) -> CalItem:
    summary = planned_title(plan, timed=False)  # the event has the time
    start_at, trigger = None, settings.trigger(settings.lead_days)
    if plan.at is not None:
        start_at = _stamp(plan.occurred_at)
        trigger = PLAN_ALARM if settings.alarms else None
    return CalItem(
        uid=vdir.safe_uid(f"{UID_PREFIX}plan-{plan.uid}"),
        summary=summary,
        start=plan.day,
        start_at=start_at,
        stamp=_stamp(plan.created_at),
        trigger=trigger,
        contact=plan.people[0][1],
    )


PLAN_ALARM = timedelta(hours=-1)
"""A plan at a time of day alarms this long before it."""


def calendar_rows(
    db: Database, *, zone: tzinfo, today: date, scheduler_settings: SchedulerSettings
) -> tuple[list[store.YearlyRow], list[tuple], list[store.ReminderRow], list[PlannedRow]]:
    """What the items are made from: the yearly dates, every tracked contact's reconnect
    row, the open reminders, the plans' rows (sync compares them with the last sync's to
    skip the rest)."""
    ensure_fresh(db, scheduler_settings, zone)  # inferred cadences
    # every tracked contact, due or not, snoozed too; the due day does not depend on today
    query = sql.DueQuery(0, None, None, today.isoformat(), snoozed=True)
    local = ZoneSQL(zone, midnight(today, zone))
    with db.read() as conn:
        return (
            store.yearly_dates(conn),
            sql.reconnect_rows(conn, local, query),
            store.open_reminders(conn),
            planned_interactions(conn),
        )


def calendar_items(
    db: Database,
    *,
    zone: tzinfo,
    today: date,
    scheduler_settings: SchedulerSettings,
    settings: CalendarSettings,
    events: bool = False,
    rows: tuple | None = None,
) -> tuple[list[CalItem], Counter[str]]:
    """Every item to export, in a deterministic order, and how many of each kind (from
    ``rows``, the :func:`calendar_rows` of the same arguments, when given)."""
    if rows is None:
        rows = calendar_rows(db, zone=zone, today=today, scheduler_settings=scheduler_settings)
    yearly, tracked, reminders, plans = rows
    # yearly dates first, by month and day; then reconnects and reminders by date
    keyed: list[tuple[tuple[int, int, int, str], CalItem]] = []
    kinds: Counter[str] = Counter()
    for row in yearly:
        if (item := _yearly(row, settings)) is not None:
            keyed.append(((0, item.start.month, item.start.day, item.uid), item))
            kinds[row.kind] += 1
    for tracked_row in tracked:
        item = _reconnect(tracked_row, settings, not events)
        keyed.append(((1, item.start.toordinal(), 0, item.uid), item))
        kinds["reconnect"] += 1
    for reminder in reminders:
        item = _reminder(reminder, settings, not events)
        keyed.append(((1, item.start.toordinal(), 0, item.uid), item))
        kinds["reminder"] += 1
    for plan in planned_items(plans, zone):
        item = _plan(plan, settings)
        keyed.append(((1, item.start.toordinal(), 0, item.uid), item))
        kinds["planned"] += 1
    keyed.sort(key=lambda pair: pair[0])
    return [item for _, item in keyed], kinds


@dataclass
class ExportResult:
    items: int
    path: str | None = None
    written: int = 0
    unchanged: int = 0
    removed: int = 0
    kinds: dict[str, int] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {
            "items": self.items,
            "path": self.path,
            "written": self.written,
            "unchanged": self.unchanged,
            "removed": self.removed,
            "kinds": self.kinds,
        }


_KINDS = ("birthday", "anniversary", "custom", "reconnect", "reminder", "planned")


def export_ics(
    db: Database,
    *,
    zone: tzinfo,
    today: date,
    scheduler_settings: SchedulerSettings,
    settings: CalendarSettings,
    events: bool = False,
    out: str | None = None,
    folder: str | None = None,
    stdout=None,
) -> ExportResult:
    """To stdout (``out`` None or ``-``), one file, or a vdir of ``UID.ics`` files, each
    holding one VCALENDAR with one component. Files are written atomically and left
    alone when their bytes would not change; in a vdir, ``lrm-*.ics`` files of items
    that no longer exist are removed (so calendars drop them too)."""
    from lrm_cli.formats import ical

    if out and folder:
        raise InvalidInput("give --out or --vdir, not both")
    items, counts = calendar_items(
        db,
        zone=zone,
        today=today,
        scheduler_settings=scheduler_settings,
        settings=settings,
        events=events,
    )
    kinds = {k: counts.get(k, 0) for k in _KINDS}
    if folder:
        target = vdir.ensure_folder(Path(folder).expanduser())
        result = ExportResult(len(items), str(target), kinds=kinds)
        files = [(vdir.item_path(target, uid, "ics"), data) for uid, data in _item_files(db, items)]
        keep = {path.name for path, _ in files}
        for (path, _), written in zip(files, vdir.write_each(files), strict=True):
            if isinstance(written, OSError):
                raise InvalidInput(f"cannot write {path}: {written.strerror}") from written
            if written.changed:
                result.written += 1
            else:
                result.unchanged += 1
        for path in vdir.items(target, "ics"):
            if path.name.startswith(UID_PREFIX) and path.name not in keep:
                path.unlink()
                result.removed += 1
        return result
    shell, *components = _rendered(db, items)
    data = ical.assemble(shell, components)
    if out and out != "-":
        path = Path(out).expanduser()
        if path.is_dir():
            raise InvalidInput(f"{out} is a folder", hint="use --vdir to write one file per item")
        try:
            written = vdir.write_atomic(path, data)
        except OSError as exc:
            raise InvalidInput(f"cannot write {out}: {exc.strerror}") from exc
        return ExportResult(len(items), str(path), int(written), int(not written), kinds=kinds)
    stream = stdout if stdout is not None else sys.stdout.buffer
    stream.write(data)
    stream.flush()
    return ExportResult(len(items), None, 1, 0, kinds=kinds)


ICS_RENDERER = ("lrm_cli.formats.ical", "icalendar")  # what a component's bytes depend on


def _rendered(db: Database, items: list[CalItem]) -> list[bytes]:
    """The empty VCALENDAR, then each item's component: from the render cache when the
    item is as when it was cached (services/rendering.py), else from the library."""
    from lrm_cli.formats import ical
    from lrm_cli.services import rendering
    from lrm_cli.services.fingerprints import item_print, renderer_stamp

    wanted = [rendering.Wanted("", f"calendar {__version__}", "")]
    wanted += [rendering.Wanted(i.uid, item_print(i), i.uid) for i in items]

    def render(indexes: list[int]) -> Iterator[bytes]:
        components = ical.component_bytes(items[i - 1] for i in indexes if i)
        for i in indexes:
            yield ical.calendar_shell(__version__) if i == 0 else next(components)

    stamp = renderer_stamp(*ICS_RENDERER)
    return rendering.rendered(db, "ics", stamp, wanted, render, whole=True)


def _item_files(db: Database, items: list[CalItem]) -> Iterator[tuple[str, bytes]]:
    """(uid, bytes) per item: a VCALENDAR holding its one component (a vdir item)."""
    from lrm_cli.formats import ical

    shell, *components = _rendered(db, items)
    for item, component in zip(items, components, strict=True):
        yield item.uid, ical.assemble(shell, (component,))
