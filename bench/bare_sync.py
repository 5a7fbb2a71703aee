"""The floor of a first `lrm sync`: the same files written the same safe way, nothing else.

    python bench/bare_sync.py SOURCE DEST

SOURCE is a folder of vdir folders that a first ``lrm sync`` wrote (``contacts/``,
``todos/``, ``events/``: bench/run.py makes it once per run). Every item file is read
into memory first (untimed); then each is written into the same subfolder of DEST as lrm
writes a sync item (lrm_cli/private_files.write_private): a temporary file in the same
folder (``mkstemp``, 0600), written, flushed and ``fsync``-ed, then renamed over its
name; the folders are created 0700. Prints the milliseconds of the writing alone and the
number of files (bench/run.py's reference format). What lrm adds on top of this is its own
work: reading the database, building and serialising the cards and calendar items,
recording what it synced.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path


def write_private(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.fchmod(fd, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def main(argv: list[str]) -> int:
    source, dest = Path(argv[0]), Path(argv[1])
    items = [
        (path.relative_to(source), path.read_bytes())
        for path in sorted(source.rglob("*"))
        if path.is_file() and not path.name.startswith(".")
    ]
    started = time.perf_counter()
    for folder in sorted({rel.parent for rel, _ in items}):
        (dest / folder).mkdir(mode=0o700, parents=True, exist_ok=True)
    for rel, data in items:
        write_private(dest / rel, data)
    print(f"{(time.perf_counter() - started) * 1000:.2f} {len(items)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
