"""A note written about the wrong contact is moved, not retyped: `lrm note edit ID
--contact CONTACT` (as `reminder edit --contact` moves a reminder)."""

from __future__ import annotations

import pytest
from conftest import ok


def _notes(lrm, who: str) -> list[str]:
    return [n["body"] for n in ok(lrm("show", who, "--json")).json()["notes"]]


@pytest.fixture
def slip(lrm):
    ok(lrm("add", "Ann Lee"))
    ok(lrm("add", "Bob Stone"))
    ok(lrm("note", "ann", "Daughter starts college in September", "--pin"))
    ok(lrm("note", "ann", "Ann's own note"))


def test_a_note_moves_with_its_text_and_pin(lrm, slip):
    moved = ok(lrm("note", "edit", "1", "--contact", "bob", "--json")).json()
    assert moved["changed"] is True
    bob = ok(lrm("show", "bob", "--json")).json()["notes"]
    assert [(n["id"], n["body"], n["pinned"]) for n in bob] == [
        (1, "Daughter starts college in September", True)
    ]
    assert _notes(lrm, "ann") == ["Ann's own note"]
    text = ok(lrm("note", "edit", "1", "--contact", "ann")).stdout
    assert text.strip() == "changed note #1, now about Ann Lee"


def test_move_and_rewrite_at_once_and_undo_puts_it_back(lrm, slip):
    ok(lrm("note", "edit", "1", "College in Boston", "--contact", "bob"))
    assert _notes(lrm, "bob") == ["College in Boston"]
    ok(lrm("undo"))
    assert _notes(lrm, "bob") == []
    assert "Daughter starts college in September" in _notes(lrm, "ann")


def test_moving_to_where_it_is_writes_nothing(lrm, slip):
    again = ok(lrm("note", "edit", "2", "--contact", "ann", "--json")).json()
    assert again["changed"] is False


@pytest.mark.parametrize(
    "argv",
    [
        ["note", "ann", "text", "--contact", "bob"],  # a new note names its contact first
        ["note", "rm", "1", "--contact", "bob"],
    ],
)
def test_contact_is_for_edit_only(lrm, slip, argv):
    result = lrm(*argv)
    assert result.exit_code == 5
    assert "lrm note edit ID --contact CONTACT" in result.stderr
    assert _notes(lrm, "bob") == [] and len(_notes(lrm, "ann")) == 2


def test_an_unknown_contact_moves_nothing(lrm, slip):
    result = lrm("note", "edit", "1", "--contact", "nobody")
    assert result.exit_code == 3
    assert len(_notes(lrm, "ann")) == 2
