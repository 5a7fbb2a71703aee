"""A relationship made in lrm goes out to phones: every vCard lrm writes names the contact's
related people as Apple's related names (``itemN.X-ABRELATEDNAMES`` with its X-ABLabel),
both ways round; the import reads them back to the same relationships; a related-name line
the import linked is lrm's relationship from then on (removed in lrm, gone from the card).
Everything goes through the real command (the ``lrm`` fixture)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import vobject


def write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def cards(text: str) -> dict[str, object]:
    """The cards of an export by FN."""
    return {c.fn.value: c for c in vobject.readComponents(text)}


def related(card) -> list[tuple[str, str]]:
    """(X-ABLabel, name) of a parsed card's related names, in order."""
    labels = {line.group: line.value for line in card.getChildren() if line.name == "X-ABLABEL"}
    return [
        (labels.get(line.group), line.value)
        for line in card.getChildren()
        if line.name == "X-ABRELATEDNAMES"
    ]


def relationships(lrm, ref: str) -> list[tuple[str, str]]:
    result = lrm("show", ref, "--json")
    assert result.exit_code == 0, result.stderr
    return sorted((r["kind"], r["contact"]["name"]) for r in result.json()["relationships"])


def export(lrm) -> str:
    result = lrm("export", "vcard")
    assert result.exit_code == 0, result.stderr
    return result.stdout


def people(lrm) -> None:
    for name in ("Ann Lee", "Bob Lee", "Cat Lee", "Dan Ross"):
        assert lrm("add", name).exit_code == 0
    for a, b, kind in [
        ("Ann Lee", "Bob Lee", "spouse"),
        ("Ann Lee", "Cat Lee", "parent"),
        ("Dan Ross", "Ann Lee", "introduced_by"),
        ("Bob Lee", "Dan Ross", "mentor"),
    ]:
        result = lrm("relate", a, b, "--as", kind)
        assert result.exit_code == 0, result.stderr


def test_a_relationship_goes_out_as_apples_related_name_with_its_label_both_ways(lrm):
    people(lrm)
    assert lrm("edit", "Bob Lee", "--name", "Robert Lee").exit_code == 0
    out = cards(export(lrm))
    assert related(out["Ann Lee"]) == [
        ("_$!<Spouse>!$_", "Robert Lee"),  # the other's current name
        ("_$!<Parent>!$_", "Cat Lee"),
        ("introduced", "Dan Ross"),  # Dan was introduced by Ann: read from Ann's side
    ]
    assert related(out["Cat Lee"]) == [("_$!<Child>!$_", "Ann Lee")]
    assert related(out["Robert Lee"]) == [("mentor", "Dan Ross"), ("_$!<Spouse>!$_", "Ann Lee")]
    assert related(out["Dan Ross"]) == [("introduced by", "Ann Lee"), ("mentee", "Robert Lee")]
    assert out["Ann Lee"].contents["x-lrm-related"]  # lrm's exact link stays too


def test_export_import_into_an_empty_database_gives_the_same_relationships(
    lrm, tmp_path, template_db, monkeypatch
):
    people(lrm)
    first = export(lrm)
    before = {n: relationships(lrm, n) for n in ("Ann Lee", "Bob Lee", "Cat Lee", "Dan Ross")}
    again = lrm("import", "vcard", write(tmp_path, "all.vcf", first), "--json").json()
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 4)
    assert {n: relationships(lrm, n) for n in before} == before  # nothing added
    fresh = tmp_path / "fresh.sqlite3"
    shutil.copyfile(template_db, fresh)
    monkeypatch.setenv("LRM_DB", str(fresh))
    made = lrm("import", "vcard", str(tmp_path / "all.vcf"), "--json").json()
    assert made["created"] == 4
    assert {n: relationships(lrm, n) for n in before} == before
    assert export(lrm) == first


def test_a_card_without_lrms_ids_gives_the_same_relationships(
    lrm, tmp_path, template_db, monkeypatch
):
    """What a phone sends back (no X-LRM-* properties): the labels alone say the kind."""
    people(lrm)
    before = {n: relationships(lrm, n) for n in ("Ann Lee", "Bob Lee", "Cat Lee", "Dan Ross")}
    lines = [
        line.split(";X-LRM-KIND=")[0] + ":" + line.split(":", 1)[1]
        if "X-ABRELATEDNAMES" in line
        else line
        for line in export(lrm).replace("\r\n ", "").splitlines()
        if not line.startswith("X-LRM-")
    ]
    fresh = tmp_path / "fresh.sqlite3"
    shutil.copyfile(template_db, fresh)
    monkeypatch.setenv("LRM_DB", str(fresh))
    lrm("import", "vcard", write(tmp_path, "phone.vcf", "\r\n".join(lines) + "\r\n"))
    assert {n: relationships(lrm, n) for n in before} == before


