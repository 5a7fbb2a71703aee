"""Commands of the scheduler: cadence, due, balance, drift, upcoming, remind, reminders,
done, snooze, digest."""

from __future__ import annotations

from typing import Annotated

import typer

from lrm_cli import words
from lrm_cli.cli.errors import handle_errors
from lrm_cli.cli.options import ContactArg, JsonOpt, LimitOpt, choices, id_argument, one_of
from lrm_cli.cli.other_words import fix_word, no_value
from lrm_cli.cli.reads import (
    DIGEST_FORMATS,
    DUE_EXIT,
    drift_command,
    upcoming_command,
    warn_unknown_tag,
)
from lrm_cli.cli.state import Run
from lrm_cli.domain import InvalidInput


def _show_cadence(run: Run, contact: str) -> None:
    from lrm_cli.services.schedule import cadence_of
    from lrm_cli.words import cadence_source

    target, explicit, cadence = cadence_of(run.db, contact, run.clock, run.scheduler)

    def human(out) -> None:
        if cadence is None:
            out.line(
                f"{target.name}: no cadence (not tracked by due; set one with "
                f"lrm cadence {target.id} 30d, or tag them with a tag that has one)"
            )
        else:
            out.line(
                f"{target.name}: {words.every(cadence['days'], 'day')} ({cadence_source(cadence)})"
            )

    payload = {"id": target.id, "name": target.name, "cadence_days": explicit, "cadence": cadence}
    run.out.emit(payload, human)


def _cleared(run: Run, contact: str, changed: bool) -> str:
    """What ``cadence CONTACT --clear`` leaves in effect, for people: "cleared the explicit
    cadence; every 30 days from tag mentors now applies" (a tag's, or one inferred from
    the history), or that none does (``changed`` False: there was no explicit one)."""
    from lrm_cli.render.views import cadence_origin
    from lrm_cli.services.schedule import cadence_of

    _, _, cadence = cadence_of(run.db, contact, run.clock, run.scheduler)
    done = "cleared the explicit cadence" if changed else "no explicit cadence"
    if cadence is None:
        return f"{done}; no cadence {'now ' if changed else ''}applies (not tracked by due)"
    applies = "now applies" if changed else "applies"
    return f"{done}; {words.every(cadence['days'], 'day')} {cadence_origin(cadence)} {applies}"


def _tags_table(out, items: list[dict]) -> None:
    out.table(
        ["TAG", "CONTACTS", "ARCHIVED", "CADENCE"],
        [
            [
                i["tag"],
                str(i["contacts"]),
                str(i["archived"]),
                f"{i['cadence_days']}d" if i["cadence_days"] else "",
            ]
            for i in items
        ],
        empty="no tags yet",
    )


