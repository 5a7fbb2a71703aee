"""`lrm edit CONTACT` without options: the contact as TOML in $VISUAL/$EDITOR, and `edit`
with options that change nothing. The editor is a small Python script written by each
test: it keeps a copy of what it was shown each round and applies the test's change."""

from __future__ import annotations

import json
import shlex
import sqlite3
import stat
import sys
import textwrap
import tomllib
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lrm_cli.domain import Contact, ContactMethod, address_value
from lrm_cli.normalize import address_text, parse_address
from lrm_cli.services.contact_view import (
    parse,
    render,
    strip_error,
    toml_list,
    toml_string,
    view_data,
    with_error,
)

ADA = [
    "add",
    "Ada Lovelace",
    "--email",
    "ada@example.org",
    "--phone",
    "+44 20 7946 0000",
    "--tag",
    "mentors",
    "--org",
    "Analytical Engines",
    "--birthday",
    "1815-12-10",
    "--cadence",
    "30d",
]


class Editor:
    """An $EDITOR script: ``change`` is Python run on ``text`` (the file's content) with
    ``n`` the round (1, 2, ...); what each round was shown is kept in ``shown``."""

    def __init__(self, folder: Path, change: str, variable: str = "EDITOR") -> None:
        self.folder = folder
        self.folder.mkdir(exist_ok=True)
        self.script = folder / "editor.py"
        self.script.write_text(
            textwrap.dedent(
                f"""\
                import pathlib, re, sys
                path = pathlib.Path(sys.argv[1])
                folder = pathlib.Path({str(folder)!r})
                n = len(list(folder.glob("shown-*.toml"))) + 1
                text = path.read_text(encoding="utf-8")
                (folder / f"shown-{{n}}.toml").write_text(text, encoding="utf-8")
                """
            )
            + textwrap.dedent(change)
            + '\npath.write_text(text, encoding="utf-8")\n'
        )
        self.command = f"{shlex.quote(sys.executable)} {shlex.quote(str(self.script))}"

    @property
    def shown(self) -> list[str]:
        count = len(list(self.folder.glob("shown-*.toml")))
        return [(self.folder / f"shown-{i}.toml").read_text() for i in range(1, count + 1)]


