"""A card without a UID (Android's and Google's exports have none) whose email and phone
find no one is the contact of the same name, when exactly one contact had that name before
the import. Before, reading a phone's export again after an edit made a second contact of
everyone without an email or phone: the UID lrm derives from such a card changes with its
content."""

from __future__ import annotations

import shutil
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st


def card(name: str, *lines: str, version: str = "2.1") -> str:
    given_name, _, family = name.rpartition(" ")
    head = ["BEGIN:VCARD", f"VERSION:{version}", f"N:{family};{given_name};;;", f"FN:{name}"]
    return "\r\n".join([*head, *lines, "END:VCARD", ""])


def imported(lrm, path: Path, text: str) -> dict:
    path.write_text(text, encoding="utf-8")
    result = lrm("import", "vcard", str(path), "--json")
    assert result.exit_code == 0, result.stderr
    return result.json()


def names(lrm) -> list[str]:
    return sorted(c["name"] for c in lrm("list", "--json").json())


def test_an_edited_phone_export_read_again_fills_in_instead_of_duplicating(lrm, tmp_path):
    first = card("Maria Souza", "BDAY:1980-05-02") + card("Ana Lima", "TEL;CELL:+351912345678")
    imported(lrm, tmp_path / "a.vcf", first)
    again = card("Maria Souza", "BDAY:1980-05-02", "ORG:Escola", "NOTE:met at school")
    report = imported(lrm, tmp_path / "b.vcf", again + card("Ana Lima", "TEL;CELL:+351912345678"))
    maria = report["items"][0]
    assert (maria["action"], maria["matched_by"]) == ("update", "name")
    assert {"organization", "notes"} <= set(maria["changes"])
    assert report["created"] == 0 and report["probable_duplicates"] == []
    assert names(lrm) == ["Ana Lima", "Maria Souza"]
    shown = lrm("show", "maria", "--json").json()
    assert shown["organization"] == "Escola"
    # the same file a third time: nothing new, still one Maria
    third = imported(lrm, tmp_path / "b.vcf", again)
    assert third["items"][0]["action"] == "unchanged"
    assert names(lrm) == ["Ana Lima", "Maria Souza"]


def test_a_person_added_by_hand_is_found_by_the_phones_card(lrm, tmp_path):
    assert lrm("add", "Maria Souza").exit_code == 0
    report = imported(lrm, tmp_path / "p.vcf", card("maria  SOUZA", "BDAY:1980-05-02"))
    assert report["items"][0]["matched_by"] == "name"
    assert names(lrm) == ["Maria Souza"]
    assert lrm("show", "maria", "--json").json()["birthday"] == "1980-05-02"


def test_two_contacts_of_that_name_are_left_apart_and_reported(lrm, tmp_path):
    for _ in range(2):
        assert lrm("add", "Maria Souza", "--quiet").exit_code == 0
    report = imported(lrm, tmp_path / "p.vcf", card("Maria Souza", "BDAY:1980-05-02"))
    assert report["created"] == 1 and report["items"][0]["matched_by"] is None
    assert [p["reason"] for p in report["probable_duplicates"]] == ["same name"]


def test_two_cards_of_one_name_in_one_file_are_two_people(lrm, tmp_path):
    assert lrm("add", "Maria Souza").exit_code == 0
    two = card("Maria Souza", "BDAY:1980-05-02") + card("Maria Souza", "BDAY:1955-01-09")
    report = imported(lrm, tmp_path / "p.vcf", two)
    assert [i["action"] for i in report["items"]] == ["update", "create"]
    assert names(lrm) == ["Maria Souza", "Maria Souza"]


def test_two_people_of_one_name_in_a_first_import_stay_two(lrm, tmp_path):
    """A contact the import itself made is nobody a later card of it can mean by name."""
    two = card("Maria Souza", "BDAY:1980-05-02") + card("Maria Souza", "BDAY:1955-01-09")
    report = imported(lrm, tmp_path / "p.vcf", two)
    assert [i["action"] for i in report["items"]] == ["create", "create"]
    assert names(lrm) == ["Maria Souza", "Maria Souza"]


def test_a_card_with_its_own_uid_is_not_matched_by_name(lrm, tmp_path):
    """An iPhone's card names its own identity: one its UID does not find is someone new."""
    assert lrm("add", "Maria Souza").exit_code == 0
    uid = "UID:1A5C0D2E-0000-4000-8000-00000000B0B0"
    report = imported(lrm, tmp_path / "p.vcf", card("Maria Souza", uid, version="3.0"))
    assert report["created"] == 1
    assert [p["reason"] for p in report["probable_duplicates"]] == ["same name"]


def test_a_phone_shared_with_someone_else_wins_over_the_name(lrm, tmp_path):
    """A card of Maria with Rui's number is reported beside Rui, not folded into a Maria."""
    assert lrm("add", "Maria Souza").exit_code == 0
    assert lrm("add", "Rui Lima", "--phone", "+351912345678").exit_code == 0
    report = imported(lrm, tmp_path / "p.vcf", card("Maria Souza", "TEL:+351912345678"))
    assert report["created"] == 1 and report["items"][0]["matched_by"] is None
    assert names(lrm) == ["Maria Souza", "Maria Souza", "Rui Lima"]


given_names = st.sampled_from(["Ana", "Rui", "Maria", "Paulo", "Inês", "João", "Zoë"])
family_names = st.sampled_from(["Lima", "Souza", "Costa", "Ferreira", "Núñez"])


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    people=st.lists(st.tuples(given_names, family_names), min_size=1, max_size=6, unique=True),
    edited=st.data(),
)
def test_re_reading_an_edited_uid_less_export_keeps_one_contact_each(
    lrm, tmp_path, template_db, db_path, people, edited
):
    """Property: import UID-less cards of distinct names, edit any of them (a title, a note,
    a birthday), import the file again: the same contacts, one each, nothing created."""
    shutil.copyfile(template_db, db_path)  # hypothesis reuses the test's database
    full = [f"{g} {f}" for g, f in people]
    imported(lrm, tmp_path / "a.vcf", "".join(card(n) for n in full))
    changes = edited.draw(
        st.lists(
            st.sampled_from(["TITLE:Chef", "NOTE:moved", "BDAY:--05-02"]).map(lambda line: [line])
            | st.just([]),
            min_size=len(full),
            max_size=len(full),
        )
    )
    report = imported(
        lrm, tmp_path / "b.vcf", "".join(card(n, *c) for n, c in zip(full, changes, strict=True))
    )
    assert report["created"] == 0
    assert {i["matched_by"] for i in report["items"]} <= {"uid", "name"}
    assert names(lrm) == sorted(full)
