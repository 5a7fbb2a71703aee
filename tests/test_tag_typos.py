"""A typo in a tag makes a new tag, as a new word would; lrm says so when it is a near miss
of a tag already there, and how to fold it in."""

from __future__ import annotations

from conftest import ok


def test_a_near_miss_of_a_tag_warns_and_the_hint_folds_it_in(lrm):
    ok(lrm("add", "Ann", "--tag", "friend"))
    added = ok(lrm("add", "Bob", "--tag", "freind"))
    assert added.stderr == (
        "lrm: warning: 'freind' is a new tag: did you mean 'friend'?"
        " (lrm tag rename freind friend folds it in)\n"
    )
    ok(lrm("tag", "rename", "freind", "friend"))
    assert [c["name"] for c in lrm("list", "--tag", "friend", "--json").json()] == ["Ann", "Bob"]


def test_tag_add_warns_too_and_json_stays_clean(lrm):
    ok(lrm("add", "Ann", "--tag", "colleague"))
    tagged = ok(lrm("tag", "add", "ann", "collegue", "--json"))
    assert "did you mean 'colleague'?" in tagged.stderr
    assert "collegue" in tagged.json()["tags"]


def test_a_tag_that_exists_or_is_far_from_any_says_nothing(lrm):
    ok(lrm("add", "Ann", "--tag", "friend"))
    assert ok(lrm("tag", "add", "ann", "Friend")).stderr == ""  # the same tag
    assert ok(lrm("tag", "add", "ann", "climbing")).stderr == ""  # a new word
    assert ok(lrm("add", "Bob", "--tag", "friends", "--quiet")).stderr == ""
