"""A slip in the first minutes gets a hint with the command that was meant: a summary
typed without -s, --channel for --kind, a duration without --until (which takes one), a
note's fixing word without its id, --with for a second contact (cli/other_words.py)."""

from __future__ import annotations

import json
import re
import shlex

import pytest

from lrm_cli.cli.other_words import (
    CONTACT_OPTION_WORDS,
    UNDOING_WORDS,
    log_word_hint,
    looks_like_a_sentence,
    quoted,
)


@pytest.fixture
def people(lrm):
    for name in ("Maya", "Ann", "Bob"):
        assert lrm("add", name).exit_code == 0
    return lrm


def test_a_summary_typed_as_a_contact_hints_at_s(people):
    done = people("log", "Maya", "coffee, she's starting at Figma")
    assert done.exit_code == 3
    assert done.stderr == (
        """lrm: error: no contact matches "coffee, she's starting at Figma" """
        """(hint: to give a summary, use -s: lrm log Maya -s "coffee, she's starting at Figma")\n"""
    )
    assert people("timeline", "Maya", "--json").json() == []


def test_the_summary_hint_keeps_every_contact_and_quotes_for_the_shell(people):
    done = people("log", "Maya", "Bob", "coffee at $5", "--json")
    assert done.exit_code == 3
    assert json.loads(done.stderr)["error"]["hint"] == (
        "to give a summary, use -s: lrm log Maya Bob -s 'coffee at $5'"
    )


@pytest.mark.parametrize(
    "argv",
    [
        ("log", "coffee, she's in", "Maya"),  # no earlier word was a contact
        ("log", "Maya", "Ada Lovelace"),  # a name that is not there yet
        ("log", "Maya", "Zed"),
        ("log", "Maya", "coffee, she's in", "-s", "coffee"),  # a summary was given
    ],
)
def test_a_missing_name_keeps_the_search_hint(people, argv):
    done = people(*argv)
    assert done.exit_code == 3
    assert "(hint: lrm search " in done.stderr and "-s:" not in done.stderr


@pytest.mark.parametrize(
    ("word", "sentence"),
    [
        ("coffee, she's starting at Figma", True),
        ("coffee at Figma", True),
        ("lunch!", True),
        ("Ada Lovelace", False),
        ("Mary-Jane O'Brien", False),
        ("J. R. R. Tolkien", False),
        ("ada", False),
        ("#12", False),
    ],
)
def test_looks_like_a_sentence(word, sentence):
    assert looks_like_a_sentence(word) is sentence


def test_quoted_reads_like_a_person_would_type_it():
    assert quoted(["lrm", "log", "Maya", "-s", "she's in"]) == """lrm log Maya -s "she's in\""""
    assert quoted(["-s", "a $b's"]) == """-s 'a $b'"'"'s'"""
    assert quoted(["Ann", "two words"]) == "Ann 'two words'"


def test_log_word_hint_needs_the_word_that_failed():
    assert log_word_hint(["Maya", "x, y"], None, None) is None
    assert log_word_hint(["Maya", "x, y"], "Maya", None) is None
    assert log_word_hint(["Maya", "x, y"], "x, y", None) is not None


def test_channel_is_another_name_for_kind(people):
    logged = people("log", "Maya", "--channel", "call", "--json")
    assert logged.exit_code == 0, logged.stderr
    assert logged.json()["kind"] == "call"
    number = str(logged.json()["id"])
    changed = people("interaction", "edit", number, "--channel", "video", "--json")
    assert changed.exit_code == 0, changed.stderr
    assert changed.json()["kind"] == "video"
    assert "--channel" in people("log", "--help").stdout
    assert "--channel" in people("interaction", "edit", "--help").stdout


