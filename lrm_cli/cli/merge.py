"""`lrm dupes` (probable duplicate contacts) and `lrm merge KEEP OTHER`."""

from __future__ import annotations

from typing import Annotated

import typer

from lrm_cli.cli import prompts
from lrm_cli.cli.errors import handle_errors
from lrm_cli.cli.options import JsonOpt, YesOpt
from lrm_cli.cli.state import Run
from lrm_cli.domain import Contact, InvalidInput
from lrm_cli.words import kind_label, tally

Keep = Annotated[
    str,
    typer.Argument(metavar="KEEP", help="The contact that stays (id, uid, name, alias, prefix)."),
]
Other = Annotated[
    str, typer.Argument(metavar="OTHER", help="The contact merged into KEEP, then removed.")
]
DryRun = Annotated[
    bool,
    typer.Option("--dry-run", help="Show what the merge would do (aliases, note); write nothing."),
]
Limit = Annotated[
    int | None, typer.Option("--limit", "-n", metavar="N", help="Show at most N pairs.")
]


def register(app: typer.Typer, tag_app: typer.Typer) -> None:
    @app.command(rich_help_panel="Contacts")
    @handle_errors
    def dupes(ctx: typer.Context, limit: Limit = None, json_output: JsonOpt = False) -> None:
        """List probable duplicate contacts, most likely first: the same email, the same
        phone, or similar names (also the same names in another order), with a score 0-1.

        Example: lrm dupes --limit 20
        """
        from lrm_cli.services.merge import find_duplicates

        run = Run.of(ctx, json_output)
        pairs = find_duplicates(run.db)
        if limit is not None:
            if limit < 0:
                raise InvalidInput(f"--limit {limit}: give a number of pairs, 0 or more")
            pairs = pairs[:limit]

        def human(out) -> None:
            out.table(
                ["score", "contact", "probable duplicate", "reasons"],
                [
                    [
                        f"{p.score:.2f}",
                        f"{p.a.name} #{p.a.id}",
                        f"{p.b.name} #{p.b.id}",
                        ", ".join(p.reason_texts()),
                    ]
                    for p in pairs
                ],
                empty="no probable duplicates",
            )
            if pairs and out.mode != "plain":
                first = pairs[0]
                out.info(f"merge a pair with: lrm merge {first.a.id} {first.b.id}")

        run.out.emit([p.as_json() for p in pairs], human)

    @app.command(rich_help_panel="Contacts")
    @handle_errors
    def merge(
        ctx: typer.Context,
        keep: Keep,
        other: Other,
        yes: YesOpt = False,
        dry_run: DryRun = False,
        json_output: JsonOpt = False,
    ) -> None:
        """Merge OTHER into KEEP, losing nothing: every method, tag, date, note,
        relationship, interaction and reminder moves to KEEP (identical ones are kept once),
        KEEP's empty fields are filled from OTHER, OTHER's name becomes an alias of KEEP
        (found by search and by references), and OTHER's other differing values go into a
        note on KEEP; then OTHER is removed.

        The note reads "Merged from #13 Ada King (uid U) on DATE: organization Lovelace
        Estate". --dry-run shows what would move, become an alias or go into the note, and
        writes nothing; lrm undo puts both records back.

        Example: lrm merge "Ada Lovelace" "Ada King" --dry-run
        """
        from lrm_cli.render import views
        from lrm_cli.services.merge import merge_contacts

        run = Run.of(ctx, json_output)

        def confirm(kept: Contact, removed: Contact) -> None:
            question = (
                f"Merge {views.contact_line(removed)} into {views.contact_line(kept)} "
                f"and remove {views.contact_line(removed)}?"
            )
            prompts.confirm(
                question,
                yes=yes,
                refusal="refusing to merge without --yes when not at a terminal",
            )

        result = merge_contacts(
            run.db, keep, other, run.clock, run.scheduler, confirm, dry_run=dry_run
        )

        def human(out) -> None:
            counts = result.counts
            moved = counts.moved
            merged, move, fill, add = (
                ("would merge", "would move", "would fill", "would add")
                if dry_run
                else ("merged", "moved", "filled", "added")
            )
            line = (
                f"{merged} {views.contact_line(result.removed)}"
                f" into {views.contact_line(result.kept)}"
            )
            line += f": {move} {tally(moved)}" if any(moved.values()) else ": nothing to move"
            same = sum(counts.deduplicated.values())
            if same:
                line += f"; {same} identical kept once"
            if counts.fields_filled:
                line += f"; {fill} {', '.join(map(kind_label, counts.fields_filled))}"
            out.line(line)
            if counts.aliases:
                out.line(
                    f"{add} alias{'es' if len(counts.aliases) > 1 else ''}: "
                    + ", ".join(counts.aliases)
                )
            if result.note is not None:
                out.line(f"{add} note: {result.note}")

        run.out.emit(result.as_json(), human)
