"""The scheduler's use cases: cadences, due, balance, drift, upcoming, reminders, snooze,
and the daily digest. The rules applied to many contacts (due, balance, drift) are
``store/scheduler_sql.py``'s, for lists and for one contact (`show`) alike; the rules for
one contact or date (health, upcoming, recurrence) are ``lrm_cli.scheduler``'s."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, NamedTuple

from lrm_cli import dates, scheduler, words
from lrm_cli.clock import Clock
from lrm_cli.errors import ConfigError, InvalidInput, NotFound
from lrm_cli.normalize import clean_text, normalize_tag
from lrm_cli.scheduler import SchedulerSettings
from lrm_cli.services.lists import EPOCH_ORDINAL as _EPOCH_ORDINAL
from lrm_cli.services.lists import due_query as _due_query
from lrm_cli.services.stats import as_of as history_as_of
from lrm_cli.services.stats import day_end, ensure_fresh, midnight, windows
from lrm_cli.store import schedule as store
from lrm_cli.store import scheduler_sql as sql
from lrm_cli.store.db import Alongside, Database
from lrm_cli.store.localtime import ZoneSQL

if TYPE_CHECKING:
    from lrm_cli.domain import ContactRef


def resolve(conn, ref: str) -> ContactRef:
    """``services.refs.resolve``, imported on use: the digest and the lists never resolve a
    reference, and contact lookups pull in the domain's dataclasses."""
    from lrm_cli.services.refs import resolve as resolve_ref

    return resolve_ref(conn, ref)


# --- settings ---------------------------------------------------------------------------


@dataclass(frozen=True)
class DigestSettings:
    """``[digest]`` in config.toml."""

    upcoming_days: int = 14
    # each *_limit: the most people a section lists; 0 leaves the section out (its total
    # stays in the JSON), but due_limit, at least 1: the digest says whom to reach out to
    due_limit: int = 10
    drift_limit: int = 5
    one_sided_limit: int = 5
    one_sided_min_interactions: int = 3
    losing_touch_days: int = 180
    losing_touch_limit: int = 5

    @classmethod
    def from_mapping(cls, data: dict[str, Any]) -> DigestSettings:
        problems = []
        values = {}
        for key, value in data.items():
            if key not in cls.__dataclass_fields__:
                problems.append(f"unknown setting [digest] {key}")
            elif not isinstance(value, int) or isinstance(value, bool) or value < 0:
                problems.append(f"[digest] {key} must be a whole number >= 0")
            elif key == "due_limit" and value == 0:
                problems.append("[digest] due_limit must be 1 or more: whom to reach out to")
            else:
                values[key] = value
        if problems:
            raise ConfigError("; ".join(problems))
        return cls(**values)


# --- cadence and snooze -------------------------------------------------------------------


def set_cadence(
    db: Database, ref: str, text: str | None, clock: Clock
) -> tuple[ContactRef, int | None, bool]:
    """Set (``text`` None: clear) a contact's explicit cadence; the last value is False
    when it already was that (nothing written)."""
    days = dates.parse_duration_days(text) if text is not None else None
    with db.write() as conn:
        target = resolve(conn, ref)
        changed = store.set_contact_cadence(conn, target.id, days, clock.timestamp)
        return target, days, changed


def cadence_json(row: sql.CadenceRow, settings: SchedulerSettings) -> dict | None:
    """A contact's effective cadence and where it comes from: ``{days, source, tag,
    inferred_from}`` (``tag``: the tag it takes its cadence from; ``inferred_from``: how many
    interactions the median gap was taken over), or None when it has none."""
    if row.days is None:
        return None
    inferred_from = None
    if row.source == "inferred":
        inferred_from = scheduler.inferred_from(row.interactions, settings)
    return {
        "days": row.days,
        "source": row.source,
        "tag": row.tag if row.source == "tag" else None,
        "inferred_from": inferred_from,
    }


def _cadence_row(conn, contact_id: int, clock: Clock, local: ZoneSQL) -> sql.CadenceRow:
    row = sql.cadence_row(conn, local, contact_id, clock.today.isoformat())
    assert row is not None
    return row


