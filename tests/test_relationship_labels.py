"""A relationship keeps the word a phone's card or the user gave it (``Godmother``,
``Daughter``, Android's custom ``Mãe``) beside lrm's kind, and every way out writes it
back: the vCard export (as the related name's label), the JSON export, ``lrm show``. Before
schema 0014 the word was read as the nearest kind (``other``) and lost on the way round."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from lrm_cli.formats import vcard

PHONE = "\r\n".join(
    [
        "BEGIN:VCARD",
        "VERSION:3.0",
        "N:Lima;Ana;;;",
        "FN:Ana Lima",
        "UID:1A5C0D2E-0000-4000-8000-00000000A0A0",
        "item1.X-ABRELATEDNAMES:Maria Souza",
        "item1.X-ABLabel:Godmother",
        "item2.X-ABRELATEDNAMES:Rui Lima",
        "item2.X-ABLabel:_$!<Daughter>!$_",
        "item3.X-ABRELATEDNAMES:Paulo Lima",
        "item3.X-ABLabel:_$!<Spouse>!$_",
        "END:VCARD",
        "BEGIN:VCARD",
        "VERSION:3.0",
        "N:Souza;Maria;;;",
        "FN:Maria Souza",
        "UID:1A5C0D2E-0000-4000-8000-00000000B0B0",
        "END:VCARD",
        "BEGIN:VCARD",
        "VERSION:3.0",
        "N:Lima;Paulo;;;",
        "FN:Paulo Lima",
        "UID:1A5C0D2E-0000-4000-8000-00000000C0C0",
        "END:VCARD",
        "BEGIN:VCARD",
        "VERSION:2.1",
        "N:Lima;Rui;;;",
        "FN:Rui Lima",
        "UID:1A5C0D2E-0000-4000-8000-00000000D0D0",
        "X-ANDROID-CUSTOM:vnd.android.cursor.item/relation;Maria Souza;0;Madrinha",
        "END:VCARD",
        "",
    ]
)


def words_of(shown: dict) -> list[tuple[str, str | None, str]]:
    words = [(r["kind"], r["label"], r["contact"]["name"]) for r in shown["relationships"]]
    return sorted(words, key=lambda w: (w[0], w[1] or "", w[2]))


@pytest.fixture
def family(lrm, tmp_path: Path):
    path = tmp_path / "phone.vcf"
    path.write_text(PHONE, encoding="utf-8")
    result = lrm("import", "vcard", str(path), "--json", "--strict")
    assert result.exit_code == 0, result.stderr
    return lrm


def test_a_phone_cards_words_are_kept_beside_the_kinds(family):
    ana = family("show", "ana", "--json").json()
    assert words_of(ana) == [
        ("child", "daughter", "Rui Lima"),  # a newer iPhone label: the kind it means, and it
        ("other", "Godmother", "Maria Souza"),  # a custom label: no kind says it
        ("spouse", None, "Paulo Lima"),  # the kind's own word is no label
    ]
    rui = family("show", "rui", "--json").json()  # Android's custom relation label
    assert ("other", "Madrinha", "Maria Souza") in words_of(rui)
    # the other side reads the kind, never the first contact's word
    assert words_of(family("show", "maria", "--json").json()) == [
        ("other", None, "Ana Lima"),
        ("other", None, "Rui Lima"),
    ]
    text = family("show", "ana").stdout
    assert "Godmother (other): Maria Souza" in text
    assert "daughter (child): Rui Lima" in text


def _labels(exported: bytes, name: str) -> dict[str, str]:
    """The related names on ``name``'s card as lrm exported them: name -> X-ABLabel."""
    import vobject

    card = next(c for c in vobject.readComponents(exported.decode()) if c.fn.value == name)
    labels = {line.group: line.value for line in card.contents["x-ablabel"]}
    return {line.value: labels[line.group] for line in card.contents["x-abrelatednames"]}


def test_the_export_writes_the_words_back_and_reimporting_it_changes_nothing(family, tmp_path):
    out = tmp_path / "out.vcf"
    assert family("export", "vcard", "-o", str(out)).exit_code == 0
    assert _labels(out.read_bytes(), "Ana Lima") == {
        "Maria Souza": "Godmother",
        "Rui Lima": "daughter",
        "Paulo Lima": "_$!<Spouse>!$_",
    }
    again = family("import", "vcard", str(out), "--json").json()
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 4)


