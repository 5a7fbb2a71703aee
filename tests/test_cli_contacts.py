"""Contacts through the real command tree (CliRunner): add, edit, list, show, tag,
archive, unarchive, forget, and their error paths."""

from __future__ import annotations

import json
import sqlite3

import pytest

ADA = [
    "add",
    "Ada Lovelace",
    "--email",
    "Ada@Example.org",
    "--phone",
    "+44 20 7946 0000",
    "--tag",
    "mentors",
    "--org",
    "Analytical Engines",
    "--how-met",
    "PyCon 2019",
    "--birthday",
    "1815-12-10",
    "--cadence",
    "30d",
]


def test_add_with_every_option_normalises_and_reports(lrm):
    result = lrm(*ADA, "--json")
    assert result.exit_code == 0, result.stderr
    ada = result.json()
    assert ada["name"] == "Ada Lovelace"
    assert ada["emails"] == ["ada@example.org"]
    assert ada["phones"] == ["+442079460000"]
    assert ada["tags"] == ["mentors"]
    assert ada["organization"] == "Analytical Engines"
    assert ada["how_met"] == "PyCon 2019"
    assert ada["birthday"] == "1815-12-10"
    assert ada["cadence_days"] == 30
    assert ada["given_name"] == "Ada" and ada["family_name"] == "Lovelace"
    assert ada["archived"] is False
    assert ada["created_at"].startswith("2026-") and ada["created_at"].endswith("+00:00")


def test_add_minimal_and_human_output(lrm):
    result = lrm("add", "Grace Hopper")
    assert result.exit_code == 0
    assert result.stdout.strip() == "added Grace Hopper #1"
    assert result.stderr == ""


def test_partial_birthday_without_year(lrm):
    assert lrm("add", "Bob", "--birthday", "--04-12", "--json").json()["birthday"] == "--04-12"


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--email", "ada-at-example.org"], "invalid email"),
        (["--cadence", "fortnightlyish"], "invalid duration"),
        (["--cadence", "0d"], "duration"),
        (["--birthday", "1984"], "year alone"),
        (["--birthday", "1815-02-30"], "date"),
        (["--tag", "two words"], "invalid tag"),
    ],
)
def test_add_rejects_bad_input_and_writes_nothing(lrm, db_path, args, needle):
    result = lrm("add", "Ada", *args)
    assert result.exit_code == 5
    assert needle in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    assert lrm("list", "--json").json() == []


def test_add_rejects_an_empty_name(lrm):
    result = lrm("add", "   ")
    assert result.exit_code == 5
    assert "name" in result.stderr


def test_edit_changes_adds_and_clears(lrm):
    lrm(*ADA)
    result = lrm(
        "edit",
        "ada",
        "--org",
        "Royal Society",
        "--email",
        "ada@royal.example",
        "--remove-phone",
        "+442079460000",
        "--birthday",
        "",
        "--json",
    )
    assert result.exit_code == 0, result.stderr
    ada = result.json()
    assert ada["organization"] == "Royal Society"
    assert ada["emails"] == ["ada@example.org", "ada@royal.example"]
    assert ada["phones"] == []
    assert ada["birthday"] is None
    assert ada["updated_at"] >= ada["created_at"]


def test_edit_rename_and_missing_method(lrm):
    lrm("add", "Ada")
    assert lrm("edit", "ada", "--name", "Ada King", "--json").json()["name"] == "Ada King"
    missing = lrm("edit", "ada", "--remove-email", "nobody@example.org")
    assert missing.exit_code == 3
    assert "has no nobody@example.org" in missing.stderr


def test_list_filters_sorts_and_searches(lrm):
    lrm(*ADA)
    lrm("add", "Charles Babbage", "--tag", "mentors", "--org", "Difference Engines")
    lrm("add", "Grace Hopper", "--email", "grace@navy.example")
    lrm("note", "grace", "Knows about COBOL")
    names = lambda *a: [c["name"] for c in lrm("list", "--json", *a).json()]  # noqa: E731
    assert names() == ["Ada Lovelace", "Charles Babbage", "Grace Hopper"]
    assert names("--tag", "mentors") == ["Ada Lovelace", "Charles Babbage"]
    assert names("--search", "engines") == ["Ada Lovelace", "Charles Babbage"]
    assert names("--search", "navy.example") == ["Grace Hopper"]
    assert names("--search", "cobol") == ["Grace Hopper"]
    assert names("--search", "100%") == []
    assert names("--sort", "id", "--reverse") == ["Grace Hopper", "Charles Babbage", "Ada Lovelace"]
    assert names("--limit", "1") == ["Ada Lovelace"]


