"""lrm writes a card's lines through a lighter vobject ContentLine and encodes each line
once (formats/vcard.py: _line_class, _adder, written), to render a first export in half
the time. What it writes must stay exactly what vobject's own Component.add and serialize
write for the same card: these tests hold the two together."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_vcard_properties import cards, text, value
from vobject.base import ContentLine

from lrm_cli.formats import vcard
from lrm_cli.vocabulary import RELATIONSHIP_KINDS

# the card fields the round-trip strategy leaves out: what an export writes as well
more = st.fixed_dictionaries(
    {
        "related_names": st.lists(
            st.builds(vcard.Related, st.sampled_from(RELATIONSHIP_KINDS), value,
                      st.none() | text),
            max_size=2,
        ),
        "aliases": st.lists(value, max_size=2),
        "org_units": st.lists(value, max_size=2),
        "name_parts": st.lists(text, max_size=3),
    }
)  # fmt: skip


def as_vobject_writes_it(card: vcard.Card, share_notes: bool) -> bytes:
    """The card built with vobject's own Component.add and written by its serialize
    (validated, each line encoded and decoded back)."""
    with pytest.MonkeyPatch.context() as patched:
        patched.setattr(vcard, "_adder", lambda component: component.add)
        component = vcard.to_component(card, share_notes=share_notes)
    assert not any(type(line) is not ContentLine for line in component.getChildren())
    return component.serialize(lineLength=1_000_000_000).encode("utf-8")


@settings(max_examples=300, deadline=None)
@given(card=cards, extra=more, share_notes=st.booleans())
def test_a_card_is_written_exactly_as_vobjects_own_lines_write_it(card, extra, share_notes):
    for name, values in extra.items():
        setattr(card, name, values)
    if card.organization is None:
        card.org_units = []
    ours = vcard.written(vcard.to_component(card, share_notes=share_notes))
    assert ours == as_vobject_writes_it(card, share_notes)


def test_a_hard_card_is_written_as_vobject_writes_it():
    """Every escape a value can need (comma, semicolon, backslash, newline) in each kind
    of line: plain text, N and ADR's fields, ORG's units, CATEGORIES' list, a parameter."""
    tricky = "a,b;c\\d\ne"
    card = vcard.Card(
        name=tricky, given_name=tricky, family_name=tricky, organization=tricky,
        org_units=[tricky], title=tricky, nickname=tricky, tags=[tricky, "x"],
        methods=[vcard.ContactMethod("address", tricky, tricky, True),
                 vcard.ContactMethod("email", "a@b.org", "home", False)],
        notes=[vcard.CardNote(tricky, 5, True)], birthday="--02-29", how_met=tricky,
        related_names=[vcard.Related("friend", tricky, tricky)], aliases=[tricky],
    )  # fmt: skip
    ours = vcard.written(vcard.to_component(card))
    assert ours == as_vobject_writes_it(card, True)
    lines = ours.decode("utf-8").split("\r\n")
    assert "FN:a\\,b\\;c\\\\d e" in lines  # one line: a newline is a space
    assert "NOTE;X-LRM-CREATED=5;X-LRM-PINNED=1:a\\,b\\;c\\\\d\\ne" in lines


def test_a_new_line_holds_what_vobjects_new_line_holds():
    """The lighter line starts as vobject's does, attribute for attribute: a vobject
    release that adds one fails here, not in a user's export."""
    for name, group in (("FN", None), ("EMAIL", "item1")):
        assert (
            vcard._line_class()(name, group).__dict__ == ContentLine(name, [], "", group).__dict__
        )
