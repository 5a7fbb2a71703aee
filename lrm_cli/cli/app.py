"""The root command: global options, wiring of the command modules, and ``main()``.

``main`` answers ``--version`` and shell completion of contact names without importing
Typer at all: both run on every keystroke or in scripts and must start fast.
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from lrm_cli import __version__
from lrm_cli.cli import admin, contacts, interactions, relations
from lrm_cli.cli.state import Run

HELP = """A local-first personal relationship manager.

Keeps a record of the people you know and what happened between you, in one local
SQLite file.

Example: lrm add "Ada Lovelace" --email ada@example.org --tag mentors --cadence 30d
"""


def _version(value: bool) -> None:
    if value:
        print(f"lrm {__version__}")
        raise typer.Exit()


def build_app() -> typer.Typer:
    app = typer.Typer(
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
            typer.Option("--db", help="Database file (else $LRM_DB, else the user data folder)."),
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

    contacts.register(app)
    interactions.register(app)
    relations.register(app)
    admin.register(app)
    return app


def main() -> None:
    argv = sys.argv[1:]
    if argv in (["--version"], ["-V"]):
        print(f"lrm {__version__}")
        return
    if argv[:1] == ["__complete"]:
        from lrm_cli.cli.complete import complete_contacts

        raise SystemExit(complete_contacts(argv[1:]))
    build_app()(prog_name="lrm")
