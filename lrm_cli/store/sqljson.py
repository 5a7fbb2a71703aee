"""JSON lists written by SQLite: each row's object built with json_object, the rows
joined in SQLite, the whole handed to stdout as bytes."""

from __future__ import annotations

import sqlite3

JSON_SEPARATOR = ",\n  "


def joined(conn: sqlite3.Connection, sql: str, args: object = ()) -> bytes | None:
    """The text column ``t`` of ``sql``'s rows, in their order, joined in SQLite with
    ``JSON_SEPARATOR`` and returned as UTF-8 bytes (None for no rows): handing tens of
    thousands of rows to Python one by one costs more than writing them, and bytes go
    to stdout without a decode and an encode. group_concat keeps the order of an ordered
    subquery: SQLite keeps a subquery's ORDER BY under aggregates other than count, min
    and max (tests/test_due_balance_drift.py checks it)."""
    wrapped = f"SELECT group_concat(t, '{JSON_SEPARATOR}') FROM ({sql})"
    conn.text_factory = bytes
    try:
        return conn.execute(wrapped, args).fetchone()[0]
    finally:
        conn.text_factory = str
