"""The rules of lrm_cli/scheduler.py (what runs per interaction or per contact: settings,
weights and signs, the balance sums' terms, cadence inference, health, upcoming dates,
reminder recurrence): hand-computed examples (arithmetic in the comments) and hypothesis
properties. Everything here is pure: no database, no clock. The rules over many contacts
(due, balance, drift) are tested through the CLI in test_due_balance_drift.py."""

from __future__ import annotations

import calendar
import math
from datetime import date, timedelta

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from lrm_cli.domain import INTERACTION_KINDS, ConfigError, InvalidInput
from lrm_cli.scheduler import (
    BALANCE_EPOCH,
    DatedItem,
    ReminderItem,
    SchedulerSettings,
    balance_terms,
    drift_windows,
    health,
    infer_cadence,
    initiator_sign,
    interaction_weight,
    next_due,
    parse_every,
    upcoming,
)
from lrm_cli.vocabulary import MAX_LEAD_DAYS

S = SchedulerSettings()
TODAY = date(2026, 11, 29)
FAST = settings(max_examples=100, deadline=None)

days_ago = st.integers(min_value=0, max_value=3650)
initiators = st.sampled_from(["me", "them", "mutual"])
kinds = st.sampled_from(INTERACTION_KINDS)
overrides = st.one_of(st.none(), st.floats(min_value=0.1, max_value=5))
rows = st.lists(st.tuples(days_ago, initiators, kinds, overrides), min_size=1, max_size=30)
any_day = st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 12, 31))


def ago(n: int) -> date:
    return TODAY - timedelta(days=n)


# --- settings -------------------------------------------------------------------------------


def test_defaults():
    assert S.half_life_days == 180 and S.balanced_threshold == 0.2 and S.window_days == 365
    assert dict(S.kind_weights) == {
        "gift": 2,
        "favor": 2,
        "call": 1,
        "video": 1,
        "meeting": 1,
        "meal": 1,
        "letter": 1,
        "event": 1,
        "message": 0.5,
        "email": 0.5,
        "other": 0.5,
    }
    assert (S.inferred_min_interactions, S.inferred_sample) == (3, 10)
    assert (S.inferred_min_days, S.inferred_max_days) == (7, 365)
    assert (S.drift_recent_days, S.drift_previous_days, S.drift_min_previous) == (180, 365, 4)
    assert S.drift_ratio == 0.5
    assert S.health_weights == {"recency": 0.4, "reciprocity": 0.2, "trend": 0.2, "sentiment": 0.2}


def test_from_mapping_empty_is_defaults():
    assert SchedulerSettings.from_mapping({}) == S


def test_from_mapping_values_and_kind_weights_merge():
    got = SchedulerSettings.from_mapping(
        {"half_life_days": 90, "window_days": 30, "kind_weights": {"call": 3}}
    )
    assert got.half_life_days == 90.0 and isinstance(got.half_life_days, float)
    assert got.window_days == 30
    assert got.kind_weights["call"] == 3.0 and got.kind_weights["gift"] == 2.0


def test_from_mapping_lists_every_problem_at_once():
    with pytest.raises(ConfigError) as err:
        SchedulerSettings.from_mapping(
            {
                "nope": 1,
                "window_days": 1.5,
                "balanced_threshold": "x",
                "drift_ratio": True,
                "half_life_days": -1,
                "kind_weights": {"telepathy": 1, "call": -1},
            }
        )
    message = err.value.message
    for part in (
        "unknown setting [scheduler] nope",
        "window_days must be a whole number",
        "balanced_threshold must be a number",
        "drift_ratio must be a number",
        "half_life_days must be at least",
        "unknown interaction kind [scheduler.kind_weights] telepathy",
        "[scheduler.kind_weights] call must be a number >= 0",
    ):
        assert part in message


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        ({"inferred_min_days": 30, "inferred_max_days": 10}, "inferred_max_days"),
        ({"inferred_min_interactions": 1}, "inferred_min_interactions must be at least 2"),
        ({"inferred_sample": 2}, "inferred_sample must be at least"),
        ({"drift_recent_days": 0}, "drift_recent_days must be at least 1"),
        ({"balanced_threshold": 1.5}, "balanced_threshold must be between 0 and 1"),
        (
            {
                "health_recency": 0,
                "health_reciprocity": 0,
                "health_trend": 0,
                "health_sentiment": 0,
            },
            "cannot all be 0",
        ),
        ({"health_trend": -1}, "health_trend must be >= 0"),
        ({"kind_weights": [1, 2]}, "kind_weights must be a table"),
    ],
)
def test_from_mapping_ranges(data, fragment):
    with pytest.raises(ConfigError, match=fragment):
        SchedulerSettings.from_mapping(data)


