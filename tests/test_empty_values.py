"""An option given an empty value is a slip (a script's unset ``"$WHEN"``), refused with a
line naming the option: never read as "not given", which would log now, remind today,
digest today or list everything, and so quietly do the wrong thing."""

from __future__ import annotations

import pytest
from conftest import ok

TODAY = ["--today", "2026-12-03"]


@pytest.fixture
def ann(lrm):
    ok(lrm("add", "Ann Lee", "--cadence", "30d"))
    ok(lrm(*TODAY, "log", "ann", "--when", "2026-11-01", "-s", "Tea"))
    return lrm


@pytest.mark.parametrize(
    "argv, option",
    [
        (["log", "ann", "--when", ""], "--when"),
        (["log", "ann", "--when", "  ", "-s", "Lunch"], "--when"),
        (["interaction", "edit", "1", "--when", ""], "--when"),
        (["remind", "ann", "Call back", "--on", ""], "--on"),
        (["snooze", "ann", "--until", ""], "--until"),
        (["due", "--within", ""], "--within"),
        (["digest", "--date", ""], "--date"),
        (["timeline", "ann", "--since", ""], "--since"),
        (["timeline", "ann", "--until", ""], "--until"),
    ],
)
def test_an_empty_value_is_refused_naming_the_option_and_writes_nothing(ann, argv, option):
    before = ok(ann(*TODAY, "show", "ann", "--json")).json()
    result = ann(*TODAY, *argv)
    assert result.exit_code == 5, result.stdout
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("lrm: error: ") and option in line
    assert result.stdout == ""
    assert ok(ann(*TODAY, "show", "ann", "--json")).json() == before


def test_the_interaction_keeps_its_day_after_an_empty_when(ann):
    assert ann(*TODAY, "interaction", "edit", "1", "--when", "").exit_code == 5
    (item,) = ok(ann(*TODAY, "timeline", "ann", "--json")).json()
    assert item["occurred_at"].startswith("2026-11-01")
