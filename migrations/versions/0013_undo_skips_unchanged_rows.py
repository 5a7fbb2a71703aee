"""undo journal: an update that leaves its row as it was is not journaled

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06 20:45:00

The undo triggers of migration 0007 (0008, 0009) journaled every UPDATE, also one that
wrote the values the row already held: a merge import of a contact already there, the
tag cadence triggers setting ``contact.tag_cadence_days`` to what it was. ``lrm undo``
then said "1 contact changed" for nothing. Each table's ``undo_<table>_update`` trigger
now fires only when some column differs (``old."c" IS NOT new."c"`` for every column):
the check SQLite makes per row, in C, instead of one savepoint probe per journaled
update at the end of the command (which made `tag rename` over 1,500 contacts 4x
slower).

The triggers are rewritten from their own text in sqlite_master (only their WHEN clause
changes), so whatever columns a table has now are the columns compared.

This file is frozen.
"""

from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

TABLES = (
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
    "contact_alias",
)
JOURNALING = "WHEN (SELECT change_id FROM undo_state WHERE id = 1) IS NOT NULL"


def _differs(table: str) -> str:
    bind = op.get_bind()
    columns = [r[1] for r in bind.exec_driver_sql(f"PRAGMA table_info({table})")]
    return " OR ".join(f'old."{c}" IS NOT new."{c}"' for c in columns)


def _rewrite(table: str, old_when: str, new_when: str) -> None:
    bind = op.get_bind()
    name = f"undo_{table}_update"
    row = bind.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?", (name,)
    ).fetchone()
    if row is None or old_when not in row[0]:
        raise RuntimeError(f"trigger {name} is not as expected (edited by hand?)")
    op.execute(f"DROP TRIGGER {name}")
    op.execute(row[0].replace(old_when, new_when, 1))


def upgrade() -> None:
    for table in TABLES:
        _rewrite(table, f"{JOURNALING} BEGIN", f"{JOURNALING} AND ({_differs(table)}) BEGIN")


def downgrade() -> None:
    for table in TABLES:
        _rewrite(table, f"{JOURNALING} AND ({_differs(table)}) BEGIN", f"{JOURNALING} BEGIN")