def test_settings_are_immutable():
    with pytest.raises(TypeError):
        S.kind_weights["call"] = 9  # type: ignore[index]


# --- weights and signs ----------------------------------------------------------------------


def test_interaction_weight_and_sign():
    assert interaction_weight("gift", None, S) == 2.0
    assert interaction_weight("email", None, S) == 0.5
    assert interaction_weight("gift", 0.25, S) == 0.25  # the override wins
    assert interaction_weight("carrier-pigeon", None, S) == 0.5  # unknown: 'other'
    assert [initiator_sign(i) for i in ("me", "them", "mutual")] == [1, -1, 0]


# --- cadence --------------------------------------------------------------------------------


def test_infer_cadence_median_gap():
    # days 0, 10, 30, 31 -> gaps 10, 20, 1 -> sorted 1, 10, 20 -> median 10
    days = [ago(31), ago(1), ago(21), ago(0)]
    assert infer_cadence(days, S) == 10
    # gaps 14, 15 -> median 14.5 -> rounded half up to 15
    assert infer_cadence([ago(29), ago(15), ago(0)], S) == 15


def test_infer_cadence_needs_three_and_clamps():
    assert infer_cadence([ago(10), ago(0)], S) is None
    assert infer_cadence([], S) is None
    # same day twice: gaps 0, 0 -> median 0 -> clamped up to 7
    assert infer_cadence([TODAY, TODAY, TODAY], S) == 7
    # gaps 800, 800 -> clamped down to 365
    assert infer_cadence([ago(1600), ago(800), TODAY], S) == 365


def test_infer_cadence_example():
    days = [date(2026, 1, 1), date(2026, 1, 11), date(2026, 1, 31), date(2026, 3, 2)]
    assert infer_cadence(days, S) == 20  # gaps 10, 20, 30 -> median 20
    # gaps 1 and 2 -> median 1.5 rounds half up to 2, clamped up to 7
    assert infer_cadence([date(2026, 1, 1), date(2026, 1, 2), date(2026, 1, 4)], S) == 7


def test_infer_cadence_uses_the_last_ten():
    # 5 yearly interactions long ago, then 10 weekly ones: only the weekly gaps count
    old = [ago(2000 + 365 * i) for i in range(5)]
    recent = [ago(7 * i) for i in range(10)]
    assert infer_cadence(old + recent, S) == 7


# --- reciprocity: one interaction's terms -----------------------------------------------------


def test_balance_terms_hand_computed():
    # t = 360 = two half-lives: 2**2 = 4; a gift (w 2) from them: (-8, 8)
    assert balance_terms(360, "them", "gift", None, S) == (-8.0, 8.0)
    assert balance_terms(0, "mutual", "call", None, S) == (0.0, 1.0)
    # a message (w 0.5) I sent 180 days after the epoch: 2**1 = 2 -> (1, 1)
    assert balance_terms(180, "me", "message", None, S) == (1.0, 1.0)
    assert balance_terms(0, "me", "call", 0.25, S) == (0.25, 0.25)  # the override wins


def _design_balance(items, today: date) -> float | None:
    """DESIGN §3 written out: sum(s*w*d) / sum(w*d), d = 0.5 ** (age_days / 180)."""
    sign = {"me": 1, "them": -1, "mutual": 0}
    num = den = 0.0
    for n, who, kind, override in items:
        age = (today - ago(n)).days
        w = override if override is not None else S.kind_weights[kind]
        num += sign[who] * w * 0.5 ** (age / 180)
        den += w * 0.5 ** (age / 180)
    return num / den if den > 0 else None


@FAST
@given(rows, st.integers(0, 3650))
def test_the_sums_of_the_terms_give_design_s_balance_on_any_later_day(items, offset):
    """The stored sums do not depend on the day asked: their ratio is DESIGN's balance on
    any day (the decay relative to that day is common to both sums)."""
    num = den = 0.0
    for n, who, kind, w in items:
        a, b = balance_terms((ago(n) - BALANCE_EPOCH).days, who, kind, w, S)
        num, den = num + a, den + b
    expected = _design_balance(items, TODAY + timedelta(days=offset))
    if expected is None:
        assert den == 0
    else:
        assert num / den == pytest.approx(expected, abs=1e-9)


