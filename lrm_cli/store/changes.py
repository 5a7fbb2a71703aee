"""Writing only what differs: the one way a row is updated when the new values may equal
the stored ones.

An UPDATE that sets a column to its own value still fires the undo triggers (store/undo.py):
the journal would keep an entry that changed nothing, and ``lrm undo`` would seem to do
nothing. So a row is updated only where a value differs, in one statement, and its
timestamp (``updated_at``) moves only then; callers learn whether it changed.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping


def update_changed(
    conn: sqlite3.Connection,
    table: str,
    row_id: int,
    fields: Mapping[str, object],
    *,
    stamp: tuple[str, int] | None = None,
    key: str = "id",
) -> bool:
    """Set ``fields`` on the row whose ``key`` is ``row_id`` when at least one differs
    from what is stored (NULL-safe: ``IS NOT``); with ``stamp`` (column, value) that
    column too, then only. True when the row changed."""
    if not fields:
        return False
    columns = list(fields)
    values = list(fields.values())
    sets = [f'"{c}" = ?' for c in columns]
    args: list[object] = list(values)
    if stamp is not None:
        sets.append(f'"{stamp[0]}" = ?')
        args.append(stamp[1])
    differs = " OR ".join(f'"{c}" IS NOT ?' for c in columns)
    cur = conn.execute(
        f'UPDATE "{table}" SET {", ".join(sets)} WHERE "{key}" = ? AND ({differs})',
        [*args, row_id, *values],
    )
    return cur.rowcount > 0
