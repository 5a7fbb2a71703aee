"""Opening lrm's database for the command line, which does not import the store itself
(tests/test_layering.py): the database a command works on, and a read-only look for shell
completion. Import this module lazily: `lrm --help` must not pay for the store."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lrm_cli.store.db import Database


def open_database(path: Path, *, warn: Callable[[str], None], command: str) -> Database:
    """The database at ``path``, created (0600) or migrated as needed; its changes are
    journaled for ``lrm undo`` under ``command`` (the command line that made them)."""
    from lrm_cli.store.db import Database

    db = Database(path, warn=warn)
    db.command = command
    return db


def completion_names(path: Path, prefix: str) -> list[str]:
    """Active contacts' names matching ``prefix``, for shell completion. Opens the file
    read-only: it never creates, migrates or writes a database."""
    from lrm_cli.store.contacts import names_with_prefix

    # A URI so that mode=ro holds (never create a file); as_uri() escapes "#", "?", "%".
    uri = f"{path.absolute().as_uri()}?mode=ro"
    conn = sqlite3.connect(uri, uri=True, timeout=1)
    try:
        return names_with_prefix(conn, prefix)
    finally:
        conn.close()
