"""Per-contact aggregates (``contact_stats``) and the windowed counts the scheduler needs.

The arithmetic lives in ``lrm_cli.scheduler``; this module only moves numbers in and out
with SQL. Callers own the transaction.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from lrm_cli.store.sqljson import joined


class HistoryRow(NamedTuple):
    """One interaction as one contact's statistics see it."""

    occurred_at: int
    initiator: str
    kind: str
    weight: float | None


def history(conn: sqlite3.Connection, contact_id: int) -> list[HistoryRow]:
    """Every interaction of a contact, oldest first (index range scan + rowid look-ups)."""
    return [
        HistoryRow(*row)
        for row in conn.execute(
            "SELECT p.occurred_at, i.initiator, i.kind, i.weight FROM interaction_participant p "
            "JOIN interaction i ON i.id = p.interaction_id WHERE p.contact_id = ? "
            "ORDER BY p.occurred_at",
            (contact_id,),
        )
    ]


def last_times(conn: sqlite3.Connection, contact_id: int, limit: int) -> list[int]:
    """The newest ``limit`` interaction times of a contact, oldest first."""
    rows = conn.execute(
        "SELECT occurred_at FROM interaction_participant WHERE contact_id = ? "
        "ORDER BY occurred_at DESC LIMIT ?",
        (contact_id, limit),
    ).fetchall()
    return [r[0] for r in reversed(rows)]


def add_interaction(
    conn: sqlite3.Connection,
    contact_id: int,
    occurred_at: int,
    num: float,
    den: float,
    key: str,
) -> None:
    """Fold one new interaction into a contact's row (created when missing)."""
    conn.execute(
        "INSERT INTO contact_stats (contact_id, interaction_count, first_at, last_at, "
        "balance_num, balance_den, stats_key) VALUES (?1, 1, ?2, ?2, ?3, ?4, ?5) "
        "ON CONFLICT (contact_id) DO UPDATE SET "
        "interaction_count = interaction_count + 1, "
        "first_at = min(coalesce(first_at, ?2), ?2), last_at = max(coalesce(last_at, ?2), ?2), "
        "balance_num = balance_num + ?3, balance_den = balance_den + ?4",
        (contact_id, occurred_at, num, den, key),
    )


def set_inferred(conn: sqlite3.Connection, contact_id: int, days: int | None) -> None:
    conn.execute(
        "UPDATE contact_stats SET inferred_cadence_days = ? WHERE contact_id = ?",
        (days, contact_id),
    )


def replace(
    conn: sqlite3.Connection,
    contact_id: int,
    *,
    count: int,
    first_at: int | None,
    last_at: int | None,
    inferred: int | None,
    num: float,
    den: float,
    key: str,
) -> None:
    conn.execute(
        "INSERT OR REPLACE INTO contact_stats (contact_id, interaction_count, first_at, "
        "last_at, inferred_cadence_days, balance_num, balance_den, stats_key) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (contact_id, count, first_at, last_at, inferred, num, den, key),
    )


def stale_contacts(conn: sqlite3.Connection, key: str) -> list[int]:
    """Contacts whose aggregates were computed with other settings (or never): two range
    seeks of ix_contact_stats_key, nothing when everything is fresh."""
    return [
        r[0]
        for r in conn.execute(
            "SELECT contact_id FROM contact_stats WHERE stats_key < ?1 OR stats_key > ?1", (key,)
        )
    ]


def participants_of(conn: sqlite3.Connection, interaction_ids: Iterable[int]) -> list[int]:
    ids = list(interaction_ids)
    if not ids:
        return []
    marks = ",".join("?" for _ in ids)
    return [
        r[0]
        for r in conn.execute(
            f"SELECT DISTINCT contact_id FROM interaction_participant "
            f"WHERE interaction_id IN ({marks})",
            ids,
        )
    ]


class WindowCounts(NamedTuple):
    """Per-contact counts from one covering-index range scan (see ``window_counts``)."""

    recent: int
    previous: int
    me: int
    them: int
    mutual: int


