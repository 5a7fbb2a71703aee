"""contact aliases: the other names a contact is known by (a merged record's name)

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05 08:00:00

``contact_alias`` holds one row per other name of a contact (``lrm merge`` keeps the other
record's name here). Names compare case-insensitively (``COLLATE NOCASE``), are unique per
contact (``uq_contact_alias``, which also serves look-ups by contact) and indexed
(``ix_contact_alias_name``) so references and imports find a contact by an alias by index.

The table is user data: it is journaled for ``lrm undo`` (the same three triggers as
migration 0007 makes for the other tables) and indexed for ``lrm search`` (kind ``alias``,
rowid ``id * 16 + 9``; the same statements as ``lrm_cli/store/search.py`` builds, which
tests/test_search.py holds equal).

This file is frozen, like 0006 and 0007.
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

COLUMNS = ("id", "contact_id", "name", "created_at")

# --- the undo journal (as migration 0007's _triggers) --------------------------------------

_WHEN = "WHEN (SELECT change_id FROM undo_state WHERE id = 1) IS NOT NULL"
_HEAD = "INSERT INTO undo_log (change_id, tbl, op, row_id, contact_id, sql) VALUES ("
_CHANGE = "(SELECT change_id FROM undo_state WHERE id = 1)"


def _row(ref: str, op_name: str, sql: str) -> str:
    return f"{_HEAD}{_CHANGE}, 'contact_alias', '{op_name}', {ref}.rowid, {ref}.contact_id, {sql});"


def undo_triggers() -> list[str]:
    table = "contact_alias"
    sets = " || ', ' || ".join(f'\'"{c}" = \' || quote(old."{c}")' for c in COLUMNS)
    names = ", ".join(f'"{c}"' for c in COLUMNS)
    values = " || ', ' || ".join(f'quote(old."{c}")' for c in COLUMNS)
    return [
        f"CREATE TRIGGER undo_{table}_insert AFTER INSERT ON {table} {_WHEN} BEGIN "
        + _row("new", "insert", f"'DELETE FROM {table} WHERE rowid = ' || new.rowid")
        + " END",
        f"CREATE TRIGGER undo_{table}_update AFTER UPDATE ON {table} {_WHEN} BEGIN "
        + _row(
            "old",
            "update",
            f"'UPDATE {table} SET ' || {sets} || ' WHERE rowid = ' || old.rowid",
        )
        + " END",
        f"CREATE TRIGGER undo_{table}_delete AFTER DELETE ON {table} {_WHEN} BEGIN "
        + _row(
            "old",
            "delete",
            f"'INSERT INTO {table} (rowid, {names}) VALUES (' || old.rowid || ', ' || "
            f"{values} || ')'",
        )
        + " END",
    ]


# --- the search index (as lrm_cli/store/search.py builds for contact_alias) ----------------

INDEX_COLUMNS = "rowid, body, digits, kind, item_id, contact_id"
_SELECT = (
    "SELECT {r}.id * 16 + 9, {r}.name, NULL, 'alias', {r}.id, {r}.contact_id"
    "{source} WHERE coalesce({r}.name, '') <> ''"
)
_INSERT = f"INSERT INTO search_index ({INDEX_COLUMNS}) " + _SELECT.format(r="NEW", source="") + ";"
_DELETE = "DELETE FROM search_index WHERE rowid BETWEEN OLD.id * 16 + 9 AND OLD.id * 16 + 9;"


def search_triggers() -> dict[str, str]:
    changed = "OLD.name IS NOT NEW.name OR OLD.contact_id IS NOT NEW.contact_id"
    return {
        "tr_search_contact_alias_insert": f"AFTER INSERT ON contact_alias BEGIN {_INSERT} END",
        "tr_search_contact_alias_update": (
            f"AFTER UPDATE OF name, contact_id ON contact_alias WHEN {changed}"
            f" BEGIN {_DELETE} {_INSERT} END"
        ),
        "tr_search_contact_alias_delete": f"AFTER DELETE ON contact_alias BEGIN {_DELETE} END",
    }


def fill() -> list[str]:
    """The statement that indexes every existing alias (none when the table is new)."""
    select = _SELECT.format(r="src", source=" FROM contact_alias AS src")
    return [f"INSERT INTO search_index ({INDEX_COLUMNS}) {select}"]


def upgrade() -> None:
    op.create_table(
        "contact_alias",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(collation="NOCASE"), nullable=False),
        sa.Column("created_at", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["contact_id"], ["contact.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("contact_id", "name", name="uq_contact_alias"),
    )
    op.create_index("ix_contact_alias_name", "contact_alias", ["name"], unique=False)
    for statement in undo_triggers():
        op.execute(statement)
    for name, body in search_triggers().items():
        op.execute(f"CREATE TRIGGER {name} {body}")


def downgrade() -> None:
    for name in search_triggers():
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.execute("DELETE FROM search_index WHERE kind = 'alias'")
    for op_name in ("insert", "update", "delete"):
        op.execute(f"DROP TRIGGER IF EXISTS undo_contact_alias_{op_name}")
    op.execute("DELETE FROM undo_log WHERE tbl = 'contact_alias'")
    op.drop_index("ix_contact_alias_name", table_name="contact_alias")
    op.drop_table("contact_alias")
