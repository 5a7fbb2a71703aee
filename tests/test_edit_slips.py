"""Fixing a slip in a contact with one obvious command: a typo in the name reaches the
given and family names too, and a phone is removed however it is typed."""

from __future__ import annotations

import pytest

from lrm_cli.normalize import same_phone


def _names(lrm, ref: str) -> tuple[str, str, str]:
    shown = lrm("show", ref, "--json").json()
    return shown["name"], shown["given_name"], shown["family_name"]


def test_fixing_a_typo_in_the_name_fixes_the_names_it_was_split_into(lrm):
    lrm("add", "Jon Smtih")
    assert lrm("edit", "jon", "--name", "John Smith").exit_code == 0
    assert _names(lrm, "john") == ("John Smith", "John", "Smith")
    assert lrm("search", "smtih", "--json").json() == []
    card = lrm("export", "vcard").stdout
    assert "N:Smith;John;;;" in card and "Smtih" not in card
    assert lrm("undo").exit_code == 0
    assert _names(lrm, "jon") == ("Jon Smtih", "Jon", "Smtih")


def test_names_set_on_their_own_stay_when_the_display_name_changes(lrm):
    lrm("add", "Ada", "--given-name", "Augusta Ada", "--family-name", "King")
    lrm("edit", "ada", "--name", "Ada Lovelace")
    assert _names(lrm, "ada") == ("Ada Lovelace", "Augusta Ada", "King")
    lrm("edit", "ada", "--name", "Ada L", "--family-name", "Lovelace")  # both given: both
    assert _names(lrm, "ada") == ("Ada L", "Augusta Ada", "Lovelace")


@pytest.mark.parametrize(
    ("stored", "typed"),
    [
        ("+1 202 555 0100", "(202) 555-0100"),
        ("+1 202 555 0100", "+1-202-555-0100"),
        ("07700 900123", "07700900123"),
        ("+44 7700 900123", "07700 900123"),
    ],
)
def test_a_phone_is_removed_however_it_is_typed(lrm, stored, typed):
    lrm("add", "Tim", "--phone", stored, "--phone", "+33 1 42 68 53 00")
    removed = lrm("edit", "tim", "--remove-phone", typed)
    assert removed.exit_code == 0, removed.stderr
    phones = [m["value"] for m in lrm("show", "tim", "--json").json()["methods"]]
    assert phones == ["+33142685300"]


def test_a_fragment_of_a_phone_removes_nothing(lrm):
    lrm("add", "Tim", "--phone", "+1 202 555 0100")
    refused = lrm("edit", "tim", "--remove-phone", "0100")
    assert refused.exit_code == 3 and "Tim has no" in refused.stderr
    assert len(lrm("show", "tim", "--json").json()["methods"]) == 1


@pytest.mark.parametrize(
    ("typed", "stored", "same"),
    [
        ("(202) 555-0100", "+12025550100", True),
        ("202 555 0100", "2025550100", True),
        ("555 0100", "+12025550100", True),  # seven figures: the local number
        ("0100", "+12025550100", False),
        ("(202) 555-0100", "2025550199", False),
        ("07700 900123", "+447700900123", True),
        ("07700 900123", "7700 900123 1", False),
        ("", "", False),
    ],
)
def test_same_phone(typed, stored, same):
    assert same_phone(typed, stored) is same


@pytest.mark.parametrize(
    "command",
    [("show",), ("done",), ("interaction", "rm"), ("note", "rm"), ("date", "rm", "tim")],
)
def test_an_id_too_large_for_any_row_is_one_plain_line(lrm, command):
    lrm("add", "Tim")
    refused = lrm(*command, "99999999999999999999")
    assert refused.exit_code == 5
    assert refused.stderr.startswith("lrm: error: a number is out of range"), refused.stderr
    assert "Python" not in refused.stderr and "SQLite" not in refused.stderr


def test_a_balance_that_rounds_to_zero_reads_the_same_everywhere(lrm):
    """Them a minute after me: a balance a hair below zero, shown as +0.00 by every view
    (the balance table said -0.00 while show said +0.00)."""
    lrm("add", "Tim", "--cadence", "30d")
    lrm("log", "tim", "-i", "me", "-w", "2026-10-01 10:00", "-s", "a")
    lrm("log", "tim", "-i", "them", "-w", "2026-10-01 10:01", "-s", "b")
    shown = lrm("balance").stdout + lrm("show", "tim").stdout
    assert "-0.00" not in shown and shown.count("+0.00") >= 3, shown


# --- a birthday after today is a slip; a month without its day is not a date --------------


def _birthday(lrm, ref: str):
    return lrm("show", ref, "--json").json()["birthday"]


def test_a_birthday_after_today_is_refused_and_nothing_is_written(lrm):
    # today is 2026-11-29 (conftest)
    bad = lrm("add", "Ada Lovelace", "--birthday", "2030-01-01")
    assert bad.exit_code == 5
    assert "a birthday in the future: 2030-01-01" in bad.stderr
    assert lrm("list", "--json").json() == []
    lrm("add", "Ada Lovelace", "--birthday", "1815-12-10")
    later = lrm("edit", "ada", "--birthday", "next friday")
    assert later.exit_code == 5
    assert "'next friday' is 2026-12-04" in later.stderr
    assert _birthday(lrm, "ada") == "1815-12-10"
    # today itself is a birthday (a newborn), and a day without a year is every year
    assert lrm("edit", "ada", "--birthday", "2026-11-29").exit_code == 0
    assert lrm("edit", "ada", "--birthday", "Dec 25").exit_code == 0
    assert _birthday(lrm, "ada") == "--12-25"


def test_a_card_with_a_birthday_after_today_still_imports_as_written(lrm, tmp_path):
    card = tmp_path / "phone.vcf"
    card.write_text("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Kid\r\nBDAY:2031-05-01\r\nEND:VCARD\r\n")
    assert lrm("import", "vcard", str(card)).exit_code == 0
    assert _birthday(lrm, "kid") == "2031-05-01"


@pytest.mark.parametrize("month", ["Nov", "nov.", "November 2026", "2026-11", "11/2026", "May"])
def test_a_month_without_its_day_is_refused_not_given_todays_day(lrm, month):
    lrm("add", "Ada Lovelace")
    logged = lrm("log", "ada", "--when", month, "--summary", "Tea")
    assert logged.exit_code == 5
    assert f"a month alone is not a date: {month!r}" in logged.stderr
    assert lrm("timeline", "ada", "--json").json() == []
    assert lrm("edit", "ada", "--birthday", month).exit_code == 5
    assert _birthday(lrm, "ada") is None


def test_a_month_with_its_day_is_still_a_date(lrm):
    lrm("add", "Ada Lovelace")
    assert lrm("log", "ada", "--when", "Nov 20", "--summary", "Tea").exit_code == 0
    assert lrm("log", "ada", "--when", "may 3rd", "--summary", "Walk").exit_code == 0
    days = [i["occurred_at"][:10] for i in lrm("timeline", "ada", "--json").json()]
    assert days == ["2026-11-20", "2026-05-03"]
