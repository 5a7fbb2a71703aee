"""The scheduler's formulas: hand-computed examples and hypothesis properties."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lrm_cli import scheduler as s
from lrm_cli.domain import ConfigError, InvalidInput

SET = s.SchedulerSettings()
TODAY = date(2026, 11, 29)
KINDS = st.sampled_from(sorted(s.DEFAULT_KIND_WEIGHTS))
INITIATORS = st.sampled_from(["me", "them", "mutual"])
AGES = st.integers(min_value=0, max_value=3000)
interaction = st.tuples(AGES, INITIATORS, KINDS, st.none() | st.floats(0.1, 10))
histories = st.lists(interaction, min_size=1, max_size=30)


def _rows(history):
    return [(TODAY - timedelta(days=age), who, kind, w) for age, who, kind, w in history]


# --- examples, computed by hand --------------------------------------------------------------


def test_balance_example():
    # a call I made today (w=1, d=1) and a gift from them 180 days ago (w=2, d=0.5):
    # (1*1*1 - 1*2*0.5) / (1*1 + 2*0.5) = 0 / 2 = 0
    rows = [(TODAY, "me", "call", None), (TODAY - timedelta(days=180), "them", "gift", None)]
    assert s.balance(rows, TODAY, SET) == pytest.approx(0.0)
    # two messages by me and one call by them, all today: (0.5+0.5-1)/(0.5+0.5+1) = 0
    # with the call 360 days old (d=0.25): (1 - 0.25) / (1 + 0.25) = 0.6
    rows = [
        (TODAY, "me", "message", None),
        (TODAY, "me", "email", None),
        (TODAY - timedelta(days=360), "them", "call", None),
    ]
    assert s.balance(rows, TODAY, SET) == pytest.approx(0.6)
    assert s.balance_label(0.6, SET) == "you_give_more"
    assert s.balance_label(-0.19, SET) == "balanced"
    assert s.balance_label(-0.2, SET) == "they_give_more"
    assert s.balance([], TODAY, SET) is None


def test_infer_cadence_example():
    days = [date(2026, 1, 1), date(2026, 1, 11), date(2026, 1, 31), date(2026, 3, 2)]
    # gaps 10, 20, 30 -> median 20
    assert s.infer_cadence(days, SET) == 20
    assert s.infer_cadence(days[:2], SET) is None  # fewer than 3
    # gaps 1 and 2 -> median 1.5 rounds half up to 2, clamped up to 7
    assert s.infer_cadence([date(2026, 1, 1), date(2026, 1, 2), date(2026, 1, 4)], SET) == 7
    # only the last 10 count: 20 early daily interactions, then 10 monthly ones
    early = [date(2020, 1, 1) + timedelta(days=i) for i in range(20)]
    late = [date(2025, 1, 1) + timedelta(days=30 * i) for i in range(10)]
    assert s.infer_cadence(early + late, SET) == 30


def test_effective_cadence_precedence():
    assert s.effective_cadence(30, [14, 7], 60) == s.Cadence(30, "explicit")
    assert s.effective_cadence(None, [14, 7], 60) == s.Cadence(7, "tag")
    assert s.effective_cadence(None, [], 60) == s.Cadence(60, "inferred")
    assert s.effective_cadence(None, [], None) is None


def test_due_example():
    due = s.due_status(
        last_contact=date(2026, 10, 20),
        created=date(2020, 1, 1),
        cadence=s.Cadence(30, "explicit"),
        today=TODAY,
        snoozed_until=None,
        archived=False,
    )
    # 2026-10-20 + 30 days = 2026-11-19, 10 days before today; 40 days since / 30
    assert (due.due_on, due.overdue_days, due.urgency) == (date(2026, 11, 19), 10, 1.333)
    never = s.due_status(
        last_contact=None,
        created=date(2026, 11, 1),
        cadence=s.Cadence(14, "tag"),
        today=TODAY,
        snoozed_until=None,
        archived=False,
    )
    assert (never.due_on, never.overdue_days) == (date(2026, 11, 15), 14)
    assert s.is_due(never) and not s.is_due(
        s.Due(date(2026, 12, 6), -7, 0.5, 7, 14, "tag"), within_days=6
    )


def test_drift_example():
    # 6 in the earlier 365 days = 0.49/month; 1 in the last 180 = 0.17/month < half
    found = s.drift(1, 6, SET)
    assert found == s.Drift(1, 6, 0.17, 0.49)
    assert s.drift(3, 6, SET) is None  # 0.5/month: not below half of 0.49
    assert s.drift(0, 3, SET) is None  # too little history to call it drift
    assert s.drift_windows(TODAY, SET) == (date(2025, 6, 3), date(2026, 6, 3), date(2026, 11, 30))


def test_health_example():
    h = s.health(
        days_since=60,
        cadence_days=30,
        balance=0.5,
        recent_count=2,
        previous_count=4,
        mean_sentiment=1.0,
        settings=SET,
    )
    parts = {c.name: c.value for c in h.components}
    # recency: 30 days past the cadence out of 2x30 -> 0.5; reciprocity 1-0.5 = 0.5
    # trend: (2/180) / (4/365) = 1.0139 -> capped at 1; sentiment (1+2)/4 = 0.75
    assert parts == pytest.approx(
        {"recency": 0.5, "reciprocity": 0.5, "trend": 1.0, "sentiment": 0.75}
    )
    # 100 * (0.4*0.5 + 0.2*0.5 + 0.2*1 + 0.2*0.75) = 65
    assert h.score == 65
    assert all(c.explanation for c in h.components)


def test_upcoming_examples():
    items = s.upcoming(
        today=date(2027, 2, 20),
        days=14,
        dates=[
            s.DatedItem("birthday", "2000-02-29", 1, "Lee"),
            s.DatedItem("anniversary", "--03-01", 2, "Ann", "Wedding", 7),
            s.DatedItem("birthday", "--06-01", 3, "Far"),
        ],
        reminders=[s.ReminderItem(9, "call", date(2027, 2, 10), None, None)],
    )
    assert [(u.date, u.kind, u.days_until, u.turns) for u in items] == [
        (date(2027, 2, 10), "reminder", -10, None),  # overdue reminders stay visible
        (date(2027, 2, 28), "birthday", 8, 27),  # 29 February on the 28th in 2027
        (date(2027, 3, 1), "anniversary", 9, None),
    ]
    assert items[2].title == "Ann: Wedding" and items[2].lead_days == 7
    assert items[1].title == "Lee's birthday"


def test_recurrence_examples():
    assert s.parse_every("3m") == "FREQ=MONTHLY;INTERVAL=3"
    assert s.parse_every("2 weeks") == "FREQ=WEEKLY;INTERVAL=2"
    assert s.next_due(date(2026, 1, 31), "FREQ=MONTHLY;INTERVAL=1", date(2026, 1, 31)) == date(
        2026, 2, 28
    )
    assert s.next_due(date(2024, 2, 29), "FREQ=YEARLY;INTERVAL=1", date(2024, 3, 1)) == date(
        2025, 2, 28
    )
    assert s.next_due(date(2026, 11, 1), "FREQ=WEEKLY;INTERVAL=2", TODAY) == date(2026, 12, 13)
    for bad in ("sometimes", "0d", "", "3 fortnights"):
        with pytest.raises(InvalidInput):
            s.parse_every(bad)


def test_settings_from_config():
    assert s.SchedulerSettings.from_mapping({"half_life_days": 90}).half_life_days == 90
    weights = s.SchedulerSettings.from_mapping({"kind_weights": {"call": 3}}).kind_weights
    assert weights["call"] == 3 and weights["gift"] == 2
    with pytest.raises(ConfigError) as err:
        s.SchedulerSettings.from_mapping({"half_life": 1, "window_days": "long"})
    assert "half_life" in err.value.message and "window_days" in err.value.message


# --- properties ---------------------------------------------------------------------------


@given(histories)
def test_balance_stays_within_minus_one_and_one(history):
    value = s.balance(_rows(history), TODAY, SET)
    assert value is None or -1.0 <= value <= 1.0


@given(histories)
def test_swapping_initiators_negates_the_balance(history):
    swap = {"me": "them", "them": "me", "mutual": "mutual"}
    flipped = [(age, swap[who], kind, w) for age, who, kind, w in history]
    a, b = s.balance(_rows(history), TODAY, SET), s.balance(_rows(flipped), TODAY, SET)
    assert a == pytest.approx(-b, abs=1e-9)


@given(histories, KINDS, st.integers(0, 1000), st.integers(1, 1000))
def test_a_newer_interaction_weighs_more_than_an_older_one(history, kind, newer_age, gap):
    base = s.balance(_rows(history), TODAY, SET)
    newer = s.balance(_rows([*history, (newer_age, "me", kind, None)]), TODAY, SET)
    older = s.balance(_rows([*history, (newer_age + gap, "me", kind, None)]), TODAY, SET)
    assert newer - base >= older - base - 1e-12


@given(histories)
def test_incremental_sums_equal_the_direct_formula(history):
    num = den = 0.0
    for age, who, kind, w in history:
        t = (TODAY - timedelta(days=age) - s.BALANCE_EPOCH).days
        n, d = s.balance_terms(t, who, kind, w, SET)
        num, den = num + n, den + d
    assert s.balance_from_sums(num, den) == pytest.approx(
        s.balance(_rows(history), TODAY, SET), abs=1e-9
    )


dates_ = st.dates(min_value=date(2000, 1, 1), max_value=date(2030, 12, 31))


@given(dates_, st.none() | dates_, dates_, st.integers(1, 400), dates_)
def test_logging_never_makes_a_contact_more_overdue(created, last, today, cadence, new):
    """One exception, by design: back-filling history from before the contact was added
    to a contact with no interactions ("we last met in 2019") rightly makes them overdue."""
    kwargs = dict(
        created=created,
        cadence=s.Cadence(cadence, "explicit"),
        today=today,
        snoozed_until=None,
        archived=False,
    )
    before = s.due_status(last_contact=last, **kwargs)
    latest = max(d for d in (last, new) if d is not None)
    after = s.due_status(last_contact=latest, **kwargs)
    backfill = last is None and new < created
    assert after.overdue_days <= before.overdue_days or backfill


@given(st.none() | dates_, dates_, dates_, st.integers(1, 400), st.integers(1, 400), st.booleans())
def test_snoozed_and_archived_are_never_due(last, created, today, cadence, snooze, archived):
    snoozed = s.due_status(
        last_contact=last,
        created=created,
        today=today,
        cadence=s.Cadence(cadence, "tag"),
        snoozed_until=today + timedelta(days=snooze),
        archived=False,
    )
    gone = s.due_status(
        last_contact=last,
        created=created,
        today=today,
        cadence=s.Cadence(cadence, "tag"),
        snoozed_until=None,
        archived=True,
    )
    assert snoozed is None and gone is None


@given(st.lists(dates_, max_size=40))
def test_inferred_cadence_stays_within_its_clamp(days):
    value = s.infer_cadence(days, SET)
    if len(days) < SET.inferred_min_interactions:
        assert value is None
    else:
        assert SET.inferred_min_days <= value <= SET.inferred_max_days


partials = st.builds(
    lambda y, m, d: (f"{y:04d}" if y else "-") + f"-{m:02d}-{d:02d}",
    st.none() | st.integers(1900, 2020),
    st.integers(1, 12),
    st.integers(1, 28),
) | st.sampled_from(["--02-29", "2000-02-29", "1996-02-29"])


@settings(max_examples=200)
@given(st.lists(partials, max_size=10), dates_, st.integers(0, 366))
def test_every_upcoming_date_lies_within_the_window(values, today, days):
    items = s.upcoming(
        today=today,
        days=days,
        reminders=[],
        dates=[s.DatedItem("birthday", v, i, f"P{i}") for i, v in enumerate(values)],
    )
    for item in items:
        assert 0 <= item.days_until <= days
        assert item.date == today + timedelta(days=item.days_until)
        month_day = values[item.contact_id][-5:]
        if month_day == "02-29" and item.date.month == 2 and item.date.day == 28:
            continue  # 29 February celebrated on the 28th in a common year
        assert item.date.strftime("%m-%d") == month_day


@given(dates_, st.sampled_from(["d", "w", "m", "y"]), st.integers(1, 24), dates_)
def test_next_due_is_after_and_keeps_the_day(due_on, unit, n, after):
    rule = s.parse_every(f"{n}{unit}")
    following = s.next_due(due_on, rule, after)
    assert following > after and following > due_on
    if unit in "my":
        import calendar

        last = calendar.monthrange(following.year, following.month)[1]
        assert following.day == min(due_on.day, last)


@given(
    st.none() | st.integers(0, 5000),
    st.none() | st.integers(1, 365),
    st.none() | st.floats(-1, 1),
    st.integers(0, 100),
    st.integers(0, 100),
    st.none() | st.floats(-2, 2),
)
def test_health_is_a_score_from_0_to_100(days_since, cadence, bal, recent, previous, mood):
    h = s.health(
        days_since=days_since,
        cadence_days=cadence,
        balance=bal,
        recent_count=recent,
        previous_count=previous,
        mean_sentiment=mood,
        settings=SET,
    )
    assert 0 <= h.score <= 100
    assert sum(c.weight for c in h.components) == pytest.approx(1.0)
    assert all(0 <= c.value <= 1 for c in h.components)