@pytest.mark.parametrize(
    ("argv", "fix", "ids_in"),
    [
        (("note", "delete"), "note rm", "lrm timeline NAME"),
        (("note", "rm"), "note rm", "lrm timeline NAME"),
        (("note", "edit"), "note edit", "lrm timeline NAME"),
        (("note", "remove"), "note rm", "lrm timeline NAME"),
        (("log", "delete"), "interaction rm", "lrm timeline NAME"),
        (("remind", "delete"), "reminder rm", "lrm reminders"),
        (("remind", "rm"), "reminder rm", "lrm reminders"),
        (("remind", "Remove"), "reminder rm", "lrm reminders"),
        (("remind", "edit"), "reminder edit", "lrm reminders"),
        (("reminder", "rm"), "reminder rm", "lrm reminders"),
        (("reminder", "edit"), "reminder edit", "lrm reminders"),
        (("interaction", "rm"), "interaction rm", "lrm timeline NAME"),
    ],
)
def test_a_fixing_word_without_an_id_says_where_the_ids_are(people, argv, fix, ids_in):
    done = people(*argv)
    assert done.exit_code == 2
    thing = fix.split()[0]
    assert done.stderr == (
        f"lrm: error: 'lrm {fix}' needs the {thing}'s id: lrm {fix} ID"
        f" (hint: '{ids_in}' shows each {thing} with its id)\n"
    )


def test_done_without_an_id_says_where_the_ids_are(people):
    done = people("done")
    assert done.exit_code == 2
    assert done.stderr == (
        "lrm: error: 'lrm done' needs the reminder's id: lrm done ID"
        " (hint: 'lrm reminders' shows each reminder with its id)\n"
    )


def test_remind_with_a_contact_and_no_text_still_asks_for_the_text(people):
    done = people("remind", "Ann")
    assert done.exit_code == 2
    assert done.stderr == "lrm: error: 'lrm remind' needs TEXT (hint: see 'lrm remind --help')\n"


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        (["2w"], "lrm snooze Ann --until 2w"),
        (["1y"], "lrm snooze Ann --until 1y"),
        (["3", "months"], "lrm snooze Ann --until '3 months'"),
        (["in", "2", "weeks"], "lrm snooze Ann --until 'in 2 weeks'"),
        (["friday"], "lrm snooze Ann --until friday"),
    ],
)
def test_a_snooze_date_without_until_hints_at_until(people, typed, meant):
    done = people("snooze", "Ann", *typed)
    assert done.exit_code == 2
    got = " ".join(typed)
    assert done.stderr == (
        f"lrm: error: 'lrm snooze' takes no more arguments, got {got!r}"
        f" (hint: to snooze until then: {meant})\n"
    )
    until = meant.partition("--until ")[2].strip("'")
    assert people("snooze", "Ann", "--until", until).exit_code == 0  # the hint works


@pytest.mark.parametrize(
    ("until", "day"),
    [
        ("2w", "2026-12-13"),
        ("30d", "2026-12-29"),
        ("3m", "2027-02-27"),  # a cadence's month: 30 days
        ("1y", "2027-11-29"),
        ("2 weeks", "2026-12-13"),
        ("in 2 weeks", "2026-12-13"),  # a date still reads as one
        ("2026-12-20", "2026-12-20"),
    ],
)
def test_snooze_until_takes_a_duration_from_today_and_says_the_day(people, until, day):
    done = people("snooze", "Ann", "--until", until)
    assert done.exit_code == 0, done.stderr
    assert done.stdout == f"Ann snoozed until {day}\n"
    assert people("show", "Ann", "--json").json()["snoozed"]["until"] == day


@pytest.mark.parametrize(
    ("until", "why"),
    [("0d", "at least 1 day"), ("200y", "at most 36500 days")],
)
def test_snooze_until_refuses_a_duration_out_of_range(people, until, why):
    done = people("snooze", "Ann", "--until", until)
    assert done.exit_code == 5
    assert done.stderr.startswith(f"lrm: error: --until: invalid duration {until!r}")
    assert why in done.stderr


def _reminder_on(people, on: str):
    return people("remind", "Ann", "call about the flat", "--on", on, "--json")


def _rescheduled_on(people, on: str):
    assert people("remind", "Ann", "call about the flat").exit_code == 0
    return people("reminder", "edit", "1", "--on", on, "--json")


