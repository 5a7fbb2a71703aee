"""The scheduler's use cases: cadences, due, balance, drift, upcoming, reminders, snooze,
and the daily digest. SQL narrows and aggregates; ``lrm_cli.scheduler`` decides."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo
from typing import TYPE_CHECKING, Any, NamedTuple

from lrm_cli import dates, scheduler
from lrm_cli.clock import Clock
from lrm_cli.errors import ConfigError, InvalidInput, NotFound
from lrm_cli.normalize import clean_text, normalize_tag
from lrm_cli.scheduler import SchedulerSettings
from lrm_cli.services.lists import EPOCH_ORDINAL as _EPOCH_ORDINAL
from lrm_cli.services.lists import due_query as _due_query
from lrm_cli.services.stats import ensure_fresh, ensure_windows, sums_after, target_window
from lrm_cli.store import schedule as store
from lrm_cli.store import stats as stats_store
from lrm_cli.store.db import Database

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
    due_limit: int = 10
    drift_limit: int = 5
    one_sided_limit: int = 5
    one_sided_min_interactions: int = 3

    @classmethod
    def from_mapping(cls, data: dict[str, Any]) -> DigestSettings:
        problems = []
        values = {}
        for key, value in data.items():
            if key not in cls.__dataclass_fields__:
                problems.append(f"unknown setting [digest] {key}")
            elif not isinstance(value, int) or isinstance(value, bool) or value < 0:
                problems.append(f"[digest] {key} must be a whole number >= 0")
            else:
                values[key] = value
        if problems:
            raise ConfigError("; ".join(problems))
        return cls(**values)


# --- time helpers -------------------------------------------------------------------------


def _local_day(ts: int | None, zone: tzinfo) -> date | None:
    return None if ts is None else datetime.fromtimestamp(ts, zone).date()


def _ref(row) -> dict[str, Any]:
    return {"id": row.id, "name": row.name}


# --- cadence and snooze -------------------------------------------------------------------


def set_cadence(
    db: Database, ref: str, text: str | None, clock: Clock
) -> tuple[ContactRef, int | None]:
    days = dates.parse_duration_days(text) if text is not None else None
    with db.write() as conn:
        target = resolve(conn, ref)
        store.set_contact_cadence(conn, target.id, days, clock.timestamp)
        return target, days


def cadence_json(conn, row: store.TrackedRow, settings: SchedulerSettings) -> dict | None:
    """A contact's effective cadence and where it comes from: ``{days, source, tag,
    inferred_from}`` (``tag``: the tag it takes its cadence from; ``inferred_from``: how many
    interactions the median gap was taken over), or None when it has none."""
    cadence = scheduler.effective_cadence(
        row.explicit_cadence, [row.tag_cadence] if row.tag_cadence else [], row.inferred_cadence
    )
    if cadence is None:
        return None
    from lrm_cli.store.reach_out import cadence_tag

    tag = cadence_tag(conn, row.id) if cadence.source == "tag" else None
    inferred_from = None
    if cadence.source == "inferred":
        inferred_from = min(row.interaction_count, settings.inferred_sample)
    return {
        "days": cadence.days,
        "source": cadence.source,
        "tag": tag,
        "inferred_from": inferred_from,
    }


def cadence_of(
    db: Database, ref: str, settings: SchedulerSettings
) -> tuple[ContactRef, int | None, dict | None]:
    """A contact, its explicit cadence, and its effective cadence (:func:`cadence_json`)."""
    ensure_fresh(db, settings)
    with db.read() as conn:
        target = resolve(conn, ref)
        row = store.tracked(conn, target.id)
        assert row is not None
        return target, row.explicit_cadence, cadence_json(conn, row, settings)


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


def set_tag_cadence(db: Database, tag: str, text: str | None) -> tuple[str, int | None]:
    name = normalize_tag(tag)
    days = dates.parse_duration_days(text) if text is not None else None
    with db.write() as conn:
        from lrm_cli.store import contacts as contact_store

        if days is None and contact_store.tag_id(conn, name, create=False) is None:
            raise NotFound(f"no tag {name!r}")
        store.set_tag_cadence(conn, name, days)
    return name, days


def snooze(
    db: Database, ref: str, until: str | None, clock: Clock
) -> tuple[ContactRef, date | None]:
    day = dates.parse_day(until, clock.today, prefer="future") if until else None
    if day is not None and day <= clock.today:
        raise InvalidInput(f"--until {until!r} is {day}, not in the future")
    with db.write() as conn:
        target = resolve(conn, ref)
        store.set_snooze(conn, target.id, day.isoformat() if day else None, clock.timestamp)
        return target, day


# --- due ----------------------------------------------------------------------------------


_DAY_TEXT: dict[int, str] = {}


def _day_text(day: int) -> str:
    """``date.fromordinal(day).isoformat()``, remembered (lists repeat the same days)."""
    text = _DAY_TEXT.get(day)
    if text is None:
        text = _DAY_TEXT[day] = date.fromordinal(day).isoformat()
    return text


class DueItem(NamedTuple):
    """One due contact: a tuple (a daily run may list tens of thousands), whose fields
    come in urgency order, so that a plain ``sort()`` ranks a list most urgent first:
    urgency, then days overdue, descending; then name and id. Days are
    ``date.toordinal()`` values, with date properties for people."""

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
        return -self.neg_urgency

    @property
    def overdue_days(self) -> int:
        return -self.neg_overdue_days

    @property
    def last_contact(self) -> date | None:
        day = self.last_contact_day
        return None if day is None else date.fromordinal(day)

    @property
    def due(self) -> scheduler.Due:
        return scheduler.Due(
            due_on=date.fromordinal(self.due_on_day),
            overdue_days=self.overdue_days,
            urgency=self.urgency,
            days_since=self.overdue_days + self.cadence_days,
            cadence_days=self.cadence_days,
            cadence_source=self.cadence_source,
        )

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


def _due_item(row: store.TrackedRow, today: date, zone: tzinfo) -> DueItem | None:
    cadence = scheduler.effective_cadence(
        row.explicit_cadence, [row.tag_cadence] if row.tag_cadence else [], row.inferred_cadence
    )
    last = _local_day(row.last_at, zone)
    status = scheduler.due_status(
        last_contact=last,
        created=_local_day(row.created_at, zone),
        cadence=cadence,
        today=today,
        snoozed_until=date.fromisoformat(row.snoozed_until) if row.snoozed_until else None,
        archived=row.archived,
    )
    if status is None:
        return None
    return DueItem(
        -status.urgency,
        -status.overdue_days,
        row.name,
        row.id,
        last.toordinal() if last else None,
        status.cadence_days,
        status.cadence_source,
        status.due_on.toordinal(),
    )


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
) -> tuple[list[DueItem], int]:
    """The ``limit`` most urgent due contacts (all without a limit) and how many are due.

    SQLite does the whole computation (``store.due_rows``: ``scheduler.due_status`` on
    local calendar days, ranked) so that only the rows shown reach Python."""
    query, local = _due_query(db, clock, settings, within, tag)
    with db.read() as conn:
        rows, total = store.due_rows(conn, local, query, limit)
    epoch = _EPOCH_ORDINAL
    items = [
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
    return items, total


# --- balance ------------------------------------------------------------------------------


class BalanceItem(NamedTuple):
    """One contact's reciprocity. A tuple whose fields come in display order (most
    one-sided first, then name and id), so a plain ``sort()`` ranks a list."""

    neg_abs_balance: float
    name: str
    id: int
    balance: float | None
    label: str | None
    me: int
    them: int
    mutual: int
    interaction_count: int

    @property
    def counts(self) -> tuple[int, int, int]:
        return (self.me, self.them, self.mutual)

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "balance": None if self.balance is None else scheduler.to_thousandths(self.balance),
            "label": self.label,
            "initiated_by_me": self.me,
            "initiated_by_them": self.them,
            "mutual": self.mutual,
        }


def _windows(today: date, zone: tzinfo, settings: SchedulerSettings) -> dict[str, int]:
    w = target_window(today, zone, settings)
    return {
        "previous_start": w.previous_start,
        "recent_start": w.recent_start,
        "end": w.end_at,
        "counts_start": w.counts_start,
    }


def balance_items(rows: list[tuple], settings: SchedulerSettings) -> list[BalanceItem]:
    """BalanceItems for rows shaped like ``stats_store.balance_rows``."""
    items = []
    for cid, name, num, den, me, them, mutual, count in rows:
        value = scheduler.balance_from_sums(num, den)
        label = None if value is None else scheduler.balance_label(value, settings)
        items.append(
            BalanceItem(-abs(value or 0), name, cid, value, label, me, them, mutual, count)
        )
    return items


def _balance_of_row(row: store.TrackedRow, counts, settings) -> BalanceItem:
    me, them, mutual = (counts.me, counts.them, counts.mutual) if counts else (0, 0, 0)
    values = (row.balance_num, row.balance_den, me, them, mutual, row.interaction_count)
    return balance_items([(row.id, row.name, *values)], settings)[0]


def balances(
    db: Database, clock: Clock, settings: SchedulerSettings, ref: str | None = None
) -> list[BalanceItem]:
    """One contact's balance, or everyone's, most one-sided first."""
    ensure_fresh(db, settings)
    if ref is not None:
        windows = _windows(clock.today, clock.zone, settings)
        with db.read() as conn:
            target = resolve(conn, ref)
            row = store.tracked(conn, target.id)
            assert row is not None
            counts = stats_store.window_counts(conn, contact_ids=[target.id], **windows)
        return [_balance_of_row(row, counts.get(target.id), settings)]
    ensure_windows(db, clock.today, clock.zone, settings)
    with db.read() as conn:
        rows = stats_store.balance_rows(conn)
    items = balance_items(rows, settings)
    items.sort()  # BalanceItem's field order is the display order
    return items


# --- drift --------------------------------------------------------------------------------


@dataclass(frozen=True)
class DriftItem:
    id: int
    name: str
    drift: scheduler.Drift

    def as_json(self) -> dict[str, Any]:
        d = self.drift
        return {
            "id": self.id,
            "name": self.name,
            "recent_count": d.recent_count,
            "previous_count": d.previous_count,
            "recent_rate": d.recent_rate,
            "previous_rate": d.previous_rate,
        }


def drifting(
    db: Database, clock: Clock, settings: SchedulerSettings, limit: int | None = None
) -> tuple[list[DriftItem], int]:
    """The ``limit`` most faded drifting relationships (all without a limit), and how
    many are drifting. SQLite decides and ranks; ``scheduler.drift`` computes what is
    shown (tests hold the two to the same decision)."""
    ensure_fresh(db, settings)
    ensure_windows(db, clock.today, clock.zone, settings)
    with db.read() as conn:
        rows, total = stats_store.drift_rows(
            conn,
            min_previous=settings.drift_min_previous,
            recent_days=settings.drift_recent_days,
            previous_days=settings.drift_previous_days,
            ratio=settings.drift_ratio,
            limit=limit,
        )
    items = []
    for cid, name, recent, previous in rows:
        found = scheduler.drift(recent, previous, settings)
        assert found is not None, "SQL and scheduler.drift disagree"
        items.append(DriftItem(cid, name, found))
    return items, total


# --- upcoming and reminders -----------------------------------------------------------------


def upcoming(db: Database, clock: Clock, *, days: int = 14) -> list[scheduler.Upcoming]:
    """Dates and reminders within ``days`` (any span: a yearly date recurs in the list
    as often as it falls in it; dates.parse_span_days bounds what people type)."""
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
            for r in store.yearly_dates(conn, _month_days(today, days))
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
    return scheduler.upcoming(today=today, days=days, dates=dated, reminders=reminders)


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
    due_on = dates.parse_day(on, clock.today, prefer="future") if on else clock.today
    rule = scheduler.parse_every(every) if every else None
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


def list_reminders(db: Database, clock: Clock, *, include_done: bool = False) -> list[Reminder]:
    with db.read() as conn:
        rows = store.all_reminders(conn) if include_done else store.open_reminders(conn)
    return [Reminder(r, clock.today) for r in rows]


def complete(db: Database, reminder_id: int, clock: Clock) -> tuple[Reminder, date | None]:
    """Mark a reminder done; a recurring one moves to its next date instead."""
    with db.write() as conn:
        row = store.get_reminder(conn, reminder_id)
        if row is None:
            raise NotFound(f"no reminder #{reminder_id}", hint="lrm reminders")
        if row.done_at is not None:
            raise InvalidInput(f"reminder #{reminder_id} is already done")
        following = None
        if row.recurrence:
            following = scheduler.next_due(
                date.fromisoformat(row.due_on),
                row.recurrence,
                max(clock.today, date.fromisoformat(row.due_on)),
            )
            store.move_reminder(conn, reminder_id, following.isoformat())
        else:
            store.complete_reminder(conn, reminder_id, clock.timestamp)
        updated = store.get_reminder(conn, reminder_id)
    assert updated is not None
    return Reminder(updated, clock.today), following


# --- one contact (for `show`) ---------------------------------------------------------------


def contact_schedule(
    db: Database, contact_id: int, clock: Clock, settings: SchedulerSettings
) -> dict[str, Any]:
    """Cadence, due date, balance and health of one contact, for `show`."""
    ensure_fresh(db, settings)
    today, zone = clock.today, clock.zone
    windows = _windows(today, zone, settings)
    with db.read() as conn:
        row = store.tracked(conn, contact_id)
        assert row is not None
        counts = stats_store.window_counts(conn, contact_ids=[contact_id], **windows)
        sentiment = store.mean_sentiment(conn, contact_id, windows["counts_start"])
        cadence_shown = cadence_json(conn, row, settings)
    c = counts.get(contact_id)
    item = _due_item(row, today, zone)
    cadence = scheduler.effective_cadence(
        row.explicit_cadence, [row.tag_cadence] if row.tag_cadence else [], row.inferred_cadence
    )
    snoozed = None
    if row.snoozed_until and today < date.fromisoformat(row.snoozed_until):
        until = date.fromisoformat(row.snoozed_until)
        snoozed = {"until": until.isoformat(), "days_left": (until - today).days}
    value = scheduler.balance_from_sums(row.balance_num, row.balance_den)
    last = _local_day(row.last_at, zone)
    health = scheduler.health(
        days_since=(today - last).days if last else None,
        cadence_days=cadence.days if cadence else None,
        balance=value,
        recent_count=c.recent if c else 0,
        previous_count=c.previous if c else 0,
        mean_sentiment=sentiment,
        settings=settings,
    )
    return {
        "cadence": cadence_shown,
        "snoozed": snoozed,
        "due": None if item is None else item.as_json(),
        "balance": _balance_of_row(row, c, settings).as_json(),
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
    drifting: list[DriftItem]
    one_sided: list[BalanceItem]
    totals: dict[str, int] = field(default_factory=dict)
    details: dict[int, Any] = field(default_factory=dict)  # due id -> reach_out.Detail

    def as_json(self, explain: bool = False) -> dict[str, Any]:
        """``explain``: each due item's ``next_step`` also lists the rules tried."""
        due = []
        for i in self.due:
            item = i.as_json()
            detail = self.details.get(i.id)
            if detail is not None:
                item.update(detail.as_json(explain))
            due.append(item)
        return {
            "date": self.date.isoformat(),
            "due": due,
            "upcoming": [upcoming_json(u) for u in self.upcoming],
            "reminders": [r.as_json() for r in self.reminders],
            "drifting": [d.as_json() for d in self.drifting],
            "one_sided": [b.as_json() for b in self.one_sided],
            "totals": self.totals,
        }


