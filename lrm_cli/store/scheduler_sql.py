"""The scheduler's rules for many contacts at once, written once, in SQL (DESIGN §1, §3).

Every list (``due``, ``balance``, ``drift``, the digest's sections, the calendar's
reconnects) and ``show`` (one contact: the same statements with its id as a parameter)
read through this module, so no two commands can disagree. ``lrm_cli/scheduler.py`` keeps
what runs per interaction at write time (weights, signs, balance terms, cadence inference)
and per contact (health, upcoming dates, recurrence). The rules, with the ``[scheduler]``
settings they take:

- **Cadence** (:data:`CADENCE`, :data:`CADENCE_SOURCE`): the contact's own cadence_days,
  else its tag cadence, else the inferred one; a value below 1 day counts as unset. The
  tag cadence is ``contact.tag_cadence_days``: the smallest cadence of at least 1 day
  among the contact's tags, kept by the triggers of migration 0005 (its one definition).
  The inferred one is ``contact_stats.inferred_cadence_days`` (``scheduler.infer_cadence``).
- **Due** (:func:`due_rows`, :func:`due_json`): since = the local day of the last
  interaction, else of the contact's creation; due_on = since + cadence; overdue_days =
  today - due_on; urgency = (today - since) / cadence in thousandths, rounded half up.
  Archived contacts, contacts without a cadence and contacts snoozed until after today
  are not due; ``--within N`` adds those due in the next N days. Most urgent first:
  urgency, then overdue days, descending; then name (code points) and id.
- **Balance** (:func:`balance_rows`, :func:`balance_json`): balance_num / balance_den
  clamped to [-1, 1], null without interactions, shown to 3 decimals rounded half up;
  labelled ``balanced`` when |balance| < balanced_threshold (``_BALANCED``), else
  ``you_give_more`` (positive) or ``they_give_more``; a balance within 1e-9 of the
  threshold counts as the threshold itself (``r``), leaving out the sums' floating-point
  noise: 3 calls by you and 2 by them on one day may come out as 0.19999999999999998. Most
  one-sided first: |balance| descending (null as 0), then name and id. The digest's
  one-sided contacts: not balanced, with at least ``[digest] one_sided_min_interactions``
  interactions, and not snoozed past today (``awake_on``).
- **Drift** (:func:`drift_rows`): rates per 30 days (count / window days * 30, shown to
  2 decimals); drifting when the earlier window holds at least drift_min_previous
  interactions and the recent rate < drift_ratio * the earlier rate; most faded first
  (recent rate over earlier rate, exactly, then name and id). The digest's drifting
  contacts are also not snoozed past today (``awake_on``).
- **Losing touch** (:func:`losing_touch_rows`, :func:`losing_touch_json`): the contacts
  ``due`` never lists, because they have no cadence (none of their own, none from a tag,
  and too few interactions to infer one), once they are not contacted for longer than
  ``[digest] losing_touch_days``: active and not snoozed past today, with since (the local
  day of the last interaction, else of the contact's creation) before today - days, so
  days_since = today - since > days. Longest first: since, then name (code points) and
  id. An imported address book is not silent: its people come up from the day they were
  added.
- **Window counts** (:class:`Windows`): per contact, the interactions in
  [previous_start, recent_start) and [recent_start, end), and those of each initiator in
  [counts_start, end) (the boundaries: ``services.stats.target_window``). A base is kept
  in ``contact_stats.win_*`` for the boundaries in ``stats_window`` and moved at write
  time (``store.stats.move_windows``); a read for other boundaries adds the difference in
  its own statement and writes nothing.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import NamedTuple

from lrm_cli.store.localtime import ZoneSQL, day_text_sql
from lrm_cli.store.sqljson import joined

CADENCE = (
    "CASE WHEN c.cadence_days >= 1 THEN c.cadence_days"
    " WHEN c.tag_cadence_days >= 1 THEN c.tag_cadence_days"
    " WHEN s.inferred_cadence_days >= 1 THEN s.inferred_cadence_days END"
)
"""A contact's cadence in days (NULL: not tracked), over ``contact c LEFT JOIN
contact_stats s``."""

CADENCE_SOURCE = (
    "CASE WHEN c.cadence_days >= 1 THEN 'explicit' WHEN c.tag_cadence_days >= 1 THEN 'tag'"
    " WHEN s.inferred_cadence_days >= 1 THEN 'inferred' END"
)

CADENCE_TAG = (
    "(SELECT t.name FROM contact_tag ct JOIN tag t ON t.id = ct.tag_id"
    " WHERE ct.contact_id = c.id AND t.cadence_days = c.tag_cadence_days"
    " ORDER BY t.name LIMIT 1)"
)
"""The tag a tag cadence comes from, over ``contact c``: the one with the contact's tag
cadence (the smallest), the first by name when two tie."""

UNTRACKED = (
    "coalesce(c.cadence_days, 0) < 1 AND coalesce(c.tag_cadence_days, 0) < 1"
    " AND coalesce(s.inferred_cadence_days, 0) < 1"
)
"""``CADENCE IS NULL``, term by term, so that a contact with its own or a tag's cadence is
ruled out from the contact's row before its stats row is read (losing touch scans every
contact; tests/test_scheduler_reference.py holds it to the oracle's "no cadence")."""


