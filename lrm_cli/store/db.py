"""Opening the database: privacy, pragmas, the cheap schema check, transactions.

Why plain ``sqlite3`` at run time: importing SQLModel/SQLAlchemy costs ~350 ms, more than
the whole budget of a read command, and every query lrm runs is a few lines of SQL. The
SQLModel classes in ``models.py`` remain the schema's source of truth, and Alembic (through
``migrate.py``) is imported only when a database is new or behind.
"""

from __future__ import annotations

import os
import sqlite3
import stat
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Generic, TypeVar

from lrm_cli.errors import StorageError
from lrm_cli.store.schema_version import HEAD_REVISION

BUSY_TIMEOUT_S = 10.0
SQLITE_MAGIC = b"SQLite format 3\x00"
PRIVATE_FILE = 0o600
PRIVATE_DIR = 0o700

Warn = Callable[[str], None]
T = TypeVar("T")


def _ignore(_: str) -> None:
    pass


def ensure_private_folder(folder: Path) -> None:
    """Create ``folder`` and its missing parents, each 0700 (private_files' one rule; its
    module is loaded only when a folder is to be made)."""
    if not folder.exists():
        from lrm_cli.private_files import make_private_folder

        make_private_folder(folder)


def create_private_file(path: Path) -> None:
    """Create an empty file readable by its owner only, whatever the umask."""
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, PRIVATE_FILE)
    except FileExistsError:
        return
    os.fchmod(fd, PRIVATE_FILE)
    os.close(fd)


def warn_if_readable(path: Path, warn: Warn) -> None:
    """Warn (one line) when the database or its WAL/SHM companions can be read by other
    users. Only warn: lrm changes the mode of the files it creates (0600), never of a file
    someone else made or chose to share (a group-readable database is a decision)."""
    loose = []
    for candidate in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        try:
            mode = stat.S_IMODE(candidate.stat().st_mode)
        except OSError:
            continue
        if mode & 0o077:
            loose.append(f"{candidate} (mode {mode:o})")
    if loose:
        warn(
            f"readable by other users: {', '.join(loose)}; "
            f"lrm leaves modes as they are: chmod 600 to keep them private"
        )


_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISSOCK, "a socket"),
)


def file_kind(mode: int) -> str:
    """What a non-regular file is, in words ("a character device")."""
    return next((words for test, words in _KINDS if test(mode)), "not a regular file")


def require_regular_file(path: Path) -> bool:
    """True when ``path`` is a regular file (after symlinks), False when nothing is there;
    anything else (a folder, /dev/null, a FIFO that would block the open) is refused."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return False
    if not stat.S_ISREG(mode):
        raise StorageError(
            f"the database path {path} is {file_kind(mode)}, not a file",
            hint="pass --db with the path of an lrm database, or a new file name",
        )
    return True


def _check_is_sqlite(path: Path) -> None:
    try:
        with open(path, "rb") as fh:
            header = fh.read(len(SQLITE_MAGIC))
    except PermissionError as exc:
        raise StorageError(f"cannot read the database {path}: permission denied") from exc
    if header and header != SQLITE_MAGIC:
        raise StorageError(
            f"{path} is not an SQLite database",
            hint="pass --db with the path of an lrm database, or a new file name",
        )


def connect(path: Path) -> sqlite3.Connection:
    """A connection in autocommit mode with lrm's pragmas; transactions are explicit."""
    conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
    conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA synchronous = FULL")
    private(conn)
    name_order_function(conn)
    return conn


def name_order_function(conn: sqlite3.Connection) -> None:
    """``lrm_name_order(name)`` in SQL: ``normalize.name_order``, the key every list of
    contacts by name sorts by. Only statements lrm runs call it (never the schema, a
    trigger or an index), so the file stays readable by any SQLite tool."""
    from lrm_cli.normalize import name_order

    conn.create_function("lrm_name_order", 1, name_order, deterministic=True)


def private(conn: sqlite3.Connection) -> None:
    """Deleted rows are overwritten with zeros, not left in free pages for anyone with the
    file (or a backup of it) to read. SQLite's default depends on how it was built; every
    connection lrm opens, including backups' and migrations', sets it."""
    conn.execute("PRAGMA secure_delete = ON")


def schema_revision(conn: sqlite3.Connection) -> str | None:
    try:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.OperationalError as exc:
        if "no such table" in str(exc):
            return None
        raise
    return row[0] if row else None


