"""Contacts: SQL in, domain objects out. Every function takes an open connection; the
caller (a service) owns the transaction."""

from __future__ import annotations

import sqlite3
from collections import namedtuple
from collections.abc import Iterable, Sequence
from datetime import date
from itertools import combinations
from operator import itemgetter

from lrm_cli import contact_fields
from lrm_cli.domain import Contact, ContactMethod, ContactRef
from lrm_cli.normalize import held, name_order, phone_tail, same_phone
from lrm_cli.store import aliases
from lrm_cli.store import search as search_index
from lrm_cli.store.listing import like_pattern, list_filter, list_order
from lrm_cli.store.timeutil import from_ts

CONTACT_COLUMNS = contact_fields.sql_columns("c")
EDITABLE = contact_fields.EDITABLE
_RECORD = len(contact_fields.COLUMNS)  # a row's first values: the record, in declaration order
_ID = contact_fields.COLUMNS.index("id")
_NAME = contact_fields.COLUMNS.index("display_name")

# A contact as ``list`` shows it: raw column values, cheap to build by the thousand
# (timestamps are epoch seconds; ``shapes.listed`` turns one into the JSON shape): the
# record's fields by their keys (``name``...), then emails, phones, tags, last_contact.
ListedContact = namedtuple(
    "ListedContact",
    [*(f.key for f in contact_fields.FIELDS), "emails", "phones", "tags", "last_contact"],
)


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


# column value -> Contact attribute, by kind (ints and text as they are)
_FROM_COLUMN = {"date": _day, "timestamp": from_ts}
_READERS = tuple((i, f.key, _FROM_COLUMN.get(f.kind)) for i, f in enumerate(contact_fields.FIELDS))


def _contact(
    row: Sequence,
    methods: Iterable[ContactMethod] = (),
    tags: Iterable[str] = (),
    org_units: Iterable[str] = (),
):
    values = {key: row[i] if convert is None else convert(row[i]) for i, key, convert in _READERS}
    return Contact(**values, methods=tuple(methods), tags=tuple(tags), org_units=tuple(org_units))


def _json_list(text: str | None) -> list[str]:
    import json

    return json.loads(text) if text else []


def new_uid() -> str:
    import uuid  # not at start-up: it imports platform (a few ms every run)

    return str(uuid.uuid4())


def insert(conn: sqlite3.Connection, fields: dict, now: int, uid: str | None = None) -> int:
    columns = ["uid", "created_at", "updated_at", *fields]
    values = [uid or new_uid(), now, now, *fields.values()]
    marks = ", ".join("?" for _ in columns)
    cur = conn.execute(f"INSERT INTO contact ({', '.join(columns)}) VALUES ({marks})", values)
    return int(cur.lastrowid)


def update(
    conn: sqlite3.Connection,
    contact_id: int,
    fields: dict,
    now: int,
    allowed: tuple[str, ...] = EDITABLE,
) -> list[str]:
    """Set ``fields`` (columns of ``allowed``: what add and edit set; an import passes
    contact_fields.IMPORTED) and stamp ``updated_at``. A new name that is one of the
    contact's aliases (case aside: ``edit --name "Ada King"`` after merging Ada King in)
    stops being an alias, which would only repeat the name; returns those aliases."""
    unknown = set(fields) - set(allowed)
    if unknown:
        raise ValueError(f"not editable: {unknown}")
    assignments = ", ".join(f"{name} = ?" for name in fields)
    conn.execute(
        f"UPDATE contact SET {assignments}{', ' if fields else ''}updated_at = ? WHERE id = ?",
        [*fields.values(), now, contact_id],
    )
    if fields.get("display_name") is None:
        return []
    renamed_over, _ = aliases.remove(conn, contact_id, [str(fields["display_name"])])
    return renamed_over


def touch(conn: sqlite3.Connection, contact_id: int, now: int) -> None:
    conn.execute("UPDATE contact SET updated_at = ? WHERE id = ?", (now, contact_id))


def set_archived(conn: sqlite3.Connection, contact_id: int, at: int | None, now: int) -> None:
    conn.execute(
        "UPDATE contact SET archived_at = ?, updated_at = ? WHERE id = ?", (at, now, contact_id)
    )