@pytest.fixture
def editor(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """``editor(change)`` sets EDITOR (VISUAL unset) to a script applying ``change``."""
    monkeypatch.delenv("VISUAL", raising=False)
    made = []

    def make(change: str) -> Editor:
        made.append(Editor(tmp_path / f"editor{len(made)}", change))
        monkeypatch.setenv("EDITOR", made[-1].command)
        return made[-1]

    return make


@pytest.fixture
def ada(lrm, db_path):
    """Ada added, her updated_at set far back so that any write shows."""
    assert lrm(*ADA).exit_code == 0
    with sqlite3.connect(db_path) as conn:
        conn.execute("UPDATE contact SET updated_at = 1000")
    conn.close()
    return db_path


def state(db_path: Path) -> tuple:
    """Everything about contact #1 that an edit could write."""
    conn = sqlite3.connect(db_path)
    try:
        row = conn.execute("SELECT * FROM contact WHERE id = 1").fetchone()
        methods = conn.execute(
            "SELECT kind, value, position FROM contact_method WHERE contact_id = 1 ORDER BY id"
        ).fetchall()
        tags = conn.execute(
            "SELECT t.name FROM contact_tag ct JOIN tag t ON t.id = ct.tag_id "
            "WHERE ct.contact_id = 1 ORDER BY t.name"
        ).fetchall()
        return row, methods, tags
    finally:
        conn.close()


def updated_at(db_path: Path) -> int:
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute("SELECT updated_at FROM contact WHERE id = 1").fetchone()[0]
    finally:
        conn.close()


# --- applying an edit -----------------------------------------------------------------------


def test_a_field_change_is_applied(lrm, ada, editor):
    ed = editor("text = text.replace('\"Analytical Engines\"', '\"Royal Society\"')")
    result = lrm("edit", "ada", "--json")
    assert result.exit_code == 0, result.stderr
    assert result.json()["organization"] == "Royal Society"
    assert result.json()["emails"] == ["ada@example.org"]  # the rest as it was
    assert updated_at(ada) != 1000
    assert len(ed.shown) == 1
    assert 'organization = "Analytical Engines"' in ed.shown[0]
    assert "# Editing Ada Lovelace (#1)" in ed.shown[0]


def test_human_output_says_updated(lrm, ada, editor):
    editor("text = text.replace('title = \"\"', 'title = \"Countess\"')")
    result = lrm("edit", "ada")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "updated Ada Lovelace (Analytical Engines) #1\n  title: Countess\n"
    assert lrm("show", "ada", "--json").json()["title"] == "Countess"


def test_emails_added_and_removed(lrm, ada, editor):
    editor(
        "text = text.replace('emails = [\"ada@example.org\"]',"
        ' \'emails = ["Ada@Royal.example", "lovelace@home.example"]\')'
    )
    result = lrm("edit", "ada", "--json")
    assert result.exit_code == 0, result.stderr
    assert result.json()["emails"] == ["ada@royal.example", "lovelace@home.example"]
    assert result.json()["phones"] == ["+442079460000"]


def test_a_phone_written_differently_is_no_change(lrm, ada, editor):
    before = state(ada)
    editor("text = text.replace('\"+442079460000\"', '\"+44 20 7946 0000\"')")
    result = lrm("edit", "ada")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("no changes to Ada Lovelace")
    assert state(ada) == before


def test_a_phone_added(lrm, ada, editor):
    editor("text = text.replace('phones = [', 'phones = [\"+44 20 7946 0001\", ')")
    phones = lrm("edit", "ada", "--json").json()["phones"]
    assert sorted(phones) == ["+442079460000", "+442079460001"]


def test_a_wrong_web_page_and_profile_are_fixed_in_the_editor(lrm, ada, editor):
    """A phone's card may bring a wrong homepage or handle: the view lists them, and an
    edited one replaces it (its label and the other methods untouched)."""
    added = lrm("edit", "ada", "--url", "https://wrong.example", "--social", "xmpp:ada@old.example")
    assert added.exit_code == 0, added.stderr
    ed = editor(
        "text = text.replace('\"https://wrong.example\"', '\"https://ada.example\"')"
        ".replace('\"xmpp:ada@old.example\"', '\"xmpp:ada@new.example\"')"
    )
    result = lrm("edit", "ada", "--json")
    assert result.exit_code == 0, result.stderr
    methods = lrm("show", "ada", "--json").json()["methods"]
    assert [(m["kind"], m["value"]) for m in methods if m["kind"] in ("url", "social")] == [
        ("url", "https://ada.example"),
        ("social", "xmpp:ada@new.example"),
    ]
    assert 'urls = ["https://wrong.example"]' in ed.shown[0]
    assert 'socials = ["xmpp:ada@old.example"]' in ed.shown[0]
    assert result.json()["emails"] == ["ada@example.org"]


def test_a_profile_left_as_it_was_keeps_its_label(lrm, ada, editor, tmp_path):
    card = tmp_path / "ada.vcf"
    card.write_text(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ada Lovelace\r\nEMAIL:ada@example.org\r\n"
        "IMPP;X-SERVICE-TYPE=Skype:skype:ada.l\r\nEND:VCARD\r\n"
    )
    assert lrm("import", "vcard", str(card)).exit_code == 0
    editor("text = text.replace('title = \"\"', 'title = \"Countess\"')")
    assert lrm("edit", "ada").exit_code == 0
    socials = [m for m in lrm("show", "ada", "--json").json()["methods"] if m["kind"] == "social"]
    assert [(m["value"], m["label"]) for m in socials] == [("skype:ada.l", "Skype")]


def addresses(lrm) -> list[tuple[str, str | None, dict]]:
    """Ada's addresses as `show --json` gives them: (value, label, parts)."""
    methods = lrm("show", "ada", "--json").json()["methods"]
    return [(m["value"], m["label"], m["components"]) for m in methods if m["kind"] == "address"]


def test_an_address_with_a_slip_is_fixed_in_the_editor(lrm, ada, editor):
    """The view lists the addresses as --address takes them; a part or the label fixed
    there replaces the address, and the confirmation says so."""
    home = "street=12 St James Sq; city=Lundon; country=UK; type=hmoe"
    assert lrm("edit", "ada", "--address", home).exit_code == 0
    ed = editor("text = text.replace('Lundon', 'London').replace('type=hmoe', 'type=home')")
    result = lrm("edit", "ada")
    assert result.exit_code == 0, result.stderr
    assert f"addresses = [{json.dumps(home)}]" in ed.shown[0]
    assert result.stdout.splitlines()[1:] == [
        "  added address 12 St James Sq, London, UK (home)",
        "  removed address 12 St James Sq, Lundon, UK (hmoe)",
    ]
    [(value, label, parts)] = addresses(lrm)
    assert (value, label) == ("12 St James Sq, London, UK", "home")
    assert parts["locality"] == "London" and parts["street"] == "12 St James Sq"


def test_only_an_address_label_changed_in_the_editor_keeps_the_address(lrm, ada, editor):
    assert lrm("edit", "ada", "--address", "street=1 Main St; type=home").exit_code == 0
    editor("text = text.replace('type=home', 'type=work')")
    assert lrm("edit", "ada").exit_code == 0, "the edit failed"
    assert [(v, label) for v, label, _ in addresses(lrm)] == [("1 Main St", "work")]


def test_an_address_written_otherwise_in_the_editor_is_no_change(lrm, ada, editor):
    assert lrm("edit", "ada", "--address", "street=1 Main St; city=Leeds; type=home").exit_code == 0
    before = state(ada)
    editor(
        "text = text.replace('street=1 Main St; city=Leeds; type=home', "
        "'  town = Leeds;street=1 Main St ;label=home')"
    )
    result = lrm("edit", "ada")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("no changes to Ada Lovelace")
    assert state(ada) == before


def test_an_address_added_and_one_removed_in_the_editor(lrm, ada, editor):
    assert lrm("edit", "ada", "--address", "1 Main St").exit_code == 0
    editor("text = text.replace('\"street=1 Main St\"', '\";;2 High St;York;;YO1 7HH;UK\"')")
    result = lrm("edit", "ada")
    assert result.exit_code == 0, result.stderr
    assert [v for v, _, _ in addresses(lrm)] == ["2 High St, York, YO1 7HH, UK"]


def test_a_bad_address_part_reopens_the_editor_with_the_error(lrm, ada, editor):
    assert lrm("edit", "ada", "--address", "street=1 Main St; city=Leeds").exit_code == 0
    ed = editor(
        "if n == 1: text = text.replace('city=Leeds', 'cty=York')\n"
        "else: text = text.replace('cty=York', 'city=York')"
    )
    result = lrm("edit", "ada")
    assert result.exit_code == 0, result.stderr
    assert "unknown address part 'cty'" in ed.shown[1]
    assert [v for v, _, _ in addresses(lrm)] == ["1 Main St, York"]


def test_remove_address_takes_the_parts_as_the_view_shows_them(lrm, ada):
    assert lrm("edit", "ada", "--address", "street=1 Main St; city=Leeds; type=home").exit_code == 0
    assert lrm("edit", "ada", "--address", "street=1 Main St; city=York").exit_code == 0
    wrong = lrm("edit", "ada", "--remove-address", "street=1 Main St; city=Leeds; type=work")
    assert wrong.exit_code == 3
    assert "has no address street=1 Main St; city=Leeds; type=work" in wrong.stderr
    gone = lrm("edit", "ada", "--remove-address", "street=1 Main St;city=Leeds")
    assert gone.exit_code == 0, gone.stderr
    assert [v for v, _, _ in addresses(lrm)] == ["1 Main St, York"]


LABELLED_CARD = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ada Lovelace\r\n"
    "EMAIL;TYPE=work,pref:ada@wrok.example\r\nEMAIL;TYPE=home:ada@home.example\r\n"
    "X-SOCIALPROFILE;TYPE=twitter:https://twitter.com/ada_lovelase\r\nEND:VCARD\r\n"
)