def cadence_of(
    db: Database, ref: str, clock: Clock, settings: SchedulerSettings
) -> tuple[ContactRef, int | None, dict | None]:
    """A contact, its explicit cadence, and its effective cadence (:func:`cadence_json`)."""
    ensure_fresh(db, settings, clock.zone)
    with db.read() as conn:
        target = resolve(conn, ref)
        row = _cadence_row(conn, target.id, clock, ZoneSQL(clock.zone, clock.timestamp))
    return target, row.explicit, cadence_json(row, settings)


def list_tags(db: Database) -> list[dict[str, Any]]:
    """Every tag by name: ``{tag, contacts, archived, cadence_days}`` (``contacts``: active
    contacts carrying it; ``archived``: archived ones)."""
    from lrm_cli.store.reach_out import tags

    with db.read() as conn:
        rows = tags(conn)
    return [
        {
            "tag": r.name,
            "contacts": r.contacts,
            "archived": r.archived,
            "cadence_days": r.cadence_days,
        }
        for r in rows
    ]


def set_tag_cadence(
    db: Database, tag: str, text: str | None, warn: Callable[[str], None] | None = None
) -> tuple[str, int | None, bool]:
    """Set (``text`` None: clear) a tag's default cadence; the last value is False when
    it already was that (nothing written). A cadence for a tag that does not exist yet is
    kept for the contacts to come, but a near miss of a tag that does ("famly") is warned
    about, as ``tag add`` does: its contacts would never be due."""
    name = normalize_tag(tag)
    days = dates.parse_duration_days(text) if text is not None else None
    with db.write() as conn:
        from lrm_cli.services.contacts import tag_typos
        from lrm_cli.store import contacts as contact_store

        exists = contact_store.tag_id(conn, name, create=False) is not None
        if days is None and not exists:
            raise NotFound(f"no tag {name!r}")
        typos = [] if exists else tag_typos(conn, [name], "lrm undo takes it back")
        changed = store.set_tag_cadence(conn, name, days)
    for line in typos if warn is not None else ():
        warn(line)
    return name, days, changed


def snooze(
    db: Database, ref: str, until: str | None, clock: Clock
) -> tuple[ContactRef, date | None, bool]:
    """Snooze a contact until a day, or for a duration from today (``2w``, ``30d``, ``3m``,
    ``1y``: the durations cadences take); ``until`` None ends the snooze. The last value is
    False when it already was so (nothing written)."""
    day = dates.parse_day_ahead(until, "--until", clock.today) if until is not None else None
    if day is not None and day <= clock.today:
        raise InvalidInput(f"--until {until!r} is {day}, not in the future")
    with db.write() as conn:
        target = resolve(conn, ref)
        text = day.isoformat() if day else None
        changed = store.set_snooze(conn, target.id, text, clock.timestamp)
        return target, day, changed


# --- due ----------------------------------------------------------------------------------


_DAY_TEXT: dict[int, str] = {}


def _day_text(day: int) -> str:
    """``date.fromordinal(day).isoformat()``, remembered (lists repeat the same days)."""
    text = _DAY_TEXT.get(day)
    if text is None:
        text = _DAY_TEXT[day] = date.fromordinal(day).isoformat()
    return text


class DueItem(NamedTuple):
    """One due contact, as ``scheduler_sql.due_rows`` ranks and computes it: a tuple (a
    daily run may list tens of thousands). Days are ``date.toordinal()`` values, with date
    properties for people."""

    neg_urgency: float
    neg_overdue_days: int
    name: str
    id: int
    last_contact_day: int | None
    cadence_days: int
    cadence_source: str
    due_on_day: int

    @property
    def urgency(self) -> float:
        return 0.0 - self.neg_urgency  # never -0.0 ("-0.00" in a table, -0.0 in JSON)

    @property
    def overdue_days(self) -> int:
        return -self.neg_overdue_days

    @property
    def last_contact(self) -> date | None:
        day = self.last_contact_day
        return None if day is None else date.fromordinal(day)

    @property
    def due_on(self) -> date:
        return date.fromordinal(self.due_on_day)

    def as_json(self) -> dict[str, Any]:
        last = self.last_contact_day
        return {
            "id": self.id,
            "name": self.name,
            "last_contact": None if last is None else _day_text(last),
            "cadence_days": self.cadence_days,
            "cadence_source": self.cadence_source,
            "due_on": _day_text(self.due_on_day),
            "overdue_days": self.overdue_days,
            "urgency": self.urgency,
        }


