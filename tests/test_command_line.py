"""Rules of the command line that hold for every command, each checked by one walk over
the whole Typer tree: global options anywhere, and usage errors that keep the error
contract (one line on stderr, JSON under --json, exit 2, no box, no colour)."""

from __future__ import annotations

import json
import os
import pty
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import typer
from conftest import Result, read_to_the_end, run_exe
from typer.testing import CliRunner

from lrm_cli.cli import app as app_module
from lrm_cli.cli.app import build_app
from lrm_cli.cli.root import hoist
from lrm_cli.cli.state import Run

TREE = typer.main.get_command(build_app())  # built once: ~30 ms a build
RUNNER = CliRunner()


def tree(*args: str) -> Result:
    """What the ``lrm`` fixture does, on the one TREE (a walk runs hundreds of commands)."""
    with RUNNER.isolation() as (stdout, stderr, _):
        try:
            TREE.main(args=list(args), prog_name="lrm")
            code = 0
        except SystemExit as exc:
            code = exc.code or 0
        sys.stdout.flush()
        sys.stderr.flush()
        return Result(code, stdout.getvalue().decode(), stderr.getvalue().decode())


def _walk(group, path=()):
    """(path, command) for every command and group under ``group``, hidden ones too."""
    for name, command in group.commands.items():
        yield (*path, name), command
        if hasattr(command, "commands"):
            yield from _walk(command, (*path, name))


COMMANDS = list(_walk(TREE))
LEAVES = [(p, c) for p, c in COMMANDS if not hasattr(c, "commands")]
BOX = re.compile("[\u2500-\u257f]")  # box-drawing characters (rich panels)
ANSI = "\x1b["


def _sample(param, tmp_path: Path) -> str:
    """A well-formed value for ``param`` (what it means for the command does not matter)."""
    annotation = param.type_descriptor.annotation
    if param.type_descriptor.is_choice and param.type_descriptor.choices:
        choice = param.type_descriptor.choices[0]
        return str(getattr(choice, "value", choice))
    if annotation is int or annotation == int | None:
        return "1"
    if annotation is float or annotation == float | None:
        return "1.5"
    if annotation is Path or annotation == Path | None:
        return str(tmp_path / "no-such-file")
    return "nobody"


def _required(command, tmp_path: Path) -> list[str]:
    """The arguments and required options ``command`` needs to parse."""
    args: list[str] = []
    for param in command.params:
        if not param.required:
            continue
        if param.param_type_name == "argument":
            args.append(_sample(param, tmp_path))
        else:
            args += [param.opts[0], _sample(param, tmp_path)]
    return args


@pytest.fixture
def other_db(tmp_path: Path, template_db: Path) -> Path:
    path = tmp_path / "elsewhere" / "other.sqlite3"
    path.parent.mkdir(mode=0o700)
    shutil.copyfile(template_db, path)
    path.chmod(0o600)
    return path


def test_global_options_are_accepted_after_every_command(other_db, tmp_path, monkeypatch):
    """Every command, run for real with harmless arguments, with the global options right
    after its name and after its arguments: each reaches the run (the database is
    other_db, JSON, no colour, debug, the pinned day), nothing is a usage error, and an
    error is in JSON."""
    monkeypatch.chdir(tmp_path)  # `db backup FILE` and the like write here
    runs: list[Run] = []

    class Recorded(Run):
        def __init__(self, **options) -> None:
            super().__init__(**options)
            runs.append(self)

    monkeypatch.setattr(app_module, "Run", Recorded)
    globals_ = ["--db", str(other_db), "--json", "--no-color", "--debug", "--today", "2026-01-02"]
    for path, command in LEAVES:
        args = _required(command, tmp_path)
        for argv in ([*path, *globals_, *args], [*path, *args, *globals_]):
            runs.clear()
            result = tree(*argv)
            shown = f"lrm {' '.join(argv)}: {result.exit_code} {result.stderr}"
            assert result.exit_code != 2, shown
            assert len(runs) == 1, shown
            run = runs[0]
            assert (run.db_flag, run.json, run.no_color, run.debug, run.today) == (
                str(other_db),
                True,
                True,
                True,
                "2026-01-02",
            ), shown
            if result.exit_code != 0:
                assert "error" in json.loads(result.stderr.splitlines()[-1]), shown


