"""`lrm undo`: revert the last change (one command's writes), as the journal recorded it.

The journal (store/undo.py, migration 0007) holds, for each change, the statements that
put its rows back; an undo runs them in one transaction, rebuilds the scheduler's
aggregates of the contacts whose interactions changed, and forgets the change, so the
next undo reverts the change before it.
"""

from __future__ import annotations

import glob
import sqlite3
from dataclasses import dataclass
from datetime import tzinfo
from pathlib import Path
from typing import Any

from lrm_cli.domain import Conflict, NotFound
from lrm_cli.scheduler import SchedulerSettings
from lrm_cli.services.stats import recompute
from lrm_cli.store import undo as store
from lrm_cli.store.db import Database
from lrm_cli.words import plural

# What a journaled row is, in words, for the summary (interaction participants and tag
# links are part of their interaction or tag and not counted on their own).
_WORDS = {
    "contact": "contact",
    "contact_method": "email/phone/address",
    "contact_alias": "alias",
    "tag": "tag",
    "relationship": "relationship",
    "important_date": "date",
    "interaction": "interaction",
    "note": "note",
    "reminder": "reminder",
    "contact_tag": "tagging",
    "interaction_participant": "participant",
    "card_seen": "card read",
    "merged_uid": "merged card",
}
_MINOR = ("contact_tag", "interaction_participant", "card_seen", "merged_uid")
# What each operation did to a row, and what reverting it does.
DONE = {"insert": "added", "update": "changed", "delete": "deleted"}
REVERTED = {"insert": "removed", "update": "restored", "delete": "brought back"}


@dataclass(frozen=True)
class Undone:
    change: store.Change

    def parts(self, verbs: dict[str, str] = REVERTED) -> list[str]:
        """``["1 interaction removed", "1 contact restored"]``: what the undo did (with
        ``DONE``: what the change did)."""
        counts = self.change.counts
        tables = [t for t in counts if t not in _MINOR] or list(counts)
        out = []
        for table in sorted(tables, key=lambda t: list(_WORDS).index(t)):
            for op in ("insert", "update", "delete"):
                n = counts[table].get(op, 0)
                if n:
                    word = _WORDS[table]  # "email/phone/address" stays as it is
                    many = word if table == "contact_method" else None
                    out.append(f"{plural(n, word, many)} {verbs[op]}")
        return out

    def as_json(self, zone) -> dict[str, Any]:
        from lrm_cli.shapes import iso_ts

        c = self.change
        return {
            "id": c.id,
            "command": c.command,
            "at": iso_ts(c.at, zone),
            "rows": {t: dict(ops) for t, ops in sorted(c.counts.items())},
        }


def undo_last(db: Database, settings: SchedulerSettings, zone: tzinfo) -> Undone:
    """Revert the most recent change; NotFound when there is none."""
    with db.write(journal=False) as conn:
        found = store.changes(conn, 1)
        if not found:
            raise NotFound(
                "nothing to undo",
                hint=f"lrm undo reverts the last {store.KEEP_CHANGES} changes, one at a time",
            )
        change = found[0]
        contacts = store.revert(conn, change)
        recompute(conn, store.existing_contacts(conn, contacts), settings, zone)
    return Undone(change)


def undo_change(
    db: Database, settings: SchedulerSettings, zone: tzinfo, change_id: int, at: int
) -> Undone:
    """Revert the change CHANGE_ID (``lrm undo --list`` numbers them) and only it: a slip
    found after other work (a wrong merge, a forgotten contact) is put right without
    undoing what came since. Refused (Conflict, nothing written) when a later change wrote
    a row reverting it would touch: those are named, to be undone first."""
    with db.write(journal=False) as conn:
        change = store.change(conn, change_id)
        if change is None:
            raise NotFound(
                f"no change #{change_id} in the undo history",
                hint="lrm undo --list shows what can be undone",
            )
        try:
            contacts = store.revert_alone(conn, change, at)
        except store.Entangled as e:
            raise Conflict(_entangled(change, e), hint=_undo_first(change, e)) from None
        recompute(conn, store.existing_contacts(conn, contacts), settings, zone)
    return Undone(change)


_NAMED = 5  # the later changes a refusal names


def _entangled(change: store.Change, e: store.Entangled) -> str:
    head = f"cannot undo #{change.id} ({change.command}) alone"
    if not e.later:
        return f"{head}: what it put back clashes with a later change ({e.clash})"
    later = "; ".join(f"#{i} ({command})" for i, command in e.later[:_NAMED])
    if len(e.later) > _NAMED:
        later += f"; and {len(e.later) - _NAMED} more"
    return f"{head}: {plural(len(e.later), 'later change')} changed the same records: {later}"


def _undo_first(change: store.Change, e: store.Entangled) -> str:
    if not e.later:
        return "lrm undo --list shows the later changes; undo them first, newest first"
    if len(e.later) > _NAMED:
        return f"lrm undo, repeated until #{change.id} is undone (lrm undo --list)"
    steps = [f"lrm undo {i}" for i, _ in reversed(e.later)] + [f"lrm undo {change.id}"]
    return ", then ".join(steps)


def recent_changes(db: Database, limit: int) -> list[Undone]:
    with db.read() as conn:
        return [Undone(c) for c in store.changes(conn, limit)]


# --- emptying the history: nothing deleted keeps a copy in the file -------------------------


@dataclass(frozen=True)
class Purged:
    """What emptying the undo history did (``lrm undo --clear``, ``lrm forget --purge``)."""

    undo_changes: int  # the changes that could have been undone: all gone
    log_emptied: bool  # the write-ahead log folded in and truncated (False: a reader held it)
    copies_left: list[str]  # lrm's own copies beside the database, made before

    def as_json(self) -> dict[str, Any]:
        return {
            "undo_changes": self.undo_changes,
            "log_emptied": self.log_emptied,
            "copies_left": self.copies_left,
        }

    def summary(self) -> str:
        return f"emptied the undo history ({plural(self.undo_changes, 'change')})"


def erase_history(conn: sqlite3.Connection) -> int:
    """In the caller's write transaction: no journaling for the rest of it, every change
    forgotten (the journal holds the rows it could put back, and the command lines, which
    name people), and the search index merged (FTS5 keeps a deleted row's words in older
    segments until then); SQLite zeroes the pages freed (``secure_delete``). Returns how
    many earlier changes could have been undone. Then, after the commit,
    :func:`after_erasing`."""
    from lrm_cli.store import search

    changes = store.clear(conn)
    search.compact(conn)
    return changes


def after_erasing(db: Database, changes: int) -> Purged:
    """After the commit of :func:`erase_history`: the write-ahead log (which keeps old
    page images) folded in and truncated, and lrm's own older copies named."""
    return Purged(changes, db.empty_log(), copies_beside(db.path))


def copies_beside(path: Path) -> list[str]:
    """The copies of the database lrm keeps beside it (``.before-migration-NNNN.bak``,
    ``.before-restore-<time>.bak``): made before, they may hold what was since deleted.
    Backups: named, never deleted."""
    return sorted(str(p) for p in path.parent.glob(f"{glob.escape(path.name)}.before-*.bak"))


def clear_history(db: Database) -> Purged:
    """``lrm undo --clear``: nothing can be undone after it, and what was deleted (a
    note, a forgotten contact, an old value) leaves no copy in the database's files."""
    with db.write(journal=False) as conn:
        changes = erase_history(conn)
    return after_erasing(db, changes)