def test_a_value_fixed_in_place_keeps_its_label(lrm, editor, tmp_path):
    """A typo fixed in a work email leaves a work email (and the preferred one
    preferred); one added beside the others gets no label of theirs."""
    card = tmp_path / "ada.vcf"
    card.write_text(LABELLED_CARD)
    assert lrm("import", "vcard", str(card)).exit_code == 0
    editor(
        "text = text.replace('wrok', 'work').replace('lovelase', 'lovelace')"
        '.replace(\'"ada@home.example",\', \'"ada@home.example", "ada@new.example",\')'
    )
    result = lrm("edit", "ada")
    assert result.exit_code == 0, result.stderr
    assert "  added email ada@work.example (work)" in result.stdout.splitlines()
    methods = lrm("show", "ada", "--json").json()["methods"]
    assert sorted((m["value"], m["label"], m["preferred"]) for m in methods) == sorted(
        [
            ("ada@home.example", "home", False),
            ("https://twitter.com/ada_lovelace", "twitter", False),
            ("ada@work.example", "work", True),
            ("ada@new.example", None, False),
        ]
    )


def test_a_tag_added_and_one_removed(lrm, ada, editor):
    editor("text = text.replace('tags = [\"mentors\"]', 'tags = [\"close-friends\"]')")
    result = lrm("edit", "ada", "--json")
    assert result.exit_code == 0, result.stderr
    assert result.json()["tags"] == ["close-friends"]
    listed = lrm("list", "--tag", "mentors", "--json").json()
    assert listed == []


