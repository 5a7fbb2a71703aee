"""Fixing slips through the real command: interaction, note and reminder edit/rm, relate
--rm, the refusal of a future --when, ids on timeline lines, everyone's timeline."""

from __future__ import annotations

import sys

import pytest


@pytest.fixture
def people(lrm):
    lrm("add", "Ada Lovelace")
    lrm("add", "Charles Babbage")
    lrm("log", "ada", "charles", "--kind", "meal", "--initiator", "them", "--when", "2 days ago")
    lrm("note", "ada", "Prefers letters")
    return lrm


def test_log_refuses_a_day_after_today_unless_future(people):
    slip = people("log", "ada", "--when", "next friday")
    assert slip.exit_code == 5
    assert "in the future" in slip.stderr and "--future" in slip.stderr
    assert len(slip.stderr.strip().splitlines()) == 1
    assert len(people("timeline", "ada", "--json").json()) == 2  # nothing was logged
    planned = people("log", "ada", "--when", "next friday", "--future", "--json")
    assert planned.exit_code == 0
    assert planned.json()["occurred_at"].startswith("2026-12-04")
    assert people("log", "ada", "--when", "today").exit_code == 0  # noon today is fine


def test_a_plan_still_ahead_moves_to_the_coming_day_without_future(people):
    """Today is Sunday 2026-11-29. Moving next Friday's dinner to "saturday" means the
    coming Saturday: read as the last one, the plan would become yesterday's dinner."""
    plan = people("log", "ada", "--when", "friday 18:30", "--future", "--json").json()
    moved = people("interaction", "edit", str(plan["id"]), "--when", "saturday 19:00", "--json")
    assert moved.exit_code == 0, moved.stderr
    assert moved.json()["occurred_at"].startswith("2026-12-05T19:00")
    happened = people("interaction", "edit", str(plan["id"]), "--when", "yesterday", "--json")
    assert happened.json()["occurred_at"].startswith("2026-11-28")
    # no longer ahead: the past reading and the --future guard are back
    again = people("interaction", "edit", str(plan["id"]), "--when", "friday", "--json")
    assert again.json()["occurred_at"].startswith("2026-11-27")
    slip = people("interaction", "edit", "1", "--when", "next friday")
    assert slip.exit_code == 5 and "--future" in slip.stderr


def test_timeline_lines_carry_the_ids_the_fixing_commands_take(people):
    lines = people("timeline", "ada").stdout.splitlines()
    assert "  note #1: Prefers letters" in lines[0]
    assert "  #1 meal (them) with Ada Lovelace, Charles Babbage" in lines[1]


def test_everyone_s_timeline_is_the_last_week_and_names_whose_note(people):
    people("log", "charles", "--kind", "call", "--when", "20 days ago")
    lines = people("timeline").stdout.splitlines()
    assert len(lines) == 2  # the call 20 days ago is outside the last 7 days
    assert "note #1 about Ada Lovelace: Prefers letters" in lines[0]
    everything = people("timeline", "--since", "30 days ago", "--json").json()
    assert [i["type"] for i in everything] == ["note", "interaction", "interaction"]
    assert people("timeline", "--limit", "1", "--json").json()[0]["type"] == "note"


def test_interaction_edit_changes_fields_and_the_balance_follows(people):
    before = people("show", "ada", "--json").json()["balance"]["balance"]
    edited = people(
        "interaction", "edit", "1", "--initiator", "me", "--summary", "Dinner", "--json"
    )
    assert edited.exit_code == 0, edited.stderr
    shown = edited.json()
    assert (shown["initiator"], shown["summary"]) == ("me", "Dinner")
    after = people("show", "ada", "--json").json()["balance"]["balance"]
    assert before < 0 < after  # they gave; now I did
    cleared = people("interaction", "edit", "1", "--summary", "", "--json").json()
    assert cleared["summary"] is None


def test_interaction_edit_moves_the_last_contact_and_participants(people):
    people("interaction", "edit", "1", "--when", "30 days ago", "--remove", "charles")
    ada = people("list", "--json").json()[0]
    assert ada["last_contact"].startswith("2026-10-30")
    charles = people("show", "charles", "--json").json()
    assert charles["interactions"] == []
    nobody = people("interaction", "edit", "1", "--remove", "ada")
    assert nobody.exit_code == 5 and "nobody left" in nobody.stderr
    assert people("interaction", "edit", "1", "--when", "next friday").exit_code == 5


def test_interaction_rm_and_errors(people):
    gone = people("interaction", "rm", "1")
    assert gone.exit_code == 0 and gone.stdout.startswith("deleted ")
    assert people("show", "ada", "--json").json()["interactions"] == []
    missing = people("interaction", "rm", "1")
    assert missing.exit_code == 3 and "no interaction #1" in missing.stderr
    assert people("interaction", "edit", "1", "--kind", "call").exit_code == 3
    people("log", "ada")
    nothing = people("interaction", "edit", "2")
    assert nothing.exit_code == 5 and "nothing to change" in nothing.stderr
    assert people("interaction", "edit", "abc", "--kind", "call").exit_code == 2


