"""Options and arguments shared by several commands."""

from __future__ import annotations

from typing import Annotated

import typer

JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON (the shape is in docs/json.md).")]
ContactArg = Annotated[
    str, typer.Argument(metavar="CONTACT", help="An id, uid, exact name or unique name prefix.")
]
ContactsArg = Annotated[list[str], typer.Argument(metavar="CONTACT", help="One or more contacts.")]
YesOpt = Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")]