def test_a_tag_in_other_case_is_no_change(lrm, ada, editor):
    before = state(ada)
    editor("text = text.replace('\"mentors\"', '\"Mentors\"')")
    assert lrm("edit", "ada").stdout.startswith("no changes to")
    assert state(ada) == before


def test_a_field_left_out_or_emptied_is_cleared(lrm, ada, editor):
    editor(
        "text = re.sub(r'(?m)^organization = .*$', '', text)\n"
        "text = text.replace('birthday = \"1815-12-10\"', 'birthday = \"\"')\n"
        "text = text.replace('cadence = \"1m\"', 'cadence = \"\"')\n"
        "text = re.sub(r'(?m)^emails = .*$', 'emails = []', text)"
    )
    ada_now = lrm("edit", "ada", "--json").json()
    assert ada_now["organization"] is None
    assert ada_now["birthday"] is None
    assert ada_now["cadence_days"] is None
    assert ada_now["emails"] == []
    assert ada_now["name"] == "Ada Lovelace"


def test_toml_dates_and_numbers_are_accepted(lrm, ada, editor):
    editor(
        "text = text.replace('birthday = \"1815-12-10\"', 'birthday = 1815-12-11')\n"
        "text = text.replace('cadence = \"1m\"', 'cadence = 14')"
    )
    result = lrm("edit", "ada", "--json")
    assert result.exit_code == 0, result.stderr
    assert result.json()["birthday"] == "1815-12-11"
    assert result.json()["cadence_days"] == 14


def test_a_name_fixed_in_the_editor_fixes_the_names_split_from_it(lrm, ada, editor):
    # the editor does not show given and family names: they were "Ada" and "Lovelace",
    # the split of the old name, so they follow the new one (as `edit --name` does)
    editor("text = text.replace('name = \"Ada Lovelace\"', 'name = \"Ada King\"', 1)")
    after = lrm("edit", "1", "--json").json()
    assert after["name"] == "Ada King"
    assert (after["given_name"], after["family_name"]) == ("Ada", "King")


def test_a_renamed_contact_keeps_the_names_set_on_their_own(lrm, ada, editor):
    assert lrm("edit", "1", "--given-name", "Augusta Ada").exit_code == 0
    editor("text = text.replace('name = \"Ada Lovelace\"', 'name = \"Ada King\"', 1)")
    after = lrm("edit", "1", "--json").json()
    assert after["name"] == "Ada King"
    assert (after["given_name"], after["family_name"]) == ("Augusta Ada", "Lovelace")


def test_visual_wins_over_editor(lrm, ada, editor, monkeypatch, tmp_path):
    editor("raise SystemExit(1)")  # EDITOR fails ...
    visual = Editor(tmp_path / "visual", "text = text.replace('title = \"\"', 'title = \"V\"')")
    monkeypatch.setenv("VISUAL", visual.command)  # ... but VISUAL is the one run
    result = lrm("edit", "ada", "--json")
    assert result.exit_code == 0, result.stderr
    assert result.json()["title"] == "V"


# --- invalid edits: the editor again, with the error -----------------------------------------


