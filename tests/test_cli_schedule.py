"""The scheduler through the CLI, against a fixture dataset with hand-computed answers.

Today is pinned to Sunday 2026-11-29 (Europe/London) by the autouse fixture.
"""

from __future__ import annotations

import os
import re
import sqlite3
from pathlib import Path

import pytest
from conftest import ok

SNAPSHOTS = Path(__file__).parent / "snapshots"


def build_fixture(lrm) -> None:
    """A small address book whose schedule is worked out by hand in the tests below."""
    run = lambda *a: ok(lrm(*a))  # noqa: E731
    run(
        "add", "Ada Lovelace", "--cadence", "30d", "--birthday", "1815-12-10",
        "--email", "ada@example.org", "--phone", "+44 20 7946 0000",
    )  # fmt: skip
    run("add", "Grace Hopper", "--tag", "close-friends")
    run("tag", "cadence", "close-friends", "14d")
    run("add", "Alan Turing")
    run("add", "Katherine Johnson", "--cadence", "7d")
    run("add", "Bob Archived", "--cadence", "7d")
    run("add", "Charles Babbage", "--birthday", "--12-01")
    run("add", "Lee Leap", "--birthday", "2000-02-29")
    # Ada: one call I made; 30-day cadence -> due 2026-11-19, 10 days overdue, urgency 40/30
    run("log", "ada", "--kind", "call", "--initiator", "me", "--when", "2026-10-20")
    # Grace: they called a week ago; tag cadence 14 -> due 2026-12-06
    run("log", "grace", "--kind", "call", "--initiator", "them", "--when", "2026-11-22")
    # Alan: three meetings 30 days apart -> inferred cadence 30, last 2026-09-30,
    # due 2026-10-30, 30 days overdue, urgency 60/30 = 2.0
    for day in ("2026-08-01", "2026-08-31"):
        run("log", "alan", "--kind", "meeting", "--initiator", "them", "--when", day)
    run(
        "log", "alan", "--kind", "meeting", "--initiator", "them", "--when", "2026-09-30",
        "--summary", "Chess and machines",
    )  # fmt: skip
    run("log", "katherine", "--when", "2026-11-01")
    run("snooze", "katherine", "--until", "2026-12-10")
    run("log", "bob", "--when", "2026-01-01")
    run("archive", "bob")
    run("date", "add", "ada", "--kind", "anniversary", "--on", "--12-05", "--label", "Wedding")
    run("remind", "ada", "send the article", "--on", "2026-12-04")
    # what the digest shows beside a person due: a way to reach them, the pinned note
    run("note", "ada", "Prefers long letters to calls", "--pin")
    run("note", "ada", "An older thought, not pinned")


@pytest.fixture
def book(lrm, built):
    built(build_fixture)
    return lrm


def test_due_most_urgent_first_with_sources(book):
    items = book("due", "--json").json()
    assert [
        (i["name"], i["cadence_source"], i["cadence_days"], i["due_on"], i["overdue_days"])
        for i in items
    ] == [
        ("Alan Turing", "inferred", 30, "2026-10-30", 30),
        ("Ada Lovelace", "explicit", 30, "2026-11-19", 10),
    ]
    assert items[0]["urgency"] == 2.0
    assert items[1]["urgency"] == pytest.approx(40 / 30, abs=1e-3)
    assert items[1]["last_contact"] == "2026-10-20"


def test_due_within_adds_soon_due_and_tag_filters(book):
    names = [i["name"] for i in book("due", "--within", "7d", "--json").json()]
    assert names == ["Alan Turing", "Ada Lovelace", "Grace Hopper"]
    tagged = book("due", "--within", "1w", "--tag", "close-friends", "--json").json()
    assert [(i["name"], i["cadence_source"], i["overdue_days"]) for i in tagged] == [
        ("Grace Hopper", "tag", -7)
    ]
    assert book("due", "--limit", "1", "--json").json()[0]["name"] == "Alan Turing"


def test_snoozed_and_archived_are_never_due(book):
    names = {i["name"] for i in book("due", "--within", "365d", "--json").json()}
    assert "Katherine Johnson" not in names and "Bob Archived" not in names
    book("snooze", "katherine", "--clear")
    names = {i["name"] for i in book("due", "--json").json()}
    assert "Katherine Johnson" in names  # 7-day cadence, last 2026-11-01


def test_logging_clears_due(book):
    book("log", "alan", "--when", "today")
    assert "Alan Turing" not in {i["name"] for i in book("due", "--json").json()}


