"""The bodies of the hot read commands (list, show, due, balance, digest, upcoming, drift,
timeline), shared by the Typer commands and the fast path (cli/fast.py); nothing here
imports Typer. Each returns the exit code. The writes typed many times a day (add, log,
note) are in cli/writes.py."""

from __future__ import annotations

from lrm_cli import vocabulary
from lrm_cli.cli.state import Run
from lrm_cli.errors import InvalidInput
from lrm_cli.words import signed

START_HINT = 'no contacts yet: lrm add "Ada Lovelace" --email ada@example.org'


def _started(run: Run) -> bool:
    """False, after saying how to start (on stderr; JSON is left as it is), when the
    database holds no contact at all. Asked only when a list came out empty."""
    from lrm_cli.services.contacts import is_empty

    if not is_empty(run.db):
        return True
    run.out.info(START_HINT)
    return False


def warn_unknown_tag(run: Run, tag: str | None) -> None:
    """A warning on stderr (in JSON mode too) when ``--tag`` names no tag at all: the
    answer stays the empty list it is, for scripts, and a person sees the typo."""
    if tag:
        from lrm_cli.services.contacts import unknown_tag

        if line := unknown_tag(run.db, tag):
            run.out.warn(line)


def list_command(
    run: Run,
    *,
    tag: str | None,
    search: str | None,
    archived: bool,
    all_: bool,
    sort: str,
    reverse: bool,
    limit: int | None,
    snoozed: bool,
) -> int:
    from lrm_cli.vocabulary import LIST_SORTS as SORTS

    if sort not in SORTS:
        raise InvalidInput(f"unknown sort {sort!r}: choose one of {', '.join(SORTS)}")
    which = "all" if all_ else "archived" if archived else "active"
    filters = {"tag": tag, "search": search, "archived": which, "sort": sort}
    filters.update(reverse=reverse, limit=limit)
    if snoozed:  # snoozed past today: due again the day the snooze ends
        filters["snoozed_on"] = run.clock.today.isoformat()
    warn_unknown_tag(run, tag)
    if run.out.is_json:
        from lrm_cli.services.lists import list_json

        run.out.json_joined(list_json(run.db, run.clock, **filters))
        return 0
    from lrm_cli.render import views
    from lrm_cli.services.contacts import list_contacts

    zone = run.clock.zone  # a bad timezone setting is an error even with nothing to list
    rows = list_contacts(run.db, **filters)
    if rows or _started(run):
        views.contact_list(run.out, rows, zone, snoozed=snoozed)
    return 0


def shown(run: Run, contact: str, recent: int):
    """What `show` (and the demo's featured contact) says of a contact: its record, its
    schedule (cadence, due, balance, health) and its open reminders."""
    from dataclasses import replace

    from lrm_cli.services.contacts import contact_detail
    from lrm_cli.services.schedule import contact_schedule, list_reminders

    detail = contact_detail(run.db, contact, recent=recent)
    schedule = contact_schedule(run.db, detail.contact.id, run.clock, run.scheduler)
    reminders = list_reminders(run.db, run.clock, contact_id=detail.contact.id)
    schedule["reminders"] = [r.as_json() for r in reminders]  # as `lrm reminders --json`
    return replace(detail, extra=schedule)


def show_command(run: Run, *, contact: str, recent: int) -> int:
    from lrm_cli import shapes
    from lrm_cli.render import views

    detail = shown(run, contact, recent)
    zone = run.clock.zone
    today = run.clock.today
    run.out.emit(shapes.detail(detail, zone), lambda out: views.detail(out, detail, zone, today))
    return 0


def due_command(run: Run, *, within: str | None, tag: str | None, limit: int | None) -> int:
    warn_unknown_tag(run, tag)
    if run.out.is_json:
        from lrm_cli.services.lists import due_json

        options = {"within": within, "tag": tag, "limit": limit}
        run.out.json_joined(due_json(run.db, run.clock, run.scheduler, **options))
        return 0
    from lrm_cli.services.schedule import due as find_due

    items = find_due(run.db, run.clock, run.scheduler, within=within, tag=tag, limit=limit)
    if not items and not _started(run):
        return 0
    run.out.table(
        ["ID", "NAME", "LAST CONTACT", "CADENCE", "DUE", "OVERDUE", "URGENCY"],
        [
            [
                str(i.id),
                i.name,
                str(i.last_contact or "never"),
                f"{i.cadence_days}d {i.cadence_source}",
                str(i.due_on),
                str(i.overdue_days),
                f"{i.urgency:.2f}",
            ]
            for i in items
        ],
        empty=_nobody_due(run) if not (items or within or tag) else "nobody is due",
    )
    return 0


def _nobody_due(run: Run) -> str:
    from lrm_cli.services.schedule import untracked
    from lrm_cli.words import nobody_due

    return nobody_due(*untracked(run.db, run.clock))


