"""Hostile text (issue 16), through the command line.

In: every entry point holds text to the rule of ``lrm add`` (normalize.check_text): no
control character, C1 included (a newline or tab only in notes, summaries and postal
addresses), one-line fields at most 500 characters, notes and summaries 100,000.
``import json`` refuses a file with such a value, naming its JSON path, and writes
nothing; vCards (``import vcard``, ``sync``) come from devices, so their control
characters are stripped, and a card with a value over the limit is skipped and reported.
A vCard property keeps at most 100 values.

Out: whatever the database holds (here written into it with sqlite3), no control
character reaches a terminal, piped or at a pseudo-terminal, nor the digest's mail, nor
an exported vCard; rich markup in data stays literal.
"""

from __future__ import annotations

import json
import os
import pty
import re
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest
from conftest import ok, read_to_the_end

# A red SGR, an OSC 8 hyperlink ended by BEL, a C1 CSI clearing the screen, rich markup.
HOSTILE = "Ada\x1b[31m\x1b]8;;https://evil.example/\x07link\x1b]8;;\x07\x9b2J[bold]x[/bold]"
RAW = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # what must never be printed
OURS = re.compile(r"\x1b\[(?:0|1|2|31|33|36)m")  # lrm's own colours (render/output.py)
SHOWN = r"Ada\x1b[31m\x1b]8;;https://evil.example/\x07link\x1b]8;;\x07\x9b2J[bold]x[/bold]"


def _seed(lrm) -> None:
    """One contact with a bit of everything: overdue, a one-sided interaction, a note, a
    reminder tomorrow, a custom date, a labelled email, a tag."""
    ok(lrm("add", "Ada Lovelace", "--org", "Engines", "--tag", "friends", "--cadence", "7d"))
    ok(lrm("edit", "1", "--email", "ada@example.org", "--nickname", "Countess"))
    ok(lrm("log", "1", "--kind", "call", "--initiator", "me", "-w", "40 days ago", "-s", "hi"))
    ok(lrm("note", "1", "A note"))
    ok(lrm("remind", "1", "Call back", "--on", "tomorrow"))
    ok(lrm("date", "add", "1", "--kind", "custom", "--on", "--12-01", "--label", "Day"))


def _fresh(template_db: Path, tmp_path: Path) -> Path:
    path = tmp_path / "fresh.sqlite3"
    path.write_bytes(template_db.read_bytes())
    path.chmod(0o600)
    return path


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


# --- in: import json refuses --------------------------------------------------------------


def _set(doc: dict, path: tuple, value: str) -> None:
    target = doc
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value


JSON_CASES = [
    (("contacts", 0, "name"), "Ada\x1b[31mLovelace", "contacts[0].name"),
    (("contacts", 0, "name"), "Ada\nLovelace", "contacts[0].name"),  # one line
    (("contacts", 0, "organization"), "Engines\x9b2J", "contacts[0].organization"),
    (("contacts", 0, "nickname"), "\x1b]0;pwned\x07", "contacts[0].nickname"),
    (
        ("contacts", 0, "notes", 0, "body"),
        "see \x1b]8;;https://evil.example/\x07here\x1b]8;;\x07",
        "contacts[0].notes[0].body",
    ),
    (("contacts", 0, "methods", 0, "label"), "work\x07", "contacts[0].methods[0].label"),
    (
        ("contacts", 0, "important_dates", 0, "label"),
        "Day\x1b[2J",
        "contacts[0].important_dates[0].label",
    ),
    (("interactions", 0, "summary"), "hi\x07\x07", "interactions[0].summary"),
    (("interactions", 0, "summary"), "hi\r\n", "interactions[0].summary"),
    (("reminders", 0, "title"), "Call\x9b31m back", "reminders[0].title"),
    (("tags", 0, "name"), "friends\x85", "tags[0].name"),
]


@pytest.mark.parametrize(("where", "value", "path"), JSON_CASES)
def test_import_json_refuses_a_control_character_naming_its_path(
    lrm, tmp_path, template_db, where, value, path
):
    _seed(lrm)
    doc = json.loads(ok(lrm("export", "json")).stdout)
    _set(doc, where, value)
    source = tmp_path / "hostile.json"
    source.write_text(json.dumps(doc), encoding="utf-8")
    fresh = _fresh(template_db, tmp_path)
    result = lrm("--db", str(fresh), "import", "json", str(source))
    assert result.exit_code == 5
    assert result.stderr.count("\n") == 1
    assert f"{source}: {path} contains a control character" in result.stderr
    assert not RAW.search(result.stderr)
    assert ok(lrm("--db", str(fresh), "list", "--all", "--json")).json() == []


