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
