"""Merging one contact into another, and the SQL side of finding duplicates.

``merge_into`` moves every row that belongs to OTHER onto KEEP and accounts for each one:
it is either moved, or dropped as identical to a row KEEP already has (or as a relation of
KEEP to itself). OTHER's name and aliases become aliases of KEEP (store/aliases.py), and the
caller's note (OTHER's differing values, services/merge.py) is added to KEEP's notes.
Nothing else is deleted; OTHER itself goes last, when it owns nothing. Callers own the
transaction.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from itertools import combinations, groupby
from operator import itemgetter

from lrm_cli import contact_fields
from lrm_cli.dates import fuller, same_important_date
from lrm_cli.normalize import international, same_method, same_phone
from lrm_cli.store import aliases
from lrm_cli.store import search as search_index
from lrm_cli.store.vcard_io import move_seen_cards

FILLABLE = contact_fields.FILLABLE
PARTS = ("methods", "tags", "dates", "notes", "relationships", "interactions", "reminders")


@dataclass
class MergeCounts:
    moved: dict[str, int] = field(default_factory=lambda: dict.fromkeys(PARTS, 0))
    deduplicated: dict[str, int] = field(default_factory=lambda: dict.fromkeys(PARTS, 0))
    fields_filled: list[str] = field(default_factory=list)
    moved_interaction_ids: list[int] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)  # KEEP's new aliases: OTHER's names
    aliases_deduplicated: int = 0  # OTHER's aliases KEEP already had
    note_id: int | None = None  # the note keeping OTHER's differing values
    # what KEEP's own rows took from OTHER's identical ones: a method's label or preferred
    # mark, a note's pin, an earlier created_at (import json --merge: "updated", not
    # "skipped", as the undo journal has it)
    details_filled: int = 0

    @property
    def changed(self) -> bool:
        filled = self.fields_filled or self.aliases or self.note_id or self.details_filled
        return bool(filled) or any(self.moved.values())


def _empty(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def merge_into(
    conn: sqlite3.Connection, keep: int, other: int, now: int, *, note: str | None = None
) -> MergeCounts:
    """Move everything of contact ``other`` onto ``keep`` and delete ``other``; ``other``'s
    name and aliases become ``keep``'s aliases (unless ``keep`` has them) and ``note``, if
    given, becomes a note of ``keep`` made ``now``. ``keep.updated_at`` becomes ``now``
    when anything changed."""
    if keep == other:
        raise ValueError("cannot merge a contact into itself")
    counts = MergeCounts()
    (name,) = conn.execute("SELECT display_name FROM contact WHERE id = ?", (other,)).fetchone()
    moved, counts.aliases_deduplicated = aliases.move(conn, keep, other)
    counts.aliases = moved + aliases.add(conn, keep, [name], now)  # oldest first, as shown
    _fill_fields(conn, keep, other, counts)
    _methods(conn, keep, other, counts)
    _tags(conn, keep, other, counts)
    _dates(conn, keep, other, counts)
    _notes(conn, keep, other, counts)
    if note:
        counts.note_id = conn.execute(
            "INSERT INTO note (contact_id, body, created_at, pinned) VALUES (?, ?, ?, 0)",
            (keep, note, now),
        ).lastrowid
    _relationships(conn, keep, other, counts)
    _interactions(conn, keep, other, counts)
    counts.moved["reminders"] = conn.execute(
        "UPDATE reminder SET contact_id = ? WHERE contact_id = ?", (keep, other)
    ).rowcount
    # what other's cards gave: its export read again finds keep and adds nothing deleted
    move_seen_cards(conn, keep, other)
    # the UIDs merged into other before lead to keep now (remember_merged_uid)
    conn.execute("UPDATE merged_uid SET contact_id = ? WHERE contact_id = ?", (keep, other))
    conn.execute("DELETE FROM contact_stats WHERE contact_id = ?", (other,))
    conn.execute("DELETE FROM contact WHERE id = ?", (other,))
    if counts.changed:
        conn.execute("UPDATE contact SET updated_at = ? WHERE id = ?", (now, keep))
    return counts


def remember_merged_uid(conn: sqlite3.Connection, uid: str, keep: int) -> None:
    """``lrm merge``: the UID of the contact merged away leads to ``keep`` (migration
    0024), so that its card read again finds ``keep`` instead of coming back as new."""
    conn.execute("INSERT OR REPLACE INTO merged_uid (uid, contact_id) VALUES (?, ?)", (uid, keep))


def _fill_fields(conn: sqlite3.Connection, keep: int, other: int, counts: MergeCounts) -> None:
    cols = ", ".join((*FILLABLE, "created_at"))
    kept = conn.execute(f"SELECT {cols} FROM contact WHERE id = ?", (keep,)).fetchone()
    gone = conn.execute(f"SELECT {cols} FROM contact WHERE id = ?", (other,)).fetchone()
    updates: dict[str, object] = {}
    for name, mine, theirs in zip(FILLABLE, kept, gone, strict=False):
        if _empty(theirs):
            continue
        if _empty(mine):
            value = theirs
        elif contact_fields.one_value(name, mine, theirs):
            value = contact_fields.fuller_value(name, mine, theirs)  # a birthday's year
        else:
            continue  # KEEP's stays; services/merge.py notes OTHER's
        if value != mine:
            updates[name] = value
            counts.fields_filled.append(name)
    if gone[-1] < kept[-1]:
        updates["created_at"] = gone[-1]
        counts.details_filled += 1
    if updates:
        assignments = ", ".join(f"{name} = ?" for name in updates)
        conn.execute(f"UPDATE contact SET {assignments} WHERE id = ?", [*updates.values(), keep])


def _methods(conn: sqlite3.Connection, keep: int, other: int, counts: MergeCounts) -> None:
    mine = {
        (kind, value): (mid, label, preferred, value)
        for mid, kind, value, label, preferred in conn.execute(
            "SELECT id, kind, value, label, is_preferred FROM contact_method WHERE contact_id = ?",
            (keep,),
        )
    }
    (position,) = conn.execute(
        "SELECT coalesce(max(position), -1) + 1 FROM contact_method WHERE contact_id = ?", (keep,)
    ).fetchone()
    theirs = conn.execute(
        "SELECT id, kind, value, label, is_preferred FROM contact_method WHERE contact_id = ? "
        "ORDER BY position, id",
        (other,),
    ).fetchall()
    # KEEP's preferred method of a kind stays the one preferred: OTHER's counts only where
    # KEEP prefers none of its kind (one preferred phone; the digest reaches people by it)
    prefers = {kind for (kind, _), (_, _, preferred, _) in mine.items() if preferred}
    for mid, kind, value, label, preferred in theirs:
        same = _the_same(mine, kind, value)
        preferred = preferred and kind not in prefers
        if preferred:
            prefers.add(kind)
        if same is None:
            conn.execute(
                "UPDATE contact_method SET contact_id = ?, position = ?, is_preferred = ?"
                " WHERE id = ?",
                (keep, position, preferred, mid),
            )
            position += 1
            counts.moved["methods"] += 1
            continue
        keep_id, keep_label, keep_preferred, keep_value = same
        if kind == "phone" and international(value) and not international(keep_value):
            # one number written two ways: the international form says more (its country)
            conn.execute("UPDATE contact_method SET value = ? WHERE id = ?", (value, keep_id))
            counts.details_filled += 1
        if _empty(keep_label) and not _empty(label):
            conn.execute("UPDATE contact_method SET label = ? WHERE id = ?", (label, keep_id))
            counts.details_filled += 1
        if preferred and not keep_preferred:
            conn.execute("UPDATE contact_method SET is_preferred = 1 WHERE id = ?", (keep_id,))
            counts.details_filled += 1
        conn.execute("DELETE FROM contact_method WHERE id = ?", (mid,))
        counts.deduplicated["methods"] += 1


def _the_same(mine: dict[tuple[str, str], tuple], kind: str, value: str) -> tuple | None:
    """KEEP's method that is OTHER's ``value``: equal, or a phone ``same_method`` calls
    the same number."""
    same = mine.get((kind, value))
    if same is None and kind == "phone":
        same = next(
            (v for (k, x), v in mine.items() if k == kind and same_method(k, x, value)), None
        )
    return same


def _tags(conn: sqlite3.Connection, keep: int, other: int, counts: MergeCounts) -> None:
    (total,) = conn.execute(
        "SELECT count(*) FROM contact_tag WHERE contact_id = ?", (other,)
    ).fetchone()
    added = conn.execute(
        "INSERT OR IGNORE INTO contact_tag (contact_id, tag_id) "
        "SELECT ?, tag_id FROM contact_tag WHERE contact_id = ?",
        (keep, other),
    ).rowcount
    conn.execute("DELETE FROM contact_tag WHERE contact_id = ?", (other,))
    counts.moved["tags"] = added
    counts.deduplicated["tags"] = total - added


def _dates(conn: sqlite3.Connection, keep: int, other: int, counts: MergeCounts) -> None:
    """OTHER's dates move unless KEEP has one (``dates.same_important_date``: a second row
    would remind twice); then KEEP's row takes what it lacks of OTHER's: the year, the
    label, the reminder lead."""
    query = (
        "SELECT id, kind, date, label, remind_days_before FROM important_date "
        "WHERE contact_id = ? ORDER BY id"
    )
    mine = conn.execute(query, (keep,)).fetchall()
    for did, kind, on, label, remind in conn.execute(query, (other,)).fetchall():
        same = next((m for m in mine if same_important_date(m[1:4], (kind, on, label))), None)
        if same is None:
            conn.execute("UPDATE important_date SET contact_id = ? WHERE id = ?", (keep, did))
            counts.moved["dates"] += 1
            continue
        conn.execute("DELETE FROM important_date WHERE id = ?", (did,))
        counts.deduplicated["dates"] += 1
        filled = (
            fuller(same[2], on),
            label if _empty(same[3]) else same[3],
            remind if same[4] is None else same[4],
        )
        if filled != tuple(same[2:]):
            conn.execute(
                "UPDATE important_date SET date = ?, label = ?, remind_days_before = ? "
                "WHERE id = ?",
                (*filled, same[0]),
            )
            counts.details_filled += 1


def _notes(conn: sqlite3.Connection, keep: int, other: int, counts: MergeCounts) -> None:
    for nid, body, created, pinned in conn.execute(
        "SELECT id, body, created_at, pinned FROM note WHERE contact_id = ? ORDER BY id",
        (other,),
    ).fetchall():
        same = conn.execute(
            "SELECT id, pinned FROM note WHERE contact_id = ? AND body = ? AND created_at = ?",
            (keep, body, created),
        ).fetchone()
        if same:
            if pinned and not same[1]:
                conn.execute("UPDATE note SET pinned = 1 WHERE id = ?", (same[0],))
                counts.details_filled += 1
            conn.execute("DELETE FROM note WHERE id = ?", (nid,))
            counts.deduplicated["notes"] += 1
        else:
            conn.execute("UPDATE note SET contact_id = ? WHERE id = ?", (keep, nid))
            counts.moved["notes"] += 1


def _relationships(conn: sqlite3.Connection, keep: int, other: int, counts: MergeCounts) -> None:
    """Re-point both directions; a relation between KEEP and OTHER would become KEEP to
    itself and is dropped, as is one KEEP already has (its word, if KEEP's has none, is
    kept)."""
    rows = conn.execute(
        "SELECT id, contact_id, other_contact_id, kind FROM relationship "
        "WHERE contact_id = ?1 OR other_contact_id = ?1 ORDER BY id",
        (other,),
    ).fetchall()
    for rid, a, b, kind in rows:
        a2 = keep if a == other else a
        b2 = keep if b == other else b
        duplicate = (
            a2 == b2
            or conn.execute(
                "SELECT 1 FROM relationship WHERE contact_id = ? AND other_contact_id = ? "
                "AND kind = ? AND id != ?",
                (a2, b2, kind, rid),
            ).fetchone()
        )
        if duplicate:
            if a2 != b2:
                conn.execute(
                    "UPDATE relationship SET label = (SELECT label FROM relationship WHERE id = ?1)"
                    " WHERE contact_id = ?2 AND other_contact_id = ?3 AND kind = ?4"
                    " AND id != ?1 AND label IS NULL",
                    (rid, a2, b2, kind),
                )
            conn.execute("DELETE FROM relationship WHERE id = ?", (rid,))
            counts.deduplicated["relationships"] += 1
        else:
            conn.execute(
                "UPDATE relationship SET contact_id = ?, other_contact_id = ? WHERE id = ?",
                (a2, b2, rid),
            )
            counts.moved["relationships"] += 1


def _interactions(conn: sqlite3.Connection, keep: int, other: int, counts: MergeCounts) -> None:
    """An interaction both took part in keeps KEEP's participant row only."""
    counts.deduplicated["interactions"] = conn.execute(
        "DELETE FROM interaction_participant WHERE contact_id = ?1 AND interaction_id IN "
        "(SELECT interaction_id FROM interaction_participant WHERE contact_id = ?2)",
        (other, keep),
    ).rowcount
    counts.moved_interaction_ids = [
        r[0]
        for r in conn.execute(
            "SELECT interaction_id FROM interaction_participant WHERE contact_id = ?", (other,)
        )
    ]
    counts.moved["interactions"] = conn.execute(
        "UPDATE interaction_participant SET contact_id = ? WHERE contact_id = ?", (keep, other)
    ).rowcount


