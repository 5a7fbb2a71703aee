"""`lrm undo`: revert the last change; `--list` shows what can be undone."""

from __future__ import annotations

from typing import Annotated

import typer

from lrm_cli.cli.errors import handle_errors
from lrm_cli.cli.options import JsonOpt
from lrm_cli.cli.state import Run


def register(app: typer.Typer, tag_app: typer.Typer) -> None:
    @app.command(rich_help_panel="History")
    @handle_errors
    def undo(
        ctx: typer.Context,
        list_: Annotated[
            bool, typer.Option("--list", "-l", help="Show what can be undone, newest first.")
        ] = False,
        limit: Annotated[
            int, typer.Option("--limit", "-n", metavar="N", min=1, help="With --list: how many.")
        ] = 10,
        json_output: JsonOpt = False,
    ) -> None:
        """Revert the last change (everything one command wrote); repeat to go further back.

        Any write can be undone: add, edit, log, note, forget, merge, import, sync, tag, and
        every other command that changes something.
        Example: lrm undo --list
        """
        from lrm_cli.services.undo import DONE, recent_changes, undo_last

        run = Run.of(ctx, json_output)
        zone = run.clock.zone
        if list_:
            items = recent_changes(run.db, limit)
            run.out.emit(
                [u.as_json(zone) for u in items],
                lambda out: out.table(
                    ["ID", "WHEN", "COMMAND", "CHANGED"],
                    [
                        [
                            str(u.change.id),
                            u.as_json(zone)["at"] or "",
                            u.change.command,
                            ", ".join(u.parts(DONE)),
                        ]
                        for u in items
                    ],
                    empty="nothing to undo",
                ),
            )
            return
        done = undo_last(run.db, run.scheduler, run.clock.zone)
        run.out.emit(
            done.as_json(zone),
            lambda out: out.line(
                f"undid #{done.change.id} ({done.change.command}): " + ", ".join(done.parts())
            ),
        )
