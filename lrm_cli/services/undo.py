"""`lrm undo`: revert the last change (one command's writes), as the journal recorded it.

The journal (store/undo.py, migration 0007) holds, for each change, the statements that
put its rows back; an undo runs them in one transaction, rebuilds the scheduler's
aggregates of the contacts whose interactions changed, and forgets the change, so the
next undo reverts the change before it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import tzinfo
from typing import Any

from lrm_cli.domain import NotFound
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
}
_MINOR = ("contact_tag", "interaction_participant")
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


def recent_changes(db: Database, limit: int) -> list[Undone]:
    with db.read() as conn:
        return [Undone(c) for c in store.changes(conn, limit)]
