"""Consistent copies of the database (SQLite's online backup API) and integrity checks."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from lrm_cli.domain import StorageError
from lrm_cli.store.db import SQLITE_MAGIC, create_private_file, schema_revision


def copy_database(source: Path, dest: Path) -> None:
    """Copy ``source`` to ``dest`` in one step (a consistent snapshot even while another
    process writes); ``dest`` is created 0600."""
    create_private_file(dest)
    src = sqlite3.connect(source, timeout=10)
    dst = sqlite3.connect(dest, timeout=10)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()


def replace_database(source: Path, target: Path) -> None:
    """Copy ``source`` over ``target`` with the backup API (which waits for other lrm
    processes); a target too damaged for SQLite to open is removed, WAL and all, first."""
    try:
        copy_database(source, target)
    except sqlite3.DatabaseError:
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        copy_database(source, target)


def keep_aside(database: Path, dest: Path) -> None:
    """A copy of ``database`` at ``dest`` (0600) before it is replaced: SQLite's backup API,
    else (a damaged file, which is when people restore) the bytes of the file and its WAL."""
    try:
        copy_database(database, dest)
    except sqlite3.DatabaseError:
        dest.unlink(missing_ok=True)
        for suffix in ("", "-wal"):
            part = Path(f"{database}{suffix}")
            if part.exists():
                copy = Path(f"{dest}{suffix}")
                create_private_file(copy)
                shutil.copyfile(part, copy)


def integrity_problems(path: Path) -> list[str]:
    """``PRAGMA integrity_check`` of a database file: [] when it is sound."""
    with open(path, "rb") as fh:
        if fh.read(len(SQLITE_MAGIC)) != SQLITE_MAGIC:
            return ["not an SQLite database"]
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=10)
    try:
        rows = [r[0] for r in conn.execute("PRAGMA integrity_check")]
    except sqlite3.DatabaseError as exc:
        return [str(exc)]
    finally:
        conn.close()
    if rows == ["ok"]:
        return []
    # A row can span several lines ("*** in database main ***\nOn tree page 12 ...").
    return [
        line
        for row in rows
        for line in str(row).splitlines()
        if line.strip() and not line.startswith("***")
    ]


def revision_of(path: Path) -> str | None:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=10)
    try:
        return schema_revision(conn)
    except sqlite3.DatabaseError as exc:
        raise StorageError(f"cannot read {path}: {exc}") from exc
    finally:
        conn.close()
