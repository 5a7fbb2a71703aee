"""`lrm export ics`."""

from __future__ import annotations

from typing import Annotated

import typer

from lrm_cli.cli.errors import handle_errors
from lrm_cli.cli.options import JsonOpt
from lrm_cli.cli.state import Run
from lrm_cli.words import plural

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
        from lrm_cli.errors import InvalidInput
        from lrm_cli.services import ics_export

        run = Run.of(ctx, json_output)
        if run.out.is_json and not (vdir or (out and out != "-")):
            raise InvalidInput("--json needs --out FILE or --vdir DIR (stdout holds the calendar)")
        settings = ics_export.CalendarSettings.from_mapping(run.config.section("calendar"))
        result = ics_export.export_ics(
            run.db,
            zone=run.clock.zone,
            today=run.clock.today,
            scheduler_settings=run.scheduler,
            settings=settings,
            events=events,
            out=out,
            folder=vdir,
        )
        if result.path is None:
            return
        removed = f", {result.removed} removed" if result.removed else ""
        run.out.emit(
            result.as_json(),
            lambda o: o.info(
                f"{plural(result.items, 'item')} to {result.path}: {result.written} written, "
                f"{result.unchanged} unchanged{removed}"
            ),
        )
