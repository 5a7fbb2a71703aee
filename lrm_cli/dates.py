"""Parsing and formatting of moments, days, durations and vCard partial dates.

This is the only module that uses ``dateparser``, and it imports it lazily: the
common phrases (ISO dates, ``yesterday``, ``3 weeks ago``, ``last tuesday``, ``last
month``, ``in 2 years``, ``nov 20``, ``20 november 2025`` ...) are handled by a stdlib
fast path so that most commands never pay for loading it (about a whole Typer program's
start-up). The fast path gives dateparser's answer for the same text and day
(tests/test_dates_stdlib.py checks it with hypothesis): months and years move by
calendar months, on the last day of a shorter month (31 March - 1 month = 28 February);
a day named with its month and no year is the last one on or before today (prefer
past) or the first one after today (prefer future). Where dateparser is wrong or silent,
the fast path answers on its own: a weekday of a named week (``tuesday last week``, weeks
from Monday), ``friday before last``, and a day of the month alone (``the 3rd``, which
dateparser read as 29 March). What it leaves to dateparser: times
of day, 29 February without a year, days a month lacks, other languages' words.

No function here reads the clock: callers pass ``now`` / ``today``.

Conventions:

* A phrase naming only a day (``2026-11-28``, ``last tuesday``, ``28 nov``, ``today``,
  ``yesterday``, ``3 days ago``, ``in 2 weeks``, ``last month``) means 12:00 local time
  that day, so a date-only interaction stays on the same calendar day when viewed from
  nearby time zones. ``now`` and phrases with a time of day (``2 hours ago``, ``9am``,
  ``yesterday 3pm``, ``tonight``) keep their time.
* A yearless ``--MM-DD`` (vCard's form) is that day's last occurrence (on or before
  today) or, preferring the future, its next one (on or after today).
* Durations: ``m`` is 30 days and ``y`` is 365 days. A span (how far ahead to look:
  ``upcoming --days``, ``due --within``) is a duration or 0 (today only).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

from lrm_cli.errors import InvalidInput
from lrm_cli.vocabulary import MAX_DURATION_DAYS, MAX_FUTURE_DAYS, MAX_LEAD_DAYS, too_far_ahead

__all__ = [
    "EARLIEST_MOMENT",
    "LATEST_MOMENT",
    "MAX_DURATION_DAYS",
    "MAX_FUTURE_DAYS",
    "PartialDate",
    "format_duration_days",
    "from_utc_timestamp",
    "parse_birthday",
    "parse_day",
    "parse_day_ahead",
    "parse_duration_days",
    "parse_partial_date",
    "parse_span_days",
    "parse_when",
    "parse_yearly_date",
    "to_utc_timestamp",
    "too_far_ahead",
]

#: Languages dateparser may use. Auto-detection across every language is slow
#: (seconds for some inputs) and turns short English words into dates (``"de"``
#: became December 2025 via the Zarma locale, ``"mai"`` became May via French).
DATEPARSER_LANGUAGES = ["en"]


#: The moments lrm keeps for what happened (interactions; the timestamps of an import):
#: nobody's relationships reach back before 1900, and the reciprocity balance weighs an
#: interaction by 2**(days since 2000 / half-life), which overflows a float some 500
#: years out with the default half-life of 180 days.
EARLIEST_MOMENT = datetime(1900, 1, 1, tzinfo=UTC)
LATEST_MOMENT = datetime(2200, 1, 1, tzinfo=UTC)
_NOON = time(12, 0)
DAY_TIME = _NOON
"""The time of a moment given as a day only ("next thursday", 2026-12-03): a plan at
another time of day was given one, and `upcoming` says it."""
_DAY = timedelta(days=1)
_WHEN_HINT = "try 2026-11-28, yesterday, 'last tuesday' or '3 weeks ago'"
#: the hint of a date that is to come (a reminder, the end of a snooze): past forms
#: would mislead there
_AHEAD_HINT = "try 2026-12-24, tomorrow, 'next friday', 'in 2 weeks' or 2w"
_PREFERS = ("past", "future")
_DAY_PERIODS = ("day", "week", "month", "year")  # dateparser's periods without a time

_WEEKDAYS = {
    name: i
    for i, full in enumerate(
        ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
    )
    for name in (full, full[:3])
}
_WEEKDAY_RE = "|".join(sorted(_WEEKDAYS, key=len, reverse=True))
_COUNT_RE = r"\d+|an?|one"

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_MONTH_DAY = re.compile(r"--(\d{2})-?(\d{2})")
_ISO_DATETIME = re.compile(
    r"(\d{4}-\d{2}-\d{2})[t ](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?) ?(z|[+-]\d{2}:?\d{2})?"
)
_AGO = re.compile(rf"({_COUNT_RE})\s+(day|week|month|year)s?\s+ago")
_IN = re.compile(rf"in\s+({_COUNT_RE})\s+(day|week|month|year)s?")
_LAST_NEXT = re.compile(r"(last|next)\s+(week|month|year)")
_MONTHS = {
    name: i
    for i, full in enumerate(
        (
            "january", "february", "march", "april", "may", "june", "july", "august",
            "september", "october", "november", "december",
        ),
        start=1,
    )
    for name in (full, full[:3])
} | {"sept": 9}  # fmt: skip
_MONTH_RE = "|".join(sorted(_MONTHS, key=len, reverse=True))
_ORDINAL = r"(?:st|nd|rd|th)?"
# "nov 20", "november 20th", "20 nov", "nov. 20, 2025", "20 nov 2025"
_NAMED_DAY = re.compile(
    rf"(?:(?P<m1>{_MONTH_RE})\.?\s+(?P<d1>\d{{1,2}}){_ORDINAL}"
    rf"|(?P<d2>\d{{1,2}}){_ORDINAL}\s+(?P<m2>{_MONTH_RE})\.?)"
    r"(?:,?\s+(?P<year>\d{4}))?"
)
_WEEKDAY = re.compile(rf"(?:(last|next)\s+)?({_WEEKDAY_RE})")
# A weekday of a week counted from this one (weeks start on Monday, as ISO 8601's do):
# "tuesday last week", "last week on tuesday", "tue of next week", "friday 2 weeks ago"
_WEEK_WORDS = {"last": -1, "this": 0, "next": 1}
_DAY_OF_WEEK = re.compile(
    rf"(?:the\s+)?(?P<d1>{_WEEKDAY_RE})\s+(?:of\s+|in\s+)?(?:(?P<w1>last|this|next)\s+week"
    rf"|(?P<n1>{_COUNT_RE})\s+weeks?\s+ago)"
    rf"|(?P<w2>last|this|next)\s+week\s+(?:on\s+)?(?P<d2>{_WEEKDAY_RE})"
)
# "friday before last", "the tuesday before last": the one a week before the last one
_BEFORE_LAST = re.compile(rf"(?:the\s+)?({_WEEKDAY_RE})\s+before\s+last")
# A day of the month alone, with its ordinal: "the 3rd", "on the 21st", "3rd" (dateparser
# read "3rd" as 29 March, the month from the figure and the day from today)
_ORDINAL_DAY = re.compile(r"(?:on\s+)?(?:the\s+)?(\d{1,2})(?:st|nd|rd|th)")
# "5/6", "20/11/2025", "20.11.", "5.6.2026", "11-20": a day and month in figures
_NUMERIC_DAY = re.compile(
    r"(?P<a>\d{1,2})(?P<sep>[/.-])(?P<b>\d{1,2})(?:(?P=sep)(?P<year>\d+)|(?P<dot>\.))?"
)
_MONTH_ABBR = [name for name in _MONTHS if len(name) == 3]
_YEAR_ALONE = re.compile(r"\d{4}")
# "nov", "november 2026", "2026-11", "11/2026": dateparser fills in today's day of the month
# (a birthday "Nov" became the 6th), so a month without its day is refused like a year alone
_MONTH_ALONE = re.compile(
    rf"(?:(?:{_MONTH_RE})\.?(?:,?\s+\d{{4}})?)|(?:\d{{4}}[-/]\d{{1,2}})|(?:\d{{1,2}}/\d{{4}})"
)
_RELATIVE_DAYS = {"today": 0, "earlier today": 0, "yesterday": -1, "tomorrow": 1}
# A weekend (dateparser reads none of these): its Saturday, at noon like any day.
_WEEKEND = re.compile(r"(last|past|this past|this|the|over the|next) weekend")
_SATURDAY = 5
# A signed count with "ago" or "in" ("-1 days ago", "in -2 weeks"): dateparser drops the
# sign and answers the opposite of what a literal reading says. Refused, not guessed.
_SIGNED_RELATIVE = re.compile(r"(?:^in\s+[-+]\s*\d)|(?:[-+]\s*\d+\s+[a-z]+\s+ago$)")


# --- moments and days ----------------------------------------------------------------------


def parse_when(text: str, now: datetime, *, prefer: str = "past") -> datetime:
    """Parse a moment such as ``2026-11-28``, ``yesterday`` or ``last tuesday``.

    ``now`` must be aware (the user's local zone); the result is aware in now's tzinfo.
    ``prefer`` ("past" or "future") resolves bare weekdays and other ambiguous phrases.
    Raises InvalidInput for anything that is not understood.
    """
    try:
        return _parse(text, now, prefer).astimezone(now.tzinfo)
    except OverflowError:  # 9999-12-31 23:59 moved into a zone east of it
        raise InvalidInput(f"date out of range: {text.strip()!r}", hint=_WHEN_HINT) from None


def parse_day(text: str, today: date, *, prefer: str = "past") -> date:
    """Parse a day with the same vocabulary as :func:`parse_when`.

    An explicit date/time is taken as written (any UTC offset in it is not applied).
    """
    now = datetime.combine(today, _NOON, tzinfo=UTC)
    return _parse(text, now, prefer).date()


def parse_day_given(text: str, option: str, today: date) -> date:
    """A day given as ``option`` (``--since``, ``--date``): :func:`parse_day`, its error
    naming the option. An empty value is refused like any other (a script's unset
    variable), never read as "not given"."""
    try:
        return parse_day(text, today)
    except InvalidInput as exc:
        raise InvalidInput(f"{option}: {exc.message}", hint=exc.hint) from None


def parse_day_ahead(text: str, option: str, today: date) -> date:
    """A day that is to come, given as ``option`` (``--on``, ``--until``): a duration from
    today (``2w``, ``30d``, ``3m``, ``1y``, in a cadence's days: ``lrm snooze ann --until
    2w`` and ``lrm remind ann TEXT --on 2w`` mean what ``lrm cadence ann 2w`` does) or a
    day, a yearless one the next time it comes. The one rule of every option that takes
    such a day; an error names the option and hints at future forms. A yearless day that
    just passed is refused (:func:`a_year_ahead_slip`), not read as next year's."""
    try:
        day = duration_after(text, today) or parse_day(text, today, prefer="future")
    except InvalidInput as exc:
        hint = _AHEAD_HINT if exc.hint == _WHEN_HINT else exc.hint
        raise InvalidInput(f"{option}: {exc.message}", hint=hint) from None
    if back := a_year_ahead_slip(text, day, today):
        from lrm_cli.words import plural

        raise InvalidInput(
            f"{option} {text!r} is {day.isoformat()}, almost a year ahead; "
            f"the last one, {back.isoformat()}, was {plural((today - back).days, 'day')} ago",
            hint=f"write the year: {option} {day.isoformat()}, or {back.isoformat()}",
        )
    return day


def _parse(text: str, now: datetime, prefer: str) -> datetime:
    """Fast path, then dateparser. The result is aware, but not necessarily in now's zone."""
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("now must be an aware datetime")
    if prefer not in _PREFERS:
        raise ValueError(f"prefer must be 'past' or 'future', not {prefer!r}")
    phrase = " ".join(text.split()).lower()
    if not phrase:
        raise InvalidInput("a date is required", hint=_WHEN_HINT)
    if _SIGNED_RELATIVE.search(phrase):
        raise InvalidInput(
            f"a count in {text.strip()!r} has a sign: say '2 days ago' or 'in 2 days'",
            hint=_WHEN_HINT,
        )
    if _YEAR_ALONE.fullmatch(phrase):
        raise InvalidInput(
            f"a year alone is not a date: {text.strip()!r}",
            hint="give a month and day too, e.g. 2026-11-28",
        )
    if _MONTH_ALONE.fullmatch(phrase):
        raise InvalidInput(
            f"a month alone is not a date: {text.strip()!r}",
            hint="give the day too, e.g. 'Nov 20' or 2026-11-20",
        )
    try:
        result = _fast_path(phrase, now, prefer)
    except (OverflowError, ValueError):  # e.g. "99999999 weeks ago"
        raise InvalidInput(f"date out of range: {text.strip()!r}", hint=_WHEN_HINT) from None
    if result is None:
        result = _parse_with_dateparser(phrase, now, prefer)
    if result is None:
        raise InvalidInput(f"cannot understand the date {text!r}", hint=_WHEN_HINT)
    return result


def _count(word: str) -> int:
    return 1 if word in ("a", "an", "one") else int(word)


def _at_noon(day: date, now: datetime) -> datetime:
    return datetime.combine(day, _NOON, tzinfo=now.tzinfo)


def _span(count: int, unit: str) -> tuple[int, int]:
    """(days, months) of ``count`` units: a week is 7 days, a year 12 months."""
    if unit in ("day", "week"):
        return count * (7 if unit == "week" else 1), 0
    return 0, count * (12 if unit == "year" else 1)


def add_months(day: date, months: int, keep_day: int | None = None) -> date:
    """``day`` moved by whole calendar months, on the same day of the month (``keep_day``:
    on that one) or, when that month is shorter, on its last day (31 March - 1 month =
    28 February), as dateparser (dateutil's relativedelta) does. The one month rule of
    relative dates and of reminders that repeat."""
    if not months and keep_day is None:
        return day
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    last = (date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)).day
    return date(year, month, min(keep_day or day.day, last))


