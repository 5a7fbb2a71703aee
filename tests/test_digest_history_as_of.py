"""`digest --date` in the past is the page that day would have shown: the interactions
after the end of that day count nowhere (not as the last interaction, the last topic, the
due date, the inferred cadence, the balances, losing touch), as if not yet logged, and the
reminders created after it do not show (they did not exist yet). Today's page and a later
day's are as before. Worked out by hand, and checked against a database in which the later
interactions were never logged; today is 2026-11-29 (conftest)."""

from __future__ import annotations

from pathlib import Path

import pytest

PAST = "2026-10-01"
ADDED = "2026-01-05"

# (who, when, summary), all calls I made. Ada: every 30 days. Cy, without a cadence: every
# 10 days until PAST (inferred 10), every 2 days since (inferred 7, the smallest allowed).
# Bob, without a cadence: silent from March to November. Dee: late on PAST itself (it
# counts), and just after it ends in Europe/London (it does not: still PAST in UTC).
BEFORE = [
    ("ada", "2026-08-01", "the garden"),
    ("ada", "2026-08-25 18:00", None),  # the last contact on PAST, with nothing talked about
    ("bob", "2026-03-01", "the spring fair"),
    ("cy", "2026-09-01", None),
    ("cy", "2026-09-11", None),
    ("cy", "2026-09-21", None),
    ("dee", "2026-09-20", None),
    ("dee", "2026-09-25", None),
    ("dee", "2026-10-01 21:30", "the allotment"),
]
AFTER = [
    ("ada", "2026-10-02 12:00", "the move"),
    ("ada", "2026-11-20", "the new flat"),
    ("bob", "2026-11-25", "the winter fair"),
    ("dee", "2026-10-02 00:30", "just after midnight"),
    *[("cy", f"2026-11-{d}", f"week {d}") for d in ("18", "20", "22", "24", "26")],
]
NAMES = ("Ada Lovelace", "Bob Babbage", "Cy Clerk", "Dee Dalton")


def ok(lrm, *args: str):
    result = lrm(*args)
    assert result.exit_code == 0, result.stderr
    return result


def _fill(lrm, *db: str, later: bool) -> None:
    for name in NAMES:
        cadence = ["--cadence", "30d"] if name.startswith("Ada") else []
        ok(lrm, *db, "--today", ADDED, "add", name, *cadence)
    for who, when, summary in BEFORE + (AFTER if later else []):
        about = ["--summary", summary] if summary else []
        ok(lrm, *db, "log", who, "--when", when, "--kind", "call", "--initiator", "me", *about)
    # a reminder that existed on PAST, and one created today about the same days
    ok(lrm, *db, "--today", "2026-09-01", "remind", "ada", "send the article", "--on", "2026-10-03")
    if later:
        ok(lrm, *db, "remind", "bob", "book the venue", "--on", "2026-10-05")


@pytest.fixture
def book(lrm):
    _fill(lrm, later=True)
    return lrm


def _page(lrm, *args: str) -> dict:
    page = ok(lrm, *args, "--json").json()
    for reminder in page["reminders"]:
        reminder.pop("uid")  # random: the two books' reminders differ only there
    return page


def _named(items: list[dict]) -> dict[str, dict]:
    return {i["name"]: i for i in items}


def test_the_past_day_is_the_page_of_a_book_without_the_later_interactions(
    book, isolated: Path
) -> None:
    then = isolated / "then.sqlite3"
    _fill(book, "--db", str(then), later=False)
    expected = _page(book, "--db", str(then), "--today", PAST, "digest")
    assert _page(book, "digest", "--date", PAST) == expected
    text = ["digest", "--format", "text"]
    assert (
        ok(book, *text, "--date", PAST).stdout
        == ok(book, "--db", str(then), "--today", PAST, *text).stdout
    )