def snoozed_past(today: str) -> str:
    """1 while the contact's snooze runs past the day ``today`` (an SQL value: a parameter)
    names: it is due again on the day the snooze ends. The one snooze rule."""
    return f"coalesce(c.snoozed_until > {today}, 0)"


SNOOZED = snoozed_past(":today_iso")
""":func:`snoozed_past` today (``:today_iso``)."""


# --- as of a day --------------------------------------------------------------------------


class AsOf(NamedTuple):
    """The per-contact history as it stood at the end of a day (``digest --date`` in the
    past): the one rule of "had it happened yet". An interaction counts when it
    happened before ``end``, the epoch second at which the next local day begins
    (:meth:`happened`: a participation's ``p.occurred_at``; a reminder's ``created_at``
    with the same rule, for what existed yet). What comes later is gathered by
    ``services.stats.as_of`` (the participations at or after ``end``, and the last few
    before it of the contacts they touch) into ``later``, the JSON
    ``{contact id: [num, den, count, last_at, inferred]}``: the share of the maintained
    balance sums and interaction count to take off, and the last interaction time and
    inferred cadence as of the day. :meth:`cte` turns it into ``as_of_stats``, read
    instead of ``contact_stats`` (:meth:`stats`) by every statement given an AsOf, so
    the maintained aggregates stay as they are and only the contacts with later
    interactions are corrected; without an AsOf (today, a later day) the statements
    read ``contact_stats`` itself, unchanged. The window counts (drift, last year's
    initiators) already end at the same second (``Window.end_at``)."""

    end: int
    later: str

    def happened(self, column: str = "p.occurred_at") -> str:
        """The condition that ``column`` (epoch seconds) is before the end of the day."""
        return f"{column} < {int(self.end)}"

    def later_than(self, column: str = "p.occurred_at") -> str:
        """The opposite of :meth:`happened` (written so that an index range serves it)."""
        return f"{column} >= {int(self.end)}"

    def cte(self) -> str:
        """``later`` and ``as_of_stats``, to open a WITH clause (``:as_of`` is ``later``)."""
        return _AS_OF_CTE

    @staticmethod
    def stats(as_of: AsOf | None) -> str:
        """The table of per-contact aggregates a statement reads for ``as_of``."""
        return "contact_stats" if as_of is None else "as_of_stats"

    @staticmethod
    def ctes(as_of: AsOf | None) -> str:
        return "" if as_of is None else as_of.cte()

    @staticmethod
    def arg(as_of: AsOf | None) -> str | None:
        return None if as_of is None else as_of.later


_AS_OF_CTE = """
later (contact_id, num, den, n, last_at, inferred) AS MATERIALIZED (
  SELECT CAST(key AS INTEGER), json_extract(value, '$[0]'), json_extract(value, '$[1]'),
    json_extract(value, '$[2]'), json_extract(value, '$[3]'), json_extract(value, '$[4]')
  FROM json_each(:as_of)
),
as_of_stats AS (
  SELECT st.contact_id AS contact_id,
    st.interaction_count - coalesce(l.n, 0) AS interaction_count,
    CASE WHEN l.contact_id IS NULL THEN st.last_at ELSE l.last_at END AS last_at,
    CASE WHEN l.contact_id IS NULL THEN st.inferred_cadence_days ELSE l.inferred END
      AS inferred_cadence_days,
    st.balance_num - coalesce(l.num, 0) AS balance_num,
    st.balance_den - coalesce(l.den, 0) AS balance_den,
    st.win_all AS win_all, st.win_recent AS win_recent, st.win_me AS win_me,
    st.win_them AS win_them, st.win_mutual AS win_mutual
  FROM contact_stats st LEFT JOIN later l ON l.contact_id = st.contact_id
),"""


