"""card seen: what each imported vCard gave its contact (reading it again adds what is new)

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-07 16:00:00

``lrm import vcard`` only ever adds to a contact it matches. Without a memory of what a card
gave before, reading a phone's export again brought back everything the user had deleted
in lrm since (a phone number, a note, a title cleared), and an edited card's new title
was silently dropped as "already set". ``card_seen`` holds, per contact and per card (its
UID, or its name for a card without one), what that card gave when it was last read
(its fields, methods, tags, dates, notes and aliases); lrm_cli/card_memory.py
compares a card read again with it (a three-way merge: the card then, the card now, the
contact now). One row per contact (its id is the rowid: no index to keep), ``cards`` a
JSON object of the contact's cards by key.

It is not the user's data (``export json`` leaves it out: a restored file starts with no
memory, and an import into it only adds, as before), but it changes with an import, so it
is journaled for ``lrm undo`` like the tables of migration 0007 (an undone import forgets
what it saw). Rows go with their contact (ON DELETE CASCADE).

This file is frozen.
"""

import sqlalchemy as sa
from alembic import op

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None

TABLE = "card_seen"
COLUMNS = ("contact_id", "cards")

# --- the undo journal (as migration 0007's _triggers) --------------------------------------

_WHEN = "WHEN (SELECT change_id FROM undo_state WHERE id = 1) IS NOT NULL"
_HEAD = "INSERT INTO undo_log (change_id, tbl, op, row_id, contact_id, sql) VALUES ("
_CHANGE = "(SELECT change_id FROM undo_state WHERE id = 1)"


def _row(ref: str, op_name: str, sql: str) -> str:
    return f"{_HEAD}{_CHANGE}, '{TABLE}', '{op_name}', {ref}.rowid, {ref}.contact_id, {sql});"


def undo_triggers() -> list[str]:
    sets = " || ', ' || ".join(f'\'"{c}" = \' || quote(old."{c}")' for c in COLUMNS)
    names = ", ".join(f'"{c}"' for c in COLUMNS)
    values = " || ', ' || ".join(f'quote(old."{c}")' for c in COLUMNS)
    return [
        f"CREATE TRIGGER undo_{TABLE}_insert AFTER INSERT ON {TABLE} {_WHEN} BEGIN "
        + _row("new", "insert", f"'DELETE FROM {TABLE} WHERE rowid = ' || new.rowid")
        + " END",
        f"CREATE TRIGGER undo_{TABLE}_update AFTER UPDATE ON {TABLE} {_WHEN} BEGIN "
        + _row(
            "old",
            "update",
            f"'UPDATE {TABLE} SET ' || {sets} || ' WHERE rowid = ' || old.rowid",
        )
        + " END",
        f"CREATE TRIGGER undo_{TABLE}_delete AFTER DELETE ON {TABLE} {_WHEN} BEGIN "
        + _row(
            "old",
            "delete",
            f"'INSERT INTO {TABLE} (rowid, {names}) VALUES (' || old.rowid || ', ' || "
            f"{values} || ')'",
        )
        + " END",
    ]


def upgrade() -> None:
    op.create_table(
        TABLE,
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.Column("cards", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(["contact_id"], ["contact.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("contact_id"),
    )
    for statement in undo_triggers():
        op.execute(statement)


def downgrade() -> None:
    for op_name in ("insert", "update", "delete"):
        op.execute(f"DROP TRIGGER IF EXISTS undo_{TABLE}_{op_name}")
    op.execute(f"DELETE FROM undo_log WHERE tbl = '{TABLE}'")
    op.drop_table(TABLE)
