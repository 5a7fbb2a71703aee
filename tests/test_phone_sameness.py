"""One number written two ways is one number everywhere: the add-time warning, ``dupes``,
``merge``, ``edit --phone`` and ``import vcard`` ask the one rule, ``normalize.same_phone``,
and find the candidates by the index of ``normalize.phone_tail`` (migration 0019)."""

from __future__ import annotations

import sqlite3

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from lrm_cli.normalize import PHONE_PUNCTUATION, phone_tail, same_phone
from lrm_cli.store.search import phone_tail_sql

# digits, phone punctuation and a few other characters a kept-as-written number may hold
phone_text = st.text(alphabet=st.sampled_from("0123456789" + PHONE_PUNCTUATION + "x#é٣"))
national = st.text(alphabet="0123456789", min_size=7, max_size=12).filter(lambda d: d[0] != "0")


@given(phone_text)
@example("+44 (0)20\t7946\u00a00000")
def test_the_index_key_in_sql_is_the_rules_key(value):
    conn = sqlite3.connect(":memory:")
    (in_sql,) = conn.execute(f"SELECT {phone_tail_sql('?')}", (value,)).fetchone()
    assert in_sql == phone_tail(value)


@given(phone_text, phone_text)
def test_the_rule_is_symmetric_and_the_same_numbers_share_the_key(a, b):
    assert same_phone(a, b) == same_phone(b, a)
    if same_phone(a, b):
        assert phone_tail(a) == phone_tail(b)


@given(national, st.sampled_from(["1", "44", "353"]), st.sampled_from(["0", ""]))
def test_a_national_number_is_its_international_form(digits, country, trunk):
    spaced = f"{trunk}{digits[:3]} {digits[3:]}"
    assert same_phone(spaced, f"+{country} {digits}")
    assert same_phone(spaced, f"00{country}{digits}")
    assert not same_phone(spaced, f"+{country} {digits[:-1]}{(int(digits[-1]) + 1) % 10}")


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("07700 900123", "+44 7700 900123", True),
        ("+44 7700 900123", "07700 900123", True),
        ("0044 7700 900123", "+447700900123", True),
        ("07700 900123", "7700 900123", True),  # a trunk 0 written or not
        ("555 0100", "+1 202 555 0100", True),  # the local number
        ("555 0100", "202 555 0100", False),  # neither says its country: no guess
        ("+33 7700 900123", "+44 7700 900123", False),  # two countries
        ("0100", "+12025550100", False),  # a fragment
        ("555 0100 x12", "555-0100 x12", True),
        ("555 0100 x12", "+1 202 555 0100", False),
    ],
)
def test_same_phone(a, b, same):
    assert same_phone(a, b) is same


def test_adding_a_number_someone_has_written_otherwise_warns(lrm):
    lrm("add", "Ann Lee", "--phone", "07700 900123")
    added = lrm("add", "Annie", "--phone", "+44 7700 900123")
    assert added.exit_code == 0
    assert "Ann Lee (#1) already has phone" in added.stderr
    assert "lrm merge 1 2" in added.stderr


def test_dupes_finds_one_number_written_two_ways(lrm):
    """A number without its country may be either country's: it pairs with both, which
    are not each other's."""
    lrm("add", "Ann Lee", "--phone", "07700 900123")
    lrm("add", "Ann Smith", "--phone", "+44 7700 900123")
    lrm("add", "Bob", "--phone", "+33 7700 900123")
    lrm("add", "Cy", "--phone", "+33 7700 900124")
    pairs = lrm("dupes", "--json").json()
    assert [(p["a"]["id"], p["b"]["id"], p["reasons"]) for p in pairs] == [
        (1, 2, ["same_phone"]),
        (1, 3, ["same_phone"]),
    ]


def test_a_merge_keeps_one_number_written_two_ways_in_its_international_form(lrm):
    lrm("add", "Ann Lee", "--phone", "07700 900123")
    lrm("add", "Annie Lee", "--phone", "+44 7700 900123", "--phone", "+44 20 7946 0000")
    assert lrm("merge", "1", "2", "--yes").exit_code == 0
    phones = [m["value"] for m in lrm("show", "1", "--json").json()["methods"]]
    assert sorted(phones) == ["+44 7700 900123", "+442079460000"]


def test_editing_in_a_number_the_contact_has_written_otherwise_changes_nothing(lrm):
    lrm("add", "Ann", "--phone", "07700 900123")
    assert lrm("edit", "ann", "--phone", "+44 7700 900123").exit_code == 0
    assert len(lrm("show", "ann", "--json").json()["methods"]) == 1


def _card(name: str, *phones: str) -> str:
    tels = "".join(f"TEL;TYPE=CELL:{p}\r\n" for p in phones)
    return f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:{name}\r\n{tels}END:VCARD\r\n"


def test_importing_a_person_again_with_their_number_written_otherwise_adds_nothing(lrm, tmp_path):
    first, again = tmp_path / "old.vcf", tmp_path / "phone.vcf"
    first.write_text(_card("Ann Lee", "07700 900123"))
    again.write_text(_card("Ann Lee", "+44 7700 900123", "+44 (0)7700 900123"))
    assert lrm("import", "vcard", str(first)).exit_code == 0
    assert lrm("import", "vcard", str(again)).exit_code == 0
    contacts = lrm("list", "--json").json()
    assert [c["name"] for c in contacts] == ["Ann Lee"]
    assert len(contacts[0]["phones"]) == 1


def test_a_card_is_matched_by_a_number_written_otherwise(lrm, tmp_path):
    lrm("add", "Ann Lee", "--phone", "07700 900123")
    lrm("add", "Ann Lee", "--phone", "07700 900999")  # a namesake: the name alone is not enough
    card = tmp_path / "phone.vcf"
    card.write_text(_card("Ann Lee", "+44 7700 900123").replace("END", "ORG:Acme\r\nEND"))
    assert lrm("import", "vcard", str(card)).exit_code == 0
    people = {c["id"]: c for c in lrm("list", "--json").json()}
    assert len(people) == 2
    assert lrm("show", "1", "--json").json()["organization"] == "Acme"
