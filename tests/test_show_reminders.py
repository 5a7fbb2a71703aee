"""`lrm show` lists the contact's open reminders (was: only `lrm reminders` did), so what
is owed to someone is on the page you read before calling them."""

from __future__ import annotations

from conftest import ok

TODAY = ["--today", "2026-12-07"]


def _book(lrm) -> None:
    ok(lrm("add", "Ann Lee"))
    ok(lrm("add", "Bob Stone"))
    ok(lrm(*TODAY, "remind", "ann", "Ask about the move", "--on", "2026-12-20"))
    ok(lrm(*TODAY, "remind", "ann", "Return the book", "--on", "2026-12-01"))
    ok(lrm(*TODAY, "remind", "ann", "Send the photos", "--on", "2026-12-02"))
    ok(lrm(*TODAY, "remind", "bob", "Bob's thing", "--on", "2026-12-09"))
    ok(lrm(*TODAY, "remind", "-", "Pay rent", "--on", "2026-12-10"))
    ok(lrm(*TODAY, "done", "3"))


def test_show_json_carries_the_open_reminders_as_reminders_does(lrm):
    _book(lrm)
    shown = ok(lrm(*TODAY, "show", "ann", "--json")).json()["reminders"]
    listed = ok(lrm(*TODAY, "reminders", "--json")).json()
    assert shown == [r for r in listed if r["contact"] and r["contact"]["name"] == "Ann Lee"]
    assert [r["title"] for r in shown] == ["Return the book", "Ask about the move"]
    assert shown[0]["overdue_days"] == 6


def test_show_prints_them_soonest_first_with_their_ids(lrm):
    _book(lrm)
    out = ok(lrm(*TODAY, "show", "ann")).stdout
    section = out[out.index("Reminders") :]
    lines = [line.strip() for line in section.splitlines()[1:3]]
    assert lines == [
        "#2 2026-12-01: Return the book, 6 days overdue",
        "#1 2026-12-20: Ask about the move, in 13 days",
    ]
    assert "Send the photos" not in out and "Pay rent" not in out and "Bob's" not in out


def test_no_reminders_no_section(lrm):
    ok(lrm("add", "Ann Lee"))
    assert "Reminders" not in ok(lrm(*TODAY, "show", "ann")).stdout
    assert ok(lrm(*TODAY, "show", "ann", "--json")).json()["reminders"] == []


def test_a_repeating_reminder_says_how_often_in_show_and_the_digest(lrm):
    """Marking it done moves it on rather than ending it: the line says so, in the words
    `lrm reminders` uses for it."""
    ok(lrm("add", "Ann Lee"))
    ok(lrm(*TODAY, "remind", "ann", "Call mum", "--on", "2026-12-05", "--every", "2w"))
    ok(lrm(*TODAY, "remind", "ann", "Return the book", "--on", "2026-12-09"))
    listed = ok(lrm(*TODAY, "reminders")).stdout
    assert "every 2 weeks" in listed
    show = ok(lrm(*TODAY, "show", "ann")).stdout
    assert "#1 2026-12-05: Call mum, every 2 weeks, 2 days overdue" in show
    assert "#2 2026-12-09: Return the book, in 2 days\n" in show
    digest = ok(lrm(*TODAY, "digest")).stdout
    assert "#1 2026-12-05: Call mum (Ann Lee), every 2 weeks, 2 days overdue" in digest
