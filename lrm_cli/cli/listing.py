"""The body of ``lrm list``, shared by the Typer command (cli/contacts.py) and the fast
path (cli/fast.py); it imports no Typer."""

from __future__ import annotations

from lrm_cli import shapes
from lrm_cli.cli.state import Run
from lrm_cli.domain import InvalidInput


def list_command(
    run: Run,
    *,
    tag: str | None = None,
    search: str | None = None,
    archived: bool = False,
    all_: bool = False,
    sort: str = "name",
    reverse: bool = False,
    limit: int | None = None,
) -> None:
    from lrm_cli.render import views
    from lrm_cli.services.contacts import SORTS, list_contacts

    if sort not in SORTS:
        raise InvalidInput(f"unknown sort {sort!r}: choose one of {', '.join(SORTS)}")
    which = "all" if all_ else "archived" if archived else "active"
    rows = list_contacts(
        run.db, tag=tag, search=search, archived=which, sort=sort, reverse=reverse, limit=limit
    )
    zone = run.clock.zone
    if run.out.is_json:
        from lrm_cli.clock import LocalDays

        stamps = LocalDays(zone)
    run.out.emit(
        [shapes.listed(r, zone, stamps) for r in rows] if run.out.is_json else None,
        lambda out: views.contact_list(out, rows, zone),
    )
