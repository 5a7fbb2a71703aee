"""The shell completion scripts in completions/: generated from the command tree and
committed fresh, covering every command, and working (bash always; zsh and fish when
installed). Also the ``lrm __complete contacts`` fast path they call."""

from __future__ import annotations

import importlib.util
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Annotated

import pytest
import typer
import typer.main

from lrm_cli.cli.app import build_app

ROOT = Path(__file__).resolve().parents[1]
COMPLETIONS = ROOT / "completions"
GENERATE = COMPLETIONS / "generate.py"
SCRIPTS = {
    "bash": COMPLETIONS / "lrm.bash",
    "zsh": COMPLETIONS / "_lrm",
    "fish": COMPLETIONS / "lrm.fish",
}
REGENERATE = "run `python completions/generate.py` and commit completions/"


def _generate_module():
    spec = importlib.util.spec_from_file_location("lrm_completions_generate", GENERATE)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def _env(**extra: str) -> dict[str, str]:
    """The test's environment (its LRM_DB), with the venv's console script first on PATH."""
    bin_dir = str(Path(sys.executable).parent)
    return {**os.environ, "PATH": bin_dir + os.pathsep + os.environ.get("PATH", ""), **extra}


def _top_level_commands() -> list[str]:
    root = typer.main.get_command(build_app())
    return sorted(name for name, cmd in root.commands.items() if not cmd.hidden)


# ---------------------------------------------------------------------------------------
# Fresh and complete