# --- window counts ------------------------------------------------------------------------


class Window(NamedTuple):
    """Boundaries in epoch seconds: the drift windows [previous_start, recent_start) and
    [recent_start, end_at), and the initiator counts' window [counts_start, end_at)."""

    previous_start: int
    recent_start: int
    counts_start: int
    end_at: int


_BY_TIME = "interaction_participant p INDEXED BY ix_participant_time"  # covering


def _counted(w: Window, contact_ids: Sequence[int] | None) -> str:
    """(contact_id, n_all, n_recent, me, them, mutual) counted afresh for ``w``."""
    source, only = _BY_TIME, ""
    if contact_ids is not None:  # a few contacts: their own rows, by ix_participant_contact_time
        source = "interaction_participant p"
        only = f" AND p.contact_id IN ({','.join(str(int(i)) for i in contact_ids)})"
    c = w.counts_start
    return (
        f"SELECT p.contact_id, sum(p.occurred_at >= {w.previous_start}) AS n_all,"
        f" sum(p.occurred_at >= {w.recent_start}) AS n_recent,"
        f" sum(p.occurred_at >= {c} AND p.initiator = 'me') AS me,"
        f" sum(p.occurred_at >= {c} AND p.initiator = 'them') AS them,"
        f" sum(p.occurred_at >= {c} AND p.initiator = 'mutual') AS mutual"
        f" FROM {source} WHERE p.occurred_at >= {min(w.previous_start, c)}"
        f" AND p.occurred_at < {w.end_at}{only} GROUP BY p.contact_id"
    )


def _moved(old: Window, new: Window) -> str:
    """What to add to counts for ``old`` to get counts for ``new``: a window [s, e) that
    becomes [s2, e2) gains [e, e2) and loses [s, s2), each a signed range (negative when
    the boundary moved back); one covering-index range scan per boundary that moved."""
    parts = []

    def move(a: int, b: int, sign: int, flags: tuple[int, int, int]) -> None:
        if a == b:
            return
        s = sign if b > a else -sign
        n_all, n_recent, counts = (s * f for f in flags)
        parts.append(
            f"SELECT p.contact_id AS contact_id, {n_all} AS a, {n_recent} AS r,"
            f" {counts} * (p.initiator = 'me') AS m, {counts} * (p.initiator = 'them') AS t,"
            f" {counts} * (p.initiator = 'mutual') AS u FROM {_BY_TIME}"
            f" WHERE p.occurred_at >= {min(a, b)} AND p.occurred_at < {max(a, b)}"
        )

    move(old.end_at, new.end_at, +1, (1, 1, 1))  # every window ends at end_at
    move(old.previous_start, new.previous_start, -1, (1, 0, 0))
    move(old.recent_start, new.recent_start, -1, (0, 1, 0))
    move(old.counts_start, new.counts_start, -1, (0, 0, 1))
    return (
        "SELECT contact_id, sum(a) AS n_all, sum(r) AS n_recent, sum(m) AS me, sum(t) AS them,"
        f" sum(u) AS mutual FROM ({' UNION ALL '.join(parts)}) GROUP BY contact_id"
    )


def _span(w: Window) -> int:
    return w.end_at - min(w.previous_start, w.counts_start)


def _distance(old: Window, new: Window) -> int:
    return sum(abs(a - b) for a, b in zip(old, new, strict=True))


_STORED = {
    "all": "s.win_all",
    "recent": "s.win_recent",
    "me": "s.win_me",
    "them": "s.win_them",
    "mutual": "s.win_mutual",
}