def test_drift_windows():
    previous_start, recent_start, end = drift_windows(TODAY, S)
    assert end == date(2026, 11, 30)  # exclusive: today counts
    assert (end - recent_start).days == 180
    assert (recent_start - previous_start).days == 365
    assert drift_windows(TODAY, S) == (date(2025, 6, 3), date(2026, 6, 3), date(2026, 11, 30))


# --- health ---------------------------------------------------------------------------------


def _health(**overrides):
    args = {
        "days_since": 10,
        "cadence_days": 30,
        "balance": 0.0,
        "balance_label": "balanced",
        "recent_count": 6,
        "previous_count": 12,
        "mean_sentiment": 2.0,
        "settings": S,
    }
    args.update(overrides)
    return health(**args)


def test_health_perfect():
    # recency 1 (10 <= 30), reciprocity 1, trend min(1, (6/180*30)/(12/365*30)) = 1,
    # sentiment (2+2)/4 = 1 -> 100
    h = _health()
    assert h.score == 100
    assert [c.name for c in h.components] == ["recency", "reciprocity", "trend", "sentiment"]
    assert h.components[0].explanation == "last contact 10 days ago, cadence 30 days"


def test_health_hand_computed():
    # recency: 45 days, cadence 30 -> 1 - (45-30)/60 = 0.75
    # reciprocity: 1 - |-0.5| = 0.5
    # trend: recent 1/180*30 = 0.1667, previous 8/365*30 = 0.6575 -> 0.2535
    # sentiment: (0 + 2)/4 = 0.5
    # score = 100 * (0.4*0.75 + 0.2*0.5 + 0.2*0.2535 + 0.2*0.5) = 100 * 0.5507 = 55
    h = _health(
        days_since=45,
        balance=-0.5,
        balance_label="they_give_more",
        recent_count=1,
        previous_count=8,
        mean_sentiment=0,
    )
    values = {c.name: c.value for c in h.components}
    assert values["recency"] == pytest.approx(0.75)
    assert values["reciprocity"] == pytest.approx(0.5)
    assert values["trend"] == pytest.approx((1 / 180) / (8 / 365))
    assert values["sentiment"] == pytest.approx(0.5)
    assert h.score == 55
    assert h.components[0].explanation == "last contact 45 days ago, cadence 30 days"
    assert "they give more" in h.components[1].explanation


def test_health_example():
    h = _health(
        days_since=60,
        balance=0.5,
        balance_label="you_give_more",
        recent_count=2,
        previous_count=4,
        mean_sentiment=1.0,
    )
    parts = {c.name: c.value for c in h.components}
    # recency: 30 days past the cadence out of 2x30 -> 0.5; reciprocity 1-0.5 = 0.5
    # trend: (2/180) / (4/365) = 1.0139 -> capped at 1; sentiment (1+2)/4 = 0.75
    assert parts == pytest.approx(
        {"recency": 0.5, "reciprocity": 0.5, "trend": 1.0, "sentiment": 0.75}
    )
    # 100 * (0.4*0.5 + 0.2*0.5 + 0.2*1 + 0.2*0.75) = 65
    assert h.score == 65
    assert h.components[1].explanation == "balance +0.50 (you give more)"


def test_health_defaults_for_missing_data():
    # no interactions: recency 0, reciprocity 0.5, trend 0.5, sentiment 0.5
    # score = 100 * (0 + 0.1 + 0.1 + 0.1) = 30
    h = _health(
        days_since=None,
        balance=None,
        balance_label=None,
        recent_count=0,
        previous_count=0,
        mean_sentiment=None,
    )
    assert [c.value for c in h.components] == [0.0, 0.5, 0.5, 0.5]
    assert h.score == 30


def test_health_recency_without_cadence_and_at_three_cadences():
    # no cadence: 90 days assumed; 180 days -> 1 - 90/180 = 0.5
    h = _health(days_since=180, cadence_days=None)
    assert h.components[0].value == pytest.approx(0.5)
    assert "90 days assumed" in h.components[0].explanation
    assert _health(days_since=90, cadence_days=30).components[0].value == 0.0
    assert _health(days_since=500, cadence_days=30).components[0].value == 0.0


def test_health_recency_says_a_contact_logged_ahead_is_planned():
    (recency, *_) = _health(days_since=-13, cadence_days=30).components
    assert recency.value == 1.0
    assert recency.explanation == "a contact planned in 13 days, cadence 30 days"
    assert "-" not in recency.explanation
    assert _health(days_since=1).components[0].explanation.startswith("last contact 1 day ago")


