"""Alembic environment for lrm.

lrm calls Alembic programmatically (lrm_cli/store/migrate.py) and hands over an open
connection in ``config.attributes["connection"]``; there is no alembic.ini.
"""

from alembic import context
from sqlmodel import SQLModel

import lrm_cli.store.models  # noqa: F401  (registers the tables on SQLModel.metadata)

target_metadata = SQLModel.metadata


def run_migrations_online() -> None:
    connection = context.config.attributes["connection"]
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,  # SQLite can only ALTER TABLE through table rebuilds
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("lrm migrations run online only")
run_migrations_online()