UNTRACKED_NAMED = 3
"""How many of the contacts without a cadence an empty due list names."""


def untracked(db: Database, clock: Clock) -> tuple[int, list[str]]:
    """How many active, unsnoozed contacts have no cadence (``due`` never lists them), and
    the first UNTRACKED_NAMED of their names."""
    with db.read() as conn:
        return sql.untracked(conn, clock.today.isoformat(), UNTRACKED_NAMED)


def due(
    db: Database,
    clock: Clock,
    settings: SchedulerSettings,
    *,
    within: str | None = None,
    tag: str | None = None,
    limit: int | None = None,
) -> list[DueItem]:
    """Due and overdue contacts (and those due within ``within``), most urgent first."""
    return due_page(db, clock, settings, within=within, tag=tag, limit=limit)[0]


def due_page(
    db: Database,
    clock: Clock,
    settings: SchedulerSettings,
    *,
    within: str | None = None,
    tag: str | None = None,
    limit: int | None = None,
    as_of: sql.AsOf | None = None,
) -> tuple[list[DueItem], int]:
    """The ``limit`` most urgent due contacts (all without a limit) and how many are due;
    ``as_of``: over the history as of the end of a past day.

    SQLite does the whole computation (``scheduler_sql.due_rows``, ranked) so that only
    the rows shown reach Python."""
    query, local = _due_query(db, clock, settings, within, tag, as_of)
    with db.read() as conn:
        rows, total = sql.due_rows(conn, local, query, limit)
    return _due_items(rows), total


def _due_items(rows: list[tuple]) -> list[DueItem]:
    epoch = _EPOCH_ORDINAL
    return [
        DueItem(
            -milli / 1000,
            -overdue,
            name,
            cid,
            None if last is None else last + epoch,
            cadence,
            source,
            due_on + epoch,
        )
        for milli, overdue, name, cid, last, cadence, source, due_on in rows
    ]


# --- balance ------------------------------------------------------------------------------


class BalanceItem(NamedTuple):
    """One contact's reciprocity, as ``scheduler_sql.balance_rows`` computes it."""

    id: int
    name: str
    value: float | None  # clamped to [-1, 1]; None without interactions
    balance: float | None  # as shown: 3 decimals
    label: str | None
    me: int
    them: int
    mutual: int
    interactions: int
    recent: int
    previous: int

    @property
    def counts(self) -> tuple[int, int, int]:
        return (self.me, self.them, self.mutual)

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "balance": self.balance,
            "label": self.label,
            "initiated_by_me": self.me,
            "initiated_by_them": self.them,
            "mutual": self.mutual,
        }


def balance_query(
    conn, clock: Clock, settings: SchedulerSettings, contact_ids=None, **options
) -> sql.BalanceQuery:
    """The balance question for ``clock.today`` (in the caller's read transaction):
    everyone's, or ``contact_ids``'; ``options``: the rest of ``scheduler_sql.BalanceQuery``."""
    return sql.BalanceQuery(
        threshold=settings.balanced_threshold,
        windows=windows(conn, clock.today, clock.zone, settings, contact_ids),
        contact_ids=contact_ids,
        **options,
    )


def balances(
    db: Database, clock: Clock, settings: SchedulerSettings, ref: str | None = None
) -> list[BalanceItem]:
    """One contact's balance, or everyone's, most one-sided first."""
    ensure_fresh(db, settings, clock.zone, clock.today)
    with db.read() as conn:
        ids = None if ref is None else [resolve(conn, ref).id]
        rows = sql.balance_rows(conn, balance_query(conn, clock, settings, ids))
    return [BalanceItem(*r) for r in rows]


