"""render cache: the bytes export vcard and export ics last rendered, by what they came from

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05 15:30:00

``render_cache`` holds one row per rendered card (``kind`` "vcard", ``key`` the contact's
id) and per calendar component (``kind`` "ics", ``key`` the item's UID; key "" is the empty
VCALENDAR the components go in). ``print`` is a fingerprint of the rows the bytes were
rendered from and of the renderer (lrm's version, its formatting module, the library):
an export renders again only what changed since the last one (issue 14: vobject and
icalendar spend ~0.4 ms a card). It is derived data, never exported, journaled or synced.

Deleting a contact deletes its card and every calendar component (their summaries may
name it; the next export renders them again), so no rendering of a forgotten contact stays.

This file is frozen.
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

FORGET = (
    "CREATE TRIGGER render_cache_forget AFTER DELETE ON contact BEGIN "
    "DELETE FROM render_cache WHERE kind = 'vcard' AND key = CAST(OLD.id AS TEXT); "
    "DELETE FROM render_cache WHERE kind = 'ics'; "
    "END"
)


def upgrade() -> None:
    op.create_table(
        "render_cache",
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("print", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("body", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("kind", "key"),
    )
    op.execute(FORGET)


def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS render_cache_forget")
    op.drop_table("render_cache")