def register(app: typer.Typer, tag_app: typer.Typer) -> None:
    @app.command(rich_help_panel="Rhythm")
    @handle_errors
    def cadence(
        ctx: typer.Context,
        contact: ContactArg,
        every: Annotated[
            str | None,
            typer.Argument(
                metavar="DURATION",
                help="30d, 2w, 3m or 1y; leave out to see the cadence in effect.",
            ),
        ] = None,
        clear: Annotated[
            bool, typer.Option("--clear", help="Remove the explicit cadence.")
        ] = False,
        json_output: JsonOpt = False,
    ) -> None:
        """Set how often to reconnect with a contact; without a value, show the cadence in
        effect and where it comes from (explicit, a tag, inferred, or none).

        Example: lrm cadence ada 30d
        """
        from lrm_cli.services.schedule import set_cadence

        run = Run.of(ctx, json_output)
        if every is None and not clear:
            _show_cadence(run, contact)
            return
        if every is not None and clear:
            raise InvalidInput("give a cadence such as 30d, or --clear, not both")
        if none := no_value(every, "cadence", "'lrm cadence CONTACT --clear' removes it"):
            raise none
        target, days, changed = set_cadence(run.db, contact, None if clear else every, run.clock)
        said = words.every(days, "day") if days else "no cadence"
        if clear:
            said = _cleared(run, contact, changed)
        run.out.emit_saved(
            {"id": target.id, "name": target.name, "cadence_days": days},
            changed,
            lambda out: out.line(f"{target.name}: {said}"),
            words.no_changes(target.name, said),
        )

    @tag_app.command("cadence")
    @handle_errors
    def tag_cadence(
        ctx: typer.Context,
        tag: Annotated[str, typer.Argument(metavar="TAG", help="The tag.")],
        every: Annotated[
            str | None, typer.Argument(metavar="DURATION", help="30d, 2w, 3m or 1y.")
        ] = None,
        clear: Annotated[bool, typer.Option("--clear", help="Remove the tag's cadence.")] = False,
        json_output: JsonOpt = False,
    ) -> None:
        """Give every contact with a tag a default cadence.

        Example: lrm tag cadence close-friends 14d
        """
        from lrm_cli.services.schedule import set_tag_cadence

        run = Run.of(ctx, json_output)
        if (every is None) == (not clear):
            raise InvalidInput("give a cadence such as 14d, or --clear")
        name, days, changed = set_tag_cadence(
            run.db, tag, None if clear else every, warn=run.out.warn
        )
        said = words.every(days, "day") if days else "no cadence"
        run.out.emit_saved(
            {"tag": name, "cadence_days": days},
            changed,
            lambda out: out.line(f"{name}: {said}"),
            words.no_changes(f"tag {name}", said),
        )

    @app.command(rich_help_panel="Contacts")
    @handle_errors
    def tags(ctx: typer.Context, json_output: JsonOpt = False) -> None:
        """List tags with how many contacts carry them and their default cadences.

        Example: lrm tags
        """
        from lrm_cli.services.schedule import list_tags

        run = Run.of(ctx, json_output)
        items = list_tags(run.db)
        run.out.emit(items, lambda out: _tags_table(out, items))

    @app.command(rich_help_panel="Rhythm")
    @handle_errors
    def due(
        ctx: typer.Context,
        within: Annotated[
            str | None,
            typer.Option(
                "--within", metavar="DURATION", help="Also who falls due within this long: 7d, 2w."
            ),
        ] = None,
        tag: Annotated[
            str | None, typer.Option("--tag", "-t", metavar="TAG", help="Only this tag.")
        ] = None,
        limit: LimitOpt = None,
        json_output: JsonOpt = False,
    ) -> None:
        """Who to reach out to: due and overdue contacts, most urgent first.

        Example: lrm due --within 7d --tag close-friends
        """
        from lrm_cli.cli.reads import due_command

        due_command(Run.of(ctx, json_output), within=within, tag=tag, limit=limit)

    @app.command(rich_help_panel="Rhythm")
    @handle_errors
    def balance(
        ctx: typer.Context,
        contact: Annotated[
            str | None,
            typer.Argument(
                metavar="CONTACT", help="One contact (default: everyone, most one-sided first)."
            ),
        ] = None,
        limit: LimitOpt = None,
        json_output: JsonOpt = False,
    ) -> None:
        """Reciprocity: who reaches out and gives, time-decayed, with last year's counts.

        Example: lrm balance ada
        """
        from lrm_cli.cli.reads import balance_command

        balance_command(Run.of(ctx, json_output), contact=contact, limit=limit)

    @app.command(rich_help_panel="Rhythm")
    @handle_errors
    def drift(ctx: typer.Context, json_output: JsonOpt = False) -> None:
        """Relationships whose rhythm is fading: the last 180 days against the year before.

        Example: lrm drift
        """
        drift_command(Run.of(ctx, json_output))

    @app.command("losing-touch", rich_help_panel="Rhythm")
    @handle_errors
    def losing_touch(
        ctx: typer.Context,
        days: Annotated[
            str | None,
            typer.Option(
                "--days",
                "-d",
                metavar="DURATION",
                help="Without contact for longer than this: 90d, 6m, 1y (default: [digest] "
                "losing_touch_days, 180).",
            ),
        ] = None,
        tag: Annotated[
            str | None, typer.Option("--tag", "-t", metavar="TAG", help="Only this tag.")
        ] = None,
        limit: LimitOpt = None,
        json_output: JsonOpt = False,
    ) -> None:
        """Who you are losing touch with: people without a cadence, whom `due` never
        lists, not contacted for longer than a span (never contacted: since they were
        added), longest first.

        Example: lrm losing-touch --days 1y
        """
        from lrm_cli.dates import parse_span_days
        from lrm_cli.services import schedule

        run = Run.of(ctx, json_output)
        span = run.digest_settings.losing_touch_days
        if days is not None:
            span = parse_span_days(days, "--days")
        warn_unknown_tag(run, tag)
        if run.out.is_json:
            found = schedule.losing_touch_json(
                run.db, run.clock, run.scheduler, span, tag=tag, limit=limit
            )
            run.out.json_joined(found)
            return
        items, _total = schedule.losing_touch(
            run.db, run.clock, run.scheduler, span, tag=tag, limit=limit
        )
        run.out.table(
            ["ID", "NAME", "LAST CONTACT", "ADDED", "DAYS", "INTERACTIONS"],
            [
                [
                    str(i.id),
                    i.name,
                    str(i.last_contact or "never"),
                    str(i.added_on),
                    str(i.days_since),
                    str(i.interactions),
                ]
                for i in items
            ],
            empty=f"nobody without a cadence has gone {words.plural(span, 'day')} without contact",
        )

    @app.command(rich_help_panel="Rhythm")
    @handle_errors
    def upcoming(
        ctx: typer.Context,
        days: Annotated[
            str,
            typer.Option(
                "--days", "-d", metavar="DURATION", help="How far ahead: 14, 30d, 2w, 6m, 1y."
            ),
        ] = "14",
        json_output: JsonOpt = False,
    ) -> None:
        """Birthdays, anniversaries, custom dates and reminders in the coming days.

        Example: lrm upcoming --days 2w
        """
        upcoming_command(Run.of(ctx, json_output), days=days)

    @app.command(rich_help_panel="Rhythm")
    @handle_errors
    def remind(
        ctx: typer.Context,
        contact: Annotated[
            str | None,
            typer.Argument(metavar="CONTACT", help="Who it is about (use '-' for nobody)."),
        ],
        title: Annotated[str, typer.Argument(metavar="TEXT", help="What to do.")],
        on: Annotated[
            str | None,
            typer.Option(
                "--on",
                metavar="DATE",
                help="When: 2026-12-04, 'next friday', 'in 2 weeks', or how long from today"
                " (2w, 30d, 3m). Default: today.",
            ),
        ] = None,
        every: Annotated[
            str | None, typer.Option("--every", metavar="DURATION", help="Repeat: 2w, 3m, 1y.")
        ] = None,
        json_output: JsonOpt = False,
    ) -> None:
        """Set a reminder, optionally about a contact and repeating.

        Example: lrm remind ada "send the article" --on "next friday" --every 3m
        """
        from lrm_cli.render.digest import reminder_saved_line
        from lrm_cli.services.schedule import add_reminder, hidden_reminders, hidden_reminders_line

        run = Run.of(ctx, json_output)
        if contact and (slip := fix_word("remind", contact, title)):
            raise slip
        ref = None if contact in (None, "-") else contact
        saved = add_reminder(run.db, ref, title, on, every, run.clock)
        if saved.due_on < run.clock.today:
            late = (run.clock.today - saved.due_on).days
            run.out.warn(f"reminder #{saved.row.id} is already {words.plural(late, 'day')} overdue")
        if saved.row.contact_id and (hidden := hidden_reminders(run.db, saved.row.contact_id)):
            run.out.warn(hidden_reminders_line(saved.row.contact_name or "", hidden))
        run.out.emit(
            saved.as_json(),
            lambda out: out.line(reminder_saved_line(saved.as_json())),
        )

    @app.command(rich_help_panel="Rhythm")
    @handle_errors
    def reminders(
        ctx: typer.Context,
        all_: Annotated[
            bool,
            typer.Option("--all", "-a", help="Include done ones and those of archived contacts."),
        ] = False,
        json_output: JsonOpt = False,
    ) -> None:
        """List open reminders, soonest first (an archived contact's are hidden: --all).

        Example: lrm reminders --all
        """
        from lrm_cli.scheduler import describe_every
        from lrm_cli.services.schedule import list_reminders

        run = Run.of(ctx, json_output)
        items = list_reminders(run.db, run.clock, include_done=all_)

        def human(out) -> None:
            out.table(
                ["ID", "DUE", "TITLE", "CONTACT", "REPEATS", "DONE"],
                [
                    [
                        str(r.row.id),
                        r.row.due_on,
                        r.row.title,
                        r.row.contact_name or "",
                        describe_every(r.row.recurrence) if r.row.recurrence else "",
                        "yes" if r.row.done_at else "",
                    ]
                    for r in items
                ],
                empty="no reminders",
            )

        run.out.emit([r.as_json() for r in items], human)

    @app.command(rich_help_panel="Rhythm")
    @handle_errors
    def done(
        ctx: typer.Context,
        reminder_id: Annotated[int, id_argument("From `lrm reminders`.")],
        json_output: JsonOpt = False,
    ) -> None:
        """Mark a reminder done (a repeating one moves to its next date).

        Example: lrm done 3
        """
        from lrm_cli.services.schedule import complete

        run = Run.of(ctx, json_output)
        updated, following, changed = complete(run.db, reminder_id, run.clock)
        row = updated.row
        about = f" ({row.contact_name})" if row.contact_name else ""
        message = (
            f"reminder #{reminder_id} next on {following}: {row.title}{about}"
            if following
            else f"reminder #{reminder_id} done: {row.title}{about}"
        )
        run.out.emit_saved(
            updated.as_json(),
            changed,
            lambda out: out.line(message),
            words.no_changes(f"reminder #{reminder_id}", "already done"),
        )

    @app.command(rich_help_panel="Rhythm")
    @handle_errors
    def snooze(
        ctx: typer.Context,
        contact: ContactArg,
        until: Annotated[
            str | None,
            typer.Option(
                "--until",
                metavar="DATE",
                help="A date (2027-01-10, --01-10, 'in 2 weeks') or how long from today"
                " (2w, 30d, 3m, 1y).",
            ),
        ] = None,
        clear: Annotated[bool, typer.Option("--clear", help="End the snooze now.")] = False,
        json_output: JsonOpt = False,
    ) -> None:
        """Leave a contact out of `due` until a date, or for a while.

        Example: lrm snooze ada --until 2w
        """
        from lrm_cli.services.schedule import snooze as do_snooze

        run = Run.of(ctx, json_output)
        if (until is None) == (not clear):
            raise InvalidInput("give --until DATE, or --clear")
        if none := no_value(until, "date", "'lrm snooze CONTACT --clear' ends a snooze"):
            raise none
        target, day, changed = do_snooze(run.db, contact, None if clear else until, run.clock)
        run.out.emit_saved(
            {
                "id": target.id,
                "name": target.name,
                "snoozed_until": day.isoformat() if day else None,
            },
            changed,
            lambda out: out.line(
                f"{target.name} snoozed until {day}"
                if day
                else f"{target.name} is no longer snoozed"
            ),
            words.no_changes(target.name, f"snoozed until {day}" if day else "not snoozed"),
        )

    @app.command(rich_help_panel="Rhythm")
    @handle_errors
    def digest(
        ctx: typer.Context,
        on: Annotated[
            str | None,
            typer.Option(
                "--date",
                metavar="DATE",
                help="The day to write the digest for (default: today); a past day as it "
                "stood then, leaving out what was logged for later days.",
            ),
        ] = None,
        days: Annotated[
            str | None,
            typer.Option(
                "--days",
                "-d",
                metavar="DURATION",
                help="How far ahead to look for dates and reminders: 7, 2w, 1m (default: "
                "[digest] upcoming_days, 14).",
            ),
        ] = None,
        format_: Annotated[
            str | None,
            typer.Option(
                "--format",
                "-f",
                metavar="FORMAT",
                autocompletion=choices(DIGEST_FORMATS[1:]),
                help=f"{one_of(DIGEST_FORMATS[1:])} (default: styled at a terminal, text "
                "when piped).",
            ),
        ] = None,
        fail_if_due: Annotated[
            bool,
            typer.Option(
                "--fail-if-due",
                help=f"Exit {DUE_EXIT} when there is something to act on: someone due, a "
                "reminder due or overdue, or a birthday, anniversary or date on the day.",
            ),
        ] = False,
        explain: Annotated[
            bool,
            typer.Option(
                "--explain",
                help="Say which rule chose each next step, and why the ones before it did not.",
            ),
        ] = False,
        json_output: JsonOpt = False,
    ) -> None:
        """The morning page: who is due (with what happened last, how to reach them and a
        suggested next step), dates coming up, reminders, drifting and one-sided
        relationships.

        Example: lrm digest --format text --fail-if-due
        """
        from lrm_cli.cli.reads import check_digest_format, digest_command

        check_digest_format(format_)
        run = Run.of(ctx, json_output or format_ == "json")
        code = digest_command(
            run, on=on, format_=format_, fail_if_due=fail_if_due, explain=explain, days=days
        )
        if code:
            raise typer.Exit(code)
