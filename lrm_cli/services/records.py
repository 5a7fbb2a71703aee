"""Notes, interactions, the timeline, relationships and important dates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from lrm_cli import dates
from lrm_cli.clock import Clock
from lrm_cli.domain import (
    DATE_KINDS,
    INITIATORS,
    INTERACTION_KINDS,
    RELATIONSHIP_KINDS,
    Contact,
    ContactRef,
    ImportantDate,
    Interaction,
    InvalidInput,
    Note,
    NotFound,
)
from lrm_cli.normalize import clean_text, normalize_choice, optional_text, parse_sentiment
from lrm_cli.scheduler import SchedulerSettings
from lrm_cli.services.refs import resolve, resolve_many
from lrm_cli.services.stats import fold_interaction
from lrm_cli.store import contacts as contact_store
from lrm_cli.store import records as store
from lrm_cli.store.db import Database


def add_note(db: Database, ref: str, body: str, clock: Clock, *, pinned: bool = False) -> Note:
    text = clean_text(body, "note", multiline=True, required=True)
    with db.write() as conn:
        target = resolve(conn, ref)
        note_id = store.insert_note(conn, target.id, text, pinned, clock.timestamp)
        contact_store.touch(conn, target.id, clock.timestamp)
        note = store.get_note(conn, note_id)
        assert note is not None
        return note


@dataclass(frozen=True)
class LogRequest:
    contacts: list[str]
    kind: str = "other"
    initiator: str = "mutual"
    when: str | None = None
    summary: str | None = None
    sentiment: str | None = None
    weight: float | None = None


def log_interaction(
    db: Database, request: LogRequest, clock: Clock, settings: SchedulerSettings | None = None
) -> Interaction:
    """One interaction with one or more contacts (a dinner with three friends is one);
    the participants' aggregates (contact_stats) are updated in the same transaction."""
    if not request.contacts:
        raise InvalidInput("name at least one contact")
    kind = normalize_choice(request.kind, INTERACTION_KINDS, "kind")
    initiator = normalize_choice(request.initiator, INITIATORS, "initiator")
    sentiment = parse_sentiment(request.sentiment)
    summary = optional_text(request.summary, "summary") if request.summary is not None else None
    if request.weight is not None and not 0 < request.weight <= 100:
        raise InvalidInput(f"weight {request.weight} must be above 0 and at most 100")
    when = dates.parse_when(request.when, clock.now) if request.when else clock.now
    with db.write() as conn:
        people = resolve_many(conn, request.contacts)
        interaction_id = store.insert_interaction(
            conn,
            occurred_at=int(when.timestamp()),
            kind=kind,
            initiator=initiator,
            summary=summary,
            sentiment=sentiment,
            weight=request.weight,
            contact_ids=[p.id for p in people],
            now=clock.timestamp,
        )
        fold_interaction(
            conn,
            [p.id for p in people],
            occurred_at=int(when.timestamp()),
            initiator=initiator,
            kind=kind,
            weight=request.weight,
            settings=settings or SchedulerSettings(),
        )
        found = store.get_interaction(conn, interaction_id)
        assert found is not None
        return found


@dataclass(frozen=True)
class Timeline:
    contact: ContactRef
    items: list[Interaction | Note]


def _day_start(day, clock: Clock) -> int:
    return int(datetime(day.year, day.month, day.day, tzinfo=clock.zone).timestamp())


def timeline(
    db: Database,
    ref: str,
    clock: Clock,
    *,
    since: str | None = None,
    until: str | None = None,
    limit: int | None = None,
) -> Timeline:
    """Interactions and notes interleaved, newest first; ``until`` is inclusive."""
    low = _day_start(dates.parse_day(since, clock.today), clock) if since else None
    high = None
    if until:
        high = _day_start(dates.parse_day(until, clock.today) + timedelta(days=1), clock)
    if low is not None and high is not None and low >= high:
        raise InvalidInput(f"--since {since!r} is after --until {until!r}")
    with db.read() as conn:
        target = resolve(conn, ref)
        items: list[Interaction | Note] = [
            *store.interactions_of(conn, target.id, since=low, until=high, limit=limit),
            *store.notes_of(conn, target.id, since=low, until=high, limit=limit),
        ]
    items.sort(key=lambda i: (_moment(i), i.id), reverse=True)
    return Timeline(target, items[:limit] if limit else items)


def _moment(item: Interaction | Note) -> datetime:
    return item.occurred_at if isinstance(item, Interaction) else item.created_at


def relate(db: Database, a: str, b: str, kind: str, clock: Clock) -> tuple[Contact, Contact, str]:
    """Record that B is A's <kind> ("relate Ada Byron --as parent": Byron is Ada's parent)."""
    relation = normalize_choice(kind, RELATIONSHIP_KINDS, "relationship")
    with db.write() as conn:
        first, second = resolve(conn, a), resolve(conn, b)
        if first.id == second.id:
            raise InvalidInput(f"{first.name} cannot be related to themselves")
        store.insert_relationship(conn, first.id, second.id, relation)
        contact_store.touch(conn, first.id, clock.timestamp)
        contact_store.touch(conn, second.id, clock.timestamp)
        one, two = contact_store.get(conn, first.id), contact_store.get(conn, second.id)
        assert one is not None and two is not None
        return one, two, relation


def add_date(
    db: Database,
    ref: str,
    *,
    kind: str,
    on: str,
    label: str | None,
    remind: str | None,
    clock: Clock,
) -> ImportantDate:
    date_kind = normalize_choice(kind, DATE_KINDS, "date kind")
    partial = dates.parse_partial_date(on)
    text = optional_text(label, "label") if label is not None else None
    if date_kind == "custom" and not text:
        raise InvalidInput("a custom date needs a --label")
    lead = dates.parse_duration_days(remind) if remind else None
    with db.write() as conn:
        target = resolve(conn, ref)
        date_id = store.insert_important_date(conn, target.id, date_kind, partial, text, lead)
        contact_store.touch(conn, target.id, clock.timestamp)
        return next(d for d in store.important_dates_of(conn, target.id) if d.id == date_id)


def remove_date(db: Database, ref: str, date_id: int, clock: Clock) -> None:
    with db.write() as conn:
        target = resolve(conn, ref)
        if not store.delete_important_date(conn, target.id, date_id):
            raise NotFound(f"{target.name} has no date #{date_id}")
        contact_store.touch(conn, target.id, clock.timestamp)


def list_dates(db: Database, ref: str) -> tuple[ContactRef, list[ImportantDate]]:
    with db.read() as conn:
        target = resolve(conn, ref)
        return target, store.important_dates_of(conn, target.id)
