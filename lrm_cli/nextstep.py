"""The digest's suggested next step for one person who is due, chosen by explicit rules.

Pure functions over plain data (no database, no clock, no I/O), like ``scheduler``:
``services/reach_out.py`` gathers the facts of each due person the digest shows (in SQL,
over the shown ids only) and asks :func:`decide`. The rules are tried in this order and
the first that applies wins (``RULES`` holds the order; tests pin it and this table):

| # | rule | applies when | suggests |
|---|---|---|---|
| 1 | `birthday_soon` | their birthday is 0-7 days away | birthday wishes on the day |
| 2 | `date_soon` | an anniversary or custom date is 0-7 days away | mark the date |
| 3 | `reminder_due` | a reminder about them is due in 0-7 days, or overdue | do it, `lrm done ID` |
| 4 | `they_reached_out` | they started the last interaction | reply, return the favour |
| 5 | `your_turn` | the reciprocity balance says they give more | reach out first |
| 6 | `one_sided` | you give more, 3+ interactions, last under 2 cadences ago | let them lead |
| 7 | `first_contact` | nothing is logged with them yet | say hello |
| 8 | `long_gap` | 2 cadences or more since the last contact | a short message (see below) |
| 9 | `keep_rhythm` | always (the fallback) | check in as usual |

Rule 4 says "return the favour" after their gift or favor, "return the invitation" after a
meal, meeting or event they set up, "your turn to call" after their call or video call (a
conversation is had, not answered), else "reply"; "your turn" instead after a long gap
(rule 8's), and for a reply once their message is more than ``REPLY_WITHIN_DAYS`` old.
Rule 6 holds back only while the last contact is recent: after a gap of rule 8's length,
waiting for them to lead would let the relationship lapse, so rule 8 speaks instead.
Rule 8 picks up where you left off when the last interaction has a summary (the digest's
``last:`` line shows it), else says "no agenda".
Rule 9 suggests the kind of the last interaction ("a call, like last time").

"0-7 days away" is also within the digest's look-ahead (``[digest] upcoming_days``, 14 by
default), where the dates and reminders come from. The balance and its label are the
lists' (``store/scheduler_sql.py``: |balance| < 0.2 is balanced). :func:`decide` also
says which facts chose the rule and why each earlier rule did not apply: ``lrm digest
--explain`` prints that.

How to reach them (:func:`choose_reach`): their preferred method; else the method of the
channel they were last reached through (the newest interaction whose kind is in
``CHANNELS`` and for which they have a method of a matching kind: an email -> email; a
call -> phone; a message or video -> phone, else social; a letter -> address); else the
first method listed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from lrm_cli.words import a_or_an, every, in_days, milestone, plural, signed

SOON_DAYS = 7
"""Rules 1-3: a date or reminder this many days away or closer."""
LONG_GAP_CADENCES = 2
"""Rule 8: a gap of at least this many cadences. Rule 4 no longer says "reply" after such a
gap ("reply to their message" of two months ago reads as a reproach) but "your turn"."""
REPLY_WITHIN_DAYS = 60
"""Rule 4 says "reply" to a message, email or letter of theirs at most this many days old;
an older one, even within two cadences (a half-yearly friend's message of 8 months ago), is
no longer waiting for an answer: "your turn". Under a monthly cadence or shorter, rule 8's
two cadences come first."""
ONE_SIDED_MIN_INTERACTIONS = 3
"""Rule 6: a balance over fewer interactions says too little to hold back for."""

CHANNELS: dict[str, tuple[str, ...]] = {
    "email": ("email",),
    "call": ("phone",),
    "message": ("phone", "social"),
    "video": ("phone", "social"),
    "letter": ("address",),
}
"""Interaction kinds that go through a contact method, and the method kinds they use (in
order of preference)."""
REACHING = frozenset(kind for kinds in CHANNELS.values() for kind in kinds)
"""The method kinds that reach a person (a channel's): not a web address."""


@dataclass(frozen=True)
class Last:
    """The last interaction with them (its local day)."""

    day: date
    kind: str
    initiator: str  # me | them | mutual
    summary: str | None = None


@dataclass(frozen=True)
class Coming:
    """A date or open reminder of theirs within the look-ahead (``days_until`` < 0: an
    overdue reminder)."""

    date: date
    kind: str  # birthday | anniversary | custom | reminder
    title: str
    days_until: int
    turns: int | None = None
    reminder_id: int | None = None


@dataclass(frozen=True)
class Facts:
    """What the rules know about one due person."""

    name: str
    cadence_days: int
    days_since: int | None  # since the last contact; None when there was none
    last: Last | None = None
    balance: float | None = None  # None: no interactions to weigh
    balance_label: str | None = None  # balanced | you_give_more | they_give_more
    interactions: int = 0
    coming_up: tuple[Coming, ...] = ()


class Check(NamedTuple):
    rule: str
    applies: bool
    because: str


class Step(NamedTuple):
    """The chosen rule, its suggestion, the facts that chose it, and every rule tried up
    to it (the earlier ones did not apply)."""

    rule: str
    text: str
    because: str
    checked: tuple[Check, ...]


class _Verdict(NamedTuple):
    applies: bool
    because: str
    text: str = ""


# --- wording ---------------------------------------------------------------------------------


def _started_by(initiator: str) -> str:
    return {"me": "you", "them": "them"}.get(initiator, "both of you")


def _date_name(item: Coming, name: str) -> str:
    """What a date is called in a suggestion: "their anniversary", "Wedding (anniversary)"
    (``scheduler.upcoming`` titles put the contact's name in front of a label)."""
    title = item.title
    kind = item.kind  # an anniversary with a known year says which: "45th anniversary"
    if kind == "anniversary" and item.turns:
        kind = milestone(kind, item.turns)
    if title.startswith(f"{name}: "):
        return f"{title[len(name) + 2 :]} ({kind})"
    if title in (f"{name}'s {item.kind}", f"{name}'s date"):
        return f"their {kind if item.kind != 'custom' else 'date'}"
    return f"{title} ({kind})"


def _soonest(f: Facts, kinds: tuple[str, ...]) -> Coming | None:
    found = [c for c in f.coming_up if c.kind in kinds]
    return min(found, key=lambda c: (c.days_until, c.title)) if found else None


# --- the rules, in order ---------------------------------------------------------------------


def _dated(f: Facts, kinds: tuple[str, ...], what: str) -> tuple[Coming | None, str]:
    """The soonest of their dates of ``kinds`` if it is 0..SOON_DAYS away, and why (not)."""
    item = _soonest(f, kinds)
    if item is None:
        return None, f"no {what} in the look-ahead"
    if 0 <= item.days_until <= SOON_DAYS:
        return item, f"{_date_name(item, f.name)} on {item.date}, {in_days(item.days_until)}"
    return None, (
        f"{_date_name(item, f.name)} on {item.date} is {plural(item.days_until, 'day')} away,"
        f" more than {SOON_DAYS}"
    )


def _birthday_soon(f: Facts) -> _Verdict:
    item, because = _dated(f, ("birthday",), "birthday")
    if item is None:
        return _Verdict(False, because)
    turns = f", they turn {item.turns}" if item.turns else ""
    if item.days_until == 0:
        return _Verdict(True, because, f"wish them a happy birthday today{turns}")
    text = f"send birthday wishes on {item.date} ({in_days(item.days_until)}{turns})"
    return _Verdict(True, because, text)


def _date_soon(f: Facts) -> _Verdict:
    item, because = _dated(f, ("anniversary", "custom"), "anniversary or date")
    if item is None:
        return _Verdict(False, because)
    text = f"mark {_date_name(item, f.name)} on {item.date} ({in_days(item.days_until)})"
    return _Verdict(True, because, text)


def _reminder_due(f: Facts) -> _Verdict:
    item = _soonest(f, ("reminder",))
    if item is None:
        return _Verdict(False, "no open reminder about them in the look-ahead")
    what = f"reminder #{item.reminder_id} due {item.date}, {in_days(item.days_until)}"
    if item.days_until > SOON_DAYS:
        return _Verdict(False, f"{what}: more than {plural(SOON_DAYS, 'day')} away")
    text = f"{item.title} (reminder #{item.reminder_id}, due {item.date}), then lrm done "
    return _Verdict(True, what, text + str(item.reminder_id))


_INVITATIONS = ("meal", "meeting", "event")
_FAVOURS = ("gift", "favor")
_CONVERSATIONS = {"call": "call", "video": "video call"}  # rule 4: returned, not replied to


def _they_reached_out(f: Facts) -> _Verdict:
    last = f.last
    if last is None:
        return _Verdict(False, "nothing logged yet")
    what = f"last interaction, {a_or_an(last.kind)} on {last.day}, was started by"
    if last.initiator != "them":
        return _Verdict(False, f"{what} {_started_by(last.initiator)}")
    if last.kind in _FAVOURS:
        text = f"return the favour for their {last.kind} of {last.day}"
    elif last.kind in _INVITATIONS:
        text = f"return the invitation: they set up the {last.kind} of {last.day}"
    elif last.kind in _CONVERSATIONS and not _long_since(f):
        text = f"your turn to call: they started the {_CONVERSATIONS[last.kind]} of {last.day}"
    elif _long_since(f) or (f.days_since or 0) > REPLY_WITHIN_DAYS:
        text = f"your turn: they reached out last, {a_or_an(last.kind)} on {last.day}"
    elif last.kind == "other":
        text = f"reply: they reached out last, on {last.day}"
    else:
        text = f"reply to their {last.kind} of {last.day}"
    return _Verdict(True, f"{what} them", text)


def _balance_text(f: Facts) -> str:
    if f.balance is None or f.balance_label is None:
        return "no balance: nothing logged to weigh"
    return f"balance {signed(f.balance)}: {f.balance_label.replace('_', ' ')}"


def _your_turn(f: Facts) -> _Verdict:
    if f.balance_label != "they_give_more":
        return _Verdict(False, _balance_text(f))
    text = f"reach out first: they have carried it lately (balance {signed(f.balance)})"
    return _Verdict(True, _balance_text(f), text)


def _one_sided(f: Facts) -> _Verdict:
    if f.balance_label != "you_give_more":
        return _Verdict(False, _balance_text(f))
    count = plural(f.interactions, "interaction")
    if f.interactions < ONE_SIDED_MIN_INTERACTIONS:
        return _Verdict(
            False, f"{_balance_text(f)}, but only {count}, fewer than {ONE_SIDED_MIN_INTERACTIONS}"
        )
    if _long_since(f):
        return _Verdict(
            False,
            f"{_balance_text(f)}, over {count}, but {plural(f.days_since or 0, 'day')} since "
            f"the last contact, at least {LONG_GAP_CADENCES} cadences: too long to wait for them",
        )
    text = "let them lead: a light touch, then leave the next move to them"
    return _Verdict(True, f"{_balance_text(f)}, over {count}", text)


def _first_contact(f: Facts) -> _Verdict:
    if f.last is not None:
        return _Verdict(False, f"last contact on {f.last.day}")
    return _Verdict(True, "nothing logged with them yet", "say hello: nothing logged with them yet")


def _long_since(f: Facts) -> bool:
    return f.days_since is not None and f.days_since >= LONG_GAP_CADENCES * f.cadence_days


def _long_gap(f: Facts) -> _Verdict:
    if f.days_since is None:  # unreachable after first_contact; kept total
        return _Verdict(False, "no last contact")
    limit = LONG_GAP_CADENCES * f.cadence_days
    gap = f"{plural(f.days_since, 'day')} since the last contact"
    if f.days_since < limit:
        return _Verdict(
            False, f"{gap}, under {LONG_GAP_CADENCES} cadences ({plural(limit, 'day')})"
        )
    if f.last is not None and f.last.summary:
        text = f"a short message picking up where you left off: {gap}"
    else:
        text = f"a short message, no agenda: {gap}"
    at_least = f"at least {LONG_GAP_CADENCES} cadences ({plural(limit, 'day')})"
    return _Verdict(True, f"{gap}, {at_least}", text)


def _keep_rhythm(f: Facts) -> _Verdict:
    text = f"check in as usual ({every(f.cadence_days, 'day')})"
    if f.last is not None and f.last.kind != "other":
        text = f"check in as usual: {a_or_an(f.last.kind)}, like last time"
    return _Verdict(True, "no earlier rule applied", text)


RULES: tuple[tuple[str, Callable[[Facts], _Verdict]], ...] = (
    ("birthday_soon", _birthday_soon),
    ("date_soon", _date_soon),
    ("reminder_due", _reminder_due),
    ("they_reached_out", _they_reached_out),
    ("your_turn", _your_turn),
    ("one_sided", _one_sided),
    ("first_contact", _first_contact),
    ("long_gap", _long_gap),
    ("keep_rhythm", _keep_rhythm),
)
"""The rules in priority order: the first that applies wins."""

RULE_NAMES = tuple(name for name, _ in RULES)


def decide(facts: Facts) -> Step:
    """The first rule of ``RULES`` that applies to ``facts`` (``keep_rhythm`` always
    does), with its suggestion and the reasons of every rule tried."""
    checked: list[Check] = []
    for name, rule in RULES:
        verdict = rule(facts)
        checked.append(Check(name, verdict.applies, verdict.because))
        if verdict.applies:
            return Step(name, verdict.text, verdict.because, tuple(checked))
    raise AssertionError("keep_rhythm always applies")  # pragma: no cover


def next_step(facts: Facts) -> tuple[str, str]:
    """(rule name, suggestion) for one due person."""
    step = decide(facts)
    return step.rule, step.text


# --- how to reach them -----------------------------------------------------------------------


class Method(NamedTuple):
    kind: str
    value: str
    label: str | None = None
    preferred: bool = False


class Reach(NamedTuple):
    kind: str
    value: str
    label: str | None
    source: str  # preferred | last_used | first_listed


def choose_reach(methods: Sequence[Method], channel: str | None) -> Reach | None:
    """``methods`` in their listed order; ``channel`` the kind of the newest interaction
    that went through one of them (a key of ``CHANNELS``), or None. Unless one is marked
    preferred, a web address is no way to reach someone (``REACHING``)."""
    for m in methods:
        if m.preferred:
            return Reach(m.kind, m.value, m.label, "preferred")
    for kind in CHANNELS.get(channel or "", ()):
        for m in methods:
            if m.kind == kind:
                return Reach(m.kind, m.value, m.label, "last_used")
    for m in methods:
        if m.kind in REACHING:
            return Reach(m.kind, m.value, m.label, "first_listed")
    return None
