"""vdir folders (the layout vdirsyncer, khard and khal use): one item per file, named by
its UID, written atomically so a reader never sees half a file.

A folder others write to is read with care: items are read only from regular files and
never through a symbolic link (:func:`scan`, :func:`read_item`); a file name never
exceeds MAX_NAME bytes, whatever the UID (:func:`item_path`), so the temporary file
beside it fits too; and the temporary files a killed writer left behind can be removed
(:func:`remove_leftovers`) by whoever holds the folder's lock (:func:`locked`).

https://vdirsyncer.pimutils.org/en/stable/vdir.html
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
import stat
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from lrm_cli.errors import InvalidInput, StorageError

if TYPE_CHECKING:
    from concurrent.futures import Future

SAFE_UID = re.compile(r"^[A-Za-z0-9_.+-]+$")
# File systems allow 255 bytes a name; the temporary file beside an item adds 14
# (".", ".", 8 random characters, ".tmp"), and a second file for one UID "-N".
MAX_NAME = 200
_TEMP_STEM = 120  # characters of the item's name in its temporary file's name
# what write_atomic's temporary files look like: ".NAME.EXT." and mkstemp's 8 characters
LEFTOVER = re.compile(r"^\..+\.(?:vcf|vcard|ics)\.[a-z0-9_]{8}\.tmp$", re.IGNORECASE)
SYMLINK = "a symbolic link; not followed"
NOT_REGULAR = "not a regular file"


class NotAnItem(OSError):
    """A path in a vdir that is not read: a symbolic link, or not a regular file."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def safe_uid(uid: str) -> str:
    """A UID limited to ``[A-Za-z0-9_.+-]`` (what vdirsyncer and DAV servers keep intact).
    Safe UIDs are returned unchanged; others map deterministically to a readable prefix
    plus a hash of the original, so the same input always gives the same file name."""
    if SAFE_UID.match(uid) and not uid.startswith("."):
        return uid
    readable = re.sub(r"[^A-Za-z0-9_.+-]+", "-", uid).strip("-.")[:40]
    digest = hashlib.sha256(uid.encode("utf-8")).hexdigest()[:16]
    return f"{readable}-{digest}" if readable else digest


def write_atomic(path: Path, data: bytes) -> bool:
    """Write ``data`` to ``path`` through a temporary file in the same folder and a
    rename. Returns False (and writes nothing) when the file already holds exactly
    ``data``, so an unchanged item is never rewritten. A symbolic link at ``path`` is
    replaced, never written through."""
    try:
        if read_item(path) == data:
            return False
    except (FileNotFoundError, NotAnItem):
        pass
    name = path.name
    if len(name) > _TEMP_STEM:  # keep the extension: remove_leftovers looks for it
        name = name[: _TEMP_STEM - len(path.suffix)] + path.suffix
    from lrm_cli.private_files import write_private  # tempfile: only when writing

    write_private(path, data, prefix=f".{name}.")  # 0600: cards and calendars are private
    return True


WRITERS = 8  # files written at once by a Writer: their fsyncs overlap


class Written(NamedTuple):
    changed: bool  # False: the file already held the bytes (write_atomic wrote nothing)
    signature: str  # stat_signature right after the write, before anything else could touch it


class Writer:
    """:func:`write_atomic` of each file handed in, up to WRITERS at once (threads: a
    write waits on the disk, not on Python), as they come: the caller makes the next
    file while the last ones are written. Every file is still written and flushed alone;
    only the waiting is shared. Its signature is taken straight after its write (a sync
    records it: a later change by another program must not look like lrm's). A path
    handed in twice is written in order, the last one staying, as in a loop. For fewer
    than ``2 * WRITERS`` files (``expected``) it writes each at once, in order, with no
    thread. Use it as a context manager: leaving waits for every write."""

    def __init__(self, expected: int) -> None:
        from concurrent.futures import Future, ThreadPoolExecutor

        self._future = Future
        self._pool = (
            ThreadPoolExecutor(WRITERS, thread_name_prefix="lrm-write")
            if expected >= 2 * WRITERS
            else None
        )
        self._last: dict[Path, Future] = {}

    def submit(self, path: Path, data: bytes) -> Future:
        """A future of the file's :class:`Written`, or of the OSError that stopped it."""
        if self._pool is None:
            future = self._future()
            try:
                future.set_result(_write_after(path, data, None))
            except OSError as exc:
                future.set_exception(exc)
            return future
        future = self._pool.submit(_write_after, path, data, self._last.get(path))
        self._last[path] = future
        return future

    def __enter__(self) -> Writer:
        return self

    def __exit__(self, *exc_info) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True)