class Windows(NamedTuple):
    """The window counts for ``target`` as a statement reads them: the stored base
    (``contact_stats s``) when it is for ``target`` (``delta`` None); the base plus
    ``delta`` when it is for other boundaries (``base``); or ``delta`` alone, counted
    afresh. ``delta`` is a query of (contact_id, n_all, n_recent, me, them, mutual)."""

    target: Window
    delta: str | None
    base: bool

    @classmethod
    def of(
        cls, anchor: Window | None, target: Window, contact_ids: Sequence[int] | None = None
    ) -> Windows:
        """For a base kept for ``anchor`` (None: no base); ``contact_ids``: only these
        contacts are read, and are counted afresh from their own rows."""
        if contact_ids is not None:
            return cls(target, _counted(target, contact_ids), False)
        if anchor == target:
            return cls(target, None, True)
        if anchor is None or _distance(anchor, target) >= _span(target):
            return cls(target, _counted(target, None), False)
        return cls(target, _moved(anchor, target), True)

    def cte(self) -> str:
        """``delta AS MATERIALIZED (...),`` to open a WITH clause, or nothing."""
        return f"delta AS MATERIALIZED ({self.delta})," if self.delta else ""

    def join(self) -> str:
        return " LEFT JOIN delta d ON d.contact_id = c.id" if self.delta else ""

    def count(self, name: str) -> str:
        """The SQL of a count: all, recent, previous, me, them or mutual."""
        if name == "previous":
            return f"({self.count('all')} - {self.count('recent')})"
        column = "n_" + name if name in ("all", "recent") else name
        if self.delta is None:  # every contact read has a contact_stats row
            return _STORED[name]
        if self.base:
            return f"({_STORED[name]} + coalesce(d.{column}, 0))"
        return f"coalesce(d.{column}, 0)"


def window_anchor(conn: sqlite3.Connection) -> Window | None:
    """The boundaries the stored base counts are for (None: no base yet)."""
    row = conn.execute(
        "SELECT previous_start, recent_start, counts_start, end_at FROM stats_window WHERE id = 1"
    ).fetchone()
    return Window(*row) if row else None


def window_deltas(conn: sqlite3.Connection, windows: Windows) -> list[tuple[int, ...]]:
    """The rows of ``windows.delta``: (contact_id, all, recent, me, them, mutual)."""
    if windows.delta is None:
        return []
    return conn.execute(windows.delta).fetchall()


# --- cadence and due ----------------------------------------------------------------------


class CadenceRow(NamedTuple):
    explicit: int | None  # contact.cadence_days as set
    days: int | None  # the cadence in force (None: not tracked)
    source: str | None  # explicit | tag | inferred
    tag: str | None  # the tag it comes from (ties by name)
    interactions: int
    last_day: int | None  # local day of the last interaction, days since 1970-01-01
    snoozed_until: str | None  # while the snooze runs past today


def cadence_row(
    conn: sqlite3.Connection, local: ZoneSQL, contact_id: int, today_iso: str
) -> CadenceRow | None:
    """One contact's cadence, where it comes from, and the facts `show` weighs with it."""
    local.attach(conn)
    row = conn.execute(
        f"SELECT c.cadence_days, {CADENCE}, {CADENCE_SOURCE}, {CADENCE_TAG},"
        f" coalesce(s.interaction_count, 0), {local.day('s.last_at')},"
        f" CASE WHEN {SNOOZED} THEN c.snoozed_until END"
        " FROM contact c LEFT JOIN contact_stats s ON s.contact_id = c.id WHERE c.id = :id",
        {"id": contact_id, "today_iso": today_iso},
    ).fetchone()
    return CadenceRow(*row) if row else None


def cadence_tags(conn: sqlite3.Connection, ids: Sequence[int]) -> dict[int, str]:
    """The tag each of ``ids`` takes its cadence from (:data:`CADENCE_TAG`), for those
    whose cadence in force is a tag's."""
    marks = ", ".join("?" * len(ids))
    rows = conn.execute(
        f"SELECT c.id, {CADENCE_TAG} FROM contact c LEFT JOIN contact_stats s"
        f" ON s.contact_id = c.id WHERE c.id IN ({marks}) AND {CADENCE_SOURCE} = 'tag'",
        list(ids),
    )
    return {cid: name for cid, name in rows if name is not None}


