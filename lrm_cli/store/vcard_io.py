"""SQL for vCard import and export: look-ups by uid, email and phone, inserts with the
timestamps a card carries, and bulk reads (one query per table) for export."""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from lrm_cli import card_memory, contact_fields
from lrm_cli.domain import ContactMethod
from lrm_cli.normalize import nocase
from lrm_cli.store import contacts
from lrm_cli.store.contacts import prefer_method  # noqa: F401  (the one rule, for the importer)

FIELDS = contact_fields.IMPORTED  # what a card sets
CARD_COLUMNS = contact_fields.CARD_COLUMNS  # what only a card sets (migration 0009)


def json_list(values) -> str | None:
    """A list of strings as the JSON text a column holds; None for an empty one."""
    return json.dumps(list(values), ensure_ascii=False) if values else None


def from_json_list(text: str | None) -> list[str]:
    return json.loads(text) if text else []


def id_by_uid(conn: sqlite3.Connection, uid: str) -> int | None:
    """The contact with this UID, else the one a contact with it was merged into."""
    row = conn.execute(  # one statement: a 100k-card import asks it for every card
        "SELECT id FROM contact WHERE uid = ?1"
        " UNION ALL SELECT contact_id FROM merged_uid WHERE uid = ?1 LIMIT 1",
        (uid,),
    ).fetchone()
    return row[0] if row else None


def id_by_method(conn: sqlite3.Connection, kind: str, value: str) -> int | None:
    row = conn.execute(
        "SELECT contact_id FROM contact_method WHERE kind = ? AND value = ? "
        "ORDER BY contact_id LIMIT 1",
        (kind, value),
    ).fetchone()
    return row[0] if row else None


def contacts_by_method(
    conn: sqlite3.Connection, kind: str, value: str
) -> list[tuple[int, str, str | None, str | None, str | None]]:
    """(id, display name, given, family, nickname) of every contact with this method (a
    phone: ``normalize.same_phone``, as every look-up of a number)."""
    columns = "c.id, c.display_name, c.given_name, c.family_name, c.nickname"
    if kind != "phone":
        return conn.execute(
            f"SELECT {columns} FROM contact_method m JOIN contact c ON c.id = m.contact_id "
            "WHERE m.kind = ? AND m.value = ? ORDER BY c.id",
            (kind, value),
        ).fetchall()
    ids = contacts.ids_with_phone(conn, value)
    if not ids:
        return []
    marks = ", ".join("?" * len(ids))
    return conn.execute(
        f"SELECT {columns} FROM contact c WHERE c.id IN ({marks}) ORDER BY c.id", list(ids)
    ).fetchall()


def top_contact_id(conn: sqlite3.Connection) -> int:
    """The largest contact id, 0 in an empty file."""
    return conn.execute("SELECT coalesce(max(id), 0) FROM contact").fetchone()[0]


def names(conn: sqlite3.Connection) -> list[tuple[int, str]]:
    return conn.execute("SELECT id, display_name FROM contact ORDER BY id").fetchall()


def fields_of(conn: sqlite3.Connection, contact_id: int) -> dict[str, Any]:
    row = conn.execute(
        f"SELECT {', '.join(FIELDS)} FROM contact WHERE id = ?", (contact_id,)
    ).fetchone()
    return dict(zip(FIELDS, row, strict=True))


def insert_contact(
    conn: sqlite3.Connection,
    uid: str,
    fields: dict[str, Any],
    created: int,
    updated: int,
    card: dict[str, Any] | None = None,
    contact_id: int | None = None,
) -> int:
    """Insert a contact: its ``fields``, and ``card``'s columns (CARD_COLUMNS) when given;
    with the id ``contact_id`` when given (the caller checked it is free)."""
    extra = card or {}
    columns = ["uid", "created_at", "updated_at", *fields, *extra]
    values = [uid, created, updated, *fields.values(), *extra.values()]
    if contact_id is not None:
        columns.append("id")
        values.append(contact_id)
    marks = ", ".join("?" for _ in columns)
    cur = conn.execute(f"INSERT INTO contact ({', '.join(columns)}) VALUES ({marks})", values)
    return int(cur.lastrowid)


