"""Resolving what a user typed into one contact (DESIGN §4).

In order: a numeric id (``12`` or ``#12``; ``#12`` is only ever an id), a uid, an exact
name (case-insensitive), a name prefix, then a prefix of any later word of the name
("love" finds "Ada Lovelace"). The first rule that matches decides: one match wins;
several are an Ambiguous error listing them; none falls through to the next rule, and
after the last one the reference is NotFound.
"""

from __future__ import annotations

import sqlite3

from lrm_cli.domain import Ambiguous, ContactRef, InvalidInput, NotFound
from lrm_cli.store import contacts as store


def resolve(conn: sqlite3.Connection, ref: str) -> ContactRef:
    text = ref.strip()
    if not text:
        raise InvalidInput("empty contact reference")
    lookups = []
    if text.startswith("#") and text[1:].isdigit():
        return _only(store.find_by_id(conn, int(text[1:])), ref)
    if text.isdigit():
        lookups.append(lambda: store.find_by_id(conn, int(text)))
    lookups += [
        lambda: store.find_by_uid(conn, text),
        lambda: store.find_by_name(conn, text),
        lambda: store.find_by_prefix(conn, text),
        lambda: store.find_by_word_prefix(conn, text),
    ]
    for lookup in lookups:
        found = lookup()
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            shown = [f"{c.name} (#{c.id})" for c in found[:10]]
            more = f" and {len(found) - 10} more" if len(found) > 10 else ""
            raise Ambiguous(
                f"{ref!r} matches {len(found)} contacts: {', '.join(shown)}{more}",
                candidates=[c.name for c in found],
                hint="use the id (#N) or more of the name",
            )
    raise NotFound(f"no contact matches {ref!r}", hint=f"lrm list --search {text!r}")


def _only(found: list[ContactRef], ref: str) -> ContactRef:
    if not found:
        raise NotFound(f"no contact matches {ref!r}")
    return found[0]


def resolve_many(conn: sqlite3.Connection, refs: list[str]) -> list[ContactRef]:
    found = [resolve(conn, r) for r in refs]
    return list({c.id: c for c in found}.values())
