"""sliding-window counts in contact_stats, the boundaries they are computed for, and a
covering index of active contacts for the scheduler

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29 05:40:00

The counts start at zero with no stats_window row: lrm computes them on first use.
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

COLUMNS = ("win_all", "win_recent", "win_me", "win_them", "win_mutual")


def upgrade() -> None:
    with op.batch_alter_table("contact_stats", schema=None) as batch_op:
        for name in COLUMNS:
            batch_op.add_column(sa.Column(name, sa.Integer(), server_default="0", nullable=False))
    with op.batch_alter_table("contact", schema=None) as batch_op:
        batch_op.create_index(
            "ix_contact_active",
            ["archived_at", "id", "display_name", "snoozed_until", "cadence_days", "created_at"],
            unique=False,
        )
    op.create_table(
        "stats_window",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("previous_start", sa.Integer(), nullable=False),
        sa.Column("recent_start", sa.Integer(), nullable=False),
        sa.Column("counts_start", sa.Integer(), nullable=False),
        sa.Column("end_at", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )


def downgrade() -> None:
    op.drop_table("stats_window")
    with op.batch_alter_table("contact", schema=None) as batch_op:
        batch_op.drop_index("ix_contact_active")
    with op.batch_alter_table("contact_stats", schema=None) as batch_op:
        for name in reversed(COLUMNS):
            batch_op.drop_column(name)