def add_methods(conn: sqlite3.Connection, contact_id: int, methods: Iterable[ContactMethod]) -> int:
    """Add methods not already present (same kind and value); return how many were new."""
    existing = {
        (kind, value): pos
        for kind, value, pos in conn.execute(
            "SELECT kind, value, position FROM contact_method WHERE contact_id = ?",
            (contact_id,),
        )
    }
    position = max(existing.values(), default=-1) + 1
    added = 0
    for method in methods:
        if held(method.kind, method.value, existing):
            continue
        existing[(method.kind, method.value)] = position
        components = None
        if method.components and any(method.components):
            import json

            components = json.dumps(list(method.components), ensure_ascii=False)
        conn.execute(
            "INSERT INTO contact_method (contact_id, kind, value, label, is_preferred, position,"
            " components) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                contact_id,
                method.kind,
                method.value,
                method.label,
                method.is_preferred,
                position,
                components,
            ),
        )
        existing[(method.kind, method.value)] = position
        position += 1
        added += 1
    return added


def set_org_units(conn: sqlite3.Connection, contact_id: int, units: list[str]) -> None:
    import json

    text = json.dumps(units, ensure_ascii=False) if units else None
    conn.execute("UPDATE contact SET org_units = ? WHERE id = ?", (text, contact_id))


def remove_methods(conn: sqlite3.Connection, contact_id: int, kind: str, values: Iterable[str]):
    missing = []
    for value in values:
        cur = conn.execute(
            "DELETE FROM contact_method WHERE contact_id = ? AND kind = ? AND value = ?",
            (contact_id, kind, value),
        )
        if cur.rowcount == 0:
            missing.append(value)
    return missing


def tag_id(conn: sqlite3.Connection, name: str, *, create: bool) -> int | None:
    row = conn.execute("SELECT id FROM tag WHERE name = ?", (name,)).fetchone()
    if row:
        return int(row[0])
    if not create:
        return None
    return int(conn.execute("INSERT INTO tag (name) VALUES (?)", (name,)).lastrowid)


def tag_names(conn: sqlite3.Connection) -> list[str]:
    return [name for (name,) in conn.execute("SELECT name FROM tag ORDER BY name")]


def add_tags(conn: sqlite3.Connection, contact_id: int, names: Iterable[str]) -> list[str]:
    added = []
    for name in names:
        tid = tag_id(conn, name, create=True)
        cur = conn.execute(
            "INSERT OR IGNORE INTO contact_tag (contact_id, tag_id) VALUES (?, ?)",
            (contact_id, tid),
        )
        if cur.rowcount:
            added.append(name)
    return added


def rename_tag(conn: sqlite3.Connection, old_id: int, new_name: str) -> tuple[list[int], bool, int]:
    """Tag ``old_id`` is called ``new_name`` from now on; when another tag has that name,
    its contacts join that one, which keeps its cadence (or takes the old one's when it has
    none). The ids of the contacts carrying the tag, whether two tags became one, and how
    many contacts gained the name (those that had both tags already did not)."""
    carrying = [
        r[0] for r in conn.execute("SELECT contact_id FROM contact_tag WHERE tag_id = ?", (old_id,))
    ]
    other = conn.execute(
        "SELECT id FROM tag WHERE name = ? AND id != ?", (new_name, old_id)
    ).fetchone()
    if other is None:
        conn.execute("UPDATE tag SET name = ? WHERE id = ?", (new_name, old_id))
        return carrying, False, len(carrying)
    joined = conn.execute(
        "INSERT OR IGNORE INTO contact_tag (contact_id, tag_id) "
        "SELECT contact_id, ? FROM contact_tag WHERE tag_id = ?",
        (other[0], old_id),
    ).rowcount
    conn.execute(
        "UPDATE tag SET cadence_days = (SELECT cadence_days FROM tag WHERE id = ?) "
        "WHERE id = ? AND cadence_days IS NULL",
        (old_id, other[0]),
    )
    conn.execute("DELETE FROM contact_tag WHERE tag_id = ?", (old_id,))
    conn.execute("DELETE FROM tag WHERE id = ?", (old_id,))
    return carrying, True, joined


