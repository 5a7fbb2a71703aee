"""A phone's card survives lrm (issue 15 §1): import, edit one field, export vCard, and
exactly that property changed.

What lrm manages (FN, N, ORG, ADR, EMAIL, TEL, ...) is written from what it stored, in its
structured form; every other property (PHOTO, KIND, RELATED, TZ, LANG, GEO, X-...) is
written back as the card wrote it, byte for byte (unfolded). The only other lines an edit
may change: REV (the time of the change). VERSION becomes 3.0 and PRODID lrm's, on any
export, edited or not.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lrm_cli.formats import vcard
from lrm_cli.normalize import split_name
from lrm_cli.services.vcard_io import normalize_methods, tag_name

CORPUS = Path(__file__).parent / "vcards"
EXPECTED = json.loads((CORPUS / "expected.json").read_text(encoding="utf-8"))

PHONE_CARD = (
    "BEGIN:VCARD\r\n"
    "VERSION:4.0\r\n"
    "UID:urn:uuid:4fbe8971-0bc3-424c-9c26-36c3e1eff6b1\r\n"
    "FN:Sherlock Holmes\r\n"
    "N:Holmes;Sherlock;Scott;Mr.;Esq.\r\n"
    "KIND:individual\r\n"
    "ADR;TYPE=home:;;221B Baker St;London;;NW1 6XE;UK\r\n"
    "ORG:Acme;Research\r\n"
    "TITLE:Consulting detective\r\n"
    "TEL;TYPE=cell:+44 20 7946 0000\r\n"
    "EMAIL:sherlock@example.org\r\n"
    "IMPP:xmpp:sherlock@example.org\r\n"
    "TZ:Europe/London\r\n"
    "LANG:en\r\n"
    "GEO:geo:51.5237,-0.1585\r\n"
    "RELATED;TYPE=friend:urn:uuid:03a0e51f-d1aa-4385-8a53-e29025acd8af\r\n"
    "X-CUSTOM;X-PARAM=1:some value\\, escaped\r\n"
    "item1.X-ABRELATEDNAMES:John Watson\r\n"
    "item1.X-ABLabel:_$!<Friend>!$_\r\n"
    "PHOTO:data:image/jpeg;base64,/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAAMCAgICAgMCAgIDAwMDBAYEBAQEBA\r\n"
    " gGBgUGCQgKCgkICQkKDA8MCgsOCwkJDRENDg8QEBEQCgwSExIQEw8QEBD/\r\n"
    "END:VCARD\r\n"
)
FOREIGN = [
    "KIND:individual",
    "TZ:Europe/London",
    "LANG:en",
    "GEO:geo:51.5237,-0.1585",
    "RELATED;TYPE=friend:urn:uuid:03a0e51f-d1aa-4385-8a53-e29025acd8af",
    "X-CUSTOM;X-PARAM=1:some value\\, escaped",
    "item1.X-ABRELATEDNAMES:John Watson",
    "item1.X-ABLabel:_$!<Friend>!$_",
    "PHOTO:data:image/jpeg;base64,/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAAMCAgICAgMCAgIDAwMDBAYEBAQEBA"
    "gGBgUGCQgKCgkICQkKDA8MCgsOCwkJDRENDg8QEBEQCgwSExIQEw8QEBD/",
]
# as the export writes them: 4.0's data: URI in its 3.0 form (test_vcard_phone_exports.py)
FOREIGN_30 = [
    *FOREIGN[:-1],
    FOREIGN[-1].replace("PHOTO:data:image/jpeg;base64,", "PHOTO;ENCODING=b;TYPE=JPEG:"),
]


def unfolded(data: bytes | str) -> list[str]:
    """The content lines of a vCard stream, unfolded (RFC 6350 3.2), as text."""
    text = data.decode("utf-8") if isinstance(data, bytes) else data
    text = text.replace("\r\n", "\n")  # (the test runner reads stdout as text: LF)
    return text.replace("\n ", "").replace("\n\t", "").split("\n")[:-1]


def test_the_issue_s_card_comes_back_whole_after_an_edit(lrm, tmp_path):
    (tmp_path / "phone.vcf").write_text(PHONE_CARD, newline="")
    assert lrm("import", "vcard", str(tmp_path / "phone.vcf")).exit_code == 0
    assert lrm("edit", "sherlock", "--title", "Detective").exit_code == 0
    out = lrm("export", "vcard").stdout
    lines = unfolded(out)
    assert "ADR;TYPE=home:;;221B Baker St;London;;NW1 6XE;UK" in lines
    assert "ORG:Acme;Research" in lines
    assert "N:Holmes;Sherlock;Scott;Mr.;Esq." in lines
    assert "UID:urn:uuid:4fbe8971-0bc3-424c-9c26-36c3e1eff6b1" in lines
    assert "IMPP:xmpp:sherlock@example.org" in lines
    assert not any(line.startswith("X-SOCIALPROFILE") for line in lines)
    assert "TITLE:Detective" in lines
    # every property lrm does not manage, as it came and in its order, after lrm's own
    assert [line for line in lines if line in FOREIGN_30] == FOREIGN_30
    # lrm's own grouped properties (none here) never take the kept item1 group
    shown = lrm("show", "sherlock", "--json").json()
    assert shown["organization"] == "Acme" and shown["org_units"] == ["Research"]
    (address,) = [m for m in shown["methods"] if m["kind"] == "address"]
    assert address["label"] == "home"
    assert address["components"] == {
        "po_box": "",
        "extended": "",
        "street": "221B Baker St",
        "locality": "London",
        "region": "",
        "postal_code": "NW1 6XE",
        "country": "UK",
    }
    human = lrm("show", "sherlock").stdout
    assert "street=221B Baker St; city=London; postcode=NW1 6XE; country=UK" in human
    assert "Research" in human


def test_lrm_s_own_groups_avoid_the_kept_ones(lrm, tmp_path):
    card = PHONE_CARD.replace("TEL;TYPE=cell:", "TEL;TYPE=x-custom:")  # a label: a group
    (tmp_path / "phone.vcf").write_text(card, newline="")
    lrm("import", "vcard", str(tmp_path / "phone.vcf"))
    lines = unfolded(lrm("export", "vcard").stdout)
    tel = [line for line in lines if ".TEL" in line]
    assert len(tel) == 1 and not tel[0].startswith("item1.")
    group = tel[0].split(".")[0]
    assert f"{group}.X-ABLABEL:custom" in lines  # an X- type is a label without its X-
    assert "item1.X-ABRELATEDNAMES:John Watson" in lines


def test_without_shared_notes_the_card_has_no_note_nor_private_property(lrm, db_path, tmp_path):
    """The renderer's switch for sync's [sync] share_notes = false."""
    (tmp_path / "phone.vcf").write_text(PHONE_CARD, newline="")
    lrm("import", "vcard", str(tmp_path / "phone.vcf"))
    lrm("note", "sherlock", "Owes me a violin")
    lrm("edit", "sherlock", "--how-met", "At Bart's")
    from lrm_cli.services.vcard_io import cards_from_rows
    from lrm_cli.store import vcard_io as store
    from lrm_cli.store.db import Database

    db = Database(db_path)
    try:
        with db.read() as conn:
            (card,) = cards_from_rows(store.export_rows(conn))
    finally:
        db.close()
    shared = unfolded(vcard.serialize(card))
    private = unfolded(vcard.serialize(card, share_notes=False))
    assert any(line.startswith("NOTE") for line in shared)
    assert any(line.startswith("X-LRM-HOW-MET") for line in shared)
    assert not any(line.startswith(("NOTE", "X-LRM-")) for line in private)
    assert [line for line in private if line in FOREIGN_30] == FOREIGN_30
    assert "ORG:Acme;Research" in private


# --- the property: any corpus card, any one managed field edited --------------------------

# corpus files whose every card becomes one contact of its own (no group cards, no two
# cards of one person, nothing refused)
FILES = sorted(
    name
    for name, want in EXPECTED.items()
    if want["exit"] == 0
    and want["contacts"]
    and not want["report"].get("groups")
    and not want["report"].get("updated")
    and not want["report"].get("unchanged")
    and not want.get("env")
)

# (edit options, the property that must change, how lrm's reading of the card changes);
# a new name also changes N when N was only the old name's split: see expected_reading
EDITS = [
    (["--title", "Chief Example Officer"], "TITLE", {"title": "Chief Example Officer"}),
    (["--org", "Example Works"], "ORG", {"organization": "Example Works"}),
    (["--nickname", "Exy"], "NICKNAME", {"nickname": "Exy"}),
    (["--birthday", "1980-02-03"], "BDAY", {"birthday": "1980-02-03"}),
    (["--given-name", "Exemplar"], "N", {"given_name": "Exemplar"}),
    (["--email", "new.person@example.net"], "EMAIL", None),
    (["--phone", "+44 20 7946 0999"], "TEL", None),
    (["--address", "street=1 New Road;city=Leeds;type=work"], "ADR", None),
    (["--name", "Somebody Else"], "FN", {"name": "Somebody Else"}),
]


def expected_reading(want: dict, change: dict) -> dict:
    """The original's reading with ``change`` made: a new display name brings the given
    and family names with it when they were the old name's split ('The Boss' was
    N:Boss;The), so that N does not keep a typo the user fixed."""
    if "name" in change and (want["given_name"], want["family_name"]) == split_name(want["name"]):
        want["given_name"], want["family_name"] = split_name(change["name"])
    want.update(change)
    return want


def properties_changed_by(prop: str, change: dict | None) -> set[str]:
    return {prop, "N"} if change and "name" in change else {prop}


def reading(card: vcard.Card) -> dict:
    """What lrm reads from a card (its Card, methods normalised as import stores them)."""
    methods = normalize_methods(card.methods, "")
    return {
        "name": card.name,
        "given_name": card.given_name,
        "family_name": card.family_name,
        "name_parts": card.name_parts,
        "nickname": card.nickname,
        "organization": card.organization,
        "org_units": card.org_units if card.organization else [],
        "title": card.title,
        "birthday": card.birthday,
        "methods": sorted(
            (
                m.kind,
                m.value,
                m.label,
                m.is_preferred,
                m.components or ("", "", m.value) + ("",) * 4,
            )
            if m.kind == "address"
            else (m.kind, m.value, m.label, m.is_preferred, None)
            for m in methods
        ),
        # tags as the importer makes them (one word each), compared as SQLite's NOCASE does
        "tags": sorted({t.lower() for t in map(tag_name, card.tags) if t}),
        "dates": sorted((d.kind, d.date, d.label) for d in card.dates),
        "notes": sorted(n.body for n in card.notes),
    }


_IS_PROPERTY = re.compile(r"^(?:[A-Za-z0-9-]+\.)?[A-Za-z0-9-]+[;:]")


def _foreign(lines: list[str]) -> list[str]:
    """The lines of one card that are not lrm's: by property name, independently of the
    code under test (a group holding a managed property loses its X-ABLabel only)."""
    managed = set(vcard.MANAGED)
    heads = []
    lines = [line for line in lines if _IS_PROPERTY.match(line)]  # not comments, stray text
    for line in lines:
        head = re.split(r"[;:]", line, maxsplit=1)[0]
        group, _, name = head.rpartition(".")
        heads.append((group.lower(), name.upper()))
    managed_groups = {g for g, n in heads if g and (n in managed or n.startswith("X-LRM-"))}
    return [
        line
        for line, (g, n) in zip(lines, heads, strict=True)
        if n not in managed
        and not n.startswith("X-LRM-")
        and not (n == "X-ABLABEL" and g in managed_groups)
        and not (n == "X-ANDROID-CUSTOM" and _ANDROID_READ.search(line))
    ]


# Android's nicknames and events are read into lrm's fields (its relations are kept)
_ANDROID_READ = re.compile(r":vnd\.android\.cursor\.item/(nickname|contact_event);", re.I)


def _by_uid(data: bytes, source: str) -> dict[str, tuple[vcard.Card, list[str]]]:
    """Each card of ``data`` by its UID (derived as the importer does when it has none):
    its Card and its unfolded content lines."""
    cut = vcard.split(data, source)
    out = {}
    for start, content in cut.chunks:
        card = vcard.parse_chunk(source, start, content)
        if isinstance(card, vcard.CardError) or card.is_group:
            continue
        uid = card.uid or card.derived_uid()
        out[uid] = (card, [text for _, text in content])
    return out


def _property(line: str) -> str:
    head = re.split(r"[;:]", line, maxsplit=1)[0]
    return head.rpartition(".")[2].upper()


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    name=st.sampled_from(FILES),
    edit=st.sampled_from(EDITS),
    which=st.integers(0, 10),
)
def test_an_edit_through_the_cli_changes_exactly_that_property(
    lrm, db_path, template_db, name, edit, which
):
    options, prop, change = edit
    shutil.copyfile(template_db, db_path)  # an empty database for each example
    data = (CORPUS / name).read_bytes()
    assert lrm("import", "vcard", str(CORPUS / name)).exit_code == 0
    before = lrm("export", "vcard").stdout.encode("utf-8")
    ids = [c["id"] for c in lrm("list", "--all", "--json").json()]
    target = ids[which % len(ids)]
    result = lrm("edit", f"#{target}", *options)
    assert result.exit_code == 0, result.stderr
    after = lrm("export", "vcard").stdout.encode("utf-8")

    originals = _by_uid(data, name)
    exported_before = _by_uid(before, "before")
    exported_after = _by_uid(after, "after")
    assert set(exported_after) == set(exported_before) == set(originals)
    edited_uid = lrm("show", f"#{target}", "--json").json()["uid"]
    edited_uid = next(u for u in originals if u.removeprefix("urn:uuid:") == edited_uid)
    for uid, (original, original_lines) in originals.items():
        _, lines_before = exported_before[uid]
        card_after, lines_after = exported_after[uid]
        # what lrm does not manage: as the phone wrote it, in its order (a 2.1 line in its
        # 3.0 form: ENCODING=b, quoted-printable decoded; see test_vcard_phone_exports.py)
        assert _foreign(lines_after) == [vcard.as_30(x) for x in _foreign(original_lines)], uid
        # line by line, the export changed in the edited property alone (and REV)
        gone = [line for line in lines_before if line not in lines_after]
        new = [line for line in lines_after if line not in lines_before]
        changed = {_property(line) for line in gone + new} - {"REV"}
        if uid != edited_uid:
            assert changed == set(), (uid, gone, new)
            assert reading(card_after) == reading(original), uid
            continue
        assert changed <= properties_changed_by(prop, change), (gone, new)
        # and what lrm reads from the card is the original's with that one change
        want = reading(original)
        got = reading(card_after)
        if change is not None:
            if prop == "ORG":
                want["org_units"] = got["org_units"]  # a new organisation keeps the units
            want = expected_reading(want, change)
        else:
            added = {m for m in got["methods"] if m not in want["methods"]}
            assert len(added) <= 1 and all(m[0] in ("email", "phone", "address") for m in added)
            want["methods"] = sorted(want["methods"] + list(added))
        assert got == want, name


def test_export_json_then_import_json_keeps_what_the_card_brought(lrm, db_path, tmp_path):
    (tmp_path / "phone.vcf").write_text(PHONE_CARD, newline="")
    lrm("import", "vcard", str(tmp_path / "phone.vcf"))
    card = lrm("export", "vcard").stdout
    document = lrm("export", "json").stdout
    (contact,) = json.loads(document)["contacts"]
    assert contact["org_units"] == ["Research"]
    assert contact["name_parts"] == ["Scott", "Mr.", "Esq."]
    assert contact["vcard_extra"] == FOREIGN
    assert contact["vcard_uid"] == "urn:uuid:4fbe8971-0bc3-424c-9c26-36c3e1eff6b1"
    other = tmp_path / "other.sqlite3"
    assert lrm("--db", str(other), "import", "json", "-", input=document).exit_code == 0
    assert lrm("--db", str(other), "export", "vcard").stdout == card


def test_import_json_refuses_a_bad_card_column_by_its_path(lrm, tmp_path):
    lrm("add", "Ada Lovelace", "--address", "street=1 St James's Sq;city=London")
    document = json.loads(lrm("export", "json").stdout)
    document["contacts"][0]["methods"][0]["components"]["planet"] = "Earth"
    other = tmp_path / "other.sqlite3"
    bad = lrm("--db", str(other), "import", "json", "-", input=json.dumps(document))
    assert bad.exit_code == 5
    assert "contacts[0].methods[0].components: unknown part 'planet'" in bad.stderr
    del document["contacts"][0]["methods"][0]["components"]["planet"]
    document["contacts"][0]["vcard_extra"] = ["PHOTO:x\nBEGIN:VCARD"]
    bad = lrm("--db", str(other), "import", "json", "-", input=json.dumps(document))
    assert bad.exit_code == 5
    assert "contacts[0].vcard_extra[0]: contains a NUL or a line break" in bad.stderr