def balance_command(run: Run, *, contact: str | None, limit: int | None) -> int:
    if run.out.is_json and contact is None:
        from lrm_cli.services.lists import balance_json

        run.out.json_joined(balance_json(run.db, run.clock, run.scheduler, limit))
        return 0
    from lrm_cli.services.schedule import balances

    items = balances(run.db, run.clock, run.scheduler, contact)
    if limit:
        items = items[:limit]
    if run.out.is_json:
        run.out.json([i.as_json() for i in items])
        return 0
    run.out.table(
        ["ID", "NAME", "BALANCE", "LABEL", "ME", "THEM", "MUTUAL"],
        [
            [
                str(i.id),
                i.name,
                "" if i.value is None else signed(i.value),
                (i.label or "no interactions").replace("_", " "),
                *(str(v) for v in i.counts),
            ]
            for i in items
        ],
        empty="no interactions yet",
    )
    return 0


DUE_EXIT = 10  # `digest --fail-if-due` found something to act on (DESIGN §4)
DIGEST_FORMATS = (None, *vocabulary.DIGEST_FORMATS)


def digest_command(
    run: Run,
    *,
    on: str | None,
    format_: str | None,
    fail_if_due: bool,
    explain: bool,
    days: str | None,
) -> int:
    """``run`` must be in JSON mode when ``format_`` is json (the caller builds it)."""
    result = digest_data(run, on=on, explain=explain, days=days)
    if not run.out.is_json and not any(result[k] for k in ("due", "upcoming", "reminders")):
        _started(run)  # the page as always, and how to fill it
    write_digest(run, result, format_, explain=explain)
    from lrm_cli.services.schedule import to_act_on

    return DUE_EXIT if fail_if_due and to_act_on(result) else 0


def digest_data(run: Run, *, on: str | None, explain: bool, days: str | None) -> dict:
    """The digest for ``on`` (default today), looking ``days`` ahead (default: the
    config's ``[digest] upcoming_days``), as its JSON value: the one source of the three
    formats. A day before today is that day's page, over the history as it stood at its
    end (``services.schedule.digest``'s ``past``)."""
    from dataclasses import replace

    from lrm_cli import dates
    from lrm_cli.clock import Clock
    from lrm_cli.services.schedule import digest as build

    settings = run.digest_settings
    if days is not None:
        settings = replace(settings, upcoming_days=dates.parse_span_days(days, "--days"))
    clock, past = run.clock, False
    if on is not None:
        day = dates.parse_day_given(on, "--date", clock.today)
        clock, past = Clock.pinned(day, clock.zone), day < clock.today
    return build(run.db, clock, run.scheduler, settings, past=past).as_json(explain)


def write_digest(run: Run, result: dict, format_: str | None, *, explain: bool) -> None:
    from lrm_cli.render import digest as render

    if run.out.is_json:
        run.out.json(result)
    elif format_ == "markdown":
        run.out.stdout.write(render.as_markdown(result, explain))
    elif format_ == "text" or run.out.mode == "plain":
        run.out.stdout.write(render.as_text(result, explain))
    else:
        render.to_terminal(run.out, result, explain)


def check_digest_format(format_: str | None) -> None:
    if format_ not in DIGEST_FORMATS:
        raise InvalidInput(f"unknown format {format_!r}: choose text, markdown or json")


def upcoming_command(run: Run, *, days: str) -> int:
    from lrm_cli import words
    from lrm_cli.dates import parse_span_days
    from lrm_cli.services.schedule import upcoming as find
    from lrm_cli.services.schedule import upcoming_json

    span = parse_span_days(days, "--days")
    items = find(run.db, run.clock, days=span)

    def human(out) -> None:
        out.table(
            ["DATE", "IN", "KIND", "ID", "WHO", "WHAT", "YEARS"],
            [
                [
                    str(u.date),
                    f"{u.days_until}d",
                    u.kind,
                    str(u.reminder_id or u.interaction_id or ""),  # KIND says which
                    u.contact_name or "",
                    u.title,
                    "" if u.turns is None else words.milestone(u.kind, u.turns),
                ]
                for u in items
            ],
            empty=f"nothing in the next {words.plural(span, 'day')}",
        )

    run.out.emit([upcoming_json(u) for u in items], human)
    return 0


def drift_command(run: Run) -> int:
    from lrm_cli.services.schedule import drift_json, drifting

    items, _total = drifting(run.db, run.clock, run.scheduler)

    def human(out) -> None:
        out.table(
            ["ID", "NAME", "RECENT", "BEFORE", "RATE NOW", "RATE BEFORE"],
            [
                [
                    str(i.id),
                    i.name,
                    str(i.recent_count),
                    str(i.previous_count),
                    f"{i.recent_rate:.2f}/mo",
                    f"{i.previous_rate:.2f}/mo",
                ]
                for i in items
            ],
            empty="no relationship is drifting",
        )

    run.out.emit([drift_json(i) for i in items], human)
    return 0


def timeline_command(
    run: Run, *, contact: str | None, since: str | None, until: str | None, limit: int | None
) -> int:
    from lrm_cli import shapes
    from lrm_cli.render import views
    from lrm_cli.services.records import timeline as build

    result = build(run.db, contact, run.clock, since=since, until=until, limit=limit)
    zone = run.clock.zone
    run.out.emit(
        [shapes.timeline_item(i, zone) for i in result.items],
        lambda out: views.timeline(out, result.items, zone, result.names),
    )
    return 0