def test_import_json_keeps_line_breaks_and_tabs_in_notes_and_summaries(lrm, tmp_path, template_db):
    _seed(lrm)
    doc = json.loads(ok(lrm("export", "json")).stdout)
    doc["contacts"][0]["notes"][0]["body"] = "first line\n\tsecond line"
    doc["interactions"][0]["summary"] = "talked\nabout engines"
    source = tmp_path / "lines.json"
    source.write_text(json.dumps(doc), encoding="utf-8")
    fresh = _fresh(template_db, tmp_path)
    ok(lrm("--db", str(fresh), "import", "json", str(source)))
    shown = ok(lrm("--db", str(fresh), "show", "1", "--json")).json()
    assert shown["notes"][0]["body"] == "first line\n\tsecond line"
    assert shown["interactions"][0]["summary"] == "talked\nabout engines"


# --- in: add, vCards and sync -------------------------------------------------------------


@pytest.mark.parametrize("name", ["Ada\x1b[31m", "Ada\x9b2J", "Ada\x07", "Ada\x85Lovelace"])
def test_add_refuses_control_characters_c1_included(lrm, name):
    result = lrm("add", name)
    assert result.exit_code == 5
    assert "contains a control character" in result.stderr
    assert not RAW.search(result.stderr)
    assert ok(lrm("list", "--json")).json() == []


HOSTILE_CARD = (
    "BEGIN:VCARD\r\n"
    "VERSION:3.0\r\n"
    "FN:Eve\x1b[31m Mallory\x07\r\n"
    "N:Mallory\\nSmith;Eve;;;\r\n"
    "ORG:Evil\x9b2J Corp\r\n"
    "NOTE:first \x1b]8;;https://evil.example/\x07line\\nsecond\tcolumn\r\n"
    "CATEGORIES:ok,bad\x1bname\r\n"
    "EMAIL;TYPE=work\x07:eve@example.org\r\n"
    "END:VCARD\r\n"
)


def _assert_clean(shown: dict) -> None:
    """No control character in any value, but the note's line break and tab."""
    notes = [n["body"] for n in shown["notes"]]
    for text in _strings(shown):
        allowed = "\n\t" if text in notes else ""
        assert not [c for c in text if RAW.match(c) or c in "\n\t" if c not in allowed], text


def test_import_vcard_strips_control_characters(lrm, tmp_path):
    path = tmp_path / "hostile.vcf"
    path.write_text(HOSTILE_CARD, encoding="utf-8", newline="")
    ok(lrm("import", "vcard", str(path)))
    shown = ok(lrm("show", "1", "--json")).json()
    assert shown["name"] == "Eve[31m Mallory"
    assert shown["family_name"] == "Mallory Smith"  # a line break in a one-line field
    assert shown["organization"] == "Evil2J Corp"
    assert shown["tags"] == ["badname", "ok"]
    assert shown["notes"][0]["body"] == "first ]8;;https://evil.example/line\nsecond\tcolumn"
    _assert_clean(shown)


def test_sync_strips_control_characters_from_a_card_in_the_vdir(lrm, isolated):
    folders = {name: isolated / name for name in ("cards", "todos")}
    for folder in folders.values():
        folder.mkdir()
    (isolated / "config.toml").write_text(
        f'[sync]\ncontacts_vdir = "{folders["cards"]}"\ncalendar_vdir = "{folders["todos"]}"\n',
        encoding="utf-8",
    )
    card = HOSTILE_CARD.replace("VERSION:3.0\r\n", "VERSION:3.0\r\nUID:eve-1\r\n")
    (folders["cards"] / "eve-1.vcf").write_text(card, encoding="utf-8", newline="")
    ok(lrm("sync"))
    shown = ok(lrm("show", "1", "--json")).json()
    assert shown["name"] == "Eve[31m Mallory"
    _assert_clean(shown)


# --- in: limits ---------------------------------------------------------------------------