APPLE = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Grace Hopper\r\nN:Hopper;Grace;;;\r\n"
    "item1.X-ABRELATEDNAMES:Vincent Hopper\r\nitem1.X-ABLabel:_$!<Spouse>!$_\r\n"
    "item2.X-ABRELATEDNAMES:Nobody Known\r\nitem2.X-ABLabel:_$!<Friend>!$_\r\n"
    "END:VCARD\r\n"
)


def test_a_linked_apple_line_removed_in_lrm_is_gone_and_an_unlinked_one_stays(lrm, tmp_path):
    assert lrm("add", "Vincent Hopper").exit_code == 0
    path = write(tmp_path, "apple.vcf", APPLE)
    assert lrm("import", "vcard", path).exit_code == 0
    assert relationships(lrm, "Grace Hopper") == [("spouse", "Vincent Hopper")]
    grace = cards(export(lrm))["Grace Hopper"]
    assert related(grace) == [
        ("_$!<Spouse>!$_", "Vincent Hopper"),
        ("_$!<Friend>!$_", "Nobody Known"),
    ]
    assert lrm("relate", "Grace Hopper", "Vincent Hopper", "--rm").exit_code == 0
    out = export(lrm)
    assert related(cards(out)["Grace Hopper"]) == [("_$!<Friend>!$_", "Nobody Known")]
    again = lrm("import", "vcard", write(tmp_path, "own.vcf", out), "--json").json()
    assert again["created"] == 0
    assert relationships(lrm, "Grace Hopper") == []  # lrm's own export brings nothing back


def test_the_phones_card_again_is_unchanged_and_a_name_linked_later_is_an_update(lrm, tmp_path):
    path = write(tmp_path, "apple.vcf", APPLE)
    assert lrm("import", "vcard", path).exit_code == 0  # nobody of either name yet
    assert lrm("add", "Vincent Hopper").exit_code == 0
    later = lrm("import", "vcard", path, "--json").json()
    assert (later["updated"], later["unchanged"]) == (1, 0)
    assert later["items"][0]["changes"] == ["relationships"]
    assert relationships(lrm, "Grace Hopper") == [("spouse", "Vincent Hopper")]
    for _ in range(2):  # the very card again: its linked line is lrm's, nothing changed
        again = lrm("import", "vcard", path, "--json").json()
        assert (again["updated"], again["unchanged"]) == (0, 1), again["items"]
    assert lrm("import", "vcard", path).stdout.startswith("0 imported")


@pytest.fixture
def cards_folder(isolated: Path) -> Path:
    folder = isolated / "cards"
    folder.mkdir()
    (isolated / "config.toml").write_text(f'[sync]\ncontacts_vdir = "{folder}"\n')
    return folder


def test_a_vdir_sync_writes_the_related_names_and_a_second_sync_does_nothing(lrm, cards_folder):
    (cards_folder / "grace.vcf").write_text(APPLE.replace("FN:", "UID:grace\r\nFN:"))
    people(lrm)
    assert lrm("add", "Vincent Hopper").exit_code == 0
    first = lrm("sync", "--json")
    assert first.exit_code == 0, first.stderr
    written = {
        c.fn.value: c
        for p in cards_folder.iterdir()
        for c in vobject.readComponents(p.read_text(encoding="utf-8"))
    }
    assert ("_$!<Spouse>!$_", "Bob Lee") in related(written["Ann Lee"])
    assert "X-LRM-RELATED" not in (cards_folder / "grace.vcf").read_text()  # no share_notes
    before = {p.name: p.read_bytes() for p in cards_folder.iterdir()}
    second = lrm("sync", "--json").json()["contacts"]
    assert all(second["vdir"][k] == 0 for k in ("created", "updated", "deleted"))
    assert all(second["lrm"][k] == 0 for k in ("created", "updated"))
    assert {p.name: p.read_bytes() for p in cards_folder.iterdir()} == before