@pytest.mark.parametrize("set_day", [_reminder_on, _rescheduled_on])
@pytest.mark.parametrize(
    ("on", "day"),
    [
        ("2w", "2026-12-13"),
        ("3m", "2027-02-27"),  # a cadence's month, as snooze --until reads it
        ("in 2 weeks", "2026-12-13"),
        ("oct 1", "2027-10-01"),  # its next one (one just past: test_when_slips.py)
    ],
)
def test_a_reminder_day_takes_what_snooze_until_takes(people, set_day, on, day):
    done = set_day(people, on)
    assert done.exit_code == 0, done.stderr
    assert done.json()["due_on"] == day
    snoozed = people("snooze", "Ann", "--until", on, "--json")
    assert snoozed.json()["snoozed_until"] == day


@pytest.mark.parametrize(
    ("argv", "option"),
    [
        (("remind", "Ann", "call", "--on", "the weekend after"), "--on"),
        (("reminder", "edit", "1", "--on", "the weekend after"), "--on"),
        (("snooze", "Ann", "--until", "the weekend after"), "--until"),
    ],
)
def test_a_day_to_come_that_does_not_read_names_its_option_and_hints_future_days(
    people, argv, option
):
    assert people("remind", "Ann", "call").exit_code == 0
    done = people(*argv)
    assert done.exit_code == 5
    assert done.stderr == (
        f"lrm: error: {option}: cannot understand the date 'the weekend after' "
        "(hint: try 2026-12-24, tomorrow, 'next friday', 'in 2 weeks' or 2w)\n"
    )


def test_a_snooze_with_until_and_more_keeps_the_help_hint(people):
    done = people("snooze", "Ann", "--until", "friday", "x")
    assert done.exit_code == 2 and "see 'lrm snooze --help'" in done.stderr


@pytest.mark.parametrize(
    ("argv", "meant"),
    [
        (("log", "Ann", "--with", "Bob"), "lrm log Ann Bob"),
        (("log", "Ann", "-k", "call", "--with=Bob"), "lrm log Ann -k call Bob"),
        (("log", "--with", "Bob", "Ann", "-s", "two words"), "lrm log Bob Ann -s 'two words'"),
    ],
)
def test_log_with_a_second_contact_as_an_option_hints_at_the_arguments(people, argv, meant):
    done = people(*argv)
    assert done.exit_code == 2
    assert done.stderr == (
        f"lrm: error: 'lrm log' has no option --with (hint: log takes several contacts: {meant})\n"
    )
    assert people(*shlex.split(meant)[1:]).exit_code == 0  # the hint works


@pytest.mark.parametrize(
    ("argv", "meant"),
    [
        (("--with", "Bob"), "--add Bob"),
        (("--with=Bob", "-s", "two words"), "--add Bob -s 'two words'"),
        (("--and", "Bob", "--participant", "Ann"), "--add Bob --add Ann"),
    ],
)
def test_interaction_edit_with_someone_hints_at_add(people, argv, meant):
    number = str(people("log", "Maya", "--json").json()["id"])
    done = people("interaction", "edit", number, *argv)
    assert done.exit_code == 2
    option = argv[0].partition("=")[0]
    assert done.stderr == (
        f"lrm: error: 'lrm interaction edit' has no option {option}"
        f" (hint: to add someone who was there: lrm interaction edit {number} {meant})\n"
    )
    fixed = people("interaction", "edit", number, *shlex.split(meant), "--json")
    assert fixed.exit_code == 0, fixed.stderr  # the hint works
    assert {p["name"] for p in fixed.json()["participants"]} >= {"Maya", "Bob"}


def test_another_unknown_log_option_keeps_its_near_miss(people):
    done = people("log", "Ann", "--wiht", "Bob")
    assert done.exit_code == 2 and "did you mean --weight?" in done.stderr


