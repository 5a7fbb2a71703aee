"""``lrm list`` (and the other hot commands) answered without Typer (cli/fast.py) gives the
same bytes and exit codes as the Typer command, and anything it does not understand goes
to Typer."""

from __future__ import annotations

import json
import shutil
import sys

import pytest

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
    ["list", "--snoozed"],
    ["list", "--snoozed", "--json"],
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
    # global options anywhere, as on Typer
    ["--debug", "list"],
    ["due", "--no-color"],
    ["list", "--tag", "mentors", "--json", "--no-color"],
    ["show", "ada", "--json", "--today", "2026-12-25"],
    ["due", "--today=2027-06-01", "--json"],
    ["balance", "Ada", "--debug", "--json"],
    ["search", "lovelace", "--json", "--debug"],
    ["digest", "--fail-if-due", "--no-color", "--json"],
    ["upcoming"],
    ["upcoming", "--days", "30d", "--json"],
    ["upcoming", "-d", "soon"],
    ["drift"],
    ["drift", "--json"],
    ["timeline"],
    ["timeline", "Ada"],
    ["timeline", "Charles", "--json", "--since", "2026-01-01", "--until", "2026-11-01"],
    ["timeline", "nobody"],
    ["timeline", "-n", "1", "--since", "last month"],
    ["timeline", "--since", "the day after never"],
    # an empty value (a script's unset variable) is refused on both paths, not the default
    ["due", "--within", ""],
    ["digest", "--date", ""],
    ["timeline", "Ada", "--since", "", "--json"],
    ["timeline", "--until", ""],
    ["export", "json"],
    ["export", "json", "-o", "-", "--no-color"],
    ["--json", "export", "json", "--out", "/no/such/folder/backup.json"],
    ["export", "vcard"],
    ["export", "vcard", "--json"],
    ["export", "vcard", "--out", "/no/such/folder/cards.vcf"],
    ["export", "ics"],
    ["export", "ics", "--events", "-o", "-"],
    ["export", "ics", "--json"],
]
# Writes: each path runs on its own copy of the same database.
WRITES = [
    ["add", "Grace Hopper"],
    ["add", "Grace Hopper", "-e", "grace@example.org", "--email", "g@navy.example", "--json"],
    ["add", "Ada Lovelace", "--tag", "a", "-t", "b", "--phone", "+44 20 7946 0001", "-q"],
    ["add", "Ada Lovelace", "--email", "ada@example.org"],
    ["add", "Alan", "--birthday", "--06-23", "--cadence", "2w", "--org", "NPL", "--title", "Dr"],
    ["add", "Alan", "--how-met", "Bletchley", "--nickname", "Prof", "--given-name", "Alan"],
    ["add", "Alan", "--family-name", "Turing", "--json", "--no-color"],
    ["add", "Alan", "--birthday", "someday"],
    ["add", "Alan", "--cadence", "often"],
    ["add", ""],
    ["add", "grace@example.org"],  # a name that is an email: it is their email too
    ["add", "+44 20 7946 0002", "--json"],
    ["log", "Ada"],
    ["log", "Ada", "Charles", "-k", "meal", "-i", "them", "-w", "2026-11-28", "-s", "Dinner"],
    ["log", "Ada", "--when", "yesterday", "--sentiment", "+1", "--weight", "2.5", "--json"],
    ["log", "Ada", "--when", "last tuesday", "--summary", "Tea"],
    ["log", "Ada", "--when", "", "--summary", "Tea"],
    ["log", "Ada", "--when", "2027-01-01"],
    ["log", "Ada", "--when", "2027-01-01", "--future"],
    ["log", "Ada", "--kind", "telepathy"],
    ["log", "Ada", "--channel", "call", "--json"],  # --kind's other name
    ["log", "Ada", "--channel=video"],
    ["log", "Ada", "-s", "Lunch at the market"],  # no --kind: 'other', with a hint
    ["log", "Ada", "--sentiment", "9"],
    ["log", "nobody"],
    ["note", "Ada", "Likes engines"],
    ["note", "Ada", "Pinned", "--pin", "--json"],
    ["note", "Ada", "two", "words"],
    ["note", "nobody", "text"],
    ["note", "delete", "1"],  # another tool's word: a usage error (cli/other_words.py)
    ["log", "remove", "#1", "--json"],
    ["note", "delete"],  # ... without its id: where the ids are
    ["log", "rm", "--json"],
    ["log", "Ada", "coffee, she's starting at Figma"],  # a summary without -s: a hint
    ["log", "Ada", "Charles", "tea at $5", "--json"],
]


@pytest.fixture
def people(lrm, built):
    built(_make_people)
    return lrm


def _make_people(lrm) -> None:
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
    lrm("snooze", "Émilie", "--until", "2026-12-20")


def _through_typer(warm, db_path, argv):
    return warm.run("typer", "--db", str(db_path), *argv)


def _without_uids(value):
    """A JSON value without its "uid" members (new rows get random ones)."""
    if isinstance(value, dict):
        return {k: _without_uids(v) for k, v in value.items() if k != "uid"}
    if isinstance(value, list):
        return [_without_uids(v) for v in value]
    return value