# --- drift --------------------------------------------------------------------------------


def drifting(
    db: Database,
    clock: Clock,
    settings: SchedulerSettings,
    limit: int | None = None,
    *,
    awake: bool = False,
) -> tuple[list[sql.DriftRow], int]:
    """The ``limit`` most faded drifting relationships (all without a limit), and how
    many are drifting (``scheduler_sql.drift_rows``); ``awake``: not the contacts snoozed
    past today (the digest's nudges)."""
    ensure_fresh(db, settings, clock.zone, clock.today)
    with db.read() as conn:
        return sql.drift_rows(
            conn,
            windows(conn, clock.today, clock.zone, settings),
            min_previous=settings.drift_min_previous,
            recent_days=settings.drift_recent_days,
            previous_days=settings.drift_previous_days,
            ratio=settings.drift_ratio,
            limit=limit,
            awake_on=clock.today.isoformat() if awake else None,
        )


def drift_json(row: sql.DriftRow) -> dict[str, Any]:
    return {
        "id": row.id,
        "name": row.name,
        "recent_count": row.recent_count,
        "previous_count": row.previous_count,
        "recent_rate": row.recent_rate,
        "previous_rate": row.previous_rate,
    }


# --- losing touch -------------------------------------------------------------------------


class LosingItem(NamedTuple):
    """A contact without a cadence, not contacted (or, never contacted, not added) for
    longer than the span asked (``scheduler_sql.losing_touch_rows``); days are
    ``date.toordinal()`` values."""

    id: int
    name: str
    last_contact_day: int | None
    added_day: int
    days_since: int
    interactions: int

    @property
    def last_contact(self) -> date | None:
        day = self.last_contact_day
        return None if day is None else date.fromordinal(day)

    @property
    def added_on(self) -> date:
        return date.fromordinal(self.added_day)

    def as_json(self) -> dict[str, Any]:
        last = self.last_contact_day
        return {
            "id": self.id,
            "name": self.name,
            "last_contact": None if last is None else _day_text(last),
            "added_on": _day_text(self.added_day),
            "days_since": self.days_since,
            "interactions": self.interactions,
        }


def losing_query(
    db: Database,
    clock: Clock,
    settings: SchedulerSettings,
    days: int,
    *,
    tag: str | None = None,
    limit: int | None = None,
    as_of: sql.AsOf | None = None,
) -> tuple[sql.LosingQuery, ZoneSQL]:
    """Who has gone more than ``days`` days without contact on ``clock.today``
    (aggregates refreshed first: an inferred cadence takes a contact off the list);
    ``as_of``: over the history as of the end of a past day."""
    if days < 0:
        raise InvalidInput(f"the span of losing touch ({days} days) must be 0 or more")
    ensure_fresh(db, settings, clock.zone)
    today = clock.today
    query = sql.LosingQuery(
        today=today.toordinal() - _EPOCH_ORDINAL,
        cutoff=midnight(today - timedelta(days=days), clock.zone),
        today_iso=today.isoformat(),
        tag=normalize_tag(tag) if tag else None,
        limit=limit,
        as_of=as_of,
    )
    return query, ZoneSQL(clock.zone, clock.timestamp)


def losing_touch(
    db: Database,
    clock: Clock,
    settings: SchedulerSettings,
    days: int,
    *,
    tag: str | None = None,
    limit: int | None = None,
    as_of: sql.AsOf | None = None,
) -> tuple[list[LosingItem], int]:
    """The ``limit`` contacts losing touch longest (all without a limit; none for 0), and
    how many there are: no cadence, active, not snoozed, and more than ``days`` days since
    the last contact, else since they were added."""
    query, local = losing_query(db, clock, settings, days, tag=tag, limit=limit, as_of=as_of)
    with db.read() as conn:
        rows, total = sql.losing_touch_rows(conn, local, query)
    epoch = _EPOCH_ORDINAL
    items = [
        LosingItem(cid, name, None if last is None else last + epoch, added + epoch, since, n)
        for cid, name, last, added, since, n in rows
    ]
    return items, total