def id_is_free(conn: sqlite3.Connection, contact_id: int) -> bool:
    return conn.execute("SELECT 1 FROM contact WHERE id = ?", (contact_id,)).fetchone() is None


def card_columns_of(conn: sqlite3.Connection, contact_id: int) -> dict[str, Any]:
    row = conn.execute(
        f"SELECT {', '.join(CARD_COLUMNS)} FROM contact WHERE id = ?", (contact_id,)
    ).fetchone()
    return dict(zip(CARD_COLUMNS, row, strict=True))


def set_card_columns(conn: sqlite3.Connection, contact_id: int, values: dict[str, Any]) -> None:
    unknown = set(values) - set(CARD_COLUMNS)
    if unknown:
        raise ValueError(f"not a card column: {unknown}")
    if values:
        sets = ", ".join(f"{name} = ?" for name in values)
        conn.execute(f"UPDATE contact SET {sets} WHERE id = ?", [*values.values(), contact_id])


def set_fields(conn: sqlite3.Connection, contact_id: int, fields: dict[str, Any], now: int):
    """Set what a card brings (FIELDS: its details and whether it is archived)."""
    contacts.update(conn, contact_id, fields, now, allowed=FIELDS)


def methods_of(conn: sqlite3.Connection, contact_id: int) -> list[tuple[str, str]]:
    return conn.execute(
        "SELECT kind, value FROM contact_method WHERE contact_id = ?", (contact_id,)
    ).fetchall()


def insert_methods(
    conn: sqlite3.Connection, contact_id: int, methods: Iterable[ContactMethod], first: int = 0
) -> None:
    rows = [
        (
            contact_id,
            m.kind,
            m.value,
            m.label,
            m.is_preferred,
            first + i,
            json_list(m.components) if m.components and any(m.components) else None,
        )
        for i, m in enumerate(methods)
    ]
    if rows:  # (a statement prepared for nothing costs as much as a row, per card)
        conn.executemany(
            "INSERT INTO contact_method (contact_id, kind, value, label, is_preferred, position,"
            " components) VALUES (?, ?, ?, ?, ?, ?, ?)",
            rows,
        )


def method_rows(conn: sqlite3.Connection, contact_id: int) -> list[ContactMethod]:
    """The contact's methods (kind, value, preferred), in order."""
    return [
        ContactMethod(kind, value, None, bool(pref))
        for kind, value, pref in conn.execute(
            "SELECT kind, value, is_preferred FROM contact_method WHERE contact_id = ?"
            " ORDER BY position, id",
            (contact_id,),
        )
    ]


def next_position(conn: sqlite3.Connection, contact_id: int) -> int:
    row = conn.execute(
        "SELECT max(position) FROM contact_method WHERE contact_id = ?", (contact_id,)
    ).fetchone()
    return 0 if row[0] is None else row[0] + 1


def tag_ids(conn: sqlite3.Connection) -> dict[str, int]:
    """Every tag, keyed by its name with ASCII letters lower-cased (names compare NOCASE)."""
    return {nocase(name): tid for tid, name in conn.execute("SELECT id, name FROM tag")}


def insert_tag(conn: sqlite3.Connection, name: str) -> int:
    return int(conn.execute("INSERT INTO tag (name) VALUES (?)", (name,)).lastrowid)


def link_tags(conn: sqlite3.Connection, contact_id: int, ids: Iterable[int]) -> int:
    rows = [(contact_id, t) for t in ids]
    if not rows:
        return 0
    before = conn.total_changes
    conn.executemany("INSERT OR IGNORE INTO contact_tag (contact_id, tag_id) VALUES (?, ?)", rows)
    return conn.total_changes - before