def test_who_was_due_then_and_what_was_last(book) -> None:
    page = _page(book, "digest", "--date", PAST)
    due = _named(page["due"])
    assert list(due) == ["Ada Lovelace", "Cy Clerk"]  # most urgent first
    assert page["totals"]["due"] == 2
    ada = due["Ada Lovelace"]
    # 2026-08-25 + 30 days; 37 days since / 30 = 1.233
    assert (ada["last_contact"], ada["due_on"], ada["overdue_days"], ada["urgency"]) == (
        "2026-08-25",
        "2026-09-24",
        7,
        1.233,
    )
    assert ada["last_interaction"]["date"] == "2026-08-25"
    assert ada["last_interaction"]["summary"] is None
    assert ada["last_topic"] == {"date": "2026-08-01", "summary": "the garden"}
    cy = due["Cy Clerk"]  # inferred from 09-01, 09-11, 09-21 (today's would be 7)
    assert (cy["cadence_days"], cy["cadence_source"]) == (10, "inferred")
    assert (cy["last_contact"], cy["due_on"], cy["overdue_days"]) == (
        "2026-09-21",
        "2026-10-01",
        0,
    )


def test_the_end_of_the_day_is_local_midnight(book) -> None:
    one_sided = _named(_page(book, "digest", "--date", PAST)["one_sided"])
    assert list(one_sided) == ["Cy Clerk", "Dee Dalton"]  # 3 calls by me each, by then
    dee = one_sided["Dee Dalton"]
    assert (dee["balance"], dee["initiated_by_me"]) == (1.0, 3)
    assert dee["last_topic"] == {"date": PAST, "summary": "the allotment"}


def test_losing_touch_then(book) -> None:
    (bob,) = _page(book, "digest", "--date", PAST)["losing_touch"]
    assert (bob["name"], bob["last_contact"], bob["days_since"], bob["interactions"]) == (
        "Bob Babbage",
        "2026-03-01",
        214,
        1,
    )
    assert bob["last_topic"] == {"date": "2026-03-01", "summary": "the spring fair"}
    assert _page(book, "digest")["losing_touch"] == []  # spoken to on 2026-11-25


def test_reminders_created_after_the_day_do_not_show(book) -> None:
    then = [r["title"] for r in _page(book, "digest", "--date", PAST)["reminders"]]
    assert then == ["send the article"]
    now = [r["title"] for r in _page(book, "digest")["reminders"]]
    assert now == ["send the article", "book the venue"]  # both overdue today, by due day


def test_reminders_created_after_the_day_do_not_show_though_nothing_was_logged_since(lrm):
    _fill(lrm, later=False)  # no interaction after PAST: nothing to take back from the history
    ok(lrm, "remind", "bob", "book the venue", "--on", "2026-10-05")  # created today
    then = _page(lrm, "digest", "--date", PAST)
    assert [r["title"] for r in then["reminders"]] == ["send the article"]
    assert "book the venue" not in ok(lrm, "digest", "--date", PAST).stdout


def test_today_counts_everything_logged(book) -> None:
    due = _page(book, "digest")["due"]
    assert [i["name"] for i in due] == ["Dee Dalton"]  # inferred 7 days; last on 10-02
    assert (due[0]["last_contact"], due[0]["overdue_days"]) == ("2026-10-02", 51)
    assert due[0]["last_topic"] == {"date": "2026-10-02", "summary": "just after midnight"}


def test_the_text_page_talks_about_what_was_said_by_then(book) -> None:
    text = ok(book, "digest", "--date", PAST, "--format", "text").stdout
    assert "talked about: the garden (2026-08-01)" in text
    assert "the move" not in text and "the new flat" not in text


def test_a_later_day_plans_ahead_with_what_is_logged_ahead(book) -> None:
    """A day after today is as before: the page of that day with today's book, an
    interaction logged ahead with --future counting as `lrm due` counts it."""
    ok(book, "log", "ada", "--when", "2026-12-10", "--future", "--summary", "a planned dinner")
    ahead = _page(book, "digest", "--date", "2026-12-25")
    assert "Ada Lovelace" not in _named(ahead["due"])  # planned 12-10: due 2027-01-09
    assert ahead == _page(book, "--today", "2026-12-25", "digest")
    past = _named(_page(book, "digest", "--date", PAST)["due"])
    assert past["Ada Lovelace"]["last_contact"] == "2026-08-25"