def test_note_edit_pin_and_rm(people):
    edited = people("note", "edit", "1", "Prefers long letters", "--pin", "--json").json()
    assert (edited["body"], edited["pinned"]) == ("Prefers long letters", True)
    assert people("note", "edit", "1", "--unpin", "--json").json()["pinned"] is False
    assert people("note", "rm", "1").stdout.strip() == "deleted note #1"
    assert people("show", "ada", "--json").json()["notes"] == []
    assert people("note", "rm", "1").exit_code == 3
    bad = people("note", "edit", "first")
    assert bad.exit_code == 5 and "note id must be a number" in bad.stderr


def test_note_from_stdin_and_from_the_editor(people, tmp_path, monkeypatch):
    assert people("note", "ada", "-", input="Met at the club\n").exit_code == 0
    script = tmp_path / "editor.py"
    script.write_text(
        "import sys\n"
        "path = sys.argv[1]\n"
        "text = open(path).read()\n"
        "open(path, 'w').write(text + 'Written in the editor\\n')\n"
    )
    monkeypatch.setenv("VISUAL", f"{sys.executable} {script}")
    assert people("note", "ada").exit_code == 0
    bodies = [n["body"] for n in people("show", "ada", "--json").json()["notes"]]
    assert "Met at the club" in bodies[1] or "Met at the club" in bodies[0]
    assert "Written in the editor" in bodies
    monkeypatch.delenv("VISUAL")
    monkeypatch.delenv("EDITOR", raising=False)
    no_editor = people("note", "ada")
    assert no_editor.exit_code == 5 and "no editor" in no_editor.stderr


@pytest.mark.parametrize(("who", "code"), [("adx", 3), ("ad", 4)])
def test_a_note_to_a_mistyped_contact_fails_before_the_editor_opens(
    people, tmp_path, monkeypatch, who, code
):
    """The contact was looked for after the note was written: a typo in the name (or an
    ambiguous one) threw away what the user had just typed."""
    people("add", "Adam Smith")
    opened = tmp_path / "opened"
    script = tmp_path / "editor.py"
    script.write_text(f"import pathlib, sys\npathlib.Path({str(opened)!r}).touch()\n")
    monkeypatch.setenv("VISUAL", f"{sys.executable} {script}")
    result = people("note", who)
    assert result.exit_code == code
    assert not opened.exists()
    assert result.stderr.count("\n") == 1


def test_reminder_edit_reschedules_and_rm_deletes(people):
    people("remind", "ada", "Send the article", "--on", "tomorrow", "--every", "1m")
    moved = people("reminder", "edit", "1", "--on", "in 2 weeks", "--every", "never", "--json")
    assert moved.exit_code == 0, moved.stderr
    shown = moved.json()
    assert (shown["due_on"], shown["recurrence"]) == ("2026-12-13", None)
    other = people("reminder", "edit", "1", "--contact", "charles", "--json").json()
    assert other["contact"]["name"] == "Charles Babbage"
    assert people("reminder", "edit", "1").exit_code == 5
    assert people("reminder", "rm", "1").exit_code == 0
    assert people("reminders", "--json").json() == []
    assert people("reminder", "rm", "1").exit_code == 3


def test_relate_rm_removes_either_direction(people):
    people("relate", "ada", "charles", "--as", "parent")
    wrong = people("relate", "ada", "charles", "--rm", "--as", "child")
    assert wrong.exit_code == 3
    assert people("relate", "charles", "ada", "--rm", "--as", "child").exit_code == 0
    assert people("show", "ada", "--json").json()["relationships"] == []
    assert people("relate", "ada", "charles").exit_code == 5  # neither --as nor --rm


def _last_and_first_refused() -> tuple[str, str]:
    """The last day an interaction may be on, and the day after (conftest's LRM_TODAY,
    2026-11-29, and the zone the tests run in)."""
    from datetime import date, timedelta

    from lrm_cli.vocabulary import MAX_FUTURE_DAYS

    last = date(2026, 11, 29) + timedelta(days=MAX_FUTURE_DAYS)
    return last.isoformat(), (last + timedelta(days=1)).isoformat()


@pytest.mark.parametrize("way", ["log", "interaction edit", "import json", "import json --merge"])
def test_every_way_in_holds_interactions_to_the_same_future_limit(people, isolated, way):
    """One rule (vocabulary.too_far_ahead), whatever writes the interaction: the last
    day taken, the next refused with a message naming the year as the likely slip. The
    balance's weights are sized for it (settings.shortest_half_life): a later day could
    overflow every command that weighs interactions."""
    import json

    last, refused = _last_and_first_refused()

    def attempt(day: str):
        if way == "log":
            return people("log", "ada", "--when", day, "--future")
        if way == "interaction edit":
            return people("interaction", "edit", "1", "--when", day, "--future")
        doc = json.loads(people("export", "json").stdout)
        doc["interactions"][0]["occurred_at"] = f"{day}T12:00:00+00:00"
        path = isolated / f"{day}.json"
        path.write_text(json.dumps(doc), "utf-8")
        target = isolated / f"{day}.sqlite3"
        if way == "import json --merge":
            people("--db", str(target), "add", "Someone Else")
            return people("--db", str(target), "import", "json", "--merge", str(path))
        return people("--db", str(target), "import", "json", str(path))

    taken = attempt(last)
    assert taken.exit_code == 0, taken.stderr
    slip = attempt(refused)
    assert slip.exit_code == 5
    assert refused in slip.stderr and "year" in slip.stderr
    assert len(slip.stderr.strip().splitlines()) == 1
