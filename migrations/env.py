"""Alembic environment for lrm.

lrm calls Alembic programmatically (lrm_cli/store/migrate.py) and hands over an open
connection in ``config.attributes["connection"]``; there is no alembic.ini.
"""

from alembic import context
from sqlmodel import SQLModel

import lrm_cli.store.models  # noqa: F401  (registers the tables on SQLModel.metadata)
from lrm_cli.store.search import is_index_table

target_metadata = SQLModel.metadata


def include_name(name, type_, parent_names) -> bool:
    """Autogenerate leaves out the FTS5 search index (migration 0006), not a model."""
    return not (type_ == "table" and is_index_table(name))


def run_migrations_online() -> None:
    connection = context.config.attributes["connection"]
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,  # SQLite can only ALTER TABLE through table rebuilds
        compare_type=True,
        include_name=include_name,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("lrm migrations run online only")
run_migrations_online()
