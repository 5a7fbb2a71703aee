"""the undo journal: every write's inverse statements, kept by triggers

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04 17:00:00

``lrm undo`` reverts the last command's writes. Each write transaction opens a row of
``undo_change`` (the command line and the time) and names it in ``undo_state``; while it is
named, triggers on the user's tables write, for every row inserted, updated or deleted,
the statement that puts it back (``undo_log``: the table, the operation, the rowid, the
contact it belongs to, and the SQL). Outside an lrm write (``undo_state.change_id`` NULL:
another program, a migration, an undo itself) the triggers do nothing.

Derived tables (contact_stats, stats_window, the search index, sync_item) are not
journaled: after an undo the scheduler's aggregates are rebuilt for the contacts whose
interactions changed, and the search index follows its own triggers.

This file is frozen: the triggers name each table's columns as they are now. A later
migration that adds a column to, or rebuilds, a journaled table must create that table's
three triggers again (tests/test_undo.py checks that every journaled table has them and
that they name every column).
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

JOURNALED = (
    "contact",
    "contact_method",
    "tag",
    "contact_tag",
    "relationship",
    "important_date",
    "interaction",
    "interaction_participant",
    "note",
    "reminder",
)


def _columns(table: str) -> list[str]:
    return [r[1] for r in op.get_bind().exec_driver_sql(f"PRAGMA table_info({table})")]


def _triggers(table: str, columns: list[str]) -> list[str]:
    """The three triggers of ``table`` (the same text as lrm_cli/store/undo.py makes)."""
    owner = "id" if table == "contact" else "contact_id" if "contact_id" in columns else None
    when = "WHEN (SELECT change_id FROM undo_state WHERE id = 1) IS NOT NULL"
    head = "INSERT INTO undo_log (change_id, tbl, op, row_id, contact_id, sql) VALUES ("
    change = "(SELECT change_id FROM undo_state WHERE id = 1)"

    def row(ref: str, op_name: str, sql: str) -> str:
        contact = f"{ref}.{owner}" if owner else "NULL"
        return f"{head}{change}, '{table}', '{op_name}', {ref}.rowid, {contact}, {sql});"

    sets = " || ', ' || ".join(f'\'"{c}" = \' || quote(old."{c}")' for c in columns)
    names = ", ".join(f'"{c}"' for c in columns)
    values = " || ', ' || ".join(f'quote(old."{c}")' for c in columns)
    return [
        f"CREATE TRIGGER undo_{table}_insert AFTER INSERT ON {table} {when} BEGIN "
        + row("new", "insert", f"'DELETE FROM {table} WHERE rowid = ' || new.rowid")
        + " END",
        f"CREATE TRIGGER undo_{table}_update AFTER UPDATE ON {table} {when} BEGIN "
        + row(
            "old",
            "update",
            f"'UPDATE {table} SET ' || {sets} || ' WHERE rowid = ' || old.rowid",
        )
        + " END",
        f"CREATE TRIGGER undo_{table}_delete AFTER DELETE ON {table} {when} BEGIN "
        + row(
            "old",
            "delete",
            f"'INSERT INTO {table} (rowid, {names}) VALUES (' || old.rowid || ', ' || "
            f"{values} || ')'",
        )
        + " END",
    ]


def upgrade() -> None:
    text = sqlmodel.sql.sqltypes.AutoString
    op.create_table(
        "undo_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("command", text(), nullable=False),
        sa.Column("at", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "undo_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("change_id", sa.Integer(), nullable=False),
        sa.Column("tbl", text(), nullable=False),
        sa.Column("op", text(), nullable=False),
        sa.Column("row_id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=True),
        sa.Column("sql", text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_undo_log_change", "undo_log", ["change_id"], unique=False)
    op.create_table(
        "undo_state",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("change_id", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.execute("INSERT INTO undo_state (id, change_id) VALUES (1, NULL)")
    for table in JOURNALED:
        for statement in _triggers(table, _columns(table)):
            op.execute(statement)


def downgrade() -> None:
    for table in JOURNALED:
        for op_name in ("insert", "update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS undo_{table}_{op_name}")
    op.drop_table("undo_state")
    op.drop_index("ix_undo_log_change", table_name="undo_log")
    op.drop_table("undo_log")
    op.drop_table("undo_change")
