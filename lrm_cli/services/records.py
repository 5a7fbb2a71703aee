"""Notes, interactions, the timeline, relationships and important dates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

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
from lrm_cli.store.merge import names_of
from lrm_cli.vocabulary import (
    INITIATOR_WORDS,
    INTERACTION_KIND_WORDS,
    RELATIONSHIP_KIND_WORDS,
)
from lrm_cli.words import plural


def add_note(
    db: Database, ref: str, body: str, clock: Clock, *, pinned: bool = False
) -> tuple[Note, ContactRef]:
    """The note written, and whose it is (``ref`` may be a prefix: say who got it)."""
    text = clean_text(body, "note", multiline=True, required=True)
    with db.write() as conn:
        target = resolve(conn, ref)
        note_id = store.insert_note(conn, target.id, text, pinned, clock.timestamp)
        contact_store.touch(conn, target.id, clock.timestamp)
        note = store.get_note(conn, note_id)
        assert note is not None
        return note, ContactRef(target.id, target.name)


@dataclass(frozen=True)
class LogRequest:
    contacts: list[str]
    kind: str = "other"
    initiator: str = "mutual"
    when: str | None = None
    summary: str | None = None
    sentiment: str | None = None
    weight: float | None = None
    future: bool = False


# --- the rules of an interaction's fields: `log` and `interaction edit` both use these ------


def interaction_kind(value: str) -> str:
    return normalize_choice(value, INTERACTION_KINDS, "kind", INTERACTION_KIND_WORDS)


def relationship_kind(value: str) -> str:
    return normalize_choice(value, RELATIONSHIP_KINDS, "relationship", RELATIONSHIP_KIND_WORDS)


def interaction_initiator(value: str) -> str:
    return normalize_choice(value, INITIATORS, "initiator", INITIATOR_WORDS)


def interaction_summary(value: str | None) -> str | None:
    return optional_text(value, "summary") if value is not None else None


def interaction_weight(value: float | None) -> float | None:
    if value is not None and not 0 < value <= 100:
        raise InvalidInput(f"weight {value} must be above 0 and at most 100")
    return value


def interaction_moment(text: str | None, clock: Clock, *, future: bool = False) -> datetime:
    """When it happened (default now). A day named without its year that comes within
    ``dates.SLIP_DAYS`` is refused rather than read as almost a year ago
    (``dates.a_year_back_slip``); with ``future`` it is the coming one. A day after today
    is refused unless ``future``: a slip such as "next friday" would move the person's
    last contact, and their due date, into the future. Later today is allowed ("today"
    means noon). Even with ``future`` a moment more than a year ahead is refused (a typo
    in the year, not a plan), and so is one before 1900 (a year 0001 is a typo too)."""
    if text is None:
        return clock.now
    if not text.strip():  # a script's unset "$WHEN": a slip, not "now"
        raise InvalidInput("--when is empty", hint="leave out --when for now, or give a date")
    # --future: a day named without its year or week is the coming one ("dec 5", "friday")
    when = dates.parse_when(text, clock.now, prefer="future" if future else "past")
    local = when.astimezone(clock.zone)
    shown = f"{local.date().isoformat()} {local:%H:%M}"  # %Y would drop year 1's zeros
    if when < dates.EARLIEST_MOMENT:
        raise InvalidInput(
            f"--when {text!r} is {shown}, before {dates.EARLIEST_MOMENT.year}",
            hint="check the year",
        )
    if dates.too_far_ahead(local.date(), clock.today):
        raise InvalidInput(
            f"--when {text!r} is {shown}, more than a year ahead",
            hint="even --future allows at most a year after today; check the year",
        )
    if local.date() > clock.today and not future:
        raise InvalidInput(
            f"--when {text!r} is {shown}, in the future",
            hint="pass --future to log something that has not happened yet",
        )
    if not future and (ahead := dates.a_year_back_slip(text, local.date(), clock.today)):
        days = (ahead - clock.today).days
        raise InvalidInput(
            f"--when {text!r} is {local.date().isoformat()}, almost a year ago; "
            f"the coming one, {ahead.isoformat()}, is in {plural(days, 'day')}",
            hint=f"write the year (--when {local.date().isoformat()}), or pass --future for "
            f"{ahead.isoformat()}",
        )
    return when


def log_interaction(
    db: Database, request: LogRequest, clock: Clock, settings: SchedulerSettings | None = None
) -> Interaction:
    """One interaction with one or more contacts (a dinner with three friends is one);
    the participants' aggregates (contact_stats) are updated in the same transaction."""
    if not request.contacts:
        raise InvalidInput("name at least one contact")
    kind = interaction_kind(request.kind)
    initiator = interaction_initiator(request.initiator)
    sentiment = parse_sentiment(request.sentiment)
    summary = interaction_summary(request.summary)
    weight = interaction_weight(request.weight)
    when = interaction_moment(request.when, clock, future=request.future)
    with db.write() as conn:
        people = resolve_many(conn, request.contacts)
        interaction_id = store.insert_interaction(
            conn,
            occurred_at=int(when.timestamp()),
            kind=kind,
            initiator=initiator,
            summary=summary,
            sentiment=sentiment,
            weight=weight,
            contact_ids=[p.id for p in people],
            now=clock.timestamp,
        )
        fold_interaction(
            conn,
            [p.id for p in people],
            occurred_at=int(when.timestamp()),
            initiator=initiator,
            kind=kind,
            weight=weight,
            settings=settings or SchedulerSettings(),
            clock=clock,  # the window counts' base moves to today with the write
        )
        found = store.get_interaction(conn, interaction_id)
        assert found is not None
        return found


