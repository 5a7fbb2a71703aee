"""Text is stored composed (NFC): "Jürgen" from a Mac's vCard (u + a combining diaeresis)
and "Jürgen" typed on a keyboard are one name, one tag, one contact (migration 0021 for
what was stored before)."""

from __future__ import annotations

import sqlite3
import unicodedata

from conftest import ok
from hypothesis import example, given
from hypothesis import strategies as st

from lrm_cli.normalize import clean_text, strip_controls

NFD = unicodedata.normalize("NFD", "Jürgen Müller")
NFC = unicodedata.normalize("NFC", "Jürgen Müller")


def _card(name: str, note: str) -> str:
    family, given_name = name.split()[1], name.split()[0]
    return (
        f"BEGIN:VCARD\r\nVERSION:3.0\r\nN:{family};{given_name};;;\r\nFN:{name}\r\n"
        f"NOTE:{note}\r\nEND:VCARD\r\n"
    )


def test_a_macs_card_and_a_phones_card_of_one_person_make_one_contact(lrm, tmp_path):
    mac, phone = tmp_path / "mac.vcf", tmp_path / "phone.vcf"
    mac.write_text(_card(NFD, "from the mac"), encoding="utf-8")
    phone.write_text(_card(NFC, "from the phone"), encoding="utf-8")
    ok(lrm("import", "vcard", str(mac)))
    ok(lrm("import", "vcard", str(phone)))
    contacts = ok(lrm("list", "--json")).json()
    assert [c["name"] for c in contacts] == [NFC]


def test_a_typed_decomposed_name_or_tag_is_the_composed_one(lrm):
    ok(lrm("add", NFD, "--tag", unicodedata.normalize("NFD", "café")))
    ok(lrm("tag", "add", NFC, "café"))
    assert [t["tag"] for t in ok(lrm("tags", "--json")).json()] == ["café"]
    assert ok(lrm("show", NFC, "--json")).json()["name"] == NFC


@given(st.text())
@example(NFD)
@example("e\u0301\u0327 \r\n\x0b x")
def test_entry_text_is_composed_and_otherwise_unchanged(text):
    cleaned = strip_controls(text, multiline=True)
    assert unicodedata.is_normalized("NFC", cleaned)
    plain = "".join(ch for ch in text if ch.isprintable() or ch in "\n\t")
    if plain == text and text.strip() == text:
        assert clean_text(text, "note", multiline=True) == unicodedata.normalize("NFC", text)


def test_the_migration_composes_names_and_tags_stored_before_it(lrm, db_path):
    from lrm_cli.store import migrate

    ok(lrm("add", "Ann Lee", "--tag", "café"))
    ok(lrm("add", "Bob Ray", "--tag", "crêpes"))
    conn = sqlite3.connect(db_path)
    with conn:
        conn.execute(
            "UPDATE contact SET display_name = ?, family_name = ? WHERE id = 1", (NFD, "Müller")
        )
        decomposed = unicodedata.normalize("NFD", "café")
        conn.execute("INSERT INTO tag (name) VALUES (?)", (decomposed,))  # a composed twin exists
        conn.execute(
            "INSERT INTO contact_tag (contact_id, tag_id) SELECT 2, id FROM tag WHERE name = ?",
            (decomposed,),
        )
        conn.execute(
            "UPDATE tag SET name = ? WHERE name = 'crêpes'",
            (unicodedata.normalize("NFD", "crêpes"),),
        )
        conn.execute("DROP TABLE card_seen")  # (0022's: made again by the upgrade)
        conn.execute("DROP TABLE merged_uid")  # (0024's)
        conn.execute("UPDATE alembic_version SET version_num = '0020'")
    conn.close()
    migrate.upgrade(db_path, print)
    conn = sqlite3.connect(db_path)
    assert conn.execute("SELECT display_name FROM contact WHERE id = 1").fetchone() == (NFC,)
    tags = {n for (n,) in conn.execute("SELECT name FROM tag")}
    assert tags == {"café", decomposed, "crêpes"}  # the twin is left as it was
    conn.close()
    assert ok(lrm("show", NFC, "--json")).json()["id"] == 1
