"""Every command documents itself: help text with an example, reachable with --help."""

from __future__ import annotations

import pytest
import typer

from lrm_cli.cli.app import build_app


def _commands(group, path=()):
    for name, command in sorted(group.commands.items()):
        if command.hidden:
            continue
        yield (*path, name), command
        if hasattr(command, "commands"):
            yield from _commands(command, (*path, name))


COMMANDS = list(_commands(typer.main.get_command(build_app())))


def test_the_tree_has_the_core_commands():
    names = {" ".join(path) for path, _ in COMMANDS}
    assert {
        "add",
        "edit",
        "list",
        "show",
        "tag add",
        "tag rm",
        "archive",
        "unarchive",
        "forget",
        "note",
        "log",
        "timeline",
        "relate",
        "date add",
        "db path",
        "db backup",
        "db restore",
        "demo",
    } <= names


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=[" ".join(p) for p, _ in COMMANDS])
def test_every_command_has_help_with_an_example(lrm, path, command):
    if hasattr(command, "commands"):
        assert command.help, path
        return
    assert "Example: lrm " in (command.help or ""), f"lrm {' '.join(path)} has no example"
    result = lrm(*path, "--help")
    assert result.exit_code == 0
    assert "Example: lrm" in result.stdout


def test_root_help_has_an_example(lrm):
    result = lrm("--help")
    assert result.exit_code == 0 and "Example: lrm add" in result.stdout


def test_usage_errors_exit_2(lrm):
    assert lrm("add").exit_code == 2
    assert lrm("list", "--bogus").exit_code == 2
    assert lrm("frobnicate").exit_code == 2


def test_every_top_level_command_is_mapped_to_its_module():
    """`run` registers only the module of the invoked command (lrm_cli/cli/app.py COMMANDS);
    a command missing from the map would still work but start slower, a wrong map breaks."""
    from lrm_cli.cli.app import COMMANDS as MODULE_OF
    from lrm_cli.cli.app import command_of

    top = {path[0] for path, _ in COMMANDS if len(path) == 1}
    assert top == set(MODULE_OF)
    for name, modules in MODULE_OF.items():
        tree = typer.main.get_command(build_app(modules, only=name))
        assert set(tree.commands) == {name}, name
    assert command_of(["--db", "list", "show", "ada"]) == "show"
    assert command_of(["--json", "--today", "2026-01-01", "due"]) == "due"
    assert command_of(["--help"]) is None