def test_an_apple_built_in_word_goes_out_as_apples_label():
    card = vcard.Card(name="Ana", related_names=[vcard.Related("parent", "Rosa", "mother")])
    text = vcard.serialize(card).decode()
    assert "X-ABLABEL:_$!<Mother>!$_" in text
    back = vcard.read(text.encode(), "x.vcf").cards[0]
    assert back.named_relations == [vcard.Related("parent", "Rosa", "mother")]


def test_a_word_round_trips_through_lrms_own_line_with_quotes_and_carets():
    word = 'the "real" ^boss; of: all, really'
    card = vcard.Card(name="Ana", relations=[vcard.Related("manager", "uid-1", word)])
    back = vcard.read(vcard.serialize(card), "x.vcf").cards[0]
    assert back.relations == [vcard.Related("manager", "uid-1", word)]


def test_relate_label_sets_changes_and_clears_the_word_and_undo_brings_it_back(lrm):
    lrm("add", "Ana Lima")
    lrm("add", "Maria Souza")
    made = lrm("relate", "ana", "maria", "--as", "other", "--label", "godmother", "--json")
    assert made.json()["label"] == "godmother" and made.json()["changed"] is True
    again = lrm("relate", "ana", "maria", "--as", "other", "--json").json()
    assert again["changed"] is False and again["label"] == "godmother"  # no --label: kept
    said = lrm("relate", "ana", "maria", "--as", "other", "--label", "fairy godmother")
    assert said.stdout.strip() == "Maria Souza is Ana Lima's fairy godmother (other)"
    assert words_of(lrm("show", "ana", "--json").json()) == [
        ("other", "fairy godmother", "Maria Souza")
    ]
    cleared = lrm("relate", "ana", "maria", "--as", "other", "--label", "", "--json").json()
    assert cleared["label"] is None and cleared["changed"] is True
    assert lrm("undo").exit_code == 0
    assert words_of(lrm("show", "ana", "--json").json()) == [
        ("other", "fairy godmother", "Maria Souza")
    ]


def test_a_word_for_a_relationship_recorded_from_the_other_side(lrm):
    lrm("add", "Ana Lima")
    lrm("add", "Rui Lima")
    lrm("relate", "rui", "ana", "--as", "parent")  # Ana is Rui's parent
    # from Ana's side Rui is her child: the wordless row is turned round to hold her word
    turned = lrm("relate", "ana", "rui", "--as", "child", "--label", "son", "--json").json()
    assert turned["changed"] is True
    ana = lrm("show", "ana", "--json").json()
    assert words_of(ana) == [("child", "son", "Rui Lima")]
    assert words_of(lrm("show", "rui", "--json").json()) == [("parent", None, "Ana Lima")]
    # now the row holds Ana's word: Rui cannot give his on the same row
    refused = lrm("relate", "rui", "ana", "--as", "parent", "--label", "mum")
    assert refused.exit_code == 5
    assert "carries Ana Lima's word 'son'" in refused.stderr
    assert "Traceback" not in refused.stderr and len(refused.stderr.strip().splitlines()) == 1


def test_json_export_and_restore_keep_the_word(family, tmp_path, template_db):
    backup = tmp_path / "backup.json"
    assert family("export", "json", "--out", str(backup)).exit_code == 0
    words = {(r["kind"], r["label"]) for r in json.loads(backup.read_text())["relationships"]}
    assert ("other", "Godmother") in words and ("child", "daughter") in words
    other = tmp_path / "other.sqlite3"
    shutil.copyfile(template_db, other)
    other.chmod(0o600)
    restored = family("--db", str(other), "import", "json", str(backup), "--json").json()
    assert restored["mode"] == "restore"
    assert words_of(family("--db", str(other), "show", "ana", "--json").json()) == words_of(
        family("show", "ana", "--json").json()
    )


def test_a_json_document_from_before_labels_still_imports(lrm, tmp_path):
    lrm("add", "Ana Lima")
    lrm("add", "Maria Souza")
    lrm("relate", "ana", "maria", "--as", "friend")
    doc = lrm("export", "json").json()
    for r in doc["relationships"]:
        del r["label"]
    path = tmp_path / "old.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    assert lrm("import", "json", str(path), "--merge").exit_code == 0
    assert words_of(lrm("show", "ana", "--json").json()) == [("friend", None, "Maria Souza")]