def test_add_and_note_refuse_values_over_their_limit(lrm):
    result = lrm("add", "A" * 501)
    assert result.exit_code == 5
    assert "name is 501 characters long; at most 500 allowed" in result.stderr
    ok(lrm("add", "A" * 500))
    ok(lrm("edit", "1", "--title", "T" * 500))
    assert lrm("edit", "1", "--title", "T" * 501).exit_code == 5
    assert lrm("note", "1", "n" * 100_001).exit_code == 5
    ok(lrm("note", "1", "n" * 100_000))
    assert lrm("tag", "add", "1", "t" * 501).exit_code == 5


def test_import_json_refuses_a_value_over_its_limit(lrm, tmp_path, template_db):
    _seed(lrm)
    doc = json.loads(ok(lrm("export", "json")).stdout)
    doc["contacts"][0]["title"] = "T" * 501
    source = tmp_path / "long.json"
    source.write_text(json.dumps(doc), encoding="utf-8")
    fresh = _fresh(template_db, tmp_path)
    result = lrm("--db", str(fresh), "import", "json", str(source))
    assert result.exit_code == 5
    assert "contacts[0].title is 501 characters long; at most 500 allowed" in result.stderr
    assert ok(lrm("--db", str(fresh), "list", "--json")).json() == []


def _card(*lines: str) -> str:
    return "\r\n".join(["BEGIN:VCARD", "VERSION:3.0", *lines, "END:VCARD"]) + "\r\n"


def test_a_vcard_with_a_name_over_its_limit_is_skipped_and_named(lrm, tmp_path):
    path = tmp_path / "long.vcf"
    path.write_text(_card("FN:" + "A" * 501) + _card("FN:Cy"), encoding="utf-8")
    result = ok(lrm("import", "vcard", str(path)))
    assert f"{path}:1: FN is 501 characters long; at most 500 allowed" in result.stderr
    assert [c["name"] for c in ok(lrm("list", "--json")).json()] == ["Cy"]
    strict = lrm("import", "vcard", "--strict", str(path))
    assert strict.exit_code == 5


@pytest.mark.parametrize(
    "line, said, phones",
    [
        ("NOTE:" + "x" * 100_001, "skipped NOTE (NOTE is 100,001 characters long", 1),
        ("URL:https://maps.example/?q=" + "a" * 600, "skipped URL (URL is 624 characters", 1),
        ("URL:https://maps.example/?q=" + "a" * 6000, "skipped URL (URL is 6,024 char", 1),
        ("item1.X-ABLabel:" + "L" * 501, "left out an X-ABLabel 501 characters long", 1),
        ("TEL;TYPE=" + "w" * 501 + ":+44 20 7946 0001", "left out a TEL label 501 characters", 2),
    ],
    ids=["note", "url", "huge url", "apple label", "type label"],
)
def test_a_card_keeps_its_contact_when_a_detail_is_over_its_limit(
    lrm, tmp_path, line, said, phones
):
    """A long map link or a pasted letter on a phone's card costs that detail, with a
    warning naming the file and line, not the person; a label too long costs the label."""
    path = tmp_path / "long.vcf"
    card = _card("FN:Bob", "EMAIL:bob@example.org", "item1.TEL:+44 20 7946 0000", line)
    path.write_text(card, encoding="utf-8")
    result = ok(lrm("import", "vcard", str(path)))
    assert f"{path}:6: {said}" in result.stderr
    (bob,) = ok(lrm("list", "--json")).json()
    shown = ok(lrm("show", str(bob["id"]), "--json")).json()
    assert shown["emails"] == ["bob@example.org"]
    assert len(shown["phones"]) == phones
    assert [m["label"] for m in shown["methods"]] == [None] * (1 + phones)
    assert shown["notes"] == [] and not any(m["kind"] == "url" for m in shown["methods"])
    line_left_out = "skipped" in said  # --strict refuses a line left out, not a label
    strict = lrm("--db", str(tmp_path / "strict.sqlite3"), "import", "vcard", "--strict", str(path))
    assert strict.exit_code == (5 if line_left_out else 0)


