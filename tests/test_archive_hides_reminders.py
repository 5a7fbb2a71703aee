"""An archived contact's reminders are hidden with it, as `archive --help` says and as its
birthday is: from `reminders`, `upcoming`, the digest and the exported calendar (was:
their birthdays went, their reminders stayed). `show` and `reminders --all` still list
them, `lrm unarchive` brings them back, and both `archive` and `remind` say so."""

from __future__ import annotations

from conftest import ok

TODAY = ["--today", "2026-12-07"]


def _book(lrm) -> None:
    ok(lrm("add", "Ann Lee"))
    ok(lrm("add", "Bob Stone"))
    ok(lrm(*TODAY, "remind", "ann", "Return the book", "--on", "2026-12-09"))
    ok(lrm(*TODAY, "remind", "bob", "Ask about the move", "--on", "2026-12-10"))
    ok(lrm(*TODAY, "remind", "-", "Pay rent", "--on", "2026-12-11"))


def _titles(items) -> list[str]:
    return [i["title"] for i in items]


def _everywhere(lrm) -> dict[str, list[str]]:
    digest = ok(lrm(*TODAY, "digest", "--json")).json()
    ics = ok(lrm(*TODAY, "export", "ics")).stdout
    return {
        "reminders": _titles(ok(lrm(*TODAY, "reminders", "--json")).json()),
        "upcoming": _titles(ok(lrm(*TODAY, "upcoming", "--json")).json()),
        "digest": _titles(digest["reminders"]),
        "calendar": sorted(
            t for t in ("Return the book", "Ask about the move", "Pay rent") if t in ics
        ),
    }


def test_archiving_hides_the_reminders_everywhere_and_unarchive_brings_them_back(lrm):
    _book(lrm)
    before = _everywhere(lrm)
    assert before["reminders"] == ["Return the book", "Ask about the move", "Pay rent"]
    assert before["calendar"] == ["Ask about the move", "Pay rent", "Return the book"]
    archived = ok(lrm(*TODAY, "archive", "bob"))
    assert "1 open reminder hidden" in archived.stderr and "lrm unarchive" in archived.stderr
    hidden = _everywhere(lrm)
    for where, titles in hidden.items():
        assert "Ask about the move" not in titles, where
        assert "Return the book" in titles and "Pay rent" in titles, where
    digest = ok(lrm(*TODAY, "digest", "--json")).json()
    assert digest["totals"]["reminders"] == 2
    ok(lrm(*TODAY, "unarchive", "bob"))
    assert _everywhere(lrm) == before


def test_show_and_reminders_all_still_list_them(lrm):
    _book(lrm)
    ok(lrm(*TODAY, "archive", "bob"))
    shown = ok(lrm(*TODAY, "show", "bob", "--json")).json()["reminders"]
    assert _titles(shown) == ["Ask about the move"]
    every = _titles(ok(lrm(*TODAY, "reminders", "--all", "--json")).json())
    assert "Ask about the move" in every
    done = ok(lrm(*TODAY, "done", str(shown[0]["id"])))  # its id still works
    assert "done" in done.stdout


def test_a_reminder_about_an_archived_contact_says_it_is_hidden(lrm):
    _book(lrm)
    ok(lrm(*TODAY, "archive", "bob"))
    added = ok(lrm(*TODAY, "remind", "bob", "Send the photos", "--on", "2026-12-12"))
    assert "Bob Stone is archived: 2 open reminders hidden" in added.stderr
    plain = ok(lrm(*TODAY, "remind", "ann", "Call", "--on", "2026-12-12"))
    assert "archived" not in plain.stderr


def test_archiving_without_reminders_says_nothing_more(lrm):
    ok(lrm("add", "Cy Dunn"))
    assert "reminder" not in ok(lrm(*TODAY, "archive", "cy")).stderr
