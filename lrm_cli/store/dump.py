"""Every table in and out at once, for ``lrm export json`` and ``lrm import json``.

Rows travel as plain dicts keyed by column name (timestamps as epoch seconds); references
between records use contact uids, so a dump can be loaded into another database. Reads are
one query per table (grouped in Python), not one per contact. Derived data
(``contact_stats``) is neither read nor written here: callers recompute it.
"""

from __future__ import annotations

import sqlite3
import uuid
from collections import defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from lrm_cli import contact_fields
from lrm_cli.store import aliases, json_sql
from lrm_cli.store.tables import DATA_TABLES

if TYPE_CHECKING:
    from lrm_cli.store.db import Gate
    from lrm_cli.store.helper import Helper

CONTACT_FIELDS = contact_fields.COLUMNS
# What a vCard brought beyond the record (migration 0009), as the columns hold it (JSON
# arrays as text); rows without them (older files) insert NULL.
CARD_COLUMNS = contact_fields.CARD_COLUMNS
ROW_COLUMNS = (*CONTACT_FIELDS, *CARD_COLUMNS)


def row_counts(conn: sqlite3.Connection) -> dict[str, int]:
    return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in DATA_TABLES}


def is_empty(conn: sqlite3.Connection) -> bool:
    return not any(conn.execute(f"SELECT 1 FROM {t} LIMIT 1").fetchone() for t in DATA_TABLES)


def _rows(conn: sqlite3.Connection, sql: str) -> list[dict]:
    cur = conn.execute(sql)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur]


def read_all(conn: sqlite3.Connection) -> dict[str, list[dict]]:
    """Everything, in a fixed order (ids, method positions, tag names), contacts with
    their methods, tag names, aliases, important dates and notes nested."""
    sections = sections_of(conn)
    participants: dict[int, list[str]] = defaultdict(list)
    for interaction_id, uid in conn.execute(
        "SELECT p.interaction_id, c.uid FROM interaction_participant p "
        "JOIN contact c ON c.id = p.contact_id"
    ):
        participants[interaction_id].append(uid)
    interactions = _rows(
        conn,
        "SELECT id, uid, occurred_at, kind, initiator, summary, sentiment, weight, created_at "
        "FROM interaction ORDER BY id",
    )
    for i in interactions:
        i["participants"] = sorted(participants.get(i["id"], []))
    return {key: list(rows) for key, rows in sections.items()} | {
        "contacts": list(_contacts(conn)),
        "interactions": interactions,
    }


def sections_of(conn: sqlite3.Connection) -> dict[str, Iterable]:
    """What ``formats.json_io.stream`` writes but the contacts and the interactions
    (:func:`contact_pieces` and :func:`interaction_pieces` give them), read inside the
    caller's read transaction."""
    return {
        "tags": _rows(conn, "SELECT name, cadence_days FROM tag ORDER BY name, id"),
        "relationships": _rows(
            conn,
            "SELECT r.id, a.uid AS contact_uid, b.uid AS other_uid, r.kind, r.label "
            "FROM relationship r "
            "JOIN contact a ON a.id = r.contact_id JOIN contact b ON b.id = r.other_contact_id "
            "ORDER BY r.id",
        ),
        "reminders": _rows(
            conn,
            "SELECT r.id, r.uid, r.title, r.due_on, r.recurrence, r.done_at, r.created_at, "
            "c.uid AS contact_uid FROM reminder r LEFT JOIN contact c ON c.id = r.contact_id "
            "ORDER BY r.id",
        ),
    }


