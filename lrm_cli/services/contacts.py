"""Contacts: add, edit, tag, archive, forget, list, show."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from lrm_cli import contact_fields, dates, words
from lrm_cli.clock import Clock
from lrm_cli.contact_changes import contact_changes
from lrm_cli.domain import (
    Contact,
    ContactDetail,
    ContactMethod,
    InvalidInput,
    NotFound,
    RelatedName,
    address_value,
)
from lrm_cli.normalize import (
    address_text,
    clean_text,
    held,
    normalize_email,
    normalize_phone,
    normalize_tag,
    optional_text,
    parse_address,
    same_phone,
    split_name,
    stored_address_parts,
)
from lrm_cli.services.refs import named, resolve
from lrm_cli.store import aliases, records
from lrm_cli.store import contacts as store
from lrm_cli.store.db import Database
from lrm_cli.words import near_miss

if TYPE_CHECKING:
    from lrm_cli.services.undo import Purged


@dataclass
class ContactChanges:
    """What `add` or `edit` was asked to set, as typed. ``None`` means "leave as is";
    an empty string clears a text field."""

    name: str | None = None
    given_name: str | None = None
    family_name: str | None = None
    nickname: str | None = None
    organization: str | None = None
    title: str | None = None
    how_met: str | None = None
    birthday: str | None = None
    cadence: str | None = None
    emails: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    addresses: list[str] = field(default_factory=list)  # normalize.parse_address's forms
    remove_emails: list[str] = field(default_factory=list)
    remove_phones: list[str] = field(default_factory=list)
    remove_tags: list[str] = field(default_factory=list)
    remove_addresses: list[str] = field(default_factory=list)  # by value or label
    urls: list[str] = field(default_factory=list)
    remove_urls: list[str] = field(default_factory=list)
    socials: list[str] = field(default_factory=list)  # a profile's URL, xmpp:, sip: ...
    remove_socials: list[str] = field(default_factory=list)
    remove_aliases: list[str] = field(default_factory=list)  # a merged-in name, say
    # a method (as stored or typed: an email in any case, a phone in any formatting) to
    # make the preferred one of its kind and list first: the digest reaches them by it
    prefer: str | None = None
    # (kind, value as stored) of a method added -> the one it replaces, whose label and
    # preference it keeps (a value fixed in place in the TOML view)
    replacing: dict[tuple[str, str], ContactMethod] = field(default_factory=dict)


def _fields(changes: ContactChanges, today: date) -> dict[str, object]:
    """Validated column values for the fields that were given."""
    out: dict[str, object] = {}
    if changes.name is not None:
        out["display_name"] = clean_text(changes.name, "name", required=True)
    for f in contact_fields.FREE_TEXT:
        value = getattr(changes, f.key)
        if value is not None:
            out[f.column] = optional_text(value, f.label)
    if changes.birthday is not None:
        birthday = changes.birthday
        out["birthday"] = dates.parse_birthday(birthday, today) if birthday else None
    if changes.cadence is not None:
        out["cadence_days"] = (
            dates.parse_duration_days(changes.cadence) if changes.cadence else None
        )
    return out


def _methods(changes: ContactChanges, region: str) -> list[ContactMethod]:
    methods = [ContactMethod("email", normalize_email(e)) for e in changes.emails]
    methods += [ContactMethod("phone", normalize_phone(p, region)) for p in changes.phones]
    methods += [ContactMethod("url", clean_text(u, "url", required=True)) for u in changes.urls]
    methods += [
        ContactMethod("social", clean_text(p, "social profile", required=True))
        for p in changes.socials
    ]
    for text in changes.addresses:
        components, label = parse_address(text)
        methods.append(
            ContactMethod("address", address_value(components), label, False, components)
        )
    return [_keeping(m, changes.replacing.get((m.kind, m.value))) for m in methods]


def _keeping(method: ContactMethod, replaced: ContactMethod | None) -> ContactMethod:
    if replaced is None:
        return method
    return dataclasses.replace(method, label=replaced.label, is_preferred=replaced.is_preferred)


def _address_values(current: Contact, typed: list[str]) -> tuple[list[str], list[str]]:
    """The stored values of the addresses ``typed`` names (each its one-line value, its
    parts as ``--address`` takes them, with or without its label, or a label only one
    address has), and what names none."""
    addresses = [m for m in current.methods if m.kind == "address"]
    values, missing = [], []
    for text in typed:
        wanted = text.strip()
        by_value = [
            m.value
            for m in addresses
            if wanted in (m.value, address_text(m.components, m.label, m.value))
        ]
        by_value = by_value or _addresses_with_parts(addresses, wanted)
        by_label = [m.value for m in addresses if (m.label or "").lower() == wanted.lower()]
        if by_value:
            values.append(by_value[0])
        elif len(by_label) == 1:
            values.append(by_label[0])
        elif by_label:
            raise InvalidInput(
                f"{current.name} has {len(by_label)} addresses labelled {wanted}",
                hint="give the address itself, as lrm show prints it",
            )
        else:
            missing.append(f"address {wanted}")
    return values, missing


def _addresses_with_parts(addresses: list[ContactMethod], typed: str) -> list[str]:
    """The stored values of the addresses whose parts are those ``typed`` gives (in a
    form ``--address`` takes), and whose label is the one it gives, if it gives one."""
    try:
        components, label = parse_address(typed)
    except InvalidInput:
        return []
    return [
        m.value
        for m in addresses
        if stored_address_parts(m.components, m.value) == components
        and (label is None or (m.label or "").lower() == label.lower())
    ]


def add_contact(
    db: Database,
    changes: ContactChanges,
    clock: Clock,
    region: str = "",
    warn: Callable[[str], None] | None = None,
) -> Contact:
    """Add a contact. ``warn`` (when given) hears, after the commit, of each name, email
    or phone that already belonged to someone: the contact is added all the same."""
    if not changes.name or not changes.name.strip():
        raise InvalidInput("a contact needs a name")
    fields = _fields(changes, clock.today)
    if "given_name" not in fields and "family_name" not in fields:
        fields["given_name"], fields["family_name"] = split_name(str(fields["display_name"]))
    methods = _methods(changes, region)
    tags = [normalize_tag(t) for t in changes.tags]
    with db.write() as conn:
        warnings, first_owner = (
            _already_taken(conn, str(fields["display_name"]), methods) if warn else ([], 0)
        )
        typos = tag_typos(conn, tags) if warn else []
        contact_id = store.insert(conn, fields, clock.timestamp)
        store.add_methods(conn, contact_id, methods)
        store.add_tags(conn, contact_id, tags)
        added = _get(conn, contact_id)
    if warn is not None:
        for line in [*taken_lines(warnings, first_owner, added.id), *typos]:
            warn(line)
    return added


def tag_typos(
    conn, names: list[str], fix: str = "lrm tag rename {name} {meant} folds it in"
) -> list[str]:
    """One line per tag of ``names`` that does not exist yet but is a near miss of one that
    does ("freind" for "friend"): it is made all the same (a new tag is a new word), and
    the line says how to fold it into the one meant (``fix``)."""
    existing = store.tag_names(conn)
    known = {t.casefold() for t in existing}
    lines = []
    for name in dict.fromkeys(names):
        meant = None if name.casefold() in known else near_miss(name, existing)
        if meant is not None:
            lines.append(
                f"{name!r} is a new tag: did you mean {meant!r}?"
                f" ({fix.format(name=name, meant=meant)})"
            )
    return lines


def unknown_tag(db: Database, tag: str | None) -> str | None:
    """What a list filtered by a tag no contact has ever had says beside its empty answer
    (``list``, ``due``, ``losing-touch`` with ``--tag``): that there is no such tag, and
    the near miss ("frends" for "friends"). None for a tag that exists (or no filter)."""
    if not tag:
        return None
    with db.read() as conn:
        existing = store.tag_names(conn)
    if tag.casefold() in {t.casefold() for t in existing}:
        return None
    meant = near_miss(tag, existing)
    return f"no tag {tag!r}" + (f": did you mean {meant!r}?" if meant else " (lrm tags lists them)")


def _already_taken(
    conn, name: str | None, methods: list[ContactMethod], exclude: int = 0
) -> tuple[list[str], int]:
    """One line per name (None: not asked), email or phone of a new or edited contact (id
    ``exclude``, not counted) that someone already has: "Ada Lovelace (#3) already has
    email ada@example.org"; and the id of the first such someone (0: nobody), whom ``lrm
    merge`` would keep."""
    lines = []
    first = 0
    owners = [o for o in store.find_by_name(conn, name) if o.id != exclude] if name else []
    if owners:
        lines.append(f"{named(owners)} already {_has(owners)} the name {name}")
        first = owners[0].id
    elif name:  # a slip of the keyboard, or the same name in another order
        from lrm_cli.services.merge import similar_named

        if (similar := similar_named(conn, name, exclude)) is not None:
            other, _ = similar
            lines.append(f"{named([other])} has a name like {name}")
            first = other.id
    seen: set[tuple[str, str]] = set()
    for method in methods:
        if (method.kind, method.value) in seen:
            continue
        seen.add((method.kind, method.value))
        owners = store.owners_of_method(conn, method.kind, method.value)
        owners = [o for o in owners if o.id != exclude]
        if owners:
            lines.append(f"{named(owners)} already {_has(owners)} {method.kind} {method.value}")
            first = first or owners[0].id
    return lines, first


def taken_lines(lines: list[str], first: int, contact_id: int) -> list[str]:
    """What `add` and `edit` warn of a name, email or phone someone else has
    (:func:`_already_taken`), with how to make the two one."""
    if not lines:
        return []
    return [*lines, f"the same person? lrm merge {first} {contact_id} (or lrm undo)"]


def _has(owners: list) -> str:
    return "has" if len(owners) == 1 else "have"


@dataclass(frozen=True)
class Edited:
    """The result of an edit: the contact as it now is, whether anything was written, and
    what changed in words (contact_changes.py), for the confirmation."""

    contact: Contact
    changed: bool
    changes: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()  # a new name, email or phone someone else has


def edit_contact(
    db: Database, ref: str, changes: ContactChanges, clock: Clock, region: str = ""
) -> Edited:
    """Apply ``changes`` in one transaction. A value equal to the current one is no
    change: when nothing changes, nothing is written (``updated_at`` stays). Methods are
    removed before any is added, so that a removal and an addition of the same one
    replace it."""
    fields = _fields(changes, clock.today)
    methods = _methods(changes, region)
    tags = [normalize_tag(t) for t in changes.tags]
    untags = [normalize_tag(t) for t in changes.remove_tags]
    with db.write() as conn:
        target = resolve(conn, ref)
        current = _get(conn, target.id)
        fields = {
            k: v
            for k, v in fields.items()
            if getattr(current, contact_fields.BY_COLUMN[k].key) != v
        }
        changed = bool(store.add_tags(conn, target.id, tags))
        missing = []
        for kind, typed, normalize in (
            ("email", changes.remove_emails, normalize_email),
            ("phone", changes.remove_phones, lambda p: _stored_phone(p, current, region)),
            ("url", changes.remove_urls, str.strip),
            ("social", changes.remove_socials, str.strip),
        ):
            stored = {m.value for m in current.methods if m.kind == kind}
            values = [v.strip() if v.strip() in stored else normalize(v) for v in typed]
            gone = store.remove_methods(conn, target.id, kind, values)
            changed |= len(gone) < len(values)
            missing += gone
        values, unknown = _address_values(current, changes.remove_addresses)
        changed |= bool(values) and not store.remove_methods(conn, target.id, "address", values)
        missing += unknown
        # after the removals: removing a method and adding it back written otherwise (a
        # label or a part changed in the TOML view) replaces it
        had = [(m.kind, m.value) for m in current.methods]
        arriving = [m for m in methods if not held(m.kind, m.value, had)]
        changed |= bool(store.add_methods(conn, target.id, methods))
        if changes.prefer is not None and not changes.prefer.strip():
            changed |= bool(store.clear_preferences(conn, target.id))  # --prefer '': none
        elif changes.prefer is not None:
            chosen = _method_named(_get(conn, target.id).methods, changes.prefer)
            if chosen is None:
                missing.append(f"email, phone or other method {changes.prefer.strip()!r}")
            else:
                changed |= bool(
                    store.prefer_method(conn, target.id, chosen.kind, chosen.value)
                    + store.move_method_first(conn, target.id, chosen.kind, chosen.value)
                )
        typed_aliases = [a.strip() for a in changes.remove_aliases]
        dropped, not_aliases = aliases.remove(conn, target.id, typed_aliases)
        gone_aliases = [words.removed("alias", a) for a in dropped]
        changed |= bool(gone_aliases)
        missing += [f"alias {a!r}" for a in not_aliases]
        if missing:
            raise NotFound(f"{target.name} has no {', '.join(missing)}")
        fields |= _names_following(current, fields, changes)
        if fields.get("organization", "") is None and current.org_units:
            store.set_org_units(conn, target.id, [])  # no organisation: no units either
            changed = True
        if untags:
            removed = store.remove_tags(conn, target.id, untags)
            _require_tagged(conn, target, untags, removed)
            changed = True
        if fields or changed:
            renamed_over = store.update(conn, target.id, fields, clock.timestamp)
            gone_aliases += [f"{words.removed('alias', a)} (now the name)" for a in renamed_over]
            after = _get(conn, target.id)
            name = fields.get("display_name")
            taken = _already_taken(conn, name and str(name), arriving, exclude=target.id)
            return Edited(
                after,
                True,
                (*contact_changes(current, after), *gone_aliases),
                tuple(taken_lines(*taken, target.id)),
            )
        return Edited(current, False)


def _names_following(
    current: Contact, fields: dict[str, object], changes: ContactChanges
) -> dict[str, object]:
    """A new display name carries the given and family names with it when they were only
    its split (``add "Jon Smtih"``, then ``edit --name "John Smith"``: else N kept the typo
    in search and in every exported card); names set on their own are left alone."""
    if "display_name" not in fields or changes.given_name is not None:
        return {}
    if changes.family_name is not None:
        return {}
    if (current.given_name, current.family_name) != split_name(current.name):
        return {}
    given, family = split_name(str(fields["display_name"]))
    return {
        column: value
        for column, value in (("given_name", given), ("family_name", family))
        if getattr(current, column) != value
    }


def _method_named(methods: tuple[ContactMethod, ...], typed: str) -> ContactMethod | None:
    """The method ``typed`` names: its value as `show` prints it, an email in any case, a
    phone in any formatting (``same_phone``)."""
    text = typed.strip()
    for m in methods:
        if m.value == text or (m.kind == "email" and m.value.casefold() == text.casefold()):
            return m
    phones = [m for m in methods if m.kind == "phone" and same_phone(text, m.value)]
    return phones[0] if phones else None


def _stored_phone(typed: str, current: Contact, region: str) -> str:
    """The contact's stored number that ``typed`` names (any formatting: normalize's
    ``same_phone``), else ``typed`` normalised (and then reported as not theirs)."""
    matches = [m.value for m in current.methods if m.kind == "phone" and same_phone(typed, m.value)]
    if len(set(matches)) == 1:
        return matches[0]
    return normalize_phone(typed, region)


def change_tags(
    db: Database,
    ref: str,
    tags: list[str],
    clock: Clock,
    *,
    add: bool,
    warn: Callable[[str], None] | None = None,
) -> tuple[Contact, bool]:
    """Tag (``add``) or untag a contact; return it and whether anything changed. Tags it
    already has are no change (nothing written); untagging a tag it lacks is NotFound.
    ``warn`` hears, after the commit, of a new tag that looks like a typo (:func:`tag_typos`)."""
    names = [normalize_tag(t) for t in tags]
    typos: list[str] = []
    with db.write() as conn:
        target = resolve(conn, ref)
        if add:
            typos = tag_typos(conn, names) if warn else []
            changed = bool(store.add_tags(conn, target.id, names))
        else:
            _require_tagged(conn, target, names, store.remove_tags(conn, target.id, names))
            changed = True
        if changed:
            store.touch(conn, target.id, clock.timestamp)
        tagged = _get(conn, target.id)
    if warn is not None:
        for line in typos:
            warn(line)
    return tagged, changed


@dataclass(frozen=True)
class TagRenamed:
    tag: str
    was: str
    contacts: int  # how many contacts (archived too) carry it under its new name
    merged: bool  # the new name was another tag's: the two are one now
    changed: bool
    joined: int = 0  # how many of them gained the name (had the old tag, not the new one)
    cadence_days: int | None = None  # the tag's cadence now
    cadence_dropped: int | None = None  # the old tag's cadence, when a merge did not keep it

    def as_json(self) -> dict[str, object]:
        return {
            "tag": self.tag,
            "was": self.was,
            "contacts": self.contacts,
            "joined": self.joined,
            "merged": self.merged,
            "cadence_days": self.cadence_days,
            "cadence_dropped": self.cadence_dropped,
        }


def rename_tag(db: Database, old: str, new: str, clock: Clock) -> TagRenamed:
    """A tag's typo fixed on every contact at once (``mentros`` -> ``mentors``); naming an
    existing tag merges the two (see :func:`store.rename_tag` for whose cadence stays).
    One transaction: ``lrm undo`` puts it back."""
    was, name = normalize_tag(old), normalize_tag(new)
    tag_sql = "SELECT id, name, cadence_days FROM tag WHERE name = ?"
    count_sql = "SELECT count(*) FROM contact_tag WHERE tag_id = ?"
    with db.write() as conn:
        row = conn.execute(tag_sql, (was,)).fetchone()
        if row is None:
            raise NotFound(f"no tag {was!r}", hint="lrm tags lists them")
        if row[1] == name:
            count = conn.execute(count_sql, (row[0],)).fetchone()[0]
            return TagRenamed(name, row[1], count, False, False, 0, row[2])
        carrying, merged, joined = store.rename_tag(conn, row[0], name)
        for contact_id in carrying:
            store.touch(conn, contact_id, clock.timestamp)  # their cards changed
        new_id, final, cadence = conn.execute(tag_sql, (name,)).fetchone()
        count = conn.execute(count_sql, (new_id,)).fetchone()[0]
        dropped = row[2] if row[2] is not None and row[2] != cadence else None
        return TagRenamed(final, row[1], count, merged, True, joined, cadence, dropped)


def _require_tagged(conn, target, asked: list[str], removed: list[str]) -> None:
    """Refuse (the whole write) when a tag asked off is not the contact's, with the one
    of theirs it is a slip for (``tag rm ada mentros``: mentors)."""
    missing = [t for t in asked if t.lower() not in {r.lower() for r in removed}]
    if missing:
        from lrm_cli.words import near_miss

        theirs = [t for t in store.tags_of(conn, target.id) if t not in removed]
        meant = near_miss(missing[0].lower(), theirs)
        raise NotFound(
            f"{target.name} is not tagged {', '.join(missing)}",
            hint=f"did you mean {meant!r}?" if meant else None,
        )


def set_archived(db: Database, ref: str, clock: Clock, *, archived: bool) -> tuple[Contact, bool]:
    """Archive or bring back a contact; one already so is no change (nothing written)."""
    with db.write() as conn:
        target = resolve(conn, ref)
        current = _get(conn, target.id)
        if current.archived == archived:
            return current, False
        at = clock.timestamp if archived else None
        store.set_archived(conn, target.id, at, clock.timestamp)
        return _get(conn, target.id), True


def find(db: Database, ref: str) -> Contact:
    with db.read() as conn:
        return _get(conn, resolve(conn, ref).id)


@dataclass(frozen=True)
class Forgotten:
    """What ``forget_contact`` did."""

    contact: Contact
    counts: dict[str, int]  # what went, by kind
    cards_left: list[dict[str, str]]  # card files that could not be deleted: {file, reason}
    purged: Purged | None  # with purge: the undo history emptied (services/undo.py)


def forget_contact(db: Database, ref: str, confirm=None, *, purge: bool = False) -> Forgotten:
    """Delete a contact and what belongs to it alone, then its cards in synced vdir
    folders. ``confirm(contact)`` may veto (it raises Aborted); it runs inside the
    transaction so what is shown is what goes. The caller must report the card files
    that could not be deleted (the person asked for the data to be gone). Their sync
    rows stay, so the next ``lrm sync`` deletes them once it can.

    By default ``lrm undo`` can bring the contact back: the undo journal holds what it
    needs (the rows, and the command lines, which name people). With ``purge`` nothing of
    them stays in the file: the undo history is emptied in the same transaction
    (``services.undo.erase_history``: no change can be undone after it)."""
    from lrm_cli.services import undo
    from lrm_cli.store import sync as sync_store

    cleared = 0
    with db.write() as conn:
        target = resolve(conn, ref)
        contact = _get(conn, target.id)
        if confirm is not None:
            confirm(contact)
        counts = store.delete(conn, target.id)
        places = sync_store.hrefs_of_uid(conn, contact.uid)  # its cards in synced vdirs
        if purge:
            cleared = undo.erase_history(conn)
    # The cards go after the commit, and their sync rows after them: a crash in between
    # leaves a row whose contact is gone, and the next `lrm sync` deletes that card.
    counts["cards"] = 0
    gone = []
    left: list[dict[str, str]] = []
    for folder, href in places:
        path = Path(folder) / href
        try:
            path.unlink()
            counts["cards"] += 1
        except FileNotFoundError:
            pass
        except OSError as exc:
            left.append({"file": str(path), "reason": exc.strerror or str(exc)})
            continue  # its row is kept: the next sync tries again
        gone.append((folder, href))
    if gone:
        with db.write(journal=not purge) as conn:
            for folder, href in gone:
                sync_store.drop(conn, folder, [href])
    return Forgotten(contact, counts, left, undo.after_erasing(db, cleared) if purge else None)


def is_empty(db: Database) -> bool:
    """Whether the database holds no contact at all, archived ones included."""
    with db.read() as conn:
        return not store.any_contact(conn)


def list_contacts(db: Database, **filters) -> list[store.ListedContact]:
    from lrm_cli.services.lists import list_filters

    filters = list_filters(filters)
    with db.read() as conn:
        return store.list_contacts(conn, **filters)


def contact_detail(db: Database, ref: str, *, recent: int = 10) -> ContactDetail:
    with db.read() as conn:
        target = resolve(conn, ref)
        contact = _get(conn, target.id)
        relationships = tuple(records.relationships_of(conn, target.id))
        linked = {r.other.name.casefold() for r in relationships}
        return ContactDetail(
            contact=contact,
            notes=tuple(records.notes_of(conn, target.id, limit=recent, pinned_first=True)),
            interactions=tuple(records.interactions_of(conn, target.id, limit=recent)),
            important_dates=tuple(records.important_dates_of(conn, target.id)),
            relationships=relationships,
            aliases=tuple(aliases.of(conn, target.id)),
            related_names=tuple(  # one `lrm relate` made since: listed as that, once
                r for r in related_names(conn, target.id) if r.name.casefold() not in linked
            ),
        )


def related_names(conn, contact_id: int) -> tuple[RelatedName, ...]:
    """The people the contact's card names by how they relate who are not contacts (a
    phone's "spouse: Jo Lee"), from the card's kept lines. The vCard parser is loaded
    only when a kept line can name one: most contacts have none."""
    from lrm_cli.store import vcard_io as card_store
    from lrm_cli.vocabulary import RELATED_NAME_PROPERTIES

    text = card_store.card_columns_of(conn, contact_id)["vcard_extra"]
    if not text or not any(name in text.upper() for name in RELATED_NAME_PROPERTIES):
        return ()
    from lrm_cli.formats import vcard

    lines = card_store.from_json_list(text)
    return tuple(RelatedName(r.kind, r.other, r.label) for r in vcard.related_names(lines))


def _get(conn, contact_id: int) -> Contact:
    contact = store.get(conn, contact_id)
    if contact is None:
        raise NotFound(f"contact #{contact_id} disappeared")
    return contact
