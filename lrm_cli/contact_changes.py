"""What changed between two versions of a contact, in words (words.py's ``set_to``,
``added``, ``removed``): what `lrm edit` says it did, so that a slip shows at once
(and `lrm undo` takes it back). Sync words the changes it takes from a card the same way.
Stdlib only."""

from __future__ import annotations

from lrm_cli import contact_fields
from lrm_cli.domain import Contact, ContactMethod
from lrm_cli.normalize import display_method
from lrm_cli.words import added, removed, set_to


def label_of(column: str) -> str:
    """A field's name for people ("how met" for ``how_met``), from its declaration."""
    return contact_fields.BY_COLUMN[column].label


def units_set(units: tuple[str, ...] | list[str]) -> str:
    """The organisation's units as set: "organisation units: Research, Lab 2"."""
    return set_to("organisation units", ", ".join(units) or None)


def contact_changes(before: Contact, after: Contact) -> list[str]:
    """``before`` -> ``after`` as lines: each detail set or cleared (in the record's
    order), then the methods and tags added and removed."""
    out = [
        set_to(f.label, getattr(after, f.key))
        for f in contact_fields.FIELDS
        if f.role == "detail" and getattr(before, f.key) != getattr(after, f.key)
    ]
    if before.org_units != after.org_units:
        out.append(units_set(after.org_units))
    # a method whose label or address parts changed is one removed and one added
    then = [_method(m) for m in before.methods]
    now = [_method(m) for m in after.methods]
    out += [added(m[0], _shown(m)) for m in now if m not in then]
    out += [removed(m[0], _shown(m)) for m in then if m not in now]
    was, is_ = _preferred(before), _preferred(after)
    out += [
        set_to(f"preferred {k}", is_.get(k))
        for k in dict.fromkeys([*was, *is_])
        if was.get(k) != is_.get(k)
    ]
    out += [added("tag", t) for t in after.tags if t not in before.tags]
    out += [removed("tag", t) for t in before.tags if t not in after.tags]
    return out


def _preferred(contact: Contact) -> dict[str, str]:
    """Each kind's preferred method (the first marked, as the digest takes it)."""
    out: dict[str, str] = {}
    for m in contact.methods:
        if m.is_preferred:
            out.setdefault(m.kind, m.value)
    return out


def _method(m: ContactMethod) -> tuple:
    return (m.kind, m.value, m.label, tuple(m.components or ()))


def _shown(method: tuple) -> str:
    """A method as `lrm show` prints it: its value (``display_method``: a phone grouped as
    its country writes it), then its label in brackets."""
    kind, value, label, _ = method
    value = display_method(kind, value)
    return f"{value} ({label})" if label else value