def test_list_empty_is_success(lrm):
    result = lrm("list", "--json")
    assert result.exit_code == 0
    assert result.json() == []
    plain = lrm("list")
    assert plain.exit_code == 0 and plain.stdout == ""


def test_list_piped_is_tab_separated(lrm):
    lrm(*ADA)
    line = lrm("list").stdout.splitlines()[0]
    assert line.split("\t") == [
        "1",
        "Ada Lovelace",
        "Analytical Engines",
        "mentors",
        "ada@example.org",
        "",
    ]


def test_list_bad_sort(lrm):
    result = lrm("list", "--sort", "age")
    assert result.exit_code == 5
    assert "unknown sort 'age'" in result.stderr


def test_show_everything(lrm):
    lrm(*ADA)
    lrm("add", "William King")
    lrm("note", "ada", "Pinned fact", "--pin")
    lrm("log", "ada", "--kind", "call", "--summary", "Catch-up")
    lrm("relate", "ada", "william", "--as", "spouse")
    lrm("date", "add", "ada", "--kind", "anniversary", "--on", "--07-08")
    shown = lrm("show", "ada", "--json").json()
    assert shown["name"] == "Ada Lovelace"
    assert [n["body"] for n in shown["notes"]] == ["Pinned fact"]
    assert [i["summary"] for i in shown["interactions"]] == ["Catch-up"]
    assert shown["relationships"] == [
        {"id": 1, "kind": "spouse", "label": None, "contact": {"id": 2, "name": "William King"}}
    ]
    assert shown["important_dates"][0]["date"] == "--07-08"
    human = lrm("show", "ada").stdout
    for text in (
        "Ada Lovelace",
        "Analytical Engines",
        "Pinned fact",
        "Catch-up",
        "William King",
        "--07-08",
        "+44 20 7946 0000",  # grouped for people; JSON has it as stored
    ):
        assert text in human
    # the other side of the relationship reads the same way round
    william = lrm("show", "william", "--json").json()
    assert william["relationships"] == [
        {"id": 1, "kind": "spouse", "label": None, "contact": {"id": 1, "name": "Ada Lovelace"}}
    ]
    assert "#1 spouse: Ada Lovelace #1" in lrm("show", "william").stdout


def test_tags_add_and_rm(lrm):
    lrm("add", "Ada")
    assert lrm("tag", "add", "ada", "friends", "mentors", "--json").json()["tags"] == [
        "friends",
        "mentors",
    ]
    assert lrm("tag", "rm", "ada", "friends", "--json").json()["tags"] == ["mentors"]
    missing = lrm("tag", "rm", "ada", "friends")
    assert missing.exit_code == 3
    assert "not tagged friends" in missing.stderr


def test_archive_hides_and_unarchive_restores(lrm):
    lrm("add", "Ada")
    lrm("add", "Bob")
    assert lrm("archive", "bob", "--json").json()["archived"] is True
    assert [c["name"] for c in lrm("list", "--json").json()] == ["Ada"]
    assert [c["name"] for c in lrm("list", "--archived", "--json").json()] == ["Bob"]
    assert len(lrm("list", "--all", "--json").json()) == 2
    assert lrm("unarchive", "bob", "--json").json()["archived"] is False
    assert len(lrm("list", "--json").json()) == 2