def _named_day(m: re.Match, today: date, prefer: str) -> date | None:
    """A day written with its month's name ("nov 20", "20 november 2025"). Without a
    year: as ``--MM-DD`` (:meth:`PartialDate.occurrence`), which is dateparser's answer
    but for today ahead: "dec 6" on 6 December is today for a reminder (dateparser says a
    year later). None (dateparser decides) for a day the month does not have and for 29
    February without a year."""
    month = _MONTHS[m["m1"] or m["m2"]]
    number = int(m["d1"] or m["d2"])
    if m["year"]:
        try:
            return date(int(m["year"]), month, number)
        except ValueError:
            return None
    month_length = (date(2001, month % 12 + 1, 1) - _DAY).day  # 2001: 28 days in February
    if (month, number) == (2, 29) or number > month_length:
        return None
    return PartialDate(None, month, number).occurrence(today, prefer)


def numeric_day(m: re.Match) -> PartialDate:
    """A day and month in figures (a match of ``_NUMERIC_DAY``), the one rule for every
    option that takes a date (log, reminders, birthdays, dates). Dotted (``20.11.``) is
    day.month, as where it is written. With ``/`` or ``-`` the order is told by the
    figures alone: a part above 12 is the day (``20/11``, ``11/20``); when both could be
    the month (``5/6``) it is refused as ambiguous, never guessed (dateparser read it US
    style, and ``20/11`` the other way, without a word). A two-figure year is refused too,
    and a dotted pair without a year that is also a time (``20.11``: 20:11?)."""
    a, b, text = int(m["a"]), int(m["b"]), m[0]
    both = "write it as YYYY-MM-DD or with the month's name, e.g. '20 nov'"
    if m["sep"] == ".":
        if m["year"] is None and m["dot"] is None and a <= 23 and b <= 59:
            raise InvalidInput(
                f"ambiguous date {text!r}: {_spelled(a, b)} or {a}:{b:02d}?",
                hint=f"write {_spelled(a, b)!r}, '{text}.' or '{a}:{b:02d}'",
            )
        day, month = a, b
    elif a <= 12 and b <= 12 and a != b:
        raise InvalidInput(
            f"ambiguous date {text!r}: {_spelled(a, b)} or {_spelled(b, a)}?", hint=both
        )
    else:
        day, month = (a, b) if a > 12 else (b, a)
    year = m["year"]
    if year is not None and len(year) != 4:
        raise InvalidInput(f"write the year of {text!r} in full", hint="e.g. 2026-11-20")
    if month > 12 or day > 31:
        raise InvalidInput(f"no such date: {text!r}", hint=both)
    return PartialDate(None if year is None else int(year), month, day)


