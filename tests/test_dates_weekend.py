"""A weekend, as people log one ("saw them last weekend") and plan one (``remind --on
'this weekend'``): its Saturday at noon, read without dateparser (which reads none of
these). The rules are ``dates.weekend``'s docstring."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from hypothesis import given
from hypothesis import strategies as st

from lrm_cli import dates

SATURDAY, SUNDAY = 5, 6
days = st.dates(min_value=date(1950, 1, 1), max_value=date(2100, 12, 31))
prefers = st.sampled_from(["past", "future"])


def _day(phrase: str, today: date, prefer: str = "past") -> date:
    now = datetime.combine(today, time(9), tzinfo=UTC)
    when = dates.parse_when(phrase, now, prefer=prefer)
    assert when.time() == time(12)  # a day without a time: noon
    return when.date()


@given(today=days, word=st.sampled_from(["last", "past", "this past"]), prefer=prefers)
def test_last_weekend_is_the_latest_one_over_before_today(today, word, prefer):
    saturday = _day(f"{word} weekend", today, prefer)
    assert saturday.weekday() == SATURDAY
    assert saturday + timedelta(days=1) < today  # over: its Sunday is gone
    assert saturday + timedelta(days=8) >= today  # the latest: the next one is not over


@given(today=days, word=st.sampled_from(["this", "the", "over the"]), prefer=prefers)
def test_this_weekend_is_the_one_today_is_in_else_the_one_prefer_points_to(today, word, prefer):
    day = _day(f"{word} weekend", today, prefer)
    if today.weekday() in (SATURDAY, SUNDAY):
        assert day - today in (timedelta(0), timedelta(days=-1))  # today's weekend
        assert prefer == "past" or day == today  # ahead: never a day gone
        assert prefer == "future" or day.weekday() == SATURDAY
    elif prefer == "past":
        assert day == _day("last weekend", today)
    else:
        assert day.weekday() == SATURDAY and timedelta(0) < day - today < timedelta(days=7)


@given(today=days, prefer=prefers)
def test_next_weekend_is_the_first_after_the_one_today_is_in(today, prefer):
    saturday = _day("next weekend", today, prefer)
    assert saturday.weekday() == SATURDAY
    assert saturday > today and saturday - today <= timedelta(days=7)
    if today.weekday() in (SATURDAY, SUNDAY):
        assert saturday - today >= timedelta(days=6)  # not the one today is in


@given(today=days)
def test_earlier_today_is_today(today):
    assert _day("earlier today", today) == today == _day("today", today)


def test_a_weekend_through_the_commands(lrm):
    assert lrm("add", "Ann").exit_code == 0
    monday = ("--today", "2026-12-07")
    logged = lrm(*monday, "log", "Ann", "--when", "last weekend", "-s", "climbing", "--json")
    assert logged.json()["occurred_at"].startswith("2026-12-05T12:00:00")
    planned = lrm(
        "--today", "2026-12-06", "remind", "Ann", "call", "--on", "this weekend", "--json"
    )
    assert planned.exit_code == 0, planned.stderr
    assert planned.json()["due_on"] == "2026-12-06"  # on a Sunday: today
