"""The bodies of the writes people type many times a day (add, log, note), shared by the
Typer commands and the fast path (cli/fast.py), as cli/reads.py is for the reads; nothing
here imports Typer. Each takes every keyword from Typer or from the fast path's table (no
defaults of its own) and returns the exit code."""

from __future__ import annotations

import re

from lrm_cli.cli.other_words import fix_word, kind_named_by, log_word_hint, quoted
from lrm_cli.cli.state import Run
from lrm_cli.domain import InvalidInput, NotFound

NOTE_FIXES = ("edit", "rm")  # `note edit ID`, `note rm ID`: cli/interactions.py


def add_command(
    run: Run,
    *,
    name: str,
    email: list[str] | None,
    phone: list[str] | None,
    tag: list[str] | None,
    address: list[str] | None,
    url: list[str] | None,
    social: list[str] | None,
    org: str | None,
    title: str | None,
    how_met: str | None,
    birthday: str | None,
    cadence: str | None,
    nickname: str | None,
    given_name: str | None,
    family_name: str | None,
    quiet: bool,
) -> int:
    from lrm_cli import shapes
    from lrm_cli.render import views
    from lrm_cli.services.contacts import ContactChanges, add_contact

    as_method = name_as_method(name)
    emails, phones = list(email or []), list(phone or [])
    also = {"email": emails, "phone": phones}.get(as_method or "")
    if also is not None and name.strip() not in also:
        also.append(name.strip())
    changes = ContactChanges(
        name=name,
        emails=emails,
        phones=phones,
        tags=tag or [],
        addresses=address or [],
        urls=url or [],
        socials=social or [],
        organization=org,
        title=title,
        how_met=how_met,
        birthday=birthday,
        cadence=cadence,
        nickname=nickname,
        given_name=given_name,
        family_name=family_name,
    )
    warn = None if quiet else run.out.warn
    contact = add_contact(run.db, changes, run.clock, run.config.phone_region, warn)
    run.out.emit(
        shapes.contact(contact, run.clock.zone),
        lambda out: views.contact_saved(out, contact, "added"),
    )
    if as_method and warn:
        warn(
            f"{name.strip()!r} looks like {'an' if as_method == 'email' else 'a'} {as_method},"
            f" not a name: it is their {as_method} too; to name them:"
            f" lrm edit #{contact.id} --name NAME"
        )
    return 0


_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_PHONE = re.compile(r"\+?[0-9 ().-]+")


def name_as_method(name: str) -> str | None:
    """ "email" or "phone" when the name given to ``lrm add`` is one (``lrm add
    ann@example.com``), else None.

    What a new user means by it: this person, whose name they do not know or did not
    think to type. Refusing would leave them to invent one; so the contact is added,
    named by it, with it as their email or phone as well (as an import does with a card
    that has no name), and a warning says how to name them (``lrm edit``, whose new name
    then also gives the given and family names). A phone is at least 7 figures of digits,
    spaces, ( ) . - and a leading +."""
    text = name.strip()
    if _EMAIL.fullmatch(text):
        return "email"
    if _PHONE.fullmatch(text) and sum(c.isdigit() for c in text) >= 7:
        return "phone"
    return None


def log_command(
    run: Run,
    *,
    contacts: list[str],
    kind: str | None,
    initiator: str,
    when: str | None,
    summary: str | None,
    sentiment: str | None,
    weight: float | None,
    future: bool,
) -> int:
    """``kind`` None: not given, so "other"; when the summary's first words name a kind
    ("Lunch at the market"), a hint with the command that sets it."""
    from lrm_cli import shapes
    from lrm_cli.render import views
    from lrm_cli.services.records import LogRequest, log_interaction, logged_before

    if slip := fix_word("log", contacts[0], contacts[1] if len(contacts) > 1 else None):
        raise slip
    request = LogRequest(
        contacts=contacts,
        kind=kind or "other",
        initiator=initiator,
        when=when,
        summary=summary,
        sentiment=sentiment,
        weight=weight,
        future=future,
    )
    try:
        saved = log_interaction(run.db, request, run.clock, run.scheduler)
    except NotFound as exc:  # a summary typed without -s: say so (cli/other_words.py)
        if not exc.near and (hint := log_word_hint(contacts, exc.ref, summary)):
            exc.hint = hint
        raise
    zone = run.clock.zone
    run.out.emit(
        shapes.interaction(saved, zone),
        lambda out: out.line("logged " + views.interaction_line(saved, zone, out)),
    )
    if kind is None and (named := kind_named_by(summary)):
        fix = ["lrm", "interaction", "edit", str(saved.id), "--kind", named]
        run.out.info(f"hint: logged as 'other'; to make it '{named}': {quoted(fix)}")
    if twin := logged_before(run.db, saved, run.clock):
        run.out.warn(
            f"#{twin.id} on the same day looks the same ({twin.kind}, "
            f"{'no summary' if not twin.summary else repr(twin.summary)}); "
            f"both are kept: 'lrm undo' takes #{saved.id} back"
        )
    return 0


NOTE_MOVES = "--contact moves a note: lrm note edit ID --contact CONTACT"


def note_command(
    run: Run,
    *,
    contact: str,
    text: str | None,
    more: str | None,
    pin: bool,
    unpin: bool,
    move_to: str | None,
) -> int:
    """A new note. ``note edit|rm`` (CONTACT one of NOTE_FIXES) are the Typer command's
    own (cli/interactions.py), which calls this for the others; the fast path leaves them
    to Typer."""
    from lrm_cli import shapes
    from lrm_cli.services.records import add_note

    if slip := fix_word("note", contact, text):
        raise slip
    zone = run.clock.zone
    if more is not None:
        raise InvalidInput(f"unexpected extra argument {more!r}", hint="quote the note")
    if move_to is not None:
        raise InvalidInput(
            NOTE_MOVES,
            hint=f"a new note names its contact first: lrm note {move_to} TEXT",
        )
    if text is None:  # who it is about before the editor: a typo must not cost the note
        from lrm_cli.services.contacts import find

        contact = f"#{find(run.db, contact).id}"
    body = note_text(text, "")
    saved, whose = add_note(run.db, contact, body, run.clock, pinned=pin)
    run.out.emit(
        shapes.note(saved, zone), lambda out: out.line(f"noted #{saved.id} for {whose.name}")
    )
    return 0


def note_text(text: str | None, current: str) -> str:
    """The note as given: - reads standard input, none opens $VISUAL/$EDITOR on
    ``current`` (comment lines starting with # are dropped)."""
    import sys

    if text == "-":
        return sys.stdin.read()
    if text is not None:
        return text
    import os

    from lrm_cli.services.editor import edit_text, editor_command

    terminal = sys.stdin.isatty() and sys.stdout.isatty()
    command = editor_command(os.environ, terminal=terminal, instead="give the text (- reads stdin)")
    header = "# Write the note below. Lines starting with # are ignored; empty aborts.\n"
    written = edit_text(command, header + current, name="note.md")
    return "\n".join(line for line in written.splitlines() if not line.startswith("#")).strip()
