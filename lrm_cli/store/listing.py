"""Contact lists: the filters and orders shared by ``lrm list`` and its JSON, which
SQLite writes whole (``list_json``)."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

from lrm_cli import contact_fields
from lrm_cli.store.localtime import ZoneSQL
from lrm_cli.store.sqljson import joined
from lrm_cli.vocabulary import LIST_SORTS

SORTS = dict(
    zip(
        LIST_SORTS,
        ("c.display_name", "c.created_at", "c.updated_at", "s.last_at", "c.id"),
        strict=True,
    )
)


def like_pattern(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def list_filter(
    *, tag: str | None, search: str | None, archived: str, phone_runs: Sequence[str] = ()
) -> tuple[list[str], list[object]]:
    """The WHERE terms (over ``contact c``) and their arguments of a contact list.
    ``search`` is text in a name, organisation, method or note; ``phone_runs`` (from
    ``services.search.phone_digits``) also match phones holding those digits, in any
    formatting."""
    where: list[str] = []
    args: list[object] = []
    if archived == "active":
        where.append("c.archived_at IS NULL")
    elif archived == "archived":
        where.append("c.archived_at IS NOT NULL")
    if tag:
        where.append(
            "EXISTS (SELECT 1 FROM contact_tag ct JOIN tag t ON t.id = ct.tag_id "
            "WHERE ct.contact_id = c.id AND t.name = ?)"
        )
        args.append(tag)
    if search:
        pattern = f"%{like_pattern(search)}%"
        where.append(
            "(c.display_name LIKE ?1 ESCAPE '\\' OR c.given_name LIKE ?1 ESCAPE '\\' "
            "OR c.family_name LIKE ?1 ESCAPE '\\' OR c.nickname LIKE ?1 ESCAPE '\\' "
            "OR c.organization LIKE ?1 ESCAPE '\\' "
            "OR EXISTS (SELECT 1 FROM contact_method m WHERE m.contact_id = c.id "
            "AND m.value LIKE ?1 ESCAPE '\\') "
            "OR EXISTS (SELECT 1 FROM note n WHERE n.contact_id = c.id "
            "AND n.body LIKE ?1 ESCAPE '\\')".replace("?1", f"?{len(args) + 1}")
            + _phone_digits_match(len(args) + 2, len(phone_runs))
            + ")"
        )
        args.append(pattern)
        args.extend(phone_runs)
    return where, args


def _phone_digits_match(first: int, runs: int) -> str:
    """`` OR`` a phone of the contact holds one of ``runs`` digit runs (parameters
    ``?first``...), its punctuation aside; "" for none."""
    if not runs:
        return ""
    from lrm_cli.store.search import PHONE_PUNCTUATION

    digits = "m.value"
    for ch in PHONE_PUNCTUATION:
        digits = f"replace({digits}, {ch if ch.startswith('char(') else repr(ch)}, '')"
    found = " OR ".join(f"instr({digits}, ?{first + i})" for i in range(runs))
    return (
        " OR EXISTS (SELECT 1 FROM contact_method m WHERE m.contact_id = c.id"
        f" AND m.kind = 'phone' AND ({found}))"
    )


def list_order(sort: str, reverse: bool) -> str:
    """ORDER BY of a contact list: the sort key (NULLs last, first when reversed), then
    name (NOCASE) and id, ascending whatever the direction."""
    direction = "DESC" if reverse else "ASC"
    nulls = "NULLS LAST" if not reverse else "NULLS FIRST"
    return f"{SORTS[sort]} {direction} {nulls}, c.display_name, c.id"


_LISTS = """'emails', json((SELECT json_group_array(value) FROM (SELECT value FROM contact_method
     WHERE contact_id = p.id AND kind = 'email' ORDER BY position))),
  'phones', json((SELECT json_group_array(value) FROM (SELECT value FROM contact_method
     WHERE contact_id = p.id AND kind = 'phone' ORDER BY position))),
  'tags', json((SELECT json_group_array(name) FROM (SELECT t.name AS name FROM contact_tag ct
     JOIN tag t ON t.id = ct.tag_id WHERE ct.contact_id = p.id ORDER BY t.name COLLATE BINARY)))"""


# the timestamps shown in local time: the column of ``picked`` -> its source
_LOCAL = {
    **{
        f.column: f"c.{f.column}"
        for f in contact_fields.FIELDS
        if f.kind == "timestamp" and not f.shown_as
    },
    "last_contact": "s.last_at",
}


def _shape_sql() -> str:
    """The contact shape (``shapes.listed``) as the arguments of a SQL ``json_object``
    over the rows of ``picked``; timestamps are placeholders (``{created_at}``...) filled
    per zone with the ISO text of the column and its offset (``created_at_off``)."""
    pairs: list[str] = []
    for f in contact_fields.FIELDS:
        value = f.column
        if f.shown_as:
            value = f"CASE WHEN {f.column} IS NULL THEN json('false') ELSE json('true') END"
        elif f.column in _LOCAL:
            value = f"{{{f.column}}}"
        pairs.append(f"'{f.shown_as or f.key}', {value}")
        if f.column == contact_fields.LISTS_AFTER:
            pairs.append(_LISTS)
    pairs.append("'last_contact', {last_contact}")
    return ",\n  ".join(pairs)


_LIST_JSON = f"""
WITH picked AS MATERIALIZED (
  SELECT row_number() OVER (ORDER BY {{order}}) AS n, c.*, s.last_at AS last_contact,
    {", ".join(f"{{{column}_off}} AS {column}_off" for column in _LOCAL)}
  FROM contact c LEFT JOIN contact_stats s ON s.contact_id = c.id
  {{where}} ORDER BY {{order}} {{limit}}
)
SELECT json_object({_shape_sql()}) AS t
FROM picked p ORDER BY n
"""


def list_json(
    conn: sqlite3.Connection,
    local: ZoneSQL,
    *,
    tag: str | None = None,
    search: str | None = None,
    archived: str = "active",
    sort: str = "name",
    reverse: bool = False,
    limit: int | None = None,
    phone_runs: Sequence[str] = (),
) -> bytes | None:
    """:func:`list_contacts` as the compact JSON of ``shapes.listed``, written by SQLite
    (timestamps in the zone of ``local``) and joined by ``sqljson.JSON_SEPARATOR``;
    None for no contact. A test holds it equal to ``json.dumps`` of the rows."""
    local.attach(conn)
    where, args = list_filter(tag=tag, search=search, archived=archived, phone_runs=phone_runs)
    local_time: dict[str, str] = {}
    for column, source in _LOCAL.items():
        local_time[f"{column}_off"] = local.offset(source)
        local_time[column] = local.iso(column, f"{column}_off")
    sql = _LIST_JSON.format(
        order=list_order(sort, reverse),
        where=f"WHERE {' AND '.join(where)}" if where else "",
        limit=f"LIMIT {int(limit)}" if limit else "",
        **local_time,
    )
    return joined(conn, sql, args)