def _ensure_wal(conn: sqlite3.Connection) -> None:
    """WAL is a property of the file, set by the first migration; a database restored from
    a copy made by other tools may have lost it. Switching needs a moment alone with the
    file: if another process is using it, the next run tries again."""
    try:
        if conn.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
            conn.execute("PRAGMA journal_mode = WAL")
    except sqlite3.OperationalError:
        pass


# What starts a read transaction's snapshot (BEGIN alone takes none until the first read)
@contextmanager
def waiting_briefly(conn: sqlite3.Connection) -> Iterator[None]:
    """Inside, a lock held by another process is waited for a moment (DERIVED_WAIT_MS),
    not the busy timeout: for work lrm may go without."""
    (timeout,) = conn.execute("PRAGMA busy_timeout").fetchone()
    try:
        conn.execute(f"PRAGMA busy_timeout = {DERIVED_WAIT_MS}")
        yield
    finally:
        conn.execute(f"PRAGMA busy_timeout = {int(timeout)}")


def write_derived(conn: sqlite3.Connection, work: Callable[[sqlite3.Connection], None]) -> bool:
    """Run ``work`` in a write transaction of its own, best effort: for derived data
    (render_cache, list_cache), whose loss costs only time. A database that is
    read-only, or busy for more than a moment (DERIVED_WAIT_MS), is left as it was
    (False): the caller goes on without."""
    with waiting_briefly(conn):
        try:
            conn.execute("BEGIN IMMEDIATE")
            work(conn)
            conn.execute("COMMIT")
            return True
        except sqlite3.Error:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            return False


DERIVED_WAIT_MS = 200
FIRST_READ = "SELECT count(*) FROM sqlite_schema"
GATE_WAIT_MS = 200