def test_health_trend_without_earlier_interactions():
    assert _health(recent_count=2, previous_count=0).components[2].value == 1.0
    assert _health(recent_count=0, previous_count=0).components[2].value == 0.5


@FAST
@given(
    st.one_of(st.none(), st.integers(-5, 5000)),
    st.one_of(st.none(), st.integers(1, 400)),
    st.one_of(st.none(), st.floats(-1, 1)),
    st.integers(0, 500),
    st.integers(0, 500),
    st.one_of(st.none(), st.floats(-2, 2)),
    st.tuples(*[st.floats(0, 5)] * 4).filter(lambda w: sum(w) > 0.01),
)
def test_health_score_bounds_and_weights(days, cadence, bal, recent, previous, mood, weights):
    custom = SchedulerSettings(
        health_recency=weights[0],
        health_reciprocity=weights[1],
        health_trend=weights[2],
        health_sentiment=weights[3],
    )
    h = health(
        days_since=days,
        cadence_days=cadence,
        balance=bal,
        balance_label=None if bal is None else "balanced",
        recent_count=recent,
        previous_count=previous,
        mean_sentiment=mood,
        settings=custom,
    )
    assert 0 <= h.score <= 100
    assert sum(c.weight for c in h.components) == pytest.approx(1.0)
    assert all(0.0 <= c.value <= 1.0 and c.explanation for c in h.components)


# --- upcoming -------------------------------------------------------------------------------


def test_upcoming_hand_computed():
    dates = [
        DatedItem("birthday", "1815-12-10", 1, "Ada Lovelace"),
        DatedItem("anniversary", "--12-05", 1, "Ada Lovelace", "Wedding", 7),
        DatedItem("birthday", "--12-01", 2, "Charles Babbage"),
        DatedItem("birthday", "1912-06-23", 3, "Alan Turing"),  # outside the window
        DatedItem("custom", "--11-29", 3, "Alan Turing"),
        DatedItem("birthday", "garbage", 4, "Broken"),  # skipped
    ]
    reminders = [
        ReminderItem(1, "send the article", date(2026, 12, 4), 1, "Ada Lovelace"),
        ReminderItem(2, "renew passport", date(2026, 11, 20)),  # overdue: included
        ReminderItem(3, "far away", date(2027, 1, 1)),
    ]
    got = upcoming(today=TODAY, days=14, dates=dates, reminders=reminders)
    assert [(u.date.isoformat(), u.kind, u.title, u.days_until, u.turns) for u in got] == [
        ("2026-11-20", "reminder", "renew passport", -9, None),
        ("2026-11-29", "custom", "Alan Turing's date", 0, None),
        ("2026-12-01", "birthday", "Charles Babbage's birthday", 2, None),
        ("2026-12-04", "reminder", "send the article", 5, None),
        ("2026-12-05", "anniversary", "Ada Lovelace: Wedding", 6, None),
        # 2026 - 1815 = 211
        ("2026-12-10", "birthday", "Ada Lovelace's birthday", 11, 211),
    ]
    assert got[4].lead_days == 7


def test_upcoming_leap_day_and_anniversary_years():
    dates = [
        DatedItem("birthday", "2000-02-29", 1, "Lee Leap"),
        DatedItem("anniversary", "2016-03-01", 2, "Ann"),
    ]
    got = upcoming(today=date(2027, 2, 20), days=14, dates=dates, reminders=[])
    # 2027 is not a leap year: 28 February; 2027 - 2000 = 27; 2027 - 2016 = 11 years
    assert [(u.date, u.turns, u.title) for u in got] == [
        (date(2027, 2, 28), 27, "Lee Leap's birthday"),
        (date(2027, 3, 1), 11, "Ann's anniversary"),
    ]
    leap = upcoming(today=date(2028, 2, 20), days=14, dates=dates[:1], reminders=[])
    assert leap[0].date == date(2028, 2, 29) and leap[0].turns == 28


