"""Days written in figures (5/6, 20/11, 20.11.) and days named without a year: one rule
for every option that takes a date (lrm_cli/dates.py ``numeric_day`` and
``PartialDate.occurrence``), checked here through the functions and the real commands.

The day the tests run on is conftest's LRM_TODAY, 2026-11-29."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from lrm_cli import dates
from lrm_cli.errors import InvalidInput

TODAY = date(2026, 11, 29)
NOW = datetime(2026, 11, 29, 9, tzinfo=UTC)
day_months = st.dates(min_value=date(2000, 1, 1), max_value=date(2000, 12, 31))  # leap
prefers = st.sampled_from(["past", "future"])


@given(day=day_months, sep=st.sampled_from("/-"), prefer=prefers)
def test_a_day_in_figures_is_read_whichever_order_or_refused_when_both_could_be(day, sep, prefer):
    for text in (f"{day.day}{sep}{day.month}", f"{day.month}{sep}{day.day}"):
        if day.day > 12 or day.day == day.month:
            got = dates.parse_when(text, NOW, prefer=prefer).date()
            leap_day_moved = (day.month, day.day, got.day) == (2, 29, 28)  # as --02-29 is
            assert (got.month, got.day) == (day.month, day.day) or leap_day_moved, text
            assert got <= TODAY if prefer == "past" else got >= TODAY
            assert dates.parse_yearly_date(text, TODAY) == f"--{day.month:02d}-{day.day:02d}"
        else:
            with pytest.raises(InvalidInput, match="ambiguous") as refused:
                dates.parse_when(text, NOW, prefer=prefer)
            assert str(day.day) in str(refused.value) and str(day.month) in str(refused.value)
            with pytest.raises(InvalidInput, match="ambiguous"):
                dates.parse_yearly_date(text, TODAY)


@given(day=st.dates(min_value=date(1950, 1, 1), max_value=date(2026, 11, 29)))
@example(day=date(2024, 2, 29))
def test_a_dotted_day_is_day_then_month_and_a_full_year_is_kept(day):
    with_year = f"{day.day}.{day.month}.{day.year}"
    assert dates.parse_when(with_year, NOW).date() == day
    assert dates.parse_yearly_date(with_year, TODAY) == day.isoformat()
    got = dates.parse_when(f"{day.day}.{day.month}.", NOW).date()
    assert got <= TODAY and got.month == day.month
    assert got.day == day.day or (day.month, day.day, got.day) == (2, 29, 28)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("20.11", "ambiguous date '20.11': 20 nov or 20:11?"),
        ("5/6", "ambiguous date '5/6': 5 jun or 6 may?"),
        ("20/11/84", "write the year of '20/11/84' in full"),
        ("13/13", "no such date: '13/13'"),
    ],
)
def test_figures_that_could_mean_two_things_are_refused_with_both_readings(text, message):
    with pytest.raises(InvalidInput) as refused:
        dates.parse_when(text, NOW)
    assert str(refused.value) == message


@pytest.mark.parametrize("text", ["Dec 12", "12 dec", "December 12th", "12/12", "--12-12"])
def test_a_birthday_without_its_year_has_no_year(lrm, text):
    assert lrm("add", "Maya", "--birthday", text).exit_code == 0
    assert lrm("show", "maya", "--json").json()["birthday"] == "--12-12"
    upcoming = lrm("upcoming", "--days", "30")
    assert "Maya's birthday" in upcoming.stdout and "turns" not in upcoming.stdout


def test_an_important_date_named_without_a_year_is_yearly(lrm):
    lrm("add", "Maya")
    assert lrm("date", "add", "maya", "--on", "Dec 15", "--label", "Wedding").exit_code == 0
    listed = lrm("date", "list", "maya", "--json").json()
    assert [d["date"] for d in listed] == ["--12-15"]
    line = next(x for x in lrm("upcoming", "--days", "30").stdout.splitlines() if "Wedding" in x)
    assert "1st" not in line and "2026-12-15" in line  # no year: no count of years


@pytest.mark.parametrize("text", ["Nov 29", "29 november", "29/11", "29.11."])
def test_today_named_in_words_or_figures_is_today_for_what_is_ahead(lrm, text):
    """Not the same day a year later (dateparser's reading): a reminder is due today, and a
    snooze until today is refused as not ahead, rather than hiding someone for a year."""
    lrm("add", "Tim")
    reminded = lrm("remind", "tim", "call back", "--on", text, "--json").json()
    assert reminded["due_on"] == "2026-11-29"
    snoozed = lrm("snooze", "tim", "--until", text)
    assert snoozed.exit_code == 5 and "is 2026-11-29, not in the future" in snoozed.stderr


def test_a_log_with_an_ambiguous_day_writes_nothing_and_says_why(lrm):
    lrm("add", "Tim")
    refused = lrm("log", "tim", "--when", "5/6", "-s", "coffee")
    assert refused.exit_code == 5
    assert "ambiguous date '5/6': 5 jun or 6 may?" in refused.stderr
    assert len(refused.stderr.strip().splitlines()) <= 2  # the error and its hint
    assert lrm("timeline", "tim", "--json").json() == []
    logged = lrm("log", "tim", "--when", "20/11", "-s", "coffee", "--json").json()
    assert logged["occurred_at"].startswith("2026-11-20")


@pytest.mark.parametrize("text", ["Nov 29", "29/11", "29.11.", "--11-29"])
def test_today_named_without_a_year_is_today_for_what_happened(lrm, text):
    lrm("add", "Tim")
    logged = lrm("log", "tim", "--when", text, "-s", "coffee", "--json")
    assert logged.json()["occurred_at"].startswith("2026-11-29"), logged.stdout
