"""`lrm export ics`."""

from __future__ import annotations

from typing import Annotated

import typer

from lrm_cli.cli.errors import handle_errors
from lrm_cli.cli.options import JsonOpt
from lrm_cli.cli.state import Run

Out = Annotated[
    str | None,
    typer.Option("--out", "-o", metavar="FILE", help="Write to this file (- or nothing: stdout)."),
]
Vdir = Annotated[
    str | None,
    typer.Option("--vdir", metavar="DIR", help="Write one UID.ics per item into this folder."),
]
Events = Annotated[
    bool,
    typer.Option("--events", help="Reconnects and reminders as events instead of to-dos."),
]


def register(import_app: typer.Typer, export_app: typer.Typer) -> None:
    @export_app.command("ics")
    @handle_errors
    def export_ics(
        ctx: typer.Context,
        out: Out = None,
        vdir: Vdir = None,
        events: Events = False,
        json_output: JsonOpt = False,
    ) -> None:
        """Export birthdays, anniversaries, reconnects and reminders as iCalendar.

        Yearly dates become all-day yearly events; each tracked contact's next reconnect
        date and each open reminder become to-dos (events with --events), each with an
        alarm at the lead time set under [calendar] in config.toml. Exporting an
        unchanged database gives the same bytes, so calendars update their items instead
        of duplicating them. In a vdir, lrm-*.ics files of items that no longer exist
        are removed.

        Example: lrm export ics --vdir ~/.calendars/lrm
        """
        from lrm_cli.cli.exports import export_ics_command

        export_ics_command(Run.of(ctx, json_output), out=out, vdir=vdir, events=events)