def test_cadence_command_and_clear(book):
    assert book("cadence", "grace", "3d", "--json").json()["cadence_days"] == 3
    due = {i["name"]: i for i in book("due", "--json").json()}
    assert due["Grace Hopper"]["cadence_source"] == "explicit"
    book("cadence", "grace", "--clear")
    assert "Grace Hopper" not in {i["name"] for i in book("due", "--json").json()}


def test_cadence_without_a_value_shows_the_cadence_in_effect_and_its_source(book):
    def shown(who):
        result = book("cadence", who, "--json")
        assert result.exit_code == 0, result.stderr
        return result.json()

    ada = shown("ada")
    assert (ada["cadence_days"], ada["cadence"]) == (
        30,
        {"days": 30, "source": "explicit", "tag": None, "inferred_from": None},
    )
    grace = shown("grace")
    assert grace["cadence_days"] is None
    assert grace["cadence"] == {
        "days": 14,
        "source": "tag",
        "tag": "close-friends",
        "inferred_from": None,
    }
    alan = shown("alan")
    assert alan["cadence"] == {"days": 30, "source": "inferred", "tag": None, "inferred_from": 3}
    assert shown("charles")["cadence"] is None
    assert book("cadence", "ada").stdout == "Ada Lovelace: every 30 days (explicit)\n"
    assert book("cadence", "grace").stdout == "Grace Hopper: every 14 days (tag close-friends)\n"
    assert book("cadence", "alan").stdout == (
        "Alan Turing: every 30 days (inferred from 3 interactions)\n"
    )
    assert "Charles Babbage: no cadence" in book("cadence", "charles").stdout
    # the smallest tag cadence wins, and names its tag
    book("tag", "add", "grace", "family")
    book("tag", "cadence", "family", "10d")
    assert shown("grace")["cadence"]["tag"] == "family"
    # an explicit cadence shadows the tags
    book("cadence", "grace", "3d")
    assert shown("grace")["cadence"]["source"] == "explicit"


@pytest.mark.parametrize(
    ("args", "code", "needle"),
    [
        (["cadence", "nobody"], 3, "no contact matches"),
        (["cadence", "nobody", "--json"], 3, "not_found"),
        (["cadence", "ada", "30d", "--clear"], 5, "not both"),
    ],
)
def test_cadence_errors(book, db_path, args, code, needle):
    before = _dump(db_path)
    result = book(*args)
    assert result.exit_code == code
    assert needle in result.stderr and result.stdout == ""
    assert _dump(db_path) == before


def test_show_says_where_the_cadence_comes_from_and_until_when_snoozed(book):
    grace = book("show", "grace").stdout
    assert "every 14 days (tag close-friends)" in grace
    assert "every 30 days (inferred from 3 interactions)" in book("show", "alan").stdout
    katherine = book("show", "katherine", "--json").json()
    assert katherine["snoozed"] == {"until": "2026-12-10", "days_left": 11}
    assert katherine["due"] is None
    assert "until 2026-12-10 (11 days left)" in book("show", "katherine").stdout
    assert book("show", "ada", "--json").json()["snoozed"] is None
    assert "snoozed" not in book("show", "ada").stdout
    book("snooze", "ada", "--until", "2026-11-30")
    assert "until 2026-11-30 (1 day left)" in book("show", "ada").stdout


def test_tags_lists_counts_and_cadences(book):
    book("tag", "add", "ada", "mentors")
    book("tag", "add", "bob", "mentors")  # archived: counted apart
    book("tag", "cadence", "empty-tag", "30d")  # a tag nobody carries yet
    items = book("tags", "--json").json()
    assert items == [
        {"tag": "close-friends", "contacts": 1, "archived": 0, "cadence_days": 14},
        {"tag": "empty-tag", "contacts": 0, "archived": 0, "cadence_days": 30},
        {"tag": "mentors", "contacts": 1, "archived": 1, "cadence_days": None},
    ]
    assert book("tags").stdout.splitlines() == [
        "close-friends\t1\t0\t14d",
        "empty-tag\t0\t0\t30d",
        "mentors\t1\t1\t",
    ]


def test_tags_with_none(lrm):
    assert lrm("tags", "--json").json() == []
    result = lrm("tags")
    assert result.exit_code == 0 and result.stdout == ""