def _answer(done) -> tuple:
    out = done.stdout
    if out.startswith(("{", "[")):
        out = _without_uids(json.loads(out))
    return done.returncode, out, done.stderr


@pytest.mark.parametrize("argv", ARGVS, ids=[" ".join(a) for a in ARGVS])
def test_fast_and_typer_paths_agree(people, db_path, warm, argv):
    assert parse(argv) is not None, "this invocation should take the fast path"
    fast = warm.run("fast", *argv, "--db", str(db_path))  # a global option last
    typer_path = _through_typer(warm, db_path, argv)
    assert (fast.returncode, fast.stdout, fast.stderr) == (
        typer_path.returncode,
        typer_path.stdout,
        typer_path.stderr,
    )


@pytest.mark.parametrize("argv", WRITES, ids=[" ".join(a) for a in WRITES])
def test_fast_and_typer_paths_write_alike(people, db_path, warm, argv):
    """The same answer, the same rows, and the same line in `lrm undo --list` (which
    names a change by its command line)."""
    assert parse(argv) is not None, "this invocation should take the fast path"
    other = db_path.with_name("typer.sqlite3")
    shutil.copy2(db_path, other)
    fast = warm.run("fast", "--db", str(db_path), *argv)
    typer_path = _through_typer(warm, other, argv)
    assert _answer(fast) == _answer(typer_path)
    after = []
    for path in (db_path, other):
        shown = warm.run("fast", "--db", str(path), "timeline", "--since", "2000-01-01")
        listed = warm.run("fast", "--db", str(path), "list", "--all", "--json")
        journal = warm.run("fast", "--db", str(path), "undo", "--list", "--json")
        changes = [c["command"].replace(str(path), "DB") for c in json.loads(journal.stdout)]
        after.append((shown.stdout, _without_uids(json.loads(listed.stdout)), changes))
    assert after[0] == after[1]


@pytest.mark.parametrize("fmt", ["json", "vcard", "ics"])
def test_an_export_to_a_file_takes_the_fast_path_and_agrees(people, db_path, warm, tmp_path, fmt):
    """What cron writes: the same file, the same summary (text and --json)."""
    for extra in ([], ["--json"]):
        written = []
        for path_name in ("fast", "typer"):
            out = tmp_path / f"{path_name}-{len(extra)}.{fmt}"
            argv = ["export", fmt, "--out", str(out), *extra]
            assert parse(argv) is not None
            if path_name == "fast":
                done = warm.run("fast", "--db", str(db_path), *argv)
            else:
                done = _through_typer(warm, db_path, argv)
            assert done.returncode == 0, done.stderr
            written.append(
                (
                    done.stdout.replace(str(out), "OUT"),
                    done.stderr.replace(str(out), "OUT"),
                    out.read_bytes(),
                )
            )
        assert written[0] == written[1]
        assert b"Ada Lovelace" in written[0][2] or fmt == "ics"
        assert written[0][2]


