"""What you planned (`lrm log --future`) is in your calendar: `export ics` and `sync` write
each plan as an event on its day, at its time of day when it was given one, under a UID
made from the interaction's, so that moving the lunch moves the event instead of adding
a second one."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import icalendar
from conftest import ok


def _events(lrm, tmp_path: Path) -> dict[str, icalendar.Event]:
    target = tmp_path / "out.ics"
    ok(lrm("export", "ics", "--out", str(target)))
    cal = icalendar.Calendar.from_ical(target.read_bytes())
    return {str(c["UID"]): c for c in cal.walk("VEVENT") if str(c["UID"]).startswith("lrm-plan-")}


def _uids(lrm) -> dict[str, str]:
    """Each interaction's summary -> its uid."""
    return {i["summary"]: i["uid"] for i in ok(lrm("export", "json")).json()["interactions"]}


def _plan(lrm):
    ok(lrm("add", "Ann Lee"))
    ok(lrm("add", "Bo Chen"))
    ok(lrm("log", "ann", "bo", "--kind", "meal", "--when", "next thursday", "--future",
           "--summary", "lunch at Dishoom"))  # fmt: skip
    ok(lrm("log", "ann", "--kind", "call", "--when", "friday 18:30", "--future",
           "--summary", "the move"))  # fmt: skip
    ok(lrm("log", "bo", "--when", "yesterday", "--summary", "coffee"))  # happened: no plan


def test_plans_are_events_on_their_day_at_their_time(lrm, tmp_path):
    _plan(lrm)
    uids = _uids(lrm)
    events = _events(lrm, tmp_path)
    assert set(events) == {f"lrm-plan-{uids['lunch at Dishoom']}", f"lrm-plan-{uids['the move']}"}
    lunch = events[f"lrm-plan-{uids['lunch at Dishoom']}"]
    assert str(lunch["SUMMARY"]) == "meal with Ann Lee and Bo Chen: lunch at Dishoom"
    assert (lunch.decoded("DTSTART"), lunch.decoded("DTEND")) == (
        date(2026, 12, 3),
        date(2026, 12, 4),
    )
    call = events[f"lrm-plan-{uids['the move']}"]
    assert str(call["SUMMARY"]) == "call with Ann Lee: the move"  # the event has the time
    assert call.decoded("DTSTART") == datetime(2026, 12, 4, 18, 30, tzinfo=UTC)  # GMT
    assert "DTEND" not in call
    (alarm,) = call.walk("VALARM")
    assert alarm.decoded("TRIGGER") == timedelta(hours=-1)
    kinds = ok(lrm("export", "ics", "--out", str(tmp_path / "k.ics"), "--json")).json()["kinds"]
    assert kinds["planned"] == 2


def test_a_moved_plan_moves_its_event_and_a_past_one_stays(lrm, tmp_path):
    _plan(lrm)
    uid = f"lrm-plan-{_uids(lrm)['the move']}"
    ok(lrm("interaction", "edit", "2", "--when", "2026-12-05 10:00", "--future"))
    events = _events(lrm, tmp_path)
    assert len(events) == 2
    assert events[uid].decoded("DTSTART") == datetime(2026, 12, 5, 10, 0, tzinfo=UTC)
    # once its day has passed it is what happened: still in the calendar
    assert set(_events(lambda *a: lrm("--today", "2027-01-10", *a), tmp_path)) == set(events)


def test_sync_writes_a_plan_to_the_events_folder_and_rewrites_it_when_moved(lrm, sync_folders):
    folders = sync_folders
    _plan(lrm)
    ok(lrm("sync", "--json"))
    uid = f"lrm-plan-{_uids(lrm)['the move']}"
    path = folders["events"] / f"{uid}.ics"
    event = icalendar.Calendar.from_ical(path.read_bytes()).walk("VEVENT")[0]
    assert event.decoded("DTSTART") == datetime(2026, 12, 4, 18, 30, tzinfo=UTC)
    ok(lrm("sync", "--json"))  # nothing to do: the next sync with nothing new stops early
    ok(lrm("interaction", "edit", "2", "--when", "2026-12-05 10:00", "--future"))
    ok(lrm("sync", "--json"))
    event = icalendar.Calendar.from_ical(path.read_bytes()).walk("VEVENT")[0]
    assert event.decoded("DTSTART") == datetime(2026, 12, 5, 10, 0, tzinfo=UTC)
    assert len(list(folders["events"].glob("lrm-plan-*.ics"))) == 2
