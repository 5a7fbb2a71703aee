"""The scheduler's rules for one interaction or one contact: pure functions over plain
data and an explicit ``today``.

No database, no clock, no I/O (DESIGN §3). Callers pass rows and ``today``; every constant
lives in :class:`SchedulerSettings` and can be set under ``[scheduler]`` in config.toml.
Here: what runs per interaction at write time (weights, signs, the balance sums' terms,
cadence inference) and per contact (health from its row's values, upcoming dates,
reminder recurrence). The rules applied to many contacts at once (cadence in force, due,
ranking, the balance and its label, one-sided, drift, window counts) live once, in SQL:
``lrm_cli/store/scheduler_sql.py``.

Days are calendar days: callers turn their timestamps into local dates before asking.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from itertools import pairwise
from typing import Any

from lrm_cli.dates import DAY_TIME, PartialDate, add_months, parse_duration_days
from lrm_cli.errors import InvalidInput
from lrm_cli.settings import (
    BALANCE_EPOCH,
    DEFAULT_KIND_WEIGHTS,
    SchedulerSettings,
    drift_windows,
)
from lrm_cli.vocabulary import MAX_LEAD_DAYS
from lrm_cli.words import every, plural, signed

__all__ = [
    "BALANCE_EPOCH",
    "DEFAULT_KIND_WEIGHTS",
    "NO_CADENCE_DAYS",
    "DatedItem",
    "Health",
    "HealthComponent",
    "ReminderItem",
    "SchedulerSettings",
    "Upcoming",
    "anchored",
    "balance_terms",
    "describe_every",
    "drift_windows",
    "health",
    "infer_cadence",
    "initiator_sign",
    "interaction_weight",
    "next_due",
    "parse_every",
    "upcoming",
]

NO_CADENCE_DAYS = 90
"""The period health's recency is measured against when a contact has no cadence."""

# --- weights and signs ----------------------------------------------------------------------


def interaction_weight(
    kind: str, weight_override: float | None, settings: SchedulerSettings
) -> float:
    """w: the interaction's own weight if set, else its kind's (an unknown kind: 'other')."""
    if weight_override is not None:
        return float(weight_override)
    weights = settings.kind_weights
    return float(weights.get(kind, weights.get("other", 0.5)))


def initiator_sign(initiator: str) -> int:
    """s: +1 when I initiated or gave, -1 when they did, 0 when mutual (or unknown)."""
    return {"me": 1, "them": -1}.get(initiator, 0)


# --- cadence --------------------------------------------------------------------------------


def infer_cadence(days: Sequence[date], settings: SchedulerSettings) -> int | None:
    """Median gap in days between consecutive interactions among the last
    ``inferred_sample`` (sorted; two on one day make a gap of 0), when there are at least
    ``inferred_min_interactions``; rounded half up, clamped to
    [inferred_min_days, inferred_max_days]. None with fewer interactions."""
    recent = sorted(days)[-settings.inferred_sample :]
    if len(recent) < max(2, settings.inferred_min_interactions):
        return None
    gaps = [(b - a).days for a, b in pairwise(recent)]
    from statistics import median  # ~9 ms of imports; only a recompute needs it

    value = math.floor(median(gaps) + 0.5)
    return max(settings.inferred_min_days, min(settings.inferred_max_days, value))


def inferred_from(interactions: int, settings: SchedulerSettings) -> int:
    """How many interactions an inferred cadence was taken over (:func:`infer_cadence`
    reads the last ``inferred_sample``): "inferred from 10 interactions"."""
    return min(interactions, settings.inferred_sample)


# --- reciprocity ----------------------------------------------------------------------------


