"""Private files: everything lrm writes out holds what it knows about people (notes,
dates, who they are close to), so every file a command writes is readable by its owner
only, whatever the umask (issue 15: exports and sync folders, as the database and its
backups already were).

One writer for all of them: ``export json``, ``export vcard``, ``export ics`` (a file or
a vdir) and the items ``lrm sync`` writes into its folders (through
``formats.vdir.write_atomic``). Folders lrm creates for them are 0700; folders that
exist are left as they are (they are the user's).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

PRIVATE_FILE = 0o600
PRIVATE_DIR = 0o700


def write_private(path: Path, data: bytes | Iterable[bytes], *, prefix: str | None = None) -> None:
    """Write ``data`` (bytes, or pieces of them written as they come) to ``path`` through
    a temporary file in the same folder (named ``prefix`` + 8 random characters +
    ``.tmp``; default prefix ``.NAME.``), flushed to disk, then renamed over ``path``:
    a reader sees the old file or the new one, never half of one. The file is 0600
    whatever the umask; a symbolic link at ``path`` is replaced, never written through."""
    fd, tmp = tempfile.mkstemp(
        dir=path.parent, prefix=prefix or f".{path.name}.", suffix=".tmp"
    )  # created 0600 (O_EXCL): nobody else can open it meanwhile
    try:
        os.fchmod(fd, PRIVATE_FILE)
        with os.fdopen(fd, "wb") as fh:
            if isinstance(data, bytes):
                fh.write(data)
            else:
                fh.writelines(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def make_private_folder(folder: Path) -> None:
    """Create ``folder`` and its missing parents, each 0700 whatever the umask; a folder
    that exists is left as it is."""
    missing = []
    current = folder
    while not current.exists():
        missing.append(current)
        if current.parent == current:
            break
        current = current.parent
    for path in reversed(missing):
        try:
            path.mkdir(mode=PRIVATE_DIR)
        except FileExistsError:
            continue  # made meanwhile by someone else: theirs, left as it is
        os.chmod(path, PRIVATE_DIR)