def test_forget_removes_what_belongs_to_them_alone(lrm, db_path):
    lrm(*ADA)
    lrm("add", "Charles Babbage")
    lrm("note", "ada", "a note")
    lrm("log", "ada", "--summary", "alone")
    lrm("log", "ada", "charles", "--summary", "together")
    lrm("relate", "ada", "charles", "--as", "friend")
    lrm("date", "add", "ada", "--on", "--06-21")
    result = lrm("forget", "ada", "--yes", "--json")
    assert result.exit_code == 0, result.stderr
    removed = result.json()["removed"]
    assert removed["notes"] == 1 and removed["interactions"] == 1
    assert removed["shared_interactions"] == 1 and removed["relationships"] == 1
    conn = sqlite3.connect(db_path)
    counts = {
        t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
        for t in (
            "contact",
            "note",
            "contact_method",
            "important_date",
            "contact_tag",
            "relationship",
            "interaction",
            "interaction_participant",
        )
    }
    assert counts == {
        "contact": 1,
        "note": 0,
        "contact_method": 0,
        "important_date": 0,
        "contact_tag": 0,
        "relationship": 0,
        "interaction": 1,
        "interaction_participant": 1,
    }
    timeline = lrm("timeline", "charles", "--json").json()
    assert [i["summary"] for i in timeline] == ["together"]
    assert timeline[0]["participants"] == [{"id": 2, "name": "Charles Babbage"}]


def test_forget_asks_and_declining_keeps_everything(lrm, monkeypatch):
    lrm("add", "Ada")
    monkeypatch.setattr("lrm_cli.cli.prompts.interactive", lambda: True)
    declined = lrm("forget", "ada", input="n\n")
    assert declined.exit_code == 0
    assert "nothing changed" in declined.stderr
    assert len(lrm("list", "--json").json()) == 1
    accepted = lrm("forget", "ada", input="y\n")
    assert accepted.exit_code == 0
    assert lrm("list", "--json").json() == []


def test_forget_without_yes_when_not_interactive(lrm):
    lrm("add", "Ada")
    result = lrm("forget", "ada")
    assert result.exit_code == 5
    assert "--yes" in result.stderr
    assert len(lrm("list", "--json").json()) == 1


@pytest.mark.parametrize(
    "command",
    [
        ["show", "nobody"],
        ["edit", "nobody", "--org", "x"],
        ["tag", "add", "nobody", "t"],
        ["archive", "nobody"],
        ["unarchive", "nobody"],
        ["forget", "nobody", "--yes"],
        ["note", "nobody", "x"],
        ["log", "nobody"],
        ["timeline", "nobody"],
        ["relate", "nobody", "ada", "--as", "friend"],
        ["date", "add", "nobody", "--on", "--01-01"],
    ],
)
def test_unknown_contact_is_exit_3_everywhere(lrm, command):
    lrm("add", "Ada")
    result = lrm(*command)
    assert result.exit_code == 3, (command, result.stderr)
    assert "no contact matches 'nobody'" in result.stderr
    assert result.stdout == ""


def test_ambiguous_reference_lists_candidates_exit_4(lrm):
    lrm("add", "Ada Lovelace")
    lrm("add", "Ada Byron")
    result = lrm("show", "ada")
    assert result.exit_code == 4
    assert "Ada Byron (#2)" in result.stderr and "Ada Lovelace (#1)" in result.stderr
    as_json = lrm("show", "ada", "--json")
    assert as_json.exit_code == 4 and as_json.stdout == ""
    import json

    error = json.loads(as_json.stderr)["error"]
    assert error["code"] == "ambiguous"
    assert error["candidates"] == ["Ada Byron", "Ada Lovelace"]
    assert error["candidate_ids"] == [2, 1]


def test_ambiguous_same_names_are_told_apart_by_id(lrm):
    lrm("add", "Maya Rodriguez")
    lrm("add", "Maya Rodriguez", "--quiet")
    result = lrm("show", "maya rodriguez")
    assert result.exit_code == 4
    assert result.stderr.startswith(
        "lrm: error: 'maya rodriguez' matches 2 contacts: Maya Rodriguez (#1), Maya Rodriguez (#2)"
    )