def balance_terms(
    t_days: float,
    initiator: str,
    kind: str,
    weight_override: float | None,
    settings: SchedulerSettings,
) -> tuple[float, float]:
    """One interaction's share of the two sums kept per contact:
    (s*w*2**(t/H), w*2**(t/H)), t = days since BALANCE_EPOCH, H = half_life_days.
    The balance of DESIGN §3, sum(s*w*d) / sum(w*d) with d = 0.5 ** (age_days / H), is
    the first sum over the second: d = 2**(t/H) * 2**(-today/H), and the second factor
    is common to both sums (the division is store/scheduler_sql.py's)."""
    growth = 2.0 ** (t_days / settings.half_life_days)
    w = interaction_weight(kind, weight_override, settings)
    return initiator_sign(initiator) * w * growth, w * growth


# --- health ---------------------------------------------------------------------------------


def _per_30_days(count: int, window_days: int) -> float:
    return count / window_days * 30


@dataclass(frozen=True)
class HealthComponent:
    name: str
    value: float  # 0..1
    weight: float  # share of the score: the components' weights sum to 1
    explanation: str


@dataclass(frozen=True)
class Health:
    score: int  # 0..100
    components: tuple[HealthComponent, ...]


def health(
    *,
    days_since: int | None,
    cadence_days: int | None,
    balance: float | None,
    balance_label: str | None,
    recent_count: int,
    previous_count: int,
    mean_sentiment: float | None,
    settings: SchedulerSettings,
) -> Health:
    """score = round_half_up(100 * sum(w_i * v_i) / sum(w_i)), each v_i in [0, 1], the
    weights w_i from settings (default recency 0.4, reciprocity 0.2, trend 0.2,
    sentiment 0.2):

    - recency: with c = cadence (NO_CADENCE_DAYS = 90 without one),
      v = 1 - max(0, days_since - c) / (2c), floored at 0: 1 within the cadence, 0 at
      three cadences; 0 when there was no interaction;
    - reciprocity: 1 - |balance| (0.5 without interactions), the balance and its label
      as the lists show them (store/scheduler_sql.py);
    - trend: min(1, recent_rate / previous_rate), rates per 30 days over the drift
      windows' counts; without
      earlier interactions 1 if there are recent ones, else 0.5;
    - sentiment: (mean + 2) / 4 for a mean in -2..+2 (0.5 without any).

    Each component carries its normalised weight and a one-line explanation.
    """
    # recency
    period = cadence_days if cadence_days and cadence_days > 0 else NO_CADENCE_DAYS
    cadence_text = (
        f"cadence {plural(period, 'day')}"
        if cadence_days and cadence_days > 0
        else f"no cadence, {plural(period, 'day')} assumed"
    )
    if days_since is None:
        recency, recency_why = 0.0, "no interaction yet"
    else:
        recency = max(0.0, 1.0 - max(0, days_since - period) / (2 * period))
        when = "today" if days_since == 0 else f"{plural(days_since, 'day')} ago"
        recency_why = f"last contact {when}, {cadence_text}"
        if days_since < 0:  # logged ahead with --future: a plan, not a past contact
            recency_why = f"a contact planned in {plural(-days_since, 'day')}, {cadence_text}"
    # reciprocity
    if balance is None:
        reciprocity, reciprocity_why = 0.5, "no interactions to weigh"
    else:
        reciprocity = 1.0 - abs(balance)
        reciprocity_why = f"balance {signed(balance)} ({(balance_label or '').replace('_', ' ')})"
    # trend
    recent_rate = _per_30_days(recent_count, settings.drift_recent_days)
    previous_rate = _per_30_days(previous_count, settings.drift_previous_days)
    if previous_count > 0:
        trend = min(1.0, recent_rate / previous_rate)
        trend_why = (
            f"{recent_rate:.1f} interactions per 30 days lately,"
            f" {previous_rate:.1f} the year before"
        )
    elif recent_count > 0:
        trend, trend_why = 1.0, "in touch lately, nothing earlier to compare with"
    else:
        trend, trend_why = 0.5, "no recent or earlier interactions to compare"
    # sentiment
    if mean_sentiment is None:
        sentiment, sentiment_why = 0.5, "no sentiment recorded"
    else:
        mean = max(-2.0, min(2.0, mean_sentiment))
        sentiment = (mean + 2) / 4
        sentiment_why = f"mean sentiment {mean:+.1f} on a -2..+2 scale"

    weights = settings.health_weights
    total = sum(weights.values())
    parts = (
        ("recency", recency, recency_why),
        ("reciprocity", reciprocity, reciprocity_why),
        ("trend", trend, trend_why),
        ("sentiment", sentiment, sentiment_why),
    )
    components = tuple(
        HealthComponent(name, value, weights[name] / total, why) for name, value, why in parts
    )
    raw = 100 * sum(weights[c.name] * c.value for c in components) / total
    score = math.floor(round(raw, 9) + 0.5)  # half up, immune to 62.4999999 float noise
    return Health(max(0, min(100, score)), components)


