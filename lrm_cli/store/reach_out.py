"""The facts the digest shows beside each person due (``lrm_cli.nextstep`` decides with
them), and the tag read of `tags`.

The digest shows a few people (``[digest] due_limit``), so each kind of fact is one
statement over the shown ids: a correlated subquery per id walks an index from its
newest end (``ix_participant_contact_time``, ``ix_note_contact_time``,
``ix_contact_method_contact``), and nothing scans a table.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, NamedTuple

from lrm_cli.domain import MERGE_NOTE_HEAD

if TYPE_CHECKING:
    from lrm_cli.store.scheduler_sql import AsOf


def _marks(ids: Sequence[int]) -> str:
    return ",".join("?" for _ in ids)


def _happened(as_of: AsOf | None) -> str:
    """The condition a participation ``p`` meets when it had happened as of ``as_of``'s day
    (``AsOf.happened``), to add to a WHERE clause; nothing without one."""
    return "" if as_of is None else f" AND {as_of.happened('p.occurred_at')}"


class LastRow(NamedTuple):
    occurred_at: int
    kind: str
    initiator: str
    summary: str | None


def last_interactions(
    conn: sqlite3.Connection, ids: Sequence[int], as_of: AsOf | None = None
) -> dict[int, LastRow]:
    """Each contact's newest interaction (the one its ``contact_stats.last_at`` is), as of
    the end of ``as_of``'s day when given."""
    if not ids:
        return {}
    rows = conn.execute(
        "SELECT c.id, i.occurred_at, i.kind, i.initiator, i.summary FROM contact c "
        "JOIN interaction i ON i.id = (SELECT p.interaction_id FROM interaction_participant p "
        f"WHERE p.contact_id = c.id{_happened(as_of)} "
        "ORDER BY p.occurred_at DESC, p.interaction_id DESC LIMIT 1) "
        f"WHERE c.id IN ({_marks(ids)})",
        list(ids),
    )
    return {cid: LastRow(*rest) for cid, *rest in rows}


# What counts as no summary: empty, or only these characters (exactly those for which
# ``str.isspace()`` is true, so SQL's ``trim(summary, BLANK)`` and Python's ``strip()`` agree;
# a test checks the list).
BLANK = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004"
    "\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)


class TopicRow(NamedTuple):
    occurred_at: int
    summary: str


def last_topics(
    conn: sqlite3.Connection, ids: Sequence[int], as_of: AsOf | None = None
) -> dict[int, TopicRow]:
    """Each contact's newest interaction with a summary that is not blank (``BLANK``),
    for the contacts that have one (as of the end of ``as_of``'s day when given): what
    was last talked about. One statement over the
    ids; each walks ``ix_participant_contact_time`` from its newest end and stops at the
    first summary. Ties in time go to the interaction logged last, as in
    :func:`last_interactions`, so the two agree when the newest has a summary."""
    if not ids:
        return {}
    rows = conn.execute(
        "SELECT c.id, i.occurred_at, i.summary FROM contact c "
        "JOIN interaction i ON i.id = (SELECT p.interaction_id FROM interaction_participant p "
        "JOIN interaction s ON s.id = p.interaction_id "
        f"WHERE p.contact_id = c.id{_happened(as_of)} AND trim(s.summary, ?) <> '' "
        "ORDER BY p.occurred_at DESC, p.interaction_id DESC LIMIT 1) "
        f"WHERE c.id IN ({_marks(ids)})",
        [BLANK, *ids],
    )
    return {cid: TopicRow(*rest) for cid, *rest in rows}


def pinned_notes(conn: sqlite3.Connection, ids: Sequence[int]) -> dict[int, str]:
    """Each contact's newest pinned note."""
    if not ids:
        return {}
    rows = conn.execute(
        "SELECT c.id, (SELECT n.body FROM note n WHERE n.contact_id = c.id AND n.pinned "
        "ORDER BY n.created_at DESC, n.id DESC LIMIT 1) AS body FROM contact c "
        f"WHERE c.id IN ({_marks(ids)}) AND body IS NOT NULL",
        list(ids),
    )
    return dict(rows.fetchall())


class NotesSince(NamedTuple):
    """The newest of a contact's notes written since a time, and how many there are."""

    created_at: int
    body: str
    count: int