@pytest.mark.parametrize(
    ("typed", "method", "stored"),
    [
        ("ann@example.com", "email", "ann@example.com"),
        ("+1 202 555 0100", "phone", "+12025550100"),
        ("(202) 555-0100", "phone", None),  # no region: kept as typed, normalised or not
    ],
)
def test_a_name_that_is_an_email_or_phone_is_added_as_both(lrm, typed, method, stored):
    done = lrm("add", typed, "--json")
    assert done.exit_code == 0, done.stderr
    added = done.json()
    assert added["name"] == typed
    assert len(added[f"{method}s"]) == 1
    assert stored is None or added[f"{method}s"] == [stored]
    assert done.stderr == (
        f"lrm: warning: {typed!r} looks like {'an' if method == 'email' else 'a'} {method},"
        f" not a name: it is their {method} too; to name them:"
        f" lrm edit #{added['id']} --name NAME\n"
    )
    renamed = lrm("edit", f"#{added['id']}", "--name", "Ann Lee", "--json").json()
    assert (renamed["name"], renamed["given_name"], renamed["family_name"]) == (
        "Ann Lee",
        "Ann",
        "Lee",
    )


def test_an_email_name_given_with_email_is_stored_once_and_quiet_says_nothing(lrm):
    done = lrm("add", "ann@example.com", "--email", "ann@example.com", "-q", "--json")
    assert done.exit_code == 0 and done.stderr == ""
    assert done.json()["emails"] == ["ann@example.com"]


@pytest.mark.parametrize("name", ["Ann", "Ann Lee", "R2-D2", "Studio 54", "1984"])
def test_a_name_is_a_name(lrm, name):
    done = lrm("add", name, "--json")
    assert done.exit_code == 0 and done.stderr == ""
    assert done.json()["emails"] == [] and done.json()["phones"] == []


@pytest.mark.parametrize(
    ("argv", "meant"),
    [
        (("log", "Ann", "--kind", "phone"), "call"),
        (("log", "Ann", "--channel", "WhatsApp"), "message"),
        (("log", "Ann", "-k", "lunch"), "meal"),
        (("log", "Ann", "--kind", "face-time"), "video"),
        (("interaction", "edit", "1", "--kind", "coffee"), "meal"),
        (("relate", "Ann", "Bob", "--as", "wife"), "spouse"),
        (("relate", "Ann", "Bob", "--as", "Boss"), "manager"),
        (("log", "Ann", "--initiator", "they"), "them"),
        (("interaction", "edit", "1", "-i", "both"), "mutual"),
    ],
)
def test_an_everyday_word_for_a_kind_hints_at_lrms_word_and_writes_nothing(people, argv, meant):
    assert people("log", "Ann", "-s", "the first").exit_code == 0
    before = people("export", "json").stdout.split('"exported_at"')[0]
    done = people(*argv)
    assert done.exit_code == 5
    assert done.stderr.endswith(f"(hint: did you mean {meant!r}?)\n")
    assert people("export", "json").stdout.split('"exported_at"')[0] == before
    kind = "--as" if argv[0] == "relate" else "--kind"
    options = (kind, "--channel", "-k", "--initiator", "-i")
    fixed = [meant if i and argv[i - 1] in options else a for i, a in enumerate(argv)]
    assert people(*fixed).exit_code == 0  # the hint's word is taken


def test_a_word_near_no_kind_has_no_hint(people):
    done = people("log", "Ann", "--kind", "telepathy")
    assert done.exit_code == 5
    assert "hint" not in done.stderr and "choose one of call, video" in done.stderr


