"""structured cards: address components, organisation units, a card's other properties

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-05 08:30:00

What a phone's card holds and lrm used to flatten (issue 15):

- ``contact_method.components``: for an address, its seven ADR components as a JSON array
  of strings, in vCard order (post office box, extended address, street, locality, region,
  postal code, country); NULL for other methods and for addresses stored before this
  revision (their ``value`` is the street). ``value`` keeps the one-line rendering
  (the non-empty components joined by ", ") that display, search and matching use.
- ``contact.org_units``: the organisation's units (ORG's components after the name) as a
  JSON array of strings; NULL when there are none. ``organization`` is the name alone.
- ``contact.name_parts``: N's other components (additional names, honorific prefixes,
  honorific suffixes) as a JSON array of three strings; NULL when all are empty.
  ``given_name`` and ``family_name`` stay where they were.
- ``contact.vcard_extra``: the content lines (unfolded, as a JSON array of strings) of the
  properties lrm does not manage (PHOTO, KIND, RELATED, TZ, GEO, X-...), exactly as they
  came in the last card imported for the contact; ``export vcard`` writes them back.
- ``contact.vcard_uid``: the card's UID as written when lrm's ``uid`` is a normalisation
  of it (``urn:uuid:`` dropped), so the card goes back with the UID it came with.

Adding a column to a journaled table means creating its three undo triggers again
(migration 0007): they name every column. The columns are added with ALTER TABLE (the
tables are not rebuilt), so the search index's triggers stay.

This file is frozen.
"""

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

ADDED = {
    "contact": ("org_units", "name_parts", "vcard_extra", "vcard_uid"),
    "contact_method": ("components",),
}


def _columns(table: str) -> list[str]:
    return [r[1] for r in op.get_bind().exec_driver_sql(f"PRAGMA table_info({table})")]


def _triggers(table: str, columns: list[str]) -> list[str]:
    """The three undo triggers of ``table`` (the same text as migration 0007's)."""
    owner = "id" if table == "contact" else "contact_id" if "contact_id" in columns else None
    when = "WHEN (SELECT change_id FROM undo_state WHERE id = 1) IS NOT NULL"
    head = "INSERT INTO undo_log (change_id, tbl, op, row_id, contact_id, sql) VALUES ("
    change = "(SELECT change_id FROM undo_state WHERE id = 1)"

    def row(ref: str, op_name: str, sql: str) -> str:
        contact = f"{ref}.{owner}" if owner else "NULL"
        return f"{head}{change}, '{table}', '{op_name}', {ref}.rowid, {contact}, {sql});"

    sets = " || ', ' || ".join(f'\'"{c}" = \' || quote(old."{c}")' for c in columns)
    names = ", ".join(f'"{c}"' for c in columns)
    values = " || ', ' || ".join(f'quote(old."{c}")' for c in columns)
    return [
        f"CREATE TRIGGER undo_{table}_insert AFTER INSERT ON {table} {when} BEGIN "
        + row("new", "insert", f"'DELETE FROM {table} WHERE rowid = ' || new.rowid")
        + " END",
        f"CREATE TRIGGER undo_{table}_update AFTER UPDATE ON {table} {when} BEGIN "
        + row(
            "old",
            "update",
            f"'UPDATE {table} SET ' || {sets} || ' WHERE rowid = ' || old.rowid",
        )
        + " END",
        f"CREATE TRIGGER undo_{table}_delete AFTER DELETE ON {table} {when} BEGIN "
        + row(
            "old",
            "delete",
            f"'INSERT INTO {table} (rowid, {names}) VALUES (' || old.rowid || ', ' || "
            f"{values} || ')'",
        )
        + " END",
    ]


def _recreate_triggers(table: str) -> None:
    for op_name in ("insert", "update", "delete"):
        op.execute(f"DROP TRIGGER IF EXISTS undo_{table}_{op_name}")
    for statement in _triggers(table, _columns(table)):
        op.execute(statement)


def upgrade() -> None:
    text = sqlmodel.sql.sqltypes.AutoString
    for table, columns in ADDED.items():
        for column in columns:
            op.add_column(table, sa.Column(column, text(), nullable=True))
        _recreate_triggers(table)


def downgrade() -> None:
    for table, columns in ADDED.items():
        for column in columns:
            op.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
        _recreate_triggers(table)
