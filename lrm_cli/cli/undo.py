"""`lrm undo`: revert the last change; `--list` shows what can be undone."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from lrm_cli.cli import prompts
from lrm_cli.cli.errors import handle_errors
from lrm_cli.cli.options import JsonOpt, YesOpt
from lrm_cli.cli.state import Run
from lrm_cli.domain import InvalidInput
from lrm_cli.words import plural

if TYPE_CHECKING:
    from lrm_cli.services.undo import Purged


def warn_purged(run: Run, purged: Purged) -> None:
    """What emptying the history could not reach, on stderr."""
    if not purged.log_emptied:
        run.out.warn(
            "another process has the database open: old pages stay in its write-ahead log "
            f"({run.db.path.name}-wal) until that process closes it"
        )
    if purged.copies_left:
        run.out.warn(
            f"{plural(len(purged.copies_left), 'older copy')} of the database may still hold "
            f"what was deleted (delete what you no longer need): {'; '.join(purged.copies_left)}"
        )


def register(app: typer.Typer, tag_app: typer.Typer) -> None:
    @app.command(rich_help_panel="History")
    @handle_errors
    def undo(
        ctx: typer.Context,
        change: Annotated[
            int | None,
            typer.Argument(
                metavar="ID",
                min=1,
                show_default=False,
                help="Undo this change alone (its ID in --list), not the last one; refused "
                "when a later change wrote the same records.",
            ),
        ] = None,
        list_: Annotated[
            bool, typer.Option("--list", "-l", help="Show what can be undone, newest first.")
        ] = False,
        limit: Annotated[
            int, typer.Option("--limit", "-n", metavar="N", min=1, help="With --list: how many.")
        ] = 10,
        clear: Annotated[
            bool,
            typer.Option(
                "--clear",
                help="Empty the undo history instead: nothing can be undone after it, and "
                "what was deleted keeps no copy in the database file. Asks first (--yes).",
            ),
        ] = False,
        yes: YesOpt = False,
        json_output: JsonOpt = False,
    ) -> None:
        """Revert the last change (everything one command wrote); repeat to go further back.

        Any write can be undone: add, edit, log, note, forget, merge, import, sync, tag, and
        every other command that changes something. The history keeps what was deleted
        (to put it back) for the last 200 changes; --clear empties it. A slip found later
        (a wrong merge) is undone alone by its ID, leaving what came since.
        Example: lrm undo --list; lrm undo 7
        """
        from lrm_cli.services.undo import (
            DONE,
            clear_history,
            recent_changes,
            undo_change,
            undo_last,
        )

        run = Run.of(ctx, json_output)
        zone = run.clock.zone
        if change is not None and (clear or list_):
            raise InvalidInput(f"an ID and {'--clear' if clear else '--list'} go separately")
        if clear:
            if list_:
                raise InvalidInput("--clear and --list go separately")
            prompts.confirm(
                "Empty the undo history? Nothing done so far can be undone after it.",
                yes=yes,
                refusal="refusing to empty the undo history without --yes when not at a terminal",
            )
            purged = clear_history(run.db)
            run.out.emit(purged.as_json(), lambda out: out.line(purged.summary()))
            warn_purged(run, purged)
            return
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
        if change is None:
            done = undo_last(run.db, run.scheduler, zone)
        else:
            done = undo_change(run.db, run.scheduler, zone, change, run.clock.timestamp)
        run.out.emit(
            done.as_json(zone),
            lambda out: out.line(
                f"undid #{done.change.id} ({done.change.command}): " + ", ".join(done.parts())
            ),
        )