def _spelled(day: int, month: int) -> str:
    """``"5 jun"``."""
    return f"{day} {_MONTH_ABBR[month - 1]}"


def _fast_path(phrase: str, now: datetime, prefer: str) -> datetime | None:
    """Stdlib-only parsing of the common phrases; None when the phrase is not one of them.

    ``phrase`` is stripped, lower-cased and whitespace-collapsed.
    """
    if _ISO_DATE.fullmatch(phrase):
        try:
            return _at_noon(date.fromisoformat(phrase), now)
        except ValueError:
            raise InvalidInput(f"no such date: {phrase!r}", hint="use YYYY-MM-DD") from None
    if m := _ISO_DATETIME.fullmatch(phrase):
        try:
            dt = datetime.fromisoformat(f"{m[1]}T{m[2]}{(m[3] or '').upper()}")
        except ValueError:
            raise InvalidInput(
                f"no such date and time: {phrase!r}", hint="use YYYY-MM-DDTHH:MM"
            ) from None
        return dt if dt.tzinfo is not None else dt.replace(tzinfo=now.tzinfo)
    if m := _MONTH_DAY.fullmatch(phrase):
        partial = PartialDate(None, int(m[1]), int(m[2]))  # InvalidInput: no such day
        return _at_noon(partial.occurrence(now.date(), prefer), now)
    if m := _NUMERIC_DAY.fullmatch(phrase):
        return _at_noon(numeric_day(m).occurrence(now.date(), prefer), now)
    if phrase == "now":
        return now
    days = _RELATIVE_DAYS.get(phrase)  # relative days: that day at noon, like any day
    months = 0
    if days is None and (m := _AGO.fullmatch(phrase) or _IN.fullmatch(phrase)):
        sign = -1 if m.re is _AGO else 1
        days, months = _span(_count(m[1]) * sign, m[2])
    elif days is None and (m := _LAST_NEXT.fullmatch(phrase)):
        days, months = _span(-1 if m[1] == "last" else 1, m[2])
    if days is not None:
        return _at_noon(add_months(now.date(), months) + timedelta(days=days), now)
    if m := _NAMED_DAY.fullmatch(phrase):
        day = _named_day(m, now.date(), prefer)
        return None if day is None else _at_noon(day, now)
    if m := _WEEKEND.fullmatch(phrase):
        return _at_noon(weekend(m[1], now.date(), prefer), now)
    if m := _DAY_OF_WEEK.fullmatch(phrase):
        weeks = -_count(m["n1"]) if m["n1"] else _WEEK_WORDS[m["w1"] or m["w2"]]
        return _at_noon(day_of_week(now.date(), weeks, _WEEKDAYS[m["d1"] or m["d2"]]), now)
    if m := _BEFORE_LAST.fullmatch(phrase):
        target = _WEEKDAYS[m[1]]
        back = (now.weekday() - target) % 7 or 7
        return _at_noon(now.date() - timedelta(days=back + 7), now)
    if m := _ORDINAL_DAY.fullmatch(phrase):
        return _at_noon(day_of_month(int(m[1]), now.date(), prefer), now)
    if m := _WEEKDAY.fullmatch(phrase):
        target = _WEEKDAYS[m[2]]
        direction = m[1] or ("last" if prefer == "past" else "next")
        today = now.date()
        if direction == "last":
            back = (today.weekday() - target) % 7 or 7
            return _at_noon(today - timedelta(days=back), now)
        ahead = (target - today.weekday()) % 7 or 7
        return _at_noon(today + timedelta(days=ahead), now)
    return None


