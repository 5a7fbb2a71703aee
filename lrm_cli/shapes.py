"""The JSON contract (docs/json.md): domain objects -> plain dicts.

Keys may be added, never renamed or dropped. Timestamps are ISO 8601 with the offset of
the user's zone, dates ``YYYY-MM-DD``, partial dates keep the vCard form ``--MM-DD``.
"""

from __future__ import annotations

from datetime import date, datetime, tzinfo
from typing import Any

from lrm_cli import contact_fields
from lrm_cli.domain import (
    ADDRESS_PARTS,
    Contact,
    ContactDetail,
    ContactRef,
    ImportantDate,
    Interaction,
    Note,
    Relationship,
)


def iso(moment: datetime | None, zone: tzinfo) -> str | None:
    return None if moment is None else moment.astimezone(zone).isoformat(timespec="seconds")


def day(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def ref(contact: ContactRef) -> dict[str, Any]:
    return {"id": contact.id, "name": contact.name}


def iso_ts(ts: int | None, zone: tzinfo) -> str | None:
    if ts is None:
        return None
    return datetime.fromtimestamp(ts, zone).isoformat(timespec="seconds")


def _shape(item: Any, zone: tzinfo, raw: bool, emails, phones, tags) -> dict[str, Any]:
    """The contact shape of ``item``: a ``Contact``, or with ``raw`` a row of column
    values (``ListedContact``)."""
    data: dict[str, Any] = {}
    for f in contact_fields.FIELDS:
        value = getattr(item, f.key)
        if f.shown_as:
            data[f.shown_as] = value is not None
        elif f.kind == "timestamp":
            data[f.key] = iso_ts(value, zone) if raw else iso(value, zone)
        else:
            data[f.key] = day(value) if f.kind == "date" and not raw else value
        if f.column == contact_fields.LISTS_AFTER:
            data.update(emails=emails, phones=phones, tags=tags)
    return data


def contact(c: Contact, zone: tzinfo) -> dict[str, Any]:
    """The contact shape: the record's fields (contact_fields.FIELDS) with the emails,
    phones and tags after the names."""
    return _shape(c, zone, False, c.emails, c.phones, list(c.tags))


def listed(row: Any, zone: tzinfo) -> dict[str, Any]:
    """A ``store.contacts.ListedContact`` (raw columns) in the contact shape, plus
    ``last_contact`` (``store.listing.list_json`` writes the same in SQL)."""
    data = _shape(row, zone, True, row.emails, row.phones, row.tags)
    data["last_contact"] = iso_ts(row.last_contact, zone)
    return data


def interaction(i: Interaction, zone: tzinfo) -> dict[str, Any]:
    return {
        "id": i.id,
        "uid": i.uid,
        "occurred_at": iso(i.occurred_at, zone),
        "kind": i.kind,
        "initiator": i.initiator,
        "summary": i.summary,
        "sentiment": i.sentiment,
        "weight": i.weight,
        "participants": [ref(p) for p in i.participants],
    }


def note(n: Note, zone: tzinfo) -> dict[str, Any]:
    return {
        "id": n.id,
        "contact_id": n.contact_id,
        "body": n.body,
        "pinned": n.pinned,
        "created_at": iso(n.created_at, zone),
    }


def important_date(d: ImportantDate) -> dict[str, Any]:
    return {
        "id": d.id,
        "kind": d.kind,
        "label": d.label,
        "date": d.date,
        "remind_days_before": d.remind_days_before,
    }


def relationship(r: Relationship) -> dict[str, Any]:
    return {"id": r.id, "kind": r.kind, "label": r.label, "contact": ref(r.other)}


def address_parts(components: tuple[str, ...] | list[str] | None) -> dict[str, str] | None:
    """An address's components by name (``street``, ``locality``...: domain.ADDRESS_PARTS);
    None for another method, or an address stored as one line."""
    if not components:
        return None
    return dict(zip(ADDRESS_PARTS, components, strict=True))


def detail(d: ContactDetail, zone: tzinfo) -> dict[str, Any]:
    data = contact(d.contact, zone)
    methods = [
        {
            "kind": m.kind,
            "value": m.value,
            "label": m.label,
            "preferred": m.is_preferred,
            "components": address_parts(m.components),
        }
        for m in d.contact.methods
    ]
    data.update(
        org_units=list(d.contact.org_units),
        methods=methods,
        aliases=list(d.aliases),
        notes=[note(n, zone) for n in d.notes],
        interactions=[interaction(i, zone) for i in d.interactions],
        important_dates=[important_date(x) for x in d.important_dates],
        relationships=[relationship(r) for r in d.relationships],
        related_names=[{"kind": r.kind, "label": r.label, "name": r.name} for r in d.related_names],
    )
    data.update(d.extra)
    return data


def timeline_item(item: Interaction | Note, zone: tzinfo) -> dict[str, Any]:
    if isinstance(item, Interaction):
        return {"type": "interaction", "at": iso(item.occurred_at, zone), **interaction(item, zone)}
    return {"type": "note", "at": iso(item.created_at, zone), **note(item, zone)}
