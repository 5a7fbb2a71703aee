"""Commands that fix slips: interaction edit/rm, reminder edit/rm (note edit/rm live with
`note`, relate --rm with `relate`, undo in cli/undo.py)."""

from __future__ import annotations

from typing import Annotated

import typer

from lrm_cli import shapes
from lrm_cli.cli.errors import handle_errors
from lrm_cli.cli.options import JsonOpt, choices, id_argument, one_of
from lrm_cli.cli.state import Run
from lrm_cli.render import views
from lrm_cli.vocabulary import INITIATORS, INTERACTION_KINDS
from lrm_cli.words import no_changes

InteractionId = Annotated[int, id_argument("The interaction's id (lrm timeline shows it).")]
ReminderId = Annotated[int, id_argument("The reminder's id (lrm reminders shows it).")]


def register(app: typer.Typer, tag_app: typer.Typer) -> None:
    interaction_app = typer.Typer(
        help="Change or delete a logged interaction.", no_args_is_help=True
    )
    app.add_typer(interaction_app, name="interaction", rich_help_panel="History")
    reminder_app = typer.Typer(
        help="Reschedule, change or delete a reminder.", no_args_is_help=True
    )
    app.add_typer(reminder_app, name="reminder", rich_help_panel="Rhythm")

    @interaction_app.command("edit")
    @handle_errors
    def interaction_edit(
        ctx: typer.Context,
        interaction_id: InteractionId,
        when: Annotated[
            str | None,
            typer.Option("--when", "-w", metavar="DATE", help="When it happened."),
        ] = None,
        kind: Annotated[
            str | None,
            typer.Option(
                "--kind",
                "--channel",
                "-k",
                metavar="KIND",
                autocompletion=choices(INTERACTION_KINDS),
                help=f"The kind or channel: {one_of(INTERACTION_KINDS)}.",
            ),
        ] = None,
        initiator: Annotated[
            str | None,
            typer.Option(
                "--initiator",
                "-i",
                metavar="WHO",
                autocompletion=choices(INITIATORS),
                help=f"Who reached out or gave: {one_of(INITIATORS)}.",
            ),
        ] = None,
        summary: Annotated[
            str | None,
            typer.Option("--summary", "-s", metavar="TEXT", help="What happened ('' clears)."),
        ] = None,
        sentiment: Annotated[
            str | None,
            typer.Option("--sentiment", metavar="N", help="How it felt, -2..+2 ('' clears)."),
        ] = None,
        weight: Annotated[
            str | None,
            typer.Option("--weight", metavar="N", help="Balance weight ('' uses the kind's)."),
        ] = None,
        add: Annotated[
            list[str] | None,
            typer.Option("--add", metavar="CONTACT", help="Add someone who was there."),
        ] = None,
        remove: Annotated[
            list[str] | None,
            typer.Option("--remove", metavar="CONTACT", help="Remove someone logged by mistake."),
        ] = None,
        future: Annotated[
            bool, typer.Option("--future", help="Allow a day after today, up to a year.")
        ] = False,
        json_output: JsonOpt = False,
    ) -> None:
        """Change a logged interaction: when, kind, who started it, summary, who was there.

        The balance, due dates and statistics of everyone involved are recomputed.

        A plan still ahead (lrm log --future) is moved without --future, and its --when
        reads as a plan's: "saturday" is the coming one (give a date or "yesterday" to
        say it already happened).

        Example: lrm interaction edit 42 --when "last tuesday" --initiator them
        """
        from lrm_cli.services.corrections import InteractionEdit, edit_interaction

        run = Run.of(ctx, json_output)
        edit = InteractionEdit(
            when=when,
            kind=kind,
            initiator=initiator,
            summary=summary,
            sentiment=sentiment,
            weight=weight,
            add=add or [],
            remove=remove or [],
            future=future,
        )
        saved, changed = edit_interaction(run.db, interaction_id, edit, run.clock, run.scheduler)
        zone = run.clock.zone
        run.out.emit_saved(
            shapes.interaction(saved, zone),
            changed,
            lambda out: out.line("changed " + views.interaction_line(saved, zone, out)),
            no_changes(f"interaction #{saved.id}"),
        )

    @interaction_app.command("rm")
    @handle_errors
    def interaction_rm(
        ctx: typer.Context, interaction_id: InteractionId, json_output: JsonOpt = False
    ) -> None:
        """Delete a logged interaction (lrm undo brings it back).

        Example: lrm interaction rm 42
        """
        from lrm_cli.services.corrections import remove_interaction

        run = Run.of(ctx, json_output)
        gone = remove_interaction(run.db, interaction_id, run.clock, run.scheduler)
        zone = run.clock.zone
        run.out.emit(
            shapes.interaction(gone, zone),
            lambda out: out.line("deleted " + views.interaction_line(gone, zone, out)),
        )

    @reminder_app.command("edit")
    @handle_errors
    def reminder_edit(
        ctx: typer.Context,
        reminder_id: ReminderId,
        on: Annotated[
            str | None,
            typer.Option("--on", metavar="DATE", help="Reschedule: 'next friday', 2026-12-24, 2w."),
        ] = None,
        title: Annotated[
            str | None, typer.Option("--title", metavar="TEXT", help="What to do.")
        ] = None,
        every: Annotated[
            str | None,
            typer.Option("--every", metavar="DURATION", help="Repeat: 2w, 3m; 'never' stops."),
        ] = None,
        contact: Annotated[
            str | None,
            typer.Option("--contact", metavar="CONTACT", help="Who it is about ('-': nobody)."),
        ] = None,
        reopen: Annotated[
            bool,
            typer.Option("--reopen", help="Open a done reminder again (--on does too)."),
        ] = False,
        json_output: JsonOpt = False,
    ) -> None:
        """Reschedule or change a reminder, or open a done one again.

        Example: lrm reminder edit 3 --on "in 2 weeks"
        """
        from lrm_cli.render.digest import reminder_saved_line
        from lrm_cli.services.corrections import edit_reminder
        from lrm_cli.services.schedule import Reminder

        run = Run.of(ctx, json_output)
        row, changed = edit_reminder(
            run.db,
            reminder_id,
            run.clock,
            title=title,
            on=on,
            every=every,
            contact=contact,
            reopen=reopen,
        )
        saved = Reminder(row, run.clock.today)
        run.out.emit_saved(
            saved.as_json(),
            changed,
            lambda out: out.line(reminder_saved_line(saved.as_json())),
            no_changes(f"reminder #{row.id}"),
        )

    @reminder_app.command("rm")
    @handle_errors
    def reminder_rm(ctx: typer.Context, reminder_id: ReminderId, json_output: JsonOpt = False):
        """Delete a reminder (lrm done marks one done instead).

        Example: lrm reminder rm 3
        """
        from lrm_cli.services.corrections import remove_reminder
        from lrm_cli.services.schedule import Reminder

        run = Run.of(ctx, json_output)
        row = remove_reminder(run.db, reminder_id)
        gone = Reminder(row, run.clock.today)
        run.out.emit(
            gone.as_json(), lambda out: out.line(f"deleted reminder #{row.id}: {row.title}")
        )
