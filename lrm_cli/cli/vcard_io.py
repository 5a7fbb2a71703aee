"""`lrm import vcard` and `lrm export vcard`."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from lrm_cli.cli.errors import handle_errors
from lrm_cli.cli.options import JsonOpt
from lrm_cli.cli.state import Run
from lrm_cli.render import Output
from lrm_cli.words import plural

Paths = Annotated[
    list[str],
    typer.Argument(metavar="PATH...", help="vCard files, vdir folders, or - for standard input."),
]
DryRun = Annotated[
    bool, typer.Option("--dry-run", help="Show what would be created and updated; change nothing.")
]
Strict = Annotated[
    bool,
    typer.Option("--strict", help="Import nothing when any card is bad (default: skip it)."),
]
SkipInvalid = Annotated[
    bool, typer.Option("--skip-invalid", hidden=True, help="The default now; kept for scripts.")
]
Verbose = Annotated[
    bool, typer.Option("--verbose", help="List every probable duplicate, not the first few.")
]
SHOWN_DUPLICATES = 5
MaxSize = Annotated[
    str,
    typer.Option(
        "--max-size", metavar="SIZE", help="Refuse files larger than this (e.g. 50MB, 200k)."
    ),
]
Out = Annotated[
    str | None,
    typer.Option("--out", "-o", metavar="FILE", help="Write to this file (- or nothing: stdout)."),
]
Vdir = Annotated[
    str | None,
    typer.Option("--vdir", metavar="DIR", help="Write one UID.vcf per contact into this folder."),
]


def _dry_run_line(item: dict) -> str:
    where = f"{item['file']}:{item['line']}"
    card = f'card "{item["name"]}" ({where})'
    action = item["action"]
    if action == "create":
        return f'create "{item["name"]}" ({where})'
    if action == "group":
        members = item["members"]
        return f"group {card}: tag {item['tag']} on {plural(members, 'contact')}"
    target = f"#{item['contact_id']} {item['contact_name']} <- {card}"
    if action == "update":
        return f"update {target}: {', '.join(item['changes'])} (matched by {item['matched_by']})"
    return f"unchanged {target} (matched by {item['matched_by']})"


def _report(out: Output, report, verbose: bool = False) -> None:
    if report.dry_run:
        for item in report.items:
            out.line(_dry_run_line(item))
    pairs = report.probable_duplicates
    shown = pairs if verbose else pairs[:SHOWN_DUPLICATES]
    count = report.duplicates
    for pair in shown:
        out.info(
            f"probable duplicate: {pair['contact']['name']} ({pair['file']}:{pair['line']}) "
            f"and #{pair['similar_to']['id']} {pair['similar_to']['name']} "
            f"({pair['reason']}, {pair['score']})"
        )
    if count > len(shown):
        out.info(
            f"... and {plural(count - len(shown), 'more probable duplicate')} "
            "(--verbose or --json lists them; lrm dupes to review)"
        )
    verb = "would be " if report.dry_run else ""
    imported = report.created + report.updated
    parts = [
        f"{imported} {verb}imported ({report.created} created, {report.updated} updated)",
        f"{report.unchanged} unchanged",
    ]
    if report.groups:
        parts.append(f"{plural(report.groups, 'group')} as tags")
    if report.skipped:
        parts.append(f"{plural(report.skipped, 'bad card')} skipped")
    if count:
        parts.append(plural(count, "probable duplicate"))
    out.line(", ".join(parts) + (" (dry run: nothing was written)" if report.dry_run else ""))


def register(import_app: typer.Typer, export_app: typer.Typer) -> None:
    @import_app.command("vcard")
    @handle_errors
    def import_vcard(
        ctx: typer.Context,
        paths: Paths,
        dry_run: DryRun = False,
        strict: Strict = False,
        skip_invalid: SkipInvalid = False,  # the default now: accepted, changes nothing
        verbose: Verbose = False,
        max_size: MaxSize = "50MB",
        json_output: JsonOpt = False,
    ) -> None:
        """Import contacts from vCard 2.1, 3.0 or 4.0 files, vdir folders or stdin.

        Cards are matched to existing contacts by UID, then by email or phone when the
        names agree, then (a card with no UID) by a name only one contact has; a match
        only gains what it lacks. A card of another name sharing an email or phone becomes
        a new contact, reported as a probable duplicate (lrm dupes). A bad card is skipped
        and reported (--strict: import nothing). The import is one transaction: it is
        written whole or not at all.

        Example: lrm import vcard contacts.vcf --dry-run
        """
        from lrm_cli.services import vcard_io

        run = Run.of(ctx, json_output)
        limit = vcard_io.parse_size(max_size)
        sources = vcard_io.read_sources(paths, limit)
        show_bar = not run.out.is_json and sys.stdout.isatty() and sys.stderr.isatty()
        progress = None
        if show_bar:
            from lrm_cli.render.progress import LateProgress

            progress = LateProgress()
        try:
            report = vcard_io.import_vcards(
                run.db,
                sources,
                run.clock,
                dry_run=dry_run,
                strict=strict,
                region=run.config.phone_region,
                progress=progress,
                # a big import holds a record per card only for what is printed
                keep_items=run.out.is_json or dry_run,
                keep_duplicates=None if run.out.is_json or verbose else SHOWN_DUPLICATES,
            )
        except vcard_io.ImportRejected as exc:
            if not run.out.is_json:
                for bad in exc.report.failed[1:]:
                    run.out.warn(f"{bad.source}:{bad.line}: {bad.reason}")
            raise
        finally:
            if progress is not None:
                progress.close()
        for warning in report.warnings:
            run.out.warn(warning)
        for bad in report.failed:
            run.out.warn(f"skipped {bad.source}:{bad.line}: {bad.reason}")
        run.out.emit(report.as_json(), lambda out: _report(out, report, verbose))

    @export_app.command("vcard")
    @handle_errors
    def export_vcard(
        ctx: typer.Context,
        out: Out = None,
        vdir: Vdir = None,
        json_output: JsonOpt = False,
    ) -> None:
        """Export every contact (archived ones too) as vCard 3.0.

        Tags become CATEGORIES; what vCard has no field for travels as X-LRM-* properties,
        so importing the export into an empty database gives the same contacts back.

        Example: lrm export vcard --vdir ~/.contacts/lrm
        """
        from lrm_cli.cli.exports import export_vcard_command

        export_vcard_command(Run.of(ctx, json_output), out=out, vdir=vdir)