def _contacts(conn: sqlite3.Connection) -> Iterator[dict]:
    """Every contact, by id, with its parts (read first, grouped by contact: a small
    fraction of the rows): what :func:`contact_pieces` renders, as rows."""
    methods: dict[int, list[dict]] = defaultdict(list)
    for row in _rows(
        conn,
        "SELECT contact_id, kind, value, label, is_preferred, components FROM contact_method "
        "ORDER BY contact_id, position, id",
    ):
        methods[row.pop("contact_id")].append(row)
    tags: dict[int, list[str]] = defaultdict(list)
    for contact_id, name in conn.execute(
        "SELECT ct.contact_id, t.name FROM contact_tag ct JOIN tag t ON t.id = ct.tag_id "
        "ORDER BY ct.contact_id, t.name, t.id"
    ):
        tags[contact_id].append(name)
    dates: dict[int, list[dict]] = defaultdict(list)
    for row in _rows(
        conn,
        "SELECT id, contact_id, kind, label, date, remind_days_before FROM important_date "
        "ORDER BY id",
    ):
        dates[row.pop("contact_id")].append(row)
    notes: dict[int, list[dict]] = defaultdict(list)
    for row in _rows(conn, "SELECT id, contact_id, body, pinned, created_at FROM note ORDER BY id"):
        notes[row.pop("contact_id")].append(row)
    other_names = aliases.of_all(conn)
    merged: dict[int, list[str]] = defaultdict(list)
    for contact_id, uid in conn.execute(
        "SELECT contact_id, uid FROM merged_uid ORDER BY contact_id, uid"
    ):
        merged[contact_id].append(uid)
    cur = conn.execute(f"SELECT {', '.join(ROW_COLUMNS)} FROM contact ORDER BY id")
    names = [d[0] for d in cur.description]
    while rows := cur.fetchmany(1000):
        for row in rows:
            c = dict(zip(names, row, strict=True))
            c["aliases"] = other_names.get(c["id"], [])
            c["merged_uids"] = merged.get(c["id"], [])
            c["methods"] = methods.get(c["id"], [])
            c["tags"] = tags.get(c["id"], [])
            c["important_dates"] = dates.get(c["id"], [])
            c["notes"] = notes.get(c["id"], [])
            yield c


# The last id of the first ? interactions (where the helper's part starts)
_SPLIT = "SELECT id FROM interaction ORDER BY id LIMIT 1 OFFSET max(? - 1, 0)"

PIECE = 2000  # interactions a piece: ~0.6 MB of text
# What the helper process is worth, in interactions rendered: below HELPER_FROM the
# caller renders alone; the caller's own work before the interactions counts as
# CONTACT_COST interactions a contact, the helper's start as HELPER_START. The helper
# holds its text until the caller reaches it: HELPER_MOST bounds that (~60 MB).
HELPER_FROM = 10_000
CONTACT_COST = 3.1  # 16.5 us a contact (json_sql.CONTACT_PIECE), 5.3 us an interaction
HELPER_START = 2_000  # ~10 ms: it boots while the caller opens the database
HELPER_MOST = 200_000
FIRST_ID, LAST_ID = -(1 << 63), (1 << 63) - 1  # below and above every id

_WEIGHT_TABLE = (
    "CREATE TEMP TABLE IF NOT EXISTS lrm_weight_text (weight REAL PRIMARY KEY, text TEXT)",
    "DELETE FROM temp.lrm_weight_text",
    "INSERT INTO temp.lrm_weight_text VALUES (?, ?)",
)


def _weight_texts(conn: sqlite3.Connection) -> list[tuple[float, str]]:
    """Each distinct weight and its text as Python's JSON encoder writes it (looked up
    by the rendering statement: no call into Python for each row)."""
    import json

    encode = json.JSONEncoder().encode
    return [
        (weight, encode(weight))
        for (weight,) in conn.execute(
            "SELECT DISTINCT weight FROM interaction WHERE weight IS NOT NULL"
        )
    ]


def _piece(conn: sqlite3.Connection, statement: str, params: tuple) -> tuple[int, int, bytes]:
    """One piece statement's row (count, last id, text), its text as UTF-8 bytes: read so
    at the fetch, it goes on to the output as it is."""
    conn.text_factory = bytes
    try:
        return conn.execute(statement, params).fetchone()
    finally:
        conn.text_factory = str


