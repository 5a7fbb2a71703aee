"""A related-name line is read one way: the name the import links (``parse_card``) is the
name whose kept line goes once it is linked (``without_related``), in every form a phone
writes: Apple's X-ABRELATEDNAMES, Android's relation, vCard 4.0's ``RELATED;VALUE=text``,
quoted-printable 2.1 too, and a desktop address book's (Outlook's X-MS-SPOUSE ...). A line
that names no one (a URI, another Android item) stays. And `lrm show` lists a kept line's
name as the import read it."""

from __future__ import annotations

import pytest

from lrm_cli.formats import vcard

RELATED_LINES = [
    ("3.0", ["item1.X-ABRELATEDNAMES:Priya Natarajan", "item1.X-ABLabel:_$!<Spouse>!$_"]),
    ("3.0", ["item2.X-ABRELATEDNAMES;X-LRM-KIND=mentor:Grace Hopper"]),
    ("3.0", ["X-ABRELATEDNAMES;TYPE=pref:Jean\\, the neighbour"]),
    ("4.0", ["RELATED;VALUE=text;TYPE=sibling:Tom Baker"]),
    ("3.0", ["X-ANDROID-CUSTOM:vnd.android.cursor.item/relation;Maya Rodríguez;14;;;;;;"]),
    ("3.0", ["X-ANDROID-CUSTOM:vnd.android.cursor.item/relation;Ada\\;Lovelace;0;Godmother"]),
    (
        "2.1",
        [
            "X-ANDROID-CUSTOM;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:"
            "vnd.android.cursor.item/relation;J=C3=BCrgen M=C3=BCller;1;;;;"
        ],
    ),
    # desktop address books: Outlook, Evolution, KAddressBook
    ("2.1", ["X-MS-SPOUSE:Oscar Outlook"]),
    ("2.1", ["X-MS-CHILD:Kim Outlook"]),
    ("3.0", ["X-EVOLUTION-MANAGER:Mona Manager"]),
    ("3.0", ["X-KADDRESSBOOK-X-AssistantsName:Andy Assistant"]),
]

NOT_RELATED = [
    "RELATED;TYPE=friend:urn:uuid:03a0e51f-d1aa-4385-8a53-e29025acd8af",
    "X-ANDROID-CUSTOM:vnd.android.cursor.item/im;Ada;0;;;;",
    "X-RELATED-NOTE:Priya Natarajan",
    "NOTE:RELATED Priya Natarajan",
]


def read(version: str, lines: list[str]) -> vcard.Card:
    content = [(1, f"VERSION:{version}"), (2, "FN:Someone")]
    content += [(3 + i, line) for i, line in enumerate(lines)]
    return vcard.parse_card(content)


@pytest.mark.parametrize(("version", "lines"), RELATED_LINES, ids=lambda v: str(v)[:40])
def test_the_name_the_import_links_is_the_name_whose_kept_line_goes(version, lines):
    names = [r.other for r in read(version, lines).named_relations]
    assert len(names) == 1 and names[0]
    kept = [*lines, "X-PHONETIC-FIRST-NAME:Sam"]
    assert vcard.without_related(kept, {names[0].casefold()}) == ["X-PHONETIC-FIRST-NAME:Sam"]
    assert vcard.without_related(kept, {"somebody else"}) == kept


@pytest.mark.parametrize("line", NOT_RELATED)
def test_a_line_that_names_no_one_is_neither_linked_nor_dropped(line):
    assert read("4.0", [line]).named_relations == []
    assert vcard.without_related([line], {"priya natarajan", "ada"}) == [line]


FOREIGN_RELATED_LINES = [  # a phone's: kept; lrm's own (X-LRM-KIND) is its relationship table's
    (version, lines) for version, lines in RELATED_LINES if "X-LRM-KIND" not in lines[0]
]


@pytest.mark.parametrize(("version", "lines"), FOREIGN_RELATED_LINES, ids=lambda v: str(v)[:40])
def test_show_lists_a_kept_related_name_as_the_import_read_it(lrm, tmp_path, version, lines):
    card = ["BEGIN:VCARD", f"VERSION:{version}", "FN:Someone", *lines, "END:VCARD", ""]
    path = tmp_path / "card.vcf"
    path.write_text("\r\n".join(card), encoding="utf-8")
    assert lrm("import", "vcard", str(path)).exit_code == 0
    (named,) = read(version, lines).named_relations  # nobody of that name: kept, not linked
    shown = lrm("show", "Someone", "--json").json()["related_names"]
    assert shown == [{"kind": named.kind, "label": named.label, "name": named.other}]


@pytest.mark.parametrize(
    "line, kind",
    [
        ("X-MS-SPOUSE:Oscar Outlook", "spouse"),
        ("X-MS-MANAGER:Oscar Outlook", "manager"),
        ("X-MS-ASSISTANT:Oscar Outlook", "colleague"),
        ("X-MS-CHILD:Oscar Outlook", "child"),
        ("X-EVOLUTION-SPOUSE:Oscar Outlook", "spouse"),
        ("X-KADDRESSBOOK-X-ManagersName:Oscar Outlook", "manager"),
    ],
)
def test_a_desktop_address_books_related_name_is_read_with_its_kind(line, kind):
    (related,) = read("2.1", [line]).named_relations
    assert (related.kind, related.other) == (kind, "Oscar Outlook")