def outcome(future: Future) -> Written | OSError:
    """What a :meth:`Writer.submit` came to: the file written, or the OSError that
    stopped it (anything else is raised)."""
    try:
        return future.result()
    except OSError as exc:
        return exc


def _write_after(path: Path, data: bytes, before: Future | None) -> Written:
    if before is not None:
        before.exception()  # the same file handed in before: written first (or failed)
    changed = write_atomic(path, data)
    return Written(changed, stat_signature(path))


def write_each(items: list[tuple[Path, bytes]]) -> list[Written | OSError]:
    """:func:`write_atomic` of each (path, data), each result (or the OSError that
    stopped it) in the order given."""
    with Writer(len(items)) as writer:
        futures = [writer.submit(path, data) for path, data in items]
    return [outcome(future) for future in futures]


def item_path(folder: Path, uid: str, extension: str) -> Path:
    """``folder`` / :func:`item_name`."""
    return folder / item_name(uid, extension)


def item_name(uid: str, extension: str) -> str:
    """``UID.ext``; a UID that already ends in ``.ext`` (some servers name items so) is
    not given a second one. A UID with characters outside ``[A-Za-z0-9_.+-]`` or too long
    for a file name (more than MAX_NAME bytes with its extension) gets a name of its
    start and a hash of the whole UID: always the same name for the same UID."""
    name, suffix = safe_uid(uid), "." + extension.lstrip(".")
    if not name.lower().endswith(suffix.lower()):
        name += suffix
    if len(name) > MAX_NAME:  # safe_uid's names are ASCII: characters are bytes
        digest = hashlib.sha256(uid.encode("utf-8")).hexdigest()[:16]
        name = f"{name[: MAX_NAME - len(digest) - len(suffix) - 1]}-{digest}{suffix}"
    return name


def free_name(name: str, taken: set[str]) -> str:
    """``name``, or ``STEM-N.EXT`` with the smallest N, when another item has it already
    (``taken``: lower-cased names; file systems may ignore case). Two UIDs can give one
    file name (``x`` and ``x.vcf``): the second card must not replace the first."""
    if name.lower() not in taken:
        return name
    stem, ext = name.rsplit(".", 1)
    n = 1
    while f"{stem}-{n}.{ext}".lower() in taken:
        n += 1
    return f"{stem}-{n}.{ext}"


def ensure_folder(folder: Path) -> Path:
    """The vdir folder must exist (or be creatable) and be writable."""
    if folder.exists() and not folder.is_dir():
        raise InvalidInput(f"{folder} is not a folder")
    from lrm_cli.private_files import make_private_folder

    try:
        make_private_folder(folder)  # 0700 when lrm creates it
    except OSError as exc:  # a parent that is a file, a folder that cannot be made
        raise InvalidInput(f"cannot create the folder {folder}: {exc.strerror}") from exc
    if not os.access(folder, os.W_OK):
        raise InvalidInput(f"cannot write to {folder}")
    return folder


def read_item(path: Path) -> bytes:
    """The bytes of the regular file at ``path``, opened without following a symbolic
    link (and without blocking on a FIFO). Raises NotAnItem for a link or anything that is
    not a regular file, OSError (FileNotFoundError...) as reading does."""
    flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise NotAnItem(SYMLINK) from None
        raise
    with os.fdopen(fd, "rb") as fh:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise NotAnItem(NOT_REGULAR)
        return fh.read()


def scan(
    folder: Path, extension: str | tuple[str, ...]
) -> tuple[list[Path], list[tuple[Path, str]]]:
    """The item files of a vdir (regular files with the extension, not hidden), sorted,
    and the paths with the extension that are no item (symbolic links, folders, devices)
    with the reason each is left alone. Nothing is followed or read."""
    wanted = {f".{e.lstrip('.').lower()}" for e in _as_tuple(extension)}
    found: list[Path] = []
    refused: list[tuple[Path, str]] = []
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.name.startswith(".") or Path(entry.name).suffix.lower() not in wanted:
                continue
            path = folder / entry.name
            if entry.is_symlink():
                refused.append((path, SYMLINK))
            elif entry.is_file(follow_symlinks=False):
                found.append(path)
            else:
                refused.append((path, NOT_REGULAR))
    return sorted(found), sorted(refused)


