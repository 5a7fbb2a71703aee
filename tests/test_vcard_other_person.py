"""A card is not merged into someone else: a father and his son of the same name who share
the family's email ("John Smith" and "John Smith Jr."), or two people of one name whose
birthdays differ, stay two contacts (the card reported as a probable duplicate), and
nothing of either is dropped. The rules: ``normalize.names_agree`` (a generation said by
one name and not the other) and ``PartialDate.contradicts`` (for a match by name alone)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lrm_cli.dates import PartialDate
from lrm_cli.normalize import GENERATIONS, names_agree


def _card(name: str, *lines: str) -> str:
    body = "\r\n".join(lines)
    return f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:{name}\r\n{body}\r\nEND:VCARD\r\n"


def _write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, "utf-8")
    return str(path)


def _people(lrm) -> dict[str, dict]:
    listed = lrm("list", "--json").json()
    return {c["name"]: lrm("show", str(c["id"]), "--json").json() for c in listed}


def test_a_son_sharing_his_fathers_email_is_a_contact_of_his_own(lrm, tmp_path):
    father = _card("John Smith", "EMAIL:smiths@example.com", "BDAY:1960-04-02")
    son = _card("John Smith Jr.", "EMAIL:smiths@example.com", "BDAY:1990-08-20")
    assert lrm("import", "vcard", _write(tmp_path, "f.vcf", father)).exit_code == 0
    result = lrm("import", "vcard", _write(tmp_path, "s.vcf", son), "--json")
    assert result.exit_code == 0, result.stderr
    report = result.json()
    assert report["created"] == 1
    (duplicate,) = report["probable_duplicates"]
    assert (duplicate["contact"]["name"], duplicate["similar_to"]["name"]) == (
        "John Smith Jr.",
        "John Smith",
    )
    people = _people(lrm)
    assert people["John Smith"]["birthday"] == "1960-04-02"
    assert people["John Smith Jr."]["birthday"] == "1990-08-20"


def test_the_same_person_with_a_generation_on_both_cards_still_matches(lrm, tmp_path):
    first = _card("John Smith Jr.", "EMAIL:jr@example.com")
    again = _card("Smith, John Jr", "EMAIL:jr@example.com", "TEL:+1 202 555 0177")
    lrm("import", "vcard", _write(tmp_path, "a.vcf", first))
    report = lrm("import", "vcard", _write(tmp_path, "b.vcf", again), "--json").json()
    assert (report["created"], report["updated"]) == (0, 1)


def test_a_name_alone_with_another_birthday_is_another_person(lrm, tmp_path):
    lrm("add", "Chris", "--phone", "+1 202 555 0150", "--birthday", "1988-05-05")
    plumber = _card("Chris", "TEL:+1 202 555 0199", "BDAY:1971-11-30", "NOTE:fixed the boiler")
    report = lrm("import", "vcard", _write(tmp_path, "c.vcf", plumber), "--json").json()
    assert report["created"] == 1 and report["updated"] == 0
    (duplicate,) = report["probable_duplicates"]
    assert (duplicate["contact"]["id"], duplicate["similar_to"]["id"]) == (2, 1)
    friend = lrm("show", "1", "--json").json()
    assert friend["birthday"] == "1988-05-05"
    assert [m["value"] for m in friend["methods"]] == ["+12025550150"]  # as add stored it
    assert friend["notes"] == []


@pytest.mark.parametrize("birthday", ["--05-05", "1988-05-05"])
def test_a_name_alone_with_an_agreeing_birthday_is_the_same_person(lrm, tmp_path, birthday):
    lrm("add", "Chris", "--birthday", "1988-05-05")
    card = _card("Chris", "TEL:+1 202 555 0150", f"BDAY:{birthday}")
    report = lrm("import", "vcard", _write(tmp_path, "c.vcf", card), "--json").json()
    assert (report["created"], report["updated"]) == (0, 1)


_words = st.lists(st.sampled_from(["ada", "john", "smith", "lovelace", "king"]), min_size=1)


@given(_words, _words, st.sampled_from(sorted(GENERATIONS)))
def test_a_generation_said_by_one_name_only_never_agrees(ours, theirs, generation):
    assert not names_agree([" ".join([*ours, generation])], [" ".join(theirs)])
    assert not names_agree([" ".join(ours)], [" ".join(theirs), f"{theirs[0]} {generation}"])
    same = " ".join([*ours, generation.upper() + "."])
    assert names_agree([same], [" ".join([*ours, generation])])


_days = st.builds(
    PartialDate,
    st.none() | st.integers(1900, 2020),
    st.integers(1, 12),
    st.integers(1, 28),
)


@given(_days, _days)
def test_contradicting_birthdays(a, b):
    assert a.contradicts(b) == b.contradicts(a)
    assert not a.contradicts(a)
    assert not a.contradicts(PartialDate(None, a.month, a.day))  # a year left out agrees
    if (a.month, a.day) != (b.month, b.day):
        assert a.contradicts(b)
