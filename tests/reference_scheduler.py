"""A naive reference scheduler: the rules of DESIGN §3 and docs/json.md applied to raw
interaction rows, one contact at a time, with nothing kept between calls.

It shares no code with ``lrm_cli`` (nothing here imports it): the constants below are
copied from the documentation (DESIGN §3, README's formulas, the defaults in
lrm_cli/settings.py read by eye), and every computation goes the slow, obvious way: local
days through ``zoneinfo``, decay factors ``0.5 ** (age / half_life)``, counts by walking
every row, exact fractions where a comparison decides something. tests/
test_scheduler_reference.py loads the same rows into lrm through its public interface and
compares what ``lrm due/balance/drift/digest/show --json`` print with what this module
says. Where this module and lrm disagree, read DESIGN first: this module is meant to be
the one that is obviously right.

Readings of the documents that are not spelled out there (each one says where it comes
from):

- Days are calendar days in the user's zone (DESIGN §2: times stored in UTC, shown in the
  local zone). ``today`` is a local date; an interaction's day is its local date.
- "The last N days" are the N calendar days ending today, today included (the drift
  windows as lrm_cli/settings.py's ``drift_windows`` states them: the last 180 days, then
  the 365 days before). The raw initiator counts of ``balance`` cover ``window_days``
  days counted the same way as the balance's own ``count_initiators`` states (age 0 to
  ``window_days`` days inclusive): see ``COUNTS_INCLUDE_OLDEST_DAY``.
- The balance's age is the time elapsed, to the second (DESIGN §3 writes age_days and
  t "in days from a fixed epoch", no rounding to days); the decay factor is common to
  numerator and denominator, so the instant it is measured from does not matter.
- Ranking: ``due`` by urgency as shown (3 decimals) descending, then overdue days
  descending, then name (code points), then id; ``balance`` and the digest's one-sided
  list by |balance| descending, then name, then id (a balance of null counts as 0);
  ``drift`` by recent rate over previous rate ascending, then name, then id.
- Archived contacts are left out of every list ("hidden from lists", ``lrm archive
  --help``); snoozed ones only out of ``due``.
- A tag cadence tie (two tags, same smallest cadence) names the tag first by name.
- Losing touch (issue 15): the people ``due`` can never list (no cadence of any kind),
  active and not snoozed, whose last contact (else the day they were added) is more than
  the span ago in local days; longest first, then name, then id. ``interactions`` counts
  every interaction they took part in.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from fractions import Fraction
from itertools import pairwise
from typing import Any
from zoneinfo import ZoneInfo

# --- the documented constants -----------------------------------------------------------------

KIND_WEIGHTS: Mapping[str, float] = {
    # DESIGN §3: gift and favor 2, call/video/meeting/meal 1, message/email 0.5; README adds
    # letter and event 1, other 0.5
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
KINDS = tuple(KIND_WEIGHTS)
INITIATORS = ("me", "them", "mutual")

DEFAULTS: Mapping[str, Any] = {
    "half_life_days": 180.0,
    "balanced_threshold": 0.2,
    "window_days": 365,
    "inferred_min_interactions": 3,
    "inferred_sample": 10,
    "inferred_min_days": 7,
    "inferred_max_days": 365,
    "drift_recent_days": 180,
    "drift_previous_days": 365,
    "drift_min_previous": 4,
    "drift_ratio": 0.5,
}

COUNTS_INCLUDE_OLDEST_DAY = True
"""The raw counts' window: interactions 0..window_days days old (window_days + 1 calendar
days), as lrm_cli/scheduler.py's ``count_initiators`` documents it. The drift windows are
exactly drift_recent_days and drift_previous_days days long."""

SECONDS_PER_DAY = 86400


# --- the data -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Contact:
    id: int
    name: str
    created_at: int  # epoch seconds
    cadence_days: int | None = None  # explicit
    tags: tuple[str, ...] = ()
    snoozed_until: date | None = None
    archived: bool = False


@dataclass(frozen=True)
class Interaction:
    occurred_at: int  # epoch seconds
    kind: str
    initiator: str  # me | them | mutual
    participants: tuple[int, ...]  # contact ids
    weight: float | None = None  # None: the kind's weight


@dataclass(frozen=True)
class World:
    """Everything the scheduler reads, and the day and zone it is asked on."""

    contacts: tuple[Contact, ...]
    interactions: tuple[Interaction, ...]
    tag_cadences: Mapping[str, int | None]
    today: date
    zone: str = "Europe/London"
    settings: Mapping[str, Any] = field(default_factory=dict)

    def setting(self, name: str) -> Any:
        return self.settings.get(name, DEFAULTS[name])

    def contact(self, contact_id: int) -> Contact:
        return next(c for c in self.contacts if c.id == contact_id)

    def local_day(self, ts: int) -> date:
        return datetime.fromtimestamp(ts, ZoneInfo(self.zone)).date()

    def history(self, contact_id: int) -> list[Interaction]:
        """Every interaction the contact took part in, oldest first."""
        mine = [i for i in self.interactions if contact_id in i.participants]
        return sorted(mine, key=lambda i: i.occurred_at)

    def noon_today(self) -> int:
        t = self.today
        return int(datetime(t.year, t.month, t.day, 12, tzinfo=ZoneInfo(self.zone)).timestamp())


def half_up(x: Fraction, places: int) -> Fraction:
    """``x`` rounded to ``places`` decimals, halves away from -infinity (docs/json.md:
    "rounded to 3 decimals, half up")."""
    scale = 10**places
    return Fraction(math.floor(x * scale + Fraction(1, 2)), scale)


# --- cadence ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cadence:
    days: int
    source: str  # explicit | tag | inferred
    tag: str | None = None
    inferred_from: int | None = None


def inferred_cadence(world: World, contact_id: int) -> tuple[int, int] | None:
    """(days, interactions looked at): the median gap in days between the local days of
    the last (up to) inferred_sample interactions, when there are at least
    inferred_min_interactions; a median halfway between two days rounds up; clamped."""
    history = world.history(contact_id)
    if len(history) < world.setting("inferred_min_interactions"):
        return None
    last = history[-world.setting("inferred_sample") :]
    days = [world.local_day(i.occurred_at) for i in last]
    gaps = [(b - a).days for a, b in pairwise(days)]
    median = Fraction(statistics.median(gaps))
    value = math.floor(median + Fraction(1, 2))
    value = max(world.setting("inferred_min_days"), min(world.setting("inferred_max_days"), value))
    return value, len(last)


def cadence(world: World, contact: Contact) -> Cadence | None:
    """DESIGN §3: its own cadence, else the smallest of its tags', else inferred, else none."""
    if contact.cadence_days is not None:
        return Cadence(contact.cadence_days, "explicit")
    tagged = [
        (world.tag_cadences[t], t) for t in contact.tags if world.tag_cadences.get(t) is not None
    ]
    if tagged:
        days, tag = min(tagged)
        return Cadence(days, "tag", tag=tag)
    inferred = inferred_cadence(world, contact.id)
    if inferred is not None:
        return Cadence(inferred[0], "inferred", inferred_from=inferred[1])
    return None


