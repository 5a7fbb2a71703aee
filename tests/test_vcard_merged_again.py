"""A phone export read again after a merge: the phone still has both cards, and the one
merged away (sharing no email or phone with the contact kept) finds the contact it was
merged into, by its UID, instead of coming back as a new contact every month."""

from __future__ import annotations

import json
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


def _merged_and_backed_up(lrm, tmp_path: Path) -> tuple[str, Path]:
    """The phone's two cards imported, Annie merged into Ann, and a JSON backup made:
    (the phone file, the backup)."""
    phone = _phone(tmp_path, ANN, ANNIE)
    ok(lrm("import", "vcard", phone))
    ok(lrm("merge", "Ann Lee", "Annie Lee", "--yes"))
    backup = tmp_path / "backup.json"
    ok(lrm("export", "json", "--out", str(backup)))
    return phone, backup


def test_a_restored_backup_remembers_where_the_merged_card_went(lrm, tmp_path):
    phone, backup = _merged_and_backed_up(lrm, tmp_path)
    (ann,) = json.loads(backup.read_text(encoding="utf-8"))["contacts"]
    assert ann["merged_uids"] == ["BBB-2"]
    fresh = str(tmp_path / "fresh.sqlite3")
    ok(lrm("--db", fresh, "import", "json", str(backup)))
    again = ok(lrm("--db", fresh, "import", "vcard", phone, "--json")).json()
    assert (again["created"], again["unchanged"]) == (0, 2)
    assert [c["name"] for c in ok(lrm("--db", fresh, "list", "--json")).json()] == ["Ann Lee"]
    assert ok(lrm("--db", fresh, "export", "json")).json()["contacts"] == [ann]


def test_a_backup_merged_in_lands_on_the_contact_its_card_went_into(lrm, tmp_path):
    """Another machine's backup still has Annie as her own contact: --merge adds her to
    Ann, whom she was merged into here, instead of bringing her back."""
    elsewhere = str(tmp_path / "elsewhere.sqlite3")
    ok(lrm("--db", elsewhere, "import", "vcard", _phone(tmp_path, ANN, ANNIE)))
    backup = tmp_path / "elsewhere.json"
    ok(lrm("--db", elsewhere, "export", "json", "--out", str(backup)))
    ok(lrm("import", "vcard", _phone(tmp_path, ANN, ANNIE)))
    ok(lrm("merge", "Ann Lee", "Annie Lee", "--yes"))
    ok(lrm("import", "json", "--merge", str(backup)))
    assert _names(lrm) == ["Ann Lee"]
    assert ok(lrm("show", "ann", "--json")).json()["organization"] == "Acme"


STAMPS = {"created_at": "2026-01-01T00:00:00+00:00", "updated_at": "2026-01-01T00:00:00+00:00"}


def test_a_merged_uid_given_twice_is_refused_with_its_place(lrm, tmp_path):
    doc = {
        "format": "lrm",
        "schema": "0024",
        "tags": [],
        "contacts": [
            {"uid": "A-1", "name": "Ann Lee", "merged_uids": ["X-9"], **STAMPS},
            {"uid": "B-2", "name": "Bo Chen", "merged_uids": ["X-9"], **STAMPS},
        ],
    }
    path = tmp_path / "twice.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    result = lrm("import", "json", str(path))
    assert result.exit_code != 0
    assert "contacts[1].merged_uids[0]" in result.stderr
    assert "appears twice" in result.stderr
    assert ok(lrm("list", "--json")).json() == []


def test_a_backup_merged_into_another_database_brings_where_its_cards_went(lrm, tmp_path):
    phone, backup = _merged_and_backed_up(lrm, tmp_path)
    other = str(tmp_path / "other.sqlite3")
    ok(lrm("--db", other, "add", "Bo Chen"))  # not empty: the file is merged in
    ok(lrm("--db", other, "import", "json", "--merge", str(backup)))
    assert ok(lrm("--db", other, "import", "vcard", phone, "--json")).json()["created"] == 0
    names = [c["name"] for c in ok(lrm("--db", other, "list", "--json")).json()]
    assert names == ["Ann Lee", "Bo Chen"]
