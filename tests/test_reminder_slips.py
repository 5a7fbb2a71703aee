"""A reminder marked done by mistake is fixable, and `done` says which reminder it was."""

from __future__ import annotations

from datetime import date

from conftest import ok
from hypothesis import given
from hypothesis import strategies as st

from lrm_cli.scheduler import next_due, previous_due


def test_done_names_the_reminder_and_whom_it_is_about(lrm):
    ok(lrm("add", "Ann Lee"))
    ok(lrm("remind", "ann", "Call about the flat", "--on", "2026-12-01"))
    ok(lrm("remind", "-", "Pay the rent", "--on", "2026-12-01", "--every", "1m"))
    assert ok(lrm("done", "1")).stdout == "reminder #1 done: Call about the flat (Ann Lee)\n"
    assert ok(lrm("done", "2")).stdout == "reminder #2 next on 2027-01-01: Pay the rent\n"


def test_reopening_a_repeating_reminder_moved_on_by_mistake_says_how_to_bring_it_back(lrm):
    ok(lrm("add", "Ann Lee"))
    ok(lrm("remind", "ann", "Call mum", "--on", "2026-11-29", "--every", "1w"))
    ok(lrm("done", "1"))  # a slip: it was meant for another reminder
    refused = lrm("reminder", "edit", "1", "--reopen")
    assert refused.exit_code == 5
    assert refused.stderr == (
        "lrm: error: reminder #1 repeats and is open, next on 2026-12-06 (hint: to bring back"
        " its date before: lrm reminder edit 1 --on 2026-11-29)\n"
    )
    ok(lrm("reminder", "edit", "1", "--on", "2026-11-29"))
    (back,) = lrm("reminders", "--json").json()
    assert (back["due_on"], back["recurrence"]) == ("2026-11-29", "FREQ=WEEKLY;INTERVAL=1")


def test_reopening_a_done_reminder_still_opens_it(lrm):
    ok(lrm("remind", "-", "Renew passport", "--on", "2026-11-20"))
    ok(lrm("done", "1"))
    assert lrm("reminders", "--json").json() == []
    ok(lrm("reminder", "edit", "1", "--reopen"))
    assert [r["id"] for r in lrm("reminders", "--json").json()] == [1]


rules = st.sampled_from(
    [
        "FREQ=DAILY;INTERVAL=3",
        "FREQ=WEEKLY;INTERVAL=1",
        "FREQ=MONTHLY;INTERVAL=1",
        "FREQ=MONTHLY;INTERVAL=6",
        "FREQ=YEARLY;INTERVAL=1",
    ]
)


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2900, 12, 28)), rules)
def test_the_date_before_is_the_one_done_moves_on_from(day, rule):
    """Whatever the rule, the hint's date is where ``done`` would have moved the reminder
    from (days after the 28th aside: a month's end is clamped, so the way back is not
    unique)."""
    day = day.replace(day=min(day.day, 28))
    before = previous_due(day, rule)
    assert before < day
    assert next_due(before, rule, before) == day


def test_reminder_edit_says_whom_it_is_about_and_how_often_now(lrm):
    ok(lrm("add", "Ann Lee"))
    ok(lrm("add", "Bob Stone"))
    said = ok(lrm("remind", "ann", "Call", "--on", "2027-01-31", "--every", "1m")).stdout
    assert said == "reminder #1 on 2027-01-31 about Ann Lee: Call (every month)\n"
    moved = ok(lrm("reminder", "edit", "1", "--contact", "bob")).stdout
    assert moved == "reminder #1 on 2027-01-31 about Bob Stone: Call (every month)\n"
    stopped = ok(lrm("reminder", "edit", "1", "--every", "never")).stdout
    assert stopped == "reminder #1 on 2027-01-31 about Bob Stone: Call\n"
    nobody = ok(lrm("reminder", "edit", "1", "--contact", "-", "--every", "2w")).stdout
    assert nobody == "reminder #1 on 2027-01-31: Call (every 2 weeks)\n"
