"""A new user's first mornings: contacts without a cadence are never due, and an empty
"Reach out" (the digest) or `lrm due` at a terminal says so and how to set one, instead
of a bare "nobody is due" that reads as "all is well"."""

from __future__ import annotations

import os
import pty
import subprocess

from conftest import ok, read_to_the_end

from lrm_cli.words import nobody_due


def test_the_digest_says_who_is_not_tracked_and_how_to_track_them(lrm):
    ok(lrm("add", "Maya Chen", "--tag", "friend"))
    ok(lrm("add", "Tom Okafor"))
    ok(lrm("add", "Archived One"))
    ok(lrm("archive", "Archived One"))
    ok(lrm("add", "Snoozed One"))
    ok(lrm("snooze", "Snoozed One", "--until", "2099-01-01"))
    page = ok(lrm("digest", "--format", "text")).stdout
    assert (
        "Reach out:\n  - nobody is due; 2 contacts (Maya Chen, Tom Okafor) have no cadence, so"
        " due does not track them (set one: lrm cadence NAME 30d, or lrm tag cadence TAG 30d)\n"
        in page
    )
    data = ok(lrm("digest", "--json")).json()
    assert data["totals"]["untracked"] == 2
    assert data["untracked_names"] == ["Maya Chen", "Tom Okafor"]
    # a tag's cadence tracks Maya; Tom alone is left, in the singular
    ok(lrm("tag", "cadence", "friend", "30d"))
    data = ok(lrm("digest", "--json")).json()
    assert data["due"] == [] and data["totals"]["untracked"] == 1
    page = ok(lrm("digest", "--format", "markdown")).stdout
    assert (
        "- nobody is due; 1 contact (Tom Okafor) has no cadence, so due does not track it" in page
    )


def test_with_someone_due_the_count_is_not_taken(lrm):
    ok(lrm("add", "Ada", "--cadence", "7d"))
    ok(lrm("log", "ada", "--when", "2026-10-01"))
    ok(lrm("add", "Untracked"))
    data = ok(lrm("digest", "--json")).json()
    assert [d["name"] for d in data["due"]] == ["Ada"]
    assert data["totals"]["untracked"] is None  # counted only when nobody is due
    assert data["untracked_names"] is None


def test_everyone_tracked_and_nobody_due_is_the_plain_line(lrm):
    ok(lrm("add", "Fresh Contact", "--cadence", "30d"))
    page = ok(lrm("digest", "--format", "text")).stdout
    assert "Reach out:\n  - nobody is due\n" in page
    assert ok(lrm("digest", "--json")).json()["totals"]["untracked"] == 0


def test_the_words_agree_in_number():
    assert nobody_due(0) == "nobody is due"
    assert "1 contact has no cadence, so due does not track it " in nobody_due(1)
    assert "3 contacts have no cadence, so due does not track them " in nobody_due(3)


def _due_at_a_terminal(exe: str, *args: str) -> str:
    main, secondary = pty.openpty()
    env = {**os.environ, "NO_COLOR": "1"}
    proc = subprocess.Popen(
        [exe, "due", *args], stdout=secondary, stderr=secondary, env=env,
        stdin=subprocess.DEVNULL,
    )  # fmt: skip
    os.close(secondary)
    screen = read_to_the_end(main)
    assert proc.wait(timeout=60) == 0
    return screen.decode()


def test_lrm_due_at_a_terminal_says_why_nobody_is_due(lrm, lrm_exe):
    ok(lrm("add", "Tom Okafor"))
    said = _due_at_a_terminal(lrm_exe)
    assert "1 contact (Tom Okafor) has no cadence, so due does not track it" in said
    # a filtered list says only that nobody matching it is due
    filtered = _due_at_a_terminal(lrm_exe, "--tag", "friend")
    assert "nobody is due" in filtered and "cadence" not in filtered


def test_past_the_first_three_the_rest_are_counted():
    names = ["Ann", "Bea", "Cy"]
    assert nobody_due(5, names).startswith(
        "nobody is due; 5 contacts (Ann, Bea, Cy and 2 more) have"
    )


def test_a_contact_due_today_has_urgency_zero_not_minus_zero(lrm):
    """Added today, never contacted: urgency 0, printed "0.00" (was "-0.00", -0.0)."""
    import math

    ok(lrm("add", "Ann Lee", "--cadence", "30d"))
    shown = ok(lrm("show", "ann", "--json")).json()
    urgency = shown["due"]["urgency"]
    assert urgency == 0 and math.copysign(1, urgency) == 1
    assert '"urgency": -0.0' not in ok(lrm("show", "ann", "--json")).stdout
    table = ok(lrm("due", "--within", "60d")).stdout
    assert "0.00" in table and "-0.00" not in table
