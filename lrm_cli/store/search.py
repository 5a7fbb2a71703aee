"""The full-text search index (``search_index``, FTS5): the SQL of ``lrm search`` and of
``lrm db check``.

One row per searchable text (see migrations 0006 and 0008): ``body`` (the text, tokenised by
``unicode61 remove_diacritics 2``: case and accents ignored), ``digits`` (a phone's digits
and their suffixes), and, unindexed, ``kind``, ``item_id`` (the source row) and
``contact_id`` (NULL for an interaction, whose contacts are its participants). The rowid
is ``item_id * 16 + KIND_CODES[kind]``.

Migration 0006 creates the table and its triggers (0008 those of ``contact_alias``, 0012
the contact's again, its organisation's units indexed with its name); this
module builds the same statements (tests/test_search.py holds them equal to what the
migrations made) to verify, rebuild or re-create them. Imported by the search command's
fast path: stdlib only.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from typing import NamedTuple

from lrm_cli.normalize import PHONE_PUNCTUATION, PHONE_TAIL

TABLE = "search_index"

KIND_CODES = {
    "name": 0,
    "nickname": 1,
    "organization": 2,
    "how_met": 3,
    "email": 4,
    "phone": 5,
    "note": 6,
    "interaction": 7,
    "date_label": 8,
    "alias": 9,  # migration 0008
    "social": 10,  # migration 0017
    "url": 11,  # migration 0017
    "address": 12,  # migration 0018
}
# The ranking tier of each kind: names first, then the other short fields, then the
# free text of notes and summaries (services/search.py explains the rule).
TIERS = {
    "name": 0,
    "nickname": 0,
    "alias": 0,
    "organization": 1,
    "email": 1,
    "phone": 1,
    "how_met": 1,
    "date_label": 1,
    "social": 1,
    "url": 1,
    "address": 1,
    "note": 2,
    "interaction": 2,
}
START, END = "\ue000", "\ue001"  # snippet() markers (private use: never in real text)
ELLIPSIS = "…"
SNIPPET_TOKENS = 12


def words(text: str) -> list[str]:
    """The words of (folded) text as the index's tokenizer splits it: runs of letters and
    digits (unicode61 splits at punctuation, ``_`` too). Never a quote, so safe to quote
    in an FTS5 query."""
    import re

    return re.findall(r"[^\W_]+", text)


def is_index_table(name: str) -> bool:
    """The FTS5 table and its shadow tables (``search_index_data``...): not SQLModel
    tables, so Alembic's autogenerate and the schema test leave them out."""
    return name == TABLE or name.startswith(f"{TABLE}_")


# --- searching ---------------------------------------------------------------------------


class Hit(NamedTuple):
    contact_id: int
    name: str
    archived: bool
    kind: str
    item_id: int
    snippet: str  # with START/END around the matched terms


def _tier_case(rowid: str) -> str:
    by_code = {KIND_CODES[k]: t for k, t in TIERS.items()}
    whens = " ".join(f"WHEN {code} THEN {tier}" for code, tier in sorted(by_code.items()))
    return f"CASE {rowid} % 16 {whens} END"


# The best ``limit`` index rows, then their contacts. Only the rowid (which gives the kind,
# the tier and the source row) and bm25 are read for every match; contact_id, the
# participants of an interaction (a hit for each of them) and the contact only for the page
# kept, and snippets afterwards, for the rows shown.
_SEARCH = f"""
SELECT h.rid, c.id, c.display_name, c.archived_at IS NOT NULL
FROM (SELECT rowid AS rid, {_tier_case("rowid")} AS tier, bm25({TABLE}) AS score
      FROM {TABLE} WHERE {TABLE} MATCH ?1 ORDER BY tier, score, rid LIMIT ?2) AS h
JOIN {TABLE} AS s ON s.rowid = h.rid
LEFT JOIN interaction_participant p ON s.contact_id IS NULL AND p.interaction_id = h.rid / 16
JOIN contact c ON c.id = coalesce(s.contact_id, p.contact_id)
ORDER BY h.tier, h.score, h.rid, lrm_name_order(c.display_name), c.id
LIMIT ?2
"""


