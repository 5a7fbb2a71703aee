"""`lrm import json` and `lrm export json`: the whole database as one JSON document."""

from __future__ import annotations

from typing import Annotated

import typer

from lrm_cli.cli.errors import handle_errors
from lrm_cli.cli.options import JsonOpt
from lrm_cli.cli.state import Run
from lrm_cli.words import tally

Out = Annotated[
    str | None,
    typer.Option("--out", "-o", metavar="FILE", help="Write to this file (- or nothing: stdout)."),
]
Source = Annotated[
    str, typer.Argument(metavar="FILE", help="An lrm JSON export, or - for standard input.")
]
Merge = Annotated[
    bool,
    typer.Option(
        "--merge",
        help="Add to a non-empty database: match contacts by uid, skip what is already there.",
    ),
]


def register(import_app: typer.Typer, export_app: typer.Typer) -> None:
    @export_app.command("json")
    @handle_errors
    def export_json(ctx: typer.Context, out: Out = None, json_output: JsonOpt = False) -> None:
        """Export the whole database (contacts, tags, interactions, notes, reminders...)
        as one JSON document; `lrm import json` restores it into an empty database.

        The document is written to stdout unless --out is given; with --out and --json a
        summary {path, schema, counts} is printed instead.

        Example: lrm export json --out lrm-backup.json
        """
        from lrm_cli.cli.exports import export_json_command

        export_json_command(Run.of(ctx, json_output), out=out)

    @import_app.command("json")
    @handle_errors
    def import_json(
        ctx: typer.Context, source: Source, merge: Merge = False, json_output: JsonOpt = False
    ) -> None:
        """Restore an `lrm export json` document into an empty database, exactly.

        A non-empty database is refused unless --merge: then contacts are matched by uid and
        merged like `lrm merge` (nothing is lost), and interactions, reminders (by uid) and
        notes (by content) already present are skipped. The file is checked completely
        first, and everything is imported in one transaction, or nothing is.

        Example: lrm import json lrm-backup.json
        """
        from lrm_cli.services import json_io

        run = Run.of(ctx, json_output)
        with json_io.open_source(source) as (raw, name):
            report = json_io.import_stream(run.db, raw, name, run.clock, run.scheduler, merge=merge)

        def human(o) -> None:
            line = f"imported from {report.source}: created {tally(report.created)}"
            if any(report.updated.values()):
                line += f"; updated {tally(report.updated)}"
            if any(report.skipped.values()):
                line += f"; skipped (already there) {tally(report.skipped)}"
            o.line(line)

        run.out.emit(report.as_json(), human)
