"""Commands that connect people and dates: relate, date add/list/edit/rm."""

from __future__ import annotations

from typing import Annotated

import typer

from lrm_cli import shapes, words
from lrm_cli.cli.errors import handle_errors
from lrm_cli.cli.options import ContactArg, JsonOpt, choices, id_argument, one_of
from lrm_cli.cli.state import Run
from lrm_cli.render import views
from lrm_cli.vocabulary import DATE_KINDS, RELATIONSHIP_KINDS
from lrm_cli.words import no_changes, plural, relation

DateKind = Annotated[
    str | None,
    typer.Option(
        "--kind",
        "-k",
        metavar="KIND",
        autocompletion=choices(DATE_KINDS),
        help=f"{one_of(DATE_KINDS)}.",
    ),
]


def register(app: typer.Typer, tag_app: typer.Typer) -> None:
    date_app = typer.Typer(
        help="Important dates: anniversaries and custom days.", no_args_is_help=True
    )
    app.add_typer(date_app, name="date", rich_help_panel="Contacts")

    @app.command(rich_help_panel="Contacts")
    @handle_errors
    def relate(
        ctx: typer.Context,
        contact: ContactArg,
        other: Annotated[str, typer.Argument(metavar="CONTACT", help="The related contact.")],
        as_: Annotated[
            str | None,
            typer.Option(
                "--as",
                metavar="KIND",
                autocompletion=choices(RELATIONSHIP_KINDS),
                help=f"What OTHER is to CONTACT: {one_of(RELATIONSHIP_KINDS)}.",
            ),
        ] = None,
        label: Annotated[
            str | None,
            typer.Option(
                "--label",
                metavar="WORD",
                help="CONTACT's own word for OTHER, kept with KIND and written to vCards "
                "(--as other --label godmother); '' removes it.",
            ),
        ] = None,
        remove: Annotated[
            bool,
            typer.Option(
                "--rm", help="Remove the relationship (of --as KIND only, if given) instead."
            ),
        ] = False,
        json_output: JsonOpt = False,
    ) -> None:
        """Record how two contacts are related (--rm: remove it).

        Example: lrm relate ada "William King" --as spouse
        """
        from lrm_cli.domain import InvalidInput

        run = Run.of(ctx, json_output)
        if remove:
            from lrm_cli.services.corrections import unrelate

            one, two, count = unrelate(run.db, contact, other, as_, run.clock)
            gone = {
                "contact": {"id": one.id, "name": one.name},
                "other": {"id": two.id, "name": two.name},
                "kind": as_,
                "removed": count,
            }
            run.out.emit(
                gone,
                lambda out: out.line(
                    f"removed {plural(count, 'relationship')} between {one.name} and {two.name}"
                ),
            )
            return
        if as_ is None:
            raise InvalidInput("say what OTHER is to CONTACT with --as KIND (or --rm to remove)")
        from lrm_cli.services.records import relate as do_relate

        first, second, kind, word, changed = do_relate(
            run.db, contact, other, as_, run.clock, label
        )
        payload = {
            "contact": {"id": first.id, "name": first.name},
            "kind": kind,
            "label": word,
            "other": {"id": second.id, "name": second.name},
        }
        said = relation(first.name, kind, second.name, word)
        run.out.emit_saved(
            payload, changed, lambda out: out.line(said), no_changes(first.name, said)
        )

    @date_app.command("add")
    @handle_errors
    def date_add(
        ctx: typer.Context,
        contact: ContactArg,
        on: Annotated[
            str,
            typer.Option(
                "--on",
                metavar="DATE",
                help="1990-06-21, or --06-21 without a year ('next friday' works too).",
            ),
        ],
        kind: DateKind = "anniversary",
        label: Annotated[
            str | None, typer.Option("--label", metavar="TEXT", help="What the day is.")
        ] = None,
        remind: Annotated[
            str | None,
            typer.Option(
                "--remind",
                metavar="DURATION",
                help="How long before to remind: 3d, 1w (upcoming and the digest list it "
                "from then).",
            ),
        ] = None,
        json_output: JsonOpt = False,
    ) -> None:
        """Add an important date.

        Example: lrm date add ada --kind anniversary --on --06-21
        """
        from lrm_cli.services.records import add_date

        run = Run.of(ctx, json_output)
        saved, became = add_date(
            run.db, contact, kind=kind, on=on, label=label, remind=remind, clock=run.clock
        )
        run.out.emit_saved(
            shapes.important_date(saved),
            became != "unchanged",
            lambda out: out.line(f"{became} {views.date_line(saved)}"),
            words.no_changes(views.date_line(saved), "already there"),
        )

    @date_app.command("list")
    @handle_errors
    def date_list(ctx: typer.Context, contact: ContactArg, json_output: JsonOpt = False) -> None:
        """List a contact's important dates. Example: lrm date list ada"""
        from lrm_cli.services.records import list_dates

        run = Run.of(ctx, json_output)
        _, found = list_dates(run.db, contact)

        def human(out) -> None:
            out.table(
                ["ID", "KIND", "LABEL", "DATE", "REMIND"],
                [
                    [
                        str(d.id),
                        d.kind,
                        d.label or "",
                        d.date,
                        ""
                        if d.remind_days_before is None
                        else views.lead_words(d.remind_days_before),
                    ]
                    for d in found
                ],
                empty="no dates",
            )

        run.out.emit([shapes.important_date(d) for d in found], human)

    @date_app.command("edit")
    @handle_errors
    def date_edit(
        ctx: typer.Context,
        contact: ContactArg,
        date_id: Annotated[int, id_argument("From `lrm date list`.")],
        on: Annotated[
            str | None,
            typer.Option(
                "--on", metavar="DATE", help="The day: 1990-06-21, or --06-21 without a year."
            ),
        ] = None,
        kind: DateKind = None,
        label: Annotated[
            str | None,
            typer.Option("--label", metavar="TEXT", help="What the day is; '' removes it."),
        ] = None,
        remind: Annotated[
            str | None,
            typer.Option(
                "--remind",
                metavar="DURATION",
                help="How long before to remind: 3d, 1w; '' for no reminder.",
            ),
        ] = None,
        json_output: JsonOpt = False,
    ) -> None:
        """Change an important date: its day, kind, label or reminder.

        Example: lrm date edit ada 3 --on --06-12
        """
        from lrm_cli.services.records import edit_date

        run = Run.of(ctx, json_output)
        saved, changed = edit_date(
            run.db, contact, date_id, on=on, kind=kind, label=label, remind=remind, clock=run.clock
        )
        run.out.emit_saved(
            shapes.important_date(saved),
            changed,
            lambda out: out.line(f"updated {views.date_line(saved)}"),
            words.no_changes(views.date_line(saved), "as it was"),
        )

    @date_app.command("rm")
    @handle_errors
    def date_rm(
        ctx: typer.Context,
        contact: ContactArg,
        date_id: Annotated[int, id_argument("From `lrm date list`.")],
        json_output: JsonOpt = False,
    ) -> None:
        """Remove an important date. Example: lrm date rm ada 3"""
        from lrm_cli.services.records import remove_date

        run = Run.of(ctx, json_output)
        remove_date(run.db, contact, date_id, run.clock)
        run.out.emit({"removed": date_id}, lambda out: out.line(f"removed date #{date_id}"))