def logged_before(db: Database, saved: Interaction, clock: Clock) -> Interaction | None:
    """What ``saved`` looks like a second logging of: the same day (in the user's zone),
    kind and summary with one of the same people (``store.same_day_twin``). `log` warns
    and keeps both: two calls on one day happen, and `lrm undo` takes one back."""
    day = saved.occurred_at.astimezone(clock.zone).date()
    start = _day_start(day, clock)
    end = _day_start(day + timedelta(days=1), clock)
    with db.read() as conn:
        return store.same_day_twin(conn, saved, start, end)


@dataclass(frozen=True)
class Timeline:
    contact: ContactRef | None  # None: everyone's
    items: list[Interaction | Note]
    names: dict[int, str]  # contact id -> name, for the notes of everyone's timeline


GLOBAL_TIMELINE_DAYS = 7


def _day_start(day, clock: Clock) -> int:
    return int(datetime(day.year, day.month, day.day, tzinfo=clock.zone).timestamp())


def timeline(
    db: Database,
    ref: str | None,
    clock: Clock,
    *,
    since: str | None = None,
    until: str | None = None,
    limit: int | None = None,
) -> Timeline:
    """Interactions and notes interleaved, newest first; ``until`` is inclusive. Without a
    contact, everyone's: the last GLOBAL_TIMELINE_DAYS days unless a period or a limit is
    given ("what did I do this week")."""
    low = None
    if since is not None:
        low = _day_start(dates.parse_day_given(since, "--since", clock.today), clock)
    high = None
    if until is not None:
        last = dates.parse_day_given(until, "--until", clock.today)
        if last < date.max:  # --until 9999-12-31: no upper bound at all
            high = _day_start(last + timedelta(days=1), clock)
    if low is not None and high is not None and low >= high:
        raise InvalidInput(f"--since {since!r} is after --until {until!r}")
    if ref is None and low is None and high is None and limit is None:
        low = _day_start(clock.today - timedelta(days=GLOBAL_TIMELINE_DAYS - 1), clock)
    with db.read() as conn:
        target = resolve(conn, ref) if ref is not None else None
        who = target.id if target is not None else None
        items: list[Interaction | Note] = [
            *store.interactions_of(conn, who, since=low, until=high, limit=limit),
            *store.notes_of(conn, who, since=low, until=high, limit=limit),
        ]
        notes = [i.contact_id for i in items if isinstance(i, Note)]
        names = names_of(conn, list(dict.fromkeys(notes))) if target is None else {}
    items.sort(key=lambda i: (_moment(i), i.id), reverse=True)
    return Timeline(target, items[:limit] if limit else items, names)


def _moment(item: Interaction | Note) -> datetime:
    return item.occurred_at if isinstance(item, Interaction) else item.created_at


def relate(
    db: Database, a: str, b: str, kind: str, clock: Clock, label: str | None = None
) -> tuple[Contact, Contact, str, str | None, bool]:
    """Record that B is A's <kind> ("relate Ada Byron --as parent": Byron is Ada's parent),
    with A's own word for it when ``label`` is given ('' clears it); the last value is
    False when that was already recorded, either way round (Byron recorded with Ada as his
    child; for a symmetric kind, A as B's spouse), with that word: nothing is written then.
    A word is A's: a row recorded from B's side without a word of B's is turned round to
    hold it (the same relationship, the same id). Returns A, B, the kind, A's word for it
    now, and whether anything was written."""
    relation = relationship_kind(kind)
    word = None if label is None else clean_text(label, "label") or None
    with db.write() as conn:
        first, second = resolve(conn, a), resolve(conn, b)
        if first.id == second.id:
            raise InvalidInput(f"{first.name} cannot be related to themselves")
        inverse = store.INVERSE.get(relation, relation)
        own = store.own_relationship(conn, first.id, second.id, relation)
        theirs = None if own else store.own_relationship(conn, second.id, first.id, inverse)
        if own is None and theirs is None:
            changed = store.insert_relationship(conn, first.id, second.id, relation, word)
        elif label is None:  # recorded, either way round
            changed = False
        elif own is not None:
            changed = own[1] != word
            if changed:
                store.set_relationship(conn, own[0], first.id, second.id, relation, word)
        elif word is None:  # A has no word on B's row to clear
            changed = False
        elif theirs is not None and theirs[1] is None:  # B's row, wordless: turned round
            store.set_relationship(conn, theirs[0], first.id, second.id, relation, word)
            changed = True
        else:  # B's word for it: one row, one word
            raise InvalidInput(
                f"that relationship carries {second.name}'s word {theirs[1]!r}; change it with "
                f"lrm relate {second.id} {first.id} --as {inverse} --label WORD"
            )
        if changed:
            contact_store.touch(conn, first.id, clock.timestamp)
            contact_store.touch(conn, second.id, clock.timestamp)
        one, two = contact_store.get(conn, first.id), contact_store.get(conn, second.id)
        assert one is not None and two is not None
        now = store.own_relationship(conn, first.id, second.id, relation)
        return one, two, relation, now[1] if now else None, changed


