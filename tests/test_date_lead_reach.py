"""A date's own reminder lead (`lrm date add --remind 30d`: a gift to order, a cabin to
book) brings it into `upcoming` and the digest that many days ahead, though the window
(`upcoming_days`, `--days`) is shorter: the person asked to hear of it then
(`scheduler.reach`, and the month-day pre-filter of services/schedule.py)."""

from __future__ import annotations

import json

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


def test_a_lead_of_0d_is_the_day_itself_and_more_than_a_year_is_refused(lrm):
    ok(lrm("add", "Ada Lovelace"))
    added = ok(lrm("date", "add", "ada", "--kind", "custom", "--label", "Call",
                   "--on", "--03-01", "--remind", "0d", "--json"))  # fmt: skip
    assert added.json()["remind_days_before"] == 0
    assert "remind on the day" in ok(lrm("show", "ada")).stdout
    for lead in ("2y", "367d"):
        refused = lrm("date", "edit", "ada", "1", "--remind", lead)
        assert refused.exit_code == 5
        assert refused.stderr.startswith(f"lrm: error: --remind '{lead}' is more than a year")
    assert (
        ok(lrm("date", "edit", "ada", "1", "--remind", "366d", "--json")).json()[
            "remind_days_before"
        ]
        == 366
    )


def test_an_imported_lead_beyond_a_year_is_refused_or_left_out(lrm, tmp_path):
    ok(lrm("add", "Ada Lovelace"))
    ok(lrm("date", "add", "ada", "--on", "--06-01", "--remind", "3d"))
    doc = ok(lrm("export", "json")).json()
    doc["contacts"][0]["important_dates"][0]["remind_days_before"] = 400
    ok(lrm("forget", "ada", "--yes"))
    path = tmp_path / "a.json"
    path.write_text(json.dumps(doc))
    refused = lrm("import", "json", str(path))
    assert refused.exit_code == 5 and "remind_days_before" in refused.stderr
    assert "400 is outside 0..366" in refused.stderr
    card = tmp_path / "a.vcf"
    card.write_text("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ada Lovelace\r\n"
                    "ANNIVERSARY;X-LRM-REMIND=400:--0601\r\nEND:VCARD\r\n")  # fmt: skip
    report = ok(lrm("import", "vcard", str(card), "--json")).json()
    assert any("X-LRM-REMIND '400' is not 0 to 366 days" in w for w in report["warnings"])
    (ada,) = ok(lrm("list", "--json")).json()
    dates = ok(lrm("show", str(ada["id"]), "--json")).json()["important_dates"]
    assert [(d["date"], d["remind_days_before"]) for d in dates] == [("--06-01", None)]