class Gate:
    """A connection holding the write lock (BEGIN IMMEDIATE), from any thread, until
    ``release`` (which may be called more than once)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        import threading  # here: most commands take no gate

        self._conn: sqlite3.Connection | None = conn
        self._lock = threading.Lock()

    @classmethod
    def taken(cls, path: Path) -> Gate | None:
        """The gate, None when the lock is not to be had within ``GATE_WAIT_MS``."""
        conn = sqlite3.connect(
            path, isolation_level=None, timeout=GATE_WAIT_MS / 1000, check_same_thread=False
        )
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError:
            conn.close()
            return None
        return cls(conn)

    def release(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.execute("ROLLBACK")
                self._conn.close()
                self._conn = None


class Database:
    """One open lrm database. Use ``read()`` and ``write()`` for every statement."""

    def __init__(self, path: Path, warn: Warn = _ignore) -> None:
        path = path.expanduser()
        self.path = path
        self.command = "lrm"  # how the journal names this process's changes (lrm undo --list)
        try:
            if require_regular_file(path):
                _check_is_sqlite(path)
                warn_if_readable(path, warn)
            else:
                ensure_private_folder(path.parent)
                create_private_file(path)
        except OSError as exc:  # e.g. a parent that is a file, a read-only or foreign folder
            where = exc.filename or path
            raise StorageError(
                f"cannot create or open the database {path}: {exc.strerror} ({where})"
            ) from exc
        try:
            self.conn = connect(path)
            revision = schema_revision(self.conn)
        except sqlite3.DatabaseError as exc:
            raise StorageError(f"cannot open the database {path}: {exc}") from exc
        if revision != HEAD_REVISION:
            from lrm_cli.store.migrate import upgrade

            self.conn.close()
            try:
                upgrade(path, warn)
                self.conn = connect(path)
            except (sqlite3.DatabaseError, OSError) as exc:  # a full disk, a vanished file
                reason = exc.strerror if isinstance(exc, OSError) else exc
                raise StorageError(f"cannot upgrade the database {path}: {reason}") from exc
        _ensure_wal(self.conn)

    @contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        """A consistent snapshot for several SELECTs."""
        with _translated(self.path):
            self.conn.execute("BEGIN")
            try:
                yield self.conn
            finally:
                self.conn.execute("COMMIT")

    @contextmanager
    def read_gated(self) -> Iterator[tuple[sqlite3.Connection, Gate | None]]:
        """``read()``, its snapshot taken while a gate holds the write lock: until the
        caller releases the gate, no commit can land, so another process that begins
        reading meanwhile sees this very snapshot (``store/helper.py``). Release it as soon
        as that process has begun; leaving the block releases it too. The gate is None
        when the lock is not free within ``GATE_WAIT_MS`` (another lrm is writing) or
        cannot be taken (a read-only file): the caller works alone."""
        with _translated(self.path):
            gate = Gate.taken(self.path)
            try:
                self.conn.execute("BEGIN")
                try:
                    self.conn.execute(FIRST_READ).fetchone()
                    yield self.conn, gate
                finally:
                    self.conn.execute("COMMIT")
            finally:
                if gate is not None:
                    gate.release()

    @contextmanager
    def write(self, *, journal: bool = True) -> Iterator[sqlite3.Connection]:
        """One write transaction, taken with BEGIN IMMEDIATE so that two processes that
        read then write queue on the busy timeout instead of failing with a lock error.
        Its row changes are journaled for ``lrm undo`` (store/undo.py) as one change named
        ``self.command``, unless ``journal`` is False (an undo, a restore)."""
        from lrm_cli.store import undo

        with _translated(self.path):
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                change = undo.begin(self.conn, self.command, int(time.time())) if journal else None
                yield self.conn
                if change is not None:
                    undo.finish(self.conn, change)
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
            self.conn.execute("COMMIT")

    @contextmanager
    def bulk_load(self) -> Iterator[None]:
        """For a transaction that writes the whole file (a restore into an empty database):
        a rollback journal, which writes each page once, where WAL writes it to the log and
        again at the next checkpoint (~40 MB twice for 10,000 contacts; the checkpoint
        would fall on the next command). The journal holds the empty file's few pages, so
        a failure still rolls everything back. Switching needs the file alone: when
        another process has it open, the load goes through WAL as usual. WAL is set back
        after (and by the next opening if that fails)."""
        try:
            with waiting_briefly(self.conn):
                alone = self.conn.execute("PRAGMA journal_mode = DELETE").fetchone()[0]
        except sqlite3.OperationalError:  # another process holds the file open
            alone = "wal"
        try:
            yield
        finally:
            if alone.lower() != "wal":
                _ensure_wal(self.conn)

    def empty_log(self) -> bool:
        """Copy the write-ahead log into the database file and truncate it to nothing:
        the log keeps old page images (deleted rows included) until then. False when
        another process reading the database kept it from finishing (waited for a
        moment: a reader may read for long)."""
        with waiting_briefly(self.conn):
            busy = self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
        return busy == 0

    def close(self) -> None:
        self.conn.close()

    def twin(self) -> Database:
        """A second connection to this database, for another thread of this process
        (a connection serves the thread that made it): opened without the first
        opening's checks and upgrade, which are done."""
        twin = object.__new__(Database)
        twin.path, twin.command = self.path, self.command
        with _translated(self.path):
            twin.conn = connect(self.path)
        return twin


class Alongside(Generic[T]):
    """``work(twin)`` run in a thread on a :meth:`Database.twin` while the caller reads
    on its own connection: sqlite3 lets go of the GIL while SQLite works, so two
    statements run at once on two cores. ``result()`` waits for it, and raises what it
    raised. Each side reads in its own transactions, as one side alone would."""

    def __init__(self, db: Database, work: Callable[[Database], T]) -> None:
        import threading

        self._result: T | None = None
        self._error: BaseException | None = None

        def run() -> None:
            try:
                twin = db.twin()
                try:
                    self._result = work(twin)
                finally:
                    twin.close()
            except BaseException as exc:  # raised again in the caller's thread
                self._error = exc

        self._thread = threading.Thread(target=run, name="lrm-alongside", daemon=True)
        self._thread.start()

    def join(self) -> None:
        """Wait for the work to end, whatever its outcome."""
        self._thread.join()

    def result(self) -> T:
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._result  # type: ignore[return-value]


@contextmanager
def _translated(path: Path) -> Iterator[None]:
    try:
        yield
    except sqlite3.OperationalError as exc:
        text = str(exc)
        if "locked" in text or "busy" in text:
            raise StorageError(
                f"the database {path} stayed locked by another lrm for {BUSY_TIMEOUT_S:.0f} s",
                hint="try again when the other command has finished",
            ) from exc
        hint = "lrm db check repairs the search index" if "search_index" in text else None
        raise StorageError(f"database error in {path}: {text}", hint=hint) from exc
    except sqlite3.DatabaseError as exc:
        raise StorageError(f"database error in {path}: {exc}") from exc
