"""Fixing slips: change or delete one interaction, note, reminder or relationship.

Each correction is one transaction, validated by the same rules as the command that made
the record (``records.interaction_*``, ``clean_text``, ``dates``), and leaves the
aggregates exact: the contacts whose interactions changed have their contact_stats
rebuilt from their history (``stats.recompute``) in the same transaction.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from datetime import date

from lrm_cli import dates, scheduler
from lrm_cli.clock import Clock
from lrm_cli.domain import (
    ContactRef,
    Interaction,
    InvalidInput,
    Note,
    NotFound,
)
from lrm_cli.normalize import clean_text, parse_sentiment
from lrm_cli.scheduler import SchedulerSettings
from lrm_cli.services import records
from lrm_cli.services.refs import named, resolve, resolve_many
from lrm_cli.services.stats import recompute
from lrm_cli.store import contacts as contact_store
from lrm_cli.store import records as store
from lrm_cli.store import schedule as schedule_store
from lrm_cli.store.db import Database


class NothingToChange(InvalidInput):
    """An edit command given no change at all."""


# --- interactions ---------------------------------------------------------------------------


@dataclass(frozen=True)
class InteractionEdit:
    """What to change; None leaves a field alone, "" clears summary, sentiment or weight."""

    when: str | None = None
    kind: str | None = None
    initiator: str | None = None
    summary: str | None = None
    sentiment: str | None = None
    weight: str | None = None
    add: list[str] = field(default_factory=list)
    remove: list[str] = field(default_factory=list)
    future: bool = False

    def changes_nothing(self) -> bool:
        values = (self.when, self.kind, self.initiator, self.summary, self.sentiment)
        return all(v is None for v in (*values, self.weight)) and not (self.add or self.remove)


def still_ahead(interaction: Interaction, clock: Clock) -> bool:
    """A plan not yet come (``lrm log --future``): a new --when for it is read as a plan's
    ("saturday" is the coming one) and may be after today without --future; moving a
    plan is not the slip --future guards against, and reading "saturday" as the last one
    would turn next week's dinner into yesterday's."""
    return interaction.occurred_at > clock.now


def _interaction_fields(edit: InteractionEdit, clock: Clock, *, ahead: bool = False) -> dict:
    fields: dict = {}
    if edit.when is not None:
        moment = records.interaction_moment(edit.when, clock, future=edit.future or ahead)
        fields["occurred_at"] = int(moment.timestamp())
    if edit.kind is not None:
        fields["kind"] = records.interaction_kind(edit.kind)
    if edit.initiator is not None:
        fields["initiator"] = records.interaction_initiator(edit.initiator)
    if edit.summary is not None:
        fields["summary"] = records.interaction_summary(edit.summary)
    if edit.sentiment is not None:
        fields["sentiment"] = parse_sentiment(edit.sentiment) if edit.sentiment.strip() else None
    if edit.weight is not None:
        fields["weight"] = records.interaction_weight(_weight(edit.weight))
    return fields


def _weight(text: str) -> float | None:
    if not text.strip():
        return None
    try:
        return float(text)
    except ValueError:
        raise InvalidInput(f"weight must be a number, got {text!r}") from None


def _interaction(conn, interaction_id: int) -> Interaction:
    found = store.get_interaction(conn, interaction_id)
    if found is None:
        raise NotFound(f"no interaction #{interaction_id}", hint="lrm timeline CONTACT shows ids")
    return found


def edit_interaction(
    db: Database,
    interaction_id: int,
    edit: InteractionEdit,
    clock: Clock,
    settings: SchedulerSettings,
) -> tuple[Interaction, bool]:
    """Change an interaction; return it and whether anything changed. Values equal to the
    current ones and --add of someone already there are no change (nothing written);
    --remove of someone who was not there is NotFound."""
    if edit.changes_nothing():
        raise NothingToChange(
            "nothing to change", hint="give --when, --kind, --initiator, --summary, ..."
        )
    with db.write() as conn:
        before = _interaction(conn, interaction_id)
        fields = _interaction_fields(edit, clock, ahead=still_ahead(before, clock))
        there = {p.id for p in before.participants}
        added = [p.id for p in resolve_many(conn, edit.add) if p.id not in there]
        removing = resolve_many(conn, edit.remove) if edit.remove else []
        strangers = [p for p in removing if p.id not in there | set(added)]
        if strangers:
            raise NotFound(
                f"{named(strangers)} {'was' if len(strangers) == 1 else 'were'} not part of "
                f"interaction #{interaction_id}",
                hint=f"lrm interaction edit {interaction_id} --add CONTACT adds someone",
            )
        removed = [p.id for p in removing]
        changed = store.update_interaction(conn, interaction_id, fields)
        if not (changed or added or removed):
            return before, False
        store.add_participants(conn, interaction_id, added)
        store.remove_participants(conn, interaction_id, removed)
        after = store.participant_ids(conn, interaction_id)
        if not after:
            raise InvalidInput(
                f"interaction #{interaction_id} would have nobody left",
                hint=f"lrm interaction rm {interaction_id} deletes it",
            )
        touched = sorted(there | set(after))
        recompute(conn, touched, settings, clock.zone)
        for cid in touched:
            contact_store.touch(conn, cid, clock.timestamp)
        return _interaction(conn, interaction_id), True


def remove_interaction(
    db: Database, interaction_id: int, clock: Clock, settings: SchedulerSettings
) -> Interaction:
    with db.write() as conn:
        gone = _interaction(conn, interaction_id)
        store.delete_interaction(conn, interaction_id)
        touched = [p.id for p in gone.participants]
        recompute(conn, touched, settings, clock.zone)
        for cid in touched:
            contact_store.touch(conn, cid, clock.timestamp)
        return gone


# --- notes -----------------------------------------------------------------------------------


def _note(conn, note_id: int) -> Note:
    found = store.get_note(conn, note_id)
    if found is None:
        raise NotFound(f"no note #{note_id}", hint="lrm timeline CONTACT shows ids")
    return found


def find_note(db: Database, note_id: int) -> Note:
    with db.read() as conn:
        return _note(conn, note_id)


def edit_note(
    db: Database,
    note_id: int,
    clock: Clock,
    *,
    body: str | None,
    pinned: bool | None,
    contact: str | None = None,
) -> tuple[Note, bool]:
    """Change a note's text or pin, or move it to another contact (written about the wrong
    one); return it and whether anything changed (the same text, a pin it already has or
    the contact it is about writes nothing)."""
    text = clean_text(body, "note", multiline=True, required=True) if body is not None else None
    if text is None and pinned is None and contact is None:
        raise NothingToChange(
            "nothing to change", hint="give the new text, --pin, --unpin or --contact"
        )
    with db.write() as conn:
        note = _note(conn, note_id)
        moved_to = resolve(conn, contact).id if contact is not None else None
        if not store.update_note(conn, note_id, body=text, pinned=pinned, contact_id=moved_to):
            return note, False
        for whose in {note.contact_id, moved_to or note.contact_id}:
            contact_store.touch(conn, whose, clock.timestamp)
        return _note(conn, note_id), True


def remove_note(db: Database, note_id: int, clock: Clock) -> Note:
    with db.write() as conn:
        note = _note(conn, note_id)
        store.delete_note(conn, note_id)
        contact_store.touch(conn, note.contact_id, clock.timestamp)
        return note


# --- reminders -------------------------------------------------------------------------------


def _reminder(conn, reminder_id: int) -> schedule_store.ReminderRow:
    found = schedule_store.get_reminder(conn, reminder_id)
    if found is None:
        raise NotFound(f"no reminder #{reminder_id}", hint="lrm reminders --all shows ids")
    return found


def edit_reminder(
    db: Database,
    reminder_id: int,
    clock: Clock,
    *,
    title: str | None = None,
    on: str | None = None,
    every: str | None = None,
    contact: str | None = None,
    reopen: bool = False,
) -> tuple[schedule_store.ReminderRow, bool]:
    """Reschedule (``on``), retitle, change or stop the repetition (``every`` "" or
    "never"), move it to another contact (``contact`` "-" for nobody), or open a done one
    again (``reopen``; rescheduling a done reminder opens it too: a new date means it is
    to be done again). The last value is False when every value given was the current one
    (nothing written)."""
    fields: dict = {}
    if reopen or on is not None:
        fields["done_at"] = None
    if title is not None:
        fields["title"] = clean_text(title, "reminder", required=True)
    if on is not None:
        fields["due_on"] = dates.parse_day_ahead(on, "--on", clock.today).isoformat()
    rule = None
    if every is not None:
        stop = every.strip().lower() in ("", "never", "none")
        rule = None if stop else scheduler.parse_every(every)
        fields["recurrence"] = rule
    if not fields and contact is None:
        raise NothingToChange(
            "nothing to change", hint="give --on, --title, --every, --contact or --reopen"
        )
    with db.write() as conn:
        current = _reminder(conn, reminder_id)
        if reopen and on is None and current.recurrence and current.done_at is None:
            _refuse_reopening(current)
        if contact is not None:
            fields["contact_id"] = None if contact == "-" else resolve(conn, contact).id
        _anchor(fields, current, rule)
        changed = schedule_store.update_reminder(conn, reminder_id, fields)
        return _reminder(conn, reminder_id), changed


def _anchor(fields: dict, current: schedule_store.ReminderRow, rule: str | None) -> None:
    """The day of the month a repeating reminder keeps (:func:`scheduler.anchored`): a
    new date's (``--on``), else the one its rule kept."""
    if "due_on" in fields:
        rule = rule if "recurrence" in fields else current.recurrence
        if rule:
            due_on = date.fromisoformat(fields["due_on"])
            # only a rule lrm cannot follow (an import's) fails here: it stays as it is
            with contextlib.suppress(InvalidInput):
                fields["recurrence"] = scheduler.anchored(rule, due_on)
    elif rule:
        due_on = date.fromisoformat(current.due_on)
        fields["recurrence"] = scheduler.anchored(rule, due_on, keep=current.recurrence)


