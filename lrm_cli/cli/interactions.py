"""Commands about what happens between you and people: note, log, timeline."""

from __future__ import annotations

from typing import Annotated

import typer

from lrm_cli import shapes
from lrm_cli.cli.errors import handle_errors
from lrm_cli.cli.options import ContactArg, ContactsArg, JsonOpt
from lrm_cli.cli.state import Run
from lrm_cli.render import views


def register(app: typer.Typer, tag_app: typer.Typer) -> None:
    @app.command(rich_help_panel="History")
    @handle_errors
    def note(
        ctx: typer.Context,
        contact: ContactArg,
        text: Annotated[str, typer.Argument(help="The note.")],
        pin: Annotated[bool, typer.Option("--pin", help="Keep it at the top of `show`.")] = False,
        json_output: JsonOpt = False,
    ) -> None:
        """Write a note about a contact.

        Example: lrm note ada "Prefers email to calls" --pin
        """
        from lrm_cli.services.records import add_note

        run = Run.of(ctx, json_output)
        saved = add_note(run.db, contact, text, run.clock, pinned=pin)
        zone = run.clock.zone
        run.out.emit(shapes.note(saved, zone), lambda out: out.line(f"noted #{saved.id}"))

    @app.command(rich_help_panel="History")
    @handle_errors
    def log(
        ctx: typer.Context,
        contacts: ContactsArg,
        kind: Annotated[
            str,
            typer.Option(
                "--kind",
                "-k",
                help="call, video, meeting, meal, message, email, letter, gift, favor, "
                "event or other.",
            ),
        ] = "other",
        initiator: Annotated[
            str,
            typer.Option(
                "--initiator",
                "-i",
                help="Who reached out or gave: me, them or mutual.",
            ),
        ] = "mutual",
        when: Annotated[
            str | None,
            typer.Option(
                "--when",
                "-w",
                help="2026-11-28, yesterday, 'last tuesday', '3 days ago'. Default: now.",
            ),
        ] = None,
        summary: Annotated[
            str | None, typer.Option("--summary", "-s", help="What happened.")
        ] = None,
        sentiment: Annotated[
            str | None,
            typer.Option(
                "--sentiment",
                help="How it felt, -2..+2.",
            ),
        ] = None,
        weight: Annotated[
            float | None,
            typer.Option(
                "--weight",
                help="Override the kind's weight in the reciprocity balance.",
            ),
        ] = None,
        json_output: JsonOpt = False,
    ) -> None:
        """Log one interaction with one or more contacts.

        Example: lrm log ada babbage --kind meal --initiator them --when "last tuesday"
        --summary "Dinner at the club" --sentiment +1
        """
        from lrm_cli.services.records import LogRequest, log_interaction

        run = Run.of(ctx, json_output)
        request = LogRequest(
            contacts=contacts,
            kind=kind,
            initiator=initiator,
            when=when,
            summary=summary,
            sentiment=sentiment,
            weight=weight,
        )
        saved = log_interaction(run.db, request, run.clock, run.scheduler)
        zone = run.clock.zone
        run.out.emit(
            shapes.interaction(saved, zone),
            lambda out: out.line(
                f"logged #{saved.id}: " + views.interaction_line(saved, zone, out)
            ),
        )

    @app.command(rich_help_panel="History")
    @handle_errors
    def timeline(
        ctx: typer.Context,
        contact: ContactArg,
        since: Annotated[str | None, typer.Option("--since", help="From this day.")] = None,
        until: Annotated[
            str | None, typer.Option("--until", help="To this day (inclusive).")
        ] = None,
        limit: Annotated[int | None, typer.Option("--limit", "-n", min=1)] = None,
        json_output: JsonOpt = False,
    ) -> None:
        """Interactions and notes with a contact, newest first.

        Example: lrm timeline ada --since "3 months ago"
        """
        from lrm_cli.services.records import timeline as build

        run = Run.of(ctx, json_output)
        result = build(run.db, contact, run.clock, since=since, until=until, limit=limit)
        zone = run.clock.zone
        run.out.emit(
            [shapes.timeline_item(i, zone) for i in result.items],
            lambda out: views.timeline(out, result.items, zone),
        )
