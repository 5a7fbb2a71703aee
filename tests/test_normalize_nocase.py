"""``normalize.nocase`` is SQLite's NOCASE as Python sees it: every importer dedups tags
with it before inserting them into ``tag.name`` (UNIQUE, NOCASE), so a difference would
be a crashed import or two tags where SQLite holds one."""

from __future__ import annotations

import sqlite3

from hypothesis import given
from hypothesis import strategies as st

from lrm_cli.normalize import nocase

letters = st.text(alphabet="aAzZéÉßẞıIiİöÖ-_1 ", max_size=6)


@given(letters, letters)
def test_nocase_equal_exactly_when_sqlite_says_equal(a: str, b: str) -> None:
    conn = sqlite3.connect(":memory:")
    (same,) = conn.execute("SELECT ? = ? COLLATE NOCASE", (a, b)).fetchone()
    assert bool(same) == (nocase(a) == nocase(b))


def test_accented_capitals_are_other_tags() -> None:
    assert nocase("Friends") == nocase("FRIENDS") == "friends"
    assert nocase("Élan") != nocase("élan")
