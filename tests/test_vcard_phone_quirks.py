"""What some phones write that the standard does not allow, read the way the phone meant:
a NOTE with its line breaks as they are, and empty parameters (``TEL;TYPE=CELL;;:``)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lrm_cli.formats import vcard
from lrm_cli.formats.vcard import _PROPERTY_START


def _read(text: str):
    result = vcard.read(text.replace("\n", "\r\n").encode(), "phone.vcf")
    assert not result.errors, result.errors
    (card,) = result.cards
    return card, result.warnings


# a note's lines: no blank line (a blank line ends nothing and is dropped), none starting
# with a space or tab (a fold), a backslash (an escape) or anything that starts a property
note_line = (
    st.text(alphabet="abcdefghij KLMNOP 0123456789,.:;!?'-()", min_size=1, max_size=40)
    .filter(lambda s: not s[0].isspace() and s.strip() == s)
    .filter(lambda s: not _PROPERTY_START.match(s.encode()))
)


@pytest.mark.parametrize("version", ["2.1", "3.0"])
@given(st.lists(note_line, min_size=2, max_size=6))
def test_a_note_with_bare_line_breaks_keeps_every_line(version, lines):
    body = "\n".join(lines)
    escaped = body.replace(",", "\\,").replace(";", "\\;") if version != "2.1" else body
    text = f"BEGIN:VCARD\nVERSION:{version}\nFN:Ann Lee\nNOTE:{escaped}\n"
    text += "TEL:+447700900123\nEND:VCARD\n"
    card, warnings = _read(text)
    assert [n.body for n in card.notes] == [body]
    assert warnings == []
    assert [m.value for m in card.methods] == ["+447700900123"]  # the next property is itself


@pytest.mark.parametrize(
    "line",
    [
        "TEL;TYPE=CELL;;:+44 7700 900123",
        "TEL;;TYPE=CELL:+44 7700 900123",
        "TEL;TYPE=CELL;:+44 7700 900123",
    ],
)
def test_an_empty_parameter_keeps_the_phone(line):
    card, warnings = _read(f"BEGIN:VCARD\nVERSION:3.0\nFN:Ann Lee\n{line}\nEND:VCARD\n")
    assert [(m.kind, m.value, m.label) for m in card.methods] == [
        ("phone", "+44 7700 900123", "cell")
    ]
    assert warnings == []


def test_a_note_continued_through_the_command(lrm, tmp_path):
    path = tmp_path / "phone.vcf"
    path.write_bytes(
        b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann Lee\r\nNOTE:Met at the climbing wall\r\n"
        b"Ask about: the Alps trip\r\nEND:VCARD\r\n"
    )
    imported = lrm("import", "vcard", str(path))
    assert imported.exit_code == 0 and imported.stderr == ""
    (note,) = lrm("show", "ann", "--json").json()["notes"]
    assert note["body"] == "Met at the climbing wall\nAsk about: the Alps trip"


@pytest.mark.parametrize("end", [b"\r\n", b"\n"])
def test_exports_joined_with_cat_each_with_a_bom_import_every_card(lrm, tmp_path, end):
    """Windows tools begin each file with a byte-order mark; `cat a.vcf b.vcf` leaves the
    second one at the start of a line: every card is read, and nothing is warned about."""
    bom = b"\xef\xbb\xbf"

    def card(name: str, email: str) -> bytes:
        lines = ["BEGIN:VCARD", "VERSION:3.0", f"FN:{name}", f"EMAIL:{email}", "END:VCARD"]
        return bom + end.join(line.encode() for line in lines) + end

    joined = tmp_path / "all.vcf"
    joined.write_bytes(card("Ann Lee", "ann@example.org") + card("Bob Ray", "bob@example.org"))
    done = lrm("import", "vcard", str(joined))
    assert done.exit_code == 0, done.stderr
    assert done.stderr == ""
    assert [c["name"] for c in lrm("list", "--json").json()] == ["Ann Lee", "Bob Ray"]


def test_a_card_named_only_by_a_nickname_or_a_handle_is_named_so(lrm, tmp_path):
    """A phone shows a contact saved as only "Mo", or only a Telegram handle, by that: the
    card imports under it (was: refused as having no name); a card with nothing to name
    it by is still refused, saying what a name is taken from."""
    cards = [
        ["N:;;;;", "FN:", "NICKNAME:Mo"],
        ["FN:", "IMPP;X-SERVICE-TYPE=Telegram:x-apple:mo_t", "NOTE:The man from the bakery"],
        ["FN:", "NOTE:nothing else"],
    ]
    text = "".join(
        "\r\n".join(["BEGIN:VCARD", "VERSION:3.0", *lines, "END:VCARD"]) + "\r\n" for lines in cards
    )
    path = tmp_path / "phone.vcf"
    path.write_text(text, encoding="utf-8")
    done = lrm("import", "vcard", str(path))
    assert done.exit_code == 0, done.stderr
    assert "phone.vcf:13: no name" in done.stderr and "NICKNAME" in done.stderr
    named = {c["name"]: c["id"] for c in lrm("list", "--json").json()}
    assert set(named) == {"Mo", "mo_t"}
    shown = lrm("show", str(named["mo_t"]), "--json").json()
    assert [n["body"] for n in shown["notes"]] == ["The man from the bakery"]