def test_each_global_option_alone_after_the_arguments(lrm, other_db):
    """One at a time, after a command's arguments, in both forms (--db X and --db=X)."""
    lrm("--db", str(other_db), "add", "Ada Lovelace")
    assert lrm("list", "--db", str(other_db), "--json").json()[0]["name"] == "Ada Lovelace"
    assert lrm("show", "ada", f"--db={other_db}").exit_code == 0
    assert lrm("list").stdout == ""  # the default database is another one
    assert lrm("tags", "--json").json() == []
    assert lrm("tag", "add", "ada", "friends", "--db", str(other_db)).exit_code == 0
    assert lrm("tags", f"--db={other_db}", "--json").json()[0]["tag"] == "friends"
    due = lrm("due", "--today", "2030-01-01", "--db", str(other_db), "--json").json()
    assert due == []  # no cadence: nobody is due, whatever the day
    assert "\x1b[" not in lrm("show", "ada", "--no-color", "--db", str(other_db)).stdout


def test_what_follows_double_dash_or_an_option_taking_a_value_is_not_hoisted():
    args = ["note", "ada", "--", "--db", "x"]
    assert hoist(TREE, args, []) == args
    args = ["log", "ada", "--summary", "--json", "-k", "--debug"]
    assert hoist(TREE, args, []) == args  # the values of --summary and -k
    front: list[str] = []
    assert hoist(TREE, ["list", "-n", "3", "--db", "x", "--json"], front) == [
        "--db", "x", "--json", "list", "-n", "3",
    ]  # fmt: skip
    assert front == ["--db", "x", "--json"]
    # completing `lrm list --db <Tab>` (Click's resilient parsing) is not an error
    assert hoist(TREE, ["list", "--json", "--db"], [], strict=False) == ["--json", "list", "--db"]


def test_the_installed_command_takes_global_options_after_the_command(people_exe_db, lrm_exe):
    """The examples of the issue, through the console script (the fast path and Typer)."""
    db = str(people_exe_db)
    assert run_exe(lrm_exe, "due", "--no-color", "--db", db).returncode == 0
    listed = run_exe(lrm_exe, "list", "--db", db, "--json")
    assert [c["name"] for c in json.loads(listed.stdout)] == ["Ada Lovelace"]
    tags = run_exe(lrm_exe, "tags", "--json", "--db", db)  # a Typer command
    assert tags.returncode == 0 and json.loads(tags.stdout) == []


@pytest.fixture
def people_exe_db(lrm, other_db) -> Path:
    lrm("--db", str(other_db), "add", "Ada Lovelace")
    return other_db


# --- usage errors ---------------------------------------------------------------------


def _assert_one_usage_line(result, shown: str) -> str:
    assert result.exit_code == 2, shown
    lines = result.stderr.splitlines()
    assert len(lines) == 1, shown
    line = lines[0]
    assert not BOX.search(line) and ANSI not in line, shown
    assert "Input should" not in line and "Invalid value" not in line, shown
    assert result.stdout == "", shown
    return line


def _bad_values(command, tmp_path: Path):
    """For each int, float or choice parameter of ``command``: argv pieces giving it a
    value it refuses, the other arguments well formed."""
    for param in command.params:
        descriptor = param.type_descriptor
        if descriptor.annotation not in (int, float, int | None, float | None) and not (
            descriptor.is_choice
        ):
            continue
        bad = "x" if not descriptor.is_choice else "no-such-choice"
        args: list[str] = []
        for other in command.params:
            value = bad if other is param else _sample(other, tmp_path)
            if other.param_type_name == "argument" and (other.required or other is param):
                args.append(value)
            elif other.param_type_name == "option" and (other.required or other is param):
                args += [other.opts[0], value]
        yield param, args


