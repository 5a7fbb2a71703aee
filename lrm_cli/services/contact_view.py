"""`lrm edit CONTACT` without options: the contact as a TOML file in the user's editor.

The view holds the fields `edit` can change, with comments on their formats. What comes
back is read with tomllib and compared with the view as it was written: only what the
user changed is applied, through the same validation and write functions as
`lrm edit --field value` and `lrm tag add/rm` (services/contacts.py), in one transaction.
A field left out, "" or [] is cleared. An invalid edit reopens the editor with the error
as a comment at the top; saving an empty file, or leaving the file as it was, cancels
(nothing is written).

The TOML is written here: the view is flat (strings and lists of strings), so a small
writer, tested to round-trip through tomllib, spares a dependency.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from lrm_cli import contact_fields
from lrm_cli.clock import Clock
from lrm_cli.dates import format_duration_days
from lrm_cli.domain import Contact, ContactMethod, InvalidInput
from lrm_cli.normalize import (
    address_text,
    nocase,
    normalize_email,
    normalize_phone,
    normalize_tag,
    parse_address,
)
from lrm_cli.services.contacts import ContactChanges, Edited, edit_contact, find
from lrm_cli.store.db import Database

# view key -> ContactChanges attribute, in the order the view shows them: the name, the
# free text fields (contact_fields), then those with formats of their own
TEXT_FIELDS = {
    "name": "name",
    **{f.key: f.key for f in contact_fields.FREE_TEXT},
    "birthday": "birthday",
    "cadence": "cadence",
}
LIST_FIELDS = ("emails", "phones", "urls", "socials", "addresses", "tags")
COMMENTS = {
    "birthday": "1815-12-10, or --12-10 without a year",
    "cadence": 'how often to reconnect: 30d, 2w, 1m (30 days), 1y; "" for none',
    "emails": 'in quotes, separated by commas: ["ada@example.org", "ada@home.example"]',
    "phones": "kept in E.164 (+442079460000) when the number is certain, else as typed",
    "urls": 'web pages: ["https://ada.example"]',
    "socials": 'profiles, messaging handles: ["https://mastodon.social/@ada", "xmpp:ada@ex.org"]',
    "addresses": (
        "postal, as --address takes them: parts po-box, extended, street, city, region,\n"
        "postcode, country, and type for a label:\n"
        '["street=221B Baker St; city=London; postcode=NW1 6XE; country=UK; type=home"]'
    ),
    "tags": "one word each (no spaces, commas or semicolons)",
}
ERROR_MARK = "# ! "  # the lines of an error comment begin so; they are dropped on reading
Data = dict[str, Any]


# --- writing ------------------------------------------------------------------------------

_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f"}
_ESCAPES["\r"] = "\\r"
_NEEDS_ESCAPE = re.compile(r'["\\\x00-\x1f\x7f]')
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")


def toml_string(text: str) -> str:
    """``text`` as a TOML basic string: quotes, backslashes and control characters
    escaped; everything else (any Unicode) as it is."""

    def escape(m: re.Match[str]) -> str:
        ch = m.group()
        return _ESCAPES.get(ch) or f"\\u{ord(ch):04X}"

    return '"' + _NEEDS_ESCAPE.sub(escape, text) + '"'


def _commentable(text: str) -> str:
    """``text`` fit for a TOML comment, which allows no control character but tab."""
    return _CONTROL.sub(lambda m: toml_string(m.group())[1:-1], text)


def toml_list(items: list[str]) -> str:
    """A list of strings: one line when short, else one item a line (trailing comma)."""
    one_line = "[" + ", ".join(toml_string(i) for i in items) + "]"
    if len(items) < 2 and len(one_line) <= 80:
        return one_line
    return "[\n" + "".join(f"  {toml_string(i)},\n" for i in items) + "]"


def view_data(contact: Contact) -> Data:
    """What the view shows of ``contact``: every key, text as "" when empty."""
    return {
        "name": contact.name,
        **{f.key: getattr(contact, f.key) or "" for f in contact_fields.FREE_TEXT},
        "birthday": contact.birthday or "",
        "cadence": format_duration_days(contact.cadence_days) if contact.cadence_days else "",
        "emails": contact.emails,
        "phones": contact.phones,
        "urls": contact.values("url"),
        "socials": contact.values("social"),
        "addresses": [
            address_text(m.components, m.label, m.value)
            for m in contact.methods
            if m.kind == "address"
        ],
        "tags": list(contact.tags),
    }


def render(contact: Contact) -> str:
    """The TOML file the editor opens."""
    lines = [
        f"# Editing {_commentable(contact.name)} (#{contact.id}) with lrm:"
        " change what you like, save and quit.",
        "# To cancel, quit without saving or save an empty file.",
        '# A field set to "" or [] (or left out) is cleared.',
        "",
    ]
    for key, value in view_data(contact).items():
        if key in COMMENTS:
            lines += [f"# {line}" for line in COMMENTS[key].splitlines()]
        shown = toml_list(value) if key in LIST_FIELDS else toml_string(value)
        lines.append(f"{key} = {shown}")
    return "\n".join(lines) + "\n"


def with_error(body: str, message: str) -> str:
    """``body`` (what the user saved, without an earlier error comment) under a comment
    saying what was wrong. Line numbers in the message are moved to match the new file."""
    header = [
        f"{ERROR_MARK}lrm could not apply this edit:",
        *(f"{ERROR_MARK}  {_commentable(line)}" for line in message.splitlines() or [""]),
        f"{ERROR_MARK}Fix it and save, or save an empty file to cancel.",
    ]
    shift = len(header)
    header = [
        re.sub(r"\(at line (\d+),", lambda m: f"(at line {int(m[1]) + shift},", line)
        for line in header
    ]
    return "\n".join(header) + "\n" + body


def strip_error(text: str) -> str:
    """``text`` without the error comment :func:`with_error` put at its top."""
    lines = text.splitlines(keepends=True)
    start = 0
    while start < len(lines) and lines[start].startswith(ERROR_MARK.rstrip()):
        start += 1
    return "".join(lines[start:])


# --- reading ------------------------------------------------------------------------------


def parse(text: str) -> Data:
    """The view's data from the saved text: every key (a missing one as "" or []); {} for
    a file with nothing but comments and blanks. InvalidInput names what is wrong."""
    import tomllib

    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InvalidInput(f"not valid TOML: {exc}") from None
    if not raw:
        return {}
    unknown = [k for k in raw if k not in TEXT_FIELDS and k not in LIST_FIELDS]
    if unknown:
        known = ", ".join([*TEXT_FIELDS, *LIST_FIELDS])
        raise InvalidInput(f"unknown field {unknown[0]!r}: the fields are {known}")
    data: Data = {}
    for key in TEXT_FIELDS:
        data[key] = _text(key, raw.get(key, ""))
    for key in LIST_FIELDS:
        data[key] = _strings(key, raw.get(key, []))
    return data


def _text(key: str, value: object) -> str:
    if isinstance(value, str):
        return value
    if key == "birthday" and isinstance(value, date) and not isinstance(value, datetime):
        return value.isoformat()  # birthday = 1815-12-10 without quotes is a TOML date
    if key == "cadence" and isinstance(value, int) and not isinstance(value, bool):
        return str(value)  # a bare number of days
    kind = "a time" if isinstance(value, datetime | time) else type(value).__name__
    raise InvalidInput(f'{key} must be text in quotes ("..."), not {kind}')


def _strings(key: str, value: object) -> list[str]:
    if isinstance(value, str):
        return [value] if value.strip() else []
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return [v for v in value if v.strip()]
    raise InvalidInput(f'{key} must be a list of texts in quotes: ["...", "..."]')


# --- applying -----------------------------------------------------------------------------


def changes_between(
    before: Data, after: Data, region: str = "", methods: Iterable[ContactMethod] = ()
) -> ContactChanges:
    """What to ask `edit` for so that ``before`` becomes ``after``: the text fields that
    differ, and the emails, phones, web pages, social profiles and tags added and removed.
    Emails, phones and tags are compared normalised (by the normalisers `edit` uses), so
    "Ada@Example.org" for "ada@example.org" is no change, and addresses by their parts
    and label; their order is not part of the edit. A changed address is removed and
    added again as written (`edit` removes first). A value put in place of another (the
    same place in its list) keeps the label and preference of the one it replaces, found
    among ``methods`` (the contact's): a typo fixed in a work email leaves it a work email."""
    stored = {(m.kind, m.value): m for m in methods}
    changes = ContactChanges()
    for key, attr in TEXT_FIELDS.items():
        if after[key] != before[key]:
            setattr(changes, attr, after[key])
    for key, normalize, add, remove in (
        ("emails", normalize_email, "emails", "remove_emails"),
        ("phones", lambda p: normalize_phone(p, region), "phones", "remove_phones"),
        ("urls", str.strip, "urls", "remove_urls"),
        ("socials", str.strip, "socials", "remove_socials"),
        ("addresses", _address_form, "addresses", "remove_addresses"),
        ("tags", normalize_tag, "tags", "remove_tags"),
    ):
        fold = nocase if key == "tags" else _same
        # a value kept as it was is not validated again (an import may have stored
        # what `edit` would refuse): the user did not touch it
        wanted = [v if v in before[key] else normalize(v) for v in after[key]]
        had = {fold(v) for v in before[key]}
        kept = {fold(v) for v in wanted}
        setattr(changes, add, [v for v in wanted if fold(v) not in had])
        setattr(changes, remove, [v for v in before[key] if fold(v) not in kept])
        if key in _KINDS:
            gone = set(getattr(changes, remove))
            for place, value in enumerate(wanted):
                old = before[key][place] if place < len(before[key]) else None
                if old in gone and fold(value) not in had and (_KINDS[key], old) in stored:
                    changes.replacing[_KINDS[key], value] = stored[_KINDS[key], old]
    return changes


_KINDS = {"emails": "email", "phones": "phone", "urls": "url", "socials": "social"}


def _same(text: str) -> str:
    return text


def _address_form(text: str) -> str:
    """An address as typed, in the view's own form (so that one written otherwise with
    the same parts and label is no change)."""
    components, label = parse_address(text)
    return address_text(components, label, "")


def keep_unsaved_edit(database: Path, contact_id: int, text: str) -> Path:
    """Keep what the user wrote in an edit that was refused and then given up, so that
    minutes of typing are not lost to one bad value: ``unsaved-edits/contact-ID.toml``
    beside the database (0600 in a 0700 folder, the data's own privacy; the next such
    edit of that contact replaces it)."""
    from lrm_cli.private_files import make_private_folder, write_private

    folder = database.parent / "unsaved-edits"
    make_private_folder(folder)
    path = folder / f"contact-{contact_id}.toml"
    write_private(path, text.encode("utf-8"))
    return path


def edit_in_editor(
    db: Database,
    ref: str,
    clock: Clock,
    region: str,
    edit_text: Callable[[str], str],
) -> Edited:
    """Open the contact in ``edit_text`` (text in, saved text out) until the edit applies
    or the user cancels; return the edit (services/contacts.py's ``Edited``).

    Cancelling (saved as shown, emptied, or the same invalid text saved again) before
    any invalid edit is "no changes" (exit 0). After one, what the user wrote was not
    saved: InvalidInput (exit 5) says so with the reason, never "no changes"."""
    contact = find(db, ref)
    presented = render(contact)
    before = parse(presented)
    previous: str | None = None  # the body saved last round, when it was invalid
    refused: str | None = None  # why it was invalid

    def cancelled() -> Edited:
        if refused is None:
            return Edited(contact, False)
        kept = keep_unsaved_edit(db.path, contact.id, previous or "")
        raise InvalidInput(
            f"edit cancelled, nothing saved to {contact.name} #{contact.id}: {refused}",
            hint=f"what you wrote is in {kept}; 'lrm edit {contact.id}' opens the contact again",
        )

    while True:
        saved = edit_text(presented)
        body = strip_error(saved)
        if saved == presented or body == previous or not body.strip():
            return cancelled()  # left as it was, or emptied
        try:
            after = parse(body)
            if after and after != before:
                changes = changes_between(before, after, region, contact.methods)
                return edit_contact(db, f"#{contact.id}", changes, clock, region)
        except InvalidInput as exc:
            presented = with_error(body, exc.message)
            previous = body
            refused = exc.message.splitlines()[0] if exc.message.strip() else "not valid"
            continue
        return cancelled() if not after else Edited(contact, False)  # only comments: cancelled
