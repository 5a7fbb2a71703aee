"""The floor of `lrm import json` (a restore): SQLite writing the same rows, nothing else.

    python bench/bare_restore.py SOURCE EMPTY

SOURCE is the lrm database the JSON document was exported from; EMPTY a fresh copy of an
empty lrm database (its schema at head), which this fills as a restore leaves it: in one
write transaction, with the indexes, the search index's triggers and the undo journal's
triggers dropped for the load (as ``lrm_cli.store.dump.Restore`` does), every data table
copied from SOURCE with one ``INSERT ... SELECT`` in C (no JSON, no Python per row), then
the indexes built and the search index filled (``lrm_cli.store.search.rebuild``, lrm's own
statements), the aggregates copied rather than computed, and the commit (lrm's pragmas:
WAL, synchronous FULL). Prints the milliseconds of that alone and the rows written
(bench/run.py's reference format). A restore adds reading and checking the document and
computing the aggregates; what this takes, it cannot avoid.
"""

from __future__ import annotations

import sys
import time

from lrm_cli.store import dump
from lrm_cli.store.db import connect


def main(argv: list[str]) -> int:
    source, empty = argv
    conn = connect(empty)
    conn.execute("PRAGMA journal_mode = WAL")  # as lrm opens a database
    conn.execute("ATTACH DATABASE ? AS source", (source,))
    started = time.perf_counter()
    rows = 0
    conn.execute("BEGIN IMMEDIATE")
    with dump.Restore(conn):
        for table in dump.RESTORE_ORDER:
            rows += conn.execute(f"INSERT INTO main.{table} SELECT * FROM source.{table}").rowcount
    rows += conn.execute(
        "INSERT INTO main.contact_stats SELECT * FROM source.contact_stats"
    ).rowcount
    conn.execute("COMMIT")
    print(f"{(time.perf_counter() - started) * 1000:.2f} {rows}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
