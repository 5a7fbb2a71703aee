"""`lrm list --snoozed`: who is snoozed, and until when; the same people `due` leaves out
for their snooze, whichever way the list is read (the JSON cache or the table)."""

from __future__ import annotations

from conftest import ok


def _people(lrm) -> None:
    for name in ("Ann Lee", "Bo Chen", "Cy Diaz", "Dee Old"):
        ok(lrm("add", name, "--cadence", "7d"))
        ok(lrm("log", name, "--when", "2026-10-01"))
    ok(lrm("snooze", "bo", "--until", "2026-12-13"))
    ok(lrm("--today", "2026-11-20", "snooze", "cy", "--until", "2026-11-29"))  # ends today
    ok(lrm("snooze", "dee", "--until", "2027-01-10"))
    ok(lrm("archive", "dee"))


def test_only_those_snoozed_past_today_with_the_day_it_ends(lrm):
    _people(lrm)
    assert ok(lrm("list", "--json")).json()  # fills the list cache: the filter still holds
    listed = ok(lrm("list", "--snoozed", "--json")).json()
    assert [(c["name"], c["snoozed_until"]) for c in listed] == [("Bo Chen", "2026-12-13")]
    assert ok(lrm("list", "--snoozed")).stdout == "2\tBo Chen\t\t\t\t2026-10-01\t2026-12-13\n"
    archived = ok(lrm("list", "--snoozed", "--all", "--json")).json()
    assert [c["name"] for c in archived] == ["Bo Chen", "Dee Old"]
    # the day after Bo's snooze ends, nobody is snoozed
    assert ok(lrm("--today", "2026-12-13", "list", "--snoozed", "--json")).json() == []


def test_the_snoozed_are_exactly_those_due_leaves_out_for_it(lrm):
    _people(lrm)
    due = {i["name"] for i in ok(lrm("due", "--json")).json()}
    active = {c["name"] for c in ok(lrm("list", "--json")).json()}
    snoozed = {c["name"] for c in ok(lrm("list", "--snoozed", "--json")).json()}
    assert snoozed == active - due == {"Bo Chen"}