def window_counts(
    conn: sqlite3.Connection,
    *,
    previous_start: int,
    recent_start: int,
    counts_start: int,
    end: int,
    contact_ids: Sequence[int] | None = None,
) -> dict[int, WindowCounts]:
    """For each contact with interactions in [min(previous_start, counts_start), end):
    how many fell in the drift windows [previous_start, recent_start) and
    [recent_start, end), and how many of those in [counts_start, end) each side began."""
    low = min(previous_start, counts_start)
    where = "p.occurred_at >= ?1 AND p.occurred_at < ?2"
    args: list[object] = [low, end, previous_start, recent_start, counts_start]
    index = "INDEXED BY ix_participant_time"  # covering: no table look-ups
    if contact_ids is not None:
        marks = ",".join("?" for _ in contact_ids)
        where += f" AND p.contact_id IN ({marks})"
        args += list(contact_ids)
        index = ""
    sql = (
        "SELECT p.contact_id, "
        "sum(p.occurred_at >= ?4), "
        "sum(p.occurred_at >= ?3 AND p.occurred_at < ?4), "
        "sum(p.occurred_at >= ?5 AND p.initiator = 'me'), "
        "sum(p.occurred_at >= ?5 AND p.initiator = 'them'), "
        "sum(p.occurred_at >= ?5 AND p.initiator = 'mutual') "
        f"FROM interaction_participant p {index} WHERE {where} "
        "GROUP BY p.contact_id"
    )
    return {row[0]: WindowCounts(*row[1:]) for row in conn.execute(sql, args)}


# --- sliding windows (contact_stats.win_*, boundaries in stats_window) -----------------------


class Window(NamedTuple):
    """Boundaries in epoch seconds: the drift windows [previous_start, recent_start) and
    [recent_start, end_at), and the raw-count window [counts_start, end_at)."""

    previous_start: int
    recent_start: int
    counts_start: int
    end_at: int


def window_anchor(conn: sqlite3.Connection) -> Window | None:
    row = conn.execute(
        "SELECT previous_start, recent_start, counts_start, end_at FROM stats_window WHERE id = 1"
    ).fetchone()
    return Window(*row) if row else None


def set_window_anchor(conn: sqlite3.Connection, w: Window) -> None:
    conn.execute(
        "INSERT OR REPLACE INTO stats_window (id, previous_start, recent_start, counts_start,"
        " end_at) VALUES (1, ?, ?, ?, ?)",
        (w.previous_start, w.recent_start, w.counts_start, w.end_at),
    )


_RANGE = (
    "SELECT p.contact_id, count(*), sum(p.initiator = 'me'), sum(p.initiator = 'them'),"
    " sum(p.initiator = 'mutual') FROM interaction_participant p INDEXED BY ix_participant_time"
    " WHERE p.occurred_at >= ? AND p.occurred_at < ? GROUP BY p.contact_id"
)


def range_counts(conn: sqlite3.Connection, low: int, high: int) -> list[tuple[int, ...]]:
    """(contact_id, all, me, them, mutual) for participations in [low, high): one range
    scan of the covering index ix_participant_time."""
    if high <= low:
        return []
    return conn.execute(_RANGE, (low, high)).fetchall()


def rebuild_windows(conn: sqlite3.Connection, w: Window) -> None:
    """Every row's window counts from scratch (first use, or a jump of many days)."""
    conn.execute(
        "UPDATE contact_stats SET win_all = 0, win_recent = 0, win_me = 0, win_them = 0,"
        " win_mutual = 0"
    )
    low = min(w.previous_start, w.counts_start)
    rows = conn.execute(
        "SELECT p.contact_id, sum(p.occurred_at >= ?3), sum(p.occurred_at >= ?4),"
        " sum(p.occurred_at >= ?5 AND p.initiator = 'me'),"
        " sum(p.occurred_at >= ?5 AND p.initiator = 'them'),"
        " sum(p.occurred_at >= ?5 AND p.initiator = 'mutual')"
        " FROM interaction_participant p INDEXED BY ix_participant_time"
        " WHERE p.occurred_at >= ?1 AND p.occurred_at < ?2 GROUP BY p.contact_id",
        (low, w.end_at, w.previous_start, w.recent_start, w.counts_start),
    ).fetchall()
    conn.executemany(
        "UPDATE contact_stats SET win_all = ?2, win_recent = ?3, win_me = ?4, win_them = ?5,"
        " win_mutual = ?6 WHERE contact_id = ?1",
        rows,
    )
    set_window_anchor(conn, w)


def add_to_windows(conn: sqlite3.Connection, deltas: dict[int, list[int]]) -> None:
    """Add [all, recent, me, them, mutual] to each contact's window counts."""
    conn.executemany(
        "UPDATE contact_stats SET win_all = win_all + ?2, win_recent = win_recent + ?3,"
        " win_me = win_me + ?4, win_them = win_them + ?5, win_mutual = win_mutual + ?6"
        " WHERE contact_id = ?1",
        [(cid, *d) for cid, d in deltas.items() if any(d)],
    )