_DUE = """
WITH {as_of} candidate AS (
  SELECT id, name, cadence, source, since, last_at FROM (
    SELECT c.id AS id, c.display_name AS name, {cadence} AS cadence, {source} AS source,
      coalesce(s.last_at, c.created_at) AS since, s.last_at AS last_at
    FROM contact c LEFT JOIN {stats} s ON s.contact_id = c.id
    WHERE c.archived_at IS NULL{filters}
  )
  WHERE cadence IS NOT NULL{horizon}
),
dated AS MATERIALIZED (  -- the local day computed once per row, not once per use
  SELECT id, name, cadence, source, last_at, {since_day} AS since_day FROM candidate
),
due AS (
  SELECT id, name, cadence, source, last_at,
    CASE WHEN last_at IS NULL THEN NULL ELSE since_day END AS last_day,
    since_day + cadence AS due_day,
    :today - since_day - cadence AS overdue,
    -- floor((2000 * days_since + cadence) / (2 * cadence)): "/" truncates towards zero,
    -- so the numerator is shifted positive by a multiple of the divisor
    (2000 * (:today - since_day) + cadence + 2000000000000 * cadence) / (2 * cadence)
      - 1000000000000 AS milli
  FROM dated{within}
)
"""
_DUE_ORDER = "ORDER BY milli DESC, overdue DESC, name COLLATE BINARY, id"
_NOT_SNOOZED = f" AND NOT {SNOOZED}"
_TAGGED = (
    " AND EXISTS (SELECT 1 FROM contact_tag ct JOIN tag t ON t.id = ct.tag_id"
    " WHERE ct.contact_id = c.id AND t.name = :tag)"
)


class DueQuery(NamedTuple):
    """Who is due on ``today`` (days since 1970-01-01, local) or within ``within`` days
    (None: every tracked contact, due or not)."""

    today: int
    within: int | None
    horizon: int | None  # epoch seconds: a pre-filter, one day past the last local day asked
    today_iso: str
    tag: str | None = None
    contact_id: int | None = None  # only this contact (`show`)
    snoozed: bool = False  # also contacts snoozed past today (the calendar's reconnects)
    as_of: AsOf | None = None  # the history as of the end of a past day (None: all of it)

    def sql(self, local: ZoneSQL) -> str:
        filters = ("" if self.snoozed else _NOT_SNOOZED) + (_TAGGED if self.tag else "")
        if self.contact_id is not None:
            filters += " AND c.id = :contact_id"
        return _DUE.format(
            as_of=AsOf.ctes(self.as_of),
            stats=AsOf.stats(self.as_of),
            cadence=CADENCE,
            source=CADENCE_SOURCE,
            filters=filters,
            horizon="" if self.horizon is None else " AND since + cadence * 86400 <= :horizon",
            since_day=local.day("since"),
            within="" if self.within is None else " WHERE :today - since_day - cadence >= -:within",
        )

    def args(self) -> dict[str, object]:
        return {**self._asdict(), "as_of": AsOf.arg(self.as_of)}


def _limit(limit: int | None) -> str:
    return f" LIMIT {int(limit)}" if limit else ""


def due_rows(
    conn: sqlite3.Connection, local: ZoneSQL, query: DueQuery, limit: int | None = None
) -> tuple[list[tuple], int]:
    """The ``limit`` most urgent due contacts (all without a limit), as (urgency in
    thousandths, overdue days, name, id, day of the last contact or None, cadence days,
    cadence source, due day), and how many are due; days count from 1970-01-01 in the
    user's zone."""
    local.attach(conn)
    sql = f"{query.sql(local)} SELECT milli, overdue, name, id, last_day, cadence, source,"
    sql += f" due_day, (SELECT count(*) FROM due) FROM due {_DUE_ORDER}{_limit(limit)}"
    rows = conn.execute(sql, query.args()).fetchall()
    return [row[:-1] for row in rows], rows[0][-1] if rows else 0


_DUE_JSON = (
    "json_object('id', id, 'name', name, 'last_contact', {last}, 'cadence_days', cadence,"
    " 'cadence_source', source, 'due_on', {due}, 'overdue_days', overdue,"
    " 'urgency', milli / 1000.0)"
)


def due_json(
    conn: sqlite3.Connection, local: ZoneSQL, query: DueQuery, limit: int | None = None
) -> bytes | None:
    """The rows of :func:`due_rows` as compact JSON objects (SQLite writes a REAL with up
    to 15 significant digits, so thousandths print as Python prints them), joined by
    ``sqljson.JSON_SEPARATOR``; None when nobody is due."""
    local.attach(conn)
    text = _DUE_JSON.format(last=day_text_sql("last_day"), due=day_text_sql("due_day"))
    ranked = f"SELECT * FROM due {_DUE_ORDER}{_limit(limit)}"
    sql = f"{query.sql(local)} SELECT {text} AS t FROM ({ranked})"  # sorted, then written
    return joined(conn, sql, query.args())