def search(conn: sqlite3.Connection, match: str, limit: int) -> list[Hit]:
    """The first ``limit`` hits of the FTS5 query ``match``, best first, with snippets.
    Raises sqlite3.OperationalError on a query FTS5 cannot parse."""
    rows = conn.execute(_SEARCH, (match, limit)).fetchall()
    snippets = _snippets(conn, match, sorted({r[0] for r in rows}))
    codes = {code: kind for kind, code in KIND_CODES.items()}
    return [
        Hit(cid, name, bool(archived), codes[rid % 16], rid // 16, snippets.get(rid, ""))
        for rid, cid, name, archived in rows
    ]


def _snippets(conn: sqlite3.Connection, match: str, rowids: list[int]) -> dict[int, str]:
    if not rowids:
        return {}
    marks = ", ".join("?" * len(rowids))
    sql = (
        f"SELECT rowid, snippet({TABLE}, 0, ?, ?, ?, ?) FROM {TABLE}"
        f" WHERE {TABLE} MATCH ? AND rowid IN ({marks})"
    )
    args = (START, END, ELLIPSIS, SNIPPET_TOKENS, match, *rowids)
    return dict(conn.execute(sql, args).fetchall())


# --- the schema: the same statements as migration 0006 --------------------------------------

MAX_DIGITS = 20  # suffixes of the first 20 digits of a phone are indexed
MIN_SUFFIX = 3
COLUMNS = "rowid, body, digits, kind, item_id, contact_id"
CREATE_TABLE = (
    f"CREATE VIRTUAL TABLE {TABLE} USING fts5(body, digits, kind UNINDEXED,"
    " item_id UNINDEXED, contact_id UNINDEXED, tokenize = 'unicode61 remove_diacritics 2')"
)


def digits_sql(value: str) -> str:
    """SQL of ``normalize.phone_digits``: the phone ``value`` (an SQL expression) less the
    same punctuation."""
    expr = value
    for ch in PHONE_PUNCTUATION:
        literal = f"'{ch}'" if " " <= ch <= "~" else f"char({ord(ch)})"
        expr = f"replace({expr}, {literal}, '')"
    return expr


def phone_tail_sql(value: str) -> str:
    """SQL of ``normalize.phone_tail``: the key of ``ix_contact_method_phone_tail``."""
    return f"substr({digits_sql(value)}, -{PHONE_TAIL})"


def _suffixes(d: str) -> str:
    parts = [d]
    for start in range(2, MAX_DIGITS - MIN_SUFFIX + 2):
        parts.append(
            f"CASE WHEN length({d}) >= {start + MIN_SUFFIX - 1} THEN ' ' || substr({d}, {start},"
            f" {MAX_DIGITS - start + 1}) ELSE '' END"
        )
    return " || ".join(parts)


def _nonempty(expr: str) -> str:
    return f"coalesce({expr}, '') <> ''"


def _also(name: str, part: str) -> str:
    """``part`` (a given or family name) when the display name does not already hold it."""
    return (
        f"CASE WHEN {_nonempty(part)} AND instr(lower({name}), lower({part})) = 0"
        f" THEN ' ' || {part} ELSE '' END"
    )


def _name(c: str) -> str:
    name = f"{c}.display_name"
    return f"{name} || {_also(name, f'{c}.given_name')} || {_also(name, f'{c}.family_name')}"


def _organization(c: str) -> str:
    """The organisation's name and its units (ORG's components after the name, a JSON
    array in ``org_units``, migration 0009): a search for a department finds its people
    (migration 0012)."""
    units = (
        f"(SELECT group_concat(value, ' ') FROM json_each("
        f"CASE WHEN json_valid({c}.org_units) THEN {c}.org_units END))"
    )
    return f"trim(coalesce({c}.organization, '') || ' ' || coalesce({units}, ''))"


def _field(code: int, column: str, kind: str) -> tuple[str, ...]:
    return (
        f"* 16 + {code}",
        f"@.{column}",
        "NULL",
        f"'{kind}'",
        "@.id",
        "@.id",
        _nonempty(f"@.{column}"),
    )


def _method(code: int, kind: str) -> tuple[str, ...]:
    return (
        f"* 16 + {code}",
        "@.value",
        "NULL",
        f"'{kind}'",
        "@.id",
        "@.contact_id",
        f"@.kind = '{kind}' AND {_nonempty('@.value')}",
    )


# The index rows of each table, one per tuple: rowid (after ``@.id``), body, digits, kind,
# item_id, contact_id, condition; ``@`` is the source row (NEW in a trigger).
PARTS: dict[str, list[tuple[str, ...]]] = {
    "contact": [
        ("* 16", _name("@"), "NULL", "'name'", "@.id", "@.id", "1"),
        _field(1, "nickname", "nickname"),
        (
            "* 16 + 2",
            _organization("@"),
            "NULL",
            "'organization'",
            "@.id",
            "@.id",
            f"{_organization('@')} <> ''",
        ),
        _field(3, "how_met", "how_met"),
    ],
    "contact_method": [
        (
            "* 16 + 4",
            "@.value",
            "NULL",
            "'email'",
            "@.id",
            "@.contact_id",
            f"@.kind = 'email' AND {_nonempty('@.value')}",
        ),
        (
            "* 16 + 5",
            "@.value",
            f"CASE WHEN d <> '' THEN {_suffixes('d')} END",
            "'phone'",
            "@.id",
            "@.contact_id",
            f"@.kind = 'phone' AND {_nonempty('@.value')}",
        ),
        # migration 0017: a handle or a web page finds its contact
        _method(10, "social"),
        _method(11, "url"),
        # migration 0018: a town, street or postcode finds who lives there
        _method(12, "address"),
    ],
    "note": [("* 16 + 6", "@.body", "NULL", "'note'", "@.id", "@.contact_id", _nonempty("@.body"))],
    "interaction": [
        ("* 16 + 7", "@.summary", "NULL", "'interaction'", "@.id", "NULL", _nonempty("@.summary"))
    ],
    "important_date": [
        (
            "* 16 + 8",
            "@.label",
            "NULL",
            "'date_label'",
            "@.id",
            "@.contact_id",
            _nonempty("@.label"),
        )
    ],
    # migration 0008
    "contact_alias": [
        ("* 16 + 9", "@.name", "NULL", "'alias'", "@.id", "@.contact_id", _nonempty("@.name"))
    ],
}
# the columns whose change rewrites a row's index rows
WATCHED = {
    "contact": (
        "display_name",
        "given_name",
        "family_name",
        "nickname",
        "organization",
        "org_units",
        "how_met",
    ),
    "contact_method": ("kind", "value", "contact_id"),
    "note": ("body", "contact_id"),
    "interaction": ("summary",),
    "important_date": ("label", "contact_id"),
    "contact_alias": ("name", "contact_id"),
}
# the rowids of a source row's index rows, as ranges (a DELETE each: FTS5 looks up a
# rowid range, but would scan the whole index for two ranges OR-ed)
RANGES = {
    "contact": [("* 16", "* 16 + 3")],
    "contact_method": [("* 16 + 4", "* 16 + 5"), ("* 16 + 10", "* 16 + 12")],
    "note": [("* 16 + 6", "* 16 + 6")],
    "interaction": [("* 16 + 7", "* 16 + 7")],
    "important_date": [("* 16 + 8", "* 16 + 8")],
    "contact_alias": [("* 16 + 9", "* 16 + 9")],
}
DIGITS_OF_NEW = f"(SELECT {digits_sql('NEW.value')} AS d)"


def _select(part: tuple[str, ...], row: str, source: str | None) -> str:
    rowid, *values, condition = (p.replace("@.", f"{row}.") for p in part)
    columns = ", ".join([f"{row}.id {rowid}", *values])
    where = "" if condition == "1" else f" WHERE {condition}"
    return f"SELECT {columns}{f' FROM {source}' if source else ''}{where}"


def _trigger_insert(table: str) -> str:
    source = DIGITS_OF_NEW if table == "contact_method" else None
    rows = " UNION ALL ".join(_select(p, "NEW", source) for p in PARTS[table])
    return f"INSERT INTO {TABLE} ({COLUMNS}) {rows};"


def _delete(table: str) -> str:
    return " ".join(
        f"DELETE FROM {TABLE} WHERE rowid BETWEEN OLD.id {low} AND OLD.id {high};"
        for low, high in RANGES[table]
    )


def triggers(up_to: dict[str, int] | None = None) -> dict[str, str]:
    """Each trigger's name and its SQL after ``CREATE TRIGGER name``. With ``up_to``
    (table -> id), the update triggers leave alone the rows above that id (``deferred``
    indexes them at its end)."""
    out = {}
    for table, columns in WATCHED.items():
        changed = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in columns)
        if up_to is not None:
            changed = f"NEW.id <= {int(up_to[table])} AND ({changed})"
        out[f"tr_search_{table}_insert"] = (
            f"AFTER INSERT ON {table} BEGIN {_trigger_insert(table)} END"
        )
        out[f"tr_search_{table}_update"] = (
            f"AFTER UPDATE OF {', '.join(columns)} ON {table} WHEN {changed}"
            f" BEGIN {_delete(table)} {_trigger_insert(table)} END"
        )
        out[f"tr_search_{table}_delete"] = f"AFTER DELETE ON {table} BEGIN {_delete(table)} END"
    return out


