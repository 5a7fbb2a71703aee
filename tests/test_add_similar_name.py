"""`lrm add` warns of a name like someone else's (a slip of the keyboard, or the same
name in another order) with the merge that makes the two one, as it warns of the same
name: by the rule of `lrm dupes` (``merge.NameIndex``), so the warning and the list agree."""

from __future__ import annotations

import re

import pytest
from conftest import ok

NAMES = [
    "Ada Lovelace",
    "Charles Babbage",
    "Ada Lovelase",  # a typo: like #1
    "Lovelace Ada",  # another order: like #1
    "Charles Babage",  # like #2
    "Ada Byron",  # another person
    "Charlie",
    "Charles",  # like Charlie
    "Grace Hopper",
    "Jean-Luc Picard",
    "Picard Jean Luc",  # the same words
    "Zoë Washburne",
    "Zoe Washburn",  # accents aside, a letter off
]


def _warned_pairs(stderr: str, new_id: int) -> set[tuple[int, int]]:
    return {(int(m[1]), new_id) for m in re.finditer(r"\(#(\d+)\) has a name like", stderr)}


def test_each_warning_names_a_pair_lrm_dupes_lists_and_none_it_does_not(lrm):
    warned: set[tuple[int, int]] = set()
    for new_id, name in enumerate(NAMES, start=1):
        result = ok(lrm("add", name))
        pairs = _warned_pairs(result.stderr, new_id)
        warned |= pairs
        if pairs:
            ((first, _),) = pairs
            assert f"the same person? lrm merge {first} {new_id} (or lrm undo)" in result.stderr
        else:
            assert result.stderr == ""
    listed = {
        (p["a"]["id"], p["b"]["id"])
        for p in ok(lrm("dupes", "--json")).json()
        if "similar_name" in p["reasons"]
    }
    # each contact added is warned of the first one it is listed with (only one is named)
    first_partner = {}
    for a, b in sorted(listed):
        first_partner.setdefault(b, a)
    assert warned == {(a, b) for b, a in first_partner.items()}
    assert {b for _, b in warned} == {3, 4, 5, 8, 11, 13}


@pytest.mark.parametrize("ordered", [False, True])
def test_the_warning_s_merge_makes_the_slip_one_contact(lrm, ordered):
    ok(lrm("add", "Ada Lovelace", "--email", "ada@example.org"))
    typo = "Lovelace Ada" if ordered else "Ada Lovelcae"
    added = ok(lrm("add", typo, "--phone", "+44 20 7946 0000"))
    assert "lrm merge 1 2" in added.stderr
    ok(lrm("merge", "1", "2", "--yes"))
    (ada,) = ok(lrm("list", "--json")).json()
    assert ada["name"] == "Ada Lovelace"


def test_an_edit_to_a_name_like_another_s_warns_but_not_of_its_own(lrm):
    ok(lrm("add", "Ada Lovelace"))
    ok(lrm("add", "Bob Stone"))
    assert ok(lrm("edit", "bob", "--name", "Bob Stones")).stderr == ""  # like its own
    renamed = ok(lrm("edit", "bob", "--name", "Ada Lovelac"))
    assert "Ada Lovelace (#1) has a name like Ada Lovelac" in renamed.stderr
