"""What the digest says was last talked about with each person it lists (`last_topic` in
JSON, a `talked about:` line in text): the newest interaction with that person whose
summary is not blank, through the real command line, and against a plain Python reference
over generated histories."""

from __future__ import annotations

import json
import os
import pty
import re
import shutil
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta

from conftest import ok, read_to_the_end
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from lrm_cli.clock import Clock
from lrm_cli.scheduler import SchedulerSettings
from lrm_cli.services import reach_out
from lrm_cli.services.schedule import due_page
from lrm_cli.store import reach_out as store
from lrm_cli.store.db import Database

LISTS = ("due", "drifting", "one_sided", "losing_touch")
TITLES = {"Reach out": "due", "Drifting apart": "drifting", "One-sided": "one_sided"}
TITLES["Losing touch"] = "losing_touch"


def make_book(lrm) -> None:
    run = lambda *a: ok(lrm(*a))  # noqa: E731
    for name in ("Ada Lovelace", "Grace Hopper", "Katherine Johnson", "Dorothy Vaughan"):
        run("add", name, "--cadence", "30d")
    run("add", "Bob Other")  # someone else: no cadence, contacted lately
    run("--today", "2026-01-05", "add", "Charles Babbage")  # no cadence: losing touch
    # Ada: a call without a summary after one with: the earlier summary is the topic
    run("log", "ada", "--when", "2026-09-01", "--summary", "Poetry and engines")
    run("log", "ada", "--kind", "call", "--initiator", "me", "--when", "2026-10-20")
    # Grace: never a summary; Bob's later summary is his alone
    run("log", "grace", "--kind", "call", "--when", "2026-10-01")
    run("log", "grace", "--kind", "call", "--when", "2026-10-15")
    run("log", "bob", "--when", "2026-10-25", "--summary", "Bob's own news")
    # Katherine and Dorothy: one dinner together, then a call each without a summary
    run("log", "katherine", "dorothy", "--kind", "meal", "--when", "2026-09-15",
        "--summary", "Rocket dinner")  # fmt: skip
    run("log", "katherine", "--kind", "call", "--when", "2026-10-01")
    run("log", "dorothy", "--kind", "call", "--when", "2026-10-02")
    # Charles: one summary long ago (losing touch), and a group lunch with Bob and Ada
    # after it without one; Ada's own later summary is not his
    run("log", "charles", "--when", "2026-03-01", "--summary", "Difference engine")
    run("log", "charles", "bob", "--when", "2026-04-01")
    # Edsger: often in late 2025, always my doing, once lately: drifting and one-sided
    run("add", "Edsger Dijkstra")
    for day in ("2025-07-10", "2025-08-10", "2025-09-10", "2025-10-10", "2025-11-10"):
        run("log", "edsger", "--initiator", "me", "--when", day, "--summary", f"Algorithms {day}")
    run("log", "edsger", "--initiator", "me", "--when", "2025-11-20")
    run("log", "edsger", "--initiator", "me", "--when", "2026-11-20")


def _book(built):
    built(make_book)


def _coming_up(text: str) -> list[str]:
    """The lines of the digest's "Coming up" section."""
    return text.split("Coming up:\n", 1)[1].split("\n\n", 1)[0].splitlines()


def _digest(lrm, *args):
    return ok(lrm("digest", *args))


def _by_name(data: dict, key: str) -> dict[str, dict]:
    return {i["name"]: i for i in data[key]}


def test_an_earlier_summary_is_the_topic_when_the_last_call_had_none(lrm, built):
    _book(built)
    due = _by_name(_digest(lrm, "--json").json(), "due")
    assert due["Ada Lovelace"]["last_interaction"]["summary"] is None
    assert due["Ada Lovelace"]["last_topic"] == {
        "date": "2026-09-01",
        "summary": "Poetry and engines",
    }
    text = _digest(lrm, "--format", "text").stdout
    assert (
        "      last: call started by you, 2026-10-20\n"
        "      talked about: Poetry and engines (2026-09-01)\n"
    ) in text


def test_no_summary_ever_no_line_and_null(lrm, built):
    _book(built)
    due = _by_name(_digest(lrm, "--json").json(), "due")
    assert due["Grace Hopper"]["last_topic"] is None
    grace = _entries(_digest(lrm, "--format", "text").stdout)["due"]["Grace Hopper"]
    assert not [ln for ln in grace if ln.startswith("talked about:")]


