"""A digest section cut at its limit says that it left some out and where the rest are; a
snoozed contact is left out of the nudges; a reminder line says when."""

from __future__ import annotations

import os
from pathlib import Path

from conftest import ok

TODAY = ("--today", "2026-11-29")
TALKERS = ["Bea Ames", "Cal Byrd", "Dot Cole", "Eli Dunn"]


def _they_always_write(lrm, name: str) -> None:
    ok(lrm(*TODAY, "add", name))
    for when in ("2026-11-20", "2026-09-01", "2026-06-01", "2026-03-01"):
        ok(lrm(*TODAY, "log", name, "--kind", "message", "--initiator", "them", "--when", when))


def _limits(**limits: int) -> None:
    lines = "".join(f"{k} = {v}\n" for k, v in limits.items())
    Path(os.environ["LRM_CONFIG"]).write_text("[digest]\n" + lines)


def test_one_sided_cut_at_its_limit_counts_the_rest_and_names_lrm_balance(lrm):
    for name in TALKERS:
        _they_always_write(lrm, name)
    unbalanced = [b for b in lrm(*TODAY, "balance", "--json").json() if b["label"] != "balanced"]
    assert len(unbalanced) == 4
    _limits(one_sided_limit=3)
    data = lrm(*TODAY, "digest", "--json").json()
    assert len(data["one_sided"]) == 3 and data["totals"]["one_sided_more"] is True
    page = ok(lrm(*TODAY, "digest", "--format", "text")).stdout
    assert "  - ... and more: lrm balance\n" in page  # (not counted: a pass over everyone)
    _limits(one_sided_limit=4)
    data = lrm(*TODAY, "digest", "--json").json()
    assert len(data["one_sided"]) == 4 and data["totals"]["one_sided_more"] is False
    page = ok(lrm(*TODAY, "digest", "--format", "text")).stdout
    assert "more: lrm balance" not in page


def test_a_snoozed_contact_is_not_nudged_as_one_sided_until_the_snooze_ends(lrm):
    for name in TALKERS[:2]:
        _they_always_write(lrm, name)
    ok(lrm(*TODAY, "snooze", "bea", "--until", "2026-12-05"))
    data = lrm(*TODAY, "digest", "--json").json()
    assert [b["name"] for b in data["one_sided"]] == ["Cal Byrd"]
    assert "Bea Ames" in {b["name"] for b in lrm(*TODAY, "balance", "--json").json()}
    woken = lrm("--today", "2026-12-05", "digest", "--json").json()
    assert "Bea Ames" in [b["name"] for b in woken["one_sided"]]


def _fading(lrm, name: str) -> None:
    """Monthly for the year before the last quarter, then silence: drifting."""
    ok(lrm(*TODAY, "add", name))
    for month in range(1, 10):
        when = f"2025-{month + 2:02d}-15"
        ok(lrm(*TODAY, "log", name, "--kind", "call", "--initiator", "me", "--when", when))


def test_drifting_cut_at_its_limit_names_lrm_drift_and_skips_the_snoozed(lrm):
    for name in TALKERS[:3]:
        _fading(lrm, name)
    drifting = lrm(*TODAY, "drift", "--json").json()
    assert len(drifting) == 3
    _limits(drift_limit=1)
    data = lrm(*TODAY, "digest", "--json").json()
    assert data["totals"]["drifting"] == 3
    assert "  - ... and 2 more: lrm drift\n" in ok(lrm(*TODAY, "digest", "-f", "text")).stdout
    ok(lrm(*TODAY, "snooze", drifting[0]["name"], "--until", "2026-12-05"))
    data = lrm(*TODAY, "digest", "--json").json()
    assert data["totals"]["drifting"] == 2
    assert drifting[0]["name"] not in [d["name"] for d in data["drifting"]]
    assert len(lrm(*TODAY, "drift", "--json").json()) == 3


def test_a_reminder_line_says_when_it_falls(lrm):
    ok(lrm(*TODAY, "remind", "-", "Pay rent", "--on", "2026-11-27"))
    ok(lrm(*TODAY, "remind", "-", "Call the plumber", "--on", "2026-11-29"))
    ok(lrm(*TODAY, "remind", "-", "Water the plants", "--on", "2026-11-30"))
    ok(lrm(*TODAY, "remind", "-", "Book the cabin", "--on", "2026-12-03"))
    page = ok(lrm(*TODAY, "digest", "--format", "text")).stdout
    assert "  - #1 2026-11-27: Pay rent, 2 days overdue\n" in page
    assert "  - #2 2026-11-29: Call the plumber, today\n" in page
    assert "  - #3 2026-11-30: Water the plants, tomorrow\n" in page
    assert "  - #4 2026-12-03: Book the cabin, in 4 days\n" in page


def test_markdown_escapes_what_would_format_but_not_a_reminders_number(lrm):
    ok(lrm(*TODAY, "add", "# Ada *the* Countess", "--cadence", "7d"))
    ok(lrm(*TODAY, "log", "1", "--kind", "call", "--when", "2026-11-01"))
    ok(lrm(*TODAY, "remind", "-", "Pay rent", "--on", "2026-11-30"))
    page = ok(lrm(*TODAY, "digest", "--format", "markdown")).stdout
    assert "- \\# Ada \\*the\\* Countess: " in page  # no heading, no emphasis
    assert "- #1 2026-11-30: Pay rent, tomorrow\n" in page