def digest(
    db: Database, clock: Clock, settings: SchedulerSettings, digest_settings: DigestSettings
) -> Digest:
    """Everything for the morning, for ``clock.today``; deterministic for a date and db."""
    shown_due, due_total = due_page(db, clock, settings, limit=digest_settings.due_limit)
    coming = [
        u for u in upcoming(db, clock, days=digest_settings.upcoming_days) if u.kind != "reminder"
    ]
    reminders = [
        r
        for r in list_reminders(db, clock)
        if r.due_on <= clock.today + timedelta(days=digest_settings.upcoming_days)
    ]
    drift, drift_total = drifting(db, clock, settings, limit=digest_settings.drift_limit)
    one_sided = [
        b
        for b in _one_sided_candidates(db, clock, settings, digest_settings)
        if b.label not in (None, "balanced")
    ]
    from lrm_cli.services.reach_out import details

    return Digest(
        date=clock.today,
        due=shown_due,
        upcoming=coming,
        reminders=reminders,
        drifting=drift,
        one_sided=one_sided[: digest_settings.one_sided_limit],
        totals={"due": due_total, "drifting": drift_total},
        details=details(db, clock, settings, shown_due, coming, reminders),
    )


def _one_sided_candidates(db, clock, settings, digest_settings) -> list[BalanceItem]:
    """The most one-sided relationships: SQLite ranks the maintained sums (the balance
    clamped to [-1, 1], as ``scheduler.balance_from_sums``) and returns only the few shown,
    with their window counts."""
    ensure_windows(db, clock.today, clock.zone, settings)
    with db.read() as conn:
        rows = stats_store.most_one_sided(
            conn,
            threshold=settings.balanced_threshold,
            min_interactions=digest_settings.one_sided_min_interactions,
            limit=digest_settings.one_sided_limit,
            minus=sums_after(conn, clock.today, clock.zone, settings),  # as of that day
        )
    return balance_items(rows, settings)


def _new_uid() -> str:
    from lrm_cli.store.contacts import new_uid

    return new_uid()
