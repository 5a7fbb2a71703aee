"""Turning a failure into one line on stderr and an exit code (DESIGN §4), without Typer:
both cli/errors.py (every Typer command) and the fast path (cli/fast.py) use it.

LrmError subclasses carry their code; a "no" to a prompt is 0 ("nothing changed"); Ctrl-C
is 130; anything else is 1 with the traceback only under ``--debug`` (never
``show_locals``: it would print personal data).

Two kinds of failure are classified here, at the boundary, whatever raised them, because
they can come from any write or any arithmetic on what the user typed:

* storage (6): an OSError that says the disk cannot take the write (full, over quota,
  read-only, an I/O error), also when a service wrapped it in another LrmError ("cannot
  write FILE: No space left on device" is not the user's typo); a bare OSError refused for
  permissions; SQLite's own "database or disk is full" and the like;
* input (5): an OverflowError, which only a number or a date far out of range gives
  (a weight of 1e400, an id of 2**70, a date in the year 9999 moved by a day).
"""

from __future__ import annotations

import errno
import sys

from lrm_cli.cli.state import Run
from lrm_cli.errors import Declined, InvalidInput, LrmError, StorageError

#: errno values that only a write meets: the disk, not the command, is the problem.
DISK_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EFBIG, errno.EIO})
#: ... and, for an OSError nothing else explained, being refused the file.
DENIED_ERRNOS = frozenset({errno.EACCES, errno.EPERM})
#: SQLite's words for the same conditions (its errors carry no errno).
SQLITE_STORAGE = ("disk is full", "disk i/o error", "readonly database", "unable to open")


def report(run: Run, exc: BaseException) -> int:
    """One line on stderr for ``exc`` and the exit code (DESIGN §4). Typer-free: the fast
    path (cli/fast.py) uses it too. SystemExit and the like are re-raised."""
    exc = classify(exc)
    if isinstance(exc, LrmError):
        run.out.error(exc)
        return exc.exit_code
    if isinstance(exc, Declined):  # a "no" to a prompt is an answer, not a failure
        sys.stderr.write("nothing changed\n")
        return 0
    if isinstance(exc, KeyboardInterrupt):
        sys.stderr.write("lrm: interrupted; nothing was changed\n")
        return 130
    if isinstance(exc, BrokenPipeError):
        sys.stderr.close()
        return 0
    if not isinstance(exc, Exception):
        raise exc
    if run.debug:
        import traceback

        traceback.print_exception(exc)
    run.out.error(
        LrmError(
            f"unexpected {type(exc).__name__}: {_one_line(exc)}",
            hint=None if run.debug else "run again with --debug for the traceback",
        )
    )
    return 1


def classify(exc: BaseException) -> BaseException:
    """``exc``, or the LrmError it amounts to: a StorageError for a disk that cannot take a
    write (found in ``exc`` or in what caused it), an InvalidInput for an overflow."""
    if isinstance(exc, StorageError) or not isinstance(exc, Exception):
        return exc
    disk = _disk_failure(exc)
    if disk is not None:
        if isinstance(exc, LrmError):  # its message already says what it was writing
            return StorageError(exc.message, hint=exc.hint)
        return StorageError(_describe(disk), hint="free some space or check the disk")
    if isinstance(exc, LrmError):
        return exc
    if isinstance(exc, OSError) and exc.errno in DENIED_ERRNOS:
        return StorageError(_describe(exc))
    if _is_sqlite_storage(exc):
        return StorageError(f"database error: {_one_line(exc)}")
    if isinstance(exc, OverflowError):
        if "SQLite INTEGER" in str(exc):  # an id or a count: say so, not Python's words
            return InvalidInput(f"a number is out of range: the largest is {2**63 - 1}")
        return InvalidInput(f"a number or a date is out of range: {_one_line(exc)}")
    return exc


def _disk_failure(exc: BaseException) -> BaseException | None:
    """The OSError (or SQLite error) in ``exc``'s chain that says the disk is full or
    read-only; None when there is none."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, OSError) and current.errno in DISK_ERRNOS:
            return current
        if _is_sqlite_storage(current) and "unable to open" not in str(current).lower():
            return current
        if current.__cause__ is not None or current.__suppress_context__:
            current = current.__cause__
        else:
            current = current.__context__
    return None


def _is_sqlite_storage(exc: BaseException) -> bool:
    sqlite3 = sys.modules.get("sqlite3")  # not imported: cannot be one of its errors
    if sqlite3 is None or not isinstance(exc, sqlite3.OperationalError):
        return False
    text = str(exc).lower()
    return any(words in text for words in SQLITE_STORAGE)


def _describe(exc: BaseException) -> str:
    if not isinstance(exc, OSError) or not exc.strerror:
        return f"database error: {_one_line(exc)}"
    verb = "write" if exc.errno in DISK_ERRNOS else "use"
    return f"cannot {verb} {exc.filename or 'a file'}: {exc.strerror}"


def _one_line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0] if lines else type(exc).__name__