def _rows_of(table: str, after: int | None = None) -> list[str]:
    """The SELECTs of the index rows of ``table``'s rows (those whose id is above
    ``after`` when given). Each kind's condition is applied in its source row's table,
    read in id order (NOT INDEXED: FTS5 takes ascending rowids fastest, and a (kind,
    value) index would give them out of order), so a phone's digits ``d`` are worked out
    for phones alone, once each: OFFSET keeps SQLite from flattening that subquery
    into the SELECT, which would compute ``d`` again at each of its ~40 uses (a
    trigger's NEW is computed once anyway). An index rebuild at 10k: ~0.47 -> ~0.37 s."""
    selects = []
    for part in PARTS[table]:
        filters = [] if after is None else [f"id > {int(after)}"]
        if part[-1] != "1":
            filters.append(part[-1].replace("@.", f"{table}."))
        rows = f"FROM {table} NOT INDEXED" + (f" WHERE {' AND '.join(filters)}" if filters else "")
        if part[2] == "NULL":  # no digits
            source = f"(SELECT * {rows})"
        else:
            source = f"(SELECT *, {digits_sql('value')} AS d {rows} LIMIT -1 OFFSET 0)"
        selects.append(_select((*part[:-1], "1"), "src", f"{source} AS src"))
    return selects


