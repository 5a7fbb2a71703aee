"""scheduler aggregates: contact_stats, and the initiator repeated on participants

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29 03:06:00.743787
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "contact_stats",
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.Column("interaction_count", sa.Integer(), nullable=False),
        sa.Column("first_at", sa.Integer(), nullable=True),
        sa.Column("last_at", sa.Integer(), nullable=True),
        sa.Column("inferred_cadence_days", sa.Integer(), nullable=True),
        sa.Column("balance_num", sa.Float(), nullable=False),
        sa.Column("balance_den", sa.Float(), nullable=False),
        sa.Column("stats_key", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.ForeignKeyConstraint(["contact_id"], ["contact.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("contact_id"),
    )
    with op.batch_alter_table("contact_stats", schema=None) as batch_op:
        batch_op.create_index("ix_contact_stats_key", ["stats_key"], unique=False)
    with op.batch_alter_table("interaction_participant", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("initiator", sa.String(), server_default="mutual", nullable=False)
        )
        batch_op.create_index(
            "ix_participant_time", ["occurred_at", "contact_id", "initiator"], unique=False
        )
    op.execute(
        "UPDATE interaction_participant SET initiator = (SELECT i.initiator FROM interaction i"
        " WHERE i.id = interaction_participant.interaction_id)"
    )
    # Counts and times now; the balance sums and inferred cadence depend on the user's
    # scheduler settings, so the rows are marked stale ('') and lrm computes them on first use.
    op.execute(
        "INSERT INTO contact_stats (contact_id, interaction_count, first_at, last_at,"
        " balance_num, balance_den, stats_key)"
        " SELECT contact_id, count(*), min(occurred_at), max(occurred_at), 0, 0, ''"
        " FROM interaction_participant GROUP BY contact_id"
    )


def downgrade() -> None:
    with op.batch_alter_table("interaction_participant", schema=None) as batch_op:
        batch_op.drop_index("ix_participant_time")
        batch_op.drop_column("initiator")
    with op.batch_alter_table("contact_stats", schema=None) as batch_op:
        batch_op.drop_index("ix_contact_stats_key")
    op.drop_table("contact_stats")
