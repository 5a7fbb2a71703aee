"""Writes that say what they did. The same interaction logged twice (a cron job and a hand,
or a shell history replayed): `log` keeps both, warns with the first one's id, and
`lrm undo` takes the second back. A note or reminder given by a prefix names whose it is."""

from __future__ import annotations

import pytest


@pytest.fixture
def people(lrm):
    lrm("add", "Ada Lovelace")
    lrm("add", "Charles Babbage")


def _ids(lrm, ref: str) -> list[int]:
    return [i["id"] for i in lrm("timeline", ref, "--json").json() if "kind" in i]


def test_the_same_call_logged_twice_warns_and_keeps_both(lrm, people):
    first = lrm("log", "ada", "--kind", "call", "--summary", "Tea and cake", "--json").json()
    again = lrm("log", "ada", "--kind", "call", "--summary", "tea  and CAKE", "--json")
    assert again.exit_code == 0
    second = again.json()
    assert f"#{first['id']} on the same day looks the same" in again.stderr
    assert f"'lrm undo' takes #{second['id']} back" in again.stderr
    assert _ids(lrm, "ada") == [second["id"], first["id"]]
    assert lrm("undo").exit_code == 0
    assert _ids(lrm, "ada") == [first["id"]]


def test_a_group_logged_again_for_one_of_its_people_warns(lrm, people):
    lrm("log", "ada", "charles", "--kind", "meal", "--summary", "Dinner", "--when", "Nov 20")
    again = lrm("log", "charles", "--kind", "meal", "--summary", "Dinner", "--when", "Nov 20")
    assert "looks the same (meal, 'Dinner')" in again.stderr


def test_two_calls_without_a_summary_on_one_day_warn(lrm, people):
    lrm("log", "ada", "--kind", "call")
    assert "looks the same (call, no summary)" in lrm("log", "ada", "--kind", "call").stderr


@pytest.mark.parametrize(
    "second",
    [
        ["ada", "--kind", "email", "--summary", "Tea"],  # another kind
        ["ada", "--kind", "call", "--summary", "Coffee"],  # another summary
        ["ada", "--kind", "call", "--summary", "Tea", "--when", "yesterday"],  # another day
        ["charles", "--kind", "call", "--summary", "Tea"],  # someone else
        ["ada", "--kind", "call"],  # a summary against none
    ],
)
def test_what_differs_is_logged_without_a_warning(lrm, people, second):
    lrm("log", "ada", "--kind", "call", "--summary", "Tea")
    result = lrm("log", *second)
    assert result.exit_code == 0
    assert "warning" not in result.stderr


def test_the_same_call_on_the_day_before_is_another_call(lrm, people):
    lrm("log", "ada", "--kind", "call", "--summary", "Tea", "--when", "yesterday 23:30")
    result = lrm("log", "ada", "--kind", "call", "--summary", "Tea", "--when", "today 00:30")
    assert result.exit_code == 0
    assert "warning" not in result.stderr
    early = lrm("log", "ada", "--kind", "call", "--summary", "Tea", "--when", "today 23:50")
    assert "looks the same" in early.stderr


# --- a write by a prefix says whose it is ---------------------------------------------------


def test_a_note_and_a_reminder_say_whose_they_are(lrm, people):
    # "ch" could be anyone's prefix: the output names who got it
    assert lrm("note", "ch", "Likes engines").stdout == "noted #1 for Charles Babbage\n"
    reminded = lrm("remind", "ch", "Send the plans", "--on", "2026-12-20", "--every", "3m")
    assert reminded.stdout == (
        "reminder #1 on 2026-12-20 about Charles Babbage: Send the plans (every 3 months)\n"
    )
    alone = lrm("remind", "-", "Buy stamps", "--on", "2026-12-20")
    assert alone.stdout == "reminder #2 on 2026-12-20: Buy stamps\n"


# --- a reminder marked done by mistake comes back -----------------------------------------


def _open_reminders(lrm) -> list[tuple[int, str]]:
    return [(r["id"], r["due_on"]) for r in lrm("reminders", "--json").json()]


def test_a_reminder_done_by_mistake_is_opened_again(lrm, people):
    lrm("remind", "ada", "Send the book", "--on", "2026-12-20")
    lrm("remind", "ada", "Call", "--on", "2026-12-21")
    lrm("done", "1")
    lrm("done", "2")
    lrm("log", "ada", "--kind", "call")  # later work: undo would take this back first
    reopened = lrm("reminder", "edit", "1", "--reopen", "--json")
    assert reopened.exit_code == 0
    assert reopened.json()["done"] is False and reopened.json()["changed"] is True
    assert _open_reminders(lrm) == [(1, "2026-12-20")]
    again = lrm("reminder", "edit", "1", "--reopen")
    assert again.stdout == "no changes to reminder #1\n"
    # a new date for a done reminder means it is to be done again
    assert lrm("reminder", "edit", "2", "--on", "2027-01-05").exit_code == 0
    assert _open_reminders(lrm) == [(1, "2026-12-20"), (2, "2027-01-05")]