def test_a_summary_with_someone_else_is_never_shown(lrm, built):
    _book(built)
    data = _digest(lrm, "--json").json()
    for key in LISTS:
        for item in data[key]:
            if item["name"] != "Bob Other":
                assert item["last_topic"] is None or "Bob" not in item["last_topic"]["summary"]
    text = _digest(lrm, "--format", "text").stdout
    assert "Bob's own news" not in text  # Bob is listed nowhere, and nobody else had it
    charles = _by_name(data, "losing_touch")["Charles Babbage"]
    assert charles["last_contact"] == "2026-04-01"  # the lunch with Bob, without a summary
    assert charles["last_topic"] == {"date": "2026-03-01", "summary": "Difference engine"}


def test_a_group_interaction_is_the_topic_of_each_participant(lrm, built):
    _book(built)
    due = _by_name(_digest(lrm, "--json").json(), "due")
    for name in ("Katherine Johnson", "Dorothy Vaughan"):
        assert due[name]["last_topic"] == {"date": "2026-09-15", "summary": "Rocket dinner"}


def test_the_last_line_and_the_topic_are_not_both_said(lrm):
    ok(lrm("add", "Ada", "--cadence", "7d"))
    ok(lrm("log", "ada", "--when", "2026-10-01", "--summary", "Older"))
    ok(lrm("log", "ada", "--when", "2026-10-02", "--summary", "Newest"))
    (ada,) = _digest(lrm, "--json").json()["due"]
    assert ada["last_topic"] == {"date": "2026-10-02", "summary": "Newest"}
    (under,) = _entries(_digest(lrm, "--format", "text").stdout)["due"].values()
    assert under[0] == "last: other started by both, 2026-10-02: Newest"
    assert not [ln for ln in under if ln.startswith("talked about:")]


def _entries(text: str) -> dict[str, dict[str, list[str]]]:
    """The plain-text digest as {list key: {name: the lines under the entry}}."""
    found: dict[str, dict[str, list[str]]] = {}
    section: dict[str, list[str]] | None = None
    under: list[str] = []
    for line in text.splitlines():
        if line.endswith(":") and not line.startswith(" "):
            key = TITLES.get(line[:-1])
            section = None if key is None else found.setdefault(key, {})
        elif line.startswith("  - ") and section is not None:
            under = section.setdefault(line[4:].split(": ", 1)[0], [])
        elif line.startswith("      ") and section is not None:
            under.append(line.strip())
    return found


def _expected_lines(data: dict) -> dict[str, dict[str, list[str]]]:
    """The `talked about:` lines the JSON calls for, by list and name."""
    out: dict[str, dict[str, list[str]]] = {}
    for key in LISTS:
        for item in data[key]:
            topic, last = item["last_topic"], item.get("last_interaction")
            lines = []
            if topic is not None and (last is None or last["summary"] != topic["summary"]):
                lines = [f"talked about: {topic['summary'].strip()} ({topic['date']})"]
            out.setdefault(key, {})[item["name"]] = lines
    return out


def _said(found: dict[str, dict[str, list[str]]]) -> dict[str, dict[str, list[str]]]:
    """Only the `talked about:` lines of :func:`_entries`."""
    talked = "talked about:"
    return {
        key: {name: [ln for ln in under if ln.startswith(talked)] for name, under in v.items()}
        for key, v in found.items()
    }


def test_json_and_text_agree(lrm, built):
    _book(built)
    data = _digest(lrm, "--json").json()
    assert {k: len(data[k]) for k in LISTS} == {
        "due": 4,
        "drifting": 1,
        "one_sided": 1,
        "losing_touch": 1,
    }
    expected = _expected_lines(data)
    assert _said(_entries(_digest(lrm, "--format", "text").stdout)) == expected
    assert sum(len(v) for section in expected.values() for v in section.values()) == 6
    edsger = ["talked about: Algorithms 2025-11-10 (2025-11-10)"]
    assert expected["drifting"] == expected["one_sided"] == {"Edsger Dijkstra": edsger}
    markdown = _digest(lrm, "--format", "markdown").stdout
    assert "  - talked about: Poetry and engines (2026-09-01)\n" in markdown
    assert "  - talked about: Difference engine (2026-03-01)\n" in markdown