def day_of_week(today: date, weeks: int, weekday: int) -> date:
    """The ``weekday`` (0 = Monday) of the week ``weeks`` from today's (-1: last week);
    weeks start on Monday, as ISO 8601's do: on a Sunday, "tuesday last week" is 12 days
    back, not 5."""
    return today - timedelta(days=today.weekday() - weekday - 7 * weeks)


def day_of_month(number: int, today: date, prefer: str) -> date:
    """The day ``number`` of a month: the latest on or before today (prefer past), or the
    first on or after it (prefer future), in a month that has it (the 31st on 15 May is
    31 March: April has none). InvalidInput for a number no month has."""
    if not 1 <= number <= 31:
        raise InvalidInput(f"no month has a day {number}", hint=_WHEN_HINT)
    step = -1 if prefer == "past" else 1
    month = today.replace(day=1)
    while True:
        try:
            day = month.replace(day=number)
        except ValueError:  # this month has no such day
            day = None
        if day is not None and (day <= today if step < 0 else day >= today):
            return day
        month = add_months(month, step)


def weekend(word: str, today: date, prefer: str) -> date:
    """The Saturday of the weekend ``<word> weekend`` names on ``today``.

    ``last``, ``past``, ``this past``: the last weekend over before today (on a Monday,
    the one just gone; on a Saturday or Sunday, the one before). ``this``, ``the``,
    ``over the``: the weekend today is in, else the one ``prefer`` points to (the last
    one for what happened, the coming one for what is ahead); ahead, on a Sunday, that
    is today, not the Saturday gone. ``next``: the first weekend after the one today
    is in (on a Monday, the coming one)."""
    since = (today.weekday() - _SATURDAY) % 7  # days since the last Saturday, today's included
    latest = today - timedelta(days=since)
    in_weekend = since < 2
    if word in ("last", "past", "this past"):
        return latest - timedelta(days=7) if in_weekend else latest
    if word == "next":
        return latest + timedelta(days=7)
    if prefer == "past":
        return latest
    return today if in_weekend else latest + timedelta(days=7)