def losing_touch_json(
    db: Database,
    clock: Clock,
    settings: SchedulerSettings,
    days: int,
    *,
    tag: str | None = None,
    limit: int | None = None,
) -> bytes | None:
    """:func:`losing_touch` as JSON objects written by SQLite (``scheduler_sql``)."""
    query, local = losing_query(db, clock, settings, days, tag=tag, limit=limit)
    with db.read() as conn:
        return sql.losing_touch_json(conn, local, query)


# --- upcoming and reminders -----------------------------------------------------------------


def upcoming(
    db: Database, clock: Clock, *, days: int = 14, as_of: sql.AsOf | None = None
) -> list[scheduler.Upcoming]:
    """Dates, reminders and planned interactions within ``days`` (any span: a yearly date
    recurs in the list as often as it falls in it; dates.parse_span_days bounds what
    people type). ``as_of``: the plans made by the end of a past day (``digest --date``)."""
    if days < 0:
        raise InvalidInput(f"--days {days} must be 0 or more")
    today = clock.today
    with db.read() as conn:
        dated = [
            scheduler.DatedItem(
                kind=r.kind,
                partial=r.date,
                contact_id=r.contact_id,
                contact_name=r.contact_name,
                title=r.label,
                lead_days=r.lead_days,
            )
            for r in store.yearly_dates(
                conn, _month_days(today, scheduler.reach(days, store.longest_lead(conn)))
            )
        ]
        due_by = (today + timedelta(days=days)).isoformat()
        reminders = [
            scheduler.ReminderItem(
                id=r.id,
                title=r.title,
                due_on=date.fromisoformat(r.due_on),
                contact_id=r.contact_id,
                contact_name=r.contact_name,
            )
            for r in store.open_reminders(conn, due_by=due_by)
        ]
        plans = store.planned_interactions(
            conn,
            midnight(today, clock.zone),
            midnight(today + timedelta(days=days + 1), clock.zone),
            as_of,
        )
    return scheduler.upcoming(
        today=today,
        days=days,
        dates=dated,
        reminders=reminders,
        planned=scheduler.planned_items(plans, clock.zone),
    )


def _month_days(today: date, days: int) -> list[str] | None:
    """The ``MM-DD`` of every day in [today, today + days] (29 February with the days
    around it: it is celebrated on 28 February in common years); None for a whole year."""
    if days >= 365:
        return None
    out = {(today + timedelta(days=n)).strftime("%m-%d") for n in range(days + 1)}
    if out & {"02-28", "02-29", "03-01"}:
        out.add("02-29")
    return sorted(out)


def upcoming_json(item: scheduler.Upcoming) -> dict[str, Any]:
    contact = None
    if item.contact_id is not None:
        contact = {"id": item.contact_id, "name": item.contact_name}
    return {
        "date": item.date.isoformat(),
        "kind": item.kind,
        "contact": contact,
        "title": item.title,
        "days_until": item.days_until,
        "turns": item.turns,
        "lead_days": item.lead_days,
        "reminder_id": item.reminder_id,
        "interaction_id": item.interaction_id,
    }


@dataclass(frozen=True)
class Reminder:
    row: store.ReminderRow
    today: date

    @property
    def due_on(self) -> date:
        return date.fromisoformat(self.row.due_on)

    def as_json(self) -> dict[str, Any]:
        r = self.row
        contact = {"id": r.contact_id, "name": r.contact_name} if r.contact_id else None
        return {
            "id": r.id,
            "uid": r.uid,
            "title": r.title,
            "due_on": r.due_on,
            "recurrence": r.recurrence,
            "done": r.done_at is not None,
            "contact": contact,
            "overdue_days": (self.today - self.due_on).days,
        }


