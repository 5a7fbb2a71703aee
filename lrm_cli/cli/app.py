"""The root command: global options and the wiring of the command modules.

Building a Typer command costs a few milliseconds (its signature is analysed), so ``run``
registers only the module that owns the command being invoked (``COMMANDS``); ``--help``,
an unknown command, or shell-completion generation build the whole tree.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterable
from typing import Annotated

import typer

from lrm_cli import __version__
from lrm_cli.cli.state import Run

# Which module registers each top-level command (a test checks this against the tree).
MODULES = (
    "contacts",
    "schedule",
    "interactions",
    "relations",
    "admin",
    "io",
    "merge",
    "sync",
    "corrections",
    "undo",
    "search",
    "completion",
)
COMMANDS: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(
        ("add", "edit", "list", "show", "archive", "unarchive", "forget"), ("contacts",)
    ),
    "tag": ("contacts", "schedule"),
    **dict.fromkeys(("note", "log", "timeline"), ("interactions",)),
    **dict.fromkeys(("relate", "date"), ("relations",)),
    **dict.fromkeys(("db", "demo"), ("admin",)),
    **dict.fromkeys(("import", "export"), ("io",)),
    **dict.fromkeys(("dupes", "merge"), ("merge",)),
    "sync": ("sync",),
    **dict.fromkeys(("interaction", "reminder"), ("corrections",)),
    "undo": ("undo",),
    "search": ("search",),
    "completion": ("completion",),
    **dict.fromkeys(
        (
            "cadence",
            "tags",
            "due",
            "balance",
            "drift",
            "losing-touch",
            "upcoming",
            "remind",
            "reminders",
            "done",
            "snooze",
            "digest",
        ),
        ("schedule",),
    ),
}
GLOBAL_OPTIONS_WITH_VALUE = {"--db", "--today"}

HELP = """A local-first personal relationship manager.

Keeps a record of the people you know and what happened between you, in one local
SQLite file.

Example: lrm add "Ada Lovelace" --email ada@example.org --tag mentors --cadence 30d
"""


def _version(value: bool) -> None:
    if value:
        print(f"lrm {__version__}")
        raise typer.Exit()


def build_app(
    modules: Iterable[str] = MODULES, *, rich_help: bool = True, only: str | None = None
) -> typer.Typer:
    """The command tree; with ``only``, just that top-level command (the others would be
    analysed by Typer for nothing: a few milliseconds each)."""
    from lrm_cli.cli.plain_text import take_text_as_given
    from lrm_cli.cli.root import LrmGroup

    take_text_as_given()  # no pydantic for text options (~100 ms)

    app = typer.Typer(
        cls=LrmGroup,  # global options anywhere; usage errors in lrm's words
        suggest_commands=False,  # LrmGroup suggests only a real near-miss
        rich_markup_mode="rich" if rich_help else None,
        name="lrm",
        help=HELP,
        no_args_is_help=True,
        add_completion=False,  # lrm ships its own scripts in completions/
        pretty_exceptions_enable=False,  # errors are handled in cli/errors.py
        context_settings={"help_option_names": ["-h", "--help"]},
    )

    @app.callback()
    def root(
        ctx: typer.Context,
        db: Annotated[
            str | None,
            typer.Option(
                "--db",
                metavar="FILE",
                help="Database file (else $LRM_DB, else the user data folder).",
            ),
        ] = None,
        json_output: Annotated[
            bool, typer.Option("--json", help="JSON output for every command.")
        ] = False,
        no_color: Annotated[bool, typer.Option("--no-color", help="No colour.")] = False,
        debug: Annotated[bool, typer.Option("--debug", help="Tracebacks on errors.")] = False,
        today: Annotated[
            str | None,
            typer.Option(
                "--today", envvar="LRM_TODAY", hidden=True, help="Pretend today is this date."
            ),
        ] = None,
        version: Annotated[
            bool,
            typer.Option(
                "--version", "-V", callback=_version, is_eager=True, help="Show the version."
            ),
        ] = False,
    ) -> None:
        ctx.obj = Run(db_flag=db, json=json_output, no_color=no_color, debug=debug, today=today)

    tag_app = typer.Typer(help="Tags: add, remove, default cadence.", no_args_is_help=True)
    app.add_typer(tag_app, name="tag", rich_help_panel="Contacts")
    for name in MODULES:
        if name in modules:
            importlib.import_module(f"lrm_cli.cli.{name}").register(app, tag_app)
    if only is not None:
        app.registered_commands = [c for c in app.registered_commands if _name(c) == only]
        app.registered_groups = [g for g in app.registered_groups if g.name == only]
    from lrm_cli.cli.helpfmt import use_lrm_help

    use_lrm_help(app)  # help pages written by lrm (cli/helpfmt.py says why)
    return app


def _name(command) -> str:
    return command.name or command.callback.__name__.replace("_", "-")


def command_of(argv: list[str]) -> str | None:
    """The top-level command named in ``argv``, skipping global options."""
    skip = False
    for arg in argv:
        if skip:
            skip = False
        elif arg in GLOBAL_OPTIONS_WITH_VALUE:
            skip = True
        elif not arg.startswith("-"):
            return arg
    return None


def run(argv: list[str]) -> None:
    from lrm_cli.cli import state

    state.ARGV = argv
    command = command_of(argv)
    known = command in COMMANDS
    modules = COMMANDS[command] if known else MODULES
    # rich help panels for a person at a terminal; plain, fast help when piped
    app = build_app(modules, rich_help=sys.stdout.isatty(), only=command if known else None)
    app(args=argv, prog_name="lrm")


def main() -> None:
    from lrm_cli.cli.entry import main as entry_main

    entry_main()