def _parse_with_dateparser(text: str, now: datetime, prefer: str) -> datetime | None:
    """Parse with dateparser only (no fast path); None when it does not understand.

    Explicit zones in the text ("9am PST") give an aware result in that zone; otherwise
    the result is in now's tzinfo. Results naming a day, a week, a month or a year and no
    time ("28 nov", "3 months ago", "last year": dateparser gives midnight or now's time)
    are moved to noon, like the fast path does.
    """
    from dateparser.date import DateDataParser  # lazy: slow to import

    base = now.replace(tzinfo=None)
    settings: dict[str, Any] = {
        "RELATIVE_BASE": base,
        "PREFER_DATES_FROM": prefer,
        # RETURN_AS_TIMEZONE_AWARE is deliberately left at its default, which returns an
        # aware datetime only when the text names a zone; False silently drops the zone
        # ("9am PST" became 9am local). The value "default" cannot be passed explicitly.
        # Report period "time" when the text gives a time, so that "next friday"
        # (midnight, period "day") can be told apart from "midnight".
        "RETURN_TIME_AS_PERIOD": True,
    }
    parser = DateDataParser(languages=DATEPARSER_LANGUAGES, settings=settings)
    try:
        data = parser.get_date_data(text)
    except (OverflowError, ValueError):  # out-of-range dates in odd phrases
        return None
    result = data.date_obj
    if result is None:
        return None
    if result.tzinfo is not None:
        return result
    if data.period in _DAY_PERIODS:
        result = datetime.combine(result.date(), _NOON)
    return result.replace(tzinfo=now.tzinfo)


