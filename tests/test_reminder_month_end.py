"""A repeating reminder set for the 29th-31st keeps its day: a shorter month brings it to
that month's last day, once, and lrm and the exported calendar agree on every date."""

from __future__ import annotations

import sqlite3
from datetime import date
from itertools import islice

from conftest import ok
from dateutil.rrule import rrulestr
from hypothesis import given
from hypothesis import strategies as st

from lrm_cli.dates import add_months
from lrm_cli.scheduler import anchored, next_due, parse_every, previous_due


def _dates_done_gives(start: date, rule: str, times: int) -> list[date]:
    """The dates `done` moves a reminder to, one after another (each from the last)."""
    seen, due = [], start
    for _ in range(times):
        rule = anchored(rule, due, keep=rule)
        due = next_due(due, rule, due)
        seen.append(due)
    return seen


def test_a_reminder_on_the_31st_comes_back_on_the_31st_after_february():
    rule = anchored(parse_every("1m"), date(2027, 1, 31))
    assert rule == "FREQ=MONTHLY;INTERVAL=1;BYMONTHDAY=-1"
    assert _dates_done_gives(date(2027, 1, 31), rule, 4) == [
        date(2027, 2, 28),
        date(2027, 3, 31),
        date(2027, 4, 30),
        date(2027, 5, 31),
    ]
    on_30th = anchored(parse_every("1m"), date(2027, 1, 30))
    assert on_30th == "FREQ=MONTHLY;INTERVAL=1;BYMONTHDAY=28,29,30;BYSETPOS=-1"
    assert _dates_done_gives(date(2027, 1, 30), on_30th, 2) == [
        date(2027, 2, 28),
        date(2027, 3, 30),
    ]
    leap_day = anchored(parse_every("1y"), date(2028, 2, 29))
    assert leap_day == "FREQ=YEARLY;INTERVAL=1;BYMONTH=2;BYMONTHDAY=-1"
    assert _dates_done_gives(date(2028, 2, 29), leap_day, 4)[-1] == date(2032, 2, 29)
    # a day every month has needs no day in its rule
    assert anchored(parse_every("1m"), date(2027, 1, 28)) == "FREQ=MONTHLY;INTERVAL=1"
    # the way back from the shorter month's last day is the day the rule keeps
    assert previous_due(date(2027, 3, 31), rule) == date(2027, 2, 28)
    assert previous_due(date(2027, 2, 28), rule) == date(2027, 1, 31)


starts = st.dates(min_value=date(1900, 1, 1), max_value=date(2400, 12, 31))
rules = st.sampled_from(["1m", "2m", "3m", "5m", "12m", "1y", "2y", "4y"])


@given(starts, rules, st.integers(1, 30))
def test_done_again_and_again_never_drifts_off_the_day_it_was_set_for(start, every, times):
    rule = anchored(parse_every(every), start)
    step = 12 if "y" in every else 1
    months = int(every[:-1]) * step
    # occurrence k is the start's day in the month k intervals on, or that month's last day
    expected = [add_months(start, k * months, start.day) for k in range(1, times + 1)]
    assert _dates_done_gives(start, rule, times) == expected


@given(starts, rules)
def test_the_exported_rule_gives_the_calendar_the_dates_lrm_gives(start, every):
    """What a calendar (dateutil's RFC 5545 expansion) makes of the rule `export ics`
    writes, started at the reminder's date, is what `done` does: no skipped month, no
    date lrm would not give."""
    rule = anchored(parse_every(every), start)
    expanded = rrulestr(rule, dtstart=start)
    calendar_dates = [d.date() for d in islice(expanded, 1, 9)]
    assert calendar_dates == _dates_done_gives(start, rule, len(calendar_dates))


def test_done_and_edit_keep_the_day_through_the_cli(lrm):
    ok(lrm("remind", "-", "Pay the rent", "--on", "2027-01-31", "--every", "1m"))
    assert "RRULE:FREQ=MONTHLY;INTERVAL=1;BYMONTHDAY=-1" in ok(lrm("export", "ics")).stdout
    assert ok(lrm("done", "1", "--json")).json()["due_on"] == "2027-02-28"
    # a new interval keeps the day the reminder was set for, not February's
    ok(lrm("reminder", "edit", "1", "--every", "2m"))
    moved = [ok(lrm("done", "1", "--json")).json()["due_on"] for _ in range(2)]
    assert moved == ["2027-04-30", "2027-06-30"]
    # a new date sets another day
    ok(lrm("reminder", "edit", "1", "--on", "2027-07-15"))
    (row,) = ok(lrm("reminders", "--json")).json()
    assert row["recurrence"] == "FREQ=MONTHLY;INTERVAL=2"
    assert ok(lrm("done", "1", "--json")).json()["due_on"] == "2027-09-15"


def test_a_rule_from_before_lrm_kept_the_day_gets_it_at_the_next_done(lrm, db_path):
    ok(lrm("remind", "-", "Pay the rent", "--on", "2027-01-31", "--every", "1m"))
    with sqlite3.connect(db_path) as conn:  # as an older lrm wrote it (or an import)
        conn.execute("UPDATE reminder SET recurrence = 'FREQ=MONTHLY;INTERVAL=1'")
    moved = [ok(lrm("done", "1", "--json")).json()["due_on"] for _ in range(2)]
    assert moved == ["2027-02-28", "2027-03-31"]