def test_an_invalid_birthday_reopens_with_the_error_then_applies(lrm, ada, editor):
    ed = editor(
        """
        if n == 1:
            text = text.replace('birthday = "1815-12-10"', 'birthday = "1815"')
            text = text.replace('title = ""', 'title = "Countess"')
        else:
            text = text.replace('birthday = "1815"', 'birthday = "--12-10"')
        """
    )
    result = lrm("edit", "ada", "--json")
    assert result.exit_code == 0, result.stderr
    assert len(ed.shown) == 2
    second = ed.shown[1]
    assert second.startswith("# ! lrm could not apply this edit:")
    assert "year alone" in second.splitlines()[1]
    assert 'birthday = "1815"' in second and 'title = "Countess"' in second  # their edit kept
    ada_now = result.json()
    assert ada_now["birthday"] == "--12-10" and ada_now["title"] == "Countess"
    assert ada_now["organization"] == "Analytical Engines"


CANCELLED = "lrm: error: edit cancelled, nothing saved to Ada Lovelace #1: "
AGAIN = "; 'lrm edit 1' opens the contact again)\n"


@pytest.mark.parametrize(
    "cancel",
    [
        "pass",  # quit without saving
        "text = ''",  # emptied, as the error comment says to cancel
        "text = '# ! lrm could not apply this edit:\\n# only comments\\n'",
    ],
    ids=["quit", "emptied", "comments only"],
)
def test_an_invalid_edit_then_cancelled_says_nothing_was_saved(lrm, ada, editor, cancel, db_path):
    """The user typed a change that was refused, then gave up: not "no changes to Ada"
    (exit 0) as if they had changed nothing, but what was lost and why (exit 5)."""
    before = state(ada)
    ed = editor(
        "if n == 1:\n    text = text.replace('emails = [\"ada@example.org\"]', 'emails = [\"x\"]')"
        f"\nelse:\n    {cancel}"
    )
    result = lrm("edit", "ada")
    assert result.exit_code == 5, result.stderr
    assert result.stdout == ""
    assert result.stderr.startswith(f"{CANCELLED}invalid email 'x'")
    assert result.stderr.endswith(AGAIN) and result.stderr.count("\n") == 1
    assert len(ed.shown) == 2 and "invalid email 'x'" in ed.shown[1]
    assert state(ada) == before
    assert updated_at(ada) == 1000
    # what they typed is kept, privately, where the message says
    kept = db_path.parent / "unsaved-edits" / "contact-1.toml"
    assert f"(hint: what you wrote is in {kept};" in result.stderr
    assert 'emails = ["x"]' in kept.read_text() and "lrm could not apply" not in kept.read_text()
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    assert stat.S_IMODE(kept.parent.stat().st_mode) == 0o700


def test_an_invalid_edit_then_cancelled_with_json_is_an_error_object(lrm, ada, editor):
    editor("text = text.replace('emails = [\"ada@example.org\"]', 'emails = [\"x\"]')")
    result = lrm("edit", "ada", "--json")
    assert result.exit_code == 5
    assert result.stdout == ""
    error = json.loads(result.stderr)["error"]
    assert error["code"] == "invalid_input"
    assert error["message"].startswith("edit cancelled, nothing saved to Ada Lovelace #1")


def test_an_invalid_edit_undone_by_hand_is_no_change(lrm, ada, editor):
    """Put back as it was after the error: nothing was lost, so "no changes" (exit 0)."""
    editor(
        """
        if n == 1:
            text = text.replace('emails = ["ada@example.org"]', 'emails = ["x"]')
        else:
            text = text.replace('emails = ["x"]', 'emails = ["ada@example.org"]')
        """
    )
    result = lrm("edit", "ada")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("no changes to Ada Lovelace")


def test_the_same_invalid_text_saved_again_cancels(lrm, ada, editor):
    """A script that writes the same bad file every time must not loop for ever."""
    before = state(ada)
    ed = editor("text = 'name = \"\"\\n'")
    result = lrm("edit", "ada")
    assert result.exit_code == 5
    assert result.stderr.startswith(CANCELLED) and "name cannot be empty" in result.stderr
    assert len(ed.shown) == 2 and "name cannot be empty" in ed.shown[1]
    assert state(ada) == before


