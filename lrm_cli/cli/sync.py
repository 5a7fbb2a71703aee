"""`lrm sync`: contacts both ways and the calendar one way through vdir folders, and the
command (vdirsyncer) that moves the folders to and from a server."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from lrm_cli.cli.errors import handle_errors
from lrm_cli.cli.options import JsonOpt
from lrm_cli.cli.state import Run
from lrm_cli.words import plural

OUTPUT_LINES = 20  # of a failed command's output, the last; each cut to LINE_WIDTH
LINE_WIDTH = 300

DryRun = Annotated[bool, typer.Option("--dry-run", help="Show what would change; write nothing.")]
AllowEmpty = Annotated[
    bool,
    typer.Option(
        "--allow-empty",
        help="Archive every synced contact when all their cards are gone from the folder.",
    ),
]
NoCommand = Annotated[
    bool, typer.Option("--no-command", help="Do not run the [sync] command this time.")
]


def register(app: typer.Typer, tag_app: typer.Typer) -> None:
    @app.command(rich_help_panel="Import and export")
    @handle_errors
    def sync(
        ctx: typer.Context,
        dry_run: DryRun = False,
        no_command: NoCommand = False,
        allow_empty: AllowEmpty = False,
        json_output: JsonOpt = False,
    ) -> None:
        """Sync contacts both ways with a vdir folder, write the calendar to another, and
        run the [sync] command (e.g. vdirsyncer sync) to carry them to a server.

        Cards edited elsewhere update lrm; contacts changed in lrm are written back;
        a card deleted elsewhere archives its contact; a contact changed on both sides
        keeps lrm's values and gets a note with the card's. Set the folders under [sync]
        in config.toml (see the README, "Sync with your phone").

        Example: lrm sync --dry-run
        """
        from dataclasses import replace

        from lrm_cli.services import sync as service
        from lrm_cli.services.ics_export import CalendarSettings

        run = Run.of(ctx, json_output)
        settings = run.config.settings("sync", service.SyncSettings.from_mapping)
        if no_command:
            settings = replace(settings, command="")
        try:
            report = service.sync(
                run.db,
                settings,
                run.clock,
                region=run.config.phone_region,
                scheduler_settings=run.scheduler,
                calendar_settings=run.config.settings("calendar", CalendarSettings.from_mapping),
                dry_run=dry_run,
                allow_empty=allow_empty,
            )
        except service.SyncCommandFailed as err:
            _emit(run, err.report)
            raise
        _emit(run, report)


def _leftovers(out, count: int) -> None:
    if count:
        out.line(f"  removed {plural(count, 'temporary file')} a killed sync left behind")


def _counts(counts: dict[str, int], keys: tuple[str, ...]) -> str:
    return ", ".join(f"{counts[k]} {k}" for k in keys)


def _emit(run: Run, report: Any) -> None:
    def human(out) -> None:
        would = "would be " if report.dry_run else ""
        contacts = report.contacts
        if contacts is not None:
            out.line(f"contacts ({contacts.folder}){': dry run' if report.dry_run else ''}")
            keys = ("created", "updated", "archived", "conflicts", "unchanged")
            out.line(f"  in lrm:    {_counts(contacts.lrm, keys)}")
            keys = ("created", "updated", "deleted", "conflicts", "unchanged")
            out.line(f"  in folder: {_counts(contacts.vdir, keys)}")
            for item in contacts.items:
                if item["action"] in ("archived", "deleted"):
                    what = item.get("name") or item["uid"]
                    out.line(f"  {item['file']}: {would}{item['action']} ({what})")
                elif item["action"] == "updated" and item["side"] == "lrm":
                    what = item.get("name") or item["uid"]
                    changes = "; ".join(item.get("changes", []))
                    out.line(f"  {item['file']}: {would}updated ({what}): {changes}")
            for c in contacts.conflicts:
                out.line(
                    f"  conflict: {c['contact']['name']}: kept lrm's values; the card had: "
                    + "; ".join(c["card_had"])
                )
            for s in contacts.skipped:
                out.warn(f"skipped {s['file']}: {s['reason']}")
            _leftovers(out, contacts.temp_files_removed)
        if report.calendar is not None:
            cal = report.calendar
            keys = ("created", "updated", "deleted", "unchanged")
            out.line(
                f"calendar ({', '.join(cal.folders)}): {plural(cal.items, 'item')}: "
                f"{_counts(cal.vdir, keys)}"
            )
            for s in cal.skipped:
                out.warn(f"skipped {s['file']}: {s['reason']}")
            _leftovers(out, cal.temp_files_removed)
        if report.command is not None:
            cmd = report.command
            status = "ok" if cmd.ok else cmd.error
            out.line(f"command {' '.join(cmd.argv)}: {status}")
            if not cmd.ok and cmd.output.strip():
                for line in cmd.output.strip().splitlines()[-OUTPUT_LINES:]:
                    cut = line if len(line) <= LINE_WIDTH else line[: LINE_WIDTH - 3] + "..."
                    out.line(f"  | {cut}")

    run.out.emit(report.as_json(), human)