def reconnect_rows(conn: sqlite3.Connection, local: ZoneSQL, query: DueQuery) -> list[tuple]:
    """(uid, name, due day, snoozed_until, updated_at, last_at) of the contacts ``query``
    finds (the calendar asks for every tracked one, snoozed too), by uid."""
    local.attach(conn)
    sql = (
        f"{query.sql(local)} SELECT c.uid, due.name, due.due_day, c.snoozed_until,"
        " c.updated_at, due.last_at FROM due JOIN contact c ON c.id = due.id ORDER BY c.uid"
    )
    return conn.execute(sql, query.args()).fetchall()


# --- losing touch -------------------------------------------------------------------------

_LOSING = """
WITH {as_of} lost AS MATERIALIZED (
  SELECT c.id AS id, c.display_name AS name, s.last_at AS last_at, c.created_at AS created_at,
    coalesce(s.last_at, c.created_at) AS since, coalesce(s.interaction_count, 0) AS n
  FROM contact c LEFT JOIN {stats} s ON s.contact_id = c.id
  WHERE c.archived_at IS NULL AND {untracked} AND NOT {snoozed}{tagged}
    AND coalesce(s.last_at, c.created_at) < :cutoff
),
dated AS (
  SELECT *, {since_day} AS since_day FROM lost{edge}
),
ranked AS (
  SELECT id, name, CASE WHEN last_at IS NULL THEN NULL ELSE since_day END AS last_day,
    {added_day} AS added_day, :today - since_day AS days, n, since_day
  FROM dated ORDER BY since_day, name COLLATE BINARY, id{limit}
)
"""
_LOSING_ORDER = "ORDER BY since_day, name COLLATE BINARY, id"
_EDGE = (  # the first ``limit`` by local day are all within two days (a local day lasts
    # 25 hours at most) of the limit-th oldest instant: only those need their local day
    " WHERE since <= coalesce("
    "(SELECT since FROM lost ORDER BY since LIMIT 1 OFFSET {skip}) + 172800, since)"
)


class LosingQuery(NamedTuple):
    """Who is losing touch on ``today`` (days since 1970-01-01, local): ``cutoff`` is the
    epoch second at which the local day ``today - days`` begins (nobody contacted or added
    since then is listed). ``limit``: the first so many (None: all; 0: none, only the
    count)."""

    today: int
    cutoff: int
    today_iso: str
    tag: str | None = None
    limit: int | None = None
    as_of: AsOf | None = None  # the history as of the end of a past day (None: all of it)

    def sql(self, local: ZoneSQL) -> str:
        edge = "" if not self.limit else _EDGE.format(skip=int(self.limit) - 1)
        return _LOSING.format(
            as_of=AsOf.ctes(self.as_of),
            stats=AsOf.stats(self.as_of),
            snoozed=SNOOZED,
            tagged=_TAGGED if self.tag else "",
            untracked=UNTRACKED,
            since_day=local.day("since"),
            added_day=local.day("created_at"),
            edge=edge,
            limit=_limit(self.limit),
        )

    def args(self) -> dict[str, object]:
        return {"today": self.today, "cutoff": self.cutoff, "today_iso": self.today_iso,
                "tag": self.tag, "as_of": AsOf.arg(self.as_of)}  # fmt: skip


def untracked(conn: sqlite3.Connection, today_iso: str, named: int) -> tuple[int, list[str]]:
    """How many active contacts ``due`` does not track: no cadence of their own, from a
    tag or inferred (and not snoozed: those are out of ``due`` for another reason); and
    the names of the first ``named`` of them by name."""
    where = (
        "FROM contact c LEFT JOIN contact_stats s ON s.contact_id = c.id"
        f" WHERE c.archived_at IS NULL AND {UNTRACKED} AND NOT {SNOOZED}"
    )
    args = {"today_iso": today_iso, "named": named}
    (count,) = conn.execute(f"SELECT count(*) {where}", args).fetchone()
    rows = conn.execute(f"SELECT c.display_name {where} ORDER BY 1, c.id LIMIT :named", args)
    return count, [name for (name,) in rows]


