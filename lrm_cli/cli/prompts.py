"""Confirmation prompts: one way for every command that asks before it destroys something
(forget, merge, db restore).

``--yes`` skips the question; without a terminal to ask at, the command refuses (exit 5)
rather than guess; a "no" is a decision, not a failure: ``Declined`` ends the command
with "nothing changed" and exit 0 (cli/failure.py).
"""

from __future__ import annotations

import sys

from lrm_cli.errors import Declined, InvalidInput


def interactive() -> bool:
    """Whether a person can answer a prompt (stdin is a terminal)."""
    return sys.stdin.isatty()


def confirm(question: str, *, yes: bool, refusal: str) -> None:
    """Go on when ``yes`` or when the person answers yes; ``refusal`` is the error (exit 5)
    when there is nobody to ask. The question goes to stderr: stdout stays for the result."""
    if yes:
        return
    if not interactive():
        raise InvalidInput(refusal, hint="pass --yes")
    import typer

    from lrm_cli.render.output import escape

    if not typer.confirm(escape(question), err=True):  # it names people: data
        raise Declined