def test_upcoming_names_the_contact_and_the_reminder_id(book):
    book("remind", "-", "renew the passport", "--on", "2026-12-02")
    items = book("upcoming", "--json").json()
    reminders = [(u["reminder_id"], u["contact"]) for u in items if u["kind"] == "reminder"]
    assert reminders == [(2, None), (1, {"id": 1, "name": "Ada Lovelace"})]
    assert all(u["reminder_id"] is None for u in items if u["kind"] != "reminder")
    lines = book("upcoming").stdout.splitlines()
    assert "2026-12-04\t5d\treminder\t1\tAda Lovelace\tsend the article\t" in lines
    assert "2026-12-02\t3d\treminder\t2\t\trenew the passport\t" in lines
    assert "2026-12-01\t2d\tbirthday\t\tCharles Babbage\tCharles Babbage's birthday\t" in lines


def test_balance_labels_and_counts(book):
    everyone = book("balance", "--json").json()
    by_name = {b["name"]: b for b in everyone}
    assert by_name["Ada Lovelace"]["balance"] == 1.0
    assert by_name["Ada Lovelace"]["label"] == "you_give_more"
    assert by_name["Alan Turing"]["balance"] == -1.0
    assert by_name["Alan Turing"]["label"] == "they_give_more"
    assert by_name["Alan Turing"]["initiated_by_them"] == 3
    assert by_name["Katherine Johnson"]["label"] == "balanced"
    assert by_name["Katherine Johnson"]["mutual"] == 1
    assert abs(everyone[0]["balance"]) >= abs(everyone[-1]["balance"])
    (ada,) = book("balance", "ada", "--json").json()
    assert (ada["initiated_by_me"], ada["initiated_by_them"], ada["mutual"]) == (1, 0, 0)
    # Grace gives back: a newer 'me' call of the same kind outweighs her older one
    book("log", "grace", "--kind", "call", "--initiator", "me", "--when", "2026-11-28")
    (grace,) = book("balance", "grace", "--json").json()
    assert 0 < grace["balance"] < 0.2 and grace["label"] == "balanced"


def test_balance_of_a_contact_without_interactions(book):
    (charles,) = book("balance", "charles", "--json").json()
    assert charles["balance"] is None and charles["label"] is None


def test_upcoming_birthdays_anniversaries_reminders(book):
    items = book("upcoming", "--days", "14", "--json").json()
    assert [
        (u["date"], u["kind"], u["contact"]["name"], u["days_until"], u["turns"]) for u in items
    ] == [
        ("2026-12-01", "birthday", "Charles Babbage", 2, None),
        ("2026-12-04", "reminder", "Ada Lovelace", 5, None),
        ("2026-12-05", "anniversary", "Ada Lovelace", 6, None),
        ("2026-12-10", "birthday", "Ada Lovelace", 11, 211),
    ]
    assert book("upcoming", "--days", "1", "--json").json() == []


def test_reminders_done_and_recurring(book):
    (reminder,) = book("reminders", "--json").json()
    assert reminder["title"] == "send the article" and reminder["due_on"] == "2026-12-04"
    repeating = book("remind", "-", "call mum", "--on", "2026-11-30", "--every", "1m", "--json")
    rid = repeating.json()["id"]
    assert repeating.json()["contact"] is None
    moved = book("done", str(rid), "--json").json()
    assert moved["due_on"] == "2026-12-30" and moved["done"] is False
    finished = book("done", str(reminder["id"]), "--json").json()
    assert finished["done"] is True
    assert [r["id"] for r in book("reminders", "--json").json()] == [rid]
    assert len(book("reminders", "--all", "--json").json()) == 2
    again = book("done", str(reminder["id"]))  # a second done: nothing to do
    assert (
        again.exit_code == 0
        and again.stdout == f"no changes to reminder #{reminder['id']}: already done\n"
    )
    assert book("done", "999").exit_code == 3


def test_reminder_in_the_past_is_allowed_but_says_overdue(book):
    result = book("remind", "ada", "thank-you note", "--on", "2026-11-20")
    assert result.exit_code == 0
    assert "9 days overdue" in result.stderr


def test_drift(lrm):
    lrm("add", "Old Friend")
    # 6 meetings in the year before the last 180 days, 1 since: rate fell below half
    for day in (
        "2025-07-01",
        "2025-09-01",
        "2025-11-01",
        "2026-01-01",
        "2026-03-01",
        "2026-05-01",
        "2026-10-01",
    ):
        lrm("log", "old", "--kind", "meeting", "--when", day)
    (item,) = lrm("drift", "--json").json()
    assert (item["name"], item["recent_count"], item["previous_count"]) == ("Old Friend", 1, 6)
    assert item["recent_rate"] < item["previous_rate"] / 2


