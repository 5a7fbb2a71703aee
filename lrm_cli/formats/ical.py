"""iCalendar (RFC 5545) output through the ``icalendar`` library: the one module that
imports it, lazily (start-up time matters).

The caller hands in plain :class:`CalItem` values (everything already decided: UID,
dates, recurrence, alarm); this module only turns them into components and bytes.

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
- A planned interaction (``lrm log --future``) is a VEVENT: all-day on its day, or, when
  it was given a time of day, ``DTSTART`` at that moment in UTC (no TZID needed) and
  no DTEND.
- Every component has UID and DTSTAMP (given: never the wall clock), and a VALARM
  (``ACTION:DISPLAY``, ``DESCRIPTION``, ``TRIGGER``) when the item has a trigger. All
  other dates are floating all-day dates, so no TZID and no VTIMEZONE.
"""

from __future__ import annotations

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
    extra: tuple[tuple[str, str], ...] = ()  # X- properties, in order
    start_at: datetime | None = None  # an event at a time of day (aware, UTC): no DTEND


def yearly_rule(month: int, day: int) -> str:
    """The recurrence of a yearly date: 29 February recurs on the last day of February
    (28 February in common years), every other date on its own day."""
    if (month, day) == (2, 29):
        return "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=-1"
    return "FREQ=YEARLY"


def prodid(version: str) -> str:
    return f"-//lrm//lrm {version}//EN"


class _Builder:
    """Builds components with the library, keeping its classes and parsed RRULEs, and
    the properties many items share (see :meth:`shared`) with their lines."""

    def __init__(self, share: bool = True) -> None:
        import icalendar

        self.ical = icalendar
        self.share = share  # False: every property added as it comes (tests compare)
        self._rules: dict[str, object] = {}
        self._shared: dict[tuple, object] = {}
        self._lines: dict[int, bytes] = {}  # id of a shared property -> its line
        self._marks: dict[tuple[str, bytes], bytes] = {}  # BEGIN:VEVENT, END:VALARM ...

    def rule(self, text: str, uid: str) -> object:
        parsed = self._rules.get(text)
        if parsed is None:
            try:
                parsed = self.ical.vRecur.from_ical(text)
                if "FREQ" not in parsed:  # the library accepts any text without FREQ
                    raise ValueError("no FREQ")
            except ValueError as exc:
                raise InvalidInput(
                    f"{uid}: invalid recurrence {text!r}",
                    hint="lrm repeats reminders with FREQ (DAILY, WEEKLY, MONTHLY, YEARLY) "
                    "and INTERVAL",
                ) from exc
            self._rules[text] = parsed
        return parsed

    def shared(self, comp, name: str, value, parameters=None, key=None) -> None:
        """``comp.add(name, value, parameters)`` for a value many items have (a date, a
        rule, an alarm's action and trigger, a person's name): the library encodes it
        once, and each component holds that same property object, whose line
        :meth:`written` then renders once (the library's line for that object: objects
        are never changed once made). ``key`` stands for a value that cannot be hashed."""
        if not self.share:
            comp.add(name, value, parameters=parameters)
            return
        ident = (
            name,
            type(value),
            value if key is None else key,
            tuple(parameters.items()) if parameters else None,
        )
        prop = self._shared.get(ident)
        if prop is None:
            prop = comp._encode(name, value, dict(parameters) if parameters else None)
            self._shared[ident] = prop
            self._lines[id(prop)] = b""  # rendered when first written
        comp.add(name, prop)

    def component(self, item: CalItem):
        ical = self.ical
        comp = ical.Todo() if item.todo else ical.Event()
        comp.add("uid", item.uid)
        comp.add("dtstamp", item.stamp)
        if item.start_at is not None:  # RFC 5545 3.6.1: without DTEND, it takes no time
            comp.add("dtstart", item.start_at)
        elif not item.todo:
            self.shared(comp, "dtstart", item.start)
            self.shared(comp, "dtend", item.start + ONE_DAY)
        elif item.rrule:
            self.shared(comp, "dtstart", item.start)  # a recurrence needs its anchor
            self.shared(comp, "due", item.start)
        else:
            self.shared(comp, "due", item.start)
        comp.add("summary", item.summary)
        if item.contact:
            self.shared(comp, "contact", item.contact)
        if item.rrule:
            self.shared(comp, "rrule", self.rule(item.rrule, item.uid), key=item.rrule)
        for name, value in item.extra:
            self.shared(comp, name, value)
        if item.trigger is not None:
            alarm = ical.Alarm()
            self.shared(alarm, "action", "DISPLAY")
            alarm.add("description", item.alarm or item.summary)
            if item.todo:  # relative to the due date
                self.shared(alarm, "trigger", item.trigger, parameters={"RELATED": "END"})
            else:
                self.shared(alarm, "trigger", item.trigger)
            comp.add_component(alarm)
        return comp

    def written(self, component) -> bytes:
        """``component.to_ical()``, made faster. The library's ``content_lines``: each
        property's line by ``content_line``, in its order, but (1) a shared property's
        line (:meth:`shared`), and BEGIN's and END's, rendered once; (2) the library
        folds each line by looking at it one character at a time, although a line
        shorter than FOLD_FROM octets, most of them, comes out as it went in: only the
        longer ones go through its folding. tests/test_ics_written.py holds this to
        ``to_ical``."""
        out = []
        lines, marks = self._lines, self._marks
        for name, value in component.property_items():
            if name == "BEGIN" or name == "END":
                data = marks.get((name, value))
                if data is None:
                    data = marks[name, value] = _line(component.content_line(name, value))
            else:
                data = lines.get(id(value))
                if not data:
                    data = _line(component.content_line(name, value))
                    if id(value) in lines:  # only a shared one: other ids come again
                        lines[id(value)] = data
            out.append(data)
        out.append(b"")
        return b"\r\n".join(out)

    def calendar(self, version: str):
        cal = self.ical.Calendar()
        cal.add("prodid", prodid(version))
        cal.add("version", "2.0")
        return cal


