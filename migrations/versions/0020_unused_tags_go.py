"""unused tags go: a tag no contact carries and with no cadence is deleted

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-07 14:30:00

A tag is a word contacts carry, or a default cadence waiting for them. One that is neither
(``lrm tag rm bob frends`` took off the only "frends", ``lrm forget`` or ``lrm merge`` took
its last contact, ``lrm tag cadence frends --clear`` its cadence) stayed in ``lrm tags``
and completion with 0 contacts, and, since it existed, ``lrm tag add amy frends`` no longer
warned that "frends" looks like "friends". These triggers delete such a tag in the same
statement, whatever path takes its last contact or its cadence away; the undo journal
hears the delete like any other, so ``lrm undo`` brings the tag back with its link.
The tags left unused before this revision are deleted here.

This file is frozen.
"""

from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None

UNUSED = "NOT EXISTS (SELECT 1 FROM contact_tag WHERE tag_id = {id})"


def upgrade() -> None:
    op.execute(
        "CREATE TRIGGER tag_unused_untagged AFTER DELETE ON contact_tag"
        f" WHEN {UNUSED.format(id='OLD.tag_id')}"
        " BEGIN DELETE FROM tag WHERE id = OLD.tag_id AND cadence_days IS NULL; END"
    )
    op.execute(
        "CREATE TRIGGER tag_unused_cadence_cleared AFTER UPDATE OF cadence_days ON tag"
        f" WHEN NEW.cadence_days IS NULL AND {UNUSED.format(id='NEW.id')}"
        " BEGIN DELETE FROM tag WHERE id = NEW.id; END"
    )
    op.execute(f"DELETE FROM tag WHERE cadence_days IS NULL AND {UNUSED.format(id='tag.id')}")


def downgrade() -> None:
    op.execute("DROP TRIGGER tag_unused_cadence_cleared")
    op.execute("DROP TRIGGER tag_unused_untagged")
