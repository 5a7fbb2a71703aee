"""phone tail index: one number written two ways is found as one

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-07 13:10:00

Without ``phone_region`` a number typed ``07700 900123`` is kept as written, and the same
number from a phone's export is ``+447700900123``: the add-time warning, ``dupes``,
``merge`` and ``import vcard`` compared stored values and missed them. They now share one
rule, ``normalize.same_phone``, under which one number's spellings end in the same seven
digits (``normalize.phone_tail``, punctuation aside). This index keys phones by those
digits, so the contacts that may have a number are one index look-up; the rule decides.
The expression is the one ``lrm_cli/store/search.py`` (``phone_tail_sql``) builds, which
tests/test_phone_sameness.py holds equal to the Python one.

This file is frozen.
"""

from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None

TAIL = (
    "substr(replace(replace(replace(replace(replace(replace(replace(replace(replace(value,"
    " ' ', ''), '+', ''), '-', ''), '(', ''), ')', ''), '.', ''), '/', ''), char(9), ''),"
    " char(160), ''), -7)"
)


def upgrade() -> None:
    op.execute(
        f"CREATE INDEX ix_contact_method_phone_tail ON contact_method ({TAIL})"
        " WHERE kind = 'phone'"
    )


def downgrade() -> None:
    op.execute("DROP INDEX ix_contact_method_phone_tail")