_END = b"END:VCALENDAR\r\n"


def calendar_shell(version: str) -> bytes:
    """An empty VCALENDAR (PRODID, VERSION) as the library writes it: the components
    of :func:`assemble` go before its last line."""
    data = _Builder().calendar(version).to_ical()
    if not data.endswith(_END):  # the library writes CRLF line ends, END last
        raise ValueError("unexpected calendar serialisation")
    return data


def component_bytes(items: Iterable[CalItem]) -> Iterator[bytes]:
    """Each item's component (VEVENT or VTODO, with its VALARM) as the library writes it."""
    builder = _Builder()
    for item in items:
        yield builder.written(builder.component(item))


FOLD_FROM = 75  # octets: the library folds a content line this long or longer (written)


def _line(line) -> bytes:
    """A content line's bytes, folded by the library when FOLD_FROM octets or longer."""
    data = line.encode("utf-8")
    return data if len(data) < FOLD_FROM else line.to_ical()


def assemble(shell: bytes, components: Iterable[bytes]) -> bytes:
    """One VCALENDAR holding ``components``: the bytes the library writes for a calendar
    holding them (what it does too: the shell's lines, the components', then END;
    tests/test_ics_export.py holds the two equal)."""
    return b"".join((shell[: -len(_END)], *components, _END))


def calendar_bytes(items: Iterable[CalItem], version: str) -> bytes:
    """One VCALENDAR holding every item, in the order given (CRLF, folded lines)."""
    return assemble(calendar_shell(version), component_bytes(items))


def item_calendars(items: Iterable[CalItem], version: str) -> Iterator[tuple[str, bytes]]:
    """(uid, bytes) per item: each a VCALENDAR holding that one component (a vdir item)."""
    items = list(items)
    shell = calendar_shell(version)
    for item, component in zip(items, component_bytes(items), strict=True):
        yield item.uid, assemble(shell, (component,))
