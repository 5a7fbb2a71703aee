"""iCalendar (RFC 5545) output, written here line by line: the bytes ``icalendar`` (the
library) writes for the same components, without building its objects (a calendar of a
thousand contacts took seconds through it, most of it in its generic property and
line-folding machinery; issue 14). tests/test_ical_writer.py holds the two byte for byte
equal on any item; ``icalendar`` is imported only to read a recurrence rule of a shape
lrm does not write itself (:func:`_library_rule`).

The caller hands in plain :class:`CalItem` values (everything already decided: UID,
dates, recurrence, alarm); this module only turns them into text:

- A yearly date (birthday, anniversary, custom date) is an all-day VEVENT:
  ``DTSTART;VALUE=DATE``, ``DTEND`` the next day, ``RRULE:FREQ=YEARLY`` (29 February:
  ``FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=-1``, the last day of February, so it appears every
  year; see :func:`yearly_rule`).
- A task (reconnect, reminder) is a VTODO with ``DUE;VALUE=DATE`` on its date and an
  alarm relative to it (``TRIGGER;RELATED=END``), or, when not ``todo``, an all-day
  VEVENT like the yearly ones. A repeating VTODO also needs ``DTSTART`` (the anchor of
  its RRULE, RFC 5545 3.8.2.4): it is the due date itself, as Apple Reminders and
  Evolution write it, although RFC 5545 3.8.2.3 wants a DUE later than DTSTART (the
  day after would show the wrong due date, and an earlier start would shift monthly
  rules). A task without recurrence has no DTSTART, so it is strictly valid.
- Every component has UID and DTSTAMP (given: never the wall clock), and a VALARM
  (``ACTION:DISPLAY``, ``DESCRIPTION``, ``TRIGGER``) when the item has a trigger. All
  dates are floating all-day dates, so no TZID and no VTIMEZONE.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from lrm_cli.errors import InvalidInput

ONE_DAY = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class CalItem:
    uid: str  # already safe: [A-Za-z0-9_.+-]
    summary: str
    start: date
    stamp: datetime  # aware, UTC
    todo: bool = False  # VTODO (else an all-day VEVENT)
    rrule: str | None = None  # RFC 5545 RRULE value, e.g. FREQ=YEARLY
    trigger: timedelta | None = None  # VALARM trigger: from the start (event) or due (todo)
    alarm: str = ""  # the VALARM's DESCRIPTION (the summary when empty)
    contact: str | None = None  # CONTACT: the person the item is about
    extra: tuple[tuple[str, str], ...] = ()  # X- properties, in order, values as written


def yearly_rule(month: int, day: int) -> str:
    """The recurrence of a yearly date: 29 February recurs on the last day of February
    (28 February in common years), every other date on its own day."""
    if (month, day) == (2, 29):
        return "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=-1"
    return "FREQ=YEARLY"


def prodid(version: str) -> str:
    return f"-//lrm//lrm {version}//EN"


# --- the writer: icalendar's output, byte for byte -----------------------------------------

_CANONICAL = {  # icalendar's canonical_order: these first, in this order; the rest by name
    "VCALENDAR": ("VERSION", "PRODID", "CALSCALE", "METHOD", "DESCRIPTION", "X-WR-CALDESC",
                  "NAME", "X-WR-CALNAME"),
    "VEVENT": ("SUMMARY", "DTSTART", "DTEND", "DURATION", "DTSTAMP", "UID", "RECURRENCE-ID",
               "SEQUENCE", "RRULE", "RDATE", "EXDATE"),
}  # fmt: skip


def _text(value: str) -> str:
    """A TEXT value escaped as RFC 5545 3.3.11 (and icalendar) write it."""
    return (
        value.replace(r"\N", "\n")
        .replace("\\", "\\\\")
        .replace(";", r"\;")
        .replace(",", r"\,")
        .replace("\r\n", r"\n")
        .replace("\n", r"\n")
        .replace("\r", r"\n")
    )


def _fold(line: str) -> str:
    """A content line folded at 75 octets (RFC 5545 3.1): no physical line longer than
    74 octets plus the fold's space, an escape's backslash kept with what it escapes."""
    if len(line) <= 74 and (line.isascii() or len(line.encode("utf-8")) <= 74):
        return line
    parts: list[str] = []
    current: list[str] = []
    size = 0
    for char in line:
        width = 1 if char < "\x80" else len(char.encode("utf-8"))
        if current and size + width >= 75:
            if len(current) > 1 and current[-1] in "\\^":
                carried = current.pop()
                parts.append("".join(current))
                current, size = [carried], len(carried.encode("utf-8"))
            else:
                parts.append("".join(current))
                current, size = [], 0
        current.append(char)
        size += width
    if current:
        parts.append("".join(current))
    return "\r\n ".join(parts)


def _day(value: date) -> str:
    return f"{value.year:04}{value.month:02}{value.day:02}"


def _utc(value: datetime) -> str:
    """An aware UTC time as a DATE-TIME in UTC (``Z``)."""
    v = value
    return f"{v.year:04}{v.month:02}{v.day:02}T{v.hour:02}{v.minute:02}{v.second:02}Z"


def _duration(value: timedelta) -> str:
    sign = ""
    if value.days < 0:
        sign, value = "-", -value
    time = ""
    if value.seconds:
        hours, minutes, seconds = (
            value.seconds // 3600,
            value.seconds % 3600 // 60,
            value.seconds % 60,
        )
        time = "T" + (f"{hours}H" if hours else "")
        if minutes or (hours and seconds):
            time += f"{minutes}M"
        if seconds:
            time += f"{seconds}S"
    if value.days == 0 and time:
        return f"{sign}P{time}"
    return f"{sign}P{value.days}D{time}"


_RULE_ORDER = ("FREQ", "COUNT", "INTERVAL", "BYMONTHDAY", "BYMONTH")  # icalendar's order
_RULE_PART = {
    "FREQ": re.compile(r"(SECONDLY|MINUTELY|HOURLY|DAILY|WEEKLY|MONTHLY|YEARLY)\Z"),
    "COUNT": re.compile(r"[1-9][0-9]{0,5}\Z"),
    "INTERVAL": re.compile(r"[1-9][0-9]{0,5}\Z"),
    "BYMONTHDAY": re.compile(r"-?([1-9]|[12][0-9]|3[01])\Z"),
    "BYMONTH": re.compile(r"([1-9]|1[0-2])\Z"),
}


def _plain_rule(text: str) -> str | None:
    """``text`` as icalendar writes it back when it is a rule of the shapes lrm writes
    (FREQ, and INTERVAL, COUNT, one BYMONTH and one BYMONTHDAY, in canonical form); None
    for anything else."""
    parts: dict[str, str] = {}
    for part in text.split(";"):
        key, sep, value = part.partition("=")
        pattern = _RULE_PART.get(key)
        if not sep or pattern is None or key in parts or not pattern.match(value):
            return None
        parts[key] = value
    if "FREQ" not in parts:
        return None
    return ";".join(f"{k}={parts[k]}" for k in _RULE_ORDER if k in parts)


class _Rules:
    """RRULE values as icalendar writes them, each rule text read once."""

    def __init__(self) -> None:
        self._seen: dict[str, str] = {}

    def __call__(self, text: str, uid: str) -> str:
        found = self._seen.get(text)
        if found is None:
            found = self._seen[text] = _plain_rule(text) or _library_rule(text, uid)
        return found


def _library_rule(text: str, uid: str) -> str:
    """Any other rule: read and written back by icalendar, which also says whether it is
    one (imported on this path only)."""
    import icalendar

    try:
        parsed = icalendar.vRecur.from_ical(text)
        if "FREQ" not in parsed:  # the library accepts any text without FREQ
            raise ValueError("no FREQ")
        return parsed.to_ical().decode("utf-8")
    except ValueError as exc:
        raise InvalidInput(
            f"{uid}: invalid recurrence {text!r}",
            hint="lrm repeats reminders with FREQ (DAILY, WEEKLY, MONTHLY, YEARLY) and INTERVAL",
        ) from exc


def _ordered(kind: str, props: list[tuple[str, str]]) -> list[str]:
    """The content lines of one component's properties ((NAME, line) pairs, names
    upper case) in icalendar's order: its canonical names first, the others by name
    (a stable sort: one name's lines keep their order)."""
    first = _CANONICAL.get(kind, ())
    rank = {name: i for i, name in enumerate(first)}
    props.sort(key=lambda p: (0, rank[p[0]], "") if p[0] in rank else (1, 0, p[0]))
    return [line for _name, line in props]


def _component(item: CalItem, rule: _Rules, out: list[str]) -> None:
    """Append ``item``'s lines (BEGIN to END, unfolded) to ``out``."""
    kind = "VTODO" if item.todo else "VEVENT"
    start = _day(item.start)
    props = [("UID", f"UID:{_text(item.uid)}"), ("DTSTAMP", f"DTSTAMP:{_utc(item.stamp)}")]
    if not item.todo:
        props.append(("DTSTART", f"DTSTART;VALUE=DATE:{start}"))
        props.append(("DTEND", f"DTEND;VALUE=DATE:{_day(item.start + ONE_DAY)}"))
    else:
        if item.rrule:  # a recurrence needs its anchor
            props.append(("DTSTART", f"DTSTART;VALUE=DATE:{start}"))
        props.append(("DUE", f"DUE;VALUE=DATE:{start}"))
    props.append(("SUMMARY", f"SUMMARY:{_text(item.summary)}"))
    if item.contact:
        props.append(("CONTACT", f"CONTACT:{_text(item.contact)}"))
    if item.rrule:
        props.append(("RRULE", f"RRULE:{rule(item.rrule, item.uid)}"))
    for name, value in item.extra:  # as they are, as icalendar writes X- properties
        if "\n" in value or "\r" in value:
            raise ValueError(f"{name}: a line break in {value!r}")
        upper = name.upper()
        props.append((upper, f"{upper}:{value}"))
    out.append(f"BEGIN:{kind}")
    out += _ordered(kind, props)
    if item.trigger is not None:
        related = ";RELATED=END" if item.todo else ""  # a to-do's alarm: from its due date
        out += [
            "BEGIN:VALARM",
            "ACTION:DISPLAY",
            f"DESCRIPTION:{_text(item.alarm or item.summary)}",
            f"TRIGGER{related}:{_duration(item.trigger)}",
            "END:VALARM",
        ]
    out.append(f"END:{kind}")


def _calendar(items: Iterable[CalItem], version: str, rule: _Rules) -> bytes:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{_text(prodid(version))}"]
    for item in items:
        _component(item, rule, lines)
    lines.append("END:VCALENDAR")
    return ("\r\n".join(_fold(line) for line in lines) + "\r\n").encode("utf-8")


def calendar_bytes(items: Iterable[CalItem], version: str) -> bytes:
    """One VCALENDAR holding every item, in the order given (CRLF, folded lines)."""
    return _calendar(items, version, _Rules())


def item_calendars(items: Iterable[CalItem], version: str) -> Iterator[tuple[str, bytes]]:
    """(uid, bytes) per item: each a VCALENDAR holding that one component (a vdir item)."""
    rule = _Rules()
    for item in items:
        yield item.uid, _calendar((item,), version, rule)