def test_show_includes_cadence_balance_and_explained_health(book):
    ada = book("show", "ada", "--json").json()
    assert ada["cadence"] == {"days": 30, "source": "explicit", "tag": None, "inferred_from": None}
    assert ada["due"]["overdue_days"] == 10
    assert ada["balance"]["label"] == "you_give_more"
    assert 0 <= ada["health"]["score"] <= 100
    names = [c["name"] for c in ada["health"]["components"]]
    assert names == ["recency", "reciprocity", "trend", "sentiment"]
    human = book("show", "ada").stdout
    assert "Health" in human and "recency" in human and "every 30 days (explicit)" in human


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["cadence", "ada", "0d"], "duration"),
        (["cadence", "ada", "--", "-3d"], "duration"),
        (["cadence", "ada", "fortnightlyish"], "invalid duration"),
        (["due", "--within", "soonish"], "invalid duration"),
        (["remind", "ada", "x", "--every", "sometimes"], "sometimes"),
        (["remind", "ada", "x", "--on", "the day after never"], "cannot understand"),
        (["digest", "--date", "the day after never"], "cannot understand"),
        (["digest", "--format", "pdf"], "unknown format"),
        (["digest", "--explain", "--format", "pdf"], "unknown format"),
        (["snooze", "ada", "--until", "yesterday"], "not in the future"),
        (["upcoming", "--days", "-1"], "--days"),
    ],
)
def test_bad_input_is_one_line_and_writes_nothing(book, db_path, args, needle):
    before = _dump(db_path)
    result = book(*args)
    assert result.exit_code == 5, (args, result.stderr)
    assert needle in result.stderr.lower()
    assert len(result.stderr.strip().splitlines()) == 1
    assert _dump(db_path) == before


def _dump(path: Path) -> list[str]:
    return list(sqlite3.connect(path).iterdump())


@pytest.mark.parametrize(("fmt", "suffix"), [("text", "txt"), ("markdown", "md"), ("json", "json")])
def test_digest_snapshot(book, fmt, suffix):
    """The whole digest for the fixture and a fixed date, byte for byte."""
    result = book("digest", "--date", "2026-11-29", "--format", fmt)
    assert result.exit_code == 0, result.stderr
    snapshot = SNAPSHOTS / f"digest.{suffix}"
    # uids are random per fixture build; everything else must match byte for byte
    output = re.sub(r'("uid": ?)"[^"]+"', r'\1"<uid>"', result.stdout)
    if os.environ.get("LRM_UPDATE_SNAPSHOTS"):
        snapshot.write_text(output)
    assert output == snapshot.read_text(), (
        f"digest {fmt} changed; if intended: LRM_UPDATE_SNAPSHOTS=1 pytest {__file__}"
    )


def test_digest_due_items_carry_what_to_act_on(book):
    alan, ada = book("digest", "--json").json()["due"]
    assert alan["last_interaction"] == {
        "date": "2026-09-30",
        "kind": "meeting",
        "initiator": "them",
        "summary": "Chess and machines",
    }
    assert alan["reach"] is None and alan["pinned_note"] is None and alan["coming_up"] == []
    assert alan["next_step"]["rule"] == "they_reached_out"
    assert alan["next_step"]["text"] == (
        "return the invitation: they set up the meeting of 2026-09-30"
    )
    assert "checked" not in alan["next_step"]
    # Ada: a call I made; the newest of two notes is not the pinned one; a phone and an
    # email, none preferred: the phone, the channel of the last call
    assert ada["last_interaction"]["initiator"] == "me"
    assert ada["pinned_note"] == "Prefers long letters to calls"
    assert ada["reach"] == {
        "kind": "phone",
        "value": "+442079460000",
        "label": None,
        "source": "last_used",
    }
    assert [(c["kind"], c["days_until"], c["reminder_id"]) for c in ada["coming_up"]] == [
        ("reminder", 5, 1),
        ("anniversary", 6, None),
        ("birthday", 11, None),
    ]
    assert ada["next_step"]["rule"] == "date_soon"  # the anniversary in 6 days