# --- duplicates -------------------------------------------------------------------------------


def shared_methods(conn: sqlite3.Connection, kind: str, most: int) -> list[tuple[int, int]]:
    """Pairs of contacts sharing an email (case-folded: one GROUP BY over the (kind,
    value) index) or a phone (``normalize.same_phone``: among the phones whose last digits
    more than one contact shares, by ``ix_contact_method_phone_tail``, the rule decides).
    A value more than ``most`` contacts share (a switchboard) pairs no one."""
    if kind == "phone":
        return _sharing_a_phone(conn, most)
    rows = conn.execute(
        "SELECT group_concat(DISTINCT contact_id) FROM contact_method WHERE kind = ? "
        "GROUP BY lower(value) HAVING count(DISTINCT contact_id) BETWEEN 2 AND ?",
        (kind, most),
    )
    pairs: set[tuple[int, int]] = set()
    for (ids,) in rows:
        pairs.update(combinations(sorted(int(x) for x in ids.split(",")), 2))
    return sorted(pairs)


def _sharing_a_phone(conn: sqlite3.Connection, most: int) -> list[tuple[int, int]]:
    tail = search_index.phone_tail_sql("value")
    rows = conn.execute(
        f"SELECT {tail}, contact_id, value FROM contact_method WHERE kind = 'phone' AND {tail}"
        f" IN (SELECT {tail} FROM contact_method WHERE kind = 'phone' GROUP BY {tail}"
        " HAVING count(DISTINCT contact_id) > 1) ORDER BY 1, contact_id"
    )
    pairs: set[tuple[int, int]] = set()
    for _, group in groupby(rows, key=itemgetter(0)):
        phones = [(cid, value) for _, cid, value in group]
        for cid, value in phones:
            # the contacts with this number: not transitive (a number without its country
            # is each country's), so each phone pairs only those it is the same as
            same = {other for other, v in phones if other != cid and same_phone(value, v)}
            if len(same) < most:
                pairs.update((min(cid, o), max(cid, o)) for o in same)
    return sorted(pairs)


def names(conn: sqlite3.Connection) -> list[tuple[int, str]]:
    return list(conn.execute("SELECT id, display_name FROM contact ORDER BY id"))


def names_of(conn: sqlite3.Connection, ids: list[int]) -> dict[int, str]:
    out: dict[int, str] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ",".join("?" for _ in chunk)
        out.update(
            conn.execute(f"SELECT id, display_name FROM contact WHERE id IN ({marks})", chunk)
        )
    return out
