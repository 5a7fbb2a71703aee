"""The database file itself: where it is, backing it up, restoring it."""

from __future__ import annotations

import os
import stat
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from lrm_cli.domain import Conflict, InvalidInput, NotFound, StorageError
from lrm_cli.private_files import make_private_folder
from lrm_cli.store.backup import (
    describe_problems,
    integrity_problems,
    keep_aside,
    publish,
    quick_check,
    replace_database,
    revision_of,
    staged_copy,
)
from lrm_cli.store.db import (
    Database,
    Warn,
    ensure_private_folder,
    file_kind,
    require_regular_file,
)
from lrm_cli.store.schema_version import HEAD_REVISION


def _same_file(a: Path, b: Path) -> bool:
    try:
        if a.exists() and b.exists():
            return os.path.samefile(a, b)
        return a.resolve() == b.resolve()
    except OSError:
        return False


def _is_part_of(candidate: Path, database: Path) -> bool:
    """Whether ``candidate`` is the database file or one of its WAL/SHM/journal files."""
    companions = [database] + [Path(f"{database}{s}") for s in ("-wal", "-shm", "-journal")]
    return any(_same_file(candidate, c) for c in companions)


def default_backup_folder(database: Path) -> Path:
    """Where ``lrm db backup`` without DEST puts its copies: ``backups/`` beside the
    database (made 0700 when first needed), so a plain nightly ``lrm db backup`` in cron
    keeps dated copies where ``lrm db path`` points."""
    return database.parent / "backups"


def backup(
    db: Database, dest: Path | None, *, overwrite: bool = False, warn: Warn | None = None
) -> Path:
    """A consistent copy of the open database, 0600, even while another process writes;
    ``dest`` None: a dated file in :func:`default_backup_folder`.

    The copy is written beside ``dest`` and renamed over it only once it is whole and on
    disk: a failure (a full disk) leaves ``dest`` as it was (exit 6) and no partial file.
    A database that fails SQLite's quick_check is still copied, with a warning, but never
    over an existing ``dest``: that may be the last sound copy."""
    if dest is None:
        dest = default_backup_folder(db.path)
        make_private_folder(dest)
    if dest.is_dir():
        dest = dest / f"lrm-{time.strftime('%Y%m%dT%H%M%S')}.sqlite3"
    if _is_part_of(dest, db.path):
        # With --force this would delete the live database before copying it.
        raise InvalidInput(f"{dest} is the database itself", hint="back up to another file")
    if dest.exists() or dest.is_symlink():
        if not overwrite:
            raise Conflict(f"{dest} exists", hint="choose another name or pass --force")
        try:
            mode = dest.stat().st_mode
        except OSError:  # a symlink to nothing: replacing the link is harmless
            mode = stat.S_IFREG
        if not stat.S_ISREG(mode):  # never rename over /dev/null or a pipe
            raise InvalidInput(f"{dest} is {file_kind(mode)}, not a file to overwrite")
    if not dest.parent.exists():
        raise NotFound(f"folder {dest.parent} does not exist")
    replacing = dest.exists()
    with staged_copy(db.path, dest) as copy:
        if copy.problems and replacing:
            raise StorageError(
                f"the database {db.path} failed SQLite's quick_check "
                f"({describe_problems(copy.problems)}): {dest} was kept as it was",
                hint="back up to a new file name to keep a copy of the damaged database too",
            )
        publish(copy, dest, replace=overwrite)
    if copy.problems and warn is not None:
        warn(
            f"the database {db.path} failed SQLite's quick_check "
            f"({describe_problems(copy.problems)}); {dest} is a copy of it as it is"
        )
    return dest


@dataclass(frozen=True)
class Restored:
    revision: str | None  # the schema restored (the next command migrates it if older)
    safety_copy: Path | None  # the database that was replaced, kept beside it


def safety_copy_path(target: Path) -> Path:
    """``lrm.sqlite3.before-restore-<time>.bak`` beside ``target``, never an existing file."""
    stamp = time.strftime("%Y%m%dT%H%M%S")
    dest = target.with_name(f"{target.name}.before-restore-{stamp}.bak")
    n = 1
    while dest.exists():
        n += 1
        dest = target.with_name(f"{target.name}.before-restore-{stamp}-{n}.bak")
    return dest


def restore(
    source: Path,
    target: Path,
    *,
    overwrite: bool,
    confirm: Callable[[Path], None] | None = None,
) -> Restored:
    """Replace ``target`` with ``source`` after checking that it is a sound lrm database.
    A database already at ``target`` is replaced only with ``overwrite`` or when
    ``confirm(target)`` returns (it may raise to veto), and is first copied aside (0600,
    beside it), so a restore of the wrong file can itself be undone."""
    if not source.is_file():
        raise NotFound(f"no backup file at {source}")
    if _is_part_of(source, target):
        raise InvalidInput(f"{source} is the database itself: there is nothing to restore")
    problems = integrity_problems(source)
    if problems:
        more = f" (and {len(problems) - 1} more problems)" if len(problems) > 1 else ""
        raise StorageError(
            f"{source} failed the integrity check: {problems[0]}{more}",
            hint="nothing was changed; try an older backup",
        )
    revision = revision_of(source)
    if revision is None:
        raise InvalidInput(f"{source} is not an lrm database (no schema version)")
    if revision != HEAD_REVISION:
        from lrm_cli.store.migrate import known_revisions

        if revision not in known_revisions():  # restoring it would lock the user out
            raise StorageError(
                f"{source} was written by a newer version of lrm (schema {revision})",
                hint="nothing was changed; upgrade lrm first: pip install -U lrm",
            )
    safety = None
    if require_regular_file(target) and target.stat().st_size > 0:
        if not overwrite:
            if confirm is None:
                raise Conflict(
                    f"{target} already holds a database", hint="pass --yes to replace it"
                )
            confirm(target)
        safety = safety_copy_path(target)
        keep_aside(target, safety)
    ensure_private_folder(target.parent)
    replace_database(source, target)
    return Restored(revision, safety)


def check(db: Database, *, rebuild_search: bool = False) -> dict:
    """``lrm db check``: SQLite's quick_check of the file (StorageError, exit 6, when it
    fails), then the search index: FTS5's integrity check, its triggers, and every row
    compared with the rows it indexes. A problem, or ``rebuild_search``, rebuilds it."""
    from lrm_cli.store import search

    with db.read() as conn:
        problems = quick_check(conn)
    if problems:
        raise StorageError(
            f"the database {db.path} is damaged: {describe_problems(problems)}",
            hint="restore a backup: lrm db restore FILE --yes",
        )
    with db.write(journal=False) as conn:  # the index is derived: nothing to undo
        state = search.inspect(conn)
        found = []
        if not state.table:
            found.append("the search index is missing")
        if state.missing_triggers:
            found.append(f"missing triggers: {', '.join(state.missing_triggers)}")
        if state.integrity:
            found.append(f"FTS5 integrity check failed: {state.integrity}")
        if state.stale:
            found.append(f"{state.stale} index rows differ from the data")
        rows = state.rows
        if found or rebuild_search:
            rows = search.rebuild(conn)
    status = "rebuilt" if found or rebuild_search else "ok"
    return {
        "path": str(db.path),
        "integrity": "ok",
        "search_index": {"status": status, "problems": found, "rows": rows},
    }
