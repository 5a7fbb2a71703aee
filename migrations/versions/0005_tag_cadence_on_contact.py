"""each contact's smallest tag cadence, kept by triggers, in the scheduler's covering index;
month-day indexes of birthdays and important dates

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29 08:45:00

``lrm due`` at 100k contacts spent most of its SQL grouping contact_tag to find each
contact's tag cadence; the triggers keep ``contact.tag_cadence_days`` equal to that
minimum (tag cadences below 1 ignored) through every write path: tagging, untagging,
merging (links moved), deleting a tag or a contact (cascades fire the triggers), and
changing a tag's cadence. The month-day indexes let the digest find the coming
fortnight's birthdays and dates without reading every contact.
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

OLD_INDEX = ["archived_at", "id", "display_name", "snoozed_until", "cadence_days", "created_at"]
NEW_INDEX = [
    "archived_at",
    "id",
    "display_name",
    "snoozed_until",
    "cadence_days",
    "tag_cadence_days",
    "created_at",
]


def _smallest(contact: str) -> str:
    return (
        "(SELECT min(t.cadence_days) FROM contact_tag ct JOIN tag t ON t.id = ct.tag_id"
        f" WHERE ct.contact_id = {contact} AND t.cadence_days >= 1)"
    )


TRIGGERS = {
    "tr_contact_tag_insert": (
        "AFTER INSERT ON contact_tag BEGIN UPDATE contact SET tag_cadence_days = "
        f"{_smallest('NEW.contact_id')} WHERE id = NEW.contact_id; END"
    ),
    "tr_contact_tag_delete": (
        "AFTER DELETE ON contact_tag BEGIN UPDATE contact SET tag_cadence_days = "
        f"{_smallest('OLD.contact_id')} WHERE id = OLD.contact_id; END"
    ),
    "tr_contact_tag_update": (
        "AFTER UPDATE ON contact_tag BEGIN UPDATE contact SET tag_cadence_days = "
        f"{_smallest('contact.id')} WHERE id IN (OLD.contact_id, NEW.contact_id); END"
    ),
    "tr_tag_cadence": (
        "AFTER UPDATE OF cadence_days ON tag BEGIN UPDATE contact SET tag_cadence_days = "
        f"{_smallest('contact.id')} WHERE id IN "
        "(SELECT contact_id FROM contact_tag WHERE tag_id = NEW.id); END"
    ),
}


def upgrade() -> None:
    op.add_column("contact", sa.Column("tag_cadence_days", sa.Integer(), nullable=True))
    op.execute(f"UPDATE contact SET tag_cadence_days = {_smallest('contact.id')}")
    op.drop_index("ix_contact_active", table_name="contact")
    op.create_index("ix_contact_active", "contact", NEW_INDEX, unique=False)
    for name, body in TRIGGERS.items():
        op.execute(f"CREATE TRIGGER {name} {body}")
    op.create_index(
        "ix_contact_birthday_md",
        "contact",
        [sa.text("substr(birthday, -5)")],
        sqlite_where=sa.text("birthday IS NOT NULL"),
    )
    op.create_index("ix_important_date_md", "important_date", [sa.text("substr(date, -5)")])


def downgrade() -> None:
    op.drop_index("ix_important_date_md", table_name="important_date")
    op.drop_index("ix_contact_birthday_md", table_name="contact")
    for name in TRIGGERS:
        op.execute(f"DROP TRIGGER {name}")
    op.drop_index("ix_contact_active", table_name="contact")
    op.create_index("ix_contact_active", "contact", OLD_INDEX, unique=False)
    with op.batch_alter_table("contact", schema=None) as batch_op:
        batch_op.drop_column("tag_cadence_days")