def losing_touch_rows(
    conn: sqlite3.Connection, local: ZoneSQL, query: LosingQuery
) -> tuple[list[tuple], int]:
    """The ``query.limit`` contacts losing touch longest, as (id, name, day of the last
    contact or None, day added, days since, interactions), and how many there are; days
    count from 1970-01-01 in the user's zone."""
    local.attach(conn)
    if query.limit == 0:
        count = f"{query.sql(local)} SELECT count(*) FROM lost"
        return [], conn.execute(count, query.args()).fetchone()[0]
    sql = f"{query.sql(local)} SELECT id, name, last_day, added_day, days, n,"
    sql += f" (SELECT count(*) FROM lost) FROM ranked {_LOSING_ORDER}"
    rows = conn.execute(sql, query.args()).fetchall()
    return [row[:-1] for row in rows], rows[0][-1] if rows else 0


_LOSING_JSON = (
    "json_object('id', id, 'name', name, 'last_contact', {last}, 'added_on', {added},"
    " 'days_since', days, 'interactions', n)"
)


def losing_touch_json(conn: sqlite3.Connection, local: ZoneSQL, query: LosingQuery) -> bytes | None:
    """The rows of :func:`losing_touch_rows` as compact JSON objects joined by
    ``sqljson.JSON_SEPARATOR``; None when nobody is losing touch."""
    local.attach(conn)
    text = _LOSING_JSON.format(last=day_text_sql("last_day"), added=day_text_sql("added_day"))
    sql = f"{query.sql(local)} SELECT {text} AS t FROM ranked {_LOSING_ORDER}"
    return joined(conn, sql, query.args())


# --- balance ------------------------------------------------------------------------------

_BALANCE = """
WITH {ctes} b AS {materialized} (
  SELECT c.id AS id, c.display_name AS name, {n} AS n,
    CASE WHEN {n} > 0 AND {den} > 0 THEN max(-1.0, min(1.0, {num} / {den})) END AS v,
    {me} AS me, {them} AS them, {mutual} AS mutual, {recent} AS recent, {previous} AS previous
  FROM contact c LEFT JOIN {stats} s ON s.contact_id = c.id{joins}
  WHERE {where}
),
ranked AS (
  SELECT * FROM b{candidates}
  ORDER BY abs(coalesce(v, 0)) DESC, name COLLATE BINARY, id{limit}
),
labelled AS (
  SELECT *, v * 1000 + 0.5 AS w,
    CASE WHEN v IS NULL THEN NULL WHEN {balanced} THEN 'balanced'
         WHEN v > 0 THEN 'you_give_more' ELSE 'they_give_more' END AS label
  FROM (SELECT *, {snapped} AS r FROM ranked)
)
SELECT {select} FROM labelled{keep}
"""
_BALANCED = "(r > -:threshold AND r < :threshold)"  # the label and the one-sided list
_SNAPPED = (  # r: the balance, or the threshold itself when within 1e-9 of it
    "CASE WHEN abs(abs(v) - :threshold) < 1e-9"
    " THEN CASE WHEN v < 0 THEN -:threshold ELSE :threshold END ELSE v END"
)
_SHOWN = "(CAST(w AS INTEGER) - (w < CAST(w AS INTEGER))) / 1000.0"  # floor(w) / 1000


class BalanceQuery(NamedTuple):
    """Whose balances: every active contact with interactions; or ``contact_ids`` (any,
    with or without interactions); or, with ``one_sided``, the active contacts that are
    not balanced, with at least ``min_interactions``. ``as_of``: the sums and count as of
    the end of a day (:class:`AsOf`; None: all of the history). ``windows``: how the
    initiator and drift counts are read."""

    threshold: float
    windows: Windows
    contact_ids: Sequence[int] | None = None
    one_sided: bool = False
    min_interactions: int = 0
    as_of: AsOf | None = None
    limit: int | None = None
    awake_on: str | None = None  # an ISO day: leaves out the contacts snoozed past it

    def sql(self, select: str) -> str:
        w = self.windows
        sums = {"num": "s.balance_num", "den": "s.balance_den", "n": "s.interaction_count"}
        ctes, joins = AsOf.ctes(self.as_of) + w.cte(), w.join()
        if self.contact_ids is not None:  # with or without interactions
            sums["n"] = f"coalesce({sums['n']}, 0)"
            where = f"c.id IN ({','.join(str(int(i)) for i in self.contact_ids)})"
        else:
            where = "s.interaction_count > 0 AND c.archived_at IS NULL"
        if self.awake_on is not None:
            where += _NOT_SNOOZED
        candidates = keep = ""
        materialized = "MATERIALIZED"  # each row's balance computed once
        if self.one_sided:
            # the balanced ones come last in the ranking: the first ``limit`` candidates
            # hold the first ``limit`` that are not balanced, and only they are labelled
            candidates = " WHERE v IS NOT NULL AND n >= :min_interactions"
            keep = f" WHERE NOT {_BALANCED}"
            materialized = ""
        counts = {k: w.count(k) for k in ("me", "them", "mutual", "recent", "previous")}
        return _BALANCE.format(
            ctes=ctes, joins=joins, where=where, keep=keep, limit=_limit(self.limit),
            stats=AsOf.stats(self.as_of),
            select=select, balanced=_BALANCED, snapped=_SNAPPED, materialized=materialized,
            candidates=candidates, **sums, **counts,
        )  # fmt: skip

    def args(self) -> dict[str, object]:
        return {
            "threshold": self.threshold,
            "min_interactions": self.min_interactions,
            "as_of": AsOf.arg(self.as_of),
            "today_iso": self.awake_on,
        }


