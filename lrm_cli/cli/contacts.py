"""Commands about contacts: add, edit, list, show, tag, archive, unarchive, forget."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Annotated

import typer

from lrm_cli import shapes, words
from lrm_cli.cli import prompts
from lrm_cli.cli.errors import handle_errors
from lrm_cli.cli.options import ContactArg, JsonOpt, LimitOpt, YesOpt, choices, one_of
from lrm_cli.cli.state import Run
from lrm_cli.cli.undo import warn_purged
from lrm_cli.domain import Contact, StorageError
from lrm_cli.render import views
from lrm_cli.vocabulary import LIST_SORTS
from lrm_cli.words import no_changes, plural, tally

Emails = Annotated[
    list[str] | None,
    typer.Option("--email", "-e", metavar="EMAIL", help="Add an email (repeatable)."),
]
Phones = Annotated[
    list[str] | None,
    typer.Option("--phone", "-p", metavar="PHONE", help="Add a phone (repeatable)."),
]
Addresses = Annotated[
    list[str] | None,
    typer.Option(
        "--address",
        metavar="ADDRESS",
        help=(
            "Add a postal address (repeatable): 'street=221B Baker St;city=London;postcode=NW1 6XE;"
            "country=UK;type=home' (parts: po-box, extended, street, city, region, postcode, "
            "country; type is its label), vCard's seven parts ';;221B Baker St;London;;"
            "NW1 6XE;UK', or plain text for the street."
        ),
    ),
]
Urls = Annotated[
    list[str] | None,
    typer.Option("--url", metavar="URL", help="Add a web address (repeatable)."),
]
Socials = Annotated[
    list[str] | None,
    typer.Option(
        "--social",
        metavar="PROFILE",
        help=(
            "Add a social profile or messaging address (repeatable): "
            "https://mastodon.social/@ada, xmpp:ada@example.org."
        ),
    ),
]
Tags = Annotated[
    list[str] | None, typer.Option("--tag", "-t", metavar="TAG", help="Tag (repeatable).")
]
Org = Annotated[str | None, typer.Option("--org", metavar="TEXT", help="Organisation.")]
Title = Annotated[str | None, typer.Option("--title", metavar="TEXT", help="Job title.")]
HowMet = Annotated[str | None, typer.Option("--how-met", metavar="TEXT", help="How you met.")]
Birthday = Annotated[
    str | None,
    typer.Option(
        "--birthday",
        metavar="DATE",
        help="1815-12-10, or --12-10 without a year ('10 dec 1815' works too).",
    ),
]
Cadence = Annotated[
    str | None,
    typer.Option("--cadence", metavar="DURATION", help="How often to reconnect: 30d, 2w, 3m, 1y."),
]
Nickname = Annotated[str | None, typer.Option("--nickname", metavar="TEXT", help="Nickname.")]
Given = Annotated[str | None, typer.Option("--given-name", metavar="TEXT", help="Given name.")]
Family = Annotated[str | None, typer.Option("--family-name", metavar="TEXT", help="Family name.")]


def _saved(
    run: Run, contact: Contact, verb: str, changed: bool, changes: Sequence[str] = ()
) -> None:
    run.out.emit_saved(
        shapes.contact(contact, run.clock.zone),
        changed,
        lambda out: views.contact_saved(out, contact, verb, changes),
        no_changes(views.contact_line(contact)),
    )


def _edit_in_editor(run: Run, ref: str) -> None:
    """`lrm edit CONTACT` alone: the contact as TOML in the user's editor."""
    import os

    from lrm_cli.services.contact_view import edit_in_editor
    from lrm_cli.services.editor import edit_text, editor_command

    def in_editor(text: str) -> str:  # the editor is looked for once the contact is found
        terminal = sys.stdin.isatty() and sys.stdout.isatty()
        command = editor_command(os.environ, terminal=terminal)
        return edit_text(command, text, name="contact.toml")

    edited = edit_in_editor(run.db, ref, run.clock, run.config.phone_region, in_editor)
    _saved(run, edited.contact, "updated", edited.changed, edited.changes)


