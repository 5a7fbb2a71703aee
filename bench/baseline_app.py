"""B: a minimal Typer program, the yardstick every lrm figure is divided by.

    python bench/baseline_app.py hello

One trivial command under an (empty) root callback, so that Typer builds a command group
and dispatches on the subcommand name as lrm does. What it measures is the interpreter
start-up plus importing Typer and running one command through it: the cost any Typer CLI
pays, and the floor a Typer-based lrm command is compared with.
"""

from __future__ import annotations

import typer

app = typer.Typer(add_completion=False)


@app.callback()
def root() -> None:
    """A baseline Typer app."""


@app.command()
def hello() -> None:
    """Print a line."""
    print("hello")


if __name__ == "__main__":
    app()
