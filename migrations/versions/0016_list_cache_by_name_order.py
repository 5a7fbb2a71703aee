"""list cache by name order: the list's rows kept by where a name goes, accents aside

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07 06:40:00

Migration 0015 kept ``list_cache`` by the contact's name under SQLite's NOCASE, which
folds ASCII letters only: "Élodie" and "Øyvind" came after "Zoë". Every list of contacts
by name now sorts by ``normalize.name_order`` (case and accents aside); the cache keeps
its rows by that key (``name_order``, written by lrm when it fills the cache), so the
default list still reads them in order with no sort. Its triggers (0011) are unchanged:
they drop a contact's row by ``contact_id``.

The cache is derived data: it starts empty and the next list fills it.

This file is frozen.
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    _recreate("name_order", sa.String())


def downgrade() -> None:
    _recreate("display_name", sa.String(collation="NOCASE"))


def _recreate(key: str, key_type: sa.types.TypeEngine) -> None:
    op.drop_index("ix_list_cache_contact", table_name="list_cache")
    op.drop_table("list_cache")
    op.create_table(
        "list_cache",
        sa.Column(key, key_type, nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.Column("archived_at", sa.Integer(), nullable=True),
        sa.Column("body", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.PrimaryKeyConstraint(key, "contact_id"),
        sqlite_with_rowid=False,
    )
    op.create_index("ix_list_cache_contact", "list_cache", ["contact_id"], unique=True)
    op.execute("DELETE FROM list_cache_shape")