def register(app: typer.Typer, tag_app: typer.Typer) -> None:
    @app.command(rich_help_panel="Contacts")
    @handle_errors
    def add(
        ctx: typer.Context,
        name: Annotated[
            str, typer.Argument(metavar="NAME", help="Display name, e.g. 'Ada Lovelace'.")
        ],
        email: Emails = None,
        phone: Phones = None,
        tag: Tags = None,
        address: Addresses = None,
        url: Urls = None,
        social: Socials = None,
        org: Org = None,
        title: Title = None,
        how_met: HowMet = None,
        birthday: Birthday = None,
        cadence: Cadence = None,
        nickname: Nickname = None,
        given_name: Given = None,
        family_name: Family = None,
        quiet: Annotated[
            bool,
            typer.Option(
                "--quiet", "-q", help="No warning when the name, an email or a phone is taken."
            ),
        ] = False,
        json_output: JsonOpt = False,
    ) -> None:
        """Add a contact. It warns (and adds it all the same) when someone already has its
        name, an email or a phone.

        Example: lrm add "Ada Lovelace" --email ada@example.org --tag mentors --cadence 30d
        """
        from lrm_cli.cli.writes import add_command

        add_command(
            Run.of(ctx, json_output),
            name=name,
            email=email,
            phone=phone,
            tag=tag,
            address=address,
            url=url,
            social=social,
            org=org,
            title=title,
            how_met=how_met,
            birthday=birthday,
            cadence=cadence,
            nickname=nickname,
            given_name=given_name,
            family_name=family_name,
            quiet=quiet,
        )

    @app.command(rich_help_panel="Contacts")
    @handle_errors
    def edit(
        ctx: typer.Context,
        contact: ContactArg,
        name: Annotated[
            str | None, typer.Option("--name", metavar="NAME", help="New display name.")
        ] = None,
        email: Emails = None,
        phone: Phones = None,
        remove_email: Annotated[
            list[str] | None,
            typer.Option("--remove-email", metavar="EMAIL", help="Remove an email."),
        ] = None,
        remove_phone: Annotated[
            list[str] | None,
            typer.Option("--remove-phone", metavar="PHONE", help="Remove a phone."),
        ] = None,
        address: Addresses = None,
        remove_address: Annotated[
            list[str] | None,
            typer.Option(
                "--remove-address",
                metavar="ADDRESS",
                help="Remove an address: as show prints it, its parts as --address takes them,"
                " or its label (home).",
            ),
        ] = None,
        url: Urls = None,
        remove_url: Annotated[
            list[str] | None,
            typer.Option("--remove-url", metavar="URL", help="Remove a web address."),
        ] = None,
        social: Socials = None,
        remove_social: Annotated[
            list[str] | None,
            typer.Option("--remove-social", metavar="PROFILE", help="Remove a social profile."),
        ] = None,
        prefer: Annotated[
            str | None,
            typer.Option(
                "--prefer",
                metavar="METHOD",
                help="Make this email, phone or other method the preferred one of its kind"
                " and list it first: the digest reaches them by it ('' : none preferred).",
            ),
        ] = None,
        remove_alias: Annotated[
            list[str] | None,
            typer.Option(
                "--remove-alias",
                metavar="NAME",
                help="Remove another name the contact is known by (one a merge gave it).",
            ),
        ] = None,
        org: Org = None,
        title: Title = None,
        how_met: HowMet = None,
        birthday: Birthday = None,
        cadence: Cadence = None,
        nickname: Nickname = None,
        given_name: Given = None,
        family_name: Family = None,
        json_output: JsonOpt = False,
    ) -> None:
        """Change a contact's fields; an empty value ('') clears a field. Without options,
        open the contact in $VISUAL or $EDITOR as TOML (save an empty file to cancel).

        Example: lrm edit ada --org "Royal Society" --email ada@royal.example --birthday ''
        """
        from lrm_cli.services.contacts import ContactChanges, edit_contact

        run = Run.of(ctx, json_output)
        options = (name, email, phone, remove_email, remove_phone, address, remove_address)
        options += (url, remove_url, social, remove_social)
        options += (prefer, remove_alias, org, title, how_met)
        options += (birthday, cadence, nickname, given_name, family_name)
        if all(value is None for value in options):
            _edit_in_editor(run, contact)
            return
        changes = ContactChanges(
            name=name,
            emails=email or [],
            phones=phone or [],
            remove_emails=remove_email or [],
            remove_phones=remove_phone or [],
            addresses=address or [],
            remove_addresses=remove_address or [],
            urls=url or [],
            remove_urls=remove_url or [],
            socials=social or [],
            remove_socials=remove_social or [],
            remove_aliases=remove_alias or [],
            prefer=prefer,
            organization=org,
            title=title,
            how_met=how_met,
            birthday=birthday,
            cadence=cadence,
            nickname=nickname,
            given_name=given_name,
            family_name=family_name,
        )
        edited = edit_contact(run.db, contact, changes, run.clock, run.config.phone_region)
        for line in edited.warnings:
            run.out.warn(line)
        _saved(run, edited.contact, "updated", edited.changed, edited.changes)

    @app.command("list", rich_help_panel="Contacts")
    @handle_errors
    def list_(
        ctx: typer.Context,
        tag: Annotated[
            str | None, typer.Option("--tag", "-t", metavar="TAG", help="Only this tag.")
        ] = None,
        search: Annotated[
            str | None,
            typer.Option(
                "--search", metavar="TEXT", help="Text in names, emails, phones, org or notes."
            ),
        ] = None,
        archived: Annotated[bool, typer.Option("--archived", help="Only archived.")] = False,
        all_: Annotated[bool, typer.Option("--all", "-a", help="Active and archived.")] = False,
        snoozed: Annotated[
            bool, typer.Option("--snoozed", help="Only those snoozed past today (lrm snooze).")
        ] = False,
        sort: Annotated[
            str,
            typer.Option(
                "--sort",
                metavar="FIELD",
                autocompletion=choices(LIST_SORTS),
                help=f"{one_of(LIST_SORTS)}.",
            ),
        ] = "name",
        reverse: Annotated[bool, typer.Option("--reverse", "-r", help="Reverse order.")] = False,
        limit: LimitOpt = None,
        json_output: JsonOpt = False,
    ) -> None:
        """List contacts (active ones unless --archived or --all).

        Example: lrm list --tag mentors --sort last-contact
        """
        from lrm_cli.cli.reads import list_command

        list_command(
            Run.of(ctx, json_output),
            tag=tag,
            search=search,
            archived=archived,
            all_=all_,
            sort=sort,
            reverse=reverse,
            limit=limit,
            snoozed=snoozed,
        )

    @app.command(rich_help_panel="Contacts")
    @handle_errors
    def show(
        ctx: typer.Context,
        contact: ContactArg,
        recent: Annotated[
            int,
            typer.Option(
                "--recent", metavar="N", min=0, help="How many notes and interactions to show."
            ),
        ] = 10,
        json_output: JsonOpt = False,
    ) -> None:
        """Show a contact: profile, methods, tags, open reminders, dates, relationships, notes
        and interactions.

        Example: lrm show ada
        """
        from lrm_cli.cli.reads import show_command

        show_command(Run.of(ctx, json_output), contact=contact, recent=recent)

    @tag_app.command("add")
    @handle_errors
    def tag_add(
        ctx: typer.Context,
        contact: ContactArg,
        tags: Annotated[list[str], typer.Argument(metavar="TAG", help="One or more tags.")],
        json_output: JsonOpt = False,
    ) -> None:
        """Tag a contact. Example: lrm tag add ada mentors close-friends"""
        from lrm_cli.services.contacts import change_tags

        run = Run.of(ctx, json_output)
        tagged, changed = change_tags(run.db, contact, tags, run.clock, add=True, warn=run.out.warn)
        _saved(run, tagged, "tagged", changed)

    @tag_app.command("rm")
    @handle_errors
    def tag_rm(
        ctx: typer.Context,
        contact: ContactArg,
        tags: Annotated[list[str], typer.Argument(metavar="TAG", help="The tags to take off.")],
        json_output: JsonOpt = False,
    ) -> None:
        """Remove tags from a contact. Example: lrm tag rm ada mentors"""
        from lrm_cli.services.contacts import change_tags

        run = Run.of(ctx, json_output)
        untagged, changed = change_tags(run.db, contact, tags, run.clock, add=False)
        _saved(run, untagged, "untagged", changed)

    @tag_app.command("rename")
    @handle_errors
    def tag_rename(
        ctx: typer.Context,
        old: Annotated[str, typer.Argument(metavar="OLD", help="The tag as it is now.")],
        new: Annotated[str, typer.Argument(metavar="NEW", help="Its new name.")],
        json_output: JsonOpt = False,
    ) -> None:
        """Rename a tag on every contact at once; naming an existing tag merges the two.

        Example: lrm tag rename mentros mentors
        """
        from lrm_cli.services.contacts import rename_tag

        run = Run.of(ctx, json_output)
        done = rename_tag(run.db, old, new, run.clock)
        run.out.emit_saved(
            done.as_json(),
            done.changed,
            lambda out: out.line(words.tag_renamed_line(done)),
            words.no_changes(f"tag {done.tag}", "already its name"),
        )

    @app.command(rich_help_panel="Contacts")
    @handle_errors
    def archive(ctx: typer.Context, contact: ContactArg, json_output: JsonOpt = False) -> None:
        """Archive a contact: kept with its history, hidden from lists and reminders.

        Example: lrm archive "Old Colleague"
        """
        from lrm_cli.services.contacts import set_archived
        from lrm_cli.services.schedule import hidden_reminders, hidden_reminders_line

        run = Run.of(ctx, json_output)
        archived, changed = set_archived(run.db, contact, run.clock, archived=True)
        _saved(run, archived, "archived", changed)
        if changed and (hidden := hidden_reminders(run.db, archived.id)):
            run.out.info(hidden_reminders_line(archived.name, hidden))

    @app.command(rich_help_panel="Contacts")
    @handle_errors
    def unarchive(ctx: typer.Context, contact: ContactArg, json_output: JsonOpt = False) -> None:
        """Bring an archived contact back. Example: lrm unarchive "Old Colleague\""""
        from lrm_cli.services.contacts import set_archived

        run = Run.of(ctx, json_output)
        back, changed = set_archived(run.db, contact, run.clock, archived=False)
        _saved(run, back, "unarchived", changed)

    @app.command(rich_help_panel="Contacts")
    @handle_errors
    def forget(
        ctx: typer.Context,
        contact: ContactArg,
        purge: Annotated[
            bool,
            typer.Option(
                "--purge",
                help="Leave nothing of them in the database file: also empty the undo "
                "history (no change can be undone any more) and compact the search index.",
            ),
        ] = False,
        yes: YesOpt = False,
        json_output: JsonOpt = False,
    ) -> None:
        """Delete a contact and everything that belongs to them alone (notes, methods,
        dates, tags, reminders, interactions nobody else took part in).

        Their cards in synced folders go too; a card that cannot be deleted is named and
        the exit code is 6 (the contact is gone; lrm sync deletes the card once it can).

        lrm undo brings them back (the undo history keeps the last 200 changes, and so
        keeps what they were); with --purge, nothing of them stays in the file. Copies
        made before (lrm db backup, exports) are yours to delete.

        Example: lrm forget "Wrong Person" --yes
        """
        from lrm_cli.services.contacts import forget_contact

        run = Run.of(ctx, json_output)

        def confirm(found: Contact) -> None:
            question = f"Forget {views.contact_line(found)} and their history?"
            if purge:
                question = question[:-1] + ", and empty the undo history?"
            prompts.confirm(
                question,
                yes=yes,
                refusal="refusing to forget without --yes when not at a terminal",
            )

        done = forget_contact(run.db, contact, confirm, purge=purge)
        gone, counts, left, purged = done.contact, done.counts, done.cards_left, done.purged
        payload = {
            "forgotten": shapes.contact(gone, run.clock.zone),
            "removed": counts,
            "cards_left": left,
            "purged": purged.as_json() if purged else None,
        }

        def human(out) -> None:
            what = f" ({tally(counts)})" if any(counts.values()) else ""
            line = f"forgot {views.contact_line(gone)}{what}"
            out.line(f"{line}; {purged.summary()}" if purged else line)

        run.out.emit(payload, human)
        if purged:
            warn_purged(run, purged)
        if left:  # the person asked for the data to be gone: a copy left is a failure
            files = "; ".join(f"{c['file']} ({c['reason']})" for c in left)
            raise StorageError(
                f"{plural(len(left), 'card file')} of {gone.name} could not be deleted: {files}",
                hint="delete it yourself; lrm sync deletes it once it can",
            )
