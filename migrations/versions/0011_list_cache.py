"""list cache: each contact's object of `lrm list --json`, as SQLite last wrote it

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06 03:00:00

``list_cache`` holds one row per contact: the compact JSON object ``lrm list --json``
writes for it (store/listing.py renders it; store/list_cache.py fills the cache);
``list_cache_shape`` the one shape they were all written for (a hash of the rendering
SQL and the time zone its timestamps are in). At 100,000 contacts, rendering every
object takes ~0.8 s; reading them back ~0.2 s (issue 14). Whether every contact has its
object is a count (the index on ``contact_id`` makes it one of a small index, not of
the ~50 MB of objects). It is derived data, never exported, journaled or synced.

Triggers drop a contact's row whenever what its object is made from changes: the
contact, its methods, its tags (and a tag's name), its statistics' last contact. A
deleted contact's row goes with it.

This file is frozen.
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def _drop(contact: str) -> str:
    return f"DELETE FROM list_cache WHERE contact_id = {contact};"


# (name, event, table, WHEN or "", statements)
TRIGGERS = (
    ("list_cache_contact_update", "AFTER UPDATE", "contact", "",
     _drop("old.id") + " " + _drop("new.id")),
    ("list_cache_contact_delete", "AFTER DELETE", "contact", "", _drop("old.id")),
    ("list_cache_method_insert", "AFTER INSERT", "contact_method", "", _drop("new.contact_id")),
    ("list_cache_method_update", "AFTER UPDATE", "contact_method", "",
     _drop("old.contact_id") + " " + _drop("new.contact_id")),
    ("list_cache_method_delete", "AFTER DELETE", "contact_method", "", _drop("old.contact_id")),
    ("list_cache_tag_link_insert", "AFTER INSERT", "contact_tag", "", _drop("new.contact_id")),
    ("list_cache_tag_link_update", "AFTER UPDATE", "contact_tag", "",
     _drop("old.contact_id") + " " + _drop("new.contact_id")),
    ("list_cache_tag_link_delete", "AFTER DELETE", "contact_tag", "", _drop("old.contact_id")),
    ("list_cache_tag_update", "AFTER UPDATE OF name", "tag", "",
     "DELETE FROM list_cache WHERE contact_id IN "
     "(SELECT contact_id FROM contact_tag WHERE tag_id = new.id);"),
    ("list_cache_tag_delete", "BEFORE DELETE", "tag", "",
     "DELETE FROM list_cache WHERE contact_id IN "
     "(SELECT contact_id FROM contact_tag WHERE tag_id = old.id);"),
    ("list_cache_stats_insert", "AFTER INSERT", "contact_stats", "", _drop("new.contact_id")),
    ("list_cache_stats_update", "AFTER UPDATE", "contact_stats",
     "WHEN old.last_at IS NOT new.last_at OR old.contact_id IS NOT new.contact_id",
     _drop("old.contact_id") + " " + _drop("new.contact_id")),
    ("list_cache_stats_delete", "AFTER DELETE", "contact_stats", "", _drop("old.contact_id")),
)  # fmt: skip


def upgrade() -> None:
    op.create_table(
        "list_cache",
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.Column("body", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.PrimaryKeyConstraint("contact_id"),
    )
    op.create_index("ix_list_cache_contact", "list_cache", ["contact_id"])
    op.create_table(
        "list_cache_shape",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("shape", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    for name, event, table, when, body in TRIGGERS:
        op.execute(f"CREATE TRIGGER {name} {event} ON {table} {when} BEGIN {body} END")


def downgrade() -> None:
    for name, *_ in TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.drop_table("list_cache_shape")
    op.drop_index("ix_list_cache_contact", table_name="list_cache")
    op.drop_table("list_cache")