# --- due ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DueItem:
    id: int
    name: str
    last_contact: date | None
    cadence_days: int
    cadence_source: str
    due_on: date
    overdue_days: int
    urgency: Fraction  # as shown: 3 decimals, half up

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "last_contact": None if self.last_contact is None else self.last_contact.isoformat(),
            "cadence_days": self.cadence_days,
            "cadence_source": self.cadence_source,
            "due_on": self.due_on.isoformat(),
            "overdue_days": self.overdue_days,
            "urgency": float(self.urgency),
        }


def is_snoozed(world: World, contact: Contact) -> bool:
    """Snoozed until a day: not due before it, due again on it (docs/json.md, show)."""
    return contact.snoozed_until is not None and world.today < contact.snoozed_until


def due_status(world: World, contact: Contact) -> DueItem | None:
    """The contact's due item whether or not it is due yet; None when it is not tracked
    (no cadence), archived or snoozed."""
    found = cadence(world, contact)
    if found is None or contact.archived or is_snoozed(world, contact):
        return None
    history = world.history(contact.id)
    last = world.local_day(history[-1].occurred_at) if history else None
    since = last if last is not None else world.local_day(contact.created_at)
    due_on = since + timedelta(days=found.days)
    days_since = (world.today - since).days
    return DueItem(
        id=contact.id,
        name=contact.name,
        last_contact=last,
        cadence_days=found.days,
        cadence_source=found.source,
        due_on=due_on,
        overdue_days=(world.today - due_on).days,
        urgency=half_up(Fraction(days_since, found.days), 3),
    )


def due(world: World, within_days: int = 0) -> list[DueItem]:
    """Who is due today or earlier, or within ``within_days``; most urgent first."""
    items = [
        item
        for c in world.contacts
        if (item := due_status(world, c)) is not None and item.overdue_days >= -within_days
    ]
    return sorted(items, key=lambda d: (-d.urgency, -d.overdue_days, d.name, d.id))


# --- losing touch -------------------------------------------------------------------------------


