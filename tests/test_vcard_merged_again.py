"""A phone export read again after a merge: the phone still has both cards, and the one
merged away (sharing no email or phone with the contact kept) finds the contact it was
merged into, by its UID, instead of coming back as a new contact every month."""

from __future__ import annotations

from pathlib import Path

from conftest import ok


def _card(uid: str, name: str, *lines: str) -> str:
    body = ["BEGIN:VCARD", "VERSION:3.0", f"UID:{uid}", f"FN:{name}", *lines, "END:VCARD"]
    return "\r\n".join(body) + "\r\n"


def _phone(tmp_path: Path, *cards: str) -> str:
    path = tmp_path / "phone.vcf"
    path.write_text("".join(cards), encoding="utf-8")
    return str(path)


def _names(lrm) -> list[str]:
    return [c["name"] for c in ok(lrm("list", "--json")).json()]


ANN = _card("AAA-1", "Ann Lee", "TEL:+44 7700 900001")
ANNIE = _card("BBB-2", "Annie Lee", "ORG:Acme")


def test_the_card_merged_away_finds_the_contact_it_went_into(lrm, tmp_path):
    phone = _phone(tmp_path, ANN, ANNIE)
    ok(lrm("import", "vcard", phone))
    ok(lrm("merge", "Ann Lee", "Annie Lee", "--yes"))
    again = ok(lrm("import", "vcard", phone, "--json")).json()
    assert (again["created"], again["unchanged"]) == (0, 2)
    assert _names(lrm) == ["Ann Lee"]
    # the card edited on the phone later changes the contact it went into
    edited = _phone(tmp_path, ANN, ANNIE.replace("ORG:Acme", "ORG:Globex"))
    ok(lrm("import", "vcard", edited))
    assert _names(lrm) == ["Ann Lee"]
    assert ok(lrm("show", "ann", "--json")).json()["organization"] == "Globex"


def test_a_uid_merged_twice_follows_to_the_last_contact(lrm, tmp_path):
    cy = _card("CCC-3", "Cy Lee", "NOTE:met at the market")
    phone = _phone(tmp_path, ANN, ANNIE, cy)
    ok(lrm("import", "vcard", phone))
    ok(lrm("merge", "Annie Lee", "Cy Lee", "--yes"))
    ok(lrm("merge", "Ann Lee", "Annie Lee", "--yes"))
    assert ok(lrm("import", "vcard", phone, "--json")).json()["created"] == 0
    assert _names(lrm) == ["Ann Lee"]


def test_an_undone_merge_forgets_where_the_card_went(lrm, tmp_path):
    phone = _phone(tmp_path, ANN, ANNIE)
    ok(lrm("import", "vcard", phone))
    ok(lrm("merge", "Ann Lee", "Annie Lee", "--yes"))
    ok(lrm("undo"))
    ok(lrm("import", "vcard", phone))
    assert _names(lrm) == ["Ann Lee", "Annie Lee"]
    assert ok(lrm("show", "annie", "--json")).json()["id"] == 2


def test_a_forgotten_contact_takes_its_merged_cards_with_it(lrm, tmp_path):
    phone = _phone(tmp_path, ANN, ANNIE)
    ok(lrm("import", "vcard", phone))
    ok(lrm("merge", "Ann Lee", "Annie Lee", "--yes"))
    ok(lrm("forget", "Ann Lee", "--yes"))
    ok(lrm("import", "vcard", phone))
    assert _names(lrm) == ["Ann Lee", "Annie Lee"]