def contact_pieces(
    conn: sqlite3.Connection, separator: str
) -> Iterator[tuple[bytes, int, dict[str, int]]]:
    """Every contact's record, by id, ``PIECE`` at a time, as SQLite writes them
    (store/json_sql.py): (the records joined by ``separator``, as UTF-8; how many; how
    many of each part nested in them: ``json_sql.CONTACT_PARTS``' names)."""
    names = [name for name, _ in json_sql.CONTACT_PARTS]
    after = FIRST_ID
    while True:
        count, last, text = _piece(conn, json_sql.CONTACT_PIECE, (after, PIECE, separator, LAST_ID))
        if not count:
            return
        parts = conn.execute(json_sql.CONTACT_PART_COUNTS, (after, last)).fetchone()
        yield text, count, dict(zip(names, parts, strict=True))
        after = last


def helper_share(contacts: int, interactions: int) -> int:
    """How many of the last interactions the helper renders, so that both finish
    together: meanwhile the caller writes ``contacts`` contacts, then the first
    interactions. 0: not worth a process."""
    if interactions < HELPER_FROM:
        return 0
    share = (interactions + contacts * CONTACT_COST - HELPER_START) / 2
    return max(0, min(interactions, HELPER_MOST, round(share)))


def interaction_pieces(
    conn: sqlite3.Connection, separator: str, gate: Gate | None = None, path: Path | None = None
) -> Pieces:
    """Every interaction's record, by id, ``PIECE`` at a time: (the records joined by
    ``separator``, as UTF-8, and how many). SQLite writes the text, a piece per statement: no Python
    per record. With ``gate`` (``Database.read_gated``'s, for the database at ``path``)
    and enough interactions, a helper process (store/helper.py) renders the last ones
    while the caller writes the contacts and the first ones; the gate is released in
    any case. Close the result when done."""
    contacts, interactions = conn.execute(
        "SELECT (SELECT count(*) FROM contact), (SELECT count(*) FROM interaction)"
    ).fetchone()
    share = helper_share(contacts, interactions)
    helper = None
    if gate is not None and path is not None and share:
        from lrm_cli.store.helper import Helper

        helper = Helper(path, gate)  # started first: it boots while this goes on
    elif gate is not None:
        gate.release()
    weights = _weight_texts(conn)
    create, empty, insert = _WEIGHT_TABLE
    conn.execute(create)
    conn.execute(empty)
    conn.executemany(insert, weights)
    if helper is not None:
        helper.send(
            setup=[(create, None), (insert, weights)],
            split=(_SPLIT, interactions - share),
            statement=json_sql.INTERACTION_PIECE,
            params=(PIECE, separator, LAST_ID),
        )
    return _Pieces(conn, helper, separator)


class Pieces(Protocol):
    def __iter__(self) -> Iterator[tuple[bytes, int]]: ...

    def close(self) -> None: ...


class _Pieces:
    """The caller's pieces up to where the helper (if any) starts, then the helper's;
    whatever the helper did not deliver is rendered here."""

    def __init__(self, conn: sqlite3.Connection, helper: Helper | None, separator: str) -> None:
        self._conn, self._helper, self._separator = conn, helper, separator
        self.delivered = 0  # pieces the helper rendered

    def __iter__(self) -> Iterator[tuple[bytes, int]]:
        split = self._helper.split() if self._helper is not None else None
        self._after = FIRST_ID
        yield from self._own(LAST_ID if split is None else split)
        if self._helper is not None and split is not None:
            for count, last, text in self._helper.pieces():
                yield text, count
                self._after = last
                self.delivered += 1
            yield from self._own(LAST_ID)

    def _own(self, upto: int) -> Iterator[tuple[bytes, int]]:
        """The pieces after ``self._after`` up to id ``upto``, rendered here."""
        while True:
            count, last, text = _piece(
                self._conn, json_sql.INTERACTION_PIECE, (self._after, PIECE, self._separator, upto)
            )
            if not count:
                return
            yield text, count
            self._after = last

    def close(self) -> None:
        if self._helper is not None:
            self._helper.close()


# --- writing --------------------------------------------------------------------------------