def remove_tags(conn: sqlite3.Connection, contact_id: int, names: Iterable[str]) -> list[str]:
    removed = []
    for name in names:
        cur = conn.execute(
            "DELETE FROM contact_tag WHERE contact_id = ? AND tag_id = "
            "(SELECT id FROM tag WHERE name = ?)",
            (contact_id, name),
        )
        if cur.rowcount:
            removed.append(name)
    return removed


def delete(conn: sqlite3.Connection, contact_id: int) -> dict[str, int]:
    """Remove a contact and everything that belongs to it alone.

    Interactions shared with other contacts stay (minus this participant); interactions
    whose only participant was this contact go with it. Returns counts of what went."""
    counts = {
        "notes": _count(conn, "SELECT count(*) FROM note WHERE contact_id = ?", contact_id),
        "methods": _count(
            conn, "SELECT count(*) FROM contact_method WHERE contact_id = ?", contact_id
        ),
        "important_dates": _count(
            conn, "SELECT count(*) FROM important_date WHERE contact_id = ?", contact_id
        ),
        "tags": _count(conn, "SELECT count(*) FROM contact_tag WHERE contact_id = ?", contact_id),
        "relationships": _count(
            conn,
            "SELECT count(*) FROM relationship WHERE contact_id = ?1 OR other_contact_id = ?1",
            contact_id,
        ),
        "reminders": _count(conn, "SELECT count(*) FROM reminder WHERE contact_id = ?", contact_id),
    }
    solo = [
        row[0]
        for row in conn.execute(
            "SELECT p.interaction_id FROM interaction_participant p WHERE p.contact_id = ?1 "
            "AND NOT EXISTS (SELECT 1 FROM interaction_participant o "
            "WHERE o.interaction_id = p.interaction_id AND o.contact_id != ?1)",
            (contact_id,),
        )
    ]
    counts["interactions"] = len(solo)
    counts["shared_interactions"] = _count(
        conn, "SELECT count(*) FROM interaction_participant WHERE contact_id = ?", contact_id
    ) - len(solo)
    conn.executemany("DELETE FROM interaction WHERE id = ?", [(i,) for i in solo])
    conn.execute("DELETE FROM contact WHERE id = ?", (contact_id,))  # the rest cascades
    return counts


def _count(conn: sqlite3.Connection, sql: str, *args) -> int:
    return int(conn.execute(sql, args).fetchone()[0])


# --- reading --------------------------------------------------------------------------------