def test_upcoming_same_day_sort_and_window_edges():
    dates = [
        DatedItem("anniversary", "--12-13", 1, "Bea"),
        DatedItem("birthday", "--12-13", 2, "Zoe"),
        DatedItem("birthday", "--12-13", 3, "Amy"),
    ]
    got = upcoming(today=TODAY, days=14, dates=dates, reminders=[])  # 12-13 is day 14
    assert [(u.kind, u.contact_name) for u in got] == [
        ("birthday", "Amy"),
        ("birthday", "Zoe"),
        ("anniversary", "Bea"),
    ]
    assert upcoming(today=TODAY, days=13, dates=dates, reminders=[]) == []
    with pytest.raises(ValueError):
        upcoming(today=TODAY, days=-1, dates=[], reminders=[])


def test_upcoming_reads_only_the_window_s_month_days():
    """services.schedule._month_days: the pre-filter of the dates `upcoming` reads."""
    from lrm_cli.services.schedule import _month_days

    assert _month_days(date(2026, 12, 30), 3) == ["01-01", "01-02", "12-30", "12-31"]
    assert "02-29" in _month_days(date(2027, 2, 20), 8)  # 28 February 2027 is in it
    assert _month_days(date(2026, 1, 1), 400) is None


month_days = st.tuples(st.integers(1, 12), st.integers(1, 31)).filter(
    lambda md: md[1] <= calendar.monthrange(2000, md[0])[1]
)


leads = st.one_of(st.none(), st.integers(0, 400))  # past MAX_LEAD_DAYS too


@FAST
@given(any_day, st.integers(0, 800), st.lists(st.tuples(month_days, leads), max_size=10))
@example(date(2000, 2, 27), 0, [((3, 1), 368)])  # once, not again a year on (hypothesis)
def test_upcoming_items_lie_in_the_window_or_their_own_lead(today, days, dated):
    """Each yearly date is listed at every occurrence up to the window's end, or up to its
    own reminder lead when that is longer (`date add --remind 30d` with a 14-day digest);
    a lead beyond a year (older data) counts as a year."""
    items = [
        DatedItem("birthday", f"--{m:02d}-{d:02d}", i, f"P{i}", lead_days=lead)
        for i, ((m, d), lead) in enumerate(dated)
    ]
    for u in upcoming(today=today, days=days, dates=items, reminders=[]):
        (month, day), lead = dated[u.contact_id]
        assert 0 <= u.days_until <= max(days, min(lead or 0, MAX_LEAD_DAYS))
        assert u.date == today + timedelta(days=u.days_until)
        if (month, day) == (2, 29) and not calendar.isleap(u.date.year):
            assert (u.date.month, u.date.day) == (2, 28)
        else:
            assert (u.date.month, u.date.day) == (month, day)
    # and nothing within the reach is missed
    expected = 0
    for (month, day), lead in dated:
        hits = [
            today + timedelta(days=k)
            for k in range(max(days, min(lead or 0, MAX_LEAD_DAYS)) + 1)
            if ((today + timedelta(days=k)).month, (today + timedelta(days=k)).day)
            == (
                (2, 28)
                if (month, day) == (2, 29) and not calendar.isleap((today + timedelta(days=k)).year)
                else (month, day)
            )
        ]
        expected += len(hits)  # every occurrence: a window over a year holds some twice
    assert len(upcoming(today=today, days=days, dates=items, reminders=[])) == expected


# --- recurrence -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("3m", "FREQ=MONTHLY;INTERVAL=3"),
        ("2w", "FREQ=WEEKLY;INTERVAL=2"),
        ("10d", "FREQ=DAILY;INTERVAL=10"),
        ("1y", "FREQ=YEARLY;INTERVAL=1"),
        ("2 weeks", "FREQ=WEEKLY;INTERVAL=2"),
        ("6 Months", "FREQ=MONTHLY;INTERVAL=6"),
        ("45", "FREQ=DAILY;INTERVAL=45"),
        ("1 yr", "FREQ=YEARLY;INTERVAL=1"),
    ],
)
def test_parse_every(text, rule):
    assert parse_every(text) == rule


@pytest.mark.parametrize("text", ["", "soon", "0d", "-2w", "3x", "w", "1000y", "2.5m"])
def test_parse_every_rejects_garbage(text):
    with pytest.raises(InvalidInput, match="--every"):  # the CLI shows this one line
        parse_every(text)


