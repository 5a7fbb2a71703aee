"""sync state: one row per item file lrm sync has seen in a vdir folder

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29 05:30:00
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sync_item",
        sa.Column("folder", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("href", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("uid", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("local_hash", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("remote_hash", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("synced_at", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("folder", "href"),
    )
    with op.batch_alter_table("sync_item", schema=None) as batch_op:
        batch_op.create_index("ix_sync_item_uid", ["folder", "uid"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("sync_item", schema=None) as batch_op:
        batch_op.drop_index("ix_sync_item_uid")
    op.drop_table("sync_item")