@pytest.mark.parametrize(
    "argv",
    [
        ["export"],
        ["export", "nothing"],
        ["export", "--json", "json"],
        ["export", "ics", "--days", "3"],
        ["export", "vcard", "--vdir"],
        ["export", "json", "extra"],
        ["export", "json", "--out"],
        ["export", "json", "--events"],
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
        ["upcoming", "--days"],
        ["upcoming", "--days", "1", "--days", "2"],
        ["timeline", "a", "b"],
        ["timeline", "--limit", "0"],
        ["add"],
        ["add", "a", "b"],
        ["add", "Ada", "--org", "a", "--org", "b"],
        ["add", "Ada", "--email"],
        ["log"],
        ["log", "Ada", "--weight", "1e3"],
        ["log", "Ada", "--weight", "x"],
        ["log", "Ada", "--weight=inf"],
        ["log", "Ada", "--future=yes"],
        ["note"],
        ["note", "edit", "1", "new text"],
        ["note", "rm", "1"],
        ["note", "a", "b", "c", "d"],
        ["drift", "extra"],
        ["list", "--tag"],
        ["list", "--json=yes"],
        ["list", "--tag", "a", "--tag", "b"],
        ["list", "--db", "a", "--db", "b"],
        ["list", "--today"],
        ["list", "--debug=yes"],
        ["list", "--", "--json"],
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


def test_the_installed_command_writes_without_importing_typer(people, db_path):
    import subprocess

    code = (
        "import sys; sys.argv = ['lrm', '--db', sys.argv[1], 'log', 'Ada', '-k', 'call']\n"
        "from lrm_cli.cli.entry import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "assert 'typer' not in sys.modules and 'rich' not in sys.modules, 'imported'\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(db_path)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("logged "), done.stdout


def test_the_entry_point_knows_every_fast_command():
    from lrm_cli.cli import entry, fast

    assert {name.split()[0] for name in fast.COMMANDS} == entry._FAST


# --- the fast path cannot drift from Typer ---------------------------------------------


def _kind(param) -> tuple[str, int | None]:
    """What the fast path calls the kind of a Typer parameter, and its minimum."""
    descriptor = param.type_descriptor
    assert not descriptor.is_choice, f"{param.name}: add choices to cli/fast.py or send it"
    assert getattr(param, "max", None) is None, f"{param.name}: a maximum is not copied"
    if getattr(param, "is_flag", False):
        return "flag", None
    if descriptor.annotation in (int, int | None):
        return "int", param.min
    if descriptor.annotation in (float, float | None):
        assert getattr(param, "min", None) is None, f"{param.name}: a minimum is not copied"
        return "float", None
    if getattr(param, "multiple", False):
        assert descriptor.annotation in (list[str], list[str] | None), param.name
        return "list", None
    assert descriptor.annotation in (str, str | None, list[str]), param.name
    return "text", None


def _understood(spec, param) -> tuple:
    return (spec.key, spec.kind, spec.default, spec.min, spec.env)


def _declared(param) -> tuple:
    kind, minimum = _kind(param)
    return (param.name, kind, param.default, minimum, param.envvar)


def test_the_fast_path_table_is_the_typer_declarations():
    """Every option of every fast-path command, as Typer declares it (names, aliases,
    kind, minimum, default, environment variable), is understood by cli/fast.py the same
    way or listed as sent to Typer; the global options are the root's; the positionals
    are Typer's, in order, with the same number required."""
    import typer

    from lrm_cli.cli import fast
    from lrm_cli.cli.app import build_app
    from lrm_cli.cli.root import global_options

    root = typer.main.get_command(build_app())
    global_params = [p for p in root.params if not p.is_eager]
    assert set(fast.GLOBAL) == set(global_options(root))
    for param in global_params:
        for name in (*param.opts, *param.secondary_opts):
            assert _understood(fast.GLOBAL[name], param) == _declared(param), name
    assert set(fast.SENT_TO_TYPER) <= set(fast.COMMANDS)
    for command_name, (table, positionals, required) in fast.COMMANDS.items():
        command = root
        for word in command_name.split():  # "export json": a group's subcommand
            command = command.commands[word]
        sent = fast.SENT_TO_TYPER.get(command_name, frozenset())
        declared_names: set[str] = set()
        arguments = []
        for param in command.params:
            if param.param_type_name == "argument":
                arguments.append(param)
                continue
            names = {*param.opts, *param.secondary_opts}
            declared_names |= names
            for name in names:
                where = f"lrm {command_name} {name}"
                if name in sent:
                    assert name not in table, f"{where} is both understood and sent to Typer"
                    continue
                assert param.callback is None, where
                spec = table.get(name) or fast.GLOBAL.get(name)
                assert spec is not None, f"{where}: add it to cli/fast.py or to SENT_TO_TYPER"
                if name in fast.GLOBAL:  # a command's own --json: the global one
                    assert _declared(param)[1:3] == _understood(spec, param)[1:3], where
                else:
                    assert _understood(spec, param) == _declared(param), where
        assert set(table) <= declared_names, f"lrm {command_name}: options Typer lacks"
        assert sent <= declared_names, f"lrm {command_name}: SENT_TO_TYPER names no option"
        expected = tuple(p.name + ("..." if p.nargs == -1 else "") for p in arguments)
        assert positionals == expected, command_name
        assert required == sum(p.required for p in arguments), command_name
        assert all(p.default is None for p in arguments if not p.required), command_name


def test_the_read_bodies_take_no_defaults_of_their_own():
    """cli/reads.py's commands get every keyword from Typer or from the fast path's
    table: parse() gives exactly the keywords each body takes."""
    import inspect

    from lrm_cli.cli import exports, fast, reads, writes
    from lrm_cli.cli.search import search_command

    bodies = {
        "list": reads.list_command,
        "show": reads.show_command,
        "due": reads.due_command,
        "balance": reads.balance_command,
        "digest": reads.digest_command,
        "search": search_command,
        "upcoming": reads.upcoming_command,
        "drift": reads.drift_command,
        "timeline": reads.timeline_command,
        "add": writes.add_command,
        "log": writes.log_command,
        "note": writes.note_command,
        "export json": exports.export_json_command,
        "export vcard": exports.export_vcard_command,
        "export ics": exports.export_ics_command,
    }
    assert set(bodies) == set(fast.COMMANDS)
    for name, body in bodies.items():
        keywords = dict(list(inspect.signature(body).parameters.items())[1:])
        assert all(p.default is inspect.Parameter.empty for p in keywords.values()), name
        parsed = parse([*name.split(), "x"] if fast.COMMANDS[name][2] else name.split())
        assert parsed is not None
        passed = set(parsed[1]) - {spec.key for spec in fast.GLOBAL.values()}
        assert passed == set(keywords), name


@pytest.mark.parametrize("argv", ARGVS, ids=[" ".join(a) for a in ARGVS])
def test_debug_never_changes_an_answer(people, db_path, capfd, argv):
    """--debug (before or after) gives the same stdout and exit code on the fast path."""
    from lrm_cli.cli.fast import run_fast

    answers = []
    for extra in ([], ["--debug"]):
        code = run_fast(["--db", str(db_path), *argv, *extra])
        answers.append((code, capfd.readouterr().out))
    assert answers[0] == answers[1]
    assert answers[0][0] is not None