def add_reminder(
    db: Database, ref: str | None, title: str, on: str | None, every: str | None, clock: Clock
) -> Reminder:
    text = clean_text(title, "reminder", required=True)
    due_on = dates.parse_day_ahead(on, "--on", clock.today) if on is not None else clock.today
    rule = scheduler.anchored(scheduler.parse_every(every), due_on) if every else None
    with db.write() as conn:
        contact_id = resolve(conn, ref).id if ref else None
        reminder_id = store.insert_reminder(
            conn,
            uid=_new_uid(),
            contact_id=contact_id,
            title=text,
            due_on=due_on.isoformat(),
            recurrence=rule,
            now=clock.timestamp,
        )
        row = store.get_reminder(conn, reminder_id)
    assert row is not None
    return Reminder(row, clock.today)


def hidden_reminders(db: Database, contact_id: int) -> int:
    """How many reminders of an archived contact are open but hidden (0: not archived)."""
    with db.read() as conn:
        return store.hidden_reminders(conn, contact_id)


def hidden_reminders_line(name: str, count: int) -> str:
    """What `archive` and `remind` say when reminders are hidden with their contact."""
    return (
        f"{name} is archived: {words.plural(count, 'open reminder')} hidden from reminders,"
        " upcoming and the digest until `lrm unarchive`"
    )


def list_reminders(
    db: Database,
    clock: Clock,
    *,
    include_done: bool = False,
    as_of: sql.AsOf | None = None,
    contact_id: int | None = None,
) -> list[Reminder]:
    """Open reminders (``include_done``: all), soonest first; ``as_of``: only the open
    ones that existed at the end of its day; ``contact_id``: only that contact's open ones
    (for `show`)."""
    with db.read() as conn:
        if include_done:
            rows = store.all_reminders(conn)
        else:
            rows = store.open_reminders(conn, as_of=as_of, contact_id=contact_id)
    return [Reminder(r, clock.today) for r in rows]


def complete(db: Database, reminder_id: int, clock: Clock) -> tuple[Reminder, date | None, bool]:
    """Mark a reminder done; a recurring one moves to its next date instead. The last
    value is False when it already was done (a second `lrm done`: nothing written, as
    every write asked to set what is already so)."""
    with db.write() as conn:
        row = store.get_reminder(conn, reminder_id)
        if row is None:
            raise NotFound(f"no reminder #{reminder_id}", hint="lrm reminders")
        if row.done_at is not None:
            return Reminder(row, clock.today), None, False
        following = None
        if row.recurrence:
            due_on = date.fromisoformat(row.due_on)
            # a rule from before lrm wrote the day in it gets it now, from the date it had
            rule = scheduler.anchored(row.recurrence, due_on, keep=row.recurrence)
            following = scheduler.next_due(due_on, rule, max(clock.today, due_on))
            store.move_reminder(conn, reminder_id, following.isoformat(), rule)
        else:
            store.complete_reminder(conn, reminder_id, clock.timestamp)
        updated = store.get_reminder(conn, reminder_id)
    assert updated is not None
    return Reminder(updated, clock.today), following, True


# --- one contact (for `show`) ---------------------------------------------------------------


def contact_schedule(
    db: Database, contact_id: int, clock: Clock, settings: SchedulerSettings
) -> dict[str, Any]:
    """Cadence, due date, balance and health of one contact, for `show`: the statements
    of the lists (``due``, ``balance``) for its id."""
    ensure_fresh(db, settings, clock.zone, clock.today)
    today = clock.today
    local = ZoneSQL(clock.zone, clock.timestamp)
    now = today.toordinal() - _EPOCH_ORDINAL
    query = sql.DueQuery(now, None, None, today.isoformat(), contact_id=contact_id)
    with db.read() as conn:
        cadence = _cadence_row(conn, contact_id, clock, local)
        due_items = _due_items(sql.due_rows(conn, local, query)[0])
        asked = balance_query(conn, clock, settings, [contact_id])
        (balance,) = sql.balance_rows(conn, asked)
        sentiment = store.mean_sentiment(conn, contact_id, asked.windows.target.counts_start)
    snoozed = None
    if cadence.snoozed_until:
        until = date.fromisoformat(cadence.snoozed_until)
        snoozed = {"until": until.isoformat(), "days_left": (until - today).days}
    health = scheduler.health(
        days_since=None if cadence.last_day is None else now - cadence.last_day,
        cadence_days=cadence.days,
        balance=balance.value,
        balance_label=balance.label,
        recent_count=balance.recent,
        previous_count=balance.previous,
        mean_sentiment=sentiment,
        settings=settings,
    )
    return {
        "cadence": cadence_json(cadence, settings),
        "snoozed": snoozed,
        "due": due_items[0].as_json() if due_items else None,
        "balance": BalanceItem(*balance).as_json(),
        "health": {
            "score": health.score,
            "components": [
                {
                    "name": h.name,
                    "value": round(h.value, 3),
                    "weight": h.weight,
                    "explanation": h.explanation,
                }
                for h in health.components
            ],
        },
    }


