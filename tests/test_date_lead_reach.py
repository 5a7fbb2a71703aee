"""A date's own reminder lead (`lrm date add --remind 30d`: a gift to order, a cabin to
book) brings it into `upcoming` and the digest that many days ahead, though the window
(`upcoming_days`, `--days`) is shorter: the person asked to hear of it then
(`scheduler.reach`, and the month-day pre-filter of services/schedule.py)."""

from __future__ import annotations

from conftest import ok


def _book(lrm) -> None:
    ok(lrm("add", "Ada Lovelace"))
    ok(lrm("date", "add", "ada", "--kind", "custom", "--label", "Book the cabin",
           "--on", "--01-10", "--remind", "30d"))  # fmt: skip
    ok(lrm("date", "add", "ada", "--kind", "anniversary", "--on", "--01-05"))


def _titles(result) -> list[tuple[str, int]]:
    return [(i["title"], i["days_until"]) for i in ok(result).json()]


def test_a_date_comes_up_as_early_as_its_own_lead(lrm):
    _book(lrm)
    at = ("--today", "2026-12-20")  # 21 days before the cabin, 16 before the anniversary
    assert _titles(lrm(*at, "upcoming", "--json")) == [("Ada Lovelace: Book the cabin", 21)]
    coming = ok(lrm(*at, "digest", "--json")).json()["upcoming"]
    assert [i["title"] for i in coming] == ["Ada Lovelace: Book the cabin"]
    text = ok(lrm(*at, "digest")).stdout
    assert "2027-01-10 (in 21 days): Ada Lovelace: Book the cabin" in text


def test_not_before_its_lead_and_the_window_still_holds_for_the_others(lrm):
    _book(lrm)
    assert _titles(lrm("--today", "2026-12-10", "upcoming", "--json")) == []  # 31 days
    assert _titles(lrm("--today", "2026-12-25", "upcoming", "--days", "11d", "--json")) == [
        ("Ada Lovelace's anniversary", 11),
        ("Ada Lovelace: Book the cabin", 16),
    ]
