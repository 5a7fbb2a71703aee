"""lrm writes iCalendar itself (formats/ical.py, issue 14: `export ics` of a thousand
contacts took seconds through the icalendar library); the bytes must stay what icalendar
writes for the same components, so calendars and sync folders see no change. The
reference below builds the components with icalendar, as lrm did before."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import icalendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lrm_cli.errors import InvalidInput
from lrm_cli.formats.ical import CalItem, calendar_bytes, item_calendars, prodid

VERSION = "0.1.0"


def _reference_component(item: CalItem):
    comp = icalendar.Todo() if item.todo else icalendar.Event()
    comp.add("uid", item.uid)
    comp.add("dtstamp", item.stamp)
    if not item.todo:
        comp.add("dtstart", item.start)
        comp.add("dtend", item.start + timedelta(days=1))
    elif item.rrule:
        comp.add("dtstart", item.start)
        comp.add("due", item.start)
    else:
        comp.add("due", item.start)
    comp.add("summary", item.summary)
    if item.contact:
        comp.add("contact", item.contact)
    if item.rrule:
        comp.add("rrule", icalendar.vRecur.from_ical(item.rrule))
    for name, value in item.extra:
        comp.add(name, value)
    if item.trigger is not None:
        alarm = icalendar.Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", item.alarm or item.summary)
        if item.todo:
            alarm.add("trigger", item.trigger, parameters={"RELATED": "END"})
        else:
            alarm.add("trigger", item.trigger)
        comp.add_component(alarm)
    return comp


def reference(items: list[CalItem]) -> bytes:
    cal = icalendar.Calendar()
    cal.add("prodid", prodid(VERSION))
    cal.add("version", "2.0")
    for item in items:
        cal.add_component(_reference_component(item))
    return cal.to_ical()


# text with everything TEXT escaping and folding care about: the escaped characters, line
# breaks, literal "\N", multi-byte characters on the fold, long values
TEXT = st.text(
    st.sampled_from(list("aZ9 ,;:\\\"'^\n\r\tNéü€日本😀\u200b-"))
    | st.characters(exclude_categories=("Cs",)),  # text from SQLite is valid UTF-8
    max_size=200,
)
RULES = [
    "FREQ=YEARLY",
    "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=-1",
    "FREQ=MONTHLY;INTERVAL=3",
    "FREQ=WEEKLY;INTERVAL=2",
    "FREQ=DAILY",
    "INTERVAL=2;FREQ=MONTHLY",  # written back in icalendar's order
    "FREQ=MONTHLY;INTERVAL=03",  # and in its form
    "FREQ=YEARLY;BYMONTHDAY=31;BYMONTH=12",
    "FREQ=MONTHLY;COUNT=5;INTERVAL=1",
    "FREQ=WEEKLY;BYDAY=MO,WE",  # shapes lrm does not write: icalendar reads them
    "freq=monthly",
    "FREQ=MONTHLY;BYMONTHDAY=1,15",
    "FREQ=YEARLY;",
]
STAMPS = st.datetimes(
    min_value=datetime(1970, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)
)
TRIGGERS = st.none() | st.builds(
    timedelta,
    days=st.integers(-400, 400),
    hours=st.integers(0, 23),
    minutes=st.integers(0, 59),
    seconds=st.sampled_from([0, 0, 0, 1, 59]),
)
ITEMS = st.builds(
    CalItem,
    uid=st.from_regex(r"lrm-[A-Za-z0-9_.+-]{1,90}", fullmatch=True),
    summary=TEXT,
    start=st.dates(min_value=date(1, 1, 1), max_value=date(9998, 12, 30)),
    stamp=STAMPS,
    todo=st.booleans(),
    rrule=st.none() | st.sampled_from(RULES),
    trigger=TRIGGERS,
    alarm=TEXT,
    contact=st.none() | TEXT,
    extra=st.lists(
        st.tuples(
            st.sampled_from(["x-lrm-year", "x-lrm-kind", "X-A"]),
            TEXT.map(lambda t: t.replace("\r", "").replace("\n", "")),  # values as they are
        ),
        max_size=3,
    ).map(tuple),
)


@settings(max_examples=300, deadline=None)
@given(items=st.lists(ITEMS, max_size=4))
def test_the_writer_writes_what_icalendar_writes(items):
    assert calendar_bytes(items, VERSION) == reference(items)
    for (uid, data), item in zip(item_calendars(items, VERSION), items, strict=True):
        assert uid == item.uid
        assert data == reference([item])


@pytest.mark.parametrize("width", range(60, 90))
@pytest.mark.parametrize("tail", ["", "é", "€", "😀", "\\", ",", "^"])
def test_folding_at_every_length(width, tail):
    """Lines around the 75-octet limit, ending in multi-byte characters and escapes."""
    item = CalItem(
        uid="lrm-x",
        summary="a" * (width - len("SUMMARY:") - 2) + tail + tail,
        start=date(2026, 11, 29),
        stamp=datetime(2026, 11, 29, tzinfo=UTC),
        contact=tail * width,
    )
    assert calendar_bytes([item], VERSION) == reference([item])


@pytest.mark.parametrize("rule", ["BYDAY=MO", "FREQ=SOMETIMES", "FREQ=MONTHLY;INTERVAL=x"])
def test_a_rule_icalendar_refuses_is_invalid_input(rule):
    item = CalItem(
        uid="lrm-reminder-1",
        summary="renew",
        start=date(2026, 11, 29),
        stamp=datetime(2026, 11, 29, tzinfo=UTC),
        todo=True,
        rrule=rule,
    )
    with pytest.raises(InvalidInput, match="invalid recurrence"):
        calendar_bytes([item], VERSION)


def test_the_writer_needs_no_icalendar_for_lrms_own_rules():
    """icalendar (0.15 s to import) is read only for rules lrm does not write itself."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from datetime import UTC, date, datetime, timedelta\n"
        "from lrm_cli.formats.ical import CalItem, calendar_bytes\n"
        "items = [CalItem('lrm-a', 'A', date(2026, 1, 1), datetime(2026, 1, 1, tzinfo=UTC),"
        " todo=True, rrule=r, trigger=timedelta(hours=-15))"
        " for r in ('FREQ=YEARLY', 'FREQ=MONTHLY;INTERVAL=3', None)]\n"
        "calendar_bytes(items, '1')\n"
        "assert 'icalendar' not in sys.modules, 'icalendar imported'\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize(
    "trigger",
    [
        timedelta(0),
        timedelta(hours=9),
        timedelta(days=-1, hours=9),  # -PT15H: the default alarm
        timedelta(days=-3, hours=9),
        timedelta(hours=1, seconds=1),  # hours and seconds: the minutes are written
        -timedelta(hours=2, seconds=5),
        timedelta(minutes=30),
        timedelta(seconds=59),
        timedelta(days=2),
        -timedelta(days=366),
    ],
)
@pytest.mark.parametrize("todo", [False, True])
def test_every_kind_of_trigger(trigger, todo):
    item = CalItem(
        uid="lrm-x",
        summary="Ada",
        start=date(2026, 11, 29),
        stamp=datetime(2026, 11, 29, tzinfo=UTC),
        todo=todo,
        trigger=trigger,
    )
    assert calendar_bytes([item], VERSION) == reference([item])
