"""Local days and times computed inside SQLite (store/localtime.py) equal Python's
``datetime.fromtimestamp(ts, zone)``, in every zone tzdata knows."""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo, available_timezones

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lrm_cli.store.localtime import ZoneSQL, day_text_sql, offset_spans, suffix, utc_offset

NOW = int(datetime(2026, 11, 29, 12, tzinfo=UTC).timestamp())
ZONES = [
    "UTC",
    "Europe/London",
    "America/New_York",
    "America/Noronha",  # two changes 6.96 days apart in October 2000
    "Australia/Lord_Howe",  # a 30-minute summer shift
    "Asia/Kolkata",
    "Pacific/Apia",  # skipped 30 December 2011
    "Africa/Casablanca",  # summer time suspended every Ramadan
    "America/St_Johns",
    "Pacific/Chatham",
]
FIXED = [UTC, timezone(timedelta(hours=-3, minutes=-30)), timezone(timedelta(hours=14))]
# 1800 (local mean times, offsets with seconds) .. 2100: inside and outside the spans
TIMESTAMPS = st.integers(-5_364_662_400, 4_102_444_800)


def _tzdata_changes(key: str, start: int, end: int) -> tuple[list[int], int] | None:
    """The seconds at which ``key`` changes its UTC offset in (start, end], from tzdata's
    own transition list (zoneinfo's private loader), and the last second it covers."""
    try:
        from zoneinfo import _common, _tzpath
    except ImportError:  # pragma: no cover - a Python without the private loader
        return None
    try:  # where ZoneInfo(key) reads it: the system's files first, then the tzdata package
        path = _tzpath.find_tzfile(key)
        source = open(path, "rb") if path else _common.load_tzdata(key)  # noqa: SIM115
    except Exception:
        return None
    with source:
        index, moments, offsets, *_ = _common.load_data(source)
    changes, previous = [], utc_offset(ZoneInfo(key), start)
    for i, moment in enumerate(moments):
        offset = offsets[index[i]]
        if offset != previous and start < moment <= end:
            changes.append(moment)
        if moment > start:
            previous = offset
    covered = min(end, moments[-1]) if moments else start
    return changes, covered


def test_spans_find_every_offset_change_tzdata_lists() -> None:
    start = int(datetime(1970, 1, 1, tzinfo=UTC).timestamp())
    end = int(datetime(2037, 1, 1, tzinfo=UTC).timestamp())
    checked = 0
    for key in sorted(available_timezones()):
        found = _tzdata_changes(key, start, end)
        if found is None:
            continue
        changes, covered = found
        spans = offset_spans(ZoneInfo(key), start, covered)
        assert [first for first, _ in spans[1:]] == changes, key
        checked += 1
    if checked == 0:
        pytest.skip("tzdata's transition lists are not readable here")
    assert checked > 300


def test_spans_start_where_asked_and_change_at_the_second() -> None:
    london = ZoneInfo("Europe/London")
    start = int(datetime(2026, 1, 1, tzinfo=UTC).timestamp())
    end = int(datetime(2026, 12, 31, tzinfo=UTC).timestamp())
    spans = offset_spans(london, start, end)
    # 29 March 2026 01:00 UTC and 25 October 2026 01:00 UTC
    assert spans == [
        (start, 0),
        (int(datetime(2026, 3, 29, 1, tzinfo=UTC).timestamp()), 3600),
        (int(datetime(2026, 10, 25, 1, tzinfo=UTC).timestamp()), 0),
    ]
    assert offset_spans(timezone(timedelta(hours=2)), start, end) == [(start, 7200)]


def _select(conn: sqlite3.Connection, expr: str, ts: int | None):
    return conn.execute(f"SELECT {expr} FROM (SELECT ? AS ts)", (ts,)).fetchone()[0]


@settings(max_examples=150, deadline=None)
@given(zone_name=st.sampled_from([*ZONES, None]), fixed=st.sampled_from(FIXED), ts=TIMESTAMPS)
def test_sql_local_time_equals_python(zone_name, fixed, ts: int) -> None:
    zone = ZoneInfo(zone_name) if zone_name else fixed
    conn = sqlite3.connect(":memory:")
    local = ZoneSQL(zone, NOW)
    local.attach(conn)
    moment = datetime.fromtimestamp(ts, zone)
    assert _select(conn, local.offset("ts"), ts) == utc_offset(zone, ts)
    day = _select(conn, local.day("ts"), ts)
    assert day == (moment.date() - date(1970, 1, 1)).days
    assert _select(conn, day_text_sql(local.day("ts")), ts) == moment.date().isoformat()
    assert _select(conn, local.iso("ts"), ts) == moment.isoformat(timespec="seconds")


@given(zone_name=st.sampled_from(ZONES))
def test_sql_local_time_of_null_is_null(zone_name) -> None:
    conn = sqlite3.connect(":memory:")
    local = ZoneSQL(ZoneInfo(zone_name), NOW)
    local.attach(conn)
    for expr in (local.offset("ts"), local.day("ts"), local.iso("ts")):
        assert _select(conn, expr, None) is None


@given(offset=st.integers(-86399, 86399))
def test_suffix_is_what_isoformat_writes(offset: int) -> None:
    conn = sqlite3.connect(":memory:")
    from lrm_cli.store.localtime import suffix_sql

    expected = datetime(2000, 1, 1, tzinfo=timezone(timedelta(seconds=offset))).isoformat()[19:]
    assert suffix(offset) == expected
    assert conn.execute(f"SELECT {suffix_sql('?1')}", (offset,)).fetchone()[0] == expected