def test_committed_scripts_are_what_the_generator_writes(tmp_path):
    result = subprocess.run(
        [sys.executable, str(GENERATE), "--dir", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    for path in SCRIPTS.values():
        fresh = (tmp_path / path.name).read_text(encoding="utf-8")
        committed = path.read_text(encoding="utf-8") if path.exists() else None
        assert committed == fresh, f"completions/{path.name} is stale: {REGENERATE}"


def test_check_names_the_stale_script(tmp_path):
    for path in SCRIPTS.values():
        shutil.copy(path, tmp_path / path.name)
    (tmp_path / "lrm.fish").write_text("# edited by hand\n", encoding="utf-8")
    check = [sys.executable, str(GENERATE), "--check", "--dir", str(tmp_path)]
    result = subprocess.run(check, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert "lrm.fish" in result.stderr and "python completions/generate.py" in result.stderr
    assert "lrm.bash" not in result.stderr and "_lrm " not in result.stderr


def test_generation_is_deterministic():
    generate = _generate_module()
    assert generate.render_all() == generate.render_all()


@pytest.mark.parametrize("shell", sorted(SCRIPTS))
def test_every_top_level_command_is_in_each_script(shell):
    text = SCRIPTS[shell].read_text(encoding="utf-8")
    commands = _top_level_commands()
    assert {"add", "show", "tag", "db"} <= set(commands)
    for name in commands:
        entry = {
            "bash": f"    {shlex.quote(f'lrm {name}')})\n",
            "zsh": f"    ({shlex.quote(f'lrm {name}')})\n",
            "fish": f"complete -c lrm -n '__lrm_at lrm group' -a '{name}'",
        }[shell]
        assert entry in text, f"{name} is missing from completions/{SCRIPTS[shell].name}"


# ---------------------------------------------------------------------------------------
# bash, for real: source the script, set COMP_WORDS/COMP_CWORD, call _lrm

BASH_PROBE = """
source "$1"; shift
COMP_WORDS=("$@")
COMP_CWORD=$(($# - 1))
COMP_LINE="$*"
COMP_POINT=${#COMP_LINE}
_lrm
printf '%s\\n' "${COMPREPLY[@]}"
"""


def bash_complete(*words: str, script: Path = SCRIPTS["bash"], cwd: Path | None = None):
    """What bash offers for the last of ``words`` (the word under the cursor)."""
    result = subprocess.run(
        ["bash", "-c", BASH_PROBE, "bash", str(script), *words],
        capture_output=True,
        text=True,
        env=_env(),
        cwd=cwd,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return [line for line in result.stdout.splitlines() if line]


@pytest.fixture
def people(lrm, tmp_path):
    for name in ("Ada Lovelace", "Adam Smith", "Bob"):
        assert lrm("add", name).exit_code == 0
    other = tmp_path / "other.sqlite3"
    assert lrm("--db", str(other), "add", "Zed Quist").exit_code == 0
    return other


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        (("lrm", "ta"), ["tag", "tags"]),
        (("lrm", "tag", ""), None),  # the tag group's subcommands, checked below
        (("lrm", "db", ""), ["backup", "check", "path", "restore"]),
        (("lrm", "db", "r"), ["restore"]),
        (("lrm", "--db", "x.sqlite3", "sh"), ["show"]),  # --db's value is skipped
        (("lrm", "--today", "2026-01-01", "sh"), ["show"]),  # hidden, still takes a value
        (("lrm", "--ver"), ["--version"]),
        (("lrm", "note", "Bob", ""), []),  # TEXT: nothing
        (("lrm", "bogus", ""), []),
    ],
)
def test_bash_completes_commands_and_options(words, expected):
    if expected is None:
        tag = typer.main.get_command(build_app()).commands["tag"]
        expected = sorted(name for name, cmd in tag.commands.items() if not cmd.hidden)
        assert {"add", "rm"} <= set(expected)
    assert bash_complete(*words) == expected


def test_bash_completes_every_top_level_command():
    assert bash_complete("lrm", "") == _top_level_commands()


def test_bash_completes_a_commands_options():
    offered = bash_complete("lrm", "show", "--")
    assert {"--json", "--help", "--recent"} <= set(offered)
    assert "--db" not in offered  # a root option, not show's
    assert "--today" not in bash_complete("lrm", "--")  # hidden


def test_bash_completes_contact_names_dynamically(people):
    assert bash_complete("lrm", "show", "Ad") == ["Ada Lovelace", "Adam Smith"]
    assert bash_complete("lrm", "show", "") == ["Ada Lovelace", "Adam Smith", "Bob"]
    assert bash_complete("lrm", "show", r"Ada\ L") == ["Ada Lovelace"]
    assert bash_complete("lrm", "show", '"Ada L') == ["Ada Lovelace"]
    # every CONTACT of a variadic argument, and after options that take values
    assert bash_complete("lrm", "log", "Bob", "--kind", "call", "Ad") == [
        "Ada Lovelace",
        "Adam Smith",
    ]
    assert bash_complete("lrm", "tag", "add", "B") == ["Bob"]
    assert bash_complete("lrm", "tag", "add", "Bob", "") == []  # TAG: nothing


def test_bash_passes_db_through(people):
    assert bash_complete("lrm", "--db", str(people), "show", "") == ["Zed Quist"]
    # bash splits --db=VALUE at "=" (COMP_WORDBREAKS)
    assert bash_complete("lrm", "--db", "=", str(people), "show", "") == ["Zed Quist"]


def test_bash_completes_files_for_path_arguments(tmp_path):
    (tmp_path / "backup-1.sqlite3").write_text("")
    assert bash_complete("lrm", "db", "backup", "back", cwd=tmp_path) == ["backup-1.sqlite3"]
    assert bash_complete("lrm", "db", "restore", "back", cwd=tmp_path) == ["backup-1.sqlite3"]
    assert bash_complete("lrm", "--db", "back", cwd=tmp_path) == ["backup-1.sqlite3"]


# ---------------------------------------------------------------------------------------
# A made-up tree: the generator handles what lrm does not (yet) use


def _toy_app() -> typer.Typer:
    app = typer.Typer(
        add_completion=False, context_settings={"help_option_names": ["-h", "--help"]}
    )

    @app.callback()
    def root(
        secret: Annotated[str, typer.Option("--secret", hidden=True)] = "",
        verbose: Annotated[int, typer.Option("--verbose", "-v", count=True)] = 0,
    ) -> None:
        """Toy."""

    outer = typer.Typer(help="Outer group.")
    inner = typer.Typer(help="Inner group.")
    app.add_typer(outer, name="outer")
    outer.add_typer(inner, name="inner")

    @inner.command("meet", help="Meet people.")
    def meet(
        first: Annotated[str, typer.Argument(metavar="CONTACT")],
        where: Annotated[Path, typer.Argument()],
        rest: Annotated[list[str], typer.Argument(metavar="CONTACT...")],
        pin: Annotated[bool, typer.Option("--pin/--no-pin", help="Pin: yes [or] no.")] = False,
        pair: Annotated[tuple[str, str], typer.Option("--pair")] = ("", ""),
    ) -> None: ...

    @app.command("ghost", hidden=True)
    def ghost() -> None: ...

    @app.command("plain")
    def plain(word: str) -> None: ...

    return app


def test_generator_handles_any_tree(tmp_path, people):
    generate = _generate_module()
    levels = generate.collect(typer.main.get_command(_toy_app()))
    by_key = {level.key: level for level in levels}
    assert sorted(by_key) == [
        "lrm",
        "lrm outer",
        "lrm outer inner",
        "lrm outer inner meet",
        "lrm plain",
    ]
    meet = by_key["lrm outer inner meet"]
    assert [p.code for p in meet.positionals] == ["contact", "path", "contact..."]
    assert meet.value_options() == " --pair:2 "
    script = tmp_path / "toy.bash"
    script.write_text(generate.render_bash(levels), encoding="utf-8")
    assert bash_complete("lrm", "", script=script) == ["outer", "plain"]  # not ghost
    assert bash_complete("lrm", "-", script=script) == ["--help", "--verbose", "-h", "-v"]
    assert bash_complete("lrm", "--secret", "s", "outer", "inner", "", script=script) == ["meet"]
    meet_words = ("lrm", "outer", "inner", "meet")
    assert bash_complete(*meet_words, "--", script=script) == [
        "--help",
        "--no-pin",
        "--pair",
        "--pin",
    ]
    assert bash_complete(*meet_words, "Ad", script=script) == ["Ada Lovelace", "Adam Smith"]
    assert bash_complete(*meet_words, "--pair", "a", "b", "B", script=script) == ["Bob"]
    assert bash_complete(*meet_words, "Bob", "zz-none", "Ad", "B", script=script) == ["Bob"]
    assert bash_complete(*meet_words, "--", "-x", "p", "B", script=script) == ["Bob"]
    for text in (generate.render_zsh(levels), generate.render_fish(levels)):
        assert "ghost" not in text and "--secret" in text  # known, never offered
        assert "Pin: yes [or] no." in text


# ---------------------------------------------------------------------------------------
# zsh and fish, when installed

needs_zsh = pytest.mark.skipif(not shutil.which("zsh"), reason="zsh is not installed")
needs_fish = pytest.mark.skipif(not shutil.which("fish"), reason="fish is not installed")


@needs_zsh
def test_zsh_script_parses():
    result = subprocess.run(["zsh", "-n", str(SCRIPTS["zsh"])], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


@needs_fish
def test_fish_script_parses():
    result = subprocess.run(
        ["fish", "--no-execute", str(SCRIPTS["fish"])], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


# zsh's completion widgets only run inside the line editor: stand in for the compsys
# functions the script calls, then call _lrm with words/CURRENT/PREFIX as zsh sets them.
ZSH_PROBE = r"""
compdef() { : }
_describe() { local e; for e in "${(@P)${@[-1]}}"; do print -r -- "${e%%:*}"; done }
_files() { print -r -- '<files>' }
_message() { : }
compset() { : }
_wanted() { shift 3; "$@" }
compadd() { while [[ $1 != -- ]]; do shift; done; shift; print -rl -- "$@" }
source "$1"; shift
words=("$@")
CURRENT=$#
PREFIX=$words[-1]
_lrm
"""


def zsh_complete(*words: str) -> list[str]:
    result = subprocess.run(
        ["zsh", "-f", "-c", ZSH_PROBE, "zsh", str(SCRIPTS["zsh"]), *words],
        capture_output=True,
        text=True,
        env=_env(),
        timeout=60,
    )
    assert not result.stderr, result.stderr
    return [line for line in result.stdout.splitlines() if line]


@needs_zsh
def test_zsh_completes(people):
    assert "tag" in zsh_complete("lrm", "ta")
    assert zsh_complete("lrm", "db", "") == ["backup", "check", "path", "restore"]
    assert {"--recent", "--json"} <= set(zsh_complete("lrm", "show", "--"))
    assert zsh_complete("lrm", "show", "Ad") == ["Ada Lovelace", "Adam Smith"]
    assert zsh_complete("lrm", "show", r"Ada\ L") == ["Ada Lovelace"]
    assert zsh_complete("lrm", "--db", str(people), "show", "") == ["Zed Quist"]
    assert zsh_complete("lrm", f"--db={people}", "show", "") == ["Zed Quist"]
    assert zsh_complete("lrm", "db", "backup", "") == ["<files>"]
    assert zsh_complete("lrm", "note", "Bob", "") == []


def fish_complete(line: str) -> list[str]:
    """``complete -C``: what fish offers for ``line`` (names only, descriptions dropped)."""
    code = f"source {shlex.quote(str(SCRIPTS['fish']))}; complete -C {shlex.quote(line)}"
    result = subprocess.run(
        ["fish", "--no-config", "-c", code],
        capture_output=True,
        text=True,
        env=_env(),
        timeout=60,
    )
    assert not result.stderr, result.stderr
    return [line.split("\t")[0] for line in result.stdout.splitlines() if line]


@needs_fish
def test_fish_completes(people):
    assert fish_complete("lrm ta") == ["tag", "tags"]
    assert fish_complete("lrm ") == _top_level_commands()
    assert fish_complete("lrm db ") == ["backup", "check", "path", "restore"]
    assert {"--recent", "--json", "--help"} <= set(fish_complete("lrm show --"))
    assert fish_complete("lrm show Ad") == ["Ada Lovelace", "Adam Smith"]
    assert fish_complete(r"lrm show Ada\ L") == ["Ada Lovelace"]
    assert fish_complete("lrm log Bob --kind call Ad") == ["Ada Lovelace", "Adam Smith"]
    assert fish_complete(f"lrm --db {people} show ") == ["Zed Quist"]
    assert fish_complete(f"lrm --db={people} show ") == ["Zed Quist"]
    assert fish_complete("lrm note Bob ") == []


# ---------------------------------------------------------------------------------------
# The fast path the scripts call


def _complete(lrm_exe, *args: str, **env: str):
    return subprocess.run(
        [lrm_exe, "__complete", "contacts", *args],
        capture_output=True,
        text=True,
        env=_env(**env),
        timeout=60,
    )


def test_complete_without_a_database_prints_nothing_and_creates_nothing(lrm_exe, isolated):
    missing = isolated / "nowhere" / "lrm.sqlite3"
    result = _complete(lrm_exe, "", LRM_DB=str(missing))
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")
    assert not missing.parent.exists()
    # nor at the default location (no --db, no LRM_DB)
    env = {k: v for k, v in _env().items() if k != "LRM_DB"}
    result = subprocess.run(
        [lrm_exe, "__complete", "contacts", ""],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")
    assert not list((isolated / "home").rglob("*.sqlite3"))


def test_complete_stays_quiet_on_a_broken_config(lrm_exe, isolated):
    (isolated / "config.toml").write_text("db = [\n", encoding="utf-8")
    env = {k: v for k, v in _env().items() if k != "LRM_DB"}
    result = subprocess.run(
        [lrm_exe, "__complete", "contacts", "A"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_complete_reads_a_db_whose_name_looks_like_a_uri(lrm_exe, lrm, db_path, tmp_path):
    lrm("add", "Ada Lovelace")
    odd = tmp_path / "odd#name?.sqlite3"
    shutil.copy(db_path, odd)
    for args in (("Ad", "--db", str(odd)), ("Ad", f"--db={odd}")):
        assert _complete(lrm_exe, *args).stdout == "Ada Lovelace\n"
    assert not (tmp_path / "odd").exists()  # "#" once cut the path (and created a file)


# ---------------------------------------------------------------------------------------
# Fixed values: from the options' declarations (lrm_cli/vocabulary.py), in every shell

KIND_WORDS = {"KIND", "WHO", "FIELD", "FORMAT", "SHELL"}  # metavars of fixed-value parameters


def _levels():
    return {level.key: level for level in _generate_module().load_levels()}


def _choices_of(level, name):
    (option,) = [o for o in level.options if name in o.names]
    return option.choices


def test_fixed_values_come_from_the_vocabularies():
    from lrm_cli.cli.completion import SHELLS
    from lrm_cli.vocabulary import (
        DATE_KINDS,
        DIGEST_FORMATS,
        INITIATORS,
        INTERACTION_KINDS,
        LIST_SORTS,
        RELATIONSHIP_KINDS,
    )

    levels = _levels()
    assert _choices_of(levels["lrm log"], "--kind") == INTERACTION_KINDS
    assert _choices_of(levels["lrm log"], "-i") == INITIATORS
    assert _choices_of(levels["lrm interaction edit"], "--kind") == INTERACTION_KINDS
    assert _choices_of(levels["lrm interaction edit"], "--initiator") == INITIATORS
    assert _choices_of(levels["lrm date add"], "-k") == DATE_KINDS
    assert _choices_of(levels["lrm list"], "--sort") == LIST_SORTS
    assert _choices_of(levels["lrm digest"], "--format") == DIGEST_FORMATS
    assert _choices_of(levels["lrm relate"], "--as") == RELATIONSHIP_KINDS
    assert [p.code for p in levels["lrm completion"].positionals] == ["one-of:" + "|".join(SHELLS)]


def test_every_parameter_of_a_fixed_set_declares_its_values():
    """A new --kind (or any KIND, WHO, FIELD, FORMAT, SHELL) completes its values too."""
    root = typer.main.get_command(build_app())
    generate = _generate_module()

    def walk(command, path):
        for param in command.params:
            word = (param.metavar or "").removesuffix("...")
            if word in KIND_WORDS:
                assert generate._choices(param), f"{path} {param.name}: declare its choices"
        for name, sub in (getattr(command, "commands", None) or {}).items():
            walk(sub, f"{path} {name}")

    walk(root, "lrm")


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        (("lrm", "log", "ada", "--kind", "m"), ["meeting", "meal", "message"]),
        (("lrm", "log", "ada", "-k", "ca"), ["call"]),
        (("lrm", "log", "ada", "--kind=me"), ["meeting", "meal", "message"]),
        (("lrm", "log", "ada", "--initiator", ""), ["me", "them", "mutual"]),
        (("lrm", "interaction", "edit", "1", "-i", "t"), ["them"]),
        (("lrm", "list", "--sort", ""), ["name", "created", "updated", "last-contact", "id"]),
        (("lrm", "digest", "--format", ""), ["text", "markdown", "json"]),
        (("lrm", "digest", "-f", "m"), ["markdown"]),
        (("lrm", "relate", "a", "b", "--as", "intro"), ["introduced_by"]),
        (("lrm", "date", "add", "a", "--kind", ""), ["anniversary", "custom"]),
        (("lrm", "completion", ""), ["bash", "zsh", "fish"]),
        (("lrm", "completion", "z"), ["zsh"]),
        (("lrm", "log", "ada", "--summary", ""), []),  # free text: nothing
    ],
)
def test_bash_completes_fixed_values(words, expected):
    assert bash_complete(*words) == expected


@needs_zsh
def test_zsh_completes_fixed_values():
    # the probe's compadd prints every value; zsh itself keeps those matching PREFIX
    kinds = zsh_complete("lrm", "log", "ada", "--kind", "")
    assert tuple(kinds) == __import__("lrm_cli.vocabulary").vocabulary.INTERACTION_KINDS
    assert zsh_complete("lrm", "list", "--sort", "") == [
        "name", "created", "updated", "last-contact", "id"
    ]  # fmt: skip
    assert zsh_complete("lrm", "digest", "--format=") == ["text", "markdown", "json"]
    assert zsh_complete("lrm", "completion", "") == ["bash", "zsh", "fish"]
    assert zsh_complete("lrm", "log", "ada", "--summary", "") == []


@needs_fish
def test_fish_completes_fixed_values():
    assert fish_complete("lrm log ada --kind m") == ["meal", "meeting", "message"]
    assert fish_complete("lrm log ada -i ") == ["me", "mutual", "them"]
    assert fish_complete("lrm relate a b --as intro") == ["introduced_by"]
    assert fish_complete("lrm digest --format=ma") == ["--format=markdown"]
    assert fish_complete("lrm completion ") == ["bash", "fish", "zsh"]
    assert fish_complete("lrm list --sort l") == ["last-contact"]


# ---------------------------------------------------------------------------------------
# lrm completion SHELL: the script, from the tool itself


@pytest.mark.parametrize("shell", sorted(SCRIPTS))
def test_lrm_completion_prints_the_script(shell, lrm, lrm_exe):
    committed = SCRIPTS[shell].read_text(encoding="utf-8")
    printed = subprocess.run(
        [lrm_exe, "completion", shell], capture_output=True, text=True, env=_env(), timeout=60
    )
    assert printed.returncode == 0 and printed.stderr == ""
    assert printed.stdout == committed
    typer_path = lrm("completion", shell)  # the Typer command says the same
    assert typer_path.exit_code == 0 and typer_path.stdout == committed


def test_lrm_completion_skips_typer():
    """A shell start-up file may run it every time: it never imports Typer."""
    code = (
        "import sys; sys.argv = ['lrm', 'completion', 'bash']\n"
        "from lrm_cli.cli.entry import main; main()\n"
        "print('typer' in sys.modules, file=sys.stderr)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stderr.strip() == "False" and result.stdout.startswith("# bash completion")


def test_lrm_completion_says_how_to_install_and_refuses_other_shells(lrm):
    help_text = lrm("completion", "--help").stdout
    for line in (
        "lrm completion bash > ~/.local/share/bash-completion/completions/lrm",
        'eval "$(lrm completion bash)"',
        "lrm completion zsh > ~/.zfunc/_lrm",
        "lrm completion fish > ~/.config/fish/completions/lrm.fish",
    ):
        assert line in help_text
    refused = lrm("completion", "tcsh")
    assert refused.exit_code == 5 and refused.stdout == ""  # as an unknown --kind is
    assert "no completion script for 'tcsh'" in refused.stderr


@needs_zsh
def test_zsh_accepts_the_script_through_eval():
    """``eval "$(lrm completion zsh)"`` after compinit registers _lrm."""
    code = (
        'autoload -Uz compinit && compinit -u -d "$1/zcompdump"; '
        'eval "$(lrm completion zsh)"; print -r -- ${_comps[lrm]}'
    )
    result = subprocess.run(
        ["zsh", "-f", "-c", code, "zsh", str(Path(os.environ["HOME"]))],
        capture_output=True,
        text=True,
        env=_env(),
        timeout=60,
    )
    assert result.stdout.strip() == "_lrm", result.stderr


def test_bash_accepts_the_script_through_eval():
    code = 'eval "$(lrm completion bash)"; complete -p lrm'
    result = subprocess.run(
        ["bash", "-c", code], capture_output=True, text=True, env=_env(), timeout=60
    )
    assert result.stdout.strip() == "complete -F _lrm lrm", result.stderr