def notes_since(
    conn: sqlite3.Connection, since: Mapping[int, int | None], as_of: AsOf | None = None
) -> dict[int, NotesSince]:
    """For each contact id of ``since``: its notes written after that time (any, for
    None: never talked), unpinned (a pinned note is shown as such) and the user's own
    (not lrm's record of a merge, ``domain.MERGE_NOTE_HEAD``), and written by the end of
    ``as_of``'s day when given: the newest of them (ties go to the note written last) and
    their number, for the contacts that have one. Something learnt or planned since you
    last talked."""
    if not since:
        return {}
    mine = (
        f"{{n}}.contact_id = s.id AND NOT {{n}}.pinned AND {{n}}.created_at > s.at "
        f"AND substr({{n}}.body, 1, {len(MERGE_NOTE_HEAD)}) <> :merged"
    )
    if as_of is not None:
        mine += f" AND {as_of.happened('{n}.created_at')}"
    rows = conn.execute(
        "WITH s(id, at) AS (SELECT CAST(key AS INTEGER), coalesce(value, -1) "
        "FROM json_each(:since)) "
        "SELECT s.id, n.created_at, n.body, "
        f"(SELECT count(*) FROM note m WHERE {mine.format(n='m')}) FROM s "
        f"JOIN note n ON n.id = (SELECT n.id FROM note n WHERE {mine.format(n='n')} "
        "ORDER BY n.created_at DESC, n.id DESC LIMIT 1)",
        {"since": json.dumps({str(k): v for k, v in since.items()}), "merged": MERGE_NOTE_HEAD},
    )
    return {cid: NotesSince(at, body, count) for cid, at, body, count in rows}


class MethodRow(NamedTuple):
    kind: str
    value: str
    label: str | None
    preferred: bool


def methods(conn: sqlite3.Connection, ids: Sequence[int]) -> dict[int, list[MethodRow]]:
    """Each contact's methods in their listed order."""
    found: dict[int, list[MethodRow]] = {}
    if not ids:
        return found
    rows = conn.execute(
        "SELECT contact_id, kind, value, label, is_preferred FROM contact_method "
        f"WHERE contact_id IN ({_marks(ids)}) ORDER BY contact_id, position, id",
        list(ids),
    )
    for cid, kind, value, label, preferred in rows:
        found.setdefault(cid, []).append(MethodRow(kind, value, label, bool(preferred)))
    return found


def last_channels(
    conn: sqlite3.Connection,
    ids: Sequence[int],
    channels: Mapping[str, Sequence[str]],
    as_of: AsOf | None = None,
) -> dict[int, str]:
    """For each contact without a preferred method: the kind of its newest interaction
    (as of the end of ``as_of``'s day when given) whose kind is a key of ``channels`` and
    for which it has a method of one of that key's method kinds (``nextstep.CHANNELS``)."""
    if not ids or not channels:
        return {}
    pairs = [(ik, mk) for ik, kinds in channels.items() for mk in kinds]
    match = " OR ".join("(i.kind = ? AND m.kind = ?)" for _ in pairs)
    args: list[object] = [v for pair in pairs for v in pair]
    kinds = list(channels)
    sql = (
        "SELECT c.id, (SELECT i.kind FROM interaction_participant p "
        "JOIN interaction i ON i.id = p.interaction_id "
        f"WHERE p.contact_id = c.id{_happened(as_of)} AND i.kind IN ({_marks(kinds)}) "
        "AND EXISTS (SELECT 1 FROM contact_method m WHERE m.contact_id = c.id "
        f"AND ({match})) ORDER BY p.occurred_at DESC LIMIT 1) AS channel FROM contact c "
        f"WHERE c.id IN ({_marks(ids)}) AND channel IS NOT NULL AND NOT EXISTS "
        "(SELECT 1 FROM contact_method m WHERE m.contact_id = c.id AND m.is_preferred)"
    )
    return dict(conn.execute(sql, [*kinds, *args, *ids]).fetchall())


# --- tags ----------------------------------------------------------------------------------------


class TagRow(NamedTuple):
    name: str
    contacts: int  # not archived
    archived: int
    cadence_days: int | None


def tags(conn: sqlite3.Connection) -> list[TagRow]:
    """Every tag by name, with how many active and archived contacts carry it."""
    rows = conn.execute(
        "SELECT t.name, count(c.id) - count(c.archived_at), count(c.archived_at), "
        "t.cadence_days FROM tag t LEFT JOIN contact_tag ct ON ct.tag_id = t.id "
        "LEFT JOIN contact c ON c.id = ct.contact_id GROUP BY t.id ORDER BY t.name"
    )
    return [TagRow(*r) for r in rows]