def _at_a_terminal(exe: str, env: dict) -> str:
    """`lrm digest` with a pseudo-terminal as stdout, read to the end."""
    main, secondary = pty.openpty()
    proc = subprocess.Popen([exe, "digest"], stdout=secondary, env=env, stdin=subprocess.DEVNULL)
    os.close(secondary)
    screen = read_to_the_end(main)
    assert proc.wait(timeout=60) == 0
    return screen.decode()


def test_at_a_terminal_the_label_is_dim_unless_no_color(lrm, lrm_exe):
    ok(lrm("add", "Ada", "--cadence", "7d"))
    ok(lrm("log", "ada", "--when", "2026-10-01", "--summary", "Engines"))
    ok(lrm("log", "ada", "--when", "2026-10-02"))
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    styled = _at_a_terminal(lrm_exe, env)
    assert re.search(r"\x1b\[[0-9;]*mtalked about: \x1b\[0?m *Engines \(2026-10-01\)", styled)
    plain = _at_a_terminal(lrm_exe, {**env, "NO_COLOR": "1"})
    assert "\x1b[" not in plain and "talked about: Engines (2026-10-01)" in plain


# --- through `lrm import json`: summaries `lrm log` would have stripped --------------------

WHEN = datetime(2026, 9, 1, 12, tzinfo=UTC)  # noon UTC: the same day in Europe/London


def _document(contacts: int, interactions: list[tuple[int, list[int], str | None]]) -> dict:
    """An `lrm export json` document: ``contacts`` people due every day, and each
    interaction as (days after WHEN, participant indexes, summary)."""
    people = [
        {
            "id": n + 1,
            "uid": f"00000000-0000-4000-8000-{n:012d}",
            "name": f"Person {n}",
            "given_name": None,
            "family_name": None,
            "nickname": None,
            "organization": None,
            "title": None,
            "birthday": None,
            "how_met": None,
            "cadence_days": 1,
            "snoozed_until": None,
            "archived_at": None,
            "created_at": "2026-01-01T12:00:00+00:00",
            "updated_at": "2026-01-01T12:00:00+00:00",
            "org_units": [],
            "name_parts": None,
            "vcard_extra": [],
            "vcard_uid": None,
            "methods": [],
            "tags": [],
            "aliases": [],
            "important_dates": [],
            "notes": [],
        }
        for n in range(contacts)
    ]
    return {
        "format": "lrm",
        "schema": "0012",
        "exported_at": "2026-11-29T12:00:00+00:00",
        "lrm_version": "0.1.0",
        "tags": [],
        "contacts": people,
        "relationships": [],
        "interactions": [
            {
                "id": k + 1,
                "uid": f"10000000-0000-4000-8000-{k:012d}",
                "occurred_at": (WHEN + timedelta(days=day)).isoformat(),
                "kind": "call",
                "initiator": "mutual",
                "summary": summary,
                "sentiment": None,
                "weight": None,
                "created_at": "2026-11-01T12:00:00+00:00",
                "participants": [people[p]["uid"] for p in sorted(set(who))],
            }
            for k, (day, who, summary) in enumerate(interactions)
        ],
        "reminders": [],
    }


def _reference(contacts: int, interactions) -> dict[str, dict | None]:
    """Each person's newest interaction (ties: the one listed later) whose summary holds
    more than white space, written out naively."""
    found: dict[str, dict | None] = {}
    for n in range(contacts):
        best = max(
            (
                (day, k, summary)
                for k, (day, who, summary) in enumerate(interactions)
                if n in who and summary is not None and summary.strip()
            ),
            default=None,
        )
        found[f"Person {n}"] = (
            None
            if best is None
            else {"date": (WHEN + timedelta(days=best[0])).date().isoformat(), "summary": best[2]}
        )
    return found


def _restore(lrm, template_db, folder, document) -> str:
    path = folder / f"restored-{len(list(folder.iterdir()))}.sqlite3"
    shutil.copyfile(template_db, path)
    path.chmod(0o600)
    source = path.with_suffix(".json")
    source.write_text(json.dumps(document))
    ok(lrm("--db", str(path), "import", "json", str(source)))
    return str(path)