def test_a_megabytes_long_name_is_refused_before_it_costs(lrm, tmp_path):
    """A 45 MB FN took 2 GB and 23 s; a huge value is now refused before it is decoded."""
    path = tmp_path / "huge.vcf"
    path.write_text(_card("FN:" + "\\," * 2_000_000) + _card("FN:Bob"), encoding="utf-8")
    started = time.perf_counter()
    result = ok(lrm("import", "vcard", str(path)))
    assert time.perf_counter() - started < 2
    assert "FN is 4,000,000 characters long; at most 500 allowed" in result.stderr
    assert [c["name"] for c in ok(lrm("list", "--json")).json()] == ["Bob"]


# --- in: amplification --------------------------------------------------------------------


def test_twenty_thousand_categories_import_fast_keeping_one_hundred(lrm, tmp_path):
    path = tmp_path / "tags.vcf"
    values = ",".join(f"tag{i}" for i in range(20_000))
    path.write_text(_card("FN:Ada", f"CATEGORIES:{values}"), encoding="utf-8")
    started = time.perf_counter()
    result = ok(lrm("import", "vcard", str(path)))
    assert time.perf_counter() - started < 2  # was 16 s, under the write lock
    warnings = [line for line in result.stderr.splitlines() if "CATEGORIES" in line]
    assert warnings == [
        f"lrm: warning: {path}:4: more than 100 CATEGORIES values: kept the first 100"
    ]
    tags = ok(lrm("show", "Ada", "--json")).json()["tags"]
    assert len(tags) == 100 and "tag0" in tags and "tag99" in tags and "tag100" not in tags


def test_the_cap_counts_every_categories_line_of_a_card_and_warns_once(lrm, tmp_path):
    path = tmp_path / "lines.vcf"
    lines = [f"CATEGORIES:{','.join(f'l{n}v{i}' for i in range(60))}" for n in range(50)]
    path.write_text(_card("FN:Ada", *lines), encoding="utf-8")
    result = ok(lrm("import", "vcard", str(path)))
    assert result.stderr.count("more than 100 CATEGORIES values") == 1
    assert len(ok(lrm("show", "Ada", "--json")).json()["tags"]) == 100


# --- out: whatever the database holds -----------------------------------------------------


@pytest.fixture
def hostile_db(lrm, db_path: Path) -> Path:
    """The seeded database with control characters written straight into it, as an old
    lrm, another program or a damaged file could leave them."""
    _seed(lrm)
    conn = sqlite3.connect(db_path)
    with conn:
        conn.execute(
            "UPDATE contact SET display_name = ?, organization = ?, nickname = ?, how_met = ?",
            (HOSTILE, HOSTILE + " org", HOSTILE + " nick", HOSTILE + " met"),
        )
        conn.execute("UPDATE note SET body = ?", (HOSTILE + " note\nline two",))
        conn.execute("UPDATE interaction SET summary = ?", (HOSTILE + " summary",))
        conn.execute("UPDATE reminder SET title = ?", (HOSTILE + " title",))
        conn.execute("UPDATE important_date SET label = ?", (HOSTILE + " label",))
        conn.execute("UPDATE contact_method SET label = ?", (HOSTILE + " work",))
        conn.execute("UPDATE tag SET name = ?", ("friends\x1b[5m",))
    conn.close()
    return db_path


COMMANDS = [
    ["list"],
    ["show", "1"],
    ["timeline", "1"],
    ["timeline"],
    ["digest"],
    ["balance"],
    ["reminders"],
    ["due"],
    ["upcoming"],
    ["search", "Ada"],
    ["tags"],
]


@pytest.mark.parametrize("args", [*COMMANDS, ["digest", "--format", "markdown"]], ids=" ".join)
def test_piped_output_shows_control_characters_escaped(lrm, hostile_db, args):
    result = ok(lrm(*args))
    assert not RAW.search(result.stdout + result.stderr)
    shown = result.stdout.replace("\\[", "[").replace("\\]", "]").replace("\\\\", "\\")
    assert SHOWN in shown or r"friends\x1b[5m" in shown  # tags shows only the tag
    if args[0] == "show":
        assert "note\n      line two" in result.stdout  # a note keeps its lines (indented)


