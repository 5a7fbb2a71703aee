"""A day named without its year that comes in a few days is a slip, not last year's:
`lrm log ann --when "dec 5"` on 3 December is refused (was: logged 363 days back, which
moved nothing due and skewed the balance and the inferred cadence)."""

from __future__ import annotations

from datetime import UTC, date, timedelta

import pytest
from conftest import ok
from hypothesis import given
from hypothesis import strategies as st

from lrm_cli.clock import Clock
from lrm_cli.dates import SLIP_DAYS
from lrm_cli.domain import InvalidInput
from lrm_cli.services.records import interaction_moment

TODAY = ["--today", "2026-12-03"]


def _days(lrm) -> list[str]:
    return [i["occurred_at"][:10] for i in ok(lrm(*TODAY, "timeline", "ann", "--json")).json()]


@pytest.mark.parametrize("when", ["Dec 5", "5 december", "--12-05", "dec 20"])
def test_a_yearless_day_just_ahead_is_refused_with_both_readings(lrm, when):
    ok(lrm("add", "Ann Lee"))
    result = lrm(*TODAY, "log", "ann", "--when", when)
    assert result.exit_code == 5
    (line,) = result.stderr.strip().splitlines()
    assert "almost a year ago" in line and "2025-12-" in line and "2026-12-" in line
    assert "write the year" in line
    assert _days(lrm) == []


def test_the_year_written_or_a_day_behind_logs_as_before(lrm):
    ok(lrm("add", "Ann Lee"))
    ok(lrm(*TODAY, "log", "ann", "--when", "Dec 5 2025"))
    ok(lrm(*TODAY, "log", "ann", "--when", "Nov 20"))
    ok(lrm(*TODAY, "log", "ann", "--when", "Jan 20"))  # 48 days ahead: last January
    ok(lrm(*TODAY, "log", "ann", "--when", "2026-12-05", "--future"))
    assert _days(lrm) == ["2026-12-05", "2026-11-20", "2026-01-20", "2025-12-05"]


def test_a_slip_is_refused_when_fixing_a_date_too(lrm):
    ok(lrm("add", "Ann Lee"))
    ok(lrm(*TODAY, "log", "ann", "--when", "Nov 20"))
    result = lrm(*TODAY, "interaction", "edit", "1", "--when", "Dec 4")
    assert result.exit_code == 5 and "almost a year ago" in result.stderr
    assert _days(lrm) == ["2026-11-20"]


@given(
    today=st.dates(date(2001, 1, 1), date(2098, 12, 31)),
    offset=st.integers(-370, 370),
)
def test_a_yearless_day_reads_back_unless_it_comes_within_the_slip_window(today, offset):
    day = today + timedelta(days=offset)
    if (day.month, day.day) == (2, 29):
        return  # no yearly day: left to dateparser
    text = f"{day.day} {day:%B}"
    clock = Clock.pinned(today, UTC)
    ahead = date(today.year, day.month, day.day)
    if ahead <= today:
        ahead = date(today.year + 1, day.month, day.day)
    coming_in = (ahead - today).days if (day.month, day.day) != (today.month, today.day) else 0
    if 0 < coming_in <= SLIP_DAYS:
        with pytest.raises(InvalidInput, match="almost a year ago"):
            interaction_moment(text, clock)
    else:
        got = interaction_moment(text, clock).date()
        assert (got.month, got.day) == (day.month, day.day)
        assert timedelta(0) <= today - got < timedelta(days=366)


# --- looking ahead: a reminder or a snooze for a day that just passed -----------------------

TODAY_AHEAD = ["--today", "2026-12-07"]


@pytest.mark.parametrize(
    ("command", "option"),
    [
        (["remind", "ann", "Ask about the offsite"], "--on"),
        (["snooze", "ann"], "--until"),
    ],
)
def test_a_yearless_day_just_past_is_refused_not_put_off_a_year(lrm, command, option):
    """`remind ann X --on "dec 1"` on 7 December was a reminder for 2027-12-01 (gone from
    the digest for a year), `snooze --until "dec 5"` hid Ann until 2027: both silently."""
    ok(lrm("add", "Ann Lee"))
    result = lrm(*TODAY_AHEAD, *command, option, "dec 1")
    assert result.exit_code == 5
    (line,) = result.stderr.strip().splitlines()
    assert f"{option} 'dec 1' is 2027-12-01, almost a year ahead" in line
    assert "2026-12-01, was 6 days ago" in line and "write the year" in line
    assert ok(lrm(*TODAY_AHEAD, "reminders", "--json")).json() == []
    shown = ok(lrm(*TODAY_AHEAD, "show", "ann", "--json")).json()
    assert shown["snoozed_until"] is None
    ok(lrm(*TODAY_AHEAD, *command, option, "2027-12-01"))  # the year written: as asked


@given(
    today=st.dates(date(2001, 1, 1), date(2098, 12, 31)),
    offset=st.integers(-370, 370),
)
def test_a_yearless_day_reads_ahead_unless_it_passed_within_the_slip_window(today, offset):
    from lrm_cli.dates import parse_day_ahead

    day = today + timedelta(days=offset)
    if (day.month, day.day) == (2, 29):
        return  # no yearly day: left to dateparser
    text = f"{day.day} {day:%B}"
    back = date(today.year, day.month, day.day)
    if back >= today:
        back = date(today.year - 1, day.month, day.day)
    passed = (today - back).days if (day.month, day.day) != (today.month, today.day) else 0
    if 0 < passed <= SLIP_DAYS:
        with pytest.raises(InvalidInput, match="almost a year ahead"):
            parse_day_ahead(text, "--on", today)
    else:
        got = parse_day_ahead(text, "--on", today)
        assert (got.month, got.day) == (day.month, day.day)
        assert timedelta(0) <= got - today < timedelta(days=366)