def contact_ids_by_uid(conn: sqlite3.Connection, uids: Iterable[str]) -> dict[str, int]:
    """The contact each of ``uids`` leads to: the contact with that UID, else the one a
    contact with it was merged into (`lrm merge`, migration 0024)."""
    found: dict[str, int] = {}
    wanted = list(uids)
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        marks = ",".join("?" for _ in chunk)
        found.update(
            conn.execute(f"SELECT uid, contact_id FROM merged_uid WHERE uid IN ({marks})", chunk)
        )
        found.update(conn.execute(f"SELECT uid, id FROM contact WHERE uid IN ({marks})", chunk))
    return found


def existing_uids(conn: sqlite3.Connection, table: str, uids: Iterable[str]) -> set[str]:
    assert table in ("interaction", "reminder")
    found: set[str] = set()
    wanted = list(uids)
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        marks = ",".join("?" for _ in chunk)
        found.update(
            r[0] for r in conn.execute(f"SELECT uid FROM {table} WHERE uid IN ({marks})", chunk)
        )
    return found


def upsert_tags(conn: sqlite3.Connection, tags: list[dict]) -> tuple[int, int, int]:
    """Create missing tags; give an existing tag the cadence only when it has none.
    Returns (created, updated, unchanged)."""
    created = updated = unchanged = 0
    for tag in tags:
        row = conn.execute(
            "SELECT id, cadence_days FROM tag WHERE name = ?", (tag["name"],)
        ).fetchone()
        if row is None:
            conn.execute(
                "INSERT INTO tag (name, cadence_days) VALUES (?, ?)",
                (tag["name"], tag["cadence_days"]),
            )
            created += 1
        elif row[1] is None and tag["cadence_days"] is not None:
            conn.execute(
                "UPDATE tag SET cadence_days = ? WHERE id = ?", (tag["cadence_days"], row[0])
            )
            updated += 1
        else:
            unchanged += 1
    return created, updated, unchanged


def insert_contact(
    conn: sqlite3.Connection, contact: dict, *, keep_id: bool, uid: str | None = None
) -> tuple[int, dict[str, int]]:
    """Insert a contact with its methods, tags, important dates and notes (ids kept when
    ``keep_id``; ``uid`` overrides the contact's own). Returns its id and what was added."""
    columns = [f for f in ROW_COLUMNS if keep_id or f != "id"]
    values = [contact.get(f) for f in columns]
    if uid is not None:
        values[columns.index("uid")] = uid
    cur = conn.execute(
        f"INSERT INTO contact ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})",
        values,
    )
    contact_id = int(cur.lastrowid)
    conn.executemany(
        "INSERT INTO contact_method (contact_id, kind, value, label, is_preferred, position, "
        "components) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            (
                contact_id,
                m["kind"],
                m["value"],
                m["label"],
                m["is_preferred"],
                pos,
                m.get("components"),
            )
            for pos, m in enumerate(contact["methods"])
        ],
    )
    tagged = 0
    for name in contact["tags"]:
        row = conn.execute("SELECT id FROM tag WHERE name = ?", (name,)).fetchone()
        tag_id = (
            row[0] if row else conn.execute("INSERT INTO tag (name) VALUES (?)", (name,)).lastrowid
        )
        tagged += conn.execute(
            "INSERT OR IGNORE INTO contact_tag (contact_id, tag_id) VALUES (?, ?)",
            (contact_id, tag_id),
        ).rowcount
    conn.executemany(
        "INSERT INTO important_date (id, contact_id, kind, label, date, remind_days_before) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        [
            (
                d["id"] if keep_id else None,
                contact_id,
                d["kind"],
                d["label"],
                d["date"],
                d["remind_days_before"],
            )
            for d in contact["important_dates"]
        ],
    )
    conn.executemany(
        "INSERT INTO note (id, contact_id, body, created_at, pinned) VALUES (?, ?, ?, ?, ?)",
        [
            (n["id"] if keep_id else None, contact_id, n["body"], n["created_at"], n["pinned"])
            for n in contact["notes"]
        ],
    )
    aliases.add(conn, contact_id, contact.get("aliases", ()), contact["updated_at"])
    conn.executemany(  # one already leading elsewhere here keeps its contact
        "INSERT OR IGNORE INTO merged_uid (uid, contact_id) VALUES (?, ?)",
        [(uid, contact_id) for uid in contact.get("merged_uids", ())],
    )
    return contact_id, {
        "methods": len(contact["methods"]),
        "contact_tags": tagged,
        "important_dates": len(contact["important_dates"]),
        "notes": len(contact["notes"]),
    }