@pytest.mark.parametrize(
    ("argv", "takes", "meant"),
    [
        (("relate", "Ann", "Bob", "--kind", "spouse"), "--as", "lrm relate Ann Bob --as spouse"),
        (("relate", "Ann", "Bob", "--type=friend"), "--as", "lrm relate Ann Bob --as=friend"),
        (
            ("log", "Ann", "--type", "call", "-s", "a call"),
            "--kind",
            "lrm log Ann --kind call -s 'a call'",
        ),
        # an everyday word for the kind becomes lrm's in the same hint
        (("log", "Ann", "--via", "Coffee"), "--kind", "lrm log Ann --kind meal"),
        (("log", "Ann", "--medium=phone"), "--kind", "lrm log Ann --kind=call"),
        (
            ("remind", "Ann", "call back", "--when", "friday", "--repeat", "2w"),
            "--on",
            "lrm remind Ann 'call back' --on friday --every 2w",
        ),
        # rescheduling a reminder takes the same words as setting one
        (
            ("reminder", "edit", "1", "--when", "next monday", "--repeat", "2w"),
            "--on",
            "lrm reminder edit 1 --on 'next monday' --every 2w",
        ),
        # git's -m for the summary; a short option takes no "=", so two words
        (("log", "Ann", "-m", "coffee at Figma"), "-s", "lrm log Ann -s 'coffee at Figma'"),
        (("log", "Ann", "--message=a call", "--via", "phone"), "-s",
         "lrm log Ann -s 'a call' --kind call"),
        # who started it, as other tools ask
        (("log", "Ann", "--by", "they", "-s", "she called"), "--initiator",
         "lrm log Ann --initiator them -s 'she called'"),
        (("log", "Ann", "--from=me"), "--initiator", "lrm log Ann --initiator=me"),
        # the text of a note or a reminder is an argument
        (("note", "Ann", "-m", "likes tea"), "the text as an argument", "lrm note Ann 'likes tea'"),
        (("note", "Ann", "--text=she's in", "--pin"), "the text as an argument",
         "lrm note Ann \"she's in\" --pin"),
        (("remind", "Ann", "--message", "call back", "--on", "friday"), "the text as an argument",
         "lrm remind Ann 'call back' --on friday"),
    ],
)  # fmt: skip
def test_another_tools_option_name_hints_at_lrms(people, argv, takes, meant):
    if argv[0] == "reminder":
        assert people("remind", "Ann", "call back", "--on", "friday").exit_code == 0
    done = people(*argv)
    assert done.exit_code == 2
    path = " ".join(meant.split()[: 3 if argv[0] == "reminder" else 2])  # a group's command
    assert done.stderr.endswith(f"(hint: {path} takes {takes}: {meant})\n")
    assert people(*shlex.split(meant)[1:]).exit_code == 0  # the hint works


def test_a_notes_text_as_an_option_before_the_contact_says_where_the_name_goes(people):
    done = people("note", "-m", "likes tea")
    assert done.exit_code == 2
    assert done.stderr.endswith("(hint: lrm note takes the text as an argument: "
                                "lrm note NAME 'likes tea')\n")  # fmt: skip


@pytest.mark.parametrize(
    "argv",
    [
        ("remind", "send the paper", "--contact", "Ann", "--when", "friday"),
        ("remind", "send the paper", "--on", "friday", "--for=Ann"),
        ("remind", "--about", "Ann", "send the paper", "--date", "friday"),
    ],
)
def test_a_reminders_contact_as_an_option_hints_at_the_first_argument(people, argv):
    done = people(*argv)
    assert done.exit_code == 2
    meant = "lrm remind Ann 'send the paper' --on friday"
    assert done.stderr.endswith(f"(hint: remind takes the contact first: {meant})\n")
    assert people(*shlex.split(meant)[1:]).exit_code == 0  # the hint works
    assert [r["contact"]["name"] for r in people("reminders", "--json").json()] == ["Ann"]


def test_a_word_both_tables_know_means_one_kind():
    """The words typed at `lrm relate --as` and the types phones write on cards
    (formats/vcard.py) are two vocabularies; where they share a word, it is one kind."""
    from lrm_cli.formats.vcard import relation_kind
    from lrm_cli.vocabulary import RELATIONSHIP_KIND_WORDS

    shared = [w for w in RELATIONSHIP_KIND_WORDS if relation_kind(w) != "other"]
    assert {"mother", "brother", "sister", "father"} <= set(shared)
    assert {w: relation_kind(w) for w in shared} == {w: RELATIONSHIP_KIND_WORDS[w] for w in shared}


@pytest.mark.parametrize("word", sorted(UNDOING_WORDS))
def test_a_word_for_taking_back_names_a_command_and_options_that_exist(people, word):
    """`lrm unsnooze` says `lrm snooze CONTACT --clear`: the command and every option
    the hint names are lrm's (a renamed option makes this fail)."""
    done = people(word, "Ann")
    assert done.exit_code == 2
    hint = UNDOING_WORDS[word]
    assert done.stderr.endswith(f"(hint: {hint})\n")
    for command in re.findall(r"'lrm ([^']+)'", hint):
        words = command.split()
        path = [w for w in words if w.islower() and not w.startswith("-")]
        helped = people(*path, "--help")
        assert helped.exit_code == 0, command
        for option in (w for w in words if w.startswith("--")):
            assert option in helped.stdout, (command, option)


