"""``lrm list`` answered without Typer (cli/fast.py) gives the same bytes and exit codes as
the Typer command, and anything it does not understand goes to Typer."""

from __future__ import annotations

import json
import sys

import pytest
from conftest import run_exe

from lrm_cli.cli.fast import parse

ARGVS = [
    ["list"],
    ["list", "--json"],
    ["--json", "list"],
    ["list", "--tag", "mentors"],
    ["list", "-t", "mentors", "--json"],
    ["list", "--search", "lovelace", "--json"],
    ["list", "--search", "example.org"],
    ["list", "--archived", "--json"],
    ["list", "--all", "--sort", "created", "--reverse", "--json"],
    ["list", "-a", "-r", "-n", "1"],
    ["list", "--sort=last-contact", "--limit=2", "--json"],
    ["list", "--sort", "nope"],
    ["list", "--sort", "nope", "--json"],
    ["--no-color", "list", "--tag", "no-such-tag"],
    ["show", "Ada"],
    ["show", "ada", "--json"],
    ["show", "--recent", "1", "Charles"],
    ["show", "nobody"],
    ["show", "a", "--json"],
    ["due"],
    ["due", "--json"],
    ["due", "--within", "30d", "--tag", "mentors", "--json"],
    ["due", "--within", "fortnightlyish"],
    ["balance"],
    ["balance", "--json", "-n", "1"],
    ["balance", "Ada", "--json"],
    ["digest"],
    ["digest", "--format", "markdown"],
    ["digest", "--format", "json", "--date", "2026-12-01"],
    ["digest", "--days", "1y", "--json"],
    ["digest", "-d", "0"],
    ["digest", "--days", "soon"],
    ["digest", "--json", "--fail-if-due"],
    ["digest", "--fail-if-due", "--format", "text"],
    ["digest", "--format", "yaml"],
    ["digest", "--explain"],
    ["digest", "--explain", "--format", "markdown"],
    ["digest", "--json", "--explain"],
    ["digest", "--explain", "--format", "pdf"],
    ["digest", "--date", "the day after never"],
]


@pytest.fixture
def people(lrm):
    lrm(
        "add", "Ada Lovelace", "--email", "ada@example.org", "--tag", "mentors",
        "--org", "Analytical Engines",
    )  # fmt: skip
    lrm("add", "Charles Babbage", "--phone", "+44 20 7946 0000", "--tag", "mentors")
    lrm("add", "Émilie du Châtelet", "--email", "emilie@example.org")
    lrm("log", "Ada", "--kind", "call", "--when", "2026-11-20")
    lrm("add", "Old Friend")
    lrm("archive", "Old Friend")
    lrm("cadence", "Charles", "7d")
    lrm("log", "Charles", "--kind", "call", "--when", "2026-10-01", "--initiator", "them")
    lrm("date", "add", "Ada", "--kind", "anniversary", "--on", "--12-02")
    lrm("remind", "Ada", "send the article", "--on", "2026-12-01")
    lrm("note", "Charles", "Prefers letters\nand long walks", "--pin")
    return lrm


@pytest.mark.parametrize("argv", ARGVS, ids=[" ".join(a) for a in ARGVS])
def test_fast_and_typer_paths_agree(people, db_path, lrm_exe, argv):
    assert parse(argv) is not None, "this invocation should take the fast path"
    fast = run_exe(lrm_exe, "--db", str(db_path), *argv)
    typer_path = run_exe(
        sys.executable,
        "-c",
        "import sys; from lrm_cli.cli.app import run; run(sys.argv[1:])",
        "--db",
        str(db_path),
        *argv,
    )
    assert (fast.returncode, fast.stdout, fast.stderr) == (
        typer_path.returncode,
        typer_path.stdout,
        typer_path.stderr,
    )


@pytest.mark.parametrize(
    "argv",
    [
        ["list", "--help"],
        ["list", "-h"],
        ["list", "--limit", "0"],
        ["list", "--limit", "x"],
        ["list", "--bogus"],
        ["list", "extra"],
        ["show"],
        ["show", "a", "b"],
        ["balance", "a", "b"],
        ["digest", "--format"],
        ["digest", "--explain=yes"],
        ["due", "--limit", "0"],
        ["show", "--recent", "-1", "ada"],
        ["upcoming"],
        ["list", "--tag"],
        ["list", "--json=yes"],
        ["--debug", "list"],
        ["list", "--tag", "a", "--tag", "b"],
    ],
)
def test_what_the_fast_path_does_not_understand_goes_to_typer(argv):
    assert parse(argv) is None


def test_the_installed_command_takes_the_fast_path_without_importing_typer(people, db_path):
    import subprocess

    code = (
        "import sys; sys.argv = ['lrm', '--db', sys.argv[1], 'list', '--json']\n"
        "from lrm_cli.cli.entry import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "assert 'typer' not in sys.modules and 'rich' not in sys.modules, 'imported'\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(db_path)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert [c["name"] for c in json.loads(done.stdout)] == [
        "Ada Lovelace",
        "Charles Babbage",
        "Émilie du Châtelet",
    ]


def test_the_entry_point_knows_every_fast_command():
    from lrm_cli.cli import entry, fast

    assert set(fast.COMMANDS) == entry._FAST