# --- durations -----------------------------------------------------------------------------

_UNIT_DAYS = {
    "d": 1, "day": 1, "days": 1,
    "w": 7, "wk": 7, "wks": 7, "week": 7, "weeks": 7,
    "m": 30, "mo": 30, "mos": 30, "mon": 30, "month": 30, "months": 30,
    "y": 365, "yr": 365, "yrs": 365, "year": 365, "years": 365,
}  # fmt: skip
_DURATION = re.compile(r"([+-]?\d+)\s*([a-z]*)")
_DURATION_HELP = "use a number with d, w, m or y, e.g. 30d, 2w, 3m, 1y"


_UNIT_WORDS = {1: "day", 7: "week", 30: "month", 365: "year"}


def duration_after(text: str, today: date) -> date | None:
    """A duration with its unit (``2w``, ``30d``, ``3 months``) as the day that long after
    ``today``, in a cadence's days (:func:`parse_duration_days`: a month is 30 days); None
    for anything else, a date (a bare number is not taken for days here)."""
    m = _DURATION.fullmatch(text.strip().lower())
    if m is None or m[2] not in _UNIT_DAYS:
        return None
    return today + timedelta(days=parse_duration_days(text))


def parse_duration_days(text: str) -> int:
    """Parse a cadence such as ``30d``, ``2 weeks``, ``3m``, ``1 yr`` or ``45`` into days.

    A bare number means days; a month (m, mo, month) is 30 days and a year (y, yr,
    year) is 365 days. The result is between 1 and 36500 days.
    """
    cleaned = text.strip().lower()
    m = _DURATION.fullmatch(cleaned)
    if m is None or (m[2] and m[2] not in _UNIT_DAYS):
        raise InvalidInput(f"invalid duration {text!r}: {_DURATION_HELP}")
    days = int(m[1]) * _UNIT_DAYS[m[2] or "d"]
    if days <= 0:
        raise InvalidInput(f"invalid duration {text!r}: it must be at least 1 day")
    if days > MAX_DURATION_DAYS:
        raise InvalidInput(
            f"invalid duration {text!r}: it must be at most {MAX_DURATION_DAYS} days (100y)"
        )
    return days


def parse_lead_days(text: str, option: str = "--remind") -> int:
    """How long before a date to be reminded (``date add --remind``): a duration as
    :func:`parse_duration_days` reads it, or 0 (``0d``) for the day itself, up to
    ``MAX_LEAD_DAYS``. Errors name ``option``."""
    m = _DURATION.fullmatch(text.strip().lower())
    if m is not None and (not m[2] or m[2] in _UNIT_DAYS) and int(m[1]) == 0:
        return 0
    try:
        days = parse_duration_days(text)
    except InvalidInput as e:
        raise InvalidInput(f"{option}: {e}") from None
    if days > MAX_LEAD_DAYS:
        raise InvalidInput(
            f"{option} {text!r} is more than a year ahead: a date comes round every year "
            f"(at most {MAX_LEAD_DAYS} days)"
        )
    return days


def parse_span_days(text: str, option: str = "span") -> int:
    """How far ahead to look (``upcoming --days``, ``due --within``, ``digest --days``): a
    duration as :func:`parse_duration_days` reads it (``2w``; a bare number is days, up to
    100 years), or 0 for today only. Errors name ``option``."""
    m = _DURATION.fullmatch(text.strip().lower())
    if m is not None and (not m[2] or m[2] in _UNIT_DAYS):
        if int(m[1]) == 0:
            return 0
        if int(m[1]) < 0:
            raise InvalidInput(f"{option} {text!r} must be 0 or more, e.g. 0, 7d, 2w")
    try:
        return parse_duration_days(text)
    except InvalidInput as exc:
        raise InvalidInput(f"{option}: {exc}") from None


def format_duration_days(days: int) -> str:
    """Format days with the largest exact unit: 14 -> "2w", 30 -> "1m", 365 -> "1y", 10 -> "10d".

    Inverse of :func:`parse_duration_days`.
    """
    if days <= 0:
        raise ValueError(f"duration must be positive, not {days}")
    for unit, size in (("y", 365), ("m", 30), ("w", 7)):
        if days % size == 0:
            return f"{days // size}{unit}"
    return f"{days}d"


# --- partial dates (vCard 4 / RFC 6350) ----------------------------------------------------

