"""`lrm export ics`: the output parsed back with icalendar, and read by todoman and khal."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import icalendar
import pytest
from conftest import TODAY
from dateutil.rrule import rrulestr

from lrm_cli import __version__

SAFE = re.compile(r"^[A-Za-z0-9_.+-]+$")
DEFAULT_TRIGGER = timedelta(hours=-15)  # 1 day before, at 09:00


PEOPLE = (
    ("add", "Ada Lovelace", "--birthday", "1815-12-10"),
    ("add", "Leap Day", "--birthday=--02-29"),
    ("add", "Leap Year", "--birthday", "1988-02-29"),
    ("add", "No Year", "--birthday=--07-04"),
    ("add", "Gone Away", "--birthday", "1970-01-01"),
    ("cadence", "Ada", "30d"),
    ("date", "add", "Ada", "--kind", "anniversary", "--on", "2010-06-21", "--remind", "1w"),
    ("date", "add", "No Year", "--kind", "custom", "--on=--09-01", "--label", "Name day"),
    ("remind", "Ada", "Send the book", "--on", "2026-12-05", "--every", "1m"),
    ("remind", "-", "Call the plumber", "--on", "2026-12-01"),
    ("archive", "Gone"),
)


@pytest.fixture(scope="module")
def people_db(tmp_path_factory, template_db) -> Path:
    """Contacts with every kind of date, a cadence, reminders, and an archived one: built
    once (through the real commands, on the pinned day) and copied for each test."""
    from typer.testing import CliRunner

    from lrm_cli.cli.app import build_app

    folder = tmp_path_factory.mktemp("people")
    path = folder / "lrm.sqlite3"
    shutil.copyfile(template_db, path)
    env = {"LRM_TODAY": TODAY, "TZ": "Europe/London", "LRM_CONFIG": str(folder / "none.toml")}
    app, runner = build_app(), CliRunner()
    for args in PEOPLE:
        result = runner.invoke(app, ["--db", str(path), *args], env=env)
        assert result.exit_code == 0, (args, result.output)
    return path


@pytest.fixture
def people(lrm, people_db, db_path):
    shutil.copyfile(people_db, db_path)
    return lrm


def parse(data: bytes | str) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(data)


def components(cal: icalendar.Calendar) -> list:
    return [c for c in cal.subcomponents if c.name in ("VEVENT", "VTODO")]


def by_summary(cal: icalendar.Calendar) -> dict[str, object]:
    return {str(c["SUMMARY"]): c for c in components(cal)}


def export_file(lrm, tmp_path: Path, *extra: str, name: str = "out.ics") -> bytes:
    target = tmp_path / name
    result = lrm("export", "ics", "--out", str(target), *extra)
    assert result.exit_code == 0, result.stderr
    return target.read_bytes()


def test_calendar_has_prodid_version_and_every_component_uid_and_dtstamp(people, tmp_path):
    data = export_file(people, tmp_path)
    cal = parse(data)
    assert str(cal["PRODID"]) == f"-//lrm//lrm {__version__}//EN"
    assert str(cal["VERSION"]) == "2.0"
    comps = components(cal)
    assert len(comps) == 9  # 4 birthdays, 2 dates, 1 reconnect, 2 reminders
    for comp in comps:
        assert SAFE.match(str(comp["UID"])), comp["UID"]
        assert comp["DTSTAMP"].dt.tzinfo is not None
    assert len({str(c["UID"]) for c in comps}) == len(comps)
    # all-day dates only: no TZID needs a VTIMEZONE
    assert b"TZID" not in data
    assert not [c for c in cal.subcomponents if c.name == "VTIMEZONE"]
    assert data.startswith(b"BEGIN:VCALENDAR\r\n")


def test_yearly_dates_are_all_day_yearly_events(people, tmp_path):
    items = by_summary(parse(export_file(people, tmp_path)))
    assert "Gone Away's birthday" not in items  # archived
    ada = items["Ada Lovelace's birthday"]
    assert ada.name == "VEVENT"
    assert ada["DTSTART"].params.get("VALUE") == "DATE"
    assert ada["DTSTART"].dt == date(1815, 12, 10)  # the known year
    assert ada["X-LRM-YEAR"] == "1815"
    assert ada["RRULE"]["FREQ"] == ["YEARLY"]
    assert str(ada["CONTACT"]) == "Ada Lovelace"
    no_year = items["No Year's birthday"]
    assert no_year["DTSTART"].dt == date(1972, 7, 4)  # documented start for year-less dates
    assert "X-LRM-YEAR" not in no_year
    assert items["Ada Lovelace's anniversary"]["DTSTART"].dt == date(2010, 6, 21)
    assert items["No Year: Name day"]["DTSTART"].dt == date(1972, 9, 1)
    for comp in components(parse(export_file(people, tmp_path, "--events", name="e.ics"))):
        assert comp.name == "VEVENT"
        assert comp["DTEND"].dt == comp["DTSTART"].dt + timedelta(days=1)
        assert not hasattr(comp["DTSTART"].dt, "hour")


@pytest.mark.parametrize("name", ["Leap Day", "Leap Year"])
def test_29_february_recurs_on_the_last_day_of_february_every_year(people, tmp_path, name):
    event = by_summary(parse(export_file(people, tmp_path)))[f"{name}'s birthday"]
    rule = event["RRULE"]
    assert (rule["FREQ"], rule["BYMONTH"], rule["BYMONTHDAY"]) == (["YEARLY"], [2], [-1])
    start = event["DTSTART"].dt
    assert (start.month, start.day) == (2, 29)
    expanded = rrulestr(rule.to_ical().decode(), dtstart=start)
    years = [d.date() for d in expanded.between(*_datetimes(date(2026, 1, 1), date(2029, 1, 1)))]
    assert years == [date(2026, 2, 28), date(2027, 2, 28), date(2028, 2, 29)]


def _datetimes(a: date, b: date):
    from datetime import datetime

    return datetime(a.year, a.month, a.day), datetime(b.year, b.month, b.day)


def test_reconnects_and_reminders_are_todos_with_alarms(people, tmp_path):
    items = by_summary(parse(export_file(people, tmp_path)))
    reconnect = items["Reach out to Ada Lovelace"]
    assert reconnect.name == "VTODO"
    # created 2026-11-29 with no interaction, cadence 30 days
    assert reconnect["DUE"].dt == date(2026, 12, 29)
    assert reconnect["DUE"].params.get("VALUE") == "DATE"
    assert "DTSTART" not in reconnect  # DUE must be later than a DTSTART (RFC 5545)
    book = items["Send the book"]
    assert book.name == "VTODO"
    assert book["DUE"].dt == book["DTSTART"].dt == date(2026, 12, 5)  # DTSTART: the anchor
    assert book["RRULE"]["FREQ"] == ["MONTHLY"]
    assert str(book["CONTACT"]) == "Ada Lovelace"
    assert "CONTACT" not in items["Call the plumber"]
    for comp in items.values():
        alarms = [c for c in comp.subcomponents if c.name == "VALARM"]
        assert len(alarms) == 1, comp["SUMMARY"]
        alarm = alarms[0]
        assert str(alarm["ACTION"]) == "DISPLAY"
        assert str(alarm["DESCRIPTION"])
        expected = timedelta(days=-7, hours=9) if "anniversary" in comp["SUMMARY"] else None
        assert alarm["TRIGGER"].dt == (expected or DEFAULT_TRIGGER), comp["SUMMARY"]
        # a to-do's alarm counts back from its due date, an event's from its start
        related = alarm["TRIGGER"].params.get("RELATED", "START")
        assert related == ("END" if comp.name == "VTODO" else "START")


def test_events_flag_turns_todos_into_all_day_events(people, tmp_path):
    cal = parse(export_file(people, tmp_path, "--events"))
    assert not [c for c in cal.subcomponents if c.name == "VTODO"]
    reconnect = by_summary(cal)["Reach out to Ada Lovelace"]
    assert reconnect.name == "VEVENT"
    assert reconnect["DTSTART"].dt == date(2026, 12, 29)
    assert reconnect["DTEND"].dt == date(2026, 12, 30)
    assert [c.name for c in reconnect.subcomponents] == ["VALARM"]


def test_calendar_settings_set_the_alarm(people, tmp_path, isolated):
    (isolated / "config.toml").write_text(
        '[calendar]\nlead_days = 3\ndate_lead_days = 0\nalarm_time = "08:30"\n'
    )
    items = by_summary(parse(export_file(people, tmp_path)))

    def trigger(summary):
        return items[summary].subcomponents[0]["TRIGGER"].dt

    assert trigger("Reach out to Ada Lovelace") == timedelta(days=-3, hours=8, minutes=30)
    assert trigger("Ada Lovelace's birthday") == timedelta(hours=8, minutes=30)  # on the day
    assert trigger("Ada Lovelace's anniversary") == timedelta(days=-7, hours=8, minutes=30)
    (isolated / "config.toml").write_text("[calendar]\nalarms = false\n")
    cal = parse(export_file(people, tmp_path, name="quiet.ics"))
    assert not [c for c in cal.walk() if c.name == "VALARM"]


def test_bad_calendar_settings_are_a_config_error(lrm, isolated):
    (isolated / "config.toml").write_text('[calendar]\nlead_days = "soon"\nalarm_time = "9"\n')
    result = lrm("export", "ics")
    assert result.exit_code == 7
    assert "lead_days" in result.stderr and "alarm_time" in result.stderr


def test_exporting_twice_gives_identical_bytes_whatever_the_day(
    people, tmp_path, monkeypatch, lrm_exe
):
    first = export_file(people, tmp_path, name="a.ics")
    second = export_file(people, tmp_path, name="b.ics")
    monkeypatch.setenv("LRM_TODAY", "2027-03-15")  # a later day: no wall clock in the output
    later = export_file(people, tmp_path, name="c.ics")
    assert first == second == later
    piped = subprocess.run([lrm_exe, "export", "ics"], capture_output=True, timeout=60)
    assert piped.returncode == 0, piped.stderr
    assert piped.stdout == first


def test_dtstamp_follows_the_contact_change(people, tmp_path, monkeypatch):
    before = by_summary(parse(export_file(people, tmp_path, name="a.ics")))
    monkeypatch.setenv("LRM_TODAY", "2027-01-10")
    assert people("edit", "Ada", "--birthday", "1815-12-11").exit_code == 0
    after = by_summary(parse(export_file(people, tmp_path, name="b.ics")))
    old, new = before["Ada Lovelace's birthday"], after["Ada Lovelace's birthday"]
    assert str(old["UID"]) == str(new["UID"])  # the same item, updated
    assert new["DTSTAMP"].dt > old["DTSTAMP"].dt
    assert new["DTSTART"].dt == date(1815, 12, 11)
    # an untouched contact keeps its stamp
    assert before["No Year's birthday"]["DTSTAMP"].dt == after["No Year's birthday"]["DTSTAMP"].dt


def test_vdir_one_calendar_per_file_named_by_its_uid(people, tmp_path):
    folder = tmp_path / "cal"
    result = people("export", "ics", "--vdir", str(folder), "--json")
    assert result.exit_code == 0, result.stderr
    report = result.json()
    assert report == {
        "items": 9,
        "path": str(folder),
        "written": 9,
        "unchanged": 0,
        "removed": 0,
        "kinds": {
            "birthday": 4,
            "anniversary": 1,
            "custom": 1,
            "reconnect": 1,
            "reminder": 2,
            "planned": 0,
        },
    }
    files = sorted(folder.iterdir())
    assert len(files) == 9
    for path in files:
        cal = parse(path.read_bytes())
        assert cal.name == "VCALENDAR"
        assert str(cal["PRODID"]) and str(cal["VERSION"]) == "2.0"
        comps = components(cal)
        assert len(comps) == 1
        assert path.name == f"{comps[0]['UID']}.ics"
    mtimes = {p.name: p.stat().st_mtime_ns for p in files}
    again = people("export", "ics", "--vdir", str(folder), "--json").json()
    assert (again["written"], again["unchanged"]) == (0, 9)
    assert {p.name: p.stat().st_mtime_ns for p in folder.iterdir()} == mtimes


def test_vdir_drops_items_that_went_away_and_keeps_foreign_files(people, tmp_path):
    folder = tmp_path / "cal"
    assert people("export", "ics", "--vdir", str(folder)).exit_code == 0
    foreign = folder / "someone-else.ics"
    foreign.write_bytes(b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")
    assert people("archive", "Leap Day").exit_code == 0
    report = people("export", "ics", "--vdir", str(folder), "--json").json()
    assert (report["items"], report["removed"], report["written"]) == (8, 1, 0)
    summaries = [
        str(components(parse(p.read_bytes()))[0]["SUMMARY"]) for p in folder.glob("lrm-*.ics")
    ]
    assert "Leap Day's birthday" not in summaries
    assert foreign.exists()


def test_file_report_and_errors(people, tmp_path):
    target = tmp_path / "x.ics"
    first = people("export", "ics", "--out", str(target), "--json").json()
    assert (first["items"], first["written"], first["unchanged"]) == (9, 1, 0)
    assert first["path"] == str(target)
    assert people("export", "ics", "--out", str(target), "--json").json()["unchanged"] == 1
    human = people("export", "ics", "--out", str(target))
    assert human.stdout == ""
    assert "9 items" in human.stderr and "unchanged" in human.stderr
    no_target = people("export", "ics", "--json")
    assert no_target.exit_code == 5
    assert "--json needs --out" in no_target.stderr
    both = people("export", "ics", "--out", str(target), "--vdir", str(tmp_path / "d"))
    assert both.exit_code == 5 and "not both" in both.stderr
    folder = people("export", "ics", "--out", str(tmp_path))
    assert folder.exit_code == 5 and "is a folder" in folder.stderr
    missing = people("export", "ics", "--out", str(tmp_path / "no" / "such" / "x.ics"))
    assert missing.exit_code == 5 and "cannot write" in missing.stderr


def test_a_snoozed_contact_is_reached_out_to_when_the_snooze_ends(people, tmp_path):
    assert people("snooze", "Ada", "--until", "2027-02-01").exit_code == 0
    reconnect = by_summary(parse(export_file(people, tmp_path)))["Reach out to Ada Lovelace"]
    assert reconnect["DUE"].dt == date(2027, 2, 1)


@pytest.mark.parametrize("rule", ["FREQ=SOMETIMES", "garbage"])
def test_a_stored_recurrence_the_library_cannot_read_is_named(people, db_path, rule):
    import sqlite3

    with sqlite3.connect(db_path) as conn:
        conn.execute("UPDATE reminder SET recurrence = ? WHERE title = 'Send the book'", (rule,))
    conn.close()
    result = people("export", "ics")
    assert result.exit_code == 5
    assert f"invalid recurrence {rule!r}" in result.stderr
    assert "lrm-reminder-" in result.stderr
    assert "Traceback" not in result.stderr


def test_empty_database_gives_an_empty_calendar(lrm):
    result = lrm("export", "ics")
    assert result.exit_code == 0
    cal = parse(result.stdout)
    assert components(cal) == []
    assert str(cal["VERSION"]) == "2.0"


def test_unsafe_contact_uids_give_safe_stable_uids():
    from datetime import UTC, datetime

    from lrm_cli.formats.ical import item_calendars
    from lrm_cli.services.ics_export import CalendarSettings, _yearly
    from lrm_cli.store.ics_export import YearlyRow

    row = YearlyRow("urn:uuid:ABC@example.com/1", "Eve", "birthday", "--03-01", None, None, None, 0)
    item = _yearly(row, CalendarSettings())
    assert item is not None and SAFE.match(item.uid)
    assert item == _yearly(row, CalendarSettings())
    ((uid, data),) = item_calendars([item], __version__)
    assert uid == item.uid
    assert str(components(parse(data))[0]["UID"]) == uid
    assert components(parse(data))[0]["DTSTAMP"].dt == datetime(1970, 1, 1, tzinfo=UTC)


# --- other programs read the vdirs ----------------------------------------------------------


def _tool(name: str) -> str:
    exe = Path(sys.executable).with_name(name)
    if not exe.exists():
        pytest.skip(f"{name} is not installed in this venv (pip install -e '.[test]')")
    return str(exe)


def test_todoman_reads_the_todo_vdir(people, tmp_path):
    todo = _tool("todo")
    folder = tmp_path / "todos"
    assert people("export", "ics", "--vdir", str(folder)).exit_code == 0
    config = tmp_path / "todoman.py"
    config.write_text(
        f"path = {str(folder)!r}\n"
        'date_format = "%Y-%m-%d"\n'
        'time_format = "%H:%M"\n'
        f"cache_path = {str(tmp_path / 'todoman.sqlite3')!r}\n"
    )
    proc = subprocess.run(
        [todo, "--porcelain", "--config", str(config), "list"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    todos = {t["summary"]: t for t in json.loads(proc.stdout)}
    assert set(todos) == {"Reach out to Ada Lovelace", "Send the book", "Call the plumber"}
    assert todos["Send the book"]["recurring"] is True
    # porcelain gives a date's local midnight as epoch seconds
    due = date.fromtimestamp(todos["Reach out to Ada Lovelace"]["due"])
    assert due == date(2026, 12, 29)


def test_khal_reads_the_event_vdir(people, tmp_path):
    khal = _tool("khal")
    folder = tmp_path / "events"
    assert people("export", "ics", "--events", "--vdir", str(folder)).exit_code == 0
    config = tmp_path / "khal.conf"
    config.write_text(
        f"[calendars]\n[[lrm]]\npath = {folder}\n"
        "[locale]\ntimeformat = %H:%M\ndateformat = %Y-%m-%d\nlongdateformat = %Y-%m-%d\n"
        "datetimeformat = %Y-%m-%d %H:%M\nlongdatetimeformat = %Y-%m-%d %H:%M\n"
        f"[sqlite]\npath = {tmp_path / 'khal.db'}\n"
    )

    def listing(start: str, end: str) -> list[str]:
        proc = subprocess.run(
            [khal, "-c", str(config), "list", "--format", "{start-date} {title}", start, end],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert proc.returncode == 0, proc.stderr
        return [line for line in proc.stdout.splitlines() if line[:1].isdigit()]

    assert listing("2026-12-01", "2026-12-31") == [
        "2026-12-01 Call the plumber",
        "2026-12-05 Send the book",
        "2026-12-10 Ada Lovelace's birthday",
        "2026-12-29 Reach out to Ada Lovelace",
    ]
    # 29 February on the 28th in a common year, on the 29th in a leap year
    assert listing("2027-02-27", "2027-03-01") == [
        "2027-02-28 Leap Day's birthday",
        "2027-02-28 Leap Year's birthday",
    ]
    assert listing("2028-02-28", "2028-03-01") == [
        "2028-02-29 Leap Day's birthday",
        "2028-02-29 Leap Year's birthday",
    ]