def test_a_toml_syntax_error_points_at_the_line_in_the_reopened_file(lrm, ada, editor):
    ed = editor(
        """
        if n == 1:
            text = text.replace('title = ""', 'title "Countess"')
        else:
            text = text.replace('title "Countess"', 'title = "Countess"')
        """
    )
    result = lrm("edit", "ada", "--json")
    assert result.exit_code == 0, result.stderr
    assert result.json()["title"] == "Countess"
    second = ed.shown[1]
    message = second.splitlines()[1]
    assert "not valid TOML" in message
    line = int(message.split("(at line ")[1].split(",")[0])
    assert second.splitlines()[line - 1] == 'title "Countess"'


def test_an_unknown_field_is_an_error(lrm, ada, editor):
    ed = editor("if n == 1:\n    text += 'birthdate = \"1815-12-10\"\\n'")
    result = lrm("edit", "ada")
    assert result.exit_code == 5
    assert "unknown field 'birthdate'" in ed.shown[1]
    assert result.stderr.startswith(CANCELLED + "unknown field 'birthdate'")


def test_a_wrong_type_is_an_error(lrm, ada, editor):
    ed = editor("if n == 1:\n    text = text.replace('title = \"\"', 'title = 3')")
    lrm("edit", "ada")
    assert 'title must be text in quotes ("..."), not int' in ed.shown[1]


# --- cancelling and nothing to do ----------------------------------------------------------


@pytest.mark.parametrize(
    "change",
    [
        "pass",  # saved as it was (or quit without saving)
        "text = ''",  # emptied
        "text = '\\n  \\n'",  # blank
        "text = '# only a comment\\n'",
        "path.unlink(); raise SystemExit(0)",  # deleted
        "text = text.replace('# To cancel', '# (read it)')",  # comments only changed
    ],
)
def test_cancelled_or_unchanged_writes_nothing(lrm, ada, editor, change):
    before = state(ada)
    editor(change)
    result = lrm("edit", "ada")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "no changes to Ada Lovelace (Analytical Engines) #1\n"
    assert state(ada) == before
    assert updated_at(ada) == 1000


def test_cancelled_with_json_still_prints_the_contact(lrm, ada, editor):
    editor("text = ''")
    result = lrm("edit", "ada", "--json")
    assert result.exit_code == 0
    assert result.json()["name"] == "Ada Lovelace"
    assert result.stderr == ""


# --- no editor, a failing editor ----------------------------------------------------------


def test_no_editor_when_not_at_a_terminal_is_exit_5(lrm, ada, monkeypatch):
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.delenv("EDITOR", raising=False)
    before = state(ada)
    result = lrm("edit", "ada")
    assert result.exit_code == 5
    assert result.stderr == "lrm: error: no editor: set VISUAL or EDITOR, or give options\n"
    assert result.stdout == ""
    assert state(ada) == before


def test_an_unknown_contact_is_reported_before_the_missing_editor(lrm, ada, monkeypatch):
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.delenv("EDITOR", raising=False)
    assert lrm("edit", "nobody").exit_code == 3


def test_a_failing_editor_aborts_and_writes_nothing(lrm, ada, editor):
    before = state(ada)
    editor("text = text.replace('title', 'tit')\npath.write_text(text)\nraise SystemExit(3)")
    result = lrm("edit", "ada")
    assert result.exit_code == 1
    assert "the editor exited with status 3; nothing was changed" in result.stderr
    assert len(result.stderr.splitlines()) == 1
    assert state(ada) == before


def test_an_editor_that_does_not_exist_is_a_configuration_error(lrm, ada, monkeypatch):
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", "/nonexistent/editor --wait")
    result = lrm("edit", "ada")
    assert result.exit_code == 7
    assert "cannot run the editor '/nonexistent/editor'" in result.stderr
    assert len(result.stderr.splitlines()) == 1


def test_the_file_is_private_and_removed(lrm, ada, editor):
    ed = editor(
        "import os, stat\n"
        "(folder / 'mode').write_text(oct(stat.S_IMODE(os.stat(path).st_mode)))\n"
        "(folder / 'where').write_text(str(path))"
    )
    lrm("edit", "ada")
    assert (ed.folder / "mode").read_text() == "0o600"
    assert (ed.folder / "where").read_text().endswith(".toml")
    assert not Path((ed.folder / "where").read_text()).exists()


# --- edit with options that change nothing -------------------------------------------------