@pytest.mark.parametrize(
    ("argv", "meant"),
    [
        (
            ("log", "Ann", "--they", "-s", "she called"),
            "lrm log Ann --initiator them -s 'she called'",
        ),
        (("log", "Ann", "--me", "--kind", "call"), "lrm log Ann --initiator me --kind call"),
        (("log", "Ann", "Bob", "--both"), "lrm log Ann Bob --initiator mutual"),
        (("interaction", "edit", "1", "--them"), "lrm interaction edit 1 --initiator them"),
    ],
)
def test_a_flag_naming_who_started_it_hints_at_initiator_and_the_hint_works(people, argv, meant):
    assert people("log", "Ann", "-s", "the first").exit_code == 0
    done = people(*argv)
    assert done.exit_code == 2
    path = " ".join(meant.split()[: 2 if argv[0] == "log" else 3])
    assert done.stderr.endswith(f"(hint: {path} takes who started it as --initiator: {meant})\n")
    assert people(*shlex.split(meant)[1:], "--json").exit_code == 0  # the hint works
    who = meant.split("--initiator ")[1].split()[0]
    assert people("timeline", "Ann", "--json").json()[0]["initiator"] == who


@pytest.mark.parametrize(
    ("argv", "meant", "field", "value"),
    [
        (
            ("add", "Jonas Berg", "--tag", "friend", "--met", "climbing gym"),
            "lrm add 'Jonas Berg' --tag friend --how-met 'climbing gym'",
            "how_met",
            "climbing gym",
        ),
        (
            ("add", "Zed Quist", "--dob=1990-01-01", "--company", "Acme"),
            "lrm add 'Zed Quist' --birthday=1990-01-01 --org Acme",
            "birthday",
            "1990-01-01",
        ),
        (
            ("edit", "Ann", "--bday", "--03-14"),
            "lrm edit Ann --birthday --03-14",
            "birthday",
            "--03-14",
        ),
        (
            ("edit", "Ann", "--surname", "Lee"),
            "lrm edit Ann --family-name Lee",
            "family_name",
            "Lee",
        ),
        (
            ("edit", "Ann", "--mobile", "+44 20 7946 0000"),
            "lrm edit Ann --phone '+44 20 7946 0000'",
            "phones",
            ["+442079460000"],  # stored in one form (E.164)
        ),
    ],
)
def test_another_address_books_word_for_a_field_hints_at_lrms_option(
    people, argv, meant, field, value
):
    """`lrm add X --met 'climbing gym'` hints --how-met, not a near miss such as --db for
    --dob or --today for --bday; the hint, pasted back, sets the field."""
    done = people(*argv)
    assert done.exit_code == 2
    assert f"(hint: lrm {argv[0]} takes " in done.stderr and done.stderr.endswith(f": {meant})\n")
    assert people(*shlex.split(meant)[1:]).exit_code == 0  # the hint works
    name = argv[1].split()[0]
    assert people("show", name, "--json").json()[field] == value


def test_every_word_for_a_field_hints_at_an_option_that_exists(people):
    """Each of CONTACT_OPTION_WORDS, on `lrm add` and `lrm edit`, is refused with a hint
    naming lrm's option, which the command has (a renamed option makes this fail)."""
    for command, argv in (("add", ["add", "Zed"]), ("edit", ["edit", "Ann"])):
        helped = people(command, "--help").stdout
        for option, words in CONTACT_OPTION_WORDS.items():
            assert re.search(rf"(^|[ ,]){option}\b", helped, re.M), (command, option)
            for word in words:
                done = people(*argv, word, "x")
                assert done.exit_code == 2, (command, word)
                assert f"(hint: lrm {command} takes {option}: " in done.stderr, (command, word)


# --- a kind the summary names, logged without --kind ---------------------------------------


