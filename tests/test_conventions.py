"""The conventions every command follows, checked by walking the whole command tree (a new
command or option is held to them without a test of its own):

- a short flag means one thing everywhere, and README's table of them is the tree's;
- every parameter says what to type (its metavar) and what it is for (its help); flags
  show no value;
- help, piped, is plain text wrapped at word boundaries, never cut, without Typer's type
  names (``<str>``, ``<list[str]>``);
- every DATE takes every form of a date, every DURATION every form of a duration.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
import typer
import typer.main

from lrm_cli.cli.app import build_app
from lrm_cli.cli.helpfmt import first_sentence

ROOT = Path(__file__).resolve().parents[1]
# What a metavar may say (an uppercase word in general; these are the usual ones).
METAVAR = re.compile(r"[A-Z][A-Z_]*(\.\.\.)?\Z")
TYPER_WORDS = {"TEXT", "INTEGER", "FLOAT", "BOOLEAN", "PATH", "FILENAME"}  # Typer's own


def _walk(command, path=(), parent=None):
    """(path, command, context) for every command and group below ``command``, itself
    included; the contexts chain as when lrm runs (``-h`` comes from the root's settings)."""
    settings = command.context_settings if parent is None else {}
    ctx = typer.Context(command, parent=parent, info_name=(path or ("lrm",))[-1], **settings)
    yield path, command, ctx
    for name, sub in sorted((getattr(command, "commands", None) or {}).items()):
        if not sub.hidden:
            yield from _walk(sub, (*path, name), ctx)


def _params(command, ctx):
    """The visible parameters of ``command``, its help option included."""
    return [p for p in command.get_params(ctx) if not getattr(p, "hidden", False)]


TREE = typer.main.get_command(build_app(rich_help=False))
WALKED = list(_walk(TREE))
COMMANDS = [(path, command) for path, command, _ctx in WALKED]
CONTEXTS = {path: ctx for path, _command, ctx in WALKED}
PARAMS = [(path, param) for path, command, ctx in WALKED for param in _params(command, ctx)]
OPTIONS = [(path, param) for path, param in PARAMS if param.param_type_name == "option"]


def _id(path) -> str:
    return " ".join(path) or "lrm"


def _takes_value(param) -> bool:
    return not (getattr(param, "is_flag", False) or getattr(param, "count", False))


# --- short flags ---------------------------------------------------------------------------


def short_flags() -> dict[str, list[frozenset[str]]]:
    """Each short flag -> the long names of each option it stands for in the tree (an
    option may have two: --kind and --channel)."""
    found: dict[str, list[frozenset[str]]] = {}
    for _path, param in OPTIONS:
        longs = frozenset(n for n in param.opts if n.startswith("--"))
        for short in (n for n in param.opts if not n.startswith("--")):
            found.setdefault(short, []).append(longs)
    return found


def test_a_short_flag_means_one_thing_everywhere():
    """Every option a short flag stands for shares a long name with the others."""
    clashes = {
        short: sorted(frozenset.union(*options))
        for short, options in short_flags().items()
        if not frozenset.intersection(*options)
    }
    assert not clashes, f"short flags standing for several options: {clashes}"


def test_a_long_option_has_the_same_short_flag_wherever_it_has_one():
    shorts: dict[str, dict[tuple[str, ...], list[str]]] = {}
    for path, param in OPTIONS:
        own = tuple(sorted(n for n in param.opts if not n.startswith("--")))
        for long in (n for n in param.opts if n.startswith("--")):
            shorts.setdefault(long, {}).setdefault(own, []).append(_id(path))
    assert not {long: found for long, found in shorts.items() if len(found) > 1}


def test_readme_tables_every_short_flag():
    """README's "Short flags" table is the tree's: each row `-x` | `--long`."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    table = text.split("### Short flags", 1)[1].split("\n#", 1)[0]
    rows = dict(re.findall(r"^\| `(-\w)` \| `(--[\w-]+)` \|", table, re.M))
    flags = short_flags()
    assert rows.keys() == flags.keys()
    assert {
        short: long for short, long in rows.items() if long in frozenset.intersection(*flags[short])
    } == rows


# --- what to type, what it is for -----------------------------------------------------------


@pytest.mark.parametrize(("path", "param"), PARAMS, ids=[f"{_id(p)} {q.name}" for p, q in PARAMS])
def test_every_parameter_says_what_to_type_and_what_it_is_for(path, param):
    where = f"lrm {_id(path)} {param.opts[0] if param.opts else param.name}"
    assert (param.help or "").strip(), f"{where} has no help"
    if param.param_type_name == "option" and not _takes_value(param):
        return  # a flag: nothing to type
    if param.param_type_name == "option":
        assert param.metavar, f"{where} declares no metavar (Typer would print <str>)"
    word = param.metavar or param.name.upper()
    assert METAVAR.match(word), f"{where}: metavar {word!r} is not an uppercase word"
    if param.param_type_name == "option":
        assert word not in TYPER_WORDS - {"TEXT", "PATH"}, f"{where}: Typer's word {word}"


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=[_id(p) for p, _ in COMMANDS])
def test_piped_help_is_plain_whole_and_wrapped(lrm, path, command):
    result = lrm(*path, "--help")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert not re.search(r"<[a-z][\w\[\], ]*>", out), f"a Typer type name in:\n{out}"
    assert "\x1b[" not in out and "╭" not in out
    flat = " ".join(out.split())
    for line in out.splitlines():
        if line.startswith("Usage:") or line.lstrip().startswith("Example:"):
            continue
        assert len(line) <= 80, f"too wide: {line!r}"
        assert not line.rstrip().endswith(("...", "…")), f"cut: {line!r}"
        assert not re.search(r"\w-$", line.rstrip()), f"broken at a hyphen: {line!r}"
    for param in _params(command, CONTEXTS[path]):
        names = ", ".join(sorted(param.opts, key=lambda n: (n.startswith("--"), n)))
        if param.param_type_name == "option":
            if _takes_value(param):
                names += f" {param.metavar}"
            # a flag shows no value: its names, then the description
            assert re.search(rf"^  {re.escape(names)}(  |\n|$)", out, re.M), (names, out)
        assert " ".join(param.help.split()) in flat, f"help cut: {param.help!r}"
    for _name, sub in (getattr(command, "commands", None) or {}).items():
        if not sub.hidden:
            assert first_sentence(sub.help) in flat


def test_usage_names_arguments_by_what_to_type(lrm):
    assert lrm("log", "--help").stdout.startswith("Usage: lrm log [OPTIONS] CONTACT...\n")
    assert lrm("note", "--help").stdout.startswith("Usage: lrm note [OPTIONS] CONTACT [TEXT]\n")


def test_a_group_lists_its_commands_by_section_with_whole_sentences(lrm):
    out = lrm("--help").stdout
    assert "\nContacts:\n" in out and "\nRhythm:\n" in out and "\nHistory:\n" in out
    # the whole first sentence, wrapped, not cut at 45 columns with "..."
    flat = " ".join(out.split())
    assert "forget Delete a contact and everything that belongs to them alone (notes," in flat
    assert "else took part in). tags " in flat
    assert "..." not in out.split("Commands", 1)[-1].replace("[ARGS]...", "")


def test_examples_stand_whole_on_their_own_line(lrm):
    out = lrm("log", "--help").stdout
    example = next(line for line in out.splitlines() if "Example:" in line)
    assert example.strip() == (
        'Example: lrm log ada babbage --kind meal --initiator them --when "last tuesday" '
        '--summary "Dinner at the club" --sentiment +1'
    )


def test_help_through_a_pipe_is_the_same_plain_text(lrm_exe, tmp_path):
    """The console script (help goes to Typer) writes the same page into a pipe."""
    piped = subprocess.run(
        [lrm_exe, "log", "--help"], capture_output=True, text=True, timeout=60
    ).stdout
    assert "Usage: lrm log [OPTIONS] CONTACT...\n" in piped
    assert "-k, --channel, --kind KIND" in piped and "--future  " in piped and "<" not in piped


# --- every DATE, every DURATION ---------------------------------------------------------------

DATES = [
    "2026-12-24",
    "--12-24",
    "today",
    "yesterday",
    "tomorrow",
    "3 days ago",
    "in 2 weeks",
    "next friday",
    "last tuesday",
    "24 dec 2026",
]
DURATIONS = ["30d", "2w", "3m", "1y", "45", "2 weeks"]
# How to run each command that has a DATE or DURATION, before the option (or the
# positional) under test; a new one fails test_every_date_and_duration_is_exercised.
BASE = {
    "add": ["add", "Zed Quist"],
    "edit": ["edit", "ada"],
    "log": ["log", "ada", "--future"],
    "timeline": ["timeline", "ada"],
    "cadence": ["cadence", "ada"],
    "due": ["due"],
    "losing-touch": ["losing-touch"],
    "upcoming": ["upcoming"],
    "remind": ["remind", "ada", "write"],
    "snooze": ["snooze", "ada"],
    "digest": ["digest"],
    "date add": ["date", "add", "ada", "--kind", "anniversary", "--on", "--07-08"],
    "date edit": ["date", "edit", "ada", "1"],
    "tag cadence": ["tag", "cadence", "friends"],
    "interaction edit": ["interaction", "edit", "1", "--future"],
    "reminder edit": ["reminder", "edit", "1"],
}
REFUSES_A_PAST_DAY = {"snooze"}  # snoozing until today or before means nothing
REFUSES_A_FUTURE_DAY = {"add --birthday", "edit --birthday"}  # nobody is born tomorrow
TYPED = [
    (path, param)
    for path, param in PARAMS
    if (param.metavar or "").removesuffix("...") in ("DATE", "DURATION")
]


def test_every_date_and_duration_is_exercised():
    assert {_id(path) for path, _ in TYPED} == set(BASE)
    assert len(TYPED) >= 18


@pytest.fixture
def world(lrm):
    assert lrm("add", "Ada Lovelace", "--tag", "friends").exit_code == 0
    assert lrm("log", "ada", "--kind", "call").exit_code == 0
    assert lrm("remind", "ada", "write to her").exit_code == 0
    assert lrm("date", "add", "ada", "--on", "--05-01", "--label", "spring").exit_code == 0
    return lrm


@pytest.mark.parametrize(
    ("path", "param"), TYPED, ids=[f"{_id(p)} {q.opts[0] if q.opts else q.name}" for p, q in TYPED]
)
def test_every_date_and_duration_takes_every_form(world, path, param):
    forms = DATES if param.metavar == "DATE" else DURATIONS
    for value in forms:
        args = list(BASE[_id(path)])
        if param.param_type_name == "option":
            args += [param.opts[0], value]
        else:
            args.append(value)
        result = world(*args)
        if result.exit_code == 5 and _id(path) in REFUSES_A_PAST_DAY:
            # understood (the message names the day) and refused for what it means
            assert re.search(r"is \d{4}-\d{2}-\d{2}, not in the future", result.stderr)
            continue
        option = f"{_id(path)} {param.opts[0] if param.opts else param.name}"
        if result.exit_code == 5 and option in REFUSES_A_FUTURE_DAY:
            assert re.search(r"a birthday in the future: .*\d{4}-\d{2}-\d{2}", result.stderr)
            continue
        assert result.exit_code == 0, f"lrm {' '.join(args)}: {result.stderr}"
        if path == ("snooze",):
            world("snooze", "ada", "--clear")


# --- what the forms mean --------------------------------------------------------------------


def test_upcoming_takes_a_duration_and_any_span(lrm):
    assert lrm("add", "Ada", "--birthday", "--12-10").exit_code == 0  # 11 days after TODAY
    rows = lambda *a: lrm("upcoming", *a).stdout.splitlines()  # noqa: E731
    assert [r.split("\t")[0] for r in rows("--days", "2w")] == ["2026-12-10"]
    assert rows("--days", "1w") == []
    assert rows("--days", "11") != [] and rows("--days", "10") == []
    # beyond a year: every occurrence (no 366-day cap)
    dates = [r.split("\t")[0] for r in rows("--days", "3y")]
    assert dates == ["2026-12-10", "2027-12-10", "2028-12-10"]
    assert lrm("upcoming", "-d", "0", "--json").json() == []
    bad = lrm("upcoming", "--days", "soon")
    assert bad.exit_code == 5 and "invalid duration 'soon'" in bad.stderr


def test_digest_looks_as_far_ahead_as_asked(lrm):
    assert lrm("add", "Ada", "--birthday", "--12-10").exit_code == 0  # in 11 days
    coming = lambda *a: lrm("digest", "--json", *a).json()["upcoming"]  # noqa: E731
    assert coming() != []  # [digest] upcoming_days: 14
    assert coming("--days", "1w") == []
    assert [u["date"] for u in coming("-d", "2y")] == ["2026-12-10", "2027-12-10"]


def test_date_add_takes_natural_language_and_partial_dates(lrm):
    assert lrm("add", "Ada").exit_code == 0
    on = lambda text: lrm(  # noqa: E731
        "date", "add", "ada", "--kind", "custom", "--label", "x", "--on", text, "--json"
    ).json()["date"]
    assert on("next friday") == "2026-12-04"  # TODAY is Sunday 2026-11-29
    assert on("--07-08") == "--07-08"
    assert on("10 dec 1815") == "1815-12-10"
    bad = lrm("date", "add", "ada", "--kind", "custom", "--label", "x", "--on", "whenever")
    assert bad.exit_code == 5 and "cannot understand the date 'whenever'" in bad.stderr


def test_a_yearless_date_is_its_nearest_occurrence(lrm):
    assert lrm("add", "Ada").exit_code == 0
    snooze = lrm("snooze", "ada", "--until", "--01-10", "--json").json()
    assert snooze["snoozed_until"] == "2027-01-10"  # the next one, for a date ahead
    logged = lrm("log", "ada", "--when", "--02-24", "--json").json()
    assert logged["occurred_at"].startswith("2026-02-24T12:00")  # the last one, for the past
    # one that comes within a month is a slip, not almost a year ago (test_when_slips.py)
    assert lrm("log", "ada", "--when", "--12-24").exit_code == 5
    ahead = lrm("log", "ada", "--when", "--12-24", "--future", "--json").json()
    assert ahead["occurred_at"].startswith("2026-12-24T12:00")  # --future: the coming one