_FULL_DATE = re.compile(r"(\d{4})-?(\d{2})-?(\d{2})")
_YEARLESS_DATE = re.compile(r"--(\d{2})-?(\d{2})")
_PARTIAL_HINT = "use YYYY-MM-DD, or --MM-DD when the year is unknown"


def _is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def same_day(a: str, b: str) -> bool:
    """Two partial dates (``2012-06-09``, ``--06-09``) that are one day: equal, or the
    same month and day where one has no year. The one rule by which a birthday or an
    important date is one lrm has already (an import, ``date add``, a card's own lines):
    a phone that leaves the year out (X-APPLE-OMIT-YEAR) gives the same birthday."""
    return a == b or ((a.startswith("--") or b.startswith("--")) and a[-5:] == b[-5:])


def fuller(a: str | None, b: str) -> str:
    """Of two dates of the same day (:func:`same_day`), the one with a year: a year one of
    them knows is never lost to the other."""
    return b if a is None or a.startswith("--") else a


def same_important_date(a: tuple[str, str, str | None], b: tuple[str, str, str | None]) -> bool:
    """Whether two (kind, date, label) are one of a contact's dates (a second row would
    remind twice): the same kind and day (:func:`same_day`) and, but for an anniversary,
    the same label, its case aside."""
    if a[0] != b[0] or not same_day(a[1], b[1]):
        return False
    return a[0] == "anniversary" or (a[2] or "").casefold() == (b[2] or "").casefold()


@dataclass(frozen=True)
class PartialDate:
    """A date whose year may be unknown, such as a birthday (vCard ``--MM-DD``)."""

    year: int | None
    month: int
    day: int

    def __post_init__(self) -> None:
        try:
            # 2000 is a leap year, so a year-less 29 February is accepted.
            date(2000 if self.year is None else self.year, self.month, self.day)
        except (ValueError, TypeError, OverflowError):
            raise InvalidInput(f"no such date: {self}", hint=_PARTIAL_HINT) from None

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        """Parse ``1815-12-10``, ``18151210``, ``--12-10`` or ``--1210``."""
        cleaned = text.strip()
        if m := _FULL_DATE.fullmatch(cleaned):
            if (cleaned[4] == "-") != (cleaned[-3] == "-"):  # 1815-1210 / 181512-10
                raise InvalidInput(f"invalid date {text!r}", hint=_PARTIAL_HINT)
            return cls(int(m[1]), int(m[2]), int(m[3]))
        if m := _YEARLESS_DATE.fullmatch(cleaned):
            return cls(None, int(m[1]), int(m[2]))
        if re.fullmatch(r"\d{4}", cleaned):
            raise InvalidInput(
                f"a year alone is not a date: {cleaned!r}",
                hint="give month and day too, e.g. 1984-05-17",
            )
        if re.fullmatch(r"\d{1,2}[-/]\d{1,2}", cleaned):
            raise InvalidInput(
                f"ambiguous date {cleaned!r}",
                hint="write a date without a year as --MM-DD, e.g. --12-10",
            )
        raise InvalidInput(f"invalid date {text!r}", hint=_PARTIAL_HINT)

    def __str__(self) -> str:
        if self.year is None:
            return f"--{self.month:02d}-{self.day:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    def _in_year(self, year: int) -> date:
        """This month/day in ``year``; 29 February falls on 28 February in non-leap years."""
        if self.month == 2 and self.day == 29 and not _is_leap(year):
            return date(year, 2, 28)
        return date(year, self.month, self.day)

    def next_occurrence(self, on_or_after: date) -> date:
        """The next anniversary on or after ``on_or_after`` (the year, if any, is ignored)."""
        this_year = self._in_year(on_or_after.year)
        return this_year if this_year >= on_or_after else self._in_year(on_or_after.year + 1)

    def occurrence(self, today: date, prefer: str = "past") -> date:
        """The day this date means, seen from ``today``: with a year, that day; without
        one, its last occurrence on or before today (``past``: what happened) or its next
        one on or after today (``future``: what is ahead)."""
        if self.year is not None:
            return date(self.year, self.month, self.day)
        ahead = self.next_occurrence(today)
        if prefer == "past" and ahead > today:
            return self._in_year(today.year - 1 if ahead.year == today.year else today.year)
        return ahead

    def contradicts(self, other: PartialDate) -> bool:
        """Whether the two cannot be one person's birthday: another day of the year, or
        both years known and different (``--12-26`` and ``1780-12-26`` agree)."""
        return not same_day(str(self), str(other))

    def age_on(self, d: date) -> int | None:
        """Whole years completed on ``d``; None without a year or before the date itself."""
        if self.year is None or d < date(self.year, self.month, self.day):
            return None
        return d.year - self.year - (1 if d < self._in_year(d.year) else 0)