def test_usage_errors_are_one_line_in_every_command(tmp_path):
    """Every command and group given an unknown option, and every int/float/choice
    parameter a bad value: exit 2, one line on stderr (lrm's words, no box, no colour),
    a JSON object under --json."""
    checked_values = 0
    for path, command in COMMANDS:
        cases = [[*path, "--no-such-option"]]
        if not hasattr(command, "commands"):
            cases.append([*path, *_required(command, tmp_path), "--no-such-option"])
            for _param, args in _bad_values(command, tmp_path):
                cases.append([*path, *args])
                checked_values += 1
        for argv in cases:
            shown = f"lrm {' '.join(argv)}"
            line = _assert_one_usage_line(tree(*argv), shown)
            assert line.startswith("lrm: error: "), shown
            error = json.loads(_assert_one_usage_line(tree(*argv, "--json"), shown))["error"]
            assert error["code"] == "usage" and error["message"], shown
    assert checked_values >= 5  # ids, --limit, --weight, ...


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["reminder", "rm", "abc"], "reminder id must be a number such as 12 or #12, got 'abc'"),
        (["list", "--limit", "x"], "--limit must be a whole number, got 'x'"),
        (["list", "--limit", "0"], "--limit must be at least 1, got 0"),
        (["list", "--no-such-option"], "'lrm list' has no option --no-such-option"),
        (["show"], "'lrm show' needs CONTACT"),
        (["show", "a", "b"], "'lrm show' takes no more arguments, got 'b'"),
        (["list", "--db"], "--db needs a value"),
        (["list", "--json=yes"], "--json takes no value"),
        (["--no-color"], "'lrm' needs a command"),
    ],
)
def test_usage_errors_in_lrm_words(lrm, argv, expected):
    result = lrm(*argv)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"lrm: error: {expected} (hint: ")


@pytest.mark.parametrize(
    ("argv", "suggestion"),
    [
        (["lst"], "did you mean 'lrm list'?"),
        (["tag", "ad", "ada", "x"], "did you mean 'lrm tag add'?"),
        (["list", "--limt", "3"], "did you mean --limit?"),
        (["xyz"], None),
        (["remmove"], None),  # not 'remind': another word
        (["list", "--frobnicate"], None),
    ],
)
def test_did_you_mean_only_for_a_near_miss(lrm, argv, suggestion):
    result = lrm(*argv)
    assert result.exit_code == 2
    if suggestion is None:
        assert "did you mean" not in result.stderr
    else:
        assert result.stderr.endswith(f"(hint: {suggestion})\n")


@pytest.mark.parametrize("word", ["rm", "delete", "remove", "del"])
def test_deleting_a_contact_by_another_tools_word_names_forget_and_archive(lrm, word):
    lrm("add", "Ada Lovelace")
    result = lrm(word, "ada")
    assert result.exit_code == 2
    assert "'lrm forget CONTACT' deletes" in result.stderr
    assert "'lrm archive CONTACT' hides" in result.stderr
    assert [c["name"] for c in lrm("list", "--json").json()] == ["Ada Lovelace"]


@pytest.mark.parametrize(
    ("argv", "suggestion"),
    [
        (["ls"], "did you mean 'lrm list'?"),
        (["find", "ada"], "did you mean 'lrm search'?"),
        (["new", "Ada"], "did you mean 'lrm add'?"),
        (["history", "ada"], "did you mean 'lrm timeline'?"),
        (["reminder", "delete", "1"], "did you mean 'lrm reminder rm'?"),
        (["tag", "remove", "ada", "x"], "did you mean 'lrm tag rm'?"),
    ],
)
def test_another_tools_word_is_answered_with_lrms(lrm, argv, suggestion):
    result = lrm(*argv)
    assert result.exit_code == 2
    assert result.stderr.endswith(f"(hint: {suggestion})\n")


