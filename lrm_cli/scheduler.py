"""The scheduler: pure functions over plain data and an explicit ``today``.

No database, no clock, no I/O (DESIGN §3). Callers pass rows and ``today``; every constant
lives in ``SchedulerSettings`` and can be set under ``[scheduler]`` in config.toml.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from datetime import date, timedelta
from itertools import pairwise
from statistics import median
from typing import Any

from lrm_cli.dates import PartialDate
from lrm_cli.domain import ConfigError, InvalidInput

BALANCE_EPOCH = date(2000, 1, 1)
"""t = 0 of the incremental balance sums. 2**(t/H) overflows a double only when t/H
passes 1024: with the default half-life, about 500 years after the epoch."""

DEFAULT_KIND_WEIGHTS: dict[str, float] = {
    "gift": 2.0,
    "favor": 2.0,
    "call": 1.0,
    "video": 1.0,
    "meeting": 1.0,
    "meal": 1.0,
    "letter": 1.0,
    "event": 1.0,
    "message": 0.5,
    "email": 0.5,
    "other": 0.5,
}


@dataclass(frozen=True)
class SchedulerSettings:
    half_life_days: float = 180.0
    balanced_threshold: float = 0.2
    window_days: int = 365
    kind_weights: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_KIND_WEIGHTS))
    inferred_min_interactions: int = 3
    inferred_sample: int = 10
    inferred_min_days: int = 7
    inferred_max_days: int = 365
    drift_recent_days: int = 180
    drift_previous_days: int = 365
    drift_min_previous: int = 4
    drift_ratio: float = 0.5
    health_recency: float = 0.4
    health_reciprocity: float = 0.2
    health_trend: float = 0.2
    health_sentiment: float = 0.2

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> SchedulerSettings:
        """From the ``[scheduler]`` table; every problem is reported in one ConfigError."""
        known = {f.name: f for f in fields(cls)}
        values: dict[str, Any] = {}
        problems: list[str] = []
        for key, value in data.items():
            if key not in known:
                problems.append(f"unknown setting [scheduler] {key}")
            elif key == "kind_weights":
                if not isinstance(value, dict) or not all(
                    isinstance(v, int | float) and not isinstance(v, bool) and v > 0
                    for v in value.values()
                ):
                    problems.append("[scheduler] kind_weights must map kinds to numbers > 0")
                else:
                    values[key] = {
                        **DEFAULT_KIND_WEIGHTS,
                        **{k: float(v) for k, v in value.items()},
                    }
            elif isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
                problems.append(f"[scheduler] {key} must be a number >= 0")
            elif known[key].type in ("int",) and not isinstance(value, int):
                problems.append(f"[scheduler] {key} must be a whole number")
            else:
                values[key] = value
        if problems:
            raise ConfigError("; ".join(problems))
        settings = cls(**values)
        if settings.half_life_days <= 0:
            problems.append("[scheduler] half_life_days must be above 0")
        if settings.inferred_min_days > settings.inferred_max_days:
            problems.append("[scheduler] inferred_min_days is above inferred_max_days")
        if settings.inferred_min_interactions < 2:
            problems.append("[scheduler] inferred_min_interactions must be at least 2")
        if settings.drift_recent_days < 1 or settings.drift_previous_days < 1:
            problems.append("[scheduler] drift windows must be at least 1 day")
        if sum(settings.health_weights.values()) <= 0:
            problems.append("[scheduler] the health weights cannot all be 0")
        if problems:
            raise ConfigError("; ".join(problems))
        return settings

    @property
    def health_weights(self) -> dict[str, float]:
        return {
            "recency": self.health_recency,
            "reciprocity": self.health_reciprocity,
            "trend": self.health_trend,
            "sentiment": self.health_sentiment,
        }


# --- weights and signs ----------------------------------------------------------------------


def interaction_weight(kind: str, override: float | None, settings: SchedulerSettings) -> float:
    """The interaction's own weight if given, else its kind's (unknown kinds: 'other')."""
    if override is not None:
        return float(override)
    weights = settings.kind_weights
    return float(weights.get(kind, weights.get("other", 0.5)))


def initiator_sign(initiator: str) -> int:
    """+1 when I initiated or gave, -1 when they did, 0 when mutual."""
    return {"me": 1, "them": -1}.get(initiator, 0)


# --- cadence --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cadence:
    days: int
    source: str  # explicit | tag | inferred


def infer_cadence(days: Sequence[date], settings: SchedulerSettings) -> int | None:
    """Median gap in days between consecutive interactions among the last
    ``inferred_sample`` ones, when there are at least ``inferred_min_interactions``;
    rounded half up and clamped to [inferred_min_days, inferred_max_days]."""
    recent = sorted(days)[-settings.inferred_sample :]
    if len(recent) < settings.inferred_min_interactions:
        return None
    gaps = [(b - a).days for a, b in pairwise(recent)]
    value = int(median(gaps) + 0.5)
    return max(settings.inferred_min_days, min(settings.inferred_max_days, value))


def effective_cadence(
    explicit: int | None, tag_cadences: Sequence[int], inferred: int | None
) -> Cadence | None:
    """The contact's own cadence, else the smallest of its tags', else the inferred one."""
    if explicit:
        return Cadence(explicit, "explicit")
    tags = [c for c in tag_cadences if c]
    if tags:
        return Cadence(min(tags), "tag")
    if inferred:
        return Cadence(inferred, "inferred")
    return None


# --- due ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Due:
    due_on: date
    overdue_days: int
    urgency: float
    days_since: int
    cadence_days: int
    cadence_source: str


def due_status(
    *,
    last_contact: date | None,
    created: date,
    cadence: Cadence | None,
    today: date,
    snoozed_until: date | None,
    archived: bool,
) -> Due | None:
    """due_on = (last contact, else creation) + cadence; overdue_days = today - due_on
    (negative: not yet due); urgency = days since that moment / cadence. None when the
    contact is not tracked (no cadence), archived, or snoozed past today."""
    if cadence is None or archived:
        return None
    if snoozed_until is not None and today < snoozed_until:
        return None
    since = last_contact or created
    due_on = since + timedelta(days=cadence.days)
    days_since = (today - since).days
    return Due(
        due_on=due_on,
        overdue_days=(today - due_on).days,
        urgency=round(days_since / cadence.days, 3),
        days_since=days_since,
        cadence_days=cadence.days,
        cadence_source=cadence.source,
    )


def is_due(due: Due, within_days: int = 0) -> bool:
    """Due now, or within ``within_days``."""
    return due.overdue_days >= -within_days


# --- reciprocity ----------------------------------------------------------------------------


def _days(value: date | float, reference: date) -> float:
    return float((value - reference).days) if isinstance(value, date) else float(value)


def balance(
    interactions: Iterable[tuple[date | float, str, str, float | None]],
    today: date,
    settings: SchedulerSettings,
) -> float | None:
    """balance = sum(s*w*d) / sum(w*d) over (when, initiator, kind, weight) tuples, with
    d = 0.5 ** (age_days / half_life). ``when`` is a date, or days since BALANCE_EPOCH.
    None without interactions."""
    num = den = 0.0
    today_days = _days(today, BALANCE_EPOCH)
    for when, initiator, kind, override in interactions:
        age = today_days - _days(when, BALANCE_EPOCH)
        decay = 0.5 ** (age / settings.half_life_days)
        w = interaction_weight(kind, override, settings)
        num += initiator_sign(initiator) * w * decay
        den += w * decay
    return balance_from_sums(num, den)


def balance_terms(
    t_days: float,
    initiator: str,
    kind: str,
    override: float | None,
    settings: SchedulerSettings,
) -> tuple[float, float]:
    """One interaction's share of the two sums kept per contact: (s*w*2^(t/H), w*2^(t/H))
    with t in days since BALANCE_EPOCH. Dividing the sums gives ``balance`` exactly: the
    factor 2^(-today/H) that turns 2^(t/H) into the decay is common to both and cancels."""
    growth = 2.0 ** (t_days / settings.half_life_days)
    w = interaction_weight(kind, override, settings)
    return initiator_sign(initiator) * w * growth, w * growth


def balance_from_sums(num: float, den: float) -> float | None:
    if den <= 0:
        return None
    return max(-1.0, min(1.0, num / den))


def balance_label(value: float, settings: SchedulerSettings) -> str:
    if abs(value) < settings.balanced_threshold:
        return "balanced"
    return "you_give_more" if value > 0 else "they_give_more"


@dataclass(frozen=True)
class InitiatorCounts:
    me: int = 0
    them: int = 0
    mutual: int = 0


def count_initiators(
    interactions: Iterable[tuple[date, str]], today: date, settings: SchedulerSettings
) -> InitiatorCounts:
    """Raw counts by initiator over the last ``window_days`` (0 <= age <= window)."""
    counts = {"me": 0, "them": 0, "mutual": 0}
    for when, initiator in interactions:
        if 0 <= (today - when).days <= settings.window_days and initiator in counts:
            counts[initiator] += 1
    return InitiatorCounts(**counts)


# --- drift ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Drift:
    recent_count: int
    previous_count: int
    recent_rate: float
    previous_rate: float


def drift_windows(today: date, settings: SchedulerSettings) -> tuple[date, date, date]:
    """(previous_start, recent_start, end): the earlier window is [previous_start,
    recent_start), the recent one [recent_start, end); ``end`` is tomorrow, so today counts."""
    end = today + timedelta(days=1)
    recent_start = end - timedelta(days=settings.drift_recent_days)
    return recent_start - timedelta(days=settings.drift_previous_days), recent_start, end


def drift(recent_count: int, previous_count: int, settings: SchedulerSettings) -> Drift | None:
    """Rates per 30 days; drifting when the earlier window had at least
    ``drift_min_previous`` interactions and the recent rate fell below
    ``drift_ratio`` x the earlier one."""
    recent_rate = recent_count / settings.drift_recent_days * 30
    previous_rate = previous_count / settings.drift_previous_days * 30
    if previous_count < settings.drift_min_previous:
        return None
    if recent_rate >= settings.drift_ratio * previous_rate:
        return None
    return Drift(recent_count, previous_count, round(recent_rate, 2), round(previous_rate, 2))


# --- health ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class HealthComponent:
    name: str
    value: float  # 0..1
    weight: float  # share of the score, the weights sum to 1
    explanation: str


@dataclass(frozen=True)
class Health:
    score: int  # 0..100
    components: tuple[HealthComponent, ...]


NO_CADENCE_DAYS = 90


def health(
    *,
    days_since: int | None,
    cadence_days: int | None,
    balance: float | None,
    recent_count: int,
    previous_count: int,
    mean_sentiment: float | None,
    settings: SchedulerSettings,
) -> Health:
    """score = 100 * sum(weight * value) / sum(weights), each value in [0, 1]:

    - recency: 1 while within the cadence (90 days without one), falling linearly to 0
      at three cadences; 0 without any interaction;
    - reciprocity: 1 - |balance| (0.5 without interactions);
    - trend: recent rate / earlier rate, capped at 1 (drift windows); without an earlier
      rate, 1 if there is recent contact, else 0.5;
    - sentiment: (mean sentiment + 2) / 4 over the last year (0.5 without any).
    """
    period = cadence_days or NO_CADENCE_DAYS
    if days_since is None:
        recency, why = 0.0, "no interaction yet"
    else:
        over = max(0.0, days_since - period) / (2 * period)
        recency = max(0.0, 1.0 - over)
        why = f"last contact {days_since} days ago, cadence {period} days"
    if balance is None:
        reciprocity, rwhy = 0.5, "no interactions to weigh"
    else:
        reciprocity, rwhy = 1 - abs(balance), f"balance {balance:+.2f}"
    recent_rate = recent_count / settings.drift_recent_days * 30
    previous_rate = previous_count / settings.drift_previous_days * 30
    if previous_rate > 0:
        trend = min(1.0, recent_rate / previous_rate)
        twhy = f"{recent_rate:.2f}/month lately vs {previous_rate:.2f}/month before"
    else:
        trend = 1.0 if recent_count else 0.5
        twhy = "no earlier interactions to compare with"
    if mean_sentiment is None:
        sentiment, swhy = 0.5, "no sentiment recorded"
    else:
        sentiment = (max(-2.0, min(2.0, mean_sentiment)) + 2) / 4
        swhy = f"mean sentiment {mean_sentiment:+.1f} over the last year"
    weights = settings.health_weights
    total = sum(weights.values())
    parts = (
        ("recency", recency, why),
        ("reciprocity", reciprocity, rwhy),
        ("trend", trend, twhy),
        ("sentiment", sentiment, swhy),
    )
    components = tuple(
        HealthComponent(name, value, weights[name] / total, text) for name, value, text in parts
    )
    score = round(100 * sum(c.value * c.weight for c in components))
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
class Upcoming:
    date: date
    kind: str
    contact_id: int | None
    contact_name: str | None
    title: str
    days_until: int
    turns: int | None
    lead_days: int | None = None


_KIND_ORDER = {"birthday": 0, "anniversary": 1, "custom": 2, "reminder": 3}


def _default_title(item: DatedItem) -> str:
    if item.kind == "birthday":
        return f"{item.contact_name}'s birthday"
    if item.kind == "anniversary":
        return f"{item.contact_name}'s anniversary"
    return f"{item.contact_name}: {item.kind}"


def upcoming(
    *,
    today: date,
    days: int,
    dates: Iterable[DatedItem],
    reminders: Iterable[ReminderItem],
) -> list[Upcoming]:
    """Yearly dates whose next occurrence is within ``days`` (29 February falls on 28
    February in other years), with the age or anniversary count when the year is known;
    open reminders due by then, overdue ones included (negative ``days_until``)."""
    found: list[Upcoming] = []
    for item in dates:
        try:
            partial = PartialDate.parse(item.partial)
        except InvalidInput:
            continue  # a bad stored value must not hide everyone else's dates
        when = partial.next_occurrence(today)
        until = (when - today).days
        if not 0 <= until <= days:
            continue
        title = item.title or _default_title(item)
        if item.kind != "birthday" and item.title:
            title = f"{item.contact_name}: {item.title}"
        found.append(
            Upcoming(
                date=when,
                kind=item.kind,
                contact_id=item.contact_id,
                contact_name=item.contact_name,
                title=title,
                days_until=until,
                turns=partial.age_on(when),
                lead_days=item.lead_days,
            )
        )
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
            )
        )
    found.sort(key=lambda u: (u.date, _KIND_ORDER.get(u.kind, 9), u.contact_name or "", u.title))
    return found


# --- recurrence -----------------------------------------------------------------------------

_EVERY = re.compile(
    r"^\s*(\d+)\s*(d|day|days|w|wk|week|weeks|m|mo|month|months|y|yr|year|years)\s*$",
    re.IGNORECASE,
)
_FREQ = {"d": "DAILY", "w": "WEEKLY", "m": "MONTHLY", "y": "YEARLY"}


def parse_every(text: str) -> str:
    """``3m`` -> ``FREQ=MONTHLY;INTERVAL=3`` (an RFC 5545 RRULE); d, w, m, y units."""
    match = _EVERY.match(text or "")
    if not match or int(match.group(1)) < 1 or int(match.group(1)) > 1000:
        raise InvalidInput(
            f"invalid --every {text!r}: use a number with d, w, m or y, e.g. 2w, 3m, 1y"
        )
    return f"FREQ={_FREQ[match.group(2)[0].lower()]};INTERVAL={int(match.group(1))}"


def _rule(rrule: str) -> tuple[str, int]:
    parts = dict(p.split("=", 1) for p in rrule.upper().split(";") if "=" in p)
    freq = parts.get("FREQ", "")
    if freq not in _FREQ.values():
        raise InvalidInput(f"unsupported recurrence {rrule!r}")
    return freq, int(parts.get("INTERVAL", "1"))


def _add_months(day: date, months: int, anchor_day: int) -> date:
    total = day.year * 12 + (day.month - 1) + months
    year, month = divmod(total, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(anchor_day, last))


def next_due(due_on: date, rrule: str, after: date) -> date:
    """The first occurrence of ``rrule`` started at ``due_on`` strictly after both
    ``after`` and ``due_on``. Months keep the starting day, clamped to the month's end
    (31 January + 1 month = 28 or 29 February)."""
    freq, interval = _rule(rrule)
    limit = max(after, due_on)
    step = 0
    while True:
        step += 1
        if freq == "DAILY":
            candidate = due_on + timedelta(days=interval * step)
        elif freq == "WEEKLY":
            candidate = due_on + timedelta(weeks=interval * step)
        elif freq == "MONTHLY":
            candidate = _add_months(due_on, interval * step, due_on.day)
        else:
            candidate = _add_months(due_on, 12 * interval * step, due_on.day)
        if candidate > limit:
            return candidate
