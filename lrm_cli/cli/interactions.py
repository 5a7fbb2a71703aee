"""Commands about what happens between you and people: note, log, timeline."""

from __future__ import annotations

from typing import Annotated

import typer

from lrm_cli import shapes
from lrm_cli.cli.errors import handle_errors
from lrm_cli.cli.options import ContactsArg, JsonOpt, LimitOpt, choices, one_of
from lrm_cli.cli.other_words import missing_id
from lrm_cli.cli.state import Run
from lrm_cli.cli.writes import NOTE_FIXES, log_command, note_command, note_text
from lrm_cli.domain import InvalidInput
from lrm_cli.vocabulary import INITIATORS, INTERACTION_KINDS
from lrm_cli.words import no_changes


def _note_id(action: str, text: str | None) -> int:
    if text is None:
        raise missing_id("note", action)
    from lrm_cli.cli.options import not_an_id, parse_record_id

    found = parse_record_id(text)
    if found is None:
        raise InvalidInput(f"note id {not_an_id(text)}")
    return found


def register(app: typer.Typer, tag_app: typer.Typer) -> None:
    @app.command(rich_help_panel="History")
    @handle_errors
    def note(
        ctx: typer.Context,
        contact: Annotated[
            str,
            typer.Argument(
                metavar="CONTACT",
                help="Who it is about (or: edit ID [TEXT], rm ID to fix a note).",
            ),
        ],
        text: Annotated[
            str | None,
            typer.Argument(metavar="TEXT", help="The note; - reads stdin; none: $EDITOR."),
        ] = None,
        more: Annotated[str | None, typer.Argument(hidden=True)] = None,
        pin: Annotated[bool, typer.Option("--pin", help="Keep it at the top of `show`.")] = False,
        unpin: Annotated[bool, typer.Option("--unpin", help="With edit: unpin it.")] = False,
        move_to: Annotated[
            str | None,
            typer.Option(
                "--contact",
                metavar="CONTACT",
                help="With edit: move it to this contact (written about the wrong one).",
            ),
        ] = None,
        json_output: JsonOpt = False,
    ) -> None:
        """Write a note about a contact; `note edit ID [TEXT]` and `note rm ID` fix one.

        With no TEXT the note is written in $VISUAL or $EDITOR; with - it is read from
        standard input. To write about a contact named "edit" or "rm", use its id.

        Example: lrm note ada "Prefers email to calls" --pin
        """
        run = Run.of(ctx, json_output)
        if contact in NOTE_FIXES:
            _fix_note(run, contact, text, more, pin=pin, unpin=unpin, move_to=move_to)
            return
        note_command(
            run, contact=contact, text=text, more=more, pin=pin, unpin=unpin, move_to=move_to
        )

    def _fix_note(run: Run, action: str, ident: str | None, text, *, pin, unpin, move_to) -> None:
        from lrm_cli.cli.writes import NOTE_MOVES
        from lrm_cli.services import corrections
        from lrm_cli.services.contacts import find

        note_id = _note_id(action, ident)
        zone = run.clock.zone
        if action == "rm":
            if text is not None:
                raise InvalidInput(f"unexpected extra argument {text!r}")
            if move_to is not None:
                raise InvalidInput(NOTE_MOVES)
            gone = corrections.remove_note(run.db, note_id, run.clock)
            run.out.emit(shapes.note(gone, zone), lambda out: out.line(f"deleted note #{gone.id}"))
            return
        if pin and unpin:
            raise InvalidInput("give --pin or --unpin, not both")
        pinned = True if pin else False if unpin else None
        body = text
        if (text is None and pinned is None and move_to is None) or text == "-":
            body = note_text(text, corrections.find_note(run.db, note_id).body)
        saved, changed = corrections.edit_note(
            run.db, note_id, run.clock, body=body, pinned=pinned, contact=move_to
        )
        whose = f", now about {find(run.db, f'#{saved.contact_id}').name}" if move_to else ""
        run.out.emit_saved(
            shapes.note(saved, zone),
            changed,
            lambda out: out.line(f"changed note #{saved.id}{whose}"),
            no_changes(f"note #{saved.id}"),
        )

    @app.command(rich_help_panel="History")
    @handle_errors
    def log(
        ctx: typer.Context,
        contacts: ContactsArg,
        kind: Annotated[
            str | None,
            typer.Option(
                "--kind",
                "--channel",
                "-k",
                metavar="KIND",
                autocompletion=choices(INTERACTION_KINDS),
                help=f"The kind or channel: {one_of(INTERACTION_KINDS)}. Default: other "
                "(with a hint when the summary names one: 'Lunch at...').",
            ),
        ] = None,
        initiator: Annotated[
            str,
            typer.Option(
                "--initiator",
                "-i",
                metavar="WHO",
                autocompletion=choices(INITIATORS),
                help=f"Who reached out or gave: {one_of(INITIATORS)}.",
            ),
        ] = "mutual",
        when: Annotated[
            str | None,
            typer.Option(
                "--when",
                "-w",
                metavar="DATE",
                help="2026-11-28, yesterday, 'last tuesday', '3 days ago'. Default: now.",
            ),
        ] = None,
        summary: Annotated[
            str | None,
            typer.Option("--summary", "-s", metavar="TEXT", help="What happened."),
        ] = None,
        sentiment: Annotated[
            str | None,
            typer.Option(
                "--sentiment",
                metavar="N",
                help="How it felt, -2..+2.",
            ),
        ] = None,
        weight: Annotated[
            float | None,
            typer.Option(
                "--weight",
                metavar="N",
                help="Override the kind's weight in the reciprocity balance.",
            ),
        ] = None,
        future: Annotated[
            bool,
            typer.Option(
                "--future",
                help="Allow a day after today, up to a year ahead (planned, not yet happened).",
            ),
        ] = False,
        json_output: JsonOpt = False,
    ) -> None:
        """Log one interaction with one or more contacts.

        A --when after today is refused unless --future is given: a slip such as
        "next friday" would move their last contact and due date into the future. Even
        with --future, --when is at most a year after today, and never before 1900 (a
        year such as 0001 or 9999 is a typo); a signed count ("-1 days ago") is refused.

        Example: lrm log ada babbage --kind meal --initiator them --when "last tuesday"
        --summary "Dinner at the club" --sentiment +1
        """
        log_command(
            Run.of(ctx, json_output),
            contacts=contacts,
            kind=kind,
            initiator=initiator,
            when=when,
            summary=summary,
            sentiment=sentiment,
            weight=weight,
            future=future,
        )

    @app.command(rich_help_panel="History")
    @handle_errors
    def timeline(
        ctx: typer.Context,
        contact: Annotated[
            str | None,
            typer.Argument(
                metavar="CONTACT", help="Whose; none: everyone's (the last 7 days by default)."
            ),
        ] = None,
        since: Annotated[
            str | None, typer.Option("--since", metavar="DATE", help="From this day.")
        ] = None,
        until: Annotated[
            str | None,
            typer.Option("--until", metavar="DATE", help="To this day (inclusive)."),
        ] = None,
        limit: LimitOpt = None,
        json_output: JsonOpt = False,
    ) -> None:
        """Interactions and notes with a contact, or with everyone, newest first.

        Each line starts with its id, for `lrm interaction edit|rm ID` and `lrm note edit|rm ID`.

        Example: lrm timeline ada --since "3 months ago"
        """
        from lrm_cli.cli.reads import timeline_command

        run = Run.of(ctx, json_output)
        timeline_command(run, contact=contact, since=since, until=until, limit=limit)