# --- upcoming -------------------------------------------------------------------------------


@dataclass(frozen=True)
class DatedItem:
    kind: str  # birthday | anniversary | custom
    partial: str  # vCard partial date: 1815-12-10 or --12-10
    contact_id: int
    contact_name: str
    title: str | None = None
    lead_days: int | None = None


@dataclass(frozen=True)
class ReminderItem:
    id: int
    title: str
    due_on: date
    contact_id: int | None = None
    contact_name: str | None = None


@dataclass(frozen=True)
class PlannedItem:
    """An interaction logged before it happened (``lrm log --future``), on its local day,
    with its people not archived, in order (the first is the item's contact)."""

    id: int
    day: date
    kind: str
    summary: str | None
    people: tuple[tuple[int, str], ...]  # (contact id, name)
    at: time | None = None  # its local time of day, when one was given (not noon)
    uid: str = ""  # the interaction's (a calendar event's UID is made from it)
    created_at: int = 0  # when it was logged (the event's DTSTAMP)
    occurred_at: int = 0  # its moment, epoch seconds (a timed event's DTSTART)


@dataclass(frozen=True)
class Upcoming:
    date: date
    kind: str  # birthday | anniversary | custom | reminder | planned
    contact_id: int | None
    contact_name: str | None
    title: str
    days_until: int
    turns: int | None
    lead_days: int | None = None
    reminder_id: int | None = None
    interaction_id: int | None = None  # a planned interaction's
    at: time | None = None  # a planned interaction's time of day (orders a day's plans)


_KIND_ORDER = {"birthday": 0, "anniversary": 1, "custom": 2, "reminder": 3, "planned": 4}


def planned_items(rows: Iterable[Any], zone: tzinfo) -> list[PlannedItem]:
    """One item per planned interaction, on its local day (and time of day, unless it was
    given as a day: ``DAY_TIME``), its people in the rows' order."""
    people: dict[int, list[tuple[int, str]]] = {}
    first: dict[int, Any] = {}
    for row in rows:
        first.setdefault(row.id, row)
        people.setdefault(row.id, []).append((row.contact_id, row.contact_name))
    items = []
    for i, row in first.items():
        moment = datetime.fromtimestamp(row.occurred_at, zone)
        at = moment.time() if moment.time() != DAY_TIME else None
        items.append(
            PlannedItem(
                id=i,
                day=moment.date(),
                kind=row.kind,
                summary=row.summary,
                people=tuple(people[i]),
                at=at,
                uid=row.uid,
                created_at=row.created_at,
                occurred_at=row.occurred_at,
            )
        )
    return items


def planned_title(item: PlannedItem, *, timed: bool = True) -> str:
    """ "meal with Ann Lee and Bo Chen: lunch at Dishoom", "call with Ann Lee at 18:30"
    (``timed``: with the time of day it was given; a summary is one line)."""
    names = [name for _, name in item.people]
    who = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
    at = f" at {item.at:%H:%M}" if item.at is not None and timed else ""
    return f"{item.kind} with {who}{at}" + (f": {item.summary}" if item.summary else "")


