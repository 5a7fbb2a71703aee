"""Speed of `lrm export ics` against bare icalendar (not a test: run it by hand).

    python bench/ics_speed.py bench/data/<the 10k dataset>.sqlite3 /tmp/out.ics [ROUNDS]

lrm's whole export (SQL, build, serialise, write) against icalendar building and
serialising the same components (same properties, same order) from pre-extracted items;
the two outputs must be byte-identical. Target: within 1.3x.
"""

import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar

from lrm_cli import __version__
from lrm_cli.scheduler import SchedulerSettings
from lrm_cli.services import ics_export
from lrm_cli.store.db import Database

DB = Path(sys.argv[1])
OUT = Path(sys.argv[2])
ROUNDS = int(sys.argv[3]) if len(sys.argv) > 3 else 3
zone, today = ZoneInfo("Europe/London"), date(2026, 11, 29)
sched, cal_settings = SchedulerSettings(), ics_export.CalendarSettings()


def lrm_export():
    db = Database(DB)
    try:
        return ics_export.export_ics(
            db,
            zone=zone,
            today=today,
            scheduler_settings=sched,
            settings=cal_settings,
            out=str(OUT),
        )
    finally:
        db.close()


def bare(items):
    cal = icalendar.Calendar()
    cal.add("prodid", f"-//lrm//lrm {__version__}//EN")
    cal.add("version", "2.0")
    for it in items:
        c = icalendar.Todo() if it.todo else icalendar.Event()
        c.add("uid", it.uid)
        c.add("dtstamp", it.stamp)
        if not it.todo:
            c.add("dtstart", it.start)
            c.add("dtend", it.start + timedelta(days=1))
        elif it.rrule:
            c.add("dtstart", it.start)
            c.add("due", it.start)
        else:
            c.add("due", it.start)
        c.add("summary", it.summary)
        if it.contact:
            c.add("contact", it.contact)
        if it.rrule:
            c.add("rrule", icalendar.vRecur.from_ical(it.rrule))
        for k, v in it.extra:
            c.add(k, v)
        if it.trigger is not None:
            a = icalendar.Alarm()
            a.add("action", "DISPLAY")
            a.add("description", it.alarm)
            if it.todo:
                a.add("trigger", it.trigger, parameters={"RELATED": "END"})
            else:
                a.add("trigger", it.trigger)
            c.add_component(a)
        cal.add_component(c)
    return cal.to_ical()


db = Database(DB)
items, kinds = ics_export.calendar_items(
    db, zone=zone, today=today, scheduler_settings=sched, settings=cal_settings
)
db.close()
print("items", len(items), dict(kinds))
lrm_t, bare_t = [], []
for _ in range(ROUNDS):
    OUT.unlink(missing_ok=True)
    t = time.perf_counter()
    lrm_export()
    lrm_t.append(time.perf_counter() - t)
    t = time.perf_counter()
    data = bare(items)
    bare_t.append(time.perf_counter() - t)
    assert data == OUT.read_bytes(), "bare output differs from lrm's"
print(
    "lrm export (SQL + build + serialise + write):",
    [round(x, 2) for x in lrm_t],
    "median",
    round(statistics.median(lrm_t), 2),
)
print(
    "bare icalendar (build + serialise only):     ",
    [round(x, 2) for x in bare_t],
    "median",
    round(statistics.median(bare_t), 2),
)
print("ratio of medians:", round(statistics.median(lrm_t) / statistics.median(bare_t), 3))
print("bytes", OUT.stat().st_size)
