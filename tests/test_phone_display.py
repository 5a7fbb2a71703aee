"""Issue 12: phones are grouped for people (show, search, the digest's reach line), stored
and given to scripts as they are (E.164 or as typed); `list --search` matches a phone's
digits whatever the formatting, as `lrm search` does; phonenumbers is imported only when
a phone is shown."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from conftest import run_exe

from lrm_cli.normalize import display_phone


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        ("+442079460000", "+44 20 7946 0000"),
        ("+4930901820", "+49 30 901820"),
        ("+33612345678", "+33 6 12 34 56 78"),
        ("(020) 7946-0000", "(020) 7946-0000"),  # kept as typed: shown as typed
        ("555-0134", "555-0134"),
        ("+44 20 7946 0000 x12", "+44 20 7946 0000 x12"),
    ],
)
def test_display_phone(stored, shown):
    assert display_phone(stored) == shown


@pytest.fixture
def people(lrm):
    for args in (
        ("add", "Ada Lovelace", "--phone", "+44 20 7946 0000", "--cadence", "7d"),
        ("add", "Jörg Müller", "--phone", "(030) 901-820"),  # no region: kept as typed
        ("add", "Charles Babbage", "-e", "charles@example.org"),
        ("log", "ada", "--kind", "call", "--when", "2026-11-01"),
    ):
        assert lrm(*args).exit_code == 0
    return lrm


def test_show_groups_the_phone_and_json_keeps_it(people):
    assert "phone  +44 20 7946 0000" in people("show", "ada").stdout.replace("\t", "  ")
    assert people("show", "ada", "--json").json()["phones"] == ["+442079460000"]
    assert "(030) 901-820" in people("show", "jörg").stdout


def test_search_shows_the_phone_grouped(people):
    human = people("search", "7946 0000").stdout
    assert human.rstrip().split("\t")[-1] == "+44 20 7946 0000"
    (hit,) = people("search", "7946 0000", "--json").json()
    assert hit["snippet"] == "+442079460000"


def test_the_digest_reach_line_groups_the_phone(people):
    digest = people("digest").stdout
    assert "reach: phone +44 20 7946 0000" in digest
    (due,) = people("digest", "--json").json()["due"]
    assert due["reach"]["value"] == "+442079460000"


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("020 7946", ["Ada Lovelace"]),  # the trunk 0 of a number stored in E.164
        ("+44 20 7946 0000", ["Ada Lovelace"]),
        ("0044 (20) 7946-0000", ["Ada Lovelace"]),
        ("7946-0000", ["Ada Lovelace"]),
        ("030 901820", ["Jörg Müller"]),  # a number kept as typed, other punctuation
        ("901.820", ["Jörg Müller"]),
        ("+49 30 901 820", ["Jörg Müller"]),  # international query, national number
        ("0 7", []),  # too few digits for a phone: as text only, found nowhere
        ("20 79", ["Ada Lovelace"]),  # as text nowhere (+442079460000), as digits in Ada's
        ("555", []),
        ("müller", ["Jörg Müller"]),
    ],
)
def test_list_search_matches_phone_digits_in_any_formatting(people, query, found):
    listed = people("list", "--search", query, "--json")
    assert listed.exit_code == 0, listed.stderr
    assert [c["name"] for c in listed.json()] == found
    human = people("list", "--search", query).stdout
    assert [line.split("\t")[1] for line in human.splitlines()] == found


def test_the_fast_path_list_search_matches_digits_too(people, lrm_exe, db_path):
    done = run_exe(lrm_exe, "list", "--search", "020 7946", env={"LRM_DB": str(db_path)})
    assert done.returncode == 0 and done.stdout.split("\t")[1] == "Ada Lovelace"


PROBE = """
import sys
sys.argv = ["lrm", *{args!r}]
from lrm_cli.cli.app import main
try:
    main()
except SystemExit:
    pass
print("PHONENUMBERS=" + str("phonenumbers" in sys.modules), file=sys.stderr)
"""


def _imports_phonenumbers(*args: str, db) -> bool:
    env = {**os.environ, "LRM_DB": str(db)}
    code = PROBE.format(args=list(args))
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60
    )
    line = [ln for ln in done.stderr.splitlines() if ln.startswith("PHONENUMBERS=")][-1]
    return line == "PHONENUMBERS=True"


def test_phonenumbers_is_imported_only_to_show_a_phone(people, db_path):
    for args in (
        ["list"],
        ["list", "--json"],
        ["list", "--search", "020 7946"],
        ["show", "charles"],
        ["show", "jörg"],
        ["show", "ada", "--json"],
        ["due"],
    ):
        assert not _imports_phonenumbers(*args, db=db_path), args
    assert _imports_phonenumbers("show", "ada", db=db_path)