@dataclass(frozen=True)
class LosingItem:
    id: int
    name: str
    last_contact: date | None
    added_on: date
    days_since: int
    interactions: int

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "last_contact": None if self.last_contact is None else self.last_contact.isoformat(),
            "added_on": self.added_on.isoformat(),
            "days_since": self.days_since,
            "interactions": self.interactions,
        }


def losing_touch(world: World, days: int) -> list[LosingItem]:
    """Everyone without a cadence, not archived, not snoozed, with more than ``days`` local
    days since the last interaction (or since being added, never contacted); the longest
    first, then name, then id."""
    items = []
    for c in world.contacts:
        if c.archived or is_snoozed(world, c) or cadence(world, c) is not None:
            continue
        history = world.history(c.id)
        last = world.local_day(history[-1].occurred_at) if history else None
        added = world.local_day(c.created_at)
        since = last if last is not None else added
        waited = (world.today - since).days
        if waited > days:
            items.append(LosingItem(c.id, c.name, last, added, waited, len(history)))
    return sorted(items, key=lambda i: (-i.days_since, i.name, i.id))


# --- reciprocity --------------------------------------------------------------------------------


def weight(interaction: Interaction) -> float:
    if interaction.weight is not None:
        return interaction.weight
    return KIND_WEIGHTS[interaction.kind]


def sign(interaction: Interaction) -> int:
    return {"me": 1, "them": -1, "mutual": 0}[interaction.initiator]


@dataclass(frozen=True)
class Balance:
    """A contact's balance: the float the naive sum gives, and the exact value when all its
    interactions happened at one instant (every decay factor equal, so they cancel)."""

    value: float | None
    exact: Fraction | None
    threshold: float

    def shown(self) -> set[float | None]:
        """The 3-decimal values a correct program may print: one, or two when the naive
        float lies within rounding noise of a half."""
        if self.value is None:
            return {None}
        if self.exact is not None:
            return {float(half_up(self.exact, 3))}
        noise = 1e-9
        return {float(half_up(Fraction(self.value + d), 3)) for d in (-noise, 0.0, noise)}

    def labels(self) -> set[str | None]:
        """DESIGN §3: |balance| < threshold is balanced, else by sign; both labels when a
        float value lies within rounding noise of the threshold. The threshold is the
        decimal people write: 0.2 is 1/5, not the double nearest to it."""
        if self.value is None:
            return {None}
        if self.exact is not None:
            return {_label(abs(self.exact) < Fraction(repr(self.threshold)), self.exact)}
        noise = 1e-9
        return {
            _label(abs(self.value) + d < self.threshold, Fraction(self.value))
            for d in (-noise, noise)
        }

    def magnitude(self) -> float:
        return 0.0 if self.value is None else abs(self.value)


def _label(balanced: bool, value: Fraction) -> str:
    if balanced:
        return "balanced"
    return "you_give_more" if value > 0 else "they_give_more"


def balance(world: World, contact_id: int, *, up_to: date | None = None) -> Balance:
    """DESIGN §3: sum(s*w*d) / sum(w*d) over every interaction (up to the end of the day
    ``up_to`` when given), d = 0.5 ** (age_days / half_life), clamped to [-1, 1]."""
    rows = world.history(contact_id)
    if up_to is not None:
        rows = [i for i in rows if world.local_day(i.occurred_at) <= up_to]
    threshold = world.setting("balanced_threshold")
    if not rows:
        return Balance(None, None, threshold)
    now = world.noon_today()
    half_life = world.setting("half_life_days")
    num = den = 0.0
    for i in rows:
        age_days = (now - i.occurred_at) / SECONDS_PER_DAY
        d = 0.5 ** (age_days / half_life)
        num += sign(i) * weight(i) * d
        den += weight(i) * d
    if den <= 0:
        return Balance(None, None, threshold)
    value = max(-1.0, min(1.0, num / den))
    exact = None
    if len({i.occurred_at for i in rows}) == 1:
        exact = Fraction(sum(sign(i) * Fraction(weight(i)) for i in rows)) / sum(
            Fraction(weight(i)) for i in rows
        )
    return Balance(value, exact, threshold)


@dataclass(frozen=True)
class Counts:
    me: int
    them: int
    mutual: int


def initiator_counts(world: World, contact_id: int) -> Counts:
    """Raw counts by initiator over the last window_days (see COUNTS_INCLUDE_OLDEST_DAY)."""
    span = world.setting("window_days") - (0 if COUNTS_INCLUDE_OLDEST_DAY else 1)
    first = world.today - timedelta(days=span)
    counts = {"me": 0, "them": 0, "mutual": 0}
    for i in world.history(contact_id):
        if first <= world.local_day(i.occurred_at) <= world.today:
            counts[i.initiator] += 1
    return Counts(**counts)


