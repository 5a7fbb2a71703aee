"""Options and arguments shared by several commands, and the conventions every option
follows (tests/test_conventions.py walks the tree for them):

- a metavar that says what to type: ``N``, ``DATE``, ``DURATION``, ``TEXT``, ``CONTACT``,
  ``EMAIL``... (a DATE takes every form of lrm_cli/dates.py, a DURATION 30d, 2w, 3m, 1y
  or a number of days);
- a short flag means one thing in every command (the table is in README's "Use it");
- an option taking one of a fixed set of values lists them with ``one_of`` and declares
  them with ``choices``, from which the completion scripts complete them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Annotated, Any

import typer


def one_of(values: Sequence[str]) -> str:
    """``a, b or c``"""
    return ", ".join(values[:-1]) + f" or {values[-1]}" if len(values) > 1 else values[0]


def choices(values: Sequence[str]) -> Callable[[str], list[str]]:
    """The ``autocompletion`` of an option taking one of ``values``: completions/generate.py
    asks each option for it, so the scripts complete the same values lrm accepts."""

    def complete(incomplete: str) -> list[str]:
        return [value for value in values if value.startswith(incomplete)]

    return complete


def parse_record_id(text: str) -> int | None:
    """An id as lrm prints it, ``12`` or ``#12`` (the digest says "reminder #12": ``lrm
    done "#12"`` is the same as ``lrm done 12``); None for anything else."""
    digits = text.strip().removeprefix("#")
    return int(digits) if digits.isascii() and digits.isdigit() else None


def not_an_id(text: str) -> str:
    return f"must be a number such as 12 or #12, got {text!r}"


def record_id(text: str) -> int:
    """``parse_record_id`` as Typer's parser of an ID argument."""
    found = parse_record_id(text)
    if found is None:
        raise typer.BadParameter(not_an_id(text))
    return found


def id_argument(help_text: str) -> Any:
    """The ID argument of a command that fixes one record (``record_id``)."""
    return typer.Argument(metavar="ID", parser=record_id, help=help_text)


JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON (the shape is in docs/json.md).")]
ContactArg = Annotated[
    str, typer.Argument(metavar="CONTACT", help="An id, uid, exact name or unique name prefix.")
]
ContactsArg = Annotated[list[str], typer.Argument(metavar="CONTACT", help="One or more contacts.")]
YesOpt = Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")]
LimitOpt = Annotated[
    int | None, typer.Option("--limit", "-n", metavar="N", min=1, help="Show at most N.")
]