def test_a_merge_keeps_the_word_of_the_relationship_it_folds(lrm):
    for name in ("Ana Lima", "Ana L.", "Maria Souza"):
        lrm("add", name)
    lrm("relate", "Ana Lima", "maria", "--as", "other")
    lrm("relate", "Ana L.", "maria", "--as", "other", "--label", "Godmother")
    assert lrm("merge", "Ana Lima", "Ana L.", "--yes").exit_code == 0
    assert words_of(lrm("show", "Ana Lima", "--json").json()) == [
        ("other", "Godmother", "Maria Souza")
    ]


def test_a_phone_card_with_a_new_word_for_a_relationship_updates_it(family, tmp_path):
    path = tmp_path / "again.vcf"
    path.write_text(PHONE.replace("Godmother", "Madrinha"), encoding="utf-8")
    report = family("import", "vcard", str(path), "--json").json()
    assert (report["updated"], report["unchanged"]) == (1, 3)
    (item,) = [i for i in report["items"] if i["action"] == "update"]
    assert item["contact_name"] == "Ana Lima" and item["changes"] == ["relationships"]
    assert ("other", "Madrinha", "Maria Souza") in words_of(family("show", "ana", "--json").json())
    # a card that has no word for it leaves the recorded word alone
    path.write_text(PHONE.replace("item1.X-ABLabel:Godmother\r\n", ""), encoding="utf-8")
    family("import", "vcard", str(path))
    assert ("other", "Madrinha", "Maria Souza") in words_of(family("show", "ana", "--json").json())


def test_lrms_own_lines_bring_back_each_row_with_its_word(lrm, db_path, tmp_path, template_db):
    """Rows both ways round (a JSON restore may hold them) are each lrm's own
    X-LRM-RELATED line, not a related name recorded once either way."""
    import sqlite3

    lrm("add", "Ana Lima")
    lrm("add", "Maria Souza")
    lrm("relate", "ana", "maria", "--as", "other", "--label", "Godmother")
    with sqlite3.connect(db_path) as conn:
        conn.execute(
            "INSERT INTO relationship (contact_id, other_contact_id, kind, label) "
            "VALUES (2, 1, 'other', 'Goddaughter')"
        )
    out = tmp_path / "all.vcf"
    lrm("export", "vcard", "-o", str(out))
    fresh = tmp_path / "fresh.sqlite3"
    shutil.copyfile(template_db, fresh)
    fresh.chmod(0o600)
    assert lrm("--db", str(fresh), "import", "vcard", str(out)).exit_code == 0
    for name in ("ana", "maria"):
        before = words_of(lrm("show", name, "--json").json())
        assert words_of(lrm("--db", str(fresh), "show", name, "--json").json()) == before


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("vnd.android.cursor.item/relation;Maria;0;Madrinha", ("other", "Maria", "Madrinha")),
        ("vnd.android.cursor.item/relation;Maria;0;;;;", ("other", "Maria", None)),  # no word
        ("vnd.android.cursor.item/relation;Maria;0", ("other", "Maria", None)),
        ("vnd.android.cursor.item/relation;Maria;2;;;;", ("sibling", "Maria", "brother")),
        ("vnd.android.cursor.item/relation;Maria;14;;;;", ("spouse", "Maria", None)),
    ],
)
def test_androids_relation_types_and_custom_labels(line, expected):
    card = vcard.parse_card([(1, "VERSION:3.0"), (2, "FN:Rui"), (3, f"X-ANDROID-CUSTOM:{line}")])
    assert card.named_relations == [vcard.Related(*expected)]


def test_clearing_a_word_that_is_the_other_sides_changes_nothing(lrm):
    lrm("add", "Ana Lima")
    lrm("add", "Rui Lima")
    lrm("relate", "rui", "ana", "--as", "parent", "--label", "mum")
    said = lrm("relate", "ana", "rui", "--as", "child", "--label", "", "--json")
    assert said.exit_code == 0 and said.json()["changed"] is False
    assert words_of(lrm("show", "rui", "--json").json()) == [("parent", "mum", "Ana Lima")]
