"""Issue 12: `digest --date` in the past weighs the reciprocity balance as of that date:
the interactions after it do not count, and each one's decay is relative to that day (the
maintained sums' fixed epoch makes the second automatic). Checked against DESIGN §3's
formula written out naively below (sum(s*w*d) / sum(w*d) over the interactions up to the
day, d = 0.5 ** (age_days / 180))."""

from __future__ import annotations

import math
from datetime import date

import pytest

HISTORY = [  # (day, initiator, kind) of Ada's interactions
    ("2025-01-10", "me", "call"),
    ("2025-02-10", "me", "call"),
    ("2025-03-10", "me", "gift"),
    ("2026-11-01", "them", "call"),
    ("2026-11-10", "them", "gift"),
    ("2026-11-20", "them", "meal"),
]


@pytest.fixture
def ada(lrm):
    assert lrm("add", "Ada Lovelace").exit_code == 0
    for day, initiator, kind in HISTORY:
        done = lrm("log", "ada", "--when", day, "--initiator", initiator, "--kind", kind)
        assert done.exit_code == 0, done.stderr
    return lrm


SIGN = {"me": 1, "them": -1, "mutual": 0}
WEIGHT = {"gift": 2.0, "call": 1.0, "meal": 1.0}  # DESIGN §3's kind weights


def _expected(day: str) -> float | None:
    """The balance on ``day`` to 3 decimals, half up (None without interactions)."""
    as_of = date.fromisoformat(day)
    num = den = 0.0
    for d, initiator, kind in HISTORY:
        age = (as_of - date.fromisoformat(d)).days
        if age >= 0:
            decay = 0.5 ** (age / 180)
            num += SIGN[initiator] * WEIGHT[kind] * decay
            den += WEIGHT[kind] * decay
    return math.floor(num / den * 1000 + 0.5) / 1000 if den else None


def _one_sided(lrm, *date_args: str) -> list[dict]:
    result = lrm("digest", "--json", *date_args)
    assert result.exit_code == 0, result.stderr
    return result.json()["one_sided"]


def test_an_earlier_date_gives_that_days_balance(ada):
    (today,) = _one_sided(ada)
    assert today["label"] == "they_give_more"
    assert today["balance"] == _expected("2026-11-29")

    (before,) = _one_sided(ada, "--date", "2025-06-01")  # before they started calling
    assert before["label"] == "you_give_more"
    assert before["balance"] == _expected("2025-06-01") == 1.0
    assert (before["initiated_by_me"], before["initiated_by_them"]) == (3, 0)

    text = ada("digest", "--date", "2025-06-01").stdout
    assert "Ada Lovelace: you reach out more (balance +1.00; last year 3 by you, 0 by them" in text
    assert "they reach out more" in ada("digest").stdout


@pytest.mark.parametrize("day", ["2025-03-10", "2025-12-31", "2026-11-05", "2026-11-15"])
def test_the_balance_on_any_day_is_the_formula_over_what_had_happened(ada, day):
    shown = _one_sided(ada, "--date", day)
    expected = _expected(day)
    if expected is None or abs(expected) < 0.2:
        assert shown == []
    else:
        assert [item["balance"] for item in shown] == [expected]


def test_too_few_interactions_by_that_day_is_not_one_sided(ada):
    assert _one_sided(ada, "--date", "2025-02-20") == []  # 2 interactions, fewer than 3


def test_a_pinned_day_is_that_day_in_the_zone():
    from zoneinfo import ZoneInfo

    from lrm_cli.clock import Clock

    clock = Clock.pinned(date(2026, 3, 29), ZoneInfo("Europe/London"))  # the clocks go forward
    assert clock.today == date(2026, 3, 29)


def test_the_date_does_not_stick(ada):
    _one_sided(ada, "--date", "2025-06-01")
    (today,) = _one_sided(ada)
    assert today["balance"] == _expected("2026-11-29")
    assert ada("balance", "ada", "--json").json()[0]["balance"] == _expected("2026-11-29")