def test_ambiguous_many_lists_ten_and_counts_the_rest(lrm, db_path):
    conn = sqlite3.connect(db_path)
    with conn:
        conn.executemany(
            "INSERT INTO contact (uid, display_name, created_at, updated_at) VALUES (?, ?, 0, 0)",
            [(f"u{i}", f"Maya {i:03d}") for i in range(1, 121)]
            + [(f"v{i}", f"Ana Maya{i:03d}") for i in range(1, 4)],
        )
    conn.close()
    result = lrm("show", "maya")
    assert result.exit_code == 4
    (line,) = result.stderr.splitlines()
    assert "'maya' matches 120 contacts: Maya 001 (#1), Maya 002 (#2)," in line
    assert "Maya 010 (#10) and 110 more (hint:" in line
    error = json.loads(lrm("show", "maya", "--json").stderr)["error"]
    assert error["message"].startswith("'maya' matches 120 contacts")
    assert len(error["candidates"]) == len(error["candidate_ids"]) == 50
    assert error["candidate_ids"][:3] == [1, 2, 3]
    words = lrm("show", "maya0")  # no name starts so: the later words do
    assert words.exit_code == 4
    assert "matches 3 contacts: Ana Maya001 (#121), Ana Maya002 (#122), Ana Maya003 (#123)" in (
        words.stderr
    )
    conn = sqlite3.connect(db_path)
    with conn:
        conn.executemany(
            "INSERT INTO contact (uid, display_name, created_at, updated_at) VALUES (?, ?, 0, 0)",
            [(f"w{i}", f"Zed Mayo{i:03d}") for i in range(1, 60)],
        )
    conn.close()
    many_words = lrm("show", "mayo")
    assert "matches 59 contacts:" in many_words.stderr
    assert "and 49 more" in many_words.stderr


# --- add warns about names, emails and phones already taken ---------------------------------


def test_add_warns_about_a_taken_name_email_and_phone(lrm):
    lrm(*ADA)
    result = lrm(
        "add",
        "ada lovelace",
        "--email",
        "ADA@example.org",
        "--phone",
        "+44 20 7946 0000",
        "--email",
        "new@example.org",
        "--json",
    )
    assert result.exit_code == 0
    assert result.stderr.splitlines() == [
        "lrm: warning: Ada Lovelace (#1) already has the name ada lovelace",
        "lrm: warning: Ada Lovelace (#1) already has email ada@example.org",
        "lrm: warning: Ada Lovelace (#1) already has phone +442079460000",
        "lrm: warning: the same person? lrm merge 1 2 (or lrm undo)",
    ]
    added = result.json()  # stdout: the new contact's JSON, nothing else
    assert added["id"] == 2 and added["emails"] == ["ada@example.org", "new@example.org"]
    assert len(lrm("list", "--json").json()) == 2
    # the names alike are now ambiguous: the error says how to make them one, which works
    ambiguous = lrm("show", "Ada Lovelace")
    assert ambiguous.exit_code == 4
    assert "if they are one person: lrm merge 1 2" in ambiguous.stderr
    assert lrm("merge", "1", "2", "--yes").exit_code == 0
    assert [c["id"] for c in lrm("list", "--json").json()] == [1]
    assert lrm("show", "Ada Lovelace", "--json").json()["emails"] == [
        "ada@example.org",
        "new@example.org",
    ]


def test_an_ambiguous_reference_to_different_names_suggests_no_merge(lrm):
    lrm("add", "Ann Lee")
    lrm("add", "Anna Smith")
    result = lrm("show", "ann")
    assert result.exit_code == 4
    assert "use the id (#N)" in result.stderr and "merge" not in result.stderr


def test_add_names_every_owner(lrm):
    lrm("add", "Sam One", "--email", "family@example.org")
    lrm("add", "Sam Two", "--email", "family@example.org", "--quiet")
    result = lrm("add", "Sam Three", "--email", "family@example.org", "-e", "Family@example.org")
    assert result.exit_code == 0
    assert result.stderr == (
        "lrm: warning: Sam One (#1), Sam Two (#2) already have email family@example.org\n"
        "lrm: warning: the same person? lrm merge 1 3 (or lrm undo)\n"
    )
    assert result.stdout == "added Sam Three #3\n"


def test_add_quiet_silences_the_warnings(lrm):
    lrm(*ADA)
    result = lrm(*ADA, "--quiet")
    assert result.exit_code == 0
    assert result.stderr == ""
    assert result.stdout == "added Ada Lovelace (Analytical Engines) #2\n"


def test_add_without_anything_shared_is_silent(lrm):
    lrm(*ADA)
    result = lrm("add", "Ada Byron", "--email", "byron@example.org", "--phone", "+44 20 7946 0001")
    assert result.exit_code == 0 and result.stderr == ""


def test_global_json_flag_works_too(lrm):
    lrm("add", "Ada")
    assert lrm("--json", "show", "ada").json()["name"] == "Ada"