@pytest.mark.parametrize(
    ("summary", "kind"),
    [
        ("Lunch at the market", "meal"),
        ("Had a quick call about her move", "call"),
        ("texted her about Sunday", "message"),
        ("Zoom with the team", "video"),
        ("Coffee", "meal"),
        ("Met at the conference", "meeting"),
    ],
)
def test_a_summary_that_names_a_kind_hints_the_command_that_sets_it(people, summary, kind):
    done = people("log", "Maya", "-s", summary)
    assert done.exit_code == 0
    assert " other (mutual) with Maya" in done.stdout
    hint = re.fullmatch(r"hint: logged as 'other'; to make it '(\w+)': (.+)\n", done.stderr)
    assert hint is not None and hint[1] == kind
    argv = shlex.split(hint[2])
    assert argv[:2] == ["lrm", "interaction"]
    assert people(*argv[1:]).exit_code == 0
    (logged,) = people("timeline", "Maya", "--json").json()
    assert (logged["kind"], logged["summary"]) == (kind, summary)


@pytest.mark.parametrize(
    "argv",
    [
        ("-s", "Lunch at the market", "--kind", "other"),  # a kind was given
        ("-s", "Lunch at the market", "-k", "meeting"),
        ("-s", "Talked about books"),  # names no kind
        ("-s", "Note: she moves in March"),  # a word that starts a summary otherwise
        ("-s", "Chat about her new job"),
        (),  # no summary
    ],
)
def test_no_kind_hint_when_a_kind_was_given_or_none_is_named(people, argv):
    done = people("log", "Maya", *argv)
    assert done.exit_code == 0
    assert done.stderr == ""


def test_the_kind_hint_stays_out_of_json(people):
    done = people("log", "Maya", "-s", "Lunch at the market", "--json")
    assert done.exit_code == 0 and done.stderr == ""
    assert json.loads(done.stdout)["kind"] == "other"


def test_a_reminder_about_no_one_without_the_dash_is_shown_the_dash(people):
    """`lrm remind "Pay rent" --on friday` reads the text as the contact: the error says
    where TEXT goes and how to write a reminder about no one, with the words typed."""
    done = people("remind", "Pay rent", "--on", "friday")
    assert done.exit_code == 2
    assert "needs TEXT after the contact" in done.stderr
    assert "lrm remind - 'Pay rent'" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert people("reminders", "--json").json() == []


@pytest.mark.parametrize(
    ("argv", "code", "hint"),
    [
        (["reopen", "1"], 2, "'lrm reminder edit ID --reopen' reopens a reminder marked done"),
        (["reminder", "reopen", "1"], 2, "'lrm reminder edit ID --reopen'"),
        (["done", "1", "--undo"], 2, "'lrm reminder edit ID --reopen'"),
        (["snooze", "maya", "--off"], 2, "'lrm snooze CONTACT --clear' ends a snooze"),
        (["snooze", "maya", "--until", "never"], 5, "'lrm snooze CONTACT --clear' ends a snooze"),
        (["cadence", "maya", "none"], 5, "'lrm cadence CONTACT --clear' removes it"),
        (["cadence", "maya", "0"], 5, "'lrm cadence CONTACT --clear' removes it"),
        (["cadence", "maya", "--none"], 2, "'lrm cadence CONTACT --clear' removes an explicit"),
        (["edit", "maya", "--when", "yesterday"], 2, "'lrm interaction edit ID' changes a logged"),
        (["tag", "rm", "maya", "mentros"], 3, "did you mean 'mentors'?"),
    ],
)  # fmt: skip
def test_a_fix_guessed_in_another_tool_s_words_names_lrm_s(people, argv, code, hint):
    """The fixes a user guesses (reopen a reminder, end a snooze, clear a cadence, move an
    interaction's date, untag a typo) are refused with the command that does it, and
    nothing is written."""
    assert people("tag", "add", "maya", "mentors").exit_code == 0
    assert people("cadence", "maya", "30d").exit_code == 0
    before = people("show", "maya", "--json").json()
    result = people(*argv)
    assert result.exit_code == code
    assert hint in result.stderr and len(result.stderr.splitlines()) == 1
    assert people("show", "maya", "--json").json() == before