def set_windows(conn: sqlite3.Connection, contact_id: int, counts: Sequence[int]) -> None:
    conn.execute(
        "UPDATE contact_stats SET win_all = ?2, win_recent = ?3, win_me = ?4, win_them = ?5,"
        " win_mutual = ?6 WHERE contact_id = ?1",
        (contact_id, *counts),
    )


def windowed(
    conn: sqlite3.Connection, contact_ids: Sequence[int] | None = None
) -> dict[int, WindowCounts]:
    """The maintained window counts (callers make sure they are current)."""
    sql = (
        "SELECT contact_id, win_recent, win_all - win_recent, win_me, win_them, win_mutual"
        " FROM contact_stats"
    )
    if contact_ids is None:
        where = " WHERE win_all > 0 OR win_me > 0 OR win_them > 0 OR win_mutual > 0"
        return {r[0]: WindowCounts(*r[1:]) for r in conn.execute(sql + where)}
    out = {}
    for start in range(0, len(contact_ids), 500):
        chunk = list(contact_ids[start : start + 500])
        marks = ",".join("?" for _ in chunk)
        for r in conn.execute(f"{sql} WHERE contact_id IN ({marks})", chunk):
            out[r[0]] = WindowCounts(*r[1:])
    return out


def drift_rows(
    conn: sqlite3.Connection,
    *,
    min_previous: int,
    recent_days: int,
    previous_days: int,
    ratio: float,
    limit: int | None = None,
) -> tuple[list[tuple[int, str, int, int]], int]:
    """(id, name, recent count, previous count) of the active contacts drifting as
    ``scheduler.drift`` decides (the same floating-point steps: at least
    ``min_previous`` earlier interactions, recent_rate < ratio * previous_rate), most
    faded first (``scheduler.drift_order``: the recent rate over the earlier one, then
    name, then id); the first ``limit`` of them, and how many there are."""
    sql = (
        "WITH d AS MATERIALIZED (SELECT s.contact_id AS id, c.display_name AS name,"
        " s.win_recent AS recent, s.win_all - s.win_recent AS previous"
        " FROM contact_stats s JOIN contact c ON c.id = s.contact_id"
        " WHERE s.win_all - s.win_recent >= :min_previous AND c.archived_at IS NULL"
        " AND s.win_recent * 1.0 / :recent_days * 30"
        "   < :ratio * ((s.win_all - s.win_recent) * 1.0 / :previous_days * 30))"
        " SELECT id, name, recent, previous, (SELECT count(*) FROM d) FROM d"
        " ORDER BY (recent * :previous_days) * 1.0 / (previous * :recent_days),"
        " name COLLATE BINARY, id" + (f" LIMIT {int(limit)}" if limit else "")
    )
    args = {
        "min_previous": min_previous,
        "recent_days": recent_days,
        "previous_days": previous_days,
        "ratio": ratio,
    }
    rows = conn.execute(sql, args).fetchall()
    return [r[:4] for r in rows], rows[0][4] if rows else 0


def balance_rows(conn: sqlite3.Connection) -> list[tuple]:
    """(id, name, balance_num, balance_den, win_me, win_them, win_mutual, count) of every
    active contact with interactions: one pass over contact_stats."""
    return conn.execute(
        "SELECT c.id, c.display_name, s.balance_num, s.balance_den, s.win_me, s.win_them,"
        " s.win_mutual, s.interaction_count FROM contact_stats s"
        " JOIN contact c ON c.id = s.contact_id"
        " WHERE s.interaction_count > 0 AND c.archived_at IS NULL"
    ).fetchall()


_BALANCE_JSON = """
WITH b AS (
  SELECT c.id AS id, c.display_name AS name,
    CASE WHEN s.balance_den > 0 THEN max(-1.0, min(1.0, s.balance_num / s.balance_den)) END AS v,
    s.win_me AS me, s.win_them AS them, s.win_mutual AS mutual
  FROM contact_stats s JOIN contact c ON c.id = s.contact_id
  WHERE s.interaction_count > 0 AND c.archived_at IS NULL
),
ranked AS (
  SELECT *, v * 1000 + 0.5 AS w FROM b ORDER BY abs(coalesce(v, 0)) DESC, name COLLATE BINARY, id
  {limit}
)
SELECT json_object('id', id, 'name', name,
  'balance', (CAST(w AS INTEGER) - (w < CAST(w AS INTEGER))) / 1000.0,
  'label', CASE WHEN v IS NULL THEN NULL WHEN v > -:threshold AND v < :threshold THEN 'balanced'
                WHEN v > 0 THEN 'you_give_more' ELSE 'they_give_more' END,
  'initiated_by_me', me, 'initiated_by_them', them, 'mutual', mutual) AS t
FROM ranked
"""


