"""The phrases lrm_cli/dates.py reads with the standard library before reaching
dateparser (months and years back and ahead, 'last month', days named with their month)
give dateparser's answer for the same text and reference day, and a command given one of
them never loads dateparser."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from datetime import UTC, date, datetime, time, timedelta, timezone

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from lrm_cli import dates
from lrm_cli.errors import InvalidInput

MONTH_NAMES = [
    "january", "february", "march", "april", "may", "june", "july", "august",
    "september", "october", "november", "december",
]  # fmt: skip
SLOW = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

days = st.dates(min_value=date(1950, 1, 1), max_value=date(2100, 12, 31))
times = st.times(min_value=time(0, 0), max_value=time(23, 59))
zones = st.sampled_from(
    [UTC, timezone(timedelta(hours=-8)), timezone(timedelta(hours=5, minutes=30))]
)
prefers = st.sampled_from(["past", "future"])
counts = st.one_of(st.integers(1, 40).map(str), st.sampled_from(["a", "an", "one"]))


@st.composite
def relative(draw) -> str:
    unit = draw(st.sampled_from(["day", "week", "month", "year"]))
    form = draw(st.sampled_from(["ago", "in", "last", "next"]))
    if form in ("last", "next"):
        return f"{form} {unit}" if unit != "day" else "last week"
    count = draw(counts)
    plural = "s" if draw(st.booleans()) else ""
    return f"{count} {unit}{plural} ago" if form == "ago" else f"in {count} {unit}{plural}"


@st.composite
def named_day(draw) -> str:
    index = draw(st.integers(0, 11))
    name = MONTH_NAMES[index]
    month = draw(st.sampled_from([name, name[:3]] + (["sept"] if index == 8 else [])))
    if len(month) < len(name) and draw(st.booleans()):
        month += "."
    number = draw(st.integers(1, 31))
    day = str(number)
    if draw(st.booleans()):
        day += {1: "st", 2: "nd", 3: "rd"}.get(number % 10 if number // 10 != 1 else 0, "th")
    text = f"{month} {day}" if draw(st.booleans()) else f"{day} {month}"
    if draw(st.booleans()):
        year = draw(st.integers(1950, 2100))
        text += f"{',' if draw(st.booleans()) else ''} {year}"
    return text


def _now(day: date, at: time, zone) -> datetime:
    return datetime.combine(day, at, tzinfo=zone)


def _assert_as_dateparser(phrase: str, now: datetime, prefer: str) -> datetime | None:
    """Ours is dateparser's answer, but for the one documented difference: ahead, a day
    named without its year that is today is today (dateparser: a year later)."""
    ours = dates._fast_path(phrase, now, prefer)
    theirs = dates._parse_with_dateparser(phrase, now, prefer)
    if ours is not None and prefer == "future" and ours.date() == now.date():
        assert theirs is not None and theirs.date() == _a_year_later(ours.date()), phrase
        assert not any(w.isdigit() and len(w) == 4 for w in phrase.replace(",", " ").split())
    elif ours is not None:
        assert ours == theirs, (phrase, now, prefer)
    return ours


def _a_year_later(day: date) -> date:
    return day.replace(year=day.year + 1)


@SLOW
@given(phrase=relative(), day=days, at=times, zone=zones, prefer=prefers)
@example(phrase="last month", day=date(2026, 3, 31), at=time(9), zone=UTC, prefer="past")
@example(phrase="1 year ago", day=date(2028, 2, 29), at=time(9), zone=UTC, prefer="past")
@example(phrase="in 1 month", day=date(2027, 1, 31), at=time(9), zone=UTC, prefer="past")
@example(phrase="next year", day=date(2024, 2, 29), at=time(9), zone=UTC, prefer="future")
def test_months_and_years_back_and_ahead_as_dateparser_reads_them(phrase, day, at, zone, prefer):
    now = _now(day, at, zone)
    assert _assert_as_dateparser(phrase, now, prefer) is not None  # always ours


@SLOW
@given(phrase=named_day(), day=days, at=times, zone=zones, prefer=prefers)
@example(phrase="nov 20", day=date(2026, 11, 29), at=time(9), zone=UTC, prefer="past")
@example(phrase="nov 29", day=date(2026, 11, 29), at=time(9), zone=UTC, prefer="future")
@example(phrase="29th nov", day=date(2026, 11, 29), at=time(23), zone=UTC, prefer="future")
@example(phrase="nov 29", day=date(2026, 11, 29), at=time(9), zone=UTC, prefer="past")
@example(phrase="dec 31", day=date(2026, 12, 31), at=time(23), zone=UTC, prefer="past")
@example(phrase="feb 29", day=date(2026, 11, 29), at=time(9), zone=UTC, prefer="past")
@example(phrase="29 feb", day=date(2028, 1, 10), at=time(9), zone=UTC, prefer="past")
@example(phrase="feb 29th", day=date(2024, 11, 29), at=time(9), zone=UTC, prefer="future")
@example(phrase="31 april", day=date(2026, 11, 29), at=time(9), zone=UTC, prefer="past")
def test_days_named_with_their_month_as_dateparser_reads_them(phrase, day, at, zone, prefer):
    now = _now(day, at, zone)
    ours = _assert_as_dateparser(phrase, now, prefer)
    if ours is None:  # left to dateparser: a day the month lacks, or 29 February alone
        words = phrase.replace(",", "").replace(".", "").split()
        number = int(next(w for w in words if w[0].isdigit()).rstrip("stndrh"))
        month = next(i for i, n in enumerate(MONTH_NAMES, 1) for w in words if n.startswith(w))
        year = next((int(w) for w in words if len(w) == 4 and w.isdigit()), None)
        with pytest.raises(ValueError):
            date(year or 2001, month, number)  # 2001: not a leap year


def test_a_count_that_leaves_the_calendar_is_out_of_range():
    """The documented rule where dateparser has no answer: one line, exit 5 (InvalidInput)."""
    now = _now(date(2026, 11, 29), time(9), UTC)
    for phrase in ("99999 years ago", "in 120000 months"):
        with pytest.raises(InvalidInput, match="out of range"):
            dates.parse_when(phrase, now)


@pytest.mark.parametrize(
    ("when", "day"),
    [
        ("last month", "2026-10-29"),
        ("Nov 20", "2026-11-20"),
        ("3 months ago", "2026-08-29"),
        ("last weekend", "2026-11-21"),  # 29 November 2026 is a Sunday
    ],
)
def test_log_with_these_dates_never_loads_dateparser(lrm, db_path, when, day):
    assert lrm("add", "Ada Lovelace").exit_code == 0
    code = textwrap.dedent(f"""
        import sys
        sys.argv = ["lrm", "--db", {str(db_path)!r}, "--today", "2026-11-29", "log", "Ada",
                    "--when", {when!r}, "--json"]
        from lrm_cli.cli.entry import main
        try:
            main()
        except SystemExit as exc:
            assert not exc.code, exc.code
        print("dateparser" in sys.modules)
    """)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "False"
    assert f'"occurred_at": "{day}T12:00:00' in done.stdout
