"""The export document's records written by SQLite: ``lrm export json`` renders its
contacts and interactions with these statements, a piece (many records joined) per
statement, so that no Python runs per record (issue 14).

The reference is ``formats.json_io`` (``encode_contact``, ``encode_interaction`` and
``json.dumps``): these statements write the same text, byte for byte, ", " and ": "
between items and the same escapes. tests/test_json_export_stream.py holds them equal
for awkward text, any number and sparse ids; a field added to one and not the other
fails there. Stdlib only: the helper process (store/helper.py) runs them too.

The JSON arrays some columns hold are read with ``json_each``, which ends a string at
``\u0000``: lrm never stores a NUL (import json refuses one, vCard text drops control
characters).
"""

from __future__ import annotations

from lrm_cli import contact_fields
from lrm_cli.domain import ADDRESS_PARTS


def iso_sql(column: str) -> str:
    """``formats.json_io.iso_utc`` of ``column`` as a JSON string (null for NULL).
    ``datetime()`` and a replace: ~30% cheaper than ``strftime`` with its format."""
    return (
        f"coalesce('\"' || replace(datetime({column}, 'unixepoch'), ' ', 'T') || '+00:00\"',"
        " 'null')"
    )


def _boolean(column: str) -> str:
    return f"CASE WHEN {column} THEN 'true' ELSE 'false' END"


def _object(members: list[tuple[str, str]]) -> str:
    """The text of a JSON object whose members are (key, SQL giving the value's JSON)."""
    return (
        "'{' || "
        + " || ', ' || ".join(f"'\"{key}\": ' || {value}" for key, value in members)
        + " || '}'"
    )


def _array(select: str) -> str:
    """A JSON array of the values (JSON text, one a row) that ``select`` gives, in its
    order (its one column is named ``item``)."""
    return f"'[' || coalesce((SELECT group_concat(item, ', ') FROM ({select})), '') || ']'"


def _string_list(column: str) -> str:
    """A column holding a JSON array of strings (or NULL, or ''), written again (mostly
    NULL: no subquery then)."""
    items = _array(f"SELECT json_quote(value) AS item FROM json_each({column}) ORDER BY key")
    return f"CASE WHEN nullif({column}, '') IS NULL THEN '[]' ELSE {items} END"


_FIELD_SQL = {
    "int": "json_quote({})",
    "text": "json_quote({})",
    "date": "json_quote({})",
    "partial_date": "json_quote({})",
    "timestamp": None,  # iso_sql
}


def _field(kind: str, column: str) -> str:
    template = _FIELD_SQL[kind]
    return iso_sql(column) if template is None else template.format(column)


_ADDRESS = (
    "CASE WHEN nullif(m.components, '') IS NULL THEN 'null' ELSE "
    + _object(
        [
            (part, f"json_quote(json_extract(m.components, '$[{n}]'))")
            for n, part in enumerate(ADDRESS_PARTS)
        ]
    )
    + " END"
)
_METHOD = _object(
    [
        ("kind", "json_quote(m.kind)"),
        ("value", "json_quote(m.value)"),
        ("label", "json_quote(m.label)"),
        ("preferred", _boolean("m.is_preferred")),
        ("components", _ADDRESS),
    ]
)
_DATE = _object(
    [
        ("id", "json_quote(d.id)"),
        ("kind", "json_quote(d.kind)"),
        ("label", "json_quote(d.label)"),
        ("date", "json_quote(d.date)"),
        ("remind_days_before", "json_quote(d.remind_days_before)"),
    ]
)
_NOTE = _object(
    [
        ("id", "json_quote(n.id)"),
        ("body", "json_quote(n.body)"),
        ("pinned", _boolean("n.pinned")),
        ("created_at", iso_sql("n.created_at")),
    ]
)

