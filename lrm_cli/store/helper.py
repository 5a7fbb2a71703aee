"""A second process that renders the last pieces of a long answer while this one
renders the rest (``lrm export json``: the interactions' records, written by SQLite).

Why a process: two threads rendering in SQLite at once are slower than one (its global
memory-statistics mutex is taken on every allocation); two processes scale. Why not
fork: SQLite must not be used in a forked child of a process that has the database
open. So the helper is a fresh interpreter (``python -P -m lrm_cli.store.helper``,
importing little), told what to render on stdin.

The same snapshot: the caller takes its own under a gate (``Database.read_gated``)
that holds the write lock until the helper has begun reading, so no commit can fall
between the two. The helper only speeds things up: whatever it fails to deliver (it
could not start, it died, it wrote something short), the caller renders itself from
its own snapshot, and the answer is the same.

On stdin it reads one JSON job (``Helper.send``). On stdout it writes ``S`` once its
snapshot is taken, then the last key of the caller's part on a line (``-``: nothing
left for the helper), then each page as a line ``<count> <last key> <length>``
followed by ``length`` bytes of text.
"""

from __future__ import annotations

import json
import sqlite3
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

# The helper's statements run on a connection of its own: these are the pragmas that
# matter for reading (store/db.py's connect sets the same busy timeout).
BUSY_TIMEOUT_MS = 10_000
STARTED = b"S"


class Helper:
    """The helper process, started at once (it boots while the caller prepares its job);
    ``send`` gives it the job; ``gate`` is released as soon as its snapshot is taken
    (or it failed to take one)."""

    def __init__(self, path: Path, gate: Any) -> None:
        import os
        import subprocess

        import lrm_cli

        root = str(Path(lrm_cli.__file__).resolve().parent.parent)
        paths = [root, *filter(None, [os.environ.get("PYTHONPATH")])]
        self._proc = subprocess.Popen(
            [sys.executable, "-P", "-m", "lrm_cli.store.helper"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env={**os.environ, "PYTHONPATH": os.pathsep.join(paths)},
        )
        self._path = path
        self._gate = gate
        self._started = False
        self._begin: Any = None

    def send(
        self,
        *,
        setup: Sequence[tuple[str, Sequence[Sequence[Any]] | None]],
        split: tuple[str, int],
        statement: str,
        params: Sequence[Any],
    ) -> None:
        """The job: run ``setup``'s (statement, rows or None); find where its part
        starts (``split``: a statement and its one parameter, giving the last key of the
        caller's part); render ``statement`` page after page (parameters: the last key
        so far, then ``params``; its row: count, last key, text) until a page is
        empty."""
        import threading

        job = {
            "db": str(self._path),
            "setup": setup,
            "split": split,
            "statement": statement,
            "params": params,
        }
        self._begin = threading.Thread(
            target=self._hand_over, args=(json.dumps(job).encode(),), daemon=True
        )
        self._begin.start()

    def _hand_over(self, job: bytes) -> None:
        """Send the job, wait for the helper's snapshot, then let writers go."""
        try:
            assert self._proc.stdin is not None and self._proc.stdout is not None
            self._proc.stdin.write(job)
            self._proc.stdin.close()
            self._started = self._proc.stdout.read(1) == STARTED
        except OSError:  # it died before reading its job
            self._started = False
        finally:
            self._gate.release()

    def split(self) -> int | None:
        """The last key of the caller's part (the helper renders what follows); None
        when the helper has nothing to do or failed (the caller renders everything)."""
        if self._begin is not None:
            self._begin.join()
        if not self._started:
            return None
        line = self._proc.stdout.readline()
        try:
            return int(line)
        except ValueError:
            self._started = False
            return None

    def pieces(self) -> Iterator[tuple[int, int, bytes]]:
        """The pages the helper delivered after ``split``, in order: (count, last key,
        text). It may stop early (it failed): the caller goes on from the last key."""
        if not self._started:
            return
        out = self._proc.stdout
        while (page := _read_page(out)) is not None:
            yield page

    def close(self) -> None:
        """Stop the helper (done or not) and wait for it."""
        if self._proc.poll() is None:
            self._proc.kill()
        if self._begin is not None:
            self._begin.join()
        else:
            self._gate.release()
        self._proc.wait()
        for pipe in (self._proc.stdin, self._proc.stdout):
            if pipe is not None:
                pipe.close()


def _read_page(out: Any) -> tuple[int, int, bytes] | None:
    head = out.readline()
    try:
        count, last, length = (int(n) for n in head.split())
    except ValueError:  # the end, or a helper that died mid-line
        return None
    text = out.read(length)
    return (count, last, text) if len(text) == length else None


def main() -> None:
    """The helper's side: read the job, take the snapshot, say so, render the pages."""
    import queue
    import threading

    from lrm_cli.store.db import FIRST_READ  # the statement that takes the snapshot

    job = json.loads(sys.stdin.buffer.read())
    conn = sqlite3.connect(job["db"], isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
    conn.text_factory = bytes
    conn.execute("BEGIN")
    conn.execute(FIRST_READ).fetchone()
    out = sys.stdout.buffer
    out.write(STARTED)
    out.flush()
    for statement, rows in job["setup"]:
        if rows is None:
            conn.execute(statement)
        else:
            conn.executemany(statement, rows)
    split_statement, split_at = job["split"]
    row = conn.execute(split_statement, (split_at,)).fetchone()
    if row is None:
        out.write(b"-\n")  # nothing for the helper
        out.flush()
        return
    out.write(b"%d\n" % row[0])
    out.flush()
    # a writer thread, so that rendering goes on while the caller is not reading yet
    ready: queue.SimpleQueue[bytes | None] = queue.SimpleQueue()

    def write() -> None:
        while (chunk := ready.get()) is not None:
            out.write(chunk)
        out.flush()

    writer = threading.Thread(target=write)
    writer.start()
    try:
        after = row[0]
        while True:
            count, last, text = conn.execute(job["statement"], (after, *job["params"])).fetchone()
            if not count:
                break
            ready.put(b"%d %d %d\n" % (count, last, len(text)))
            ready.put(text)
            after = last
    finally:
        ready.put(None)
        writer.join()


if __name__ == "__main__":
    main()
