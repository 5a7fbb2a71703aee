"""A birthday or date without its year (an iPhone's X-APPLE-OMIT-YEAR, Android's
``--MM-DD``) is the same day as one with it: one rule (``dates.same_day``, ``dates.fuller``)
for a card's own lines, an import into a contact, ``lrm date add`` and ``lrm merge``. A year
one side knows is never lost, whatever the order of the files, and is never a conflict."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from conftest import ok
from hypothesis import given
from hypothesis import strategies as st

from lrm_cli.dates import PartialDate, fuller, same_day

BORN = "1988-05-30"
YEARLESS = "--05-30"


def _card(uid: str, *lines: str) -> str:
    head = ["BEGIN:VCARD", "VERSION:3.0", "N:Novak;Petra;;;", "FN:Petra Novak"]
    return "\r\n".join([*head, f"UID:{uid}", *lines, "END:VCARD"]) + "\r\n"


GOOGLE = _card("g-1", "TEL;TYPE=CELL:+420601234567", f"BDAY:{BORN}")
IPHONE = _card("i-1", "TEL;type=CELL:+420 601 234 567", "BDAY;X-APPLE-OMIT-YEAR=1604:1604-05-30")
ANNIVERSARY_IPHONE = _card(
    "i-2",
    "TEL;type=CELL:+420 601 234 567",
    "item1.X-ABDATE;X-APPLE-OMIT-YEAR=1604:1604-06-19",
    "item1.X-ABLabel:_$!<Anniversary>!$_",
)
ANNIVERSARY_GOOGLE = _card("g-2", "TEL;TYPE=CELL:+420601234567", "ANNIVERSARY:2010-06-19")


def _files(tmp_path, *texts: str) -> list[str]:
    paths = []
    for i, text in enumerate(texts):
        path = tmp_path / f"{i}.vcf"
        path.write_text(text)
        paths.append(str(path))
    return paths


def _petra(lrm) -> dict:
    (contact,) = ok(lrm("list", "--json")).json()
    return ok(lrm("show", str(contact["id"]), "--json")).json()


@pytest.mark.parametrize("order", [(GOOGLE, IPHONE), (IPHONE, GOOGLE)])
@pytest.mark.parametrize("together", [True, False])
def test_the_birth_year_survives_a_yearless_card_in_any_order(lrm, tmp_path, order, together):
    paths = _files(tmp_path, *order)
    results = [lrm("import", "vcard", *paths, "--json")] if together else [
        lrm("import", "vcard", path, "--json") for path in paths
    ]  # fmt: skip
    for result in results:
        report = ok(result).json()
        assert report["conflicts"] == [] and report["warnings"] == []
    assert _petra(lrm)["birthday"] == BORN


def test_a_yearless_card_after_the_full_one_changes_nothing(lrm, tmp_path):
    google, iphone = _files(tmp_path, GOOGLE, IPHONE)
    ok(lrm("import", "vcard", google))
    report = ok(lrm("import", "vcard", iphone, "--json")).json()
    assert report["updated"] == 0 and report["unchanged"] == 1


def test_a_year_removed_in_lrm_is_not_brought_back_by_the_same_card(lrm, tmp_path):
    (google,) = _files(tmp_path, GOOGLE)
    ok(lrm("import", "vcard", google))
    ok(lrm("edit", "petra", "--birthday", YEARLESS))
    ok(lrm("import", "vcard", google))
    assert _petra(lrm)["birthday"] == YEARLESS


@pytest.mark.parametrize("order", [(ANNIVERSARY_GOOGLE, ANNIVERSARY_IPHONE), (
    ANNIVERSARY_IPHONE, ANNIVERSARY_GOOGLE)])  # fmt: skip
def test_one_anniversary_with_its_year_whatever_the_order(lrm, tmp_path, order):
    for path in _files(tmp_path, *order):
        ok(lrm("import", "vcard", path))
    dates = [(d["kind"], d["date"]) for d in _petra(lrm)["important_dates"]]
    assert dates == [("anniversary", "2010-06-19")]
    result = ok(lrm("--today", "2027-06-01", "upcoming", "--days", "30d", "--json")).json()
    assert len([i for i in result if i["kind"] == "anniversary"]) == 1


def test_date_add_takes_a_year_for_a_yearless_date_and_keeps_one(lrm):
    ok(lrm("add", "Petra Novak"))
    ok(lrm("date", "add", "petra", "--kind", "anniversary", "--on", "--06-19"))
    added = ok(lrm("date", "add", "petra", "--kind", "anniversary", "--on", "2010-06-19"))
    assert added.stdout.strip() == "updated #1 anniversary: 2010-06-19"
    again = ok(lrm("date", "add", "petra", "--kind", "anniversary", "--on", "--06-19", "--json"))
    assert again.json()["date"] == "2010-06-19"
    dates = [(d["kind"], d["date"]) for d in _petra(lrm)["important_dates"]]
    assert dates == [("anniversary", "2010-06-19")]


@pytest.mark.parametrize("kept, merged", [(BORN, YEARLESS), (YEARLESS, BORN)])
def test_a_merge_keeps_one_birthday_with_its_year(lrm, kept, merged):
    ok(lrm("add", "Petra Novak", "--birthday", kept))
    ok(lrm("add", "Petra N", "--birthday", merged))
    result = ok(lrm("merge", "1", "2", "--yes", "--json")).json()
    assert "birthday" not in result["note"]["body"]  # nothing differing to note
    assert _petra(lrm)["birthday"] == BORN


def test_a_merge_keeps_one_of_each_date_and_what_either_knew(lrm):
    ok(lrm("add", "Petra Novak"))
    ok(lrm("add", "Petra N"))
    ok(lrm("date", "add", "1", "--kind", "anniversary", "--on", "--06-19"))
    ok(lrm("date", "add", "2", "--kind", "anniversary", "--on", "2010-06-19", "--label", "Wedding"))
    ok(lrm("date", "add", "1", "--kind", "custom", "--label", "name day", "--on", "--07-01"))
    ok(lrm("date", "add", "2", "--kind", "custom", "--label", "Name day", "--on", "--07-01",
           "--remind", "3d"))  # fmt: skip
    ok(lrm("merge", "1", "2", "--yes"))
    dates = [
        (d["kind"], d["date"], d["label"], d["remind_days_before"])
        for d in _petra(lrm)["important_dates"]
    ]
    assert dates == [
        ("anniversary", "2010-06-19", "Wedding", None),
        ("custom", "--07-01", "name day", 3),
    ]
    result = ok(lrm("--today", "2027-06-01", "upcoming", "--days", "45d", "--json")).json()
    assert len(result) == 2  # each day reminded once


days = st.dates(date(1900, 1, 1), date(2100, 12, 31))


def _text(day: date, with_year: bool) -> str:
    return day.isoformat() if with_year else f"--{day:%m-%d}"


@given(days, days, st.booleans(), st.booleans())
def test_same_day_is_the_month_and_day_when_a_year_is_missing(a, b, year_a, year_b):
    x, y = _text(a, year_a), _text(b, year_b)
    expected = (a.month, a.day) == (b.month, b.day) and (
        not (year_a and year_b) or a.year == b.year
    )
    assert same_day(x, y) == same_day(y, x) == expected
    assert PartialDate.parse(x).contradicts(PartialDate.parse(y)) == (not expected)
    if expected:
        kept = fuller(x, y)
        assert kept == fuller(y, x)
        assert kept.startswith("--") == (not (year_a or year_b))


@given(days, st.integers(1, 364))
def test_another_day_is_never_the_same(a, shift):
    b = a + timedelta(days=shift)
    if (a.month, a.day) != (b.month, b.day):
        assert not same_day(_text(a, False), _text(b, True))
