"""The bodies of ``lrm export json|vcard|ics``, shared by the Typer commands and the fast
path (cli/fast.py): backups and calendars cron writes every night, where Typer's start-up
(about B, bench/README.md) is worth sparing. Nothing here imports Typer; each returns
the exit code."""

from __future__ import annotations

from lrm_cli.cli.state import Run
from lrm_cli.errors import InvalidInput
from lrm_cli.words import plural, tally


def _to_file_for_json(run: Run, out: str | None, vdir: str | None, what: str) -> None:
    if run.out.is_json and not (vdir or (out and out != "-")):
        raise InvalidInput(f"--json needs --out FILE or --vdir DIR (stdout holds the {what})")


def export_json_command(run: Run, *, out: str | None) -> int:
    """The whole database as one JSON document, to ``out`` or stdout."""
    import sys

    from lrm_cli.services import json_io

    sys.stdout.flush()
    result = json_io.export_to(run.db, run.clock, out, sys.stdout.buffer)
    if result.path is not None:
        run.out.emit(
            result.as_json(),
            lambda o: o.info(f"exported {tally(result.counts)} to {result.path}"),
        )
    return 0


def export_vcard_command(run: Run, *, out: str | None, vdir: str | None) -> int:
    """Every contact as vCard 3.0, to ``out``, a vdir or stdout."""
    from lrm_cli.services import vcard_io

    _to_file_for_json(run, out, vdir, "vCards")
    result = vcard_io.export_vcards(run.db, out=out, folder=vdir)
    if result.path is not None:
        run.out.emit(
            result.as_json(),
            lambda o: o.info(
                f"{plural(result.contacts, 'contact')} to {result.path}: {result.written} written, "
                f"{result.unchanged} unchanged"
            ),
        )
    return 0


def export_ics_command(run: Run, *, out: str | None, vdir: str | None, events: bool) -> int:
    """Birthdays, anniversaries, reconnects and reminders as iCalendar, to ``out``, a
    vdir or stdout."""
    from lrm_cli.services import ics_export

    _to_file_for_json(run, out, vdir, "calendar")
    settings = run.config.settings("calendar", ics_export.CalendarSettings.from_mapping)
    result = ics_export.export_ics(
        run.db,
        zone=run.clock.zone,
        today=run.clock.today,
        scheduler_settings=run.scheduler,
        settings=settings,
        events=events,
        out=out,
        folder=vdir,
    )
    if result.path is not None:
        removed = f", {result.removed} removed" if result.removed else ""
        run.out.emit(
            result.as_json(),
            lambda o: o.info(
                f"{plural(result.items, 'item')} to {result.path}: {result.written} written, "
                f"{result.unchanged} unchanged{removed}"
            ),
        )
    return 0