def any_contact(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT EXISTS (SELECT 1 FROM contact)").fetchone()[0] == 1


def get(conn: sqlite3.Connection, contact_id: int) -> Contact | None:
    row = conn.execute(
        f"SELECT {CONTACT_COLUMNS}, c.org_units FROM contact c WHERE c.id = ?", (contact_id,)
    ).fetchone()
    if row is None:
        return None
    methods = [
        ContactMethod(
            kind=r[0],
            value=r[1],
            label=r[2],
            is_preferred=bool(r[3]),
            components=tuple(_json_list(r[4])) if r[4] else None,
        )
        for r in conn.execute(
            "SELECT kind, value, label, is_preferred, components FROM contact_method "
            "WHERE contact_id = ? ORDER BY position",
            (contact_id,),
        )
    ]
    return _contact(row, methods, tags_of(conn, contact_id), _json_list(row[_RECORD]))


def tags_of(conn: sqlite3.Connection, contact_id: int) -> list[str]:
    """A contact's tags, by name."""
    return [
        r[0]
        for r in conn.execute(
            "SELECT t.name FROM contact_tag ct JOIN tag t ON t.id = ct.tag_id "
            "WHERE ct.contact_id = ? ORDER BY t.name",
            (contact_id,),
        )
    ]


def list_contacts(
    conn: sqlite3.Connection,
    *,
    tag: str | None = None,
    search: str | None = None,
    archived: str = "active",
    sort: str = "name",
    reverse: bool = False,
    limit: int | None = None,
    phone_runs: Sequence[str] = (),
    snoozed_on: str | None = None,
) -> list[ListedContact]:
    """Each contact with its emails, phones, tags and last interaction."""
    where, args = list_filter(
        tag=tag, search=search, archived=archived, phone_runs=phone_runs, snoozed_on=snoozed_on
    )
    by_name_here = sort == "name" and not limit
    sql = (
        f"SELECT {CONTACT_COLUMNS}, s.last_at AS last_contact FROM contact c"
        " LEFT JOIN contact_stats s ON s.contact_id = c.id"
        + (f" WHERE {' AND '.join(where)}" if where else "")
        + ("" if by_name_here else f" ORDER BY {list_order(sort, reverse)}")
        + (f" LIMIT {int(limit)}" if limit else "")
    )
    rows = conn.execute(sql, args).fetchall()
    if by_name_here:
        # The order of ``list_order`` (``normalize.name_order``, ties by id ascending),
        # without SQLite's sort and its reads of the rows in name order: a few times
        # cheaper for a whole list.
        rows.sort(key=_row_id)
        rows.sort(key=_ordered_name, reverse=reverse)
    everyone = not where or len(rows) > 1000  # a full pass beats thousands of look-ups
    emails, phones, tags = _list_details(conn, [r[_ID] for r in rows], everyone=everyone)
    none: list[str] = []
    return [
        ListedContact(
            *row[:_RECORD],
            emails.get(row[_ID], none),
            phones.get(row[_ID], none),
            sorted(tags[row[_ID]]) if row[_ID] in tags else none,
            row[_RECORD],
        )
        for row in rows
    ]


_row_id = itemgetter(_ID)


def _ordered_name(row: Sequence, name: int = _NAME) -> str:
    return name_order(row[name])


def _list_details(
    conn: sqlite3.Connection, ids: list[int], *, everyone: bool
) -> tuple[dict[int, list[str]], dict[int, list[str]], dict[int, list[str]]]:
    """Emails and phones (in position order) and tag names of ``ids``: one ordered pass
    over each table for a whole list (cheaper than a correlated sub-query per contact),
    or look-ups by id for a filtered one."""
    emails: dict[int, list[str]] = {}
    phones: dict[int, list[str]] = {}
    tags: dict[int, list[str]] = {}
    if not ids:
        return emails, phones, tags
    tag_names = dict(conn.execute("SELECT id, name FROM tag"))
    # In (contact_id, position) index order: no sort (by kind it would need one).
    method_sql = (
        "SELECT contact_id, kind, value FROM contact_method"
        " INDEXED BY ix_contact_method_contact WHERE kind IN ('email', 'phone')"
    )
    tag_sql = "SELECT contact_id, tag_id FROM contact_tag"
    chunks: list[list[int] | None] = (
        [None] if everyone else [ids[i : i + 500] for i in range(0, len(ids), 500)]
    )
    for chunk in chunks:
        where, args = "", []
        if chunk is not None:
            where = f" AND contact_id IN ({','.join('?' for _ in chunk)})"
            args = chunk
        for cid, kind, value in conn.execute(
            f"{method_sql}{where} ORDER BY contact_id, position", args
        ):
            (emails if kind == "email" else phones).setdefault(cid, []).append(value)
        tag_where = where.replace(" AND", " WHERE", 1)
        for cid, tid in conn.execute(f"{tag_sql}{tag_where}", args):
            tags.setdefault(cid, []).append(tag_names[tid])
    return emails, phones, tags


def find_by_id(conn: sqlite3.Connection, contact_id: int) -> list[ContactRef]:
    return _refs(conn, "SELECT id, display_name FROM contact WHERE id = ?", contact_id)


def find_by_uid(conn: sqlite3.Connection, uid: str) -> list[ContactRef]:
    return _refs(conn, "SELECT id, display_name FROM contact WHERE uid = ?", uid)


def prefer_method(conn: sqlite3.Connection, contact_id: int, kind: str, value: str) -> int:
    """``value`` the contact's one preferred method of its kind (a card's PREF, `edit
    --prefer`); returns how many rows changed."""
    return conn.execute(
        "UPDATE contact_method SET is_preferred = (value = ?)"
        " WHERE contact_id = ? AND kind = ? AND is_preferred != (value = ?)",
        (value, contact_id, kind, value),
    ).rowcount


def clear_preferences(conn: sqlite3.Connection, contact_id: int) -> int:
    """No method of the contact's preferred (`edit --prefer ''`); returns how many were."""
    return conn.execute(
        "UPDATE contact_method SET is_preferred = 0 WHERE contact_id = ? AND is_preferred",
        (contact_id,),
    ).rowcount


def move_method_first(conn: sqlite3.Connection, contact_id: int, kind: str, value: str) -> int:
    """The method listed first of the contact's (`show`, and the digest's first preferred
    one); returns 1 when it moved."""
    return conn.execute(
        "UPDATE contact_method SET position ="
        " (SELECT min(position) - 1 FROM contact_method WHERE contact_id = ?1)"
        " WHERE contact_id = ?1 AND kind = ?2 AND value = ?3 AND position >"
        " (SELECT min(position) FROM contact_method WHERE contact_id = ?1)",
        (contact_id, kind, value),
    ).rowcount


def find_by_name(conn: sqlite3.Connection, name: str) -> list[ContactRef]:
    return _refs(
        conn, "SELECT id, display_name FROM contact WHERE display_name = ? ORDER BY id", name
    )


def having_name_words(
    conn: sqlite3.Connection, words: Sequence[str], *, prefix: bool = False, limit: int = 1000
) -> list[ContactRef]:
    """Contacts whose name has one of ``words`` as a word (``prefix``: a word beginning
    with one), oldest first, found in the search index: the few a new name is compared
    with for a probable duplicate (``services.merge.similar_named``)."""
    if not words:
        return []
    star = "*" if prefix else ""
    terms = " OR ".join('"' + w.replace('"', '""') + '"' + star for w in words)
    return _refs(
        conn,
        "SELECT id, display_name FROM contact WHERE id IN (SELECT contact_id FROM search_index "
        "WHERE search_index MATCH ? AND kind = 'name') ORDER BY id LIMIT ?",
        f"body : ({terms})",
        limit,
    )


def find_by_prefix(conn: sqlite3.Connection, prefix: str, limit: int = 50) -> list[ContactRef]:
    return _refs(
        conn,
        "SELECT id, display_name FROM contact WHERE display_name LIKE ? ESCAPE '\\' "
        "ORDER BY lrm_name_order(display_name), id LIMIT ?",
        f"{like_pattern(prefix)}%",
        limit,
    )


def find_by_word_prefix(conn: sqlite3.Connection, prefix: str, limit: int = 50):
    return _refs(
        conn,
        "SELECT id, display_name FROM contact WHERE display_name LIKE ? ESCAPE '\\' "
        "ORDER BY lrm_name_order(display_name), id LIMIT ?",
        f"% {like_pattern(prefix)}%",
        limit,
    )


def with_words_starting(
    conn: sqlite3.Connection, starts: list[str], least: int
) -> list[ContactRef]:
    """The contacts with words of their name starting with at least ``least`` of
    ``starts`` (case and accents aside, as the search index reads a name): the candidates
    of a near name (``services.refs.near``)."""
    if not starts or least < 1:
        return []
    any_of = " OR ".join(
        "(" + " AND ".join(f'"{s}" *' for s in group) + ")"
        for group in combinations(sorted(starts), min(least, len(starts)))
    )
    return _indexed_names(conn, f"body : ({any_of})", None)


def with_name_words(conn: sqlite3.Connection, words: list[str], limit: int) -> list[ContactRef]:
    """The contacts whose name has the run of ``words`` (whole words, the last one a
    prefix), case and accents aside, as the search index reads a name: "rodriguez" and
    "jurgen mul" find Maya Rodríguez and Jürgen Müller. At most ``limit``."""
    if not words:
        return []
    return _indexed_names(conn, f'body : "{" ".join(words)}" *', limit)


def _indexed_names(conn: sqlite3.Connection, match: str, limit: int | None) -> list[ContactRef]:
    """The contacts whose name row of the search index (the name, then the organisation's
    units: migration 0012) matches the FTS5 query ``match``, whose words are the index's
    (letters and digits: never a quote). By name, then id. None without the index (a
    damaged file, before ``lrm db check`` rebuilds it): these only help a reference that
    matched nobody."""
    sql = (
        f"SELECT DISTINCT c.id, c.display_name FROM {search_index.TABLE} s"
        f" JOIN contact c ON c.id = s.contact_id WHERE {search_index.TABLE} MATCH ?"
        " AND s.kind = 'name' ORDER BY lrm_name_order(c.display_name), c.id LIMIT ?"
    )
    try:
        return _refs(conn, sql, match, -1 if limit is None else limit)
    except sqlite3.OperationalError as exc:
        if "no such table" not in str(exc):
            raise
        return []


def count_by_prefix(conn: sqlite3.Connection, prefix: str, *, word: bool = False) -> int:
    """How many contacts ``find_by_prefix`` (or, with ``word``, ``find_by_word_prefix``)
    would find without a limit."""
    pattern = f"{'% ' if word else ''}{like_pattern(prefix)}%"
    return _count(
        conn, "SELECT count(*) FROM contact WHERE display_name LIKE ? ESCAPE '\\'", pattern
    )


def owners_of_method(conn: sqlite3.Connection, kind: str, value: str) -> list[ContactRef]:
    """The contacts with this (normalised) email, phone (``normalize.same_phone``)...: by
    id."""
    if kind == "phone":
        ids = ids_with_phone(conn, value)
        if not ids:
            return []
        marks = ", ".join("?" * len(ids))
        return _refs(
            conn, f"SELECT id, display_name FROM contact WHERE id IN ({marks}) ORDER BY id", *ids
        )
    return _refs(
        conn,
        "SELECT DISTINCT c.id, c.display_name FROM contact_method m"
        " JOIN contact c ON c.id = m.contact_id WHERE m.kind = ? AND m.value = ? ORDER BY c.id",
        kind,
        value,
    )


def phones_sharing_tail(conn: sqlite3.Connection, value: str) -> list[tuple[int, str]]:
    """(contact id, phone) of the phones that end in ``value``'s last digits
    (``normalize.phone_tail``, by ``ix_contact_method_phone_tail``): every phone
    ``normalize.same_phone`` may call the same, for the caller to ask it."""
    return conn.execute(
        "SELECT contact_id, value FROM contact_method WHERE kind = 'phone'"
        f" AND {search_index.phone_tail_sql('value')} = ? ORDER BY contact_id, position",
        (phone_tail(value),),
    ).fetchall()


def ids_with_phone(conn: sqlite3.Connection, value: str) -> set[int]:
    """The contacts with a phone that ``normalize.same_phone`` calls ``value``."""
    return {cid for cid, phone in phones_sharing_tail(conn, value) if same_phone(phone, value)}


def _refs(conn: sqlite3.Connection, sql: str, *args) -> list[ContactRef]:
    return [ContactRef(id=r[0], name=r[1]) for r in conn.execute(sql, args)]


def names_with_prefix(conn: sqlite3.Connection, prefix: str, limit: int = 200) -> list[str]:
    """For shell completion: active contacts' names starting with ``prefix`` (by the
    index), then those with a later word starting with it (``rodr`` -> Maya Rodriguez, as
    contact references resolve; one pass over the names)."""
    pattern = f"{like_pattern(prefix)}%"
    rows = conn.execute(
        "SELECT display_name FROM contact WHERE display_name LIKE ? ESCAPE '\\' "
        "AND archived_at IS NULL ORDER BY display_name LIMIT ?",
        (pattern, limit),
    )
    names = [r[0] for r in rows]
    if prefix.strip() and len(names) < limit:
        rows = conn.execute(
            "SELECT display_name FROM contact WHERE display_name LIKE ? ESCAPE '\\' "
            "AND display_name NOT LIKE ? ESCAPE '\\' AND archived_at IS NULL "
            "ORDER BY display_name LIMIT ?",
            (f"% {pattern}", pattern, limit - len(names)),
        )
        names += [r[0] for r in rows]
    return names