def signature(st: os.stat_result) -> str:
    """What changes when a file is written, whatever writes it: size, modification and
    change times (ns) and inode. A file whose signature is what lrm recorded is taken as
    unchanged without being read (as make, rsync and git do; an edit within the same
    clock tick that keeps the size, the inode and both times would go unnoticed)."""
    return f"{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}:{st.st_ino}"


def listing(
    folder: Path, extension: str | tuple[str, ...], leftovers: list[str] | None = None
) -> dict[str, str]:
    """Every non-hidden name with the extension in ``folder``: its :func:`signature` for
    a regular file, else the reason it is no item (SYMLINK, NOT_REGULAR), in the order the
    folder gives them. One directory read and one ``lstat`` a file; nothing is followed or
    read. ``leftovers``, when given, gets the names of the temporary files a killed
    :func:`write_atomic` left (for :func:`remove_leftovers`)."""
    wanted = tuple(f".{e.lstrip('.').lower()}" for e in _as_tuple(extension))
    out: dict[str, str] = {}
    regular = stat.S_IFREG
    with os.scandir(folder) as entries:
        for entry in entries:
            name = entry.name
            if name[0] == ".":
                if leftovers is not None and LEFTOVER.match(name):
                    leftovers.append(name)
                continue
            if not (name.endswith(wanted) or name.lower().endswith(wanted)):
                continue
            try:
                st = entry.stat(follow_symlinks=False)
            except FileNotFoundError:
                continue  # gone since the directory was read
            if st.st_mode & 0o170000 == regular:  # stat.S_ISREG, without a call
                out[name] = signature(st)
            else:
                out[name] = SYMLINK if stat.S_ISLNK(st.st_mode) else NOT_REGULAR
    return out


def stat_signature(path: Path) -> str:
    """The :func:`signature` of the file at ``path`` (not followed), "" if there is none."""
    try:
        return signature(os.lstat(path))
    except OSError:
        return ""


def remove_leftovers(folder: Path, names: list[str] | None = None) -> list[str]:
    """Delete the temporary files a killed :func:`write_atomic` left in ``folder`` (only
    with the folder's lock held: another writer's are in use): those of ``names`` (from
    :func:`listing`) when given, else all. The names removed."""
    if names is None:
        with os.scandir(folder) as entries:
            names = [entry.name for entry in entries]
    removed = []
    for name in names:
        if not LEFTOVER.match(name):
            continue
        path = folder / name
        try:
            if not stat.S_ISREG(os.lstat(path).st_mode):
                continue
            os.unlink(path)
        except FileNotFoundError:
            continue
        removed.append(name)
    return sorted(removed)


@contextmanager
def locked(folder: Path, wait: float = 10.0) -> Iterator[None]:
    """Hold an exclusive lock on ``folder`` (flock on the folder itself: no lock file in
    the vdir) so that two ``lrm sync`` runs do not write it at once. Waits up to ``wait``
    seconds, then raises StorageError. Where the file system cannot lock a folder (some
    network file systems) it goes on without."""
    import fcntl

    fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise StorageError(
                        f"{folder} is in use by another lrm sync",
                        hint="wait for it to finish, then run lrm sync again",
                    ) from None
                time.sleep(0.1)
            except OSError:
                break  # no locks here: go on unlocked
        yield
    finally:
        os.close(fd)  # releases the lock


def items(folder: Path, extension: str | tuple[str, ...]) -> Iterator[Path]:
    """The item files of a vdir, sorted; hidden and temporary files are skipped.
    ``extension`` matches case-insensitively (``vcf`` finds ``X.VCF``)."""
    wanted = {f".{e.lstrip('.').lower()}" for e in _as_tuple(extension)}
    for path in sorted(folder.iterdir()):
        if path.suffix.lower() in wanted and not path.name.startswith(".") and path.is_file():
            yield path


def _as_tuple(extension: str | tuple[str, ...]) -> tuple[str, ...]:
    return (extension,) if isinstance(extension, str) else extension
