"""Issue 12: what lrm says reads as English, through one set of helpers (lrm_cli/words.py):
counts agree with their nouns, relationship kinds are words, repeating reminders say
"every month", anniversaries their ordinal. JSON keeps the stored values."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lrm_cli import words
from lrm_cli.dates import MAX_DURATION_DAYS
from lrm_cli.scheduler import describe_every, parse_every

# --- the helpers ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("n", "word", "said"),
    [
        (1, "day", "1 day"),
        (2, "day", "2 days"),
        (0, "note", "0 notes"),
        (-1, "day", "-1 day"),
        (-3, "day", "-3 days"),
        (3, "reply", "3 replies"),
        (2, "person", "2 people"),
        (2, "match", "2 matches"),
        (2, "bad card", "2 bad cards"),
        (1, "more probable duplicate", "1 more probable duplicate"),
    ],
)
def test_plural(n, word, said):
    assert words.plural(n, word) == said


@given(st.integers(-10_000, 10_000))
def test_plural_agrees_with_the_count(n):
    assert words.plural(n, "day") == (f"{n} day" if abs(n) == 1 else f"{n} days")


@pytest.mark.parametrize(
    ("n", "said"),
    [
        *[(1, "1st"), (2, "2nd"), (3, "3rd"), (4, "4th"), (11, "11th"), (12, "12th")],
        *[(13, "13th"), (21, "21st"), (22, "22nd"), (23, "23rd"), (45, "45th"), (101, "101st")],
        *[(111, "111th"), (112, "112th"), (1000, "1000th")],
    ],
)
def test_ordinal(n, said):
    assert words.ordinal(n) == said


@given(st.integers(1, 100_000))
def test_ordinal_suffix_rule(n):
    teen = n % 100 in (11, 12, 13)
    expected = "th" if teen else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    assert words.ordinal(n) == f"{n}{expected}"


def test_every_and_in_days():
    assert [words.every(n, "month") for n in (1, 2)] == ["every month", "every 2 months"]
    assert [words.in_days(d) for d in (-2, -1, 0, 1, 2)] == [
        "2 days overdue",
        "1 day overdue",
        "today",
        "tomorrow",
        "in 2 days",
    ]


def test_milestones_and_titles():
    assert words.milestone("birthday", 45) == "turns 45"
    assert words.milestone("anniversary", 45) == "45th anniversary"
    assert words.milestone("custom", 1) == "1 year"
    assert words.dated_title("anniversary", "Ada's anniversary", 45) == "Ada's 45th anniversary"
    assert words.dated_title("anniversary", "Ada: Wedding", 1) == "Ada: Wedding, 1st anniversary"
    assert words.dated_title("birthday", "Ada's birthday", 45) == "Ada's birthday, turns 45"
    assert words.dated_title("anniversary", "Ada's anniversary", None) == "Ada's anniversary"


def test_kinds_and_relations_read_as_english():
    assert words.kind_label("introduced_by") == "introduced by"
    assert words.relation("Ada", "introduced_by", "Charles") == "Ada was introduced by Charles"
    assert words.relation("Ada", "spouse", "William") == "William is Ada's spouse"
    assert words.tally({"notes": 1, "important_dates": 2, "tags": 0}) == "1 note, 2 important dates"
    assert words.tally({"notes": 0}) == "nothing"


# --- RRULEs in words: the inverse of parse_every -------------------------------------------------

UNITS = {"d": ("day", 1), "w": ("week", 7), "m": ("month", 30), "y": ("year", 365)}
SPELLINGS = {"d": ["d", "day", "days"], "w": ["w", "wk", "weeks"], "m": ["m", "mo", "months"]}
SPELLINGS["y"] = ["y", "yr", "years"]


@st.composite
def durations(draw):
    unit = draw(st.sampled_from(sorted(UNITS)))
    n = draw(st.integers(1, MAX_DURATION_DAYS // UNITS[unit][1]))
    spelling = draw(st.sampled_from(SPELLINGS[unit]))
    space = draw(st.sampled_from(["", " "]))
    return n, unit, f"{n}{space}{spelling}"


@given(durations())
def test_describe_every_is_the_inverse_of_parse_every(duration):
    n, unit, text = duration
    rule = parse_every(text)
    said = describe_every(rule)
    assert said == words.every(n, UNITS[unit][0])
    assert "FREQ" not in said
    assert parse_every(said) == rule  # the words read back as the same rule


def test_a_rule_lrm_cannot_read_is_shown_as_it_is():
    assert describe_every("FREQ=HOURLY;INTERVAL=2") == "FREQ=HOURLY;INTERVAL=2"
    assert describe_every("RRULE:FREQ=YEARLY") == "every year"


# --- every command, as a person reads it ---------------------------------------------------------

COUNTED = (
    "day|week|month|year|note|interaction|contact|relationship|reminder|item|row|tag|method"
    "|date|card|change|group|pair|hit|result|person"
)
ONE_WITH_A_PLURAL = re.compile(rf"(?<![\d.,+-])1 (?:more )?(?:{COUNTED})s\b")
MANY_WITH_A_SINGULAR = re.compile(rf"(?<![\d.,+-])(?:0|[2-9]|\d\d+) (?:more )?(?:{COUNTED})\b(?!s)")


@pytest.fixture
def people(lrm, built):
    """Ada: 1 of everything (1 note, 1 interaction, 1 day overdue, a cadence of 1 day);
    Charles: 2 of some (2 notes, 2 days overdue)."""
    built(_make_people)
    return lrm


def _make_people(lrm) -> None:
    steps = [
        ("add", "Ada Lovelace", "-e", "ada@example.org", "--cadence", "1d", "-t", "mentors"),
        ("add", "Charles Babbage", "--birthday", "1791-12-26", "--cadence", "2d"),
        ("add", "William King"),
        ("log", "ada", "--kind", "call", "--initiator", "them", "--when", "2026-11-27"),
        ("log", "charles", "--kind", "gift", "--initiator", "me", "--when", "2026-11-25"),
        ("note", "ada", "Prefers letters", "--pin"),
        ("note", "charles", "one"),
        ("note", "charles", "two"),
        ("relate", "ada", "william", "--as", "introduced_by"),
        ("relate", "ada", "william", "--as", "spouse"),
        ("date", "add", "ada", "--kind", "anniversary", "--on", "1835-12-08"),
        ("date", "add", "charles", "--kind", "anniversary", "--on", "2025-12-01"),
        ("remind", "ada", "send the article", "--on", "2026-12-01", "--every", "1m"),
        ("remind", "charles", "call back", "--on", "2026-11-28", "--every", "2w"),
        ("tag", "cadence", "mentors", "1d"),
    ]
    for args in steps:
        result = lrm(*args)
        assert result.exit_code == 0, (args, result.stderr)


READS = [
    ("list",),
    ("show", "ada"),
    ("show", "charles"),
    ("due",),
    ("balance",),
    ("drift",),
    ("upcoming", "--days", "400"),
    ("reminders",),
    ("digest",),
    ("digest", "--explain"),
    ("digest", "--format", "markdown"),
    ("cadence", "ada"),
    ("cadence", "charles"),
    ("tags",),
    ("timeline",),
    ("timeline", "ada"),
    ("date", "list", "ada"),
    ("search", "ada"),
    ("undo", "--list"),
    ("db", "check"),
]


def _check_wording(text: str) -> None:
    assert not ONE_WITH_A_PLURAL.findall(text), text
    assert not MANY_WITH_A_SINGULAR.findall(text), text
    assert not re.search(r"introduced_by|give_more", text), text  # (--explain names rules)
    assert "FREQ=" not in text, text
    assert not re.search(r"anniversary.*turns \d", text), text


@pytest.mark.parametrize("args", READS, ids=" ".join)
def test_every_read_says_counts_kinds_and_rules_in_english(people, args):
    result = people(*args)
    assert result.exit_code == 0, result.stderr
    _check_wording(result.stdout + result.stderr)


def test_the_writes_say_it_in_english_too(people, tmp_path):
    said = []
    for args in [
        ("relate", "ada", "william", "--as", "introduced_by"),
        ("remind", "ada", "write", "--on", "2026-12-02", "--every", "2w"),
        ("remind", "ada", "late", "--on", "2026-11-28"),
        ("snooze", "charles", "--until", "2026-11-30"),
        ("export", "json", "--out", str(tmp_path / "all.json")),
        ("tag", "cadence", "mentors", "1d"),
        ("cadence", "ada", "1d"),
        ("relate", "ada", "william", "--rm", "--as", "spouse"),
        ("undo",),
        ("forget", "william", "--yes"),
        ("merge", "ada", "charles", "--yes"),
    ]:
        result = people(*args)
        assert result.exit_code == 0, (args, result.stderr)
        said.append(result.stdout + result.stderr)
    text = "\n".join(said)
    _check_wording(text)
    assert "Ada Lovelace was introduced by William King" in text
    assert "(every 2 weeks)" in text
    assert "already 1 day overdue" in text
    assert "removed 1 relationship between" in text
    assert "forgot William King #3 (2 relationships)" in text  # the removal was undone
    assert "filled birthday, snoozed until" in text


def test_human_output_in_words_json_as_stored(people):
    shown = people("show", "ada").stdout
    assert "introduced by: William King" in shown
    assert "1835-12-08, 191st anniversary on 2026-12-08" in shown
    assert "every day (explicit)" in shown
    relationships = people("show", "ada", "--json").json()["relationships"]
    assert sorted(r["kind"] for r in relationships) == ["introduced_by", "spouse"]

    listed = people("reminders").stdout
    assert "every month" in listed and "every 2 weeks" in listed
    rules = {r["title"]: r["recurrence"] for r in people("reminders", "--json").json()}
    assert rules == {
        "send the article": "FREQ=MONTHLY;INTERVAL=1",
        "call back": "FREQ=WEEKLY;INTERVAL=2",
    }

    upcoming = people("upcoming", "--days", "30").stdout
    assert "Ada Lovelace's anniversary\t191st anniversary" in upcoming
    assert "Charles Babbage's birthday\tturns 235" in upcoming
    assert "Charles Babbage's anniversary\t1st anniversary" in upcoming
    items = people("upcoming", "--days", "30", "--json").json()
    assert {(i["kind"], i["turns"]) for i in items if i["turns"]} == {
        ("anniversary", 191),
        ("birthday", 235),
        ("anniversary", 1),
    }

    digest = people("digest").stdout
    assert "\n  - 2026-12-08 (in 9 days): Ada Lovelace's 191st anniversary\n" in digest  # Coming up
    assert "coming up: 2026-12-08 (in 9 days): Ada Lovelace's 191st anniversary" in digest
    assert "Charles Babbage's 1st anniversary" in digest
    assert "Charles Babbage: 2 days overdue" in digest and "every 2 days" in digest
    assert "1 day overdue" in digest and "2 days overdue" in digest
