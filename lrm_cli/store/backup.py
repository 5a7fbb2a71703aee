"""Consistent copies of the database (SQLite's online backup API) and integrity checks.

A copy that must not destroy what it replaces (``db backup --force``, the copy made before
a migration) is staged: the pages go to a temporary file beside the destination (0600),
which is made one self-contained file, checked, fsynced, and only then renamed over the
destination. A full disk, a killed process or a damaged source leaves the destination as
it was and no partial file behind.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from lrm_cli.domain import Conflict, StorageError
from lrm_cli.store.db import SQLITE_MAGIC, create_private_file, private, schema_revision

_COMPANIONS = ("-journal", "-wal", "-shm")
_DAMAGED = ("SQLITE_NOTADB", "SQLITE_CORRUPT")


def _open(path: Path | str) -> sqlite3.Connection:
    conn = sqlite3.connect(path, timeout=10)
    private(conn)
    return conn


def _copy_pages(src: sqlite3.Connection, dst: sqlite3.Connection) -> None:
    """SQLite's online backup: a consistent snapshot even while another process writes.
    (A function of its own so that tests can make it fail half-way, as a full disk does.)"""
    src.backup(dst)


def copy_database(source: Path, dest: Path) -> None:
    """Copy ``source`` to ``dest`` in one step (a consistent snapshot even while another
    process writes); ``dest`` is created 0600."""
    create_private_file(dest)
    src = _open(source)
    dst = _open(dest)
    try:
        _copy_pages(src, dst)
    finally:
        dst.close()
        src.close()


def is_damage(exc: sqlite3.Error) -> bool:
    """Whether SQLite refused a file as damaged or not a database at all (as opposed to a
    full disk, a lock or a permission: reasons that say nothing about the file)."""
    return getattr(exc, "sqlite_errorname", "") in _DAMAGED


def quick_check(conn: sqlite3.Connection) -> list[str]:
    """``PRAGMA quick_check`` as a list of problems: [] when the database is sound."""
    try:
        rows = [str(r[0]) for r in conn.execute("PRAGMA quick_check")]
    except sqlite3.DatabaseError as exc:
        return [str(exc)]
    # A row can span several lines ("*** in database main ***\nOn tree page 12 ...").
    lines = [line for row in rows for line in row.splitlines() if line.strip()]
    problems = [line for line in lines if "***" not in line]
    return [] if problems == ["ok"] else problems


def describe_problems(problems: list[str]) -> str:
    more = f" (and {len(problems) - 1} more problems)" if len(problems) > 1 else ""
    return f"{problems[0]}{more}"


@dataclass(frozen=True)
class Staged:
    """A finished copy waiting beside its destination."""

    path: Path
    problems: list[str]  # quick_check of the copy (the same pages as the source): [] if sound


def _remove(path: Path) -> None:
    for suffix in ("", *_COMPANIONS):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def _fsync(path: Path, *, folder: bool = False) -> None:
    fd = os.open(path, os.O_RDONLY if folder else os.O_RDWR)
    try:
        os.fsync(fd)
    except OSError:
        if not folder:  # some file systems cannot sync a folder: the rename still happened
            raise
    finally:
        os.close(fd)


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc).splitlines()[0] if str(exc).strip() else type(exc).__name__


def _fold_wal(conn: sqlite3.Connection) -> None:
    """Rollback-journal mode: the copy is whole in one file (nothing in a -wal beside it)."""
    try:
        conn.execute("PRAGMA journal_mode = DELETE")
    except sqlite3.DatabaseError as exc:
        if not is_damage(exc):  # a damaged copy is reported by quick_check
            raise


@contextmanager
def staged_copy(source: Path, dest: Path) -> Iterator[Staged]:
    """A copy of the database ``source`` in a temporary file (0600) beside ``dest``: whole
    in one file (rollback journal mode, no WAL beside it), checked and fsynced. Give it to
    :func:`publish`; whatever is left of it when the block ends is removed. A failure to
    write it (a full disk) is a StorageError that says ``dest`` was not touched."""
    tmp: Path | None = None
    try:
        try:
            fd, name = tempfile.mkstemp(dir=dest.parent, prefix=f".{dest.name}.", suffix=".tmp")
            os.close(fd)
            tmp = Path(name)
            src = _open(source)
            try:
                dst = _open(tmp)
                try:
                    _copy_pages(src, dst)
                    _fold_wal(dst)
                    problems = quick_check(dst)
                finally:
                    dst.close()
            finally:
                src.close()
            _fsync(tmp)
        except (OSError, sqlite3.Error) as exc:
            kept = f"; {dest} was left as it was" if dest.exists() else ""
            raise StorageError(
                f"cannot write {dest}: {_reason(exc)}{kept}",
                hint="free some space, or write the copy elsewhere",
            ) from exc
        yield Staged(tmp, problems)
    finally:
        if tmp is not None:
            _remove(tmp)


def publish(staged: Staged, dest: Path, *, replace: bool) -> None:
    """Move a staged copy to ``dest`` in one rename. Without ``replace`` an existing
    ``dest`` (even one that appeared since it was checked) is a Conflict, never
    overwritten."""
    try:
        if replace:
            os.replace(staged.path, dest)
        else:
            _link_new(staged.path, dest)
        _fsync(dest.parent, folder=True)
    except (Conflict, StorageError):
        raise
    except OSError as exc:
        raise StorageError(f"cannot write {dest}: {_reason(exc)}") from exc


def _link_new(path: Path, dest: Path) -> None:
    try:
        os.link(path, dest)  # fails if dest exists: no window to overwrite anything
    except FileExistsError:
        raise Conflict(f"{dest} exists", hint="choose another name or pass --force") from None
    except OSError:  # a file system without hard links
        if dest.exists() or dest.is_symlink():
            raise Conflict(f"{dest} exists", hint="choose another name or pass --force") from None
        os.rename(path, dest)
        return
    path.unlink()


def replace_database(source: Path, target: Path) -> None:
    """Copy ``source`` over ``target`` with the backup API (which waits for other lrm
    processes); a target too damaged for SQLite to open is removed, WAL and all, first.
    Any other failure (a full disk) leaves ``target`` in place."""
    try:
        copy_database(source, target)
    except sqlite3.DatabaseError as exc:
        if not is_damage(exc):
            raise
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        copy_database(source, target)


def keep_aside(database: Path, dest: Path) -> None:
    """A copy of ``database`` at ``dest`` (0600) before it is replaced: SQLite's backup API,
    else (a damaged file, which is when people restore) the bytes of the file and its WAL.
    A copy that fails (a full disk) leaves no partial file."""
    try:
        try:
            copy_database(database, dest)
        except sqlite3.DatabaseError as exc:
            if not is_damage(exc):
                raise
            _remove(dest)
            for suffix in ("", "-wal"):
                part = Path(f"{database}{suffix}")
                if part.exists():
                    copy = Path(f"{dest}{suffix}")
                    create_private_file(copy)
                    shutil.copyfile(part, copy)
    except (OSError, sqlite3.Error) as exc:
        _remove(dest)
        raise StorageError(
            f"cannot keep a copy of {database} at {dest}: {_reason(exc)}",
            hint="nothing was changed; free some space and try again",
        ) from exc


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