@dataclass(frozen=True)
class BalanceItem:
    id: int
    name: str
    balance: Balance
    counts: Counts
    interaction_count: int


def balance_item(world: World, contact: Contact, *, up_to: date | None = None) -> BalanceItem:
    history = world.history(contact.id)
    if up_to is not None:
        history = [i for i in history if world.local_day(i.occurred_at) <= up_to]
    return BalanceItem(
        id=contact.id,
        name=contact.name,
        balance=balance(world, contact.id, up_to=up_to),
        counts=initiator_counts(world, contact.id),
        interaction_count=len(history),
    )


def balances(world: World) -> list[BalanceItem]:
    """Every active contact with at least one interaction, most one-sided first. Near
    ties of |balance| are within float noise of each other: see ``Balance``."""
    items = [
        balance_item(world, c) for c in world.contacts if not c.archived and world.history(c.id)
    ]
    return sorted(items, key=lambda b: (-b.balance.magnitude(), b.name, b.id))


def one_sided(world: World, *, min_interactions: int, limit: int | None) -> list[BalanceItem]:
    """The digest's one-sided list: active contacts not snoozed past today, with at least
    ``min_interactions`` interactions up to today, whose balance is not balanced, most
    one-sided first."""
    items = []
    for c in world.contacts:
        if c.archived or is_snoozed(world, c):
            continue
        item = balance_item(world, c, up_to=world.today)
        if item.interaction_count < min_interactions or item.balance.value is None:
            continue
        if item.balance.labels() != {"balanced"}:
            items.append(item)
    items.sort(key=lambda b: (-b.balance.magnitude(), b.name, b.id))
    return items[:limit]


# --- drift --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DriftItem:
    id: int
    name: str
    recent_count: int
    previous_count: int

    def rates(self, world: World) -> tuple[Fraction, Fraction]:
        """Interactions per 30 days in each window."""
        return (
            Fraction(self.recent_count * 30, world.setting("drift_recent_days")),
            Fraction(self.previous_count * 30, world.setting("drift_previous_days")),
        )

    def as_json(self, world: World) -> dict[str, Any]:
        recent, previous = self.rates(world)
        return {
            "id": self.id,
            "name": self.name,
            "recent_count": self.recent_count,
            "previous_count": self.previous_count,
            "recent_rate": float(half_up(recent, 2)),
            "previous_rate": float(half_up(previous, 2)),
        }


def window_counts(world: World, contact_id: int) -> tuple[int, int]:
    """(recent, previous): interactions in the last drift_recent_days (today included)
    and in the drift_previous_days before them."""
    recent_first = world.today - timedelta(days=world.setting("drift_recent_days") - 1)
    previous_first = recent_first - timedelta(days=world.setting("drift_previous_days"))
    recent = previous = 0
    for i in world.history(contact_id):
        day = world.local_day(i.occurred_at)
        if recent_first <= day <= world.today:
            recent += 1
        elif previous_first <= day < recent_first:
            previous += 1
    return recent, previous


def drift(world: World, *, awake: bool = False) -> list[DriftItem]:
    """DESIGN §3: the recent rate below drift_ratio times the earlier one, with at least
    drift_min_previous earlier interactions; most faded first. ``awake``: not the
    contacts snoozed past today (the digest's section)."""
    items = []
    ratio = Fraction(world.setting("drift_ratio"))
    for c in world.contacts:
        if c.archived or (awake and is_snoozed(world, c)):
            continue
        recent, previous = window_counts(world, c.id)
        item = DriftItem(c.id, c.name, recent, previous)
        recent_rate, previous_rate = item.rates(world)
        if previous >= world.setting("drift_min_previous") and recent_rate < ratio * previous_rate:
            items.append(item)

    def faded(item: DriftItem) -> tuple[Fraction, str, int]:
        recent_rate, previous_rate = item.rates(world)
        return recent_rate / previous_rate, item.name, item.id

    return sorted(items, key=faded)


# --- metamorphic helpers ------------------------------------------------------------------------


def swap_initiators(interactions: Iterable[Interaction]) -> tuple[Interaction, ...]:
    """Every interaction with me and them exchanged (mutual stays)."""
    other = {"me": "them", "them": "me", "mutual": "mutual"}
    return tuple(
        Interaction(i.occurred_at, i.kind, other[i.initiator], i.participants, i.weight)
        for i in interactions
    )