def test_digest_next_step_follows_the_facts(book):
    """Ada's dates pass, her reminder is done, she calls; the rule follows."""
    assert _rules(book, "2026-12-01")["Ada Lovelace"] == "date_soon"  # anniversary 12-05
    assert _rules(book, "2026-12-06")["Ada Lovelace"] == "birthday_soon"  # 12-10
    assert _rules(book, "2026-12-11")["Ada Lovelace"] == "reminder_due"  # overdue since 12-04
    book("done", "1")
    assert _rules(book, "2026-12-11")["Ada Lovelace"] == "keep_rhythm"
    book("log", "ada", "--kind", "call", "--initiator", "them", "--when", "2026-10-21")
    assert _rules(book, "2026-12-11")["Ada Lovelace"] == "they_reached_out"
    book("log", "ada", "--kind", "call", "--initiator", "mutual", "--when", "2026-10-22")
    assert _rules(book, "2027-01-30")["Ada Lovelace"] == "long_gap"  # 100 days, cadence 30
    for day in ("2026-10-23", "2026-10-24"):
        book("log", "ada", "--kind", "call", "--initiator", "me", "--when", day)
    assert _rules(book, "2026-12-20")["Ada Lovelace"] == "one_sided"  # 57 days, under 2 cadences
    # after two cadences of silence, holding back would let it lapse: a short message
    assert _rules(book, "2027-01-30")["Ada Lovelace"] == "long_gap"
    book("add", "Nobody Yet", "--cadence", "7d")
    assert _rules(book, "2026-12-11")["Nobody Yet"] == "first_contact"
    book("log", "grace", "--kind", "gift", "--initiator", "them", "--when", "2026-11-23")
    book("log", "grace", "--kind", "call", "--initiator", "me", "--when", "2026-11-24")
    assert _rules(book, "2026-12-20")["Grace Hopper"] == "your_turn"


def _rules(book, on: str) -> dict[str, str]:
    due = book("digest", "--date", on, "--json").json()["due"]
    return {i["name"]: i["next_step"]["rule"] for i in due}


@pytest.mark.parametrize("fmt", ["text", "markdown"])
def test_digest_explain_names_each_rule_and_its_facts(book, fmt):
    plain = book("digest", "--format", fmt).stdout
    explained = book("digest", "--format", fmt, "--explain").stdout
    assert "Why these next steps" not in plain
    assert explained.startswith(plain.rstrip("\n"))  # the same page, one section more
    why = explained[len(plain) :]
    assert "Why these next steps" in why
    assert (
        "Alan Turing: they\\_reached\\_out"
        if fmt == "markdown"
        else "Alan Turing: they_reached_out"
    ) in why
    assert "was started by them" in why
    assert "not birthday" in why and "their birthday on 2026-12-10 is 11 days away" in why


def test_digest_explain_in_json_lists_the_rules_tried(book):
    alan = book("digest", "--json", "--explain").json()["due"][0]["next_step"]
    assert [c["rule"] for c in alan["checked"]] == [
        "birthday_soon",
        "date_soon",
        "reminder_due",
        "they_reached_out",
    ]
    assert [c["applies"] for c in alan["checked"]] == [False, False, False, True]


def test_digest_explain_with_nobody_due(lrm):
    result = lrm("digest", "--explain", "--format", "text")
    assert result.exit_code == 0
    assert "Why these next steps:\n  - nobody is due" in result.stdout


def test_digest_is_deterministic_and_json_flag_equals_format_json(book):
    first = book("digest", "--json").stdout
    assert first == book("digest", "--json").stdout
    assert first == book("digest", "--format", "json").stdout


def test_digest_exit_codes_for_cron(book):
    assert book("digest").exit_code == 0
    failed = book("digest", "--fail-if-due", "--format", "text")
    assert failed.exit_code == 10
    assert "Alan Turing" in failed.stdout  # the page is still printed for cron to mail


def test_digest_with_nobody_due_exits_0_even_with_fail_if_due(lrm):
    lrm("add", "Fresh Contact", "--cadence", "30d")
    result = lrm("digest", "--fail-if-due", "--format", "text")
    assert result.exit_code == 0
    assert "nobody is due" in result.stdout


def _fails(lrm, *args: str) -> int:
    """The exit code of ``digest --fail-if-due`` (the page is printed either way)."""
    result = lrm("digest", "--fail-if-due", "--format", "text", *args)
    assert result.stdout.startswith("lrm digest for"), result.stderr
    return result.exit_code