def balance_json(conn: sqlite3.Connection, *, threshold: float, limit: int | None) -> bytes | None:
    """Every active contact's balance as the compact JSON of ``BalanceItem.as_json``, most
    one-sided first, joined by ``sqljson.JSON_SEPARATOR`` (None for nobody): the
    arithmetic of ``scheduler.balance_from_sums``, ``balance_label`` and
    ``to_thousandths`` written in SQL, so that 100k contacts never pass through Python
    one by one (a test holds the two equal)."""
    sql = _BALANCE_JSON.format(limit=f"LIMIT {int(limit)}" if limit else "")
    return joined(conn, sql, {"threshold": threshold})


def participations_since(conn: sqlite3.Connection, since: int) -> list[tuple]:
    """(contact_id, occurred_at, initiator, kind, weight) of each participation at or
    after ``since`` (epoch seconds): a range of ix_participant_time, empty for "after
    today" unless something was logged ahead."""
    return conn.execute(
        "SELECT p.contact_id, p.occurred_at, i.initiator, i.kind, i.weight"
        " FROM interaction_participant p INDEXED BY ix_participant_time"
        " JOIN interaction i ON i.id = p.interaction_id WHERE p.occurred_at >= ?",
        (since,),
    ).fetchall()


def most_one_sided(
    conn: sqlite3.Connection,
    *,
    threshold: float,
    min_interactions: int,
    limit: int,
    minus: dict[int, tuple[float, float, int]] | None = None,
) -> list[tuple]:
    """``balance_rows`` of the ``limit`` most one-sided active contacts with at least
    ``min_interactions`` and |balance| >= ``threshold``, most one-sided first (then name,
    in code-point order like Python's, and id). ``minus``: per contact, the (num, den,
    count) to take off the maintained sums first (the interactions after the day the
    balance is asked for)."""
    if minus:
        return _most_one_sided_minus(conn, threshold, min_interactions, limit, minus)
    return conn.execute(
        "SELECT c.id, c.display_name, s.balance_num, s.balance_den, s.win_me, s.win_them,"
        " s.win_mutual, s.interaction_count FROM contact_stats s"
        " JOIN contact c ON c.id = s.contact_id"
        " WHERE s.interaction_count >= ?1 AND s.balance_den > 0 AND c.archived_at IS NULL"
        " AND min(1.0, abs(s.balance_num / s.balance_den)) >= ?2"
        " ORDER BY min(1.0, abs(s.balance_num / s.balance_den)) DESC,"
        " c.display_name COLLATE BINARY, c.id LIMIT ?3",
        (min_interactions, threshold, limit),
    ).fetchall()


def _most_one_sided_minus(conn, threshold, min_interactions, limit, minus) -> list[tuple]:
    import json

    later = json.dumps({str(k): list(v) for k, v in minus.items()})
    return conn.execute(
        "WITH later (contact_id, num, den, n) AS (SELECT CAST(key AS INTEGER),"
        " json_extract(value, '$[0]'), json_extract(value, '$[1]'),"
        " json_extract(value, '$[2]') FROM json_each(?4)),"
        " asof AS (SELECT c.id, c.display_name AS name,"
        " s.balance_num - coalesce(l.num, 0) AS num, s.balance_den - coalesce(l.den, 0) AS den,"
        " s.win_me, s.win_them, s.win_mutual, s.interaction_count - coalesce(l.n, 0) AS n"
        " FROM contact_stats s JOIN contact c ON c.id = s.contact_id"
        " LEFT JOIN later l ON l.contact_id = s.contact_id WHERE c.archived_at IS NULL)"
        " SELECT * FROM asof WHERE n >= ?1 AND n > 0 AND den > 0"
        " AND min(1.0, abs(num / den)) >= ?2"
        " ORDER BY min(1.0, abs(num / den)) DESC, name COLLATE BINARY, id LIMIT ?3",
        (min_interactions, threshold, limit, later),
    ).fetchall()