def add_date(
    db: Database,
    ref: str,
    *,
    kind: str,
    on: str,
    label: str | None,
    remind: str | None,
    clock: Clock,
) -> tuple[ImportantDate, str]:
    """The date and what became of it: "added"; "unchanged" when the contact has it already
    (``dates.same_important_date``: a second row would remind twice); "updated" when a new
    ``remind`` lead time, or the year of a date kept without one, was given for it."""
    date_kind = normalize_choice(kind, DATE_KINDS, "date kind")
    partial = dates.parse_yearly_date(on, clock.today)
    text = optional_text(label, "label") if label is not None else None
    if date_kind == "custom" and not text:
        raise InvalidInput("a custom date needs a --label")
    lead = dates.parse_lead_days(remind) if remind else None
    with db.write() as conn:
        target = resolve(conn, ref)
        wanted = (date_kind, partial, text)
        for there in store.important_dates_of(conn, target.id):
            if not dates.same_important_date((there.kind, there.date, there.label), wanted):
                continue
            day = dates.fuller(there.date, partial)  # a year given for a yearless one
            new_lead = there.remind_days_before if remind is None else lead
            if (day, new_lead) == (there.date, there.remind_days_before):
                return there, "unchanged"
            conn.execute(
                "UPDATE important_date SET date = ?, remind_days_before = ? WHERE id = ?",
                (day, new_lead, there.id),
            )
            contact_store.touch(conn, target.id, clock.timestamp)
            return _date_of(conn, target.id, there.id), "updated"
        date_id = store.insert_important_date(conn, target.id, date_kind, partial, text, lead)
        contact_store.touch(conn, target.id, clock.timestamp)
        return _date_of(conn, target.id, date_id), "added"


def _date_of(conn, contact_id: int, date_id: int) -> ImportantDate:
    return next(d for d in store.important_dates_of(conn, contact_id) if d.id == date_id)


def edit_date(
    db: Database,
    ref: str,
    date_id: int,
    *,
    on: str | None = None,
    kind: str | None = None,
    label: str | None = None,
    remind: str | None = None,
    clock: Clock,
) -> tuple[ImportantDate, bool]:
    """Change a date in place (its id, and so its calendar UID, stay): the day, the kind,
    the label ('' clears it) or the lead time ('' clears it). Returns the date and whether
    anything changed. A custom date keeps a label; a date made the same as another of the
    contact's is refused (it would remind twice)."""
    from lrm_cli.errors import Conflict

    with db.write() as conn:
        target = resolve(conn, ref)
        have = store.important_dates_of(conn, target.id)
        found = [d for d in have if d.id == date_id]
        if not found:
            raise NotFound(f"{target.name} has no date #{date_id}", hint=f"lrm date list {ref}")
        there = found[0]
        new_kind = there.kind if kind is None else normalize_choice(kind, DATE_KINDS, "date kind")
        day = there.date if on is None else dates.parse_yearly_date(on, clock.today)
        text = there.label if label is None else optional_text(label, "label")
        lead = there.remind_days_before
        if remind is not None:
            lead = dates.parse_lead_days(remind) if remind.strip() else None
        if new_kind == "custom" and not text:
            raise InvalidInput("a custom date needs a --label")
        wanted = (new_kind, day, text)
        for other in have:
            if other.id != date_id and dates.same_important_date(
                (other.kind, other.date, other.label), wanted
            ):
                raise Conflict(
                    f"{target.name} has that date already (#{other.id})",
                    hint=f"lrm date rm {ref} {date_id}",
                )
        if (new_kind, day, text, lead) == (
            there.kind,
            there.date,
            there.label,
            there.remind_days_before,
        ):
            return there, False
        conn.execute(
            "UPDATE important_date SET kind = ?, date = ?, label = ?, remind_days_before = ?"
            " WHERE id = ?",
            (new_kind, day, text, lead, date_id),
        )
        contact_store.touch(conn, target.id, clock.timestamp)
        return _date_of(conn, target.id, date_id), True


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
