"""A weekday of a named week ("tuesday last week") and a day of the month alone ("the
3rd"): what people say when they log last week's coffee. Weeks start on Monday."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from conftest import ok
from hypothesis import given
from hypothesis import strategies as st

from lrm_cli import dates
from lrm_cli.errors import InvalidInput

SUNDAY = datetime(2026, 11, 29, 9, 30, tzinfo=ZoneInfo("Europe/London"))
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("tuesday last week", "2026-11-17"),  # Sunday the 29th ends the week of the 23rd
        ("last week tuesday", "2026-11-17"),
        ("Tuesday of last week", "2026-11-17"),
        ("last week on tue", "2026-11-17"),
        ("sunday last week", "2026-11-22"),
        ("wednesday this week", "2026-11-25"),
        ("friday 2 weeks ago", "2026-11-13"),
        ("friday before last", "2026-11-20"),  # last Friday was the 27th
        ("the friday before last", "2026-11-20"),
        ("the 3rd", "2026-11-03"),
        ("3rd", "2026-11-03"),  # dateparser: 29 March
        ("on the 29th", "2026-11-29"),
        ("the 30th", "2026-10-30"),  # the latest on or before today
    ],
)
def test_named_weeks_and_days_of_the_month(text, day):
    moment = dates.parse_when(text, SUNDAY)
    assert moment.date().isoformat() == day and moment.hour == 12


def test_a_day_no_month_has_is_refused():
    with pytest.raises(InvalidInput, match="no month has a day 32"):
        dates.parse_when("the 32nd", SUNDAY)


def test_ahead_the_3rd_is_the_coming_one():
    assert dates.parse_day("the 3rd", SUNDAY.date(), prefer="future") == date(2026, 12, 3)
    assert dates.parse_day("the 31st", date(2026, 4, 15), prefer="future") == date(2026, 5, 31)


_today = st.dates(min_value=date(1950, 1, 1), max_value=date(2150, 12, 31))


@given(today=_today, weekday=st.integers(0, 6), weeks=st.integers(-8, 1))
def test_a_weekday_of_a_week_is_in_that_week(today, weekday, weeks):
    week = {-1: "last week", 0: "this week", 1: "next week"}.get(weeks, f"{-weeks} weeks ago")
    text = f"{WEEKDAYS[weekday]} {week}"
    day = dates.parse_day(text, today)
    assert day.weekday() == weekday
    monday = today - timedelta(days=today.weekday())
    assert (day - monday).days // 7 == weeks


@given(today=_today, number=st.integers(1, 31), prefer=st.sampled_from(["past", "future"]))
def test_the_nth_is_the_nearest_such_day_on_the_preferred_side(today, number, prefer):
    day = dates.parse_day(f"the {number}th", today, prefer=prefer)
    assert day.day == number
    assert day <= today if prefer == "past" else day >= today
    # no day numbered so lies between it and today
    step = 1 if prefer == "past" else -1
    between = [day + timedelta(days=step * n) for n in range(1, abs((today - day).days) + 1)]
    assert all(d.day != number for d in between)


def test_log_takes_them(lrm):
    ok(lrm("add", "Ann Lee"))
    out = ok(lrm("log", "ann", "--when", "tuesday last week", "--json")).json()
    assert out["occurred_at"].startswith("2026-11-17T12:00")