class BalanceRow(NamedTuple):
    id: int
    name: str
    value: float | None  # the balance, clamped to [-1, 1]
    balance: float | None  # as shown: 3 decimals, half up
    label: str | None
    me: int
    them: int
    mutual: int
    interactions: int
    recent: int  # the drift windows' counts (for health)
    previous: int


def balance_rows(conn: sqlite3.Connection, query: BalanceQuery) -> list[BalanceRow]:
    """The balances ``query`` asks for, most one-sided first."""
    sql = query.sql(f"id, name, v, {_SHOWN}, label, me, them, mutual, n, recent, previous")
    return [BalanceRow(*r) for r in conn.execute(sql, query.args())]


_BALANCE_JSON = (
    f"json_object('id', id, 'name', name, 'balance', {_SHOWN}, 'label', label,"
    " 'initiated_by_me', me, 'initiated_by_them', them, 'mutual', mutual)"
)


def balance_json(conn: sqlite3.Connection, query: BalanceQuery) -> bytes | None:
    """:func:`balance_rows` as compact JSON objects joined by ``sqljson.JSON_SEPARATOR``
    (None for nobody), written by SQLite: 100k contacts never pass through Python."""
    return joined(conn, query.sql(f"{_BALANCE_JSON} AS t"), query.args())


# --- drift --------------------------------------------------------------------------------

_DRIFT = """
WITH {ctes} counted AS NOT MATERIALIZED (
  SELECT c.id AS id, c.display_name AS name, {recent} AS recent, {previous} AS previous
  FROM contact_stats s JOIN contact c ON c.id = s.contact_id{joins}
  WHERE c.archived_at IS NULL AND {previous} >= :min_previous{awake}
),
rated AS NOT MATERIALIZED (
  SELECT *, recent * 1.0 / :recent_days * 30 AS recent_rate,
    previous * 1.0 / :previous_days * 30 AS previous_rate
  FROM counted
),
drifting AS MATERIALIZED (SELECT * FROM rated WHERE recent_rate < :ratio * previous_rate)
SELECT id, name, recent, previous, round(recent_rate, 2), round(previous_rate, 2),
  (SELECT count(*) FROM drifting)
FROM drifting
ORDER BY (recent * :previous_days) * 1.0 / (previous * :recent_days), name COLLATE BINARY, id
"""


class DriftRow(NamedTuple):
    id: int
    name: str
    recent_count: int
    previous_count: int
    recent_rate: float  # per 30 days, 2 decimals
    previous_rate: float


def drift_rows(
    conn: sqlite3.Connection,
    windows: Windows,
    *,
    min_previous: int,
    recent_days: int,
    previous_days: int,
    ratio: float,
    limit: int | None = None,
    awake_on: str | None = None,
) -> tuple[list[DriftRow], int]:
    """The ``limit`` most faded drifting relationships among the active contacts (all
    without a limit), and how many there are. ``awake_on`` (an ISO day): leaves out the
    contacts snoozed past it (the digest's section)."""
    sql = _DRIFT.format(
        ctes=windows.cte(),
        joins=windows.join(),
        recent=windows.count("recent"),
        previous=windows.count("previous"),
        awake="" if awake_on is None else _NOT_SNOOZED,
    )
    args = {
        "min_previous": min_previous,
        "recent_days": recent_days,
        "previous_days": previous_days,
        "ratio": ratio,
        "today_iso": awake_on,
    }
    rows = conn.execute(sql + _limit(limit), args).fetchall()
    return [DriftRow(*r[:6]) for r in rows], rows[0][6] if rows else 0