def test_forget_asks_with_the_name_escaped(lrm, hostile_db, monkeypatch):
    """The prompt names the person: at a terminal it would print the name raw."""
    import typer

    from lrm_cli.cli import prompts

    asked: list[str] = []
    monkeypatch.setattr(prompts, "interactive", lambda: True)
    monkeypatch.setattr(typer, "confirm", lambda text, **kw: asked.append(text) or False)
    assert lrm("forget", "1").exit_code == 0  # "no": nothing changed
    assert asked and SHOWN in asked[0] and not RAW.search(asked[0])


def _at_terminal(exe: str, args: list[str], env: dict) -> str:
    """stdout and stderr on a pseudo-terminal: lrm's rich mode, as a person sees it."""
    main, secondary = pty.openpty()
    proc = subprocess.Popen([exe, *args], stdout=secondary, stderr=secondary, env=env)
    os.close(secondary)
    screen = read_to_the_end(main)
    proc.wait(timeout=60)
    assert proc.returncode == 0
    return screen.decode()


def test_at_a_terminal_no_control_character_reaches_it(hostile_db, lrm_exe):
    env = {**os.environ, "LRM_DB": str(hostile_db), "COLUMNS": "400"}
    env.pop("NO_COLOR", None)
    for args in COMMANDS[:8]:
        seen = _at_terminal(lrm_exe, args, env)
        if args[0] != "timeline":  # which has no colour
            assert OURS.search(seen), args  # rich mode, in colour
        assert not RAW.search(OURS.sub("", seen).replace("\r\n", "\n")), args
        assert SHOWN in seen, args  # escaped, and the markup literal
    plain = _at_terminal(lrm_exe, ["show", "1"], {**env, "NO_COLOR": "1"})
    assert not RAW.search(plain.replace("\r\n", "\n"))
    assert SHOWN in plain


def test_export_vcard_writes_no_control_character(lrm, hostile_db):
    text = ok(lrm("export", "vcard")).stdout
    assert not RAW.search(text.replace("\r\n", "\n").replace("\n", ""))
    lines = text.replace("\r\n", "\n").replace("\n ", "").splitlines()  # unfolded
    assert r"FN:Ada[31m]8\;\;https://evil.example/link]8\;\;2J[bold]x[/bold]" in lines
    assert any(line.endswith(r" note\nline two") for line in lines)  # its line break kept


# --- bidirectional overrides: text that reorders the rest of the line ---------------------

# A name from a shared card that would print as "Eve Mallory" followed by text read
# backwards: U+202E (right-to-left override) and an isolate (U+2066 ... U+2069).
REORDERING = "Eve\u202eyrollaM\u2066x\u2069 \u200fok"
BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")


@pytest.fixture
def reordering_db(lrm, db_path: Path) -> Path:
    _seed(lrm)
    conn = sqlite3.connect(db_path)
    with conn:
        conn.execute("UPDATE contact SET display_name = ?", (REORDERING,))
        conn.execute("UPDATE note SET body = ?", (REORDERING + " note",))
        conn.execute("UPDATE interaction SET summary = ?", (REORDERING + " summary",))
    conn.close()
    return db_path


@pytest.mark.parametrize("args", [*COMMANDS, ["digest", "--format", "markdown"]], ids=" ".join)
def test_piped_output_shows_bidi_overrides_escaped(lrm, reordering_db, args):
    result = ok(lrm(*args))
    assert not BIDI.search(result.stdout + result.stderr)
    if args[0] != "tags":  # which shows only the tag
        assert r"Eve\u202eyrollaM\u2066x\u2069" in result.stdout.replace("\\\\", "\\")
    assert "\u200f" in result.stdout or args[0] == "tags"  # a mark reorders nothing: kept


def test_at_a_terminal_no_bidi_override_reaches_it(reordering_db, lrm_exe):
    env = {**os.environ, "LRM_DB": str(reordering_db), "COLUMNS": "400"}
    env.pop("NO_COLOR", None)
    for args in (["list"], ["show", "1"], ["timeline", "1"]):
        seen = _at_terminal(lrm_exe, args, env)
        assert not BIDI.search(seen), args
        assert r"Eve\u202eyrollaM" in seen, args


def test_json_and_exports_keep_the_text_as_it_is(lrm, reordering_db):
    """Escaping is for terminals: data out (JSON, vCards) carries the characters."""
    assert lrm("show", "1", "--json").json()["name"] == REORDERING
    assert REORDERING in lrm("export", "vcard").stdout.replace("\r\n ", "")
