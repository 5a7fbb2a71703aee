"""Issue 12: a date without a time means noon, whatever the phrase (README "Dates"):
`today`, `yesterday`, `3 days ago`, `in 2 weeks` as much as `2026-11-28` or `last tuesday`;
phrases with a time keep it."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lrm_cli.dates import parse_day, parse_when

ZONES = [
    ZoneInfo(z)
    for z in (
        "UTC",
        "Europe/London",
        "America/Los_Angeles",
        "Asia/Tokyo",
        "Asia/Kathmandu",  # +05:45
        "Australia/Lord_Howe",  # a 30-minute summer time
        "America/Sao_Paulo",
        "Pacific/Kiritimati",  # +14
    )
]
NOON = time(12, 0)

nows = st.builds(
    lambda naive, zone: naive.replace(tzinfo=zone),
    st.datetimes(datetime(2001, 1, 1), datetime(2037, 12, 31)),
    st.sampled_from(ZONES),
)
counts = st.integers(0, 400)
WEEKDAYS = ["monday", "tue", "wednesday", "thu", "friday", "sat", "sunday"]


@st.composite
def day_phrases(draw):
    """(phrase, days from today or None when the day depends on more than a count)."""
    n = draw(counts)
    return draw(
        st.sampled_from(
            [
                ("today", 0),
                ("yesterday", -1),
                ("tomorrow", 1),
                (f"{n} days ago", -n),
                (f"{n} day ago", -n),
                (f"{n} weeks ago", -7 * n),
                (f"in {n} days", n),
                (f"in {n} weeks", 7 * n),
                ("a week ago", -7),
                ("in a day", 1),
                (f"last {draw(st.sampled_from(WEEKDAYS))}", None),
                (f"next {draw(st.sampled_from(WEEKDAYS))}", None),
                (draw(st.sampled_from(WEEKDAYS)), None),
                (f"--{draw(st.integers(1, 12)):02d}-{draw(st.integers(1, 28)):02d}", None),
                ("2026-11-28", None),
            ]
        )
    )


@given(nows, day_phrases(), st.sampled_from(["past", "future"]))
def test_any_day_only_phrase_is_noon_local(now, phrase_days, prefer):
    phrase, days = phrase_days
    when = parse_when(phrase, now, prefer=prefer)
    assert when.tzinfo is now.tzinfo
    assert when.time() == NOON, (phrase, now, when)
    assert when.astimezone(now.tzinfo).timetz().replace(tzinfo=None) == NOON  # a real noon
    if days is not None:
        assert when.date() == now.date() + timedelta(days=days)
        assert parse_day(phrase, now.date(), prefer=prefer) == when.date()


SLOW = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
DATEPARSER_DAY_PHRASES = [
    "3 months ago",
    "last month",
    "next week",
    "last year",
    "in 2 months",
    "the day before yesterday",
    "28 nov",
    "1 dec 2025",
]


@SLOW
@given(nows, st.sampled_from(DATEPARSER_DAY_PHRASES))
def test_day_only_phrases_dateparser_reads_are_noon_too(now, phrase):
    assert parse_when(phrase, now).time() == NOON, phrase


@SLOW
@given(nows, st.sampled_from(["now", "2 hours ago", "yesterday 3pm", "9am", "midnight"]))
def test_phrases_with_a_time_keep_it(now, phrase):
    when = parse_when(phrase, now)
    expected = {
        "now": now.time(),
        "2 hours ago": (now.replace(tzinfo=None) - timedelta(hours=2)).time(),
        "yesterday 3pm": time(15, 0),
        "9am": time(9, 0),
        "midnight": time(0, 0),
    }[phrase]
    assert when.replace(tzinfo=None).time() == expected.replace(tzinfo=None), (phrase, now)
