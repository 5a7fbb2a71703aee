"""relationship.label: the card's own word for a relationship (Godmother, Daughter)

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06 23:40:00

A phone names related people with words lrm's kinds do not have: Apple's custom labels
(``item1.X-ABLabel:Godmother``) and newer built-in ones (``_$!<Daughter>!$_``), Android's
custom relation labels. The import read each as the nearest kind (``other``, ``child``)
and the export wrote that kind back, so the phone's word was lost on the way round.
``relationship.label`` keeps the word (NULL when the kind says it all); the export writes
it as the related name's label.

Adding a column to a journaled table means creating its three undo triggers again
(migration 0007): they name every column. Their text is migration 0009's, with
migration 0013's WHEN clause (an update that changes nothing is not journaled).

This file is frozen.
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

TABLE = "relationship"
JOURNALING = "WHEN (SELECT change_id FROM undo_state WHERE id = 1) IS NOT NULL"


def _columns() -> list[str]:
    return [r[1] for r in op.get_bind().exec_driver_sql(f"PRAGMA table_info({TABLE})")]


def _triggers(columns: list[str]) -> list[str]:
    """The three undo triggers of the relationship table for ``columns``."""
    head = "INSERT INTO undo_log (change_id, tbl, op, row_id, contact_id, sql) VALUES ("
    change = "(SELECT change_id FROM undo_state WHERE id = 1)"

    def row(ref: str, op_name: str, sql: str) -> str:
        return f"{head}{change}, '{TABLE}', '{op_name}', {ref}.rowid, {ref}.contact_id, {sql});"

    sets = " || ', ' || ".join(f'\'"{c}" = \' || quote(old."{c}")' for c in columns)
    names = ", ".join(f'"{c}"' for c in columns)
    values = " || ', ' || ".join(f'quote(old."{c}")' for c in columns)
    differs = " OR ".join(f'old."{c}" IS NOT new."{c}"' for c in columns)
    return [
        f"CREATE TRIGGER undo_{TABLE}_insert AFTER INSERT ON {TABLE} {JOURNALING} BEGIN "
        + row("new", "insert", f"'DELETE FROM {TABLE} WHERE rowid = ' || new.rowid")
        + " END",
        f"CREATE TRIGGER undo_{TABLE}_update AFTER UPDATE ON {TABLE} {JOURNALING} "
        f"AND ({differs}) BEGIN "
        + row(
            "old",
            "update",
            f"'UPDATE {TABLE} SET ' || {sets} || ' WHERE rowid = ' || old.rowid",
        )
        + " END",
        f"CREATE TRIGGER undo_{TABLE}_delete AFTER DELETE ON {TABLE} {JOURNALING} BEGIN "
        + row(
            "old",
            "delete",
            f"'INSERT INTO {TABLE} (rowid, {names}) VALUES (' || old.rowid || ', ' || "
            f"{values} || ')'",
        )
        + " END",
    ]


def _recreate_triggers() -> None:
    for op_name in ("insert", "update", "delete"):
        op.execute(f"DROP TRIGGER IF EXISTS undo_{TABLE}_{op_name}")
    for statement in _triggers(_columns()):
        op.execute(statement)


def upgrade() -> None:
    op.add_column(TABLE, sa.Column("label", sqlmodel.sql.sqltypes.AutoString(), nullable=True))
    _recreate_triggers()


def downgrade() -> None:
    op.execute(f"ALTER TABLE {TABLE} DROP COLUMN label")
    _recreate_triggers()
