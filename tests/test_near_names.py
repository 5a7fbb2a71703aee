"""A name that matches nobody because of a typo ("tom bakr", "prya") gets a hint naming
the contact meant, with its id (services/refs.near): the slip is fixed by retyping, not
by a search. Nothing near keeps the `lrm search` hint."""

from __future__ import annotations

import json
import sqlite3

import pytest
from conftest import ok
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lrm_cli.services import refs
from lrm_cli.store.db import name_order_function


@pytest.fixture
def people(lrm):
    for name in ("Tom Baker", "Priya Natarajan", "Priya Nair", "Ada Lovelace"):
        ok(lrm("add", name))
    return lrm


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("tom bakr", "Tom Baker (#1)"),
        ("Tom Bakker", "Tom Baker (#1)"),
        ("priya natarajn", "Priya Natarajan (#2)"),
        ("Natarajan Priya x", "Priya Natarajan (#2)"),  # words in another order, one more
        ("lovelase", "Ada Lovelace (#4)"),  # one word of the name
        ("tim bakr", "Tom Baker (#1)"),  # a first word's first letters wrong too
        ("Ava Lovelace", "Ada Lovelace (#4)"),
    ],
)
def test_a_typo_in_a_name_hints_at_the_contact_meant(people, typed, meant):
    done = people("show", typed)
    assert done.exit_code == 3
    assert (
        done.stderr == f"lrm: error: no contact matches {typed!r} (hint: did you mean {meant}?)\n"
    )
    error = json.loads(people("show", typed, "--json").stderr)["error"]
    assert error["code"] == "not_found" and error["hint"] == f"did you mean {meant}?"


def test_the_hint_lists_the_closest_first_and_nothing_near_keeps_search(people):
    ok(people("add", "Tom Barker"))
    done = people("show", "tom bakr")
    assert done.exit_code == 3
    assert done.stderr.endswith("(hint: did you mean Tom Baker (#1) or Tom Barker (#5)?)\n")
    far = people("show", "Zed Quinn")
    assert far.exit_code == 3 and far.stderr.endswith("(hint: lrm search 'Zed Quinn')\n")


def test_log_offers_the_near_name_rather_than_the_summary_hint(people):
    done = people("log", "Tom", "priya natarajn")
    assert done.exit_code == 3
    assert done.stderr.endswith("(hint: did you mean Priya Natarajan (#2)?)\n")
    sentence = people("log", "Tom", "had lunch at the pier")
    assert "use -s: lrm log Tom -s 'had lunch at the pier'" in sentence.stderr
    assert ok(people("timeline", "Tom", "--json")).json() == []  # nothing was logged


_WORD = st.text("abcdefghijklmnoprstuvwy", min_size=5, max_size=10)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(first=_WORD, last=_WORD, at=st.integers(2, 9), letter=st.sampled_from("qxz"))
def test_one_letter_wrong_after_the_second_is_offered(
    template_db, tmp_path, first, last, at, letter
):
    """The property: a two-word name with one letter of its last word changed (past the
    first two, which pick the candidates) is always near the name."""
    name = f"{first.title()} {last.title()}"
    at = min(at, len(last) - 1)
    typo = f"{first} {last[:at]}{letter}{last[at + 1 :]}"
    with sqlite3.connect(template_db) as template, sqlite3.connect(":memory:") as conn:
        template.backup(conn)
        name_order_function(conn)  # as store.db.connect registers it
        conn.execute(
            "INSERT INTO contact (uid, display_name, created_at, updated_at) VALUES ('u', ?, 0, 0)",
            (name,),
        )
        assert [c.name for c in refs.near(conn, typo)] == [name]


@pytest.fixture
def accented(lrm):
    for name in ("Maya Rodríguez", "Jürgen Müller", "Zoë Hart"):
        ok(lrm("add", name))
    return lrm


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("rodriguez", "Maya Rodríguez"),  # a later word
        ("maya rodriguez", "Maya Rodríguez"),  # the whole name
        ("MAYA RODRÍ", "Maya Rodríguez"),  # case aside too, and a prefix
        ("jurgen mul", "Jürgen Müller"),
        ("zoe", "Zoë Hart"),
    ],
)
def test_a_name_typed_without_its_accents_finds_the_contact(accented, typed, meant):
    assert ok(accented("show", typed, "--json")).json()["name"] == meant


def test_accents_aside_is_the_last_rule_and_two_are_ambiguous(accented):
    ok(accented("add", "Zoe Hartley"))  # the very letters typed, and Zoë with accents aside
    both = accented("show", "zoe")  # adding Zoe did not take over what "zoe" meant
    assert both.exit_code == 4
    assert "Zoe Hartley (#4)" in both.stderr and "Zoë Hart (#3)" in both.stderr
    assert ok(accented("show", "zoë", "--json")).json()["name"] == "Zoë Hart"  # accents typed
    assert ok(accented("show", "zoe hartley", "--json")).json()["name"] == "Zoe Hartley"
    assert ok(accented("show", "hartl", "--json")).json()["name"] == "Zoe Hartley"
    ok(accented("add", "Maya Ródriguez"))
    two = accented("show", "maya rodriguez")
    assert two.exit_code == 4
    assert "Maya Rodríguez (#1)" in two.stderr and "Maya Ródriguez (#5)" in two.stderr


def test_a_typo_in_an_accented_name_hints_at_it_and_an_organisation_is_no_name(accented):
    done = accented("show", "jurgn muller")
    assert done.exit_code == 3
    assert done.stderr.endswith("(hint: did you mean Jürgen Müller (#2)?)\n")
    ok(accented("add", "Ann Lee", "--org", "Rodríguez & Sons"))
    assert ok(accented("show", "rodriguez", "--json")).json()["name"] == "Maya Rodríguez"
    assert accented("show", "sons").exit_code == 3


def test_without_the_search_index_a_name_matching_nobody_is_still_not_found(template_db):
    """A damaged file whose index is gone (``lrm db check`` rebuilds it): the rules that
    need the index find nothing; the reference is not found, never an unexpected error."""
    with sqlite3.connect(template_db) as template, sqlite3.connect(":memory:") as conn:
        template.backup(conn)
        name_order_function(conn)  # as store.db.connect registers it
        conn.execute(
            "INSERT INTO contact (uid, display_name, created_at, updated_at)"
            " VALUES ('u', 'Maya Rodríguez', 0, 0)"
        )
        conn.execute("DROP TABLE search_index")
        with pytest.raises(refs.NotFound):
            refs.resolve(conn, "rodriguez")
        assert refs.resolve(conn, "maya").name == "Maya Rodríguez"


def test_a_new_unaccented_twin_does_not_take_over_a_reference(lrm):
    """Logging to "jose" for months, then adding Jose Garcia: "jose" stops at an ambiguity
    naming both (exit 4, nothing logged), never silently logs to the newcomer."""
    ok(lrm("add", "José Martínez"))
    assert "José Martínez" in ok(lrm("log", "jose", "-s", "first")).stdout
    ok(lrm("add", "Jose Garcia"))
    slip = lrm("log", "jose", "-s", "second")
    assert slip.exit_code == 4
    assert "Jose Garcia (#2)" in slip.stderr and "José Martínez (#1)" in slip.stderr
    assert "Jose Garcia" in ok(lrm("log", "jose g", "-s", "third")).stdout
    assert "José Martínez" in ok(lrm("log", "josé", "-s", "fourth")).stdout
    summaries = [i["summary"] for i in lrm("timeline", "--json").json()]
    assert "second" not in summaries and {"first", "third", "fourth"} <= set(summaries)
