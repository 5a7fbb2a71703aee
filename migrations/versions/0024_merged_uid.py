"""merged uid: the UIDs of merged contacts lead to the contact they were merged into

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-08 10:00:00

``lrm merge`` deletes the contact merged away. Its UID was the UID of the card it was
imported from, so reading that phone export again (the phone still has both cards) found
no contact with the card's UID, and a card that shares no email or phone with the kept
contact came back as a new contact: merged every month, back every month. ``merged_uid``
maps such a UID to the contact it now belongs to; the vCard import looks there when no
contact has the card's UID. A merge moves the merged contact's own entries along.

Like ``card_seen`` (0022) it is import memory, not the user's data (``export json``
leaves it out), journaled for ``lrm undo`` (an undone merge forgets it). Rows go with
their contact (ON DELETE CASCADE).

This file is frozen.
"""

import sqlalchemy as sa
from alembic import op

revision = "0024"
down_revision = "0023"
branch_labels = None
depends_on = None

TABLE = "merged_uid"
COLUMNS = ("uid", "contact_id")

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
        sa.Column("uid", sa.String(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["contact_id"], ["contact.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("uid"),
    )
    op.create_index("ix_merged_uid_contact", TABLE, ["contact_id"])
    for statement in undo_triggers():
        op.execute(statement)


def downgrade() -> None:
    for op_name in ("insert", "update", "delete"):
        op.execute(f"DROP TRIGGER IF EXISTS undo_{TABLE}_{op_name}")
    op.execute(f"DELETE FROM undo_log WHERE tbl = '{TABLE}'")
    op.drop_index("ix_merged_uid_contact", TABLE)
    op.drop_table(TABLE)
