"""An id is taken as lrm prints it: the digest says "reminder #1", the timeline "#3 call",
`date list` "#2"; `lrm done "#1"` is `lrm done 1` (was: "must be a number")."""

from __future__ import annotations

import pytest
from conftest import ok
from hypothesis import given
from hypothesis import strategies as st

from lrm_cli.cli.options import parse_record_id

TODAY = ["--today", "2026-12-07"]


@pytest.fixture
def book(lrm):
    ok(lrm("add", "Ann Lee"))
    ok(lrm(*TODAY, "log", "ann", "--when", "2026-12-01"))
    ok(lrm(*TODAY, "remind", "ann", "Return the book", "--on", "2026-12-09"))
    ok(lrm(*TODAY, "remind", "ann", "Call", "--on", "2026-12-10"))
    ok(lrm("date", "add", "ann", "--kind", "anniversary", "--on", "--07-08"))
    ok(lrm("note", "ann", "Likes tea"))


def test_every_fixing_command_takes_the_id_as_printed(lrm, book):
    assert "reminder #1 done" in ok(lrm(*TODAY, "done", "#1")).stdout
    ok(lrm(*TODAY, "reminder", "edit", "#2", "--title", "Call back"))
    ok(lrm(*TODAY, "interaction", "edit", "#1", "--summary", "Tea"))
    ok(lrm("note", "edit", "#1", "Likes green tea"))
    ok(lrm("date", "rm", "ann", "#1"))
    shown = ok(lrm(*TODAY, "show", "ann", "--json")).json()
    assert [r["title"] for r in shown["reminders"]] == ["Call back"]
    assert shown["interactions"][0]["summary"] == "Tea"
    assert shown["notes"][0]["body"] == "Likes green tea"
    assert shown["important_dates"] == []
    ok(lrm(*TODAY, "reminder", "rm", "#2"))
    ok(lrm(*TODAY, "interaction", "rm", "#1"))
    ok(lrm("note", "rm", "#1"))


@pytest.mark.parametrize("bad", ["x1", "#", "##1", "1.5", "#-1", "²"])
def test_anything_else_is_a_usage_error_naming_the_forms(lrm, book, bad):
    result = lrm(*TODAY, "done", bad)
    assert result.exit_code == 2
    assert f"reminder id must be a number such as 12 or #12, got {bad!r}" in result.stderr
    assert ok(lrm(*TODAY, "reminders", "--json")).json()[0]["done"] is False


@given(st.integers(0, 10**9), st.booleans())
def test_an_id_reads_back_with_or_without_its_hash(n, hashed):
    assert parse_record_id(f"#{n}" if hashed else str(n)) == n