@pytest.mark.parametrize(
    ("on", "code"),
    [("2026-11-28", 10), ("2026-11-29", 10), ("2026-11-30", 0), ("2026-12-10", 0)],
)
def test_fail_if_due_counts_a_reminder_due_or_overdue(lrm, on, code):
    """Issue 15: nobody due, but a reminder due today or earlier is something to act on;
    one still ahead (listed: within the look-ahead) is not."""
    ok(lrm("add", "Fresh Contact", "--cadence", "30d"))
    ok(lrm("remind", "fresh", "send the article", "--on", on))
    assert _fails(lrm) == code
    assert lrm("digest", "--format", "text").exit_code == 0  # only with --fail-if-due


def test_fail_if_due_forgets_a_reminder_once_done(lrm):
    ok(lrm("remind", "-", "renew the passport", "--on", "2026-11-20"))
    assert _fails(lrm) == 10
    ok(lrm("done", "1"))
    assert _fails(lrm) == 0


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (("--birthday", "1815-11-29"), 10),  # a birthday today
        (("--birthday", "--11-29"), 10),  # without a year
        (("--birthday", "1815-11-30"), 0),  # tomorrow: coming up, nothing to do yet
        (("--birthday", "1815-11-28"), 0),  # yesterday: gone
    ],
)
def test_fail_if_due_counts_a_birthday_today(lrm, args, code):
    ok(lrm("add", "Ada Lovelace", *args))
    assert _fails(lrm) == code


@pytest.mark.parametrize("kind", ["anniversary", "custom"])
def test_fail_if_due_counts_a_date_today(lrm, kind):
    ok(lrm("add", "Ada Lovelace"))
    ok(lrm("date", "add", "ada", "--kind", kind, "--on", "--11-30", "--label", "Wedding"))
    assert _fails(lrm) == 0
    assert _fails(lrm, "--date", "2026-11-30") == 10  # the digest's own day
    assert _fails(lrm, "--date", "2027-11-30") == 10  # every year


def test_fail_if_due_ignores_what_is_only_to_read(lrm):
    """Losing touch, dates ahead and a reminder ahead: the page lists them, exit 0."""
    ok(lrm("--today", "2025-01-01", "add", "Old Friend"))  # losing touch since then
    ok(lrm("add", "Ada Lovelace", "--birthday", "--12-03"))
    ok(lrm("remind", "ada", "book the table", "--on", "2026-12-02"))
    result = lrm("digest", "--fail-if-due", "--json")
    assert result.exit_code == 0, result.stdout
    page = result.json()
    assert page["upcoming"] and page["reminders"] and page["losing_touch"]


def test_fail_if_due_from_the_installed_command(lrm_exe):
    """cron runs the console script: a birthday today makes it exit 10 with the page on
    stdout, the day after 0."""
    from conftest import run_exe

    added = run_exe(lrm_exe, "add", "Ada Lovelace", "--birthday", "1815-11-29")
    assert added.returncode == 0, added.stderr
    today = run_exe(lrm_exe, "digest", "--format", "text", "--fail-if-due")
    assert today.returncode == 10, today.stderr
    assert "Ada Lovelace's birthday" in today.stdout
    later = run_exe(lrm_exe, "--today", "2026-11-30", "digest", "--fail-if-due")
    assert later.returncode == 0, later.stderr


def test_clearing_a_cadence_says_which_one_now_applies(lrm):
    lrm("add", "Ada Lovelace", "--tag", "mentors", "--cadence", "10d")
    lrm("tag", "cadence", "mentors", "30d")
    assert lrm("cadence", "ada", "--clear").stdout == (
        "Ada Lovelace: cleared the explicit cadence; every 30 days from tag mentors now applies\n"
    )
    assert lrm("cadence", "ada", "--clear").stdout == (
        "no changes to Ada Lovelace: no explicit cadence; every 30 days from tag mentors applies\n"
    )
    lrm("add", "Bob", "--cadence", "7d")
    for day in ("2026-08-01", "2026-09-01", "2026-10-01"):
        lrm("log", "bob", "--when", day)
    assert lrm("cadence", "bob", "--clear").stdout == (
        "Bob: cleared the explicit cadence; "
        "every 31 days inferred from 3 interactions now applies\n"
    )
    lrm("add", "Cy", "--cadence", "7d")
    assert lrm("cadence", "cy", "--clear").stdout == (
        "Cy: cleared the explicit cadence; no cadence now applies (not tracked by due)\n"
    )
    cleared = lrm("cadence", "ada", "14d", "--json").json()
    assert cleared["cadence_days"] == 14 and cleared["changed"] is True
