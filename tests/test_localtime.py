"""Local days and times computed inside SQLite (store/localtime.py) equal Python's
``datetime.fromtimestamp(ts, zone)``, in every zone tzdata knows: the offset spans
against tzdata's transition lists, the SQL function ``lrm_utc_offset`` (a bisection over
the spans, zoneinfo outside them) at every change to the second, and what ``list --json``
shows."""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime, timedelta, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo, available_timezones

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lrm_cli.store.localtime import (
    FUNCTION,
    ZoneSQL,
    day_text_sql,
    offset_spans,
    suffix,
    utc_offset,
)

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


# --- the SQL function: at the offset changes, and far outside the precomputed spans ---

DAY = 86400
PROPERTY_ZONES = [
    "Europe/London",
    "America/New_York",
    "Australia/Lord_Howe",
    "Asia/Kathmandu",
    "UTC",
]


def _epoch(year: int) -> int:
    return int(datetime(year, 1, 1, tzinfo=UTC).timestamp())


def _offset(key: str, ts: int) -> timedelta:
    offset = datetime.fromtimestamp(ts, ZoneInfo(key)).utcoffset()
    assert offset is not None
    return offset


@lru_cache
def _changes(key: str) -> list[int]:
    """The first second of each new offset of ``key`` around 1900, 1986 (Kathmandu moved
    by 15 minutes), inside the spans lrm precomputes, and around 2100 (summer time from
    tzdata's rule string): found here by a daily scan and a bisection over zoneinfo, so
    they do not lean on ``offset_spans``."""
    windows = [(1899, 1901), (1985, 1987), (2015, 2028), (2099, 2101)]
    found = []
    for first, last in windows:
        left, end = _epoch(first), _epoch(last + 1)
        while left < end:
            right = left + DAY
            if _offset(key, left) != _offset(key, right):
                lo, hi = left, right
                while hi - lo > 1:
                    mid = (lo + hi) // 2
                    lo, hi = (mid, hi) if _offset(key, mid) == _offset(key, left) else (lo, mid)
                found.append(hi)
            left = right
    return found


@st.composite
def zoned_moments(draw) -> tuple[str, int]:
    key = draw(st.sampled_from(PROPERTY_ZONES))
    far = st.integers(_epoch(1900), _epoch(1901) - 1) | st.integers(_epoch(2100), _epoch(2101) - 1)
    changes = _changes(key)
    if not changes:
        return key, draw(far)
    step = st.sampled_from([-1, 0, 1]) | st.integers(-2 * DAY, 2 * DAY)
    near = st.builds(lambda at, by: at + by, st.sampled_from(changes), step)
    return key, draw(near | far)


def test_the_property_zones_change_offset_where_it_matters() -> None:
    """The property below crosses summer time inside the spans and in 2100 (outside)."""
    spans_start, spans_end = ZoneSQL(ZoneInfo("UTC"), NOW).start, ZoneSQL(ZoneInfo("UTC"), NOW).end
    for key in ("Europe/London", "America/New_York", "Australia/Lord_Howe"):
        assert any(spans_start < at < spans_end for at in _changes(key)), key
        assert any(at > _epoch(2100) for at in _changes(key)), key
    assert _changes("UTC") == []


@settings(max_examples=300, deadline=None)
@given(moment=zoned_moments())
def test_sql_function_gives_zoneinfos_offset_and_day(moment: tuple[str, int]) -> None:
    key, ts = moment
    zone = ZoneInfo(key)
    conn = sqlite3.connect(":memory:")
    local = ZoneSQL(zone, NOW)
    local.attach(conn)
    expected = datetime.fromtimestamp(ts, zone)
    offset = expected.utcoffset()
    assert offset is not None
    assert _select(conn, f"{FUNCTION}(ts)", ts) == int(offset.total_seconds())
    assert _select(conn, local.offset("ts"), ts) == int(offset.total_seconds())
    assert _select(conn, day_text_sql(local.day("ts")), ts) == expected.date().isoformat()
    assert _select(conn, local.iso("ts"), ts) == expected.isoformat(timespec="seconds")


@pytest.mark.parametrize("key", ZONES)
def test_sql_offset_changes_at_the_very_second(key: str) -> None:
    """Every change inside the precomputed spans: the second before keeps the old offset,
    the change's own second has the new one (bisect right, not left)."""
    zone = ZoneInfo(key)
    conn = sqlite3.connect(":memory:")
    local = ZoneSQL(zone, NOW)
    local.attach(conn)
    moments = [at + by for at, _ in local.spans for by in (-1, 0)]
    moments += [local.start - 1, local.start, local.end - 1, local.end]
    got = [_select(conn, f"{FUNCTION}(ts)", at) for at in moments]
    assert got == [utc_offset(zone, at) for at in moments]


def test_list_json_shows_local_times_across_summer_time_and_in_1900(lrm, monkeypatch) -> None:
    """Lord Howe moves its clocks by 30 minutes (02:00 -> 02:30 on 4 October 2026); in 1900
    Kathmandu kept local mean time, 5:41:16 ahead of UTC, long before lrm's spans."""
    monkeypatch.setenv("TZ", "Australia/Lord_Howe")
    for name, when in [("Ada", "2026-10-04T01:45"), ("Bob", "2026-10-04T02:45")]:
        assert lrm("add", name).exit_code == 0
        assert lrm("log", name, "--when", when).exit_code == 0
    listed = lrm("list", "--json")
    assert listed.exit_code == 0, listed.stdout
    shown = {item["name"]: item["last_contact"] for item in listed.json()}
    assert shown == {"Ada": "2026-10-04T01:45:00+10:30", "Bob": "2026-10-04T02:45:00+11:00"}

    monkeypatch.setenv("TZ", "Asia/Kathmandu")
    assert lrm("add", "Cy").exit_code == 0
    assert lrm("log", "Cy", "--when", "1900-06-01").exit_code == 0
    listed = lrm("list", "--json")
    assert listed.exit_code == 0, listed.stdout
    shown = {item["name"]: item["last_contact"] for item in listed.json()}
    assert shown == {
        "Ada": "2026-10-03T21:00:00+05:45",
        "Bob": "2026-10-03T21:30:00+05:45",
        "Cy": "1900-06-01T12:00:00+05:41:16",
    }