# ``formats.json_io.encode_contact`` of the contact ``c``, as ``json.dumps`` writes it
CONTACT_RECORD = _object(
    [(f.key, _field(f.kind, f"c.{f.column}")) for f in contact_fields.FIELDS]
    + [
        ("org_units", _string_list("c.org_units")),
        (
            "name_parts",
            "CASE WHEN json_array_length(nullif(c.name_parts, '')) > 0 THEN "
            f"{_string_list('c.name_parts')} ELSE 'null' END",
        ),
        ("vcard_extra", _string_list("c.vcard_extra")),
        ("vcard_uid", "json_quote(c.vcard_uid)"),
        (
            "methods",
            _array(
                f"SELECT {_METHOD} AS item FROM contact_method m WHERE m.contact_id = c.id"
                " ORDER BY m.position, m.id"
            ),
        ),
        (
            "tags",
            _array(
                "SELECT json_quote(t.name) AS item FROM contact_tag ct"
                " JOIN tag t ON t.id = ct.tag_id WHERE ct.contact_id = c.id ORDER BY t.name, t.id"
            ),
        ),
        (
            "aliases",
            _array(
                "SELECT json_quote(a.name) AS item FROM contact_alias a"
                " WHERE a.contact_id = c.id ORDER BY a.id"
            ),
        ),
        (
            "merged_uids",
            _array(
                "SELECT json_quote(u.uid) AS item FROM merged_uid u"
                " WHERE u.contact_id = c.id ORDER BY u.uid"
            ),
        ),
        (
            "important_dates",
            _array(
                f"SELECT {_DATE} AS item FROM important_date d WHERE d.contact_id = c.id"
                " ORDER BY d.id"
            ),
        ),
        (
            "notes",
            _array(f"SELECT {_NOTE} AS item FROM note n WHERE n.contact_id = c.id ORDER BY n.id"),
        ),
    ]
)

# ``formats.json_io.encode_interaction`` of the interaction ``i``. A weight (a float) is
# the text Python's encoder gave it, looked up in ``temp.lrm_weight_text`` (filled by
# the caller): SQLite prints 15 digits, Python the shortest text that reads back the same.
INTERACTION_RECORD = _object(
    [
        ("id", "i.id"),
        ("uid", "json_quote(i.uid)"),
        ("occurred_at", iso_sql("i.occurred_at")),
        ("kind", "json_quote(i.kind)"),
        ("initiator", "json_quote(i.initiator)"),
        ("summary", "json_quote(i.summary)"),
        ("sentiment", "json_quote(i.sentiment)"),
        (
            "weight",
            "CASE WHEN i.weight IS NULL THEN 'null' ELSE (SELECT w.text FROM"
            " temp.lrm_weight_text w WHERE w.weight = i.weight) END",
        ),
        ("created_at", iso_sql("i.created_at")),
        (
            "participants",
            _array(
                "SELECT json_quote(c.uid) AS item FROM interaction_participant p"
                " JOIN contact c ON c.id = p.contact_id WHERE p.interaction_id = i.id"
                " ORDER BY c.uid"
            ),
        ),
    ]
)


def piece(table: str, alias: str, record: str) -> str:
    """A piece: the records of the (at most) ?2 rows of ``table`` with ids in (?1, ?4],
    in id order, joined by ?3; how many, and the last id (where the next piece starts)."""
    return (
        "SELECT count(*), max(id), coalesce(group_concat(record, ?3), '') FROM ("
        f"SELECT {alias}.id AS id, {record} AS record FROM {table} {alias}"
        f" WHERE {alias}.id > ?1 AND {alias}.id <= ?4 ORDER BY {alias}.id LIMIT ?2)"
    )


CONTACT_PIECE = piece("contact", "c", CONTACT_RECORD)
INTERACTION_PIECE = piece("interaction", "i", INTERACTION_RECORD)

# How many of the parts nested in the contacts with ids in (?1, ?2]: methods, tags,
# important dates, notes (``formats.json_io.COUNT_KEYS``' names for them).
CONTACT_PARTS = (
    ("methods", "contact_method"),
    ("contact_tags", "contact_tag"),
    ("important_dates", "important_date"),
    ("notes", "note"),
)
CONTACT_PART_COUNTS = "SELECT " + ", ".join(
    f"(SELECT count(*) FROM {table} WHERE contact_id > ?1 AND contact_id <= ?2)"
    for _, table in CONTACT_PARTS
)
