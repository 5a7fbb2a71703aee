"""vdir folders (the layout vdirsyncer, khard and khal use): one item per file, named by
its UID, written atomically so a reader never sees half a file.

https://vdirsyncer.pimutils.org/en/stable/vdir.html
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path

from lrm_cli.domain import InvalidInput

SAFE_UID = re.compile(r"^[A-Za-z0-9_.+-]+$")


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
    ``data``, so an unchanged item is never rewritten."""
    try:
        if path.read_bytes() == data:
            return False
    except FileNotFoundError:
        pass
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, 0o666 & ~_umask())  # mkstemp makes 0600: give the usual mode
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return True


_UMASK: list[int] = []


def _umask() -> int:
    """The process umask (read once: reading it means setting it)."""
    if not _UMASK:
        current = os.umask(0o022)
        os.umask(current)
        _UMASK.append(current)
    return _UMASK[0]


def item_path(folder: Path, uid: str, extension: str) -> Path:
    """``UID.ext``; a UID that already ends in ``.ext`` (some servers name items so) is
    not given a second one."""
    name, suffix = safe_uid(uid), "." + extension.lstrip(".")
    return folder / (name if name.lower().endswith(suffix.lower()) else name + suffix)


def ensure_folder(folder: Path) -> Path:
    """The vdir folder must exist (or be creatable) and be writable."""
    if folder.exists() and not folder.is_dir():
        raise InvalidInput(f"{folder} is not a folder")
    folder.mkdir(parents=True, exist_ok=True)
    if not os.access(folder, os.W_OK):
        raise InvalidInput(f"cannot write to {folder}")
    return folder


def items(folder: Path, extension: str | tuple[str, ...]) -> Iterator[Path]:
    """The item files of a vdir, sorted; hidden and temporary files are skipped.
    ``extension`` matches case-insensitively (``vcf`` finds ``X.VCF``)."""
    wanted = {f".{e.lstrip('.').lower()}" for e in _as_tuple(extension)}
    for path in sorted(folder.iterdir()):
        if path.suffix.lower() in wanted and not path.name.startswith(".") and path.is_file():
            yield path


def _as_tuple(extension: str | tuple[str, ...]) -> tuple[str, ...]:
    return (extension,) if isinstance(extension, str) else extension