@pytest.mark.parametrize(
    "options",
    [
        ["--org", "Analytical Engines"],
        ["--org", "  Analytical Engines "],
        ["--email", "ADA@example.org"],
        ["--phone", "+44 20 7946 0000"],
        ["--birthday", "1815-12-10"],
        ["--cadence", "1m"],
        ["--nickname", ""],
        ["--name", "Ada Lovelace", "--title", ""],
    ],
)
def test_edit_options_that_change_nothing_write_nothing(lrm, ada, options):
    before = state(ada)
    result = lrm("edit", "ada", *options)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "no changes to Ada Lovelace (Analytical Engines) #1\n"
    assert state(ada) == before
    as_json = lrm("edit", "ada", *options, "--json")
    assert as_json.json()["name"] == "Ada Lovelace"
    assert as_json.json()["updated_at"] == lrm("show", "ada", "--json").json()["updated_at"]
    assert state(ada) == before


def test_edit_options_that_change_something_do_write(lrm, ada):
    result = lrm("edit", "ada", "--org", "Analytical Engines", "--title", "Countess")
    assert result.stdout.startswith("updated")
    assert updated_at(ada) != 1000


def test_edit_is_one_transaction(lrm, ada):
    """A change and a failing removal: neither is kept."""
    before = state(ada)
    result = lrm("edit", "ada", "--org", "Royal Society", "--remove-email", "no@example.org")
    assert result.exit_code == 3
    assert state(ada) == before


# --- the view itself -----------------------------------------------------------------------


@given(st.text())
def test_toml_strings_round_trip(text):
    assert tomllib.loads(f"k = {toml_string(text)}")["k"] == text


@given(st.lists(st.text(), max_size=4))
def test_toml_lists_round_trip(items):
    assert tomllib.loads(f"k = {toml_list(items)}")["k"] == items


words = st.text(st.characters(blacklist_categories=["Cs"]), max_size=12)


@given(
    name=words.filter(str.strip),
    org=words,
    emails=st.lists(st.emails(), max_size=3),
    tags=st.lists(st.from_regex(r"[a-z-]{1,8}", fullmatch=True), max_size=3),
    cadence=st.one_of(st.none(), st.integers(1, 36500)),
    postal=st.lists(st.lists(words, min_size=7, max_size=7).filter(any), max_size=2),
)
def test_the_view_reads_back_as_written(name, org, emails, tags, cadence, postal):
    contact = Contact(
        id=7,
        uid="u",
        name=name,
        organization=org or None,
        cadence_days=cadence,
        birthday="--02-29",
        methods=tuple(ContactMethod("email", e) for e in emails)
        + tuple(
            ContactMethod("address", address_value(p), "home", False, tuple(p)) for p in postal
        ),
        tags=tuple(tags),
    )
    assert parse(render(contact)) == view_data(contact)


address_part = st.text(
    st.characters(blacklist_categories=["Cs", "Cc", "Zl", "Zp"], blacklist_characters=";"),
    max_size=10,
).map(lambda p: unicodedata.normalize("NFC", p.strip()))  # typed text is read composed


@given(
    parts=st.lists(address_part, min_size=7, max_size=7).filter(any),
    label=st.one_of(st.none(), address_part.filter(bool)),
)
def test_an_address_as_the_view_writes_it_reads_back_as_its_parts(parts, label):
    """The view's form of an address is one --address (parse_address) reads back."""
    assert parse_address(address_text(parts, label, "")) == (tuple(parts), label)


def test_an_error_comment_is_stripped_and_replaced():
    body = 'name = "Ada"\n'
    once = with_error(body, "first")
    assert strip_error(once) == body
    twice = with_error(strip_error(once), "second\nline")
    assert "first" not in twice and strip_error(twice) == body
    assert parse(twice)["name"] == "Ada"


def test_a_stored_value_edit_would_refuse_does_not_block_other_changes(lrm, ada, editor):
    conn = sqlite3.connect(ada)
    with conn:
        conn.execute("UPDATE contact_method SET value = 'not-an-email' WHERE kind = 'email'")
    conn.close()
    editor("text = text.replace('title = \"\"', 'title = \"Countess\"')")
    result = lrm("edit", "ada", "--json")
    assert result.exit_code == 0, result.stderr
    assert result.json()["title"] == "Countess"
    assert result.json()["emails"] == ["not-an-email"]
