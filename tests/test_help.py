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
    assert {"add", "edit", "list", "show", "tag add", "tag rm", "archive", "unarchive",
            "forget", "note", "log", "timeline", "relate", "date add", "db path",
            "db backup", "db restore", "demo"} <= names


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
