"""Contact lists: the filters and orders shared by ``lrm list`` and its JSON, whose
objects SQLite writes a row at a time (``list_json_rows``)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence

from lrm_cli import contact_fields
from lrm_cli.store.localtime import ZoneSQL
from lrm_cli.store.sqljson import JSON_SEPARATOR
from lrm_cli.vocabulary import LIST_SORTS

SORTS = dict(
    zip(
        LIST_SORTS,
        ("lrm_name_order(c.display_name)", "c.created_at", "c.updated_at", "s.last_at", "c.id"),
        strict=True,
    )
)


def like_pattern(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def list_filter(
    *,
    tag: str | None,
    search: str | None,
    archived: str,
    phone_runs: Sequence[str] = (),
    snoozed_on: str | None = None,
) -> tuple[list[str], list[object]]:
    """The WHERE terms (over ``contact c``) and their arguments of a contact list.
    ``search`` is text in a name, organisation, method or note; ``phone_runs`` (from
    ``services.search.phone_digits``) also match phones holding those digits, in any
    formatting; ``snoozed_on`` (an ISO day): only contacts snoozed past that day."""
    where: list[str] = []
    args: list[object] = []
    if archived == "active":
        where.append("c.archived_at IS NULL")
    elif archived == "archived":
        where.append("c.archived_at IS NOT NULL")
    if snoozed_on:
        from lrm_cli.store.scheduler_sql import snoozed_past

        where.append(snoozed_past(f"?{len(args) + 1}"))
        args.append(snoozed_on)
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
    from lrm_cli.store.search import digits_sql

    digits = digits_sql("m.value")
    found = " OR ".join(f"instr({digits}, ?{first + i})" for i in range(runs))
    return (
        " OR EXISTS (SELECT 1 FROM contact_method m WHERE m.contact_id = c.id"
        f" AND m.kind = 'phone' AND ({found}))"
    )


def list_order(sort: str, reverse: bool, sorts: dict[str, str] = SORTS) -> str:
    """ORDER BY of a contact list: the sort key (NULLs last, first when reversed), then
    name (``normalize.name_order``) and id, ascending whatever the direction. ``sorts``:
    the sort keys' columns (``SORTS``, over ``contact c`` and ``contact_stats s``)."""
    direction = "DESC" if reverse else "ASC"
    nulls = "NULLS LAST" if not reverse else "NULLS FIRST"
    name, ident = sorts["name"], sorts["id"]
    if sort == "name":  # never NULL: the plain order, which the list cache is stored in
        return f"{name} {direction}, {ident}"
    return f"{sorts[sort]} {direction} {nulls}, {name}, {ident}"


# The list cache's columns (migrations 0015, 0016) under the names ``list_filter`` and
# ``list_order`` give the contact's: a list that asks only about them reads the cache
# alone, in its stored order.
_CACHE_SORTS = {"name": "c.name_order", "id": "c.contact_id"}


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


# The sort keys of ``SORTS`` over the rows of ``picked``
_PICKED_SORTS = {
    key: column.replace("c.", "p.").replace("s.last_at", "p.last_contact")
    for key, column in SORTS.items()
}

# Without a limit every contact is written: ``picked`` is folded into the outer query
# and the JSON objects themselves are sorted (no window function, no copy of the rows).
# With one, ``picked`` is the first rows, sorted and materialized, so the lists and
# timestamps are written for those rows only.
_LIST_JSON = f"""
WITH picked AS {{materialized}} (
  SELECT c.*, s.last_at AS last_contact,
    {", ".join(f"{{{column}_off}} AS {column}_off" for column in _LOCAL)}
  FROM contact c LEFT JOIN contact_stats s ON s.contact_id = c.id
  {{where}} {{limit}}
)
SELECT {{ident}}json_object({_shape_sql()}) AS t
FROM picked p {{order}}
"""


def _list_sql(
    local: ZoneSQL, where: list[str], *, order: str = "", limit: str = "", ident: bool = False
) -> str:
    """The statement writing the objects of the contacts ``where`` selects (``order``:
    an ORDER BY over ``picked``; ``limit``: ORDER BY and LIMIT inside it; ``ident``:
    each row's contact id first)."""
    local_time: dict[str, str] = {}
    for column, source in _LOCAL.items():
        local_time[f"{column}_off"] = local.offset(source)
        local_time[column] = local.iso(column, f"{column}_off")
    return _LIST_JSON.format(
        materialized="MATERIALIZED" if limit else "NOT MATERIALIZED",
        order=f"ORDER BY {order}" if order else "",
        where=f"WHERE {' AND '.join(where)}" if where else "",
        limit=limit,
        ident="p.id, " if ident else "",
        **local_time,
    )


def shape_key(local: ZoneSQL) -> str:
    """What a contact's object depends on besides its rows: the statement writing it
    (this code's shape, the zone's offsets when fixed) and the zone (list_cache)."""
    import hashlib

    statement = _list_sql(local, [])
    return f"{hashlib.sha256(statement.encode()).hexdigest()[:16]} {local.zone}"


def fill_statement(local: ZoneSQL) -> str:
    """The objects of the contacts list_cache lacks: (contact id, object) rows."""
    missing = "NOT EXISTS (SELECT 1 FROM list_cache lc WHERE lc.contact_id = c.id)"
    return _list_sql(local, [missing], ident=True)


def list_json_rows(
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
    snoozed_on: str | None = None,
    from_cache: bool = False,
) -> Iterator[bytes]:
    """:func:`list_contacts` as the compact JSON of ``shapes.listed``, one object (UTF-8
    bytes) a row, written by SQLite (timestamps in the zone of ``local``) and read a
    batch at a time, so that 100,000 contacts go to stdout without being held at once.
    A test holds them equal to ``json.dumps`` of the rows. ``from_cache``: every
    contact's object is in list_cache for this :func:`shape_key` (store/list_cache.py
    says so): they are read from there, not written."""
    where, args = list_filter(
        tag=tag, search=search, archived=archived, phone_runs=phone_runs, snoozed_on=snoozed_on
    )
    order = list_order(sort, reverse)
    limited = f"LIMIT {int(limit)}" if limit else ""
    where_sql = f"WHERE {' AND '.join(where)}" if where else ""
    if from_cache and sort in _CACHE_SORTS and not (tag or search or snoozed_on):
        order = list_order(sort, reverse, _CACHE_SORTS)
        sql = f"SELECT c.body FROM list_cache c {where_sql} ORDER BY {order} {limited}"
    elif from_cache:
        sql = (
            "SELECT lc.body FROM contact c LEFT JOIN contact_stats s ON s.contact_id = c.id"
            f" JOIN list_cache lc ON lc.contact_id = c.id {where_sql} ORDER BY {order} {limited}"
        )
    else:
        local.attach(conn)
        sql = _list_sql(
            local,
            where,
            order=list_order(sort, reverse, _PICKED_SORTS),
            limit=f"ORDER BY {order} {limited}" if limit else "",
        )
    conn.text_factory = bytes  # read at each fetch: bytes go to stdout as they are
    try:
        cur = conn.execute(sql, args)
        while rows := cur.fetchmany(BATCH):
            for (row,) in rows:
                yield row
    finally:
        conn.text_factory = str


BATCH = 2000


def list_json(conn: sqlite3.Connection, local: ZoneSQL, **filters) -> bytes | None:
    """The objects of :func:`list_json_rows` joined by ``sqljson.JSON_SEPARATOR``, None
    for no contact."""
    return JSON_SEPARATOR.encode().join(list_json_rows(conn, local, **filters)) or None