def test_blank_summaries_count_as_none(lrm, template_db, tmp_path):
    history = [
        (0, [0], "Real topic"),
        (1, [0], " \u3000 "),
        (2, [0, 1], "  \t\n "),
        (3, [1], ""),
        (4, [0], None),
    ]
    db = _restore(lrm, template_db, tmp_path, _document(2, history))
    due = _by_name(_digest(lrm, "--db", db, "--json").json(), "due")
    assert due["Person 0"]["last_topic"] == {"date": "2026-09-01", "summary": "Real topic"}
    assert due["Person 1"]["last_topic"] is None
    assert due["Person 1"]["last_interaction"]["summary"] == ""
    found = _entries(_digest(lrm, "--db", db, "--format", "text").stdout)["due"]
    assert found["Person 0"][:2] == [
        "last: call started by both, 2026-09-05",
        "talked about: Real topic (2026-09-01)",
    ]
    assert found["Person 1"][0] == "last: call started by both, 2026-09-04"  # no ": " after
    assert not [ln for ln in found["Person 1"] if ln.startswith("talked about:")]


SUMMARIES = st.one_of(
    st.none(),
    st.sampled_from(["", " ", "\t", " \n ", "\xa0", "\u3000", "\u2003 "]),
    st.sampled_from(["Books", "Work", "Travel plans", " padded "]),
)


@st.composite
def histories(draw):
    contacts = draw(st.integers(1, 4))
    interactions = draw(
        st.lists(
            st.tuples(
                st.integers(0, 6),  # few days: ties in time are common
                st.lists(st.integers(0, contacts - 1), min_size=1, max_size=contacts),
                SUMMARIES,
            ),
            max_size=12,
        )
    )
    return contacts, interactions


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(histories())
@example((2, [(5, [0, 1], "Books"), (5, [0], "Work"), (5, [1], " "), (6, [1], None)]))  # ties
def test_last_topic_matches_a_naive_reference(lrm, template_db, tmp_path_factory, history):
    contacts, interactions = history
    folder = tmp_path_factory.mktemp("topics")
    db = _restore(lrm, template_db, folder, _document(contacts, interactions))
    data = _digest(lrm, "--db", db, "--json").json()
    assert len(data["due"]) == contacts
    assert {i["name"]: i["last_topic"] for i in data["due"]} == _reference(contacts, interactions)
    text = _digest(lrm, "--db", db, "--format", "text").stdout
    assert _said(_entries(text)).get("due", {}) == _expected_lines(data)["due"]


# --- the cost -------------------------------------------------------------------------------


def test_blank_is_exactly_what_python_strips():
    spaces = "".join(chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace())
    assert spaces == store.BLANK


def test_one_statement_whatever_the_number_of_people(lrm, db_path):
    for n in range(6):
        ok(lrm("add", f"Person {n}", "--cadence", "7d"))
        ok(lrm("log", f"Person {n}", "--when", "2026-10-01", "--summary", f"topic {n}"))
        ok(lrm("log", f"Person {n}", "--when", "2026-10-02"))
    db = Database(db_path)
    clock = Clock.pinned(date(2026, 11, 29), None)
    try:
        due, _total = due_page(db, clock, SchedulerSettings())
        seen: list[str] = []
        db.conn.set_trace_callback(seen.append)
        try:
            one = reach_out.last_topics(db, clock, [due[0].id])
            six = reach_out.last_topics(db, clock, [d.id for d in due])
        finally:
            db.conn.set_trace_callback(None)
    finally:
        db.close()
    assert len([s for s in seen if re.match(r"\s*SELECT", s, re.I)]) == 2
    assert len(one) == 1 and len(six) == 6
    assert {t.summary for t in six.values()} == {f"topic {n}" for n in range(6)}


def test_a_birthday_coming_up_says_what_was_last_talked_about(lrm):
    """A birthday is a reason to write: its line in "Coming up" carries the last topic, as
    the people listed elsewhere do, unless its person is due (said under "Reach out")."""
    ok(lrm("add", "Tom Becker", "--birthday", "--12-01"))  # no cadence: never due
    ok(lrm("log", "tom", "--when", "2026-11-02", "--summary", "Party plans for his 40th"))
    ok(lrm("log", "tom", "--kind", "call", "--when", "2026-11-10"))  # no summary
    ok(lrm("add", "Ada Lovelace", "--cadence", "7d", "--birthday", "--12-02"))
    ok(lrm("log", "ada", "--when", "2026-10-01", "--summary", "Engines"))  # due
    ok(lrm("add", "Grace Hopper", "--birthday", "--12-03"))  # no interaction yet
    data = _digest(lrm, "--json").json()
    topics = {u["contact"]["name"]: u["last_topic"] for u in data["upcoming"]}
    assert topics == {
        "Tom Becker": {"date": "2026-11-02", "summary": "Party plans for his 40th"},
        "Ada Lovelace": {"date": "2026-10-01", "summary": "Engines"},
        "Grace Hopper": None,
    }
    text = _digest(lrm, "--format", "text").stdout
    coming = _coming_up(text)
    assert coming == [
        "  - 2026-12-01 (in 2 days): Tom Becker's birthday",
        "      talked about: Party plans for his 40th (2026-11-02)",
        "  - 2026-12-02 (in 3 days): Ada Lovelace's birthday",
        "  - 2026-12-03 (in 4 days): Grace Hopper's birthday",
    ]
    assert text.count("Engines") == 1  # under "Reach out" only


