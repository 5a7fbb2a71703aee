"""An empty "Coming up" or "Reminders" in the digest says how far it looked, and a
reminder set for after that is not reported as "no open reminders": the page says how
many are open later and where to see them (totals.reminders in JSON)."""

from __future__ import annotations

import pytest
from conftest import ok


@pytest.fixture
def maya(lrm):
    ok(lrm("add", "Maya Chen", "--cadence", "30d"))
    return lrm


def test_a_reminder_after_the_look_ahead_is_counted_not_denied(maya):
    ok(maya("remind", "Maya", "ask about the move", "--on", "2027-01-20"))
    ok(maya("remind", "-", "renew the passport", "--on", "2027-03-01"))
    page = ok(maya("digest", "--format", "text")).stdout
    assert (
        "Reminders:\n  - no reminders in the next 14 days; 2 open reminders later "
        "(lrm reminders)\n" in page
    )
    data = ok(maya("digest", "--json")).json()
    assert data["reminders"] == [] and data["totals"]["reminders"] == 2
    assert data["upcoming_days"] == 14
    # a look-ahead that reaches one lists it, and says nothing of the later one (the
    # count is for an empty section only: no line of noise every morning)
    wide = ok(maya("digest", "--days", "60", "--format", "text")).stdout
    assert "Reminders:\n  - #1 2027-01-20: ask about the move (Maya Chen), in 52 days\n" in wide
    assert "later" not in wide


def test_with_no_reminder_at_all_the_line_says_only_the_look_ahead(maya):
    page = ok(maya("digest", "--days", "7", "--format", "markdown")).stdout
    assert "## Reminders\n\n- no reminders in the next 7 days\n" in page
    assert (
        "## Coming up\n\n- no birthdays, anniversaries, dates or plans in the next 7 days\n" in page
    )


def test_a_done_reminder_is_not_open_later(maya):
    ok(maya("remind", "Maya", "ask about the move", "--on", "2027-01-20"))
    ok(maya("done", "1"))
    assert ok(maya("digest", "--json")).json()["totals"]["reminders"] == 0
    page = ok(maya("digest", "--days", "0", "--format", "text")).stdout
    assert "Reminders:\n  - no reminders today\n" in page
    assert "Coming up:\n  - no birthdays, anniversaries, dates or plans today\n" in page