@pytest.mark.parametrize(
    ("argv", "suggestion"),
    [
        (["note", "delete", "1"], "lrm note rm"),
        (["note", "remove", "#1"], "lrm note rm"),
        (["note", "del", "1"], "lrm note rm"),
        (["note", "update", "1", "new text"], "lrm note edit"),
        (["log", "delete", "1"], "lrm interaction rm"),
        (["log", "rm", "1"], "lrm interaction rm"),
        (["log", "edit", "1", "--kind", "call"], "lrm interaction edit"),
        (["remind", "delete", "1"], "lrm reminder rm"),
        (["remind", "Remove", "1"], "lrm reminder rm"),
        (["interaction", "delete", "1"], "lrm interaction rm"),
        (["reminder", "remove", "1"], "lrm reminder rm"),
        (["date", "del", "ada", "1"], "lrm date rm"),
        (["tag", "delete", "ada", "x"], "lrm tag rm"),
    ],
)
def test_a_fixing_word_from_another_tool_is_not_read_as_a_contact(lrm, argv, suggestion):
    """`lrm note delete 1` once looked for a contact named "delete": every command with
    a way to fix what it wrote, and every group with rm, names lrm's command in one line
    and writes nothing (cli/other_words.py)."""
    lrm("add", "Ada Lovelace")
    lrm("log", "ada", "--kind", "call")
    lrm("note", "ada", "Likes engines")
    lrm("remind", "ada", "send the article")
    before = lrm("show", "ada", "--json").json()
    result = lrm(*argv)
    assert result.exit_code == 2, result.stderr
    expected = f"'lrm {argv[0]}' has no command '{argv[1]}'"
    assert result.stderr == f"lrm: error: {expected} (hint: did you mean '{suggestion}'?)\n"
    assert result.stdout == ""
    assert lrm("show", "ada", "--json").json() == before


@pytest.mark.parametrize(
    "argv",
    [
        ["note", "Del", "met at the pub"],  # a note whose first word is not an id
        ["note", "1", "5"],  # a note "5" about contact #1
        ["remind", "Del", "call back"],
    ],
)
def test_a_contact_whose_name_is_another_tools_word_is_still_reached(lrm, argv):
    lrm("add", "Del Boy")
    assert lrm(*argv).exit_code == 0


@pytest.mark.parametrize(
    ("argv", "path"),
    [
        (["add", "Ann", "--tag"], "lrm add"),
        (["log", "ann", "--kind"], "lrm log"),
        (["--json", "date", "add", "ann", "--on"], "lrm date add"),
        (["list", "--limit"], "lrm list"),
        (["--db"], "lrm"),
    ],
)
def test_an_option_missing_its_value_points_to_its_commands_help(lrm, argv, path):
    """Click raises this error without the command it was in: the hint said 'lrm --help'."""
    result = lrm(*argv)
    assert result.exit_code == 2
    assert f"see '{path} --help'" in result.stderr
    assert result.stderr.count("\n") == 1


def _stderr_at_a_terminal(exe: str, args: list[str], env: dict) -> str:
    main, secondary = pty.openpty()
    proc = subprocess.Popen(
        [exe, *args], stdout=subprocess.PIPE, stderr=secondary, env=env, stdin=subprocess.DEVNULL
    )
    os.close(secondary)
    screen = read_to_the_end(main)
    proc.wait(timeout=60)
    assert proc.returncode == 2
    return screen.decode()


def test_usage_errors_at_a_terminal_have_no_box_and_colour_only_without_no_color(lrm_exe):
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    coloured = _stderr_at_a_terminal(lrm_exe, ["lst"], env)
    assert ANSI in coloured and not BOX.search(coloured)
    assert len(coloured.strip().splitlines()) == 1
    plain = _stderr_at_a_terminal(lrm_exe, ["lst"], {**env, "NO_COLOR": "1"})
    assert plain.strip() == "lrm: error: no command 'lst' (hint: did you mean 'lrm list'?)"
    plain = _stderr_at_a_terminal(lrm_exe, ["list", "--limit", "x", "--no-color"], env)
    assert ANSI not in plain and plain.startswith("lrm: error: --limit must be")