def dates_of(
    conn: sqlite3.Connection, contact_id: int
) -> list[tuple[int | None, str, str, str | None]]:
    """(id, kind, date, label) of the contact's dates."""
    return conn.execute(
        "SELECT id, kind, date, label FROM important_date WHERE contact_id = ?", (contact_id,)
    ).fetchall()


def set_date_day(conn: sqlite3.Connection, date_id: int, day: str) -> None:
    conn.execute("UPDATE important_date SET date = ? WHERE id = ?", (day, date_id))


def insert_dates(conn: sqlite3.Connection, contact_id: int, dates: Iterable[tuple]) -> None:
    rows = [(contact_id, *d) for d in dates]
    if rows:
        conn.executemany(
            "INSERT INTO important_date (contact_id, kind, date, label, remind_days_before) "
            "VALUES (?, ?, ?, ?, ?)",
            rows,
        )


def note_bodies(conn: sqlite3.Connection, contact_id: int) -> set[str]:
    return {r[0] for r in conn.execute("SELECT body FROM note WHERE contact_id = ?", (contact_id,))}


def edit_notes(conn: sqlite3.Connection, contact_id: int, edits: list[tuple[str, str]]) -> None:
    """Each (old, new): the contact's first note whose body is ``old`` reads ``new``."""
    conn.executemany(
        "UPDATE note SET body = ? WHERE id = (SELECT id FROM note WHERE contact_id = ? "
        "AND body = ? ORDER BY id LIMIT 1)",
        [(new, contact_id, old) for old, new in edits],
    )


def insert_notes(conn: sqlite3.Connection, contact_id: int, notes: Iterable[tuple]) -> None:
    rows = [(contact_id, *n) for n in notes]
    if rows:
        conn.executemany(
            "INSERT INTO note (contact_id, body, created_at, pinned) VALUES (?, ?, ?, ?)", rows
        )


# --- export: everything in one query per table -----------------------------------------------


def contact_ids(conn: sqlite3.Connection) -> list[int]:
    return [r[0] for r in conn.execute("SELECT id FROM contact ORDER BY id")]


