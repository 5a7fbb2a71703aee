"""The full-text search index (``search_index``, FTS5): the SQL of ``lrm search`` and of
``lrm db check``.

Migration 0006 creates the table and its triggers; this module holds the same statements
(a test holds them equal to the migration's) to verify, rebuild or re-create them.
"""

from __future__ import annotations

TABLE = "search_index"


def is_index_table(name: str) -> bool:
    """The FTS5 table and its shadow tables (``search_index_data``...): not SQLModel
    tables, so Alembic's autogenerate and the schema test leave them out."""
    return name == TABLE or name.startswith(f"{TABLE}_")
