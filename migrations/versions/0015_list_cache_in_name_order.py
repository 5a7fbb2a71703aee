"""list cache in name order: the objects of `lrm list --json` stored as the list reads them

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07 02:00:00

Migration 0011's ``list_cache`` was keyed by contact id, so reading every object in the
list's order (by name) sorted them: at 100,000 contacts, ~50 MB of objects through a
temporary B-tree, ~0.24 s of the ~0.5 s of ``lrm list --json`` (issue 14). The table is
now clustered by the list's order (``WITHOUT ROWID``, keyed by the contact's name and id)
and carries the two contact columns the default list asks about (``display_name``,
``archived_at``), so that list reads the objects in order with no sort and no join
(~0.06 s). Its triggers (0011) are unchanged: they drop a contact's row by
``contact_id``, which keeps its own unique index.

The cache is derived data: it starts empty and the next list fills it.

This file is frozen.
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_list_cache_contact", table_name="list_cache")
    op.drop_table("list_cache")
    op.create_table(
        "list_cache",
        sa.Column("display_name", sa.String(collation="NOCASE"), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.Column("archived_at", sa.Integer(), nullable=True),
        sa.Column("body", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.PrimaryKeyConstraint("display_name", "contact_id"),
        sqlite_with_rowid=False,
    )
    op.create_index("ix_list_cache_contact", "list_cache", ["contact_id"], unique=True)
    op.execute("DELETE FROM list_cache_shape")


def downgrade() -> None:
    op.drop_index("ix_list_cache_contact", table_name="list_cache")
    op.drop_table("list_cache")
    op.create_table(
        "list_cache",
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.Column("body", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.PrimaryKeyConstraint("contact_id"),
    )
    op.create_index("ix_list_cache_contact", "list_cache", ["contact_id"])
    op.execute("DELETE FROM list_cache_shape")
