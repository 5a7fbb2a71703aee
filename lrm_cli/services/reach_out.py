"""What the digest says beside each person due: the last interaction, the pinned note, a
note written since you last talked (``store.notes_since``), how to reach them, what is
coming up for them, and one suggested next step (``lrm_cli.nextstep``); and beside
everyone it lists, what was last talked about. Only for the people shown: one SQL
statement per kind of fact over their ids (``store/reach_out.py``), so the digest costs
the same at 100 or 100k contacts."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from typing import TYPE_CHECKING, Any, NamedTuple

from lrm_cli import nextstep, scheduler
from lrm_cli.scheduler import SchedulerSettings
from lrm_cli.services.stats import windows
from lrm_cli.store import reach_out as store
from lrm_cli.store import scheduler_sql

if TYPE_CHECKING:
    from lrm_cli.clock import Clock
    from lrm_cli.scheduler import Upcoming
    from lrm_cli.services.schedule import DueItem, Reminder
    from lrm_cli.store.db import Database
    from lrm_cli.store.scheduler_sql import AsOf


@dataclass(frozen=True)
class Detail:
    """The facts shown beside one due person, and the step they chose."""

    facts: nextstep.Facts
    pinned_note: str | None
    reach: nextstep.Reach | None
    step: nextstep.Step
    recent_note: RecentNote | None = None  # a note written since the last interaction
    cadence_tag: str | None = None  # the tag the cadence comes from, if a tag's
    inferred_from: int | None = None  # the interactions an inferred cadence was taken over

    def as_json(self, explain: bool = False) -> dict[str, Any]:
        last = self.facts.last
        step = self.step
        suggestion: dict[str, Any] = {"rule": step.rule, "text": step.text, "because": step.because}
        if explain:
            suggestion["checked"] = [
                {"rule": c.rule, "applies": c.applies, "because": c.because} for c in step.checked
            ]
        return {
            "cadence_tag": self.cadence_tag,
            "cadence_inferred_from": self.inferred_from,
            "last_interaction": None
            if last is None
            else {
                "date": last.day.isoformat(),
                "kind": last.kind,
                "initiator": last.initiator,
                "summary": last.summary,
            },
            "pinned_note": self.pinned_note,
            "recent_note": None if self.recent_note is None else self.recent_note.as_json(),
            "reach": None if self.reach is None else self.reach._asdict(),
            "coming_up": [
                {
                    "date": c.date.isoformat(),
                    "kind": c.kind,
                    "title": c.title,
                    "days_until": c.days_until,
                    "turns": c.turns,
                    "reminder_id": c.reminder_id,
                }
                for c in self.facts.coming_up
            ],
            "next_step": suggestion,
        }


class Topic(NamedTuple):
    """What was last talked about with a contact: the local day and summary of their
    newest interaction with a summary (``store.last_topics``)."""

    day: date
    summary: str

    def as_json(self) -> dict[str, str]:
        return {"date": self.day.isoformat(), "summary": self.summary}


def talked_by(day: date, zone: tzinfo, as_of: AsOf | None) -> AsOf:
    """What the digest of ``day`` reads as already said: the interactions by the end of
    that day (``as_of``'s, when the page replays a past day). A meeting logged ahead
    (``log --future``) still counts as the last contact, as in ``lrm due``, but it is not
    what was talked about, nor the last interaction to answer: it has not happened."""
    from lrm_cli.services.stats import day_end

    return as_of or day_end(day, zone)


def last_topics(
    db: Database, clock: Clock, ids: Iterable[int], as_of: AsOf | None = None
) -> dict[int, Topic]:
    """The :class:`Topic` of each of ``ids`` that has one, as of the end of the digest's
    day (:func:`talked_by`), in one SQL statement."""
    wanted = list(dict.fromkeys(ids))
    if not wanted:
        return {}
    zone = clock.zone
    with db.read() as conn:
        rows = store.last_topics(conn, wanted, talked_by(clock.today, zone, as_of))
    return {
        cid: Topic(datetime.fromtimestamp(row.occurred_at, zone).date(), row.summary)
        for cid, row in rows.items()
    }


class RecentNote(NamedTuple):
    """The newest note written since the last interaction (or ever, when there is none
    yet): its local day and body, and how many more were written since
    (``store.notes_since``)."""

    day: date
    body: str
    more: int = 0

    def as_json(self) -> dict[str, Any]:
        return {"date": self.day.isoformat(), "body": self.body, "more": self.more}


def _coming_up(
    contact_id: int, dated: Sequence[Upcoming], reminders: Sequence[Reminder], today: date
) -> tuple[nextstep.Coming, ...]:
    found = [
        nextstep.Coming(u.date, u.kind, u.title, u.days_until, u.turns)
        for u in dated
        if u.contact_id == contact_id and u.kind != "reminder"
    ]
    for r in reminders:
        if r.row.contact_id == contact_id:
            due_on = r.due_on
            found.append(
                nextstep.Coming(
                    due_on, "reminder", r.row.title, (due_on - today).days, None, r.row.id
                )
            )
    found.sort(key=lambda c: (c.date, c.kind, c.title))
    return tuple(found)


def details(
    db: Database,
    clock: Clock,
    settings: SchedulerSettings,
    due: Sequence[DueItem],
    dated: Sequence[Upcoming],
    reminders: Sequence[Reminder],
    as_of: AsOf | None = None,
) -> dict[int, Detail]:
    """The facts and next step of each item of ``due`` (the digest's shown page), by id.
    ``dated`` and ``reminders`` are the digest's look-ahead lists; the balances are the
    lists' (``scheduler_sql.balance_rows`` for these ids). The balance sums must be fresh
    (``stats.ensure_fresh``; the digest sees to it). ``as_of``: every fact from the
    history as of the end of a past day (the due items must be as of it too)."""
    ids = [item.id for item in due]
    if not ids:
        return {}
    today, zone = clock.today, clock.zone
    said = talked_by(today, zone, as_of)
    with db.read() as conn:
        lasts = store.last_interactions(conn, ids, said)
        pinned = store.pinned_notes(conn, ids)
        methods = store.methods(conn, ids)
        channels = store.last_channels(conn, ids, nextstep.CHANNELS, said)
        since = {i: (row.occurred_at if (row := lasts.get(i)) else None) for i in ids}
        notes = store.notes_since(conn, since, said)
        query = scheduler_sql.BalanceQuery(
            threshold=settings.balanced_threshold,
            windows=windows(conn, today, zone, settings, ids),
            contact_ids=ids,
            as_of=as_of,
        )
        balances = {row.id: row for row in scheduler_sql.balance_rows(conn, query)}
        tags = scheduler_sql.cadence_tags(conn, ids)
    found = {}
    for item in due:
        row = lasts.get(item.id)
        last = None
        if row is not None:
            day = datetime.fromtimestamp(row.occurred_at, zone).date()
            last = nextstep.Last(day, row.kind, row.initiator, row.summary)
        balance = balances[item.id]
        last_day = item.last_contact
        facts = nextstep.Facts(
            name=item.name,
            cadence_days=item.cadence_days,
            days_since=None if last_day is None else (today - last_day).days,
            last=last,
            balance=balance.value,
            balance_label=balance.label,
            interactions=balance.interactions,
            coming_up=_coming_up(item.id, dated, reminders, today),
        )
        reach = nextstep.choose_reach(
            [nextstep.Method(*m) for m in methods.get(item.id, ())], channels.get(item.id)
        )
        recent = None
        if (note := notes.get(item.id)) is not None:
            day = datetime.fromtimestamp(note.created_at, zone).date()
            recent = RecentNote(day, note.body, note.count - 1)
        step = nextstep.decide(facts)
        inferred = None
        if item.cadence_source == "inferred":
            inferred = scheduler.inferred_from(balance.interactions, settings)
        found[item.id] = Detail(
            facts, pinned.get(item.id), reach, step, recent, tags.get(item.id), inferred
        )
    return found
