"""`lrm date edit CONTACT ID`: a mistyped anniversary is fixed in place, not removed and
added again. The id stays, so the calendar export's UID stays and a re-export moves the
event instead of adding a second one; '' clears a label or a reminder; a change that would
break a rule (a custom date without a label, the same date twice) is refused whole."""

from __future__ import annotations

import re

from conftest import ok


def _events(lrm) -> dict[str, str]:
    """The calendar export's anniversary events: UID -> start day."""
    text = ok(lrm("export", "ics")).stdout.replace("\r\n", "\n")
    found = {}
    for block in text.split("BEGIN:VEVENT")[1:]:
        uid = re.search(r"^UID:(.*)$", block, re.M)[1]
        if "anniversary" in uid:
            found[uid] = re.search(r"^DTSTART;VALUE=DATE:\d{4}(\d{4})$", block, re.M)[1]
    return found


def _dates(lrm) -> list[dict]:
    return ok(lrm("date", "list", "ada", "--json")).json()


def test_a_mistyped_day_is_fixed_in_place_and_the_calendar_event_moves(lrm):
    ok(lrm("add", "Ada Lovelace"))
    ok(lrm("date", "add", "ada", "--on", "--07-08", "--label", "wedding", "--remind", "3d"))
    (uid,) = _events(lrm)
    fixed = ok(lrm("date", "edit", "ada", "1", "--on", "--07-09"))
    assert fixed.stdout == "updated #1 anniversary (wedding): --07-09, remind 3d before\n"
    assert _events(lrm) == {uid: "0709"}  # the same event, moved: no second one
    assert _dates(lrm) == [
        {"id": 1, "kind": "anniversary", "label": "wedding", "date": "--07-09",
         "remind_days_before": 3}
    ]  # fmt: skip


def test_empty_values_clear_the_label_and_the_reminder_and_undo_brings_them_back(lrm):
    ok(lrm("add", "Ada Lovelace"))
    ok(lrm("date", "add", "ada", "--on", "--07-08", "--label", "wedding", "--remind", "1w"))
    ok(lrm("date", "edit", "ada", "1", "--label", "", "--remind", ""))
    (only,) = _dates(lrm)
    assert (only["label"], only["remind_days_before"]) == (None, None)
    ok(lrm("undo"))
    (only,) = _dates(lrm)
    assert (only["label"], only["remind_days_before"]) == ("wedding", 7)


def test_the_same_values_again_change_nothing(lrm):
    ok(lrm("add", "Ada Lovelace"))
    ok(lrm("date", "add", "ada", "--on", "--07-08"))
    again = ok(lrm("date", "edit", "ada", "1", "--on", "July 8", "--json"))
    assert again.json()["changed"] is False


def test_a_change_that_breaks_a_rule_is_refused_and_nothing_is_written(lrm):
    ok(lrm("add", "Ada Lovelace"))
    ok(lrm("date", "add", "ada", "--on", "--07-08"))
    ok(lrm("date", "add", "ada", "--on", "--09-01"))
    before = _dates(lrm)
    cases = [
        (["1", "--kind", "custom"], "lrm: error: a custom date needs a --label\n"),
        (["2", "--on", "--07-08"], "lrm: error: Ada Lovelace has that date already (#1)"),
        (["9", "--on", "--07-08"], "lrm: error: Ada Lovelace has no date #9"),
        (["1", "--on", "someday soonish"], "lrm: error: cannot understand the date"),
    ]
    for args, error in cases:
        result = lrm("date", "edit", "ada", *args)
        assert result.exit_code != 0
        assert result.stderr.startswith(error) and result.stderr.count("\n") == 1
    assert _dates(lrm) == before