def export_rows(
    conn: sqlite3.Connection,
    ids: list[int] | None = None,
    *,
    between: tuple[int, int] | None = None,
) -> dict[str, Any]:
    """Contacts (archived too) by id (each row the record's columns, then CARD_COLUMNS),
    and their methods, tags, dates, notes, outgoing relationships, relationships both ways
    round (``related``: kind, outgoing, other's name) and aliases grouped by
    contact id, each in a stable order; only ``ids`` if given (sync re-renders the
    contacts it changed), or only those whose id is ``between`` two ids, both included
    (an export's batch of consecutive contacts: a range is one index search a table,
    where a list of ids is one search an id; a cold read of 1,000: ~10 ms, not ~26)."""
    if between is not None:
        args: list[int] = list(between)
        listed = "BETWEEN ?1 AND ?2 "
    else:
        args = list(ids) if ids is not None else []
        listed = f"IN ({', '.join(f'?{i + 1}' for i in range(len(args)))}) "
    limited = ids is not None or between is not None

    def where(column: str) -> str:
        return f"WHERE {column} {listed}" if limited else ""

    contact_rows = conn.execute(
        f"SELECT {contact_fields.sql_columns()}, {', '.join(CARD_COLUMNS)} FROM contact "
        f"{where('id')}ORDER BY id",
        args,
    ).fetchall()
    queries = {
        "methods": "SELECT contact_id, kind, value, label, is_preferred, components "
        "FROM contact_method "
        f"{where('contact_id')}ORDER BY contact_id, position, id",
        "tags": "SELECT ct.contact_id, t.name FROM contact_tag ct JOIN tag t ON t.id = ct.tag_id "
        f"{where('ct.contact_id')}ORDER BY ct.contact_id, t.name COLLATE NOCASE, t.name",
        "dates": "SELECT contact_id, kind, date, label, remind_days_before FROM important_date "
        f"{where('contact_id')}ORDER BY contact_id, id",
        "notes": "SELECT contact_id, body, created_at, pinned FROM note "
        f"{where('contact_id')}ORDER BY contact_id, created_at, id",
        "relations": "SELECT r.contact_id, r.kind, c.uid, r.label FROM relationship r "
        f"JOIN contact c ON c.id = r.other_contact_id {where('r.contact_id')}"
        "ORDER BY r.contact_id, r.id",
        "aliases": "SELECT contact_id, name FROM contact_alias "
        f"{where('contact_id')}ORDER BY contact_id, id",
    }
    grouped: dict[str, dict[int, list]] = {}
    for key, sql in queries.items():
        bucket: dict[int, list] = defaultdict(list)
        for row in conn.execute(sql, args):
            bucket[row[0]].append(row[1:])
        grouped[key] = bucket
    # every relationship of the contact, both ways round (kind, 1 when it is the contact's
    # own row, the other's name, the row's label): its related names (X-ABRELATEDNAMES)
    related: dict[int, list] = defaultdict(list)
    for row in conn.execute(
        "SELECT r.contact_id, r.kind, 1, c.display_name, r.id, r.label, r.id AS own "
        "FROM relationship r JOIN contact c ON c.id = r.other_contact_id "
        + (f"WHERE r.contact_id {listed}" if limited else "")
        + "UNION ALL SELECT r.other_contact_id, r.kind, 0, c.display_name, r.id, r.label, NULL "
        "FROM relationship r JOIN contact c ON c.id = r.contact_id "
        + (f"WHERE r.other_contact_id {listed}" if limited else "")
        # its own rows in their order (its card's X-LRM-RELATED lines bring them back in
        # it), the others' by name and kind: an import numbers the others' rows in the
        # order of their cards, and the card must come out the same bytes all the same
        + "ORDER BY 1, 3 DESC, 7, 4, 2, 5",
        args,
    ):
        related[row[0]].append((*row[1:4], row[5]))
    grouped["related"] = related
    return {"contacts": contact_rows, **grouped}


def seen_cards(conn: sqlite3.Connection, contact_id: int) -> dict[str, Any]:
    """What each card of the contact gave it when last imported, by card key (card_memory)."""
    row = conn.execute("SELECT cards FROM card_seen WHERE contact_id = ?", (contact_id,)).fetchone()
    return json.loads(row[0]) if row else {}


def remember_cards(conn: sqlite3.Connection, contact_id: int, cards: dict[str, Any]) -> None:
    """Keep what the contact's cards gave; no write (nothing for ``lrm undo``) when it is
    what was kept."""
    conn.execute(
        "INSERT INTO card_seen (contact_id, cards) VALUES (?, ?) "
        "ON CONFLICT (contact_id) DO UPDATE SET cards = excluded.cards "
        "WHERE cards IS NOT excluded.cards",
        (contact_id, card_memory.dumps(cards)),
    )


def remember_new_cards(conn: sqlite3.Connection, rows: list[tuple[int, dict[str, Any]]]) -> None:
    """(contact id, its cards) of contacts this import made, in one statement and out of the
    undo journal: undoing the import deletes the contacts, and these rows with them (ON
    DELETE CASCADE)."""
    from lrm_cli.store.undo import unjournaled

    with unjournaled(conn):
        conn.executemany(
            "INSERT INTO card_seen (contact_id, cards) VALUES (?, ?)",
            [(cid, card_memory.dumps(cards)) for cid, cards in rows],
        )


def move_seen_cards(conn: sqlite3.Connection, keep: int, other: int) -> None:
    """A merge: ``other``'s cards become ``keep``'s too (``keep``'s own win a shared key)."""
    theirs = seen_cards(conn, other)
    if theirs:
        remember_cards(conn, keep, {**theirs, **seen_cards(conn, keep)})