def test_a_person_with_two_dates_coming_gets_the_topic_once(lrm):
    """His birthday and a dinner planned for it: the topic under the first only (JSON
    keeps it on both: each item stands alone)."""
    ok(lrm("add", "Tom Becker", "--birthday", "--12-01"))
    ok(lrm("log", "tom", "--when", "2026-11-02", "--summary", "Party plans for his 40th"))
    ok(lrm("log", "tom", "--kind", "meal", "--when", "2026-12-01 19:00", "--future"))
    text = _digest(lrm, "--format", "text").stdout
    coming = _coming_up(text)
    assert coming == [
        "  - 2026-12-01 (in 2 days): Tom Becker's birthday",
        "      talked about: Party plans for his 40th (2026-11-02)",
        "  - 2026-12-01 (in 2 days): meal with Tom Becker at 19:00",
    ]
    data = _digest(lrm, "--json").json()
    assert [u["last_topic"]["summary"] for u in data["upcoming"]] == [
        "Party plans for his 40th"
    ] * 2


def test_a_meeting_logged_ahead_is_not_what_was_talked_about(lrm):
    """A dinner logged ahead (``log --future``) has not happened: the birthday's line says
    what was last talked about before it, never the plan in the past tense."""
    ok(lrm("add", "Tom Becker", "--birthday", "--12-01"))
    ok(lrm("log", "tom", "--when", "2026-11-02", "--summary", "Marathon and the new flat"))
    ok(lrm("log", "tom", "--kind", "meal", "--when", "2026-12-05", "--future",
           "--summary", "Birthday dinner at Lisboa"))  # fmt: skip
    data = _digest(lrm, "--json").json()
    before = {"date": "2026-11-02", "summary": "Marathon and the new flat"}
    # the birthday, then the dinner itself (planned): both say what was said before it
    assert [(u["kind"], u["last_topic"]) for u in data["upcoming"]] == [
        ("birthday", before),
        ("planned", before),
    ]
    text = _digest(lrm, "--format", "text").stdout
    assert "talked about: Marathon and the new flat (2026-11-02)" in text
    assert "talked about: Birthday dinner" not in text
    # planning ahead to a day after the dinner, it is what was talked about
    ok(lrm("cadence", "tom", "7d"))
    later = _digest(lrm, "--json", "--date", "2026-12-13").json()
    (tom,) = later["due"]
    assert tom["last_topic"]["summary"] == "Birthday dinner at Lisboa"
    assert tom["last_interaction"]["date"] == "2026-12-05"


def test_a_limit_of_0_leaves_its_section_out_and_due_limit_needs_1(lrm, built):
    """`[digest] *_limit = 0` is one rule for every optional section: it is left out of
    the page, its total stays in the JSON. The people to reach out to are the digest's
    point: due_limit 0 is a configuration error (exit 7), not an empty page."""
    import os
    from pathlib import Path

    _book(built)
    config = Path(os.environ["LRM_CONFIG"])
    limits = "drift_limit = 0\none_sided_limit = 0\nlosing_touch_limit = 0\n"
    config.write_text("[digest]\n" + limits)
    data = _digest(lrm, "--json").json()
    assert {k: len(data[k]) for k in LISTS} == {
        "due": 4,
        "drifting": 0,
        "one_sided": 0,
        "losing_touch": 0,
    }
    assert data["totals"]["drifting"] == 1 and data["totals"]["losing_touch"] == 1
    page = _digest(lrm, "--format", "text").stdout
    assert "Reach out" in page
    for title in ("Drifting apart", "One-sided", "Losing touch"):
        assert title not in page
    config.write_text("[digest]\ndue_limit = 0\n")
    refused = lrm("digest")
    assert refused.exit_code == 7 and "due_limit must be 1 or more" in refused.stderr
