"""A list filtered by a tag that does not exist says so, with the tag meant: a typo in
`-t` is not mistaken for "nobody"."""

from __future__ import annotations

import pytest
from conftest import ok


@pytest.mark.parametrize(
    "command",
    [["list"], ["due"], ["losing-touch"], ["list", "--json"], ["due", "--json"]],
)
def test_a_mistyped_tag_is_named_with_the_one_meant(lrm, command):
    ok(lrm("add", "Ann Lee", "--tag", "friends"))
    result = ok(lrm(*command, "--tag", "frends"))
    assert "lrm: warning: no tag 'frends': did you mean 'friends'?" in result.stderr
    if "--json" in command:
        assert result.json() == []  # the answer itself stays what scripts expect


def test_a_tag_that_exists_gets_no_warning_even_when_nobody_matches(lrm):
    ok(lrm("add", "Ann Lee", "--tag", "friends"))
    upper = ok(lrm("list", "--tag", "FRIENDS"))
    assert "Ann Lee" in upper.stdout and upper.stderr == ""  # tags ignore case
    assert ok(lrm("list", "--tag", "friends")).stderr == ""
    ok(lrm("archive", "ann"))
    assert ok(lrm("list", "--tag", "friends")).stderr == ""  # exists, archived away


def test_an_unknown_tag_with_no_near_miss_points_to_the_tag_list(lrm):
    ok(lrm("add", "Ann Lee", "--tag", "friends"))
    assert "no tag 'zzz' (lrm tags lists them)" in ok(lrm("due", "-t", "zzz")).stderr