def _title(item: DatedItem) -> str:
    """A birthday's own title as given; other dates' labels get the contact's name in
    front ("Ada Lovelace: Wedding"); without one, "Ada Lovelace's birthday" and so on."""
    if item.title:
        return item.title if item.kind == "birthday" else f"{item.contact_name}: {item.title}"
    if item.kind in ("birthday", "anniversary"):
        return f"{item.contact_name}'s {item.kind}"
    return f"{item.contact_name}'s date"


def reach(days: int, lead_days: int | None) -> int:
    """How far ahead a yearly date is listed: the window, or the date's own reminder lead
    when that is longer (the person asked to hear of it so early)."""
    return max(days, min(lead_days or 0, MAX_LEAD_DAYS))


def upcoming(
    *,
    today: date,
    days: int,
    dates: Iterable[DatedItem],
    reminders: Iterable[ReminderItem],
    planned: Iterable[PlannedItem] = (),
) -> list[Upcoming]:
    """Every occurrence of the yearly dates (PartialDate.next_occurrence: 29 February falls
    on 28 February in other years) 0..days away (a window longer than a year holds some
    twice), with ``turns`` = whole years since the original date when its year is known
    (None on the original date itself); reminders
    due on or before today + days, overdue ones with a negative ``days_until``; planned
    interactions (:func:`planned_title`) from today to today + days. A date
    whose own lead (``lrm date add --remind 30d``: a gift to order, a trip to book) is
    longer than ``days`` comes in that many days ahead: :func:`reach` is the one rule.
    Sorted by date, kind (birthday, anniversary, custom, reminder, planned), a plan's time
    of day, contact name, title.
    Unparseable stored dates are skipped rather than hiding everyone else's."""
    if days < 0:
        raise ValueError(f"days must be >= 0, not {days}")
    found: list[Upcoming] = []
    for item in dates:
        try:
            partial = PartialDate.parse(item.partial)
        except InvalidInput:
            continue
        when = partial.next_occurrence(today)
        while (until := (when - today).days) <= reach(days, item.lead_days):
            found.append(
                Upcoming(
                    date=when,
                    kind=item.kind,
                    contact_id=item.contact_id,
                    contact_name=item.contact_name,
                    title=_title(item),
                    days_until=until,
                    turns=partial.age_on(when) or None,
                    lead_days=item.lead_days,
                )
            )
            when = partial.next_occurrence(when + timedelta(days=1))
    horizon = today + timedelta(days=days)
    for reminder in reminders:
        if reminder.due_on > horizon:
            continue
        found.append(
            Upcoming(
                date=reminder.due_on,
                kind="reminder",
                contact_id=reminder.contact_id,
                contact_name=reminder.contact_name,
                title=reminder.title,
                days_until=(reminder.due_on - today).days,
                turns=None,
                reminder_id=reminder.id,
            )
        )
    for plan in planned:
        if not 0 <= (until := (plan.day - today).days) <= days or not plan.people:
            continue
        contact_id, contact_name = plan.people[0]
        found.append(
            Upcoming(
                date=plan.day,
                kind="planned",
                contact_id=contact_id,
                contact_name=contact_name,
                title=planned_title(plan),
                days_until=until,
                turns=None,
                interaction_id=plan.id,
                at=plan.at,
            )
        )
    found.sort(key=_upcoming_order)
    return found


def _upcoming_order(item: Upcoming) -> tuple:
    """A day's items by kind, its plans by time of day (one given as a day only counts
    as noon, ``DAY_TIME``: where "today" puts it), then by contact name and title."""
    at = item.at or DAY_TIME
    return (item.date, _KIND_ORDER.get(item.kind, 9), at, item.contact_name or "", item.title)


# --- reminder recurrence --------------------------------------------------------------------

_DURATION = re.compile(r"([+-]?\d+)\s*([a-z]*)")  # dates.parse_duration_days's grammar
_FREQ_BY_UNIT = {"d": "DAILY", "w": "WEEKLY", "m": "MONTHLY", "y": "YEARLY"}
_SUPPORTED_PARTS = {"FREQ", "INTERVAL", "WKST", "BYMONTHDAY", "BYSETPOS", "BYMONTH"}