def _refuse_reopening(current: schedule_store.ReminderRow) -> None:
    """``--reopen`` of a repeating reminder: ``done`` moved it on to its next date and it is
    still open, so there is nothing to reopen; the hint gives the date it came from."""
    assert current.recurrence is not None
    before = scheduler.previous_due(date.fromisoformat(current.due_on), current.recurrence)
    raise NothingToChange(
        f"reminder #{current.id} repeats and is open, next on {current.due_on}",
        hint=f"to bring back its date before: lrm reminder edit {current.id} --on {before}",
    )


def remove_reminder(db: Database, reminder_id: int) -> schedule_store.ReminderRow:
    with db.write() as conn:
        row = _reminder(conn, reminder_id)
        schedule_store.delete_reminder(conn, reminder_id)
        return row


# --- relationships ---------------------------------------------------------------------------


def unrelate(
    db: Database, a: str, b: str, kind: str | None, clock: Clock
) -> tuple[ContactRef, ContactRef, int]:
    """Remove how B relates to A (every kind when ``kind`` is None)."""
    relation = records.relationship_kind(kind) if kind else None
    with db.write() as conn:
        first, second = resolve(conn, a), resolve(conn, b)
        removed = store.delete_relationships(conn, first.id, second.id, relation)
        if not removed:
            what = f"{relation} relationship" if relation else "relationship"
            raise NotFound(f"no {what} between {first.name} and {second.name}")
        contact_store.touch(conn, first.id, clock.timestamp)
        contact_store.touch(conn, second.id, clock.timestamp)
        return first, second, removed
