"""ids never reused: the tables of the user's data and the undo history count up forever

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-07 18:00:00

Without AUTOINCREMENT, SQLite gives a new row the largest id + 1, so deleting the row
with the largest id hands its id to the next row. Forgetting the newest contact, then
adding another, gave the new person the forgotten one's number (a script holding "#12"
now meant someone else), and ``lrm undo ID`` of that forget could no longer put the
contact back alone: the next ``note``, ``remind`` or ``log`` reused the ids of the rows
the forget took along (its notes, reminders, participant rows), so the undo found a
later change on "the same" rows and refused. The undo history's own ids were reused too.

This revision rebuilds those tables with ``INTEGER PRIMARY KEY AUTOINCREMENT``: SQLite
then keeps the largest id ever given in ``sqlite_sequence`` and never hands it out again.
``contact_tag`` and ``interaction_participant`` had only an implicit rowid (their key was
the pair), which the undo journal names them by; they get an ``id`` column of their own
(their old rowid) and keep the pair as a UNIQUE constraint.

A rebuild is SQLite's copy, drop, rename (foreign keys are off during migrations, so the
drop takes no rows along; ``legacy_alter_table`` leaves other tables' references as
written). Each table's indexes and triggers (the undo journal's, the search index's, the
statistics') are read from ``sqlite_master`` before the drop and created again after it,
as they were. The sequence starts above every id the table has held that the undo
journal still names (a row deleted by a change that can be undone), so an undone delete
can always put its rows back.

This file is frozen.
"""

import re

from alembic import op

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None

# tables whose ``id INTEGER`` primary key gains AUTOINCREMENT
WITH_ID = (
    "contact",
    "contact_method",
    "tag",
    "relationship",
    "important_date",
    "interaction",
    "note",
    "reminder",
    "contact_alias",
    "undo_change",
)
# tables keyed by a pair, with an implicit rowid: (table, pair, name of the pair's UNIQUE)
KEYED_BY_PAIR = (
    ("contact_tag", "contact_id, tag_id", "uq_contact_tag"),
    ("interaction_participant", "interaction_id, contact_id", "uq_participant"),
)

_ID_COLUMN = "id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT"


def _sql(table: str) -> str:
    (sql,) = (
        op.get_bind()
        .exec_driver_sql(
            "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)
        )
        .fetchone()
    )
    return sql


def _replaced_once(sql: str, pattern: str, replacement: str) -> str:
    new, n = re.subn(pattern, replacement, sql)
    if n != 1:  # a table not as the earlier migrations left it: stop, change nothing
        raise RuntimeError(f"unexpected table definition: {sql!r}")
    return new


def _with_autoincrement(sql: str) -> str:
    sql = _replaced_once(sql, r"\bid INTEGER NOT NULL,", _ID_COLUMN + ",")
    return _replaced_once(sql, r",\s*PRIMARY KEY \(id\)", "")


def _with_own_id(sql: str, pair: str, unique: str) -> str:
    sql = _replaced_once(sql, r"^(CREATE TABLE \w+ \()", r"\1\n\t" + _ID_COLUMN + ", ")
    return _replaced_once(
        sql, re.escape(f"PRIMARY KEY ({pair})"), f"CONSTRAINT {unique} UNIQUE ({pair})"
    )


def _columns(table: str) -> list[str]:
    rows = op.get_bind().exec_driver_sql(f'PRAGMA table_info("{table}")').fetchall()
    return [f'"{row[1]}"' for row in rows]


def _rebuild(table: str, new_sql: str, copy_to: str, copy_from: str) -> None:
    bind = op.get_bind()
    kept = [
        sql
        for (sql,) in bind.exec_driver_sql(
            "SELECT sql FROM sqlite_master WHERE tbl_name = ? AND type IN ('index', 'trigger')"
            " AND sql IS NOT NULL ORDER BY rowid",
            (table,),
        )
    ]
    scratch = f"_new_{table}"
    bind.exec_driver_sql(new_sql.replace(f"CREATE TABLE {table} (", f"CREATE TABLE {scratch} (", 1))
    bind.exec_driver_sql(f"INSERT INTO {scratch} ({copy_to}) SELECT {copy_from} FROM {table}")
    bind.exec_driver_sql(f"DROP TABLE {table}")
    bind.exec_driver_sql(f"ALTER TABLE {scratch} RENAME TO {table}")
    for sql in kept:
        bind.exec_driver_sql(sql)


def _start_sequence(table: str) -> None:
    """The table's sequence above its ids and every id of it the undo journal names."""
    bind = op.get_bind()
    bind.exec_driver_sql("DELETE FROM sqlite_sequence WHERE name = ?", (table,))
    bind.exec_driver_sql(
        "INSERT INTO sqlite_sequence (name, seq) SELECT ?, m FROM (SELECT max("
        f"coalesce((SELECT max(id) FROM {table}), 0), "
        "coalesce((SELECT max(row_id) FROM undo_log WHERE tbl = ?), 0)) AS m) WHERE m > 0",
        (table, table),
    )


def upgrade() -> None:
    # a table already counting up (a database stamped back to an older revision by hand,
    # as the tests of earlier migrations do) is left as it is
    for table in WITH_ID:
        if "AUTOINCREMENT" not in _sql(table):
            columns = ", ".join(_columns(table))
            _rebuild(table, _with_autoincrement(_sql(table)), columns, columns)
    for table, pair, unique in KEYED_BY_PAIR:
        if "AUTOINCREMENT" not in _sql(table):
            columns = ", ".join(_columns(table))
            new_sql = _with_own_id(_sql(table), pair, unique)
            _rebuild(table, new_sql, f"id, {columns}", f"rowid, {columns}")
    for table in WITH_ID + tuple(t for t, _, _ in KEYED_BY_PAIR):
        _start_sequence(table)


def downgrade() -> None:
    raise NotImplementedError("lrm databases are only ever upgraded")