def parse_every(text: str) -> str:
    """A duration in parse_duration_days's grammar ("10d", "2w", "3m", "1 year"; a bare
    number is days) -> an RFC 5545 RRULE: d -> FREQ=DAILY;INTERVAL=n, w -> WEEKLY,
    m -> MONTHLY, y -> YEARLY. The words :func:`describe_every` writes read back too
    ("every 2 weeks"; "every month": day, week, month or year alone is one). Raises
    InvalidInput for anything else."""
    duration = text.strip().lower()
    if duration.startswith("every "):
        duration = duration[len("every ") :].strip()
    if duration in _UNIT_BY_FREQ.values():  # "every month"
        duration = f"1 {duration}"
    try:
        parse_duration_days(duration)  # validates the unit and the 1..100 years range
    except InvalidInput as exc:
        raise InvalidInput(
            f"invalid --every {text!r}: use a number with d, w, m or y, e.g. 2w, 3m, 1y"
        ) from exc
    m = _DURATION.fullmatch(duration)
    assert m is not None  # parse_duration_days accepted it
    return f"FREQ={_FREQ_BY_UNIT[(m[2] or 'd')[0]]};INTERVAL={int(m[1])}"


_UNIT_BY_FREQ = {"DAILY": "day", "WEEKLY": "week", "MONTHLY": "month", "YEARLY": "year"}


def describe_every(rrule: str) -> str:
    """A reminder's RRULE in words, for people: "FREQ=MONTHLY;INTERVAL=1" -> "every month",
    "FREQ=WEEKLY;INTERVAL=2" -> "every 2 weeks" (JSON keeps the RRULE). The inverse of
    :func:`parse_every`; a rule lrm cannot read is shown as it is."""
    try:
        rule = _parse_rule(rrule)
    except InvalidInput:
        return rrule
    return every(rule.interval, _UNIT_BY_FREQ[rule.freq])


@dataclass(frozen=True)
class _Rule:
    freq: str
    interval: int
    day: int | None = None  # the day of the month it keeps (29-31), see :func:`anchored`


def _parse_rule(rrule: str) -> _Rule:
    text = rrule.strip()
    if text.upper().startswith("RRULE:"):
        text = text[6:]
    parts: dict[str, str] = {}
    for part in text.split(";"):
        name, sep, value = part.partition("=")
        if not sep:
            raise InvalidInput(f"invalid recurrence {rrule!r}")
        parts[name.strip().upper()] = value.strip().upper()
    unsupported = set(parts) - _SUPPORTED_PARTS
    freq = parts.get("FREQ", "")
    interval = parts.get("INTERVAL", "1")
    day = _kept_day(freq, parts)
    if unsupported or freq not in _FREQ_BY_UNIT.values() or not interval.isdigit() or day == 0:
        raise InvalidInput(
            f"unsupported recurrence {rrule!r}",
            hint="lrm repeats reminders with FREQ (DAILY, WEEKLY, MONTHLY, YEARLY) and INTERVAL",
        )
    if int(interval) < 1:
        raise InvalidInput(f"invalid recurrence {rrule!r}: INTERVAL must be at least 1")
    return _Rule(freq, int(interval), day)


def _kept_day(freq: str, parts: dict[str, str]) -> int | None:
    """The day :func:`anchored` writes into a rule, read back (None: the rule has none;
    0: BY parts lrm does not write, so cannot follow)."""
    by_day, by_pos, by_month = (parts.get(k) for k in ("BYMONTHDAY", "BYSETPOS", "BYMONTH"))
    if by_day is None and by_pos is None and by_month is None:
        return None
    if freq == "YEARLY":
        return 29 if (by_day, by_pos, by_month) == ("-1", None, "2") else 0
    if freq != "MONTHLY" or by_month is not None:
        return 0
    if (by_day, by_pos) == ("-1", None):
        return 31
    days = (by_day or "").split(",")
    if by_pos == "-1" and 2 <= len(days) <= 4 and days == [str(28 + i) for i in range(len(days))]:
        return 27 + len(days)
    return 0