def _all_rows() -> list[str]:
    """For each kind, the SELECT of the index rows of every existing source row."""
    return [select for table in PARTS for select in _rows_of(table)]


def fill() -> list[str]:
    """The statements that index every existing row (into an empty index)."""
    return [f"INSERT INTO {TABLE} ({COLUMNS}) {select}" for select in _all_rows()]


@contextmanager
def deferred(conn: sqlite3.Connection) -> Iterator[None]:
    """Index the rows inserted in the block at its end, a statement per kind, instead
    of a trigger run per row (a bulk import: about half the cost). Meanwhile there is no
    insert trigger, and the update triggers leave the new rows alone (their final text
    is indexed at the end); the delete triggers work as ever. The triggers are put back
    as they were. The block must not insert a row below the largest id it started with
    (SQLite gives a new row the next id) and, on an exception, must roll the transaction
    back (``Database.write`` does), which also puts the triggers back."""
    names = [f"tr_search_{table}_{op}" for table in PARTS for op in ("insert", "update")]
    marks = ", ".join("?" * len(names))
    saved = conn.execute(
        f"SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name IN ({marks})",
        names,
    ).fetchall()
    if len(saved) != len(names):  # a damaged index: keep to the triggers that are left
        yield
        return
    tops = {
        table: conn.execute(f"SELECT coalesce(max(id), 0) FROM {table}").fetchone()[0]
        for table in PARTS
    }
    for name, _ in saved:
        conn.execute(f"DROP TRIGGER {name}")
    for name, body in triggers(up_to=tops).items():
        if name.endswith("_update"):
            conn.execute(f"CREATE TRIGGER {name} {body}")
    yield
    for table, top in tops.items():
        for select in _rows_of(table, top):
            conn.execute(f"INSERT INTO {TABLE} ({COLUMNS}) {select}")
        conn.execute(f"DROP TRIGGER tr_search_{table}_update")
    for _, sql in saved:
        conn.execute(sql)