# --- digest -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Digest:
    date: date
    due: list[DueItem]
    upcoming: list[scheduler.Upcoming]
    reminders: list[Reminder]
    drifting: list[sql.DriftRow]
    one_sided: list[BalanceItem]
    losing_touch: list[LosingItem] = field(default_factory=list)
    totals: dict[str, int] = field(default_factory=dict)
    details: dict[int, Any] = field(default_factory=dict)  # due id -> reach_out.Detail
    topics: dict[int, Any] = field(default_factory=dict)  # listed id -> reach_out.Topic
    upcoming_days: int = DigestSettings.upcoming_days  # how far ahead dates and reminders go
    untracked_names: list[str] | None = None  # the first contacts without a cadence, or None

    def as_json(self, explain: bool = False) -> dict[str, Any]:
        """``explain``: each due item's ``next_step`` also lists the rules tried."""
        due = []
        for i in self.due:
            item = i.as_json()
            detail = self.details.get(i.id)
            if detail is not None:
                item.update(detail.as_json(explain))
            due.append(self._topic(item))
        return {
            "date": self.date.isoformat(),
            "upcoming_days": self.upcoming_days,
            "due": due,
            "upcoming": [self._date_topic(upcoming_json(u)) for u in self.upcoming],
            "reminders": [r.as_json() for r in self.reminders],
            "drifting": [self._topic(drift_json(d)) for d in self.drifting],
            "one_sided": [self._topic(b.as_json()) for b in self.one_sided],
            "losing_touch": [self._topic(i.as_json()) for i in self.losing_touch],
            "totals": self.totals,
            "untracked_names": self.untracked_names,
        }

    def _date_topic(self, item: dict[str, Any]) -> dict[str, Any]:
        """A coming date with ``last_topic``: what was last talked about with its person
        (None for a date of nobody's): what a birthday message can pick up."""
        topic = None if item["contact"] is None else self.topics.get(item["contact"]["id"])
        item["last_topic"] = None if topic is None else topic.as_json()
        return item

    def _topic(self, item: dict[str, Any]) -> dict[str, Any]:
        """``item`` (a listed contact) with ``last_topic``: what was last talked about."""
        topic = self.topics.get(item["id"])
        item["last_topic"] = None if topic is None else topic.as_json()
        return item