#: A day named without its year whose next time is this few days ahead is a slip when it
#: means "a year ago": ``log --when "dec 5"`` on 3 December (see :func:`a_year_back_slip`).
SLIP_DAYS = 30


def a_year_back_slip(text: str, day: date, today: date) -> date | None:
    """The coming day ``text`` may have meant, when it names a day and month without a
    year (``dec 5``, ``5/12``, ``--12-05``), ``day`` is what that reads as looking back
    (the last one, almost a year ago), and the same day comes within ``SLIP_DAYS``: a
    slip of a day or two ahead, or a plan, not something from last year. None otherwise."""
    if day >= today or not _names_a_yearless_day(text):
        return None
    ahead = PartialDate(None, day.month, day.day).next_occurrence(today)
    return ahead if today < ahead <= today + timedelta(days=SLIP_DAYS) else None


def a_year_ahead_slip(text: str, day: date, today: date) -> date | None:
    """:func:`a_year_back_slip` looking ahead: the day just past ``text`` may have meant,
    when it names a day and month without a year, ``day`` is what that reads as looking
    ahead (the next one, almost a year away), and the same day was within ``SLIP_DAYS``:
    ``remind ... --on "dec 1"`` on 7 December is a slip (or a reminder already late), not a
    plan for next December. None otherwise."""
    if day <= today or not _names_a_yearless_day(text):
        return None
    back = PartialDate(None, day.month, day.day).occurrence(today, "past")
    return back if today - timedelta(days=SLIP_DAYS) <= back < today else None


def _names_a_yearless_day(text: str) -> bool:
    """``dec 5``, ``5/12``, ``--12-05``: a day and month, without a year."""
    phrase = " ".join(text.split()).lower()
    named = _NAMED_DAY.fullmatch(phrase)
    numeric = _NUMERIC_DAY.fullmatch(phrase)
    yearless = (named is not None and not named["year"]) or (
        numeric is not None and numeric["year"] is None
    )
    return yearless or _MONTH_DAY.fullmatch(phrase) is not None


def parse_partial_date(text: str) -> str:
    """Normalise a vCard date to ``YYYY-MM-DD`` or ``--MM-DD``; raises InvalidInput."""
    return str(PartialDate.parse(text))


def parse_yearly_date(text: str, today: date, *, prefer: str = "past") -> str:
    """A birthday or an important date, as vCard writes it: ``1815-12-10`` or ``--12-10``
    (no year) as :func:`parse_partial_date` reads them; a day and month without a year,
    in words or figures (``dec 12``, ``12th december``, ``20/11``), as ``--MM-DD``: a
    birthday typed without its year has none (it was stored a year back: "turns 1");
    else any day :func:`parse_day` understands (``10 dec 1815``, ``last friday``)."""
    phrase = " ".join(text.split()).lower()
    if m := _NUMERIC_DAY.fullmatch(phrase):
        return str(numeric_day(m))
    if (m := _NAMED_DAY.fullmatch(phrase)) and not m["year"]:  # "dec 12": no year known
        return str(PartialDate(None, _MONTHS[m["m1"] or m["m2"]], int(m["d1"] or m["d2"])))
    try:
        return parse_partial_date(text)
    except InvalidInput:
        if not re.search(r"[a-z]", text, re.IGNORECASE):  # digits: the vCard form's message
            raise
    return parse_day(text, today, prefer=prefer).isoformat()


def parse_birthday(text: str, today: date) -> str:
    """A birthday as :func:`parse_yearly_date` reads it; one after today is a slip (a
    wrong year, 2030 for 1930) and is refused. Importers take a card's BDAY as written."""
    birthday = parse_yearly_date(text, today)
    if not birthday.startswith("--") and birthday > today.isoformat():
        raise InvalidInput(
            "a birthday in the future: "
            + (birthday if text.strip() == birthday else f"{text.strip()!r} is {birthday}"),
            hint="check the year; without one, write the day as --MM-DD, e.g. --12-10",
        )
    return birthday


# --- timestamps ----------------------------------------------------------------------------

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def to_utc_timestamp(dt: datetime) -> int:
    """Whole seconds since the Unix epoch (floored) for an aware datetime."""
    if dt.tzinfo is None or dt.utcoffset() is None:
        raise ValueError("to_utc_timestamp needs an aware datetime")
    return (dt - _EPOCH) // timedelta(seconds=1)


def from_utc_timestamp(ts: int, tz: tzinfo | str) -> datetime:
    """The aware datetime in ``tz`` (a tzinfo or an IANA zone name) for epoch seconds."""
    zone = ZoneInfo(tz) if isinstance(tz, str) else tz
    return datetime.fromtimestamp(ts, zone)