# --- checking and rebuilding ---------------------------------------------------------------


class IndexState(NamedTuple):
    table: bool  # the FTS5 table exists
    missing_triggers: list[str]
    integrity: str | None  # None when FTS5's integrity-check passed, else its message
    stale: int  # index rows that differ from what the source rows give (either way)
    rows: int  # rows in the index


def inspect(conn: sqlite3.Connection) -> IndexState:
    """How the index stands: FTS5's own integrity check, then a comparison of every row
    with what the source rows give (a full pass: the slow part of ``lrm db check``)."""
    names = {
        r[0]
        for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE name = ? OR (type = 'trigger' AND name"
            " LIKE 'tr^_search^_%' ESCAPE '^')",
            (TABLE,),
        )
    }
    missing = [t for t in triggers() if t not in names]
    if TABLE not in names:
        return IndexState(False, missing, None, 0, 0)
    integrity = None
    try:
        conn.execute(f"INSERT INTO {TABLE} ({TABLE}, rank) VALUES ('integrity-check', 1)")
    except sqlite3.DatabaseError as exc:
        integrity = str(exc)
    if integrity is not None:
        return IndexState(True, missing, integrity, 0, 0)
    indexed = f"SELECT {COLUMNS} FROM {TABLE}"
    expected = f"SELECT * FROM ({' UNION ALL '.join(_all_rows())})"
    stale = conn.execute(
        f"SELECT (SELECT count(*) FROM ({expected} EXCEPT {indexed}))"
        f" + (SELECT count(*) FROM ({indexed} EXCEPT {expected}))"
    ).fetchone()[0]
    rows = conn.execute(f"SELECT count(*) FROM {TABLE}").fetchone()[0]
    return IndexState(True, missing, None, stale, rows)


def compact(conn: sqlite3.Connection) -> None:
    """Merge the index into one segment: FTS5 keeps a deleted row's words in older
    segments (marked deleted) until a merge drops them; the pages freed are zeroed
    (``PRAGMA secure_delete``). The whole index is rewritten: for ``forget --purge``."""
    conn.execute(f"INSERT INTO {TABLE} ({TABLE}) VALUES ('optimize')")


def rebuild(conn: sqlite3.Connection) -> int:
    """Drop and re-create the index and its triggers, then index every row (inside the
    caller's write transaction); returns the number of index rows."""
    for name in triggers():
        conn.execute(f"DROP TRIGGER IF EXISTS {name}")
    conn.execute(f"DROP TABLE IF EXISTS {TABLE}")
    conn.execute(CREATE_TABLE)
    for statement in fill():
        conn.execute(statement)
    for name, body in triggers().items():
        conn.execute(f"CREATE TRIGGER {name} {body}")
    return conn.execute(f"SELECT count(*) FROM {TABLE}").fetchone()[0]
