"""Local calendar days and times in SQL, for reads that render tens of thousands of rows
inside SQLite instead of in Python (due, balance, list --json at 100k contacts).

SQLite's own ``'localtime'`` follows the process's C library zone, not the zone lrm
was given (``[clock] zone``, ``$TZ``), so :meth:`ZoneSQL.attach` registers a function,
``lrm_utc_offset(ts)``, that answers the zone's UTC offset at epoch second ``ts`` by a
bisection over the spans between the zone's offset changes (``YEARS_BACK`` years before
the current time to ``YEARS_AHEAD`` after, found once per process and zone), and asks
zoneinfo outside them, so the answer is exact everywhere. A zone with one fixed offset
(UTC, ``+02:00``) needs no function: its offset is a constant in the SQL.

Finding the spans: the offset is sampled every ``STEP`` seconds and each change is
located to the second by bisection. That misses nothing as long as a zone never
changes its offset twice within ``STEP``: the closest pair in tzdata 1970-2100 is
6.96 days apart (America/Noronha, October 2000); ``STEP`` is 3 days, and
tests/test_localtime.py checks every zone against tzdata's own transition lists.
"""

from __future__ import annotations

import sqlite3
from bisect import bisect_right
from collections.abc import Callable
from datetime import datetime, timedelta, timezone, tzinfo
from functools import lru_cache

STEP = 3 * 86400
YEARS_BACK = 10
YEARS_AHEAD = 1
DAY = 86400
# floor division for negative seconds too: SQLite's "/" truncates towards zero
_SHIFT_DAYS = 1_000_000
FUNCTION = "lrm_utc_offset"


def utc_offset(zone: tzinfo, ts: int) -> int:
    """The zone's UTC offset at epoch second ``ts``, in seconds."""
    off = datetime.fromtimestamp(ts, zone).utcoffset()
    return int(off.total_seconds()) if off is not None else 0


def offset_spans(zone: tzinfo, start: int, end: int) -> list[tuple[int, int]]:
    """(first second, offset) of each span of constant offset in [start, end], oldest
    first; the first span begins at ``start``."""
    fixed = zone.utcoffset(None)
    if fixed is not None:
        return [(start, int(fixed.total_seconds()))]
    spans = [(start, utc_offset(zone, start))]
    current = spans[0][1]
    left = start
    while left < end:
        right = min(left + STEP, end)
        offset = utc_offset(zone, right)
        if offset != current:
            lo, hi = left, right  # offset(lo) == current != offset(hi)
            while hi - lo > 1:
                mid = (lo + hi) // 2
                if utc_offset(zone, mid) == current:
                    lo = mid
                else:
                    hi = mid
            spans.append((hi, offset))
            current = offset
        left = right
    return spans


@lru_cache(maxsize=16)
def _spans(zone: tzinfo, start: int, end: int) -> tuple[tuple[int, int], ...]:
    """:func:`offset_spans`, computed once per process for each zone and range."""
    return tuple(offset_spans(zone, start, end))


def offset_function(
    zone: tzinfo, spans: tuple[tuple[int, int], ...], end: int
) -> Callable[[int | None], int | None]:
    """``lrm_utc_offset``: the offset at ``ts`` by bisection over ``spans`` (which
    cover [their first start, ``end``)), zoneinfo outside them, None for NULL."""
    # starts[i] begins offsets[i]; the two None ends stand for "outside the spans"
    starts = [first for first, _ in spans] + [end]
    offsets: list[int | None] = [None, *(off for _, off in spans), None]

    def offset(ts: int | None) -> int | None:
        if ts is None:
            return None
        found = offsets[bisect_right(starts, ts)]
        if found is not None:
            return found
        try:
            return utc_offset(zone, ts)
        except (OverflowError, OSError, ValueError):
            return 0  # beyond what datetime can represent: SQLite prints no date either

    return offset


class ZoneSQL:
    """SQL expressions for a column of epoch seconds seen in ``zone``."""

    def __init__(self, zone: tzinfo, around: int) -> None:
        self.zone = zone
        midnight = around - around % DAY  # one range per day: the spans are cached
        self.start = midnight - YEARS_BACK * 366 * DAY
        self.end = midnight + (YEARS_AHEAD * 366 + 1) * DAY
        self.spans = list(_spans(zone, self.start, self.end))
        self.fixed = zone.utcoffset(None) is not None

    def attach(self, conn: sqlite3.Connection) -> None:
        """Register ``lrm_utc_offset`` on ``conn`` (the expressions below call it)."""
        fn = offset_function(self.zone, _spans(self.zone, self.start, self.end), self.end)
        conn.create_function(FUNCTION, 1, fn, deterministic=True)

    def offset(self, column: str) -> str:
        """The offset in seconds at ``column`` (NULL when it is NULL)."""
        if self.fixed:
            return f"(CASE WHEN {column} IS NULL THEN NULL ELSE {self.spans[0][1]} END)"
        return f"{FUNCTION}({column})"

    def day(self, column: str) -> str:
        """The local calendar day of ``column``, as days since 1970-01-01 (floor)."""
        return f"(({column} + {self.offset(column)} + {_SHIFT_DAYS * DAY}) / {DAY} - {_SHIFT_DAYS})"

    def iso(self, column: str, offset: str | None = None) -> str:
        """``datetime.fromtimestamp(column, zone).isoformat(timespec="seconds")``, NULL for
        NULL: e.g. ``2026-11-29T08:15:00+01:00``. ``offset``: the SQL of the offset at
        ``column`` when the caller has it as a column already (else computed here)."""
        off = offset if offset is not None else self.offset(column)
        return (
            f"(strftime('%Y-%m-%dT%H:%M:%S', {column} + {off}, 'unixepoch') || {self.suffix(off)})"
        )

    def suffix(self, offset: str) -> str:
        """``suffix_sql`` with the zone's own offsets spelled out (no printf per row)."""
        known = sorted({off for _, off in self.spans})
        branches = " ".join(f"WHEN {off} THEN '{suffix(off)}'" for off in known)
        return f"(CASE {offset} {branches} ELSE {suffix_sql(offset)} END)"


def day_text_sql(day: str) -> str:
    """``date.isoformat()`` of a day number (days since 1970-01-01)."""
    return f"date(({day}) * {DAY}, 'unixepoch')"


def suffix_sql(offset: str) -> str:
    """The ``+HH:MM`` (``+HH:MM:SS`` for a local mean time) that ``isoformat`` writes for
    an offset of ``offset`` seconds."""
    a = f"abs({offset})"
    return (
        f"(CASE WHEN {offset} < 0 THEN '-' ELSE '+' END || "
        f"printf('%02d:%02d', {a} / 3600, {a} % 3600 / 60) || "
        f"CASE WHEN {a} % 60 THEN printf(':%02d', {a} % 60) ELSE '' END)"
    )


def suffix(offset: int) -> str:
    """The same suffix, from Python (for tests and callers that have the offset)."""
    return datetime(2000, 1, 1, tzinfo=timezone(timedelta(seconds=offset))).isoformat()[19:]