def restore_all(conn: sqlite3.Connection, tables: dict[str, list[dict]]) -> None:
    """Load ``tables`` (every record with its id) into an empty database, keeping ids:
    one ``executemany`` per table (see :class:`Restore`)."""
    with Restore(conn) as restore:
        restore.tags(tables["tags"])
        restore.contacts(tables["contacts"])
        restore.relationships(tables["relationships"])
        restore.interactions(tables["interactions"])
        restore.reminders(tables["reminders"])


class Restore:
    """Loading an empty database (ids kept), a batch of records at a time, with no
    trigger or secondary index per row: indexes and the search index are built once
    at the end (``search.rebuild``), and the undo journal, when the transaction keeps
    one, records the rows inserted with one statement per table (the entries its
    triggers write: ``lrm undo`` empties the database again). Contacts come before the
    records that name them (``ids``: uid -> id)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.ids: dict[str, int] = {}

    def __enter__(self) -> Restore:
        from lrm_cli.store import search

        conn = self.conn
        self.change = conn.execute("SELECT change_id FROM undo_state WHERE id = 1").fetchone()[0]
        conn.execute("UPDATE undo_state SET change_id = NULL WHERE id = 1")
        for name in search.triggers():
            conn.execute(f"DROP TRIGGER IF EXISTS {name}")
        marks = ",".join("?" for _ in RESTORE_ORDER)
        self.indexes = conn.execute(  # built once after the load (a sort), not row by row
            f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
            f"AND tbl_name IN ({marks})",
            RESTORE_ORDER,
        ).fetchall()
        for name, _ in self.indexes:
            conn.execute(f'DROP INDEX "{name}"')
        # the undo journal's triggers do nothing while it is paused (above) but ask
        # undo_state so on every row: gone for the load, back at the end
        self.triggers = conn.execute(
            f"SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
            f"AND name LIKE 'undo\\_%' ESCAPE '\\' AND tbl_name IN ({marks})",
            RESTORE_ORDER,
        ).fetchall()
        for name, _ in self.triggers:
            conn.execute(f'DROP TRIGGER "{name}"')
        return self

    def __exit__(self, kind, error, trace) -> None:
        from lrm_cli.store import search

        if kind is not None:
            return  # the caller's transaction rolls everything back
        for _, sql in self.indexes:
            self.conn.execute(sql)
        for _, sql in self.triggers:
            self.conn.execute(sql)
        search.rebuild(self.conn)
        if self.change is not None:
            _journal_inserts(self.conn, self.change)

    def tags(self, tags: list[dict]) -> None:
        upsert_tags(self.conn, tags)

    def contacts(self, contacts: list[dict]) -> None:
        self.ids.update((c["uid"], c["id"]) for c in contacts)
        _insert_contacts(self.conn, contacts)

    def relationships(self, rows: Iterable[dict]) -> None:
        _insert_relationships(self.conn, rows, self.ids)

    def interactions(self, rows: list[dict]) -> None:
        _insert_interactions(self.conn, rows, self.ids)

    def reminders(self, rows: Iterable[dict]) -> None:
        _insert_reminders(self.conn, rows, self.ids)

    def dates(self, rows: Iterable[tuple[int, dict]]) -> None:
        """Important dates given apart from their contacts: (contact id, date)."""
        _insert_dates(self.conn, rows)

    def notes(self, rows: Iterable[tuple[int, dict]]) -> None:
        _insert_notes(self.conn, rows)

    def top_id(self, table: str) -> int:
        return self.conn.execute(f"SELECT coalesce(max(id), 0) FROM {table}").fetchone()[0]


def _journal_inserts(conn: sqlite3.Connection, change: int) -> None:
    """What the undo triggers of migration 0007 would have logged for inserting every
    row of the data tables (an empty database before), as change ``change``."""
    for table in RESTORE_ORDER:
        columns = {r[1] for r in conn.execute(f"PRAGMA table_info({table})")}
        owner = "id" if table == "contact" else "contact_id" if "contact_id" in columns else "NULL"
        conn.execute(
            "INSERT INTO undo_log (change_id, tbl, op, row_id, contact_id, sql) "
            f"SELECT ?, '{table}', 'insert', rowid, {owner}, "
            f"'DELETE FROM {table} WHERE rowid = ' || rowid FROM {table} ORDER BY rowid",
            (change,),
        )


# the data tables in the order a restore fills them (parents first)
RESTORE_ORDER = (
    "tag",
    "contact",
    "contact_method",
    "contact_tag",
    "important_date",
    "note",
    "contact_alias",
    "merged_uid",
    "relationship",
    "interaction",
    "interaction_participant",
    "reminder",
)


def _insert_contacts(conn: sqlite3.Connection, contacts: list[dict]) -> None:
    conn.executemany(
        f"INSERT INTO contact ({', '.join(ROW_COLUMNS)}) "
        f"VALUES ({', '.join('?' for _ in ROW_COLUMNS)})",
        ([c.get(f) for f in ROW_COLUMNS] for c in contacts),
    )
    conn.executemany(
        "INSERT INTO contact_method (contact_id, kind, value, label, is_preferred, position, "
        "components) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            (
                c["id"],
                m["kind"],
                m["value"],
                m["label"],
                m["is_preferred"],
                pos,
                m.get("components"),
            )
            for c in contacts
            for pos, m in enumerate(c["methods"])
        ),
    )
    tag_ids: dict[str, int] = {}
    links = []
    for c in contacts:
        for name in c["tags"]:
            if name not in tag_ids:
                row = conn.execute("SELECT id FROM tag WHERE name = ?", (name,)).fetchone()
                tag_ids[name] = (
                    row[0]
                    if row
                    else conn.execute("INSERT INTO tag (name) VALUES (?)", (name,)).lastrowid
                )
            links.append((c["id"], tag_ids[name]))
    conn.executemany("INSERT OR IGNORE INTO contact_tag (contact_id, tag_id) VALUES (?, ?)", links)
    _insert_dates(conn, ((c["id"], d) for c in contacts for d in c["important_dates"]))
    _insert_notes(conn, ((c["id"], n) for c in contacts for n in c["notes"]))
    for c in contacts:
        if c.get("aliases"):  # an alias's time is not exported: the contact's last change
            aliases.add(conn, c["id"], c["aliases"], c["updated_at"])
    conn.executemany(
        "INSERT INTO merged_uid (uid, contact_id) VALUES (?, ?)",
        ((uid, c["id"]) for c in contacts for uid in c.get("merged_uids", ())),
    )


def _insert_dates(conn: sqlite3.Connection, rows: Iterable[tuple[int, dict]]) -> None:
    conn.executemany(
        "INSERT INTO important_date (id, contact_id, kind, label, date, remind_days_before) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        (
            (d["id"], contact_id, d["kind"], d["label"], d["date"], d["remind_days_before"])
            for contact_id, d in rows
        ),
    )


def _insert_notes(conn: sqlite3.Connection, rows: Iterable[tuple[int, dict]]) -> None:
    conn.executemany(
        "INSERT INTO note (id, contact_id, body, created_at, pinned) VALUES (?, ?, ?, ?, ?)",
        ((n["id"], contact_id, n["body"], n["created_at"], n["pinned"]) for contact_id, n in rows),
    )


def _insert_relationships(
    conn: sqlite3.Connection, rows: Iterable[dict], ids: dict[str, int]
) -> None:
    conn.executemany(
        "INSERT INTO relationship (id, contact_id, other_contact_id, kind, label) "
        "VALUES (?, ?, ?, ?, ?)",
        (
            (r["id"], ids[r["contact_uid"]], ids[r["other_uid"]], r["kind"], r.get("label"))
            for r in rows
        ),
    )


def _insert_interactions(
    conn: sqlite3.Connection, interactions: list[dict], ids: dict[str, int]
) -> None:
    conn.executemany(
        "INSERT INTO interaction (id, uid, occurred_at, kind, initiator, summary, sentiment, "
        "weight, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            (
                i["id"],
                i["uid"],
                i["occurred_at"],
                i["kind"],
                i["initiator"],
                i["summary"],
                i["sentiment"],
                i["weight"],
                i["created_at"],
            )
            for i in interactions
        ),
    )
    conn.executemany(
        "INSERT INTO interaction_participant (interaction_id, contact_id, occurred_at, "
        "initiator) VALUES (?, ?, ?, ?)",
        (
            (i["id"], ids[uid], i["occurred_at"], i["initiator"])
            for i in interactions
            for uid in i["participants"]
        ),
    )


def _insert_reminders(conn: sqlite3.Connection, rows: Iterable[dict], ids: dict[str, int]) -> None:
    conn.executemany(
        "INSERT INTO reminder (id, uid, contact_id, title, due_on, recurrence, done_at, "
        "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            (
                r["id"],
                r["uid"],
                ids[r["contact_uid"]] if r["contact_uid"] is not None else None,
                r["title"],
                r["due_on"],
                r["recurrence"],
                r["done_at"],
                r["created_at"],
            )
            for r in rows
        ),
    )


TABLE_OF = {
    "contacts": "contact",
    "tags": "tag",
    "contact_tags": "contact_tag",
    "methods": "contact_method",
    "important_dates": "important_date",
    "notes": "note",
    "relationships": "relationship",
    "interactions": "interaction",
    "reminders": "reminder",
}


def temporary_uid() -> str:
    return f"lrm-import-{uuid.uuid4()}"


def insert_relationship(
    conn: sqlite3.Connection, rel: dict, a: int, b: int, *, keep_id: bool
) -> bool:
    cur = conn.execute(
        "INSERT OR IGNORE INTO relationship (id, contact_id, other_contact_id, kind, label) "
        "VALUES (?, ?, ?, ?, ?)",
        (rel["id"] if keep_id else None, a, b, rel["kind"], rel.get("label")),
    )
    return cur.rowcount > 0


def insert_interaction(
    conn: sqlite3.Connection, item: dict, contact_ids: list[int], *, keep_id: bool
) -> int:
    cur = conn.execute(
        "INSERT INTO interaction (id, uid, occurred_at, kind, initiator, summary, sentiment, "
        "weight, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            item["id"] if keep_id else None,
            item["uid"],
            item["occurred_at"],
            item["kind"],
            item["initiator"],
            item["summary"],
            item["sentiment"],
            item["weight"],
            item["created_at"],
        ),
    )
    interaction_id = int(cur.lastrowid)
    conn.executemany(
        "INSERT INTO interaction_participant (interaction_id, contact_id, occurred_at, "
        "initiator) VALUES (?, ?, ?, ?)",
        [
            (interaction_id, cid, item["occurred_at"], item["initiator"])
            for cid in dict.fromkeys(contact_ids)
        ],
    )
    return interaction_id


def insert_reminder(
    conn: sqlite3.Connection, item: dict, contact_id: int | None, *, keep_id: bool
) -> int:
    cur = conn.execute(
        "INSERT INTO reminder (id, uid, contact_id, title, due_on, recurrence, done_at, "
        "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            item["id"] if keep_id else None,
            item["uid"],
            contact_id,
            item["title"],
            item["due_on"],
            item["recurrence"],
            item["done_at"],
            item["created_at"],
        ),
    )
    return int(cur.lastrowid)


def all_contact_ids(conn: sqlite3.Connection) -> list[int]:
    return [r[0] for r in conn.execute("SELECT id FROM contact ORDER BY id")]
