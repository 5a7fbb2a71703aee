"""The JSON contract (docs/json.md): domain objects -> plain dicts.

Keys may be added, never renamed or dropped. Timestamps are ISO 8601 with the offset of
the user's zone, dates ``YYYY-MM-DD``, partial dates keep the vCard form ``--MM-DD``.
"""

from __future__ import annotations

from datetime import date, datetime, tzinfo
from typing import Any

from lrm_cli.domain import (
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


def contact(c: Contact, zone: tzinfo) -> dict[str, Any]:
    return {
        "id": c.id,
        "uid": c.uid,
        "name": c.name,
        "given_name": c.given_name,
        "family_name": c.family_name,
        "nickname": c.nickname,
        "organization": c.organization,
        "title": c.title,
        "emails": c.emails,
        "phones": c.phones,
        "tags": list(c.tags),
        "birthday": c.birthday,
        "how_met": c.how_met,
        "cadence_days": c.cadence_days,
        "snoozed_until": day(c.snoozed_until),
        "archived": c.archived,
        "created_at": iso(c.created_at, zone),
        "updated_at": iso(c.updated_at, zone),
    }


def listed(row: Any, zone: tzinfo) -> dict[str, Any]:
    """A ``store.contacts.ListedContact`` (raw columns) in the contact shape, plus
    ``last_contact`` (``store.listing.list_json`` writes the same in SQL)."""

    def stamp(ts: int | None) -> str | None:
        return iso_ts(ts, zone)

    return {
        "id": row.id,
        "uid": row.uid,
        "name": row.name,
        "given_name": row.given_name,
        "family_name": row.family_name,
        "nickname": row.nickname,
        "organization": row.organization,
        "title": row.title,
        "emails": row.emails,
        "phones": row.phones,
        "tags": row.tags,
        "birthday": row.birthday,
        "how_met": row.how_met,
        "cadence_days": row.cadence_days,
        "snoozed_until": row.snoozed_until,
        "archived": row.archived_at is not None,
        "created_at": stamp(row.created_at),
        "updated_at": stamp(row.updated_at),
        "last_contact": stamp(row.last_contact),
    }


def iso_ts(ts: int | None, zone: tzinfo) -> str | None:
    if ts is None:
        return None
    return datetime.fromtimestamp(ts, zone).isoformat(timespec="seconds")


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
    return {"id": r.id, "kind": r.kind, "contact": ref(r.other)}


def detail(d: ContactDetail, zone: tzinfo) -> dict[str, Any]:
    data = contact(d.contact, zone)
    methods = [
        {"kind": m.kind, "value": m.value, "label": m.label, "preferred": m.is_preferred}
        for m in d.contact.methods
    ]
    data.update(
        methods=methods,
        notes=[note(n, zone) for n in d.notes],
        interactions=[interaction(i, zone) for i in d.interactions],
        important_dates=[important_date(x) for x in d.important_dates],
        relationships=[relationship(r) for r in d.relationships],
    )
    data.update(d.extra)
    return data


def timeline_item(item: Interaction | Note, zone: tzinfo) -> dict[str, Any]:
    if isinstance(item, Interaction):
        return {"type": "interaction", "at": iso(item.occurred_at, zone), **interaction(item, zone)}
    return {"type": "note", "at": iso(item.created_at, zone), **note(item, zone)}
