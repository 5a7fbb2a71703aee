"""Tests for lrm_cli.dates: moments, days, durations, partial dates and timestamps."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lrm_cli.dates import (
    MAX_DURATION_DAYS,
    PartialDate,
    _fast_path,
    _parse_with_dateparser,
    format_duration_days,
    from_utc_timestamp,
    parse_day,
    parse_duration_days,
    parse_partial_date,
    parse_when,
    to_utc_timestamp,
)
from lrm_cli.domain import InvalidInput

LONDON = ZoneInfo("Europe/London")
LA = ZoneInfo("America/Los_Angeles")
NOW = datetime(2026, 11, 29, 10, 0, tzinfo=LONDON)  # a Sunday
TODAY = NOW.date()
REPO = Path(__file__).resolve().parents[1]

# dateparser is slow: keep properties that reach it small and without deadlines.
SLOW = settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def london(*args: int) -> datetime:
    return datetime(*args, tzinfo=LONDON)


# --- parse_when: fast path ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-28", london(2026, 11, 28, 12, 0)),
        ("2026-11-28T14:30", london(2026, 11, 28, 14, 30)),
        ("2026-11-28 14:30", london(2026, 11, 28, 14, 30)),
        ("2026-11-28T14:30:15", london(2026, 11, 28, 14, 30, 15)),
        ("2026-11-28 14:30:15.250", london(2026, 11, 28, 14, 30, 15, 250000)),
        ("2026-11-28T14:30Z", london(2026, 11, 28, 14, 30)),
        ("2026-11-28t14:30z", london(2026, 11, 28, 14, 30)),
        ("2026-11-28T14:30+05:00", london(2026, 11, 28, 9, 30)),
        ("2026-11-28 14:30 +0500", london(2026, 11, 28, 9, 30)),
        ("2026-07-01T12:00", london(2026, 7, 1, 12, 0)),  # summer time, still local
        ("now", NOW),
        ("today", london(2026, 11, 29, 12, 0)),  # a day without a time: noon
        ("Today", london(2026, 11, 29, 12, 0)),
        ("  yesterday  ", london(2026, 11, 28, 12, 0)),
        ("YESTERDAY", london(2026, 11, 28, 12, 0)),
        ("tomorrow", london(2026, 11, 30, 12, 0)),
        ("0 days ago", london(2026, 11, 29, 12, 0)),
        ("1 day ago", london(2026, 11, 28, 12, 0)),
        ("5 days ago", london(2026, 11, 24, 12, 0)),
        ("3 weeks ago", london(2026, 11, 8, 12, 0)),
        ("1 week ago", london(2026, 11, 22, 12, 0)),
        ("a week ago", london(2026, 11, 22, 12, 0)),
        ("a day ago", london(2026, 11, 28, 12, 0)),
        ("in 3 days", london(2026, 12, 2, 12, 0)),
        ("in 1 day", london(2026, 11, 30, 12, 0)),
        ("in 2 weeks", london(2026, 12, 13, 12, 0)),
        ("in   a   week", london(2026, 12, 6, 12, 0)),
        ("last tuesday", london(2026, 11, 24, 12, 0)),
        ("Last Tue", london(2026, 11, 24, 12, 0)),
        ("last sunday", london(2026, 11, 22, 12, 0)),  # strictly before today
        ("last sat", london(2026, 11, 28, 12, 0)),
        ("next friday", london(2026, 12, 4, 12, 0)),
        ("next sunday", london(2026, 12, 6, 12, 0)),  # strictly after today
        ("next mon", london(2026, 11, 30, 12, 0)),
        ("tuesday", london(2026, 11, 24, 12, 0)),
        ("WED", london(2026, 11, 25, 12, 0)),
        ("sunday", london(2026, 11, 22, 12, 0)),
        ("saturday", london(2026, 11, 28, 12, 0)),
    ],
)
def test_parse_when_fast_path(text: str, expected: datetime) -> None:
    result = parse_when(text, NOW)
    assert result == expected
    assert result.tzinfo is LONDON
    assert result.utcoffset() == expected.utcoffset()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("tuesday", london(2026, 12, 1, 12, 0)),
        ("sun", london(2026, 12, 6, 12, 0)),
        ("saturday", london(2026, 12, 5, 12, 0)),
        ("last tuesday", london(2026, 11, 24, 12, 0)),  # explicit direction wins
        ("yesterday", london(2026, 11, 28, 12, 0)),
    ],
)
def test_parse_when_prefer_future(text: str, expected: datetime) -> None:
    assert parse_when(text, NOW, prefer="future") == expected


def test_parse_when_in_los_angeles() -> None:
    now = datetime(2026, 11, 29, 10, 0, tzinfo=LA)
    assert parse_when("2026-11-28", now) == datetime(2026, 11, 28, 12, 0, tzinfo=LA)
    assert parse_when("2026-11-28T14:30Z", now) == datetime(2026, 11, 28, 6, 30, tzinfo=LA)
    assert parse_when("2026-11-28 14:30", now) == datetime(2026, 11, 28, 14, 30, tzinfo=LA)
    assert parse_when("yesterday", now) == datetime(2026, 11, 28, 12, 0, tzinfo=LA)
    assert parse_when("last tuesday", now) == datetime(2026, 11, 24, 12, 0, tzinfo=LA)
    assert parse_when("2 weeks ago", now) == datetime(2026, 11, 15, 12, 0, tzinfo=LA)
    assert parse_when("28 nov", now) == datetime(2026, 11, 28, 12, 0, tzinfo=LA)
    for text in ("2026-11-28", "yesterday", "28 nov", "2026-11-28T14:30Z"):
        assert parse_when(text, now).tzinfo is LA
    # A date-only interaction stays on its day when seen from London.
    assert parse_when("2026-11-28", now).astimezone(LONDON).date() == date(2026, 11, 28)


def test_relative_days_are_noon_local_across_dst() -> None:
    # Clocks went back on 2026-10-25 in London: "yesterday" is noon on the 24th, in BST.
    now = london(2026, 10, 25, 10, 0)
    assert parse_when("yesterday", now) == london(2026, 10, 24, 12, 0)
    assert parse_when("yesterday", now).utcoffset() == timedelta(hours=1)
    assert parse_when("1 week ago", now).utcoffset() == timedelta(hours=1)
    assert parse_when("today", now).utcoffset() == timedelta(0)


# --- parse_when: dateparser ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("28 nov", london(2026, 11, 28, 12, 0)),  # day only: noon, like ISO dates
        ("yesterday 3pm", london(2026, 11, 28, 15, 0)),
        ("midnight", london(2026, 11, 29, 0, 0)),  # an explicit midnight stays midnight
        ("next week", london(2026, 12, 6, 12, 0)),  # no time: noon, like every day
        ("last month", london(2026, 10, 29, 12, 0)),
        ("3 months ago", london(2026, 8, 29, 12, 0)),
        ("the day before yesterday", london(2026, 11, 27, 12, 0)),
        ("2 hours ago", london(2026, 11, 29, 8, 0)),  # a time: kept
        ("tonight", london(2026, 11, 29, 20, 0)),
        ("tues", london(2026, 11, 24, 12, 0)),
        ("tomorrow at 9am PST", london(2026, 11, 30, 17, 0)),  # the zone is honoured
    ],
)
def test_parse_when_dateparser_phrases(text: str, expected: datetime) -> None:
    result = parse_when(text, NOW)
    assert result == expected
    assert result.tzinfo is LONDON


def test_prefer_reaches_dateparser() -> None:
    assert parse_when("28 nov", NOW, prefer="future") == london(2027, 11, 28, 12, 0)


@pytest.mark.parametrize(
    "text",
    [
        "the day after never",
        "",
        "   ",
        "1984",
        "fortnightlyish",
        "2026-02-30",
        "2026-13-01",
        "2026-11-28 25:00",
        "99999999 weeks ago",
        "de",  # German/Zarma words must not become months
        "mai",
    ],
)
def test_parse_when_rejects(text: str) -> None:
    with pytest.raises(InvalidInput) as excinfo:
        parse_when(text, NOW)
    assert excinfo.value.hint


def test_parse_when_error_message() -> None:
    with pytest.raises(InvalidInput) as excinfo:
        parse_when("the day after never", NOW)
    assert str(excinfo.value) == "cannot understand the date 'the day after never'"
    assert excinfo.value.hint == "try 2026-11-28, yesterday, 'last tuesday' or '3 weeks ago'"
    with pytest.raises(InvalidInput, match="year alone"):
        parse_when("1984", NOW)


def test_parse_when_programming_errors() -> None:
    with pytest.raises(ValueError, match="aware"):
        parse_when("today", datetime(2026, 11, 29, 10, 0))
    with pytest.raises(ValueError, match="prefer"):
        parse_when("today", NOW, prefer="sideways")


PHRASES_BOTH_PATHS = [
    "3 weeks ago", "in 2 weeks", "a week ago", "yesterday", "tomorrow", "today",
    "1 day ago", "in 3 days", "2026-11-28", "2026-11-28 14:30",
]  # fmt: skip


@pytest.mark.parametrize("text", PHRASES_BOTH_PATHS)
def test_fast_path_agrees_with_dateparser(text: str) -> None:
    for prefer in ("past", "future"):
        assert _fast_path(text, NOW, prefer) == _parse_with_dateparser(text, NOW, prefer)


@pytest.mark.parametrize("days_later", range(7))
def test_weekdays_agree_with_dateparser(days_later: int) -> None:
    now = NOW + timedelta(days=days_later)
    for weekday in ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday"):
        for form in ("last {}", "next {}", "{}"):
            text = form.format(weekday)
            for prefer in ("past", "future"):
                fast = _fast_path(text, now, prefer)
                assert fast is not None
                assert fast == _parse_with_dateparser(text, now, prefer), (text, prefer)


# --- parse_day ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "prefer", "expected"),
    [
        ("2026-11-28", "past", date(2026, 11, 28)),
        ("2026-11-28T23:30-08:00", "past", date(2026, 11, 28)),  # as written
        ("2026-11-28 00:30", "past", date(2026, 11, 28)),
        ("today", "past", TODAY),
        ("now", "past", TODAY),
        ("yesterday", "past", date(2026, 11, 28)),
        ("tomorrow", "past", date(2026, 11, 30)),
        ("3 weeks ago", "past", date(2026, 11, 8)),
        ("in 2 weeks", "past", date(2026, 12, 13)),
        ("last tuesday", "past", date(2026, 11, 24)),
        ("next friday", "past", date(2026, 12, 4)),
        ("friday", "past", date(2026, 11, 27)),
        ("friday", "future", date(2026, 12, 4)),
        ("28 nov", "past", date(2026, 11, 28)),
        ("28 nov", "future", date(2027, 11, 28)),
    ],
)
def test_parse_day(text: str, prefer: str, expected: date) -> None:
    assert parse_day(text, TODAY, prefer=prefer) == expected


def test_parse_day_rejects() -> None:
    for text in ("", "the day after never", "1984"):
        with pytest.raises(InvalidInput):
            parse_day(text, TODAY)


@given(st.dates())
def test_iso_dates_round_trip_through_parse_day(d: date) -> None:
    assert parse_day(d.isoformat(), TODAY) == d


@given(st.integers(0, 5000), st.dates(date(1914, 1, 1), date(9000, 12, 31)))
def test_days_ago(n: int, today: date) -> None:
    assert parse_day(f"{n} days ago", today) == today - timedelta(days=n)
    assert parse_day(f"{n} day ago", today) == today - timedelta(days=n)


@SLOW
@given(st.integers(0, 5000))
def test_days_ago_agrees_with_dateparser(n: int) -> None:
    text = f"{n} days ago"
    expected = london(2026, 11, 29, 12, 0) - timedelta(days=n)  # noon, wall clock
    assert _fast_path(text, NOW, "past") == expected
    assert _parse_with_dateparser(text, NOW, "past") == expected


# --- durations ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("30d", 30), ("2w", 14), ("3m", 90), ("1y", 365), ("45", 45), ("1", 1),
        ("30 days", 30), ("1 day", 1), ("2 weeks", 14), ("1 week", 7), ("2 wk", 14),
        ("3 months", 90), ("1 month", 30), ("6 mo", 180), ("1 year", 365), ("1 yr", 365),
        ("2 years", 730), (" 2W ", 14), ("100y", 36500), ("36500", 36500),
    ],
)  # fmt: skip
def test_parse_duration_days(text: str, days: int) -> None:
    assert parse_duration_days(text) == days


@pytest.mark.parametrize(
    "text",
    ["fortnightlyish", "", "   ", "0d", "-3d", "0", "d", "3x", "3 minutes", "1.5w", "101y",
     "36501", "2w3d"],
)  # fmt: skip
def test_parse_duration_days_rejects(text: str) -> None:
    with pytest.raises(InvalidInput) as excinfo:
        parse_duration_days(text)
    message = str(excinfo.value)
    assert message.startswith(f"invalid duration {text!r}: ")
    assert "\n" not in message


def test_parse_duration_days_messages() -> None:
    with pytest.raises(InvalidInput) as excinfo:
        parse_duration_days("fortnightlyish")
    assert str(excinfo.value) == (
        "invalid duration 'fortnightlyish': use a number with d, w, m or y, e.g. 30d, 2w, 3m, 1y"
    )
    with pytest.raises(InvalidInput, match="at least 1 day"):
        parse_duration_days("0d")
    with pytest.raises(InvalidInput, match="at most 36500 days"):
        parse_duration_days("200y")


@pytest.mark.parametrize(
    ("days", "text"),
    [(14, "2w"), (30, "1m"), (365, "1y"), (10, "10d"), (1, "1d"), (7, "1w"), (60, "2m"),
     (210, "7m"), (730, "2y"), (36500, "100y"), (400, "400d")],
)  # fmt: skip
def test_format_duration_days(days: int, text: str) -> None:
    assert format_duration_days(days) == text


def test_format_duration_days_rejects_non_positive() -> None:
    with pytest.raises(ValueError):
        format_duration_days(0)


@given(st.integers(1, MAX_DURATION_DAYS))
def test_duration_round_trip(days: int) -> None:
    assert parse_duration_days(format_duration_days(days)) == days


# --- partial dates ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "normalised"),
    [
        ("1815-12-10", "1815-12-10"),
        ("18151210", "1815-12-10"),
        ("--12-10", "--12-10"),
        ("--1210", "--12-10"),
        ("  --02-29 ", "--02-29"),
        ("2000-02-29", "2000-02-29"),
        ("0001-01-01", "0001-01-01"),
    ],
)
def test_parse_partial_date(text: str, normalised: str) -> None:
    assert parse_partial_date(text) == normalised


@pytest.mark.parametrize(
    "text",
    ["1815-02-29", "1900-02-29", "--02-30", "--04-31", "--13-01", "2020-00-10",
     "12-10", "12/10", "1984", "1984-05", "", "yesterday", "1815-1210", "--1-1"],
)  # fmt: skip
def test_parse_partial_date_rejects(text: str) -> None:
    with pytest.raises(InvalidInput):
        parse_partial_date(text)


def test_partial_date_messages() -> None:
    with pytest.raises(InvalidInput, match="a year alone is not a date"):
        parse_partial_date("1984")
    with pytest.raises(InvalidInput, match="ambiguous") as excinfo:
        parse_partial_date("12-10")
    assert "--MM-DD" in (excinfo.value.hint or "")


def test_partial_date_object() -> None:
    p = PartialDate.parse("18151210")
    assert p == PartialDate(1815, 12, 10)
    assert str(p) == "1815-12-10"
    q = PartialDate.parse("--1210")
    assert q == PartialDate(None, 12, 10)
    assert str(q) == "--12-10"
    with pytest.raises(InvalidInput):
        PartialDate(2001, 2, 29)
    with pytest.raises(AttributeError):
        p.day = 11  # type: ignore[misc]


def test_next_occurrence() -> None:
    p = PartialDate(1815, 12, 10)
    assert p.next_occurrence(date(2026, 11, 29)) == date(2026, 12, 10)
    assert p.next_occurrence(date(2026, 12, 10)) == date(2026, 12, 10)
    assert p.next_occurrence(date(2026, 12, 11)) == date(2027, 12, 10)
    leap = PartialDate(None, 2, 29)
    assert leap.next_occurrence(date(2026, 11, 29)) == date(2027, 2, 28)
    assert leap.next_occurrence(date(2027, 3, 1)) == date(2028, 2, 29)
    assert leap.next_occurrence(date(2028, 2, 29)) == date(2028, 2, 29)


def test_age_on() -> None:
    p = PartialDate(1815, 12, 10)
    assert p.age_on(date(2026, 12, 9)) == 210
    assert p.age_on(date(2026, 12, 10)) == 211
    assert p.age_on(date(1815, 12, 10)) == 0
    assert p.age_on(date(1800, 1, 1)) is None
    assert PartialDate(None, 12, 10).age_on(date(2026, 12, 10)) is None
    leap = PartialDate(2000, 2, 29)
    assert leap.age_on(date(2027, 2, 27)) == 26
    assert leap.age_on(date(2027, 2, 28)) == 27  # celebrated on 28 February
    assert leap.age_on(date(2028, 2, 28)) == 27
    assert leap.age_on(date(2028, 2, 29)) == 28


@st.composite
def partial_date_texts(draw: st.DrawFn) -> str:
    if draw(st.booleans()):
        d = draw(st.dates(date(1, 1, 1), date(9999, 12, 31)))
        basic = f"{d.year:04d}{d.month:02d}{d.day:02d}"  # strftime("%Y") may not pad
        return basic if draw(st.booleans()) else d.isoformat()
    d = draw(st.dates(date(2000, 1, 1), date(2000, 12, 31)))  # a leap year: 02-29 included
    return f"--{d:%m%d}" if draw(st.booleans()) else f"--{d:%m-%d}"


@given(partial_date_texts())
def test_parse_partial_date_is_idempotent(text: str) -> None:
    normalised = parse_partial_date(text)
    assert parse_partial_date(normalised) == normalised
    assert PartialDate.parse(str(PartialDate.parse(text))) == PartialDate.parse(text)
    assert PartialDate.parse(text) == PartialDate.parse(normalised)


@given(partial_date_texts(), st.dates(date(1, 1, 1), date(9998, 12, 31)))
def test_next_occurrence_properties(text: str, on_or_after: date) -> None:
    p = PartialDate.parse(text)
    nxt = p.next_occurrence(on_or_after)
    assert on_or_after <= nxt < on_or_after + timedelta(days=366)
    if (p.month, p.day) == (2, 29) and nxt.month == 2 and nxt.day == 28:
        assert not _is_leap(nxt.year)
    else:
        assert (nxt.month, nxt.day) == (p.month, p.day)


def _is_leap(year: int) -> bool:
    try:
        date(year, 2, 29)
    except ValueError:
        return False
    return True


# --- timestamps ---------------------------------------------------------------------------


def test_timestamps() -> None:
    assert to_utc_timestamp(datetime(1970, 1, 1, tzinfo=UTC)) == 0
    assert to_utc_timestamp(london(2026, 7, 1, 13, 0)) == to_utc_timestamp(
        datetime(2026, 7, 1, 12, 0, tzinfo=UTC)
    )
    assert to_utc_timestamp(datetime(1969, 12, 31, 23, 59, 59, 500000, tzinfo=UTC)) == -1
    moment = from_utc_timestamp(0, LA)
    assert moment == datetime(1970, 1, 1, tzinfo=UTC)
    assert moment.tzinfo is LA
    assert from_utc_timestamp(0, "Europe/London").tzinfo == LONDON
    with pytest.raises(ValueError):
        to_utc_timestamp(datetime(2026, 1, 1))


@given(
    st.datetimes(datetime(1900, 1, 1), datetime(2200, 1, 1), timezones=st.just(LONDON)),
    st.sampled_from([LONDON, LA, UTC, timezone(timedelta(hours=5, minutes=30))]),
)
def test_timestamp_round_trip(dt: datetime, tz: timezone) -> None:
    dt = dt.replace(microsecond=0)
    back = from_utc_timestamp(to_utc_timestamp(dt), tz)
    # Compare in UTC: == between zones is always False for times in a DST fold.
    assert back.astimezone(UTC) == dt.astimezone(UTC)
    assert back.tzinfo is tz


# --- lazy import --------------------------------------------------------------------------


def test_dateparser_is_not_imported_for_fast_path() -> None:
    code = textwrap.dedent(
        """
        import sys
        from datetime import date, datetime
        from zoneinfo import ZoneInfo

        import lrm_cli.dates as dates

        assert "dateparser" not in sys.modules, "imported by lrm_cli.dates"
        now = datetime(2026, 11, 29, 10, 0, tzinfo=ZoneInfo("Europe/London"))
        phrases = [
            "2026-11-28", "2026-11-28T14:30", "2026-11-28 14:30:15+01:00", "now", "today",
            "yesterday", "tomorrow", "3 days ago", "2 weeks ago", "a week ago", "in 3 days",
            "in 2 weeks", "last tuesday", "next fri", "sunday", "Last Sat", "last month",
            "next year", "3 months ago", "in 2 years", "28 nov", "Nov 20", "november 20th, 2025",
        ]
        for text in phrases:
            dates.parse_when(text, now)
            dates.parse_when(text, now, prefer="future")
            dates.parse_day(text, date(2026, 11, 29))
        for text in ("30d", "2 weeks", "1y", "--12-10", "18151210"):
            try:
                dates.parse_duration_days(text)
            except dates.InvalidInput:
                dates.parse_partial_date(text)
        assert "dateparser" not in sys.modules, "imported by the fast path"
        dates.parse_when("2 hours ago", now)
        assert "dateparser" in sys.modules
        print("ok")
        """
    )
    paths = [str(REPO), os.environ.get("PYTHONPATH", "")]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in paths if p)}
    proc = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "ok"
