"""Interactions, notes, relationships and important dates: SQL in, domain objects out."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

from lrm_cli.domain import ContactRef, ImportantDate, Interaction, Note, Relationship
from lrm_cli.store.changes import update_changed
from lrm_cli.store.contacts import new_uid
from lrm_cli.store.timeutil import from_ts
from lrm_cli.vocabulary import RELATIONSHIP_INVERSE


def insert_interaction(
    conn: sqlite3.Connection,
    *,
    occurred_at: int,
    kind: str,
    initiator: str,
    summary: str | None,
    sentiment: int | None,
    weight: float | None,
    contact_ids: Sequence[int],
    now: int,
    uid: str | None = None,
) -> int:
    cur = conn.execute(
        "INSERT INTO interaction (uid, occurred_at, kind, initiator, summary, sentiment, "
        "weight, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (uid or new_uid(), occurred_at, kind, initiator, summary, sentiment, weight, now),
    )
    interaction_id = int(cur.lastrowid)
    conn.executemany(
        "INSERT INTO interaction_participant (interaction_id, contact_id, occurred_at, "
        "initiator) VALUES (?, ?, ?, ?)",
        [(interaction_id, cid, occurred_at, initiator) for cid in dict.fromkeys(contact_ids)],
    )
    return interaction_id


def _participants(conn: sqlite3.Connection, ids: list[int]) -> dict[int, list[ContactRef]]:
    result: dict[int, list[ContactRef]] = {i: [] for i in ids}
    if not ids:
        return result
    marks = ",".join("?" for _ in ids)
    for iid, cid, name in conn.execute(
        "SELECT p.interaction_id, c.id, c.display_name FROM interaction_participant p "
        f"JOIN contact c ON c.id = p.contact_id WHERE p.interaction_id IN ({marks}) "
        "ORDER BY lrm_name_order(c.display_name), c.id",
        ids,
    ):
        result[iid].append(ContactRef(cid, name))
    return result


_INTERACTION = "i.id, i.uid, i.occurred_at, i.kind, i.initiator, i.summary, i.sentiment, i.weight"


def _interactions(conn: sqlite3.Connection, rows: list[Sequence]) -> list[Interaction]:
    people = _participants(conn, [r[0] for r in rows])
    return [
        Interaction(
            id=r[0],
            uid=r[1],
            occurred_at=from_ts(r[2]),
            kind=r[3],
            initiator=r[4],
            summary=r[5],
            sentiment=r[6],
            weight=r[7],
            participants=tuple(people[r[0]]),
        )
        for r in rows
    ]


def get_interaction(conn: sqlite3.Connection, interaction_id: int) -> Interaction | None:
    rows = conn.execute(
        f"SELECT {_INTERACTION} FROM interaction i WHERE i.id = ?", (interaction_id,)
    ).fetchall()
    found = _interactions(conn, rows)
    return found[0] if found else None


def same_day_twin(
    conn: sqlite3.Connection,
    interaction: Interaction,
    day_start: int,
    day_end: int,
) -> Interaction | None:
    """An earlier interaction on the same day (``day_start`` <= t < ``day_end``) with one
    of ``interaction``'s participants, of the same kind and with the same summary (case
    and spacing aside; none matches none): the same thing logged twice, most likely."""
    people = [p.id for p in interaction.participants]
    marks = ",".join("?" for _ in people)
    summary = " ".join((interaction.summary or "").split()).casefold()
    for (other_id,) in conn.execute(
        "SELECT DISTINCT p.interaction_id FROM interaction_participant p "
        f"WHERE p.contact_id IN ({marks}) AND p.occurred_at >= ? AND p.occurred_at < ? "
        "AND p.interaction_id != ? ORDER BY p.interaction_id",
        (*people, day_start, day_end, interaction.id),
    ):
        other = get_interaction(conn, other_id)
        if other is None or other.kind != interaction.kind:
            continue
        if " ".join((other.summary or "").split()).casefold() == summary:
            return other
    return None


def interactions_of(
    conn: sqlite3.Connection,
    contact_id: int | None,
    *,
    since: int | None = None,
    until: int | None = None,
    limit: int | None = None,
) -> list[Interaction]:
    """Newest first; one range scan of ix_participant_contact_time (of
    ix_interaction_occurred_at for everyone's, ``contact_id`` None)."""
    tail = "ORDER BY {t}.occurred_at DESC, i.id DESC" + (f" LIMIT {int(limit)}" if limit else "")
    low = since if since is not None else -(2**62)
    high = until if until is not None else 2**62
    if contact_id is None:
        sql = (
            f"SELECT {_INTERACTION} FROM interaction i "
            "WHERE i.occurred_at >= ? AND i.occurred_at < ? " + tail.format(t="i")
        )
        return _interactions(conn, conn.execute(sql, (low, high)).fetchall())
    sql = (
        f"SELECT {_INTERACTION} FROM interaction_participant p "
        "JOIN interaction i ON i.id = p.interaction_id WHERE p.contact_id = ? "
        "AND p.occurred_at >= ? AND p.occurred_at < ? " + tail.format(t="p")
    )
    return _interactions(conn, conn.execute(sql, (contact_id, low, high)).fetchall())


def insert_note(
    conn: sqlite3.Connection, contact_id: int, body: str, pinned: bool, now: int
) -> int:
    cur = conn.execute(
        "INSERT INTO note (contact_id, body, created_at, pinned) VALUES (?, ?, ?, ?)",
        (contact_id, body, now, pinned),
    )
    return int(cur.lastrowid)


def _note(r: Sequence) -> Note:
    return Note(id=r[0], contact_id=r[1], body=r[2], created_at=from_ts(r[3]), pinned=bool(r[4]))


def get_note(conn: sqlite3.Connection, note_id: int) -> Note | None:
    row = conn.execute(
        "SELECT id, contact_id, body, created_at, pinned FROM note WHERE id = ?", (note_id,)
    ).fetchone()
    return _note(row) if row else None


def notes_of(
    conn: sqlite3.Connection,
    contact_id: int | None,
    *,
    since: int | None = None,
    until: int | None = None,
    limit: int | None = None,
    pinned_first: bool = False,
) -> list[Note]:
    """A contact's notes (everyone's, ``contact_id`` None), newest first."""
    order = "pinned DESC, created_at DESC, id DESC" if pinned_first else "created_at DESC, id DESC"
    who = "contact_id = ? AND " if contact_id is not None else ""
    sql = (
        f"SELECT id, contact_id, body, created_at, pinned FROM note WHERE {who}"
        f"created_at >= ? AND created_at < ? ORDER BY {order}"
        + (f" LIMIT {int(limit)}" if limit else "")
    )
    low = since if since is not None else -(2**62)
    high = until if until is not None else 2**62
    args = (low, high) if contact_id is None else (contact_id, low, high)
    return [_note(r) for r in conn.execute(sql, args)]


def insert_relationship(
    conn: sqlite3.Connection, a: int, b: int, kind: str, label: str | None = None
) -> bool:
    """Record "B is A's <kind>" (``label``: the word a card or the user gave it); False
    when that row is there already."""
    cur = conn.execute(
        "INSERT OR IGNORE INTO relationship (contact_id, other_contact_id, kind, label) "
        "VALUES (?, ?, ?, ?)",
        (a, b, kind, label),
    )
    return cur.rowcount > 0


def own_relationship(
    conn: sqlite3.Connection, a: int, b: int, kind: str
) -> tuple[int, str | None] | None:
    """(id, label) of the row "B is A's <kind>" as A's (not its reading from B's side)."""
    return conn.execute(
        "SELECT id, label FROM relationship WHERE contact_id = ? AND other_contact_id = ? "
        "AND kind = ?",
        (a, b, kind),
    ).fetchone()


def set_relationship(
    conn: sqlite3.Connection, rid: int, a: int, b: int, kind: str, label: str | None
) -> None:
    """Row ``rid`` as "B is A's <kind>" in A's word ``label`` (its id kept)."""
    conn.execute(
        "UPDATE relationship SET contact_id = ?, other_contact_id = ?, kind = ?, label = ? "
        "WHERE id = ?",
        (a, b, kind, label, rid),
    )


# How a relationship reads from the other side ("A is B's parent" -> "B is A's child").
INVERSE = RELATIONSHIP_INVERSE


def relationships_of(conn: sqlite3.Connection, contact_id: int) -> list[Relationship]:
    """Both directions, phrased from ``contact_id``'s side: kind is what the *other* is."""
    result = []
    for kind, other_id, other_name, outgoing, rid, label in conn.execute(
        "SELECT r.kind, c.id, c.display_name, 1, r.id, r.label FROM relationship r "
        "JOIN contact c ON c.id = r.other_contact_id WHERE r.contact_id = ?1 "
        "UNION ALL SELECT r.kind, c.id, c.display_name, 0, r.id, NULL FROM relationship r "
        "JOIN contact c ON c.id = r.contact_id WHERE r.other_contact_id = ?1 "
        "ORDER BY 3, 5",
        (contact_id,),
    ):
        # Stored as (A, B, kind, label) meaning "B is A's <kind>" (A's word: <label>).
        shown = kind if outgoing else INVERSE.get(kind, kind)
        other = ContactRef(other_id, other_name)
        result.append(Relationship(kind=shown, other=other, id=rid, label=label))
    return result


def insert_important_date(
    conn: sqlite3.Connection,
    contact_id: int,
    kind: str,
    on: str,
    label: str | None,
    remind_days_before: int | None,
) -> int:
    cur = conn.execute(
        "INSERT INTO important_date (contact_id, kind, label, date, remind_days_before) "
        "VALUES (?, ?, ?, ?, ?)",
        (contact_id, kind, label, on, remind_days_before),
    )
    return int(cur.lastrowid)


def important_dates_of(conn: sqlite3.Connection, contact_id: int) -> list[ImportantDate]:
    return [
        ImportantDate(
            id=r[0], contact_id=r[1], kind=r[2], label=r[3], date=r[4], remind_days_before=r[5]
        )
        for r in conn.execute(
            "SELECT id, contact_id, kind, label, date, remind_days_before FROM important_date "
            "WHERE contact_id = ? ORDER BY substr(date, -5), id",
            (contact_id,),
        )
    ]


def delete_important_date(conn: sqlite3.Connection, contact_id: int, date_id: int) -> bool:
    cur = conn.execute(
        "DELETE FROM important_date WHERE id = ? AND contact_id = ?", (date_id, contact_id)
    )
    return cur.rowcount > 0


# --- corrections: change or delete one record --------------------------------------------

INTERACTION_COLUMNS = ("occurred_at", "kind", "initiator", "summary", "sentiment", "weight")


def update_interaction(conn: sqlite3.Connection, interaction_id: int, fields: dict) -> bool:
    """Set some of INTERACTION_COLUMNS where they differ; the participants' copies of
    occurred_at and initiator (kept for the scheduler's indexes) follow. True when the
    interaction changed (else nothing is written)."""
    unknown = set(fields) - set(INTERACTION_COLUMNS)
    if unknown:
        raise ValueError(f"not an interaction field: {unknown}")
    if not update_changed(conn, "interaction", interaction_id, fields):
        return False
    conn.execute(
        "UPDATE interaction_participant SET occurred_at = i.occurred_at, "
        "initiator = i.initiator FROM (SELECT occurred_at, initiator FROM interaction "
        "WHERE id = ?1) AS i WHERE interaction_id = ?1",
        (interaction_id,),
    )
    return True


def participant_ids(conn: sqlite3.Connection, interaction_id: int) -> list[int]:
    return [
        r[0]
        for r in conn.execute(
            "SELECT contact_id FROM interaction_participant WHERE interaction_id = ? "
            "ORDER BY contact_id",
            (interaction_id,),
        )
    ]


def add_participants(conn: sqlite3.Connection, interaction_id: int, ids: Sequence[int]) -> None:
    conn.executemany(
        "INSERT OR IGNORE INTO interaction_participant (interaction_id, contact_id, "
        "occurred_at, initiator) SELECT id, ?, occurred_at, initiator FROM interaction "
        "WHERE id = ?",
        [(cid, interaction_id) for cid in ids],
    )


def remove_participants(conn: sqlite3.Connection, interaction_id: int, ids: Sequence[int]) -> None:
    conn.executemany(
        "DELETE FROM interaction_participant WHERE interaction_id = ? AND contact_id = ?",
        [(interaction_id, cid) for cid in ids],
    )


def delete_interaction(conn: sqlite3.Connection, interaction_id: int) -> bool:
    """The interaction and its participants (ON DELETE CASCADE)."""
    return conn.execute("DELETE FROM interaction WHERE id = ?", (interaction_id,)).rowcount > 0


def update_note(
    conn: sqlite3.Connection,
    note_id: int,
    *,
    body: str | None,
    pinned: bool | None,
    contact_id: int | None = None,
) -> bool:
    """Set the body, the pin and/or whom it is about (None: as is) where they differ; True
    when changed."""
    given = (("body", body), ("pinned", pinned), ("contact_id", contact_id))
    fields = {k: v for k, v in given if v is not None}
    return update_changed(conn, "note", note_id, fields)


def delete_note(conn: sqlite3.Connection, note_id: int) -> bool:
    return conn.execute("DELETE FROM note WHERE id = ?", (note_id,)).rowcount > 0


def _between(a: int, b: int, kind: str | None) -> tuple[str, tuple]:
    """The relationships between ``a`` and ``b`` in either direction (of one kind as seen
    from ``a``: "B is A's parent" is stored (A, B, parent) or (B, A, child); "B is A's
    spouse" (A, B, spouse) or (B, A, spouse)): a WHERE clause and its arguments."""
    if kind is None:
        return (
            "(contact_id = ?1 AND other_contact_id = ?2) "
            "OR (contact_id = ?2 AND other_contact_id = ?1)",
            (a, b),
        )
    return (
        "(contact_id = ?1 AND other_contact_id = ?2 AND kind = ?3) "
        "OR (contact_id = ?2 AND other_contact_id = ?1 AND kind = ?4)",
        (a, b, kind, INVERSE.get(kind, kind)),
    )


def relationship_exists(conn: sqlite3.Connection, a: int, b: int, kind: str) -> bool:
    """Whether "B is A's <kind>" is recorded, either way round."""
    where, args = _between(a, b, kind)
    found = conn.execute(f"SELECT EXISTS (SELECT 1 FROM relationship WHERE {where})", args)
    return bool(found.fetchone()[0])


def delete_relationships(conn: sqlite3.Connection, a: int, b: int, kind: str | None) -> int:
    """Relationships between ``a`` and ``b`` in either direction (``_between``)."""
    where, args = _between(a, b, kind)
    return conn.execute(f"DELETE FROM relationship WHERE {where}", args).rowcount