def _rule_text(rule: _Rule) -> str:
    text = f"FREQ={rule.freq};INTERVAL={rule.interval}"
    if rule.day is None:
        return text
    if rule.freq == "YEARLY":
        return f"{text};BYMONTH=2;BYMONTHDAY=-1"
    if rule.day == 31:
        return f"{text};BYMONTHDAY=-1"
    return f"{text};BYMONTHDAY={','.join(str(d) for d in range(28, rule.day + 1))};BYSETPOS=-1"


def anchored(rrule: str, due_on: date, keep: str | None = None) -> str:
    """``rrule`` (FREQ and INTERVAL) with the day of the month its reminder keeps, so that
    a shorter month does not move it for good: a monthly reminder set for the 29th, 30th
    or 31st comes back on that day, or on the last day of a shorter month (31 January,
    28 February, 31 March; BYMONTHDAY=-1, or 28..30 with BYSETPOS=-1 as RFC 5545 says
    it), a yearly one set for 29 February on the last day of February. The day is that
    of ``keep`` (the rule this one replaces) when it has one, else ``due_on``'s. Every
    way a reminder gets its rule (`remind`, `reminder edit`, `done`) goes through here,
    and :func:`next_due` and the calendar export read the day back."""
    rule = _parse_rule(rrule)
    try:
        kept = _parse_rule(keep).day if keep else None
    except InvalidInput:
        kept = None
    day = kept or due_on.day
    if rule.freq == "MONTHLY" and day >= 29:
        return _rule_text(_Rule(rule.freq, rule.interval, day))
    if rule.freq == "YEARLY" and due_on.month == 2 and day >= 29:
        return _rule_text(_Rule(rule.freq, rule.interval, 29))
    return _rule_text(_Rule(rule.freq, rule.interval))


def _months(rule: _Rule) -> int:
    return rule.interval * (12 if rule.freq == "YEARLY" else 1)


def previous_due(due_on: date, rrule: str) -> date:
    """The occurrence of ``rrule`` one interval before ``due_on`` (months and years keep
    the rule's day, or due_on's, clamped): where a repeating reminder moved on by mistake
    came from."""
    rule = _parse_rule(rrule)
    try:
        if rule.freq in ("DAILY", "WEEKLY"):
            return due_on - timedelta(days=rule.interval * (7 if rule.freq == "WEEKLY" else 1))
        return add_months(due_on, -_months(rule), rule.day)
    except (OverflowError, ValueError):
        raise InvalidInput(f"recurrence {rrule!r} before {due_on} runs before year 1") from None


def next_due(due_on: date, rrule: str, after: date) -> date:
    """The first occurrence of ``rrule`` (FREQ and INTERVAL) started at ``due_on`` that
    is strictly after both ``after`` and ``due_on``. Occurrence k is due_on + k*INTERVAL
    days/weeks/months/years; months and years keep the rule's day (:func:`anchored`), or
    due_on's, clamped to the month's end (31 January + 1 month = 28 or 29 February, then
    31 March)."""
    rule = _parse_rule(rrule)
    limit = max(after, due_on)
    try:
        if rule.freq in ("DAILY", "WEEKLY"):
            step = rule.interval * (7 if rule.freq == "WEEKLY" else 1)
            k = (limit - due_on).days // step + 1
            return due_on + timedelta(days=k * step)
        months = _months(rule)
        elapsed = (limit.year - due_on.year) * 12 + limit.month - due_on.month
        k = max(1, elapsed // months)  # occurrence k - 1 is in an earlier month than limit
        while (candidate := add_months(due_on, k * months, rule.day)) <= limit:
            k += 1
        return candidate
    except (OverflowError, ValueError):
        raise InvalidInput(f"recurrence {rrule!r} from {due_on} runs past year 9999") from None
