"""names composed: stored names and tags in Unicode's composed form (NFC)

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-07 15:00:00

A Mac writes "Jürgen" in a vCard as u + a combining diaeresis (NFD); a keyboard types it
as one letter (NFC). The two look the same and are different strings, so a contact
imported from such a card was not found by the name a user typed into ``import vcard`` of
the same person from a phone: a duplicate. Every entry point now composes the text it
stores (``normalize.composed``); this revision composes the names, organisations and
tags stored before it, so that what was imported then matches what arrives now. A tag
whose composed name another tag already has is left as it is (``lrm tags`` shows both;
``lrm tag rm`` of one takes it off).

This file is frozen.
"""

import unicodedata

from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None

CONTACT_TEXT = ("display_name", "given_name", "family_name", "nickname", "organization")
NON_ASCII = "{} GLOB '*[^ -~]*'"


def _composed(value: str | None) -> str | None:
    return None if value is None else unicodedata.normalize("NFC", value)


def upgrade() -> None:
    conn = op.get_bind()
    columns = ", ".join(CONTACT_TEXT)
    where = " OR ".join(NON_ASCII.format(c) for c in CONTACT_TEXT)
    rows = conn.exec_driver_sql(f"SELECT id, {columns} FROM contact WHERE {where}").fetchall()
    sets = ", ".join(f"{c} = ?" for c in CONTACT_TEXT)
    for row in rows:
        values = tuple(_composed(v) for v in row[1:])
        if values != tuple(row[1:]):
            conn.exec_driver_sql(f"UPDATE contact SET {sets} WHERE id = ?", (*values, row[0]))
    tags = conn.exec_driver_sql(f"SELECT id, name FROM tag WHERE {NON_ASCII.format('name')}")
    for tag_id, name in tags.fetchall():
        name_nfc = _composed(name)
        taken = conn.exec_driver_sql(
            "SELECT 1 FROM tag WHERE name = ? AND id <> ?", (name_nfc, tag_id)
        )
        if name_nfc != name and taken.fetchone() is None:
            conn.exec_driver_sql("UPDATE tag SET name = ? WHERE id = ?", (name_nfc, tag_id))


def downgrade() -> None:
    """Nothing to undo: composed text is the same text."""