def digest(
    db: Database,
    clock: Clock,
    settings: SchedulerSettings,
    digest_settings: DigestSettings,
    *,
    past: bool = False,
) -> Digest:
    """Everything for the morning, for ``clock.today``; deterministic for a date and db.

    ``past``: ``clock.today`` is a day before today (``digest --date``), and the page is
    the one that day would have shown: the interactions after the end of that day count
    nowhere (as if not yet logged: not as the last contact, the last topic, in the
    due dates, the inferred cadences, the balances, losing touch; drift's windows end
    with the day anyway), and the reminders created after it do not show (they did not
    exist yet). What is not dated stays as it is now: contacts, cadences, tags, snoozes,
    dates, notes, methods, and which reminders are done (a reminder done since then
    does not show; a repeating one shows its next date as it is now). For today and a
    later day (planning ahead), an interaction logged ahead with --future counts as
    ``lrm due`` counts it, except in the one-sided balances, which are always as of the
    digest's day."""
    with db.read() as conn:
        upto = history_as_of(conn, clock.today, clock.zone, settings)  # None: nothing later
    # a past day bounds what existed (reminders, notes) even when nothing happened since
    then = (upto or day_end(clock.today, clock.zone)) if past else None
    ensure_fresh(db, settings, clock.zone, clock.today)  # once, before both sides read

    def other_side(twin: Database) -> tuple:
        """The sections read in a second thread, about as long as the due page."""
        coming = upcoming(twin, clock, days=digest_settings.upcoming_days, as_of=then)
        # a limit of 0 leaves a section out; the query still counts (totals in JSON)
        # a snoozed contact is left out of the nudges (as out of due and losing touch)
        drift = drifting(
            twin, clock, settings, limit=max(1, digest_settings.drift_limit), awake=True
        )
        with twin.read() as conn:
            query = balance_query(
                conn,
                clock,
                settings,
                one_sided=True,
                min_interactions=digest_settings.one_sided_min_interactions,
                as_of=upto,  # as of that day, whichever day (issue 12)
                # one more than shown says whether there are more: counting them all
                # would be a second pass over every contact (a fifth of the page at 100k)
                limit=digest_settings.one_sided_limit + 1,
                awake_on=clock.today.isoformat(),
            )
            one_sided = [BalanceItem(*r) for r in sql.balance_rows(conn, query)]
        losing = losing_touch(
            twin,
            clock,
            settings,
            digest_settings.losing_touch_days,
            limit=digest_settings.losing_touch_limit,
            as_of=then,
        )
        return coming, drift, one_sided, losing

    side = Alongside(db, other_side)
    try:
        shown_due, due_total = due_page(
            db, clock, settings, limit=digest_settings.due_limit, as_of=then
        )
        open_reminders = list_reminders(db, clock, as_of=then)
    except BaseException:
        side.join()  # not left reading while this error ends the command
        raise
    coming_all, (drift, drift_total), one_sided, (losing, losing_total) = side.result()
    one_sided_more = len(one_sided) > digest_settings.one_sided_limit
    coming = [u for u in coming_all if u.kind != "reminder"]
    horizon = clock.today + timedelta(days=digest_settings.upcoming_days)
    reminders = [r for r in open_reminders if r.due_on <= horizon]
    from lrm_cli.services.reach_out import details, last_topics

    one_sided = one_sided[: digest_settings.one_sided_limit]  # 0: none
    drift = drift[: digest_settings.drift_limit]
    # counted only for an empty "Reach out", which then says why
    untracked_total, untracked_names = untracked(db, clock) if due_total == 0 else (None, None)
    listed = [i.id for i in (*shown_due, *drift, *one_sided, *losing)]
    listed += [u.contact_id for u in coming if u.contact_id is not None]
    return Digest(
        date=clock.today,
        due=shown_due,
        upcoming=coming,
        reminders=reminders,
        drifting=drift,
        one_sided=one_sided,
        losing_touch=losing,
        totals={
            "due": due_total,
            "drifting": drift_total,
            "one_sided_more": one_sided_more,  # not counted: see other_side
            "losing_touch": losing_total,
            "untracked": untracked_total,
            "reminders": len(open_reminders),  # later ones too: an empty list says so
        },
        upcoming_days=digest_settings.upcoming_days,
        untracked_names=untracked_names,
        details=details(db, clock, settings, shown_due, coming, reminders, as_of=then),
        topics=last_topics(db, clock, listed, as_of=then),
    )


def to_act_on(digest: dict[str, Any]) -> bool:
    """Whether a digest (its JSON value) holds something to act on today, which
    ``digest --fail-if-due`` exits 10 for: someone due (counted past the digest's limit),
    a reminder due on the digest's day or overdue, or a birthday, anniversary or other
    date on that day. Dates and reminders still ahead, drifting, one-sided and losing
    touch are there to read, not to act on today."""
    return (
        digest["totals"]["due"] > 0
        or any(r["overdue_days"] >= 0 for r in digest["reminders"])
        or any(u["days_until"] == 0 for u in digest["upcoming"])
    )


def _new_uid() -> str:
    from lrm_cli.store.contacts import new_uid

    return new_uid()