def test_next_due_hand_computed():
    monthly = "FREQ=MONTHLY;INTERVAL=1"
    # 31 January + 1 month = 28 February (2026 is not a leap year), then 31 March
    assert next_due(date(2026, 1, 31), monthly, date(2026, 1, 31)) == date(2026, 2, 28)
    assert next_due(date(2026, 1, 31), monthly, date(2026, 2, 28)) == date(2026, 3, 31)
    assert next_due(date(2028, 1, 31), monthly, date(2028, 1, 31)) == date(2028, 2, 29)
    # every 2 weeks from 2026-11-01, done late on 11-20: 11-15 <= 11-20 < 11-29
    assert next_due(date(2026, 11, 1), "FREQ=WEEKLY;INTERVAL=2", date(2026, 11, 20)) == date(
        2026, 11, 29
    )
    # daily, after exactly on an occurrence: the next one
    assert next_due(date(2026, 11, 1), "FREQ=DAILY;INTERVAL=10", date(2026, 11, 21)) == date(
        2026, 12, 1
    )
    # 29 February yearly: 28 February in other years, back to the 29th in 2028
    yearly = "RRULE:FREQ=YEARLY"
    assert next_due(date(2024, 2, 29), yearly, date(2024, 3, 1)) == date(2025, 2, 28)
    assert next_due(date(2024, 2, 29), yearly, date(2027, 3, 1)) == date(2028, 2, 29)
    # an `after` before due_on still moves past due_on
    assert next_due(date(2026, 12, 1), monthly, date(2026, 1, 1)) == date(2027, 1, 1)


@pytest.mark.parametrize(
    "rule", ["FREQ=HOURLY", "FREQ=MONTHLY;COUNT=3", "FREQ=DAILY;INTERVAL=0", "nonsense", ""]
)
def test_next_due_rejects_unsupported_rules(rule):
    with pytest.raises(InvalidInput):
        next_due(TODAY, rule, TODAY)


@FAST
@given(
    any_day,
    st.sampled_from(["DAILY", "WEEKLY", "MONTHLY", "YEARLY"]),
    st.integers(1, 24),
    st.integers(-400, 4000),
)
def test_next_due_is_after_and_on_the_anchor_day(start, freq, interval, offset):
    after = start + timedelta(days=offset)
    got = next_due(start, f"FREQ={freq};INTERVAL={interval}", after)
    assert got > after and got > start
    if freq in ("MONTHLY", "YEARLY"):
        last = calendar.monthrange(got.year, got.month)[1]
        assert got.day == start.day or (got.day == last and start.day > last)
        months = (got.year - start.year) * 12 + got.month - start.month
        assert months % (interval * (12 if freq == "YEARLY" else 1)) == 0
    else:
        step = interval * (7 if freq == "WEEKLY" else 1)
        assert (got - start).days % step == 0
        assert got - timedelta(days=step) <= max(after, start)  # the first such occurrence


# --- properties of cadence inference -----------------------------------------------------------


@FAST
@given(st.lists(any_day, max_size=25), st.integers(1, 60), st.integers(0, 400))
def test_inferred_cadence_stays_within_its_clamp(days, low, span):
    custom = SchedulerSettings(inferred_min_days=low, inferred_max_days=low + span)
    got = infer_cadence(days, custom)
    if len(days) < 3:
        assert got is None
    else:
        assert low <= got <= low + span


@pytest.mark.parametrize("half_life", [1, 7, 10])
def test_a_half_life_too_short_to_weigh_todays_interactions_is_refused_by_name(
    lrm, isolated, half_life
):
    """2**(days since 2000 / 7) overflows a float: before, every command that weighs
    interactions (log, due, digest, balance) failed with 'a number ... is out of range'."""
    from lrm_cli.settings import shortest_half_life

    assert shortest_half_life(date(2026, 12, 6)) == 11
    lrm("add", "Ada Lovelace")
    (isolated / "config.toml").write_text(f"[scheduler]\nhalf_life_days = {half_life}\n")
    for argv in (["due"], ["log", "Ada", "--kind", "call"], ["digest"]):
        result = lrm(*argv)
        assert result.exit_code == 7, (argv, result.stderr)
        assert f"half_life_days must be at least {shortest_half_life(date.today())}" in (
            result.stderr
        )
        assert result.stderr.count("\n") == 1


def test_the_shortest_half_life_weighs_a_year_ahead_without_overflow():
    from lrm_cli.scheduler import balance_terms
    from lrm_cli.settings import BALANCE_EPOCH, shortest_half_life

    today = date(2026, 12, 6)
    settings = SchedulerSettings(half_life_days=shortest_half_life(today))
    ahead = (today - BALANCE_EPOCH).days + 366
    terms = [balance_terms(ahead, "me", "gift", 1000.0, settings)] * 10**6
    assert math.isfinite(sum(t[1] for t in terms))
