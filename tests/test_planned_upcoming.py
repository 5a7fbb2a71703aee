"""A meeting logged ahead (``lrm log --future``) is what is coming up: `upcoming` and the
digest's "Coming up" list it on its day with its people and summary, until its day passes.
An interaction logged after it happened is never a plan."""

from __future__ import annotations

from datetime import date, timedelta

from conftest import ok
from hypothesis import given
from hypothesis import strategies as st

from lrm_cli import scheduler


def _coming(lrm, *args: str) -> list[str]:
    lines = ok(lrm("digest", *args)).stdout.splitlines()
    start = lines.index("Coming up:") + 1
    end = lines.index("", start)
    return [line for line in lines[start:end] if line.startswith("  - ")]


def test_a_lunch_logged_ahead_is_coming_up_with_its_people_and_summary(lrm):
    ok(lrm("add", "Ann Lee", "--birthday", "--12-03"))
    ok(lrm("add", "Bo Chen"))
    ok(lrm("log", "ann", "bo", "--kind", "meal", "--when", "2026-12-03", "--future",
           "--summary", "lunch at Dishoom"))  # fmt: skip
    ok(lrm("log", "bo", "--kind", "call", "--when", "2026-12-01", "--future"))
    assert _coming(lrm) == [
        "  - 2026-12-01 (in 2 days): call with Bo Chen",
        "  - 2026-12-03 (in 4 days): Ann Lee's birthday",  # a date before a plan on its day
        "  - 2026-12-03 (in 4 days): meal with Ann Lee and Bo Chen: lunch at Dishoom",
    ]
    items = ok(lrm("upcoming", "--json")).json()
    lunch = items[-1]
    assert (lunch["kind"], lunch["interaction_id"], lunch["reminder_id"]) == ("planned", 1, None)
    assert lunch["contact"] == {"id": 1, "name": "Ann Lee"}
    assert [i["interaction_id"] for i in items] == [2, None, 1]
    table = ok(lrm("upcoming")).stdout
    assert "2026-12-03\t4d\tplanned\t1\tAnn Lee\tmeal with Ann Lee and Bo Chen" in table
    # past its day it is history, not a plan: the next day's page no longer lists it
    assert not any("meal" in line for line in _coming(lrm, "--date", "2026-12-04"))


def test_what_was_logged_after_it_happened_or_beyond_the_window_is_not_a_plan(lrm):
    ok(lrm("add", "Ann Lee"))
    ok(lrm("log", "ann", "--when", "2026-11-29 09:00", "--summary", "breakfast"))  # done
    ok(lrm("log", "ann", "--when", "2026-12-20", "--future", "--summary", "party"))
    assert _coming(lrm) == ["  - no birthdays, anniversaries, dates or plans in the next 14 days"]
    assert [u["title"] for u in ok(lrm("upcoming", "--days", "21", "--json")).json()] == [
        "other with Ann Lee: party"
    ]
    # a plan for later today is listed today
    ok(lrm("log", "ann", "--when", "2026-11-29 19:00", "--future", "--summary", "drinks"))
    assert _coming(lrm) == ["  - 2026-11-29 (today): other with Ann Lee at 19:00: drinks"]


def test_a_plan_given_a_time_of_day_says_it_in_local_time(lrm):
    ok(lrm("add", "Ann Lee"))
    ok(lrm("log", "ann", "--kind", "call", "--when", "friday 18:30", "--future"))
    ok(lrm("log", "ann", "--kind", "meal", "--when", "next thursday", "--future"))  # a day
    ok(lrm("log", "ann", "--when", "2027-06-10 19:05", "--future", "--summary", "concert"))
    assert _coming(lrm) == [
        "  - 2026-12-03 (in 4 days): meal with Ann Lee",
        "  - 2026-12-04 (in 5 days): call with Ann Lee at 18:30",
    ]
    titles = [u["title"] for u in ok(lrm("upcoming", "--days", "365", "--json")).json()]
    assert titles[-1] == "other with Ann Lee at 19:05: concert"  # BST, as it was given


def test_a_day_s_plans_come_in_the_order_of_their_times(lrm):
    """Breakfast, lunch (a plan given as a day is noon: where "friday" puts it), dinner,
    whatever the names: a day is lived in time order, not alphabetically."""
    ok(lrm("add", "Zed Zhou"))
    ok(lrm("add", "Ann Lee"))
    ok(lrm("log", "ann", "--kind", "call", "--when", "friday 20:00", "--future"))
    ok(lrm("log", "ann", "--kind", "meal", "--when", "friday", "--future"))
    ok(lrm("log", "zed", "--kind", "meal", "--when", "friday 08:15", "--future"))
    expected = ["meal with Zed Zhou at 08:15", "meal with Ann Lee", "call with Ann Lee at 20:00"]
    assert [line.split(": ", 1)[1] for line in _coming(lrm)] == expected
    assert [u["title"] for u in ok(lrm("upcoming", "--json")).json()] == expected


def test_an_archived_person_leaves_the_plan_and_a_plan_of_only_archived_people_goes(lrm):
    ok(lrm("add", "Ann Lee"))
    ok(lrm("add", "Bo Chen"))
    ok(lrm("log", "ann", "bo", "--when", "2026-12-02", "--future", "--summary", "games"))
    ok(lrm("log", "bo", "--when", "2026-12-03", "--future", "--summary", "tennis"))
    ok(lrm("archive", "bo"))
    assert _coming(lrm) == ["  - 2026-12-02 (in 3 days): other with Ann Lee: games"]


def test_a_past_page_lists_only_the_plans_made_by_then(lrm):
    ok(lrm("add", "Ann Lee"))
    ok(lrm("--today", "2026-11-20", "log", "ann", "--when", "2026-11-30", "--future",
           "--summary", "made early"))  # fmt: skip
    ok(lrm("log", "ann", "--when", "2026-12-01", "--future", "--summary", "made today"))
    assert _coming(lrm, "--date", "2026-11-25") == [
        "  - 2026-11-30 (in 5 days): other with Ann Lee: made early"
    ]
    assert [line[-10:] for line in _coming(lrm)] == ["made early", "made today"]


_day = st.integers(min_value=-30, max_value=60)


@given(offsets=st.lists(_day, max_size=6), days=st.integers(min_value=0, max_value=45))
def test_a_plan_is_listed_exactly_when_its_day_is_in_the_window(offsets, days):
    today = date(2026, 11, 29)
    plans = [
        scheduler.PlannedItem(i, today + timedelta(days=o), "call", None, ((i, f"P{i}"),))
        for i, o in enumerate(offsets)
    ]
    found = scheduler.upcoming(today=today, days=days, dates=(), reminders=(), planned=plans)
    assert sorted(u.interaction_id for u in found) == sorted(
        i for i, o in enumerate(offsets) if 0 <= o <= days
    )
    assert all(u.days_until == (u.date - today).days for u in found)
    assert [u.date for u in found] == sorted(u.date for u in found)
