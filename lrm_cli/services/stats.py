"""Keeping ``contact_stats`` right: folded in on every log, recomputed when needed.

The balance sums use the incremental form of DESIGN §3 (the decay factor cancels), so a
new interaction costs two additions per participant; the inferred cadence needs the last
few interaction times, one index seek. The window counts (drift, initiator counts) keep a
base for one day, moved at write time; reads for another day move it in their own
statement (``store/scheduler_sql.py``), so a read never writes.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import TYPE_CHECKING

from lrm_cli.settings import BALANCE_EPOCH, SchedulerSettings, drift_windows
from lrm_cli.store import stats as store
from lrm_cli.store.scheduler_sql import AsOf, Window, Windows, window_anchor

if TYPE_CHECKING:
    from lrm_cli.clock import Clock

SECONDS_PER_DAY = 86400
_EPOCH_TS = datetime(
    BALANCE_EPOCH.year, BALANCE_EPOCH.month, BALANCE_EPOCH.day, tzinfo=UTC
).timestamp()


def stats_key(settings: SchedulerSettings, zone: tzinfo) -> str:
    """Names what the stored aggregates depend on: the settings, and the zone whose
    calendar days the inferred cadence counts; a change of either forces a recompute."""
    weights = sorted(settings.kind_weights.items())
    text = (
        f"{settings.half_life_days}|{weights}|{settings.inferred_sample}|"
        f"{settings.inferred_min_interactions}|{settings.inferred_min_days}|"
        f"{settings.inferred_max_days}|{zone}"
    )
    try:  # the same digest as hashlib's, without loading OpenSSL (~5 ms) for reads
        from _sha1 import sha1
    except ImportError:  # pragma: no cover - a Python built without it
        from hashlib import sha1
    return sha1(text.encode()).hexdigest()[:12]


def epoch_days(ts: int) -> float:
    return (ts - _EPOCH_TS) / SECONDS_PER_DAY


def local_day(ts: int, zone: tzinfo) -> date:
    """The calendar day of ``ts`` where the user is (DESIGN §2: the scheduler counts
    local days)."""
    return datetime.fromtimestamp(ts, zone).date()


def target_window(today: date, zone: tzinfo, settings: SchedulerSettings) -> Window:
    """The window boundaries for ``today`` (local midnights, as epoch seconds)."""
    previous_start, recent_start, end = drift_windows(today, settings)
    return Window(
        previous_start=midnight(previous_start, zone),
        recent_start=midnight(recent_start, zone),
        counts_start=midnight(today - timedelta(days=settings.window_days), zone),
        end_at=midnight(end, zone),
    )


def midnight(day: date, zone: tzinfo) -> int:
    """The epoch second at which ``day`` starts in ``zone``."""
    return int(datetime(day.year, day.month, day.day, tzinfo=zone).timestamp())


def day_end(day: date, zone: tzinfo) -> AsOf:
    """The end of ``day`` (the next local midnight) with nothing to correct: what had
    happened or existed by then (``AsOf.happened``: a reminder, a note) when no
    interaction came after it (:func:`as_of` is None)."""
    return AsOf(midnight(day + timedelta(days=1), zone), "{}")


def as_of(
    conn: sqlite3.Connection, day: date, zone: tzinfo, settings: SchedulerSettings
) -> AsOf | None:
    """The per-contact history as of the end of ``day`` (``scheduler_sql.AsOf``, whose
    ``happened`` is the one rule of what had happened): for each contact with
    interactions after the day, the share of the maintained balance sums (num, den) and
    of the interaction count that those make up (to take off: with the fixed epoch of the
    sums, DESIGN §3, that is all the balance needs), and its last interaction time and
    inferred cadence as they were (from its last ``inferred_sample`` interactions up to
    the day). None when nothing happened after ``day``: one index range, empty for today
    unless something was logged ahead with --future, so today's reads pay nothing."""
    import json

    from lrm_cli import scheduler

    bound = day_end(day, zone)
    later: dict[int, list] = defaultdict(lambda: [0.0, 0.0, 0, None, None])
    for cid, at, initiator, kind, weight in store.participations_after(conn, bound):
        num, den = scheduler.balance_terms(epoch_days(at), initiator, kind, weight, settings)
        sums = later[cid]
        sums[0] += num
        sums[1] += den
        sums[2] += 1
    if not later:
        return None
    sample = settings.inferred_sample
    for cid, times in store.last_times_before(conn, list(later), bound, sample).items():
        days = [local_day(t, zone) for t in times]
        later[cid][3:] = [times[-1], scheduler.infer_cadence(days, settings)]
    return bound._replace(later=json.dumps({str(cid): v for cid, v in later.items()}))


def windows(
    conn: sqlite3.Connection,
    today: date,
    zone: tzinfo,
    settings: SchedulerSettings,
    contact_ids: Sequence[int] | None = None,
) -> Windows:
    """How a read (in the caller's transaction) gets the window counts for ``today``: from
    the stored base, moved in the statement itself when the base is for another day;
    ``contact_ids``: only these contacts, counted afresh."""
    return Windows.of(window_anchor(conn), target_window(today, zone, settings), contact_ids)


def move_windows(
    conn: sqlite3.Connection, today: date, zone: tzinfo, settings: SchedulerSettings
) -> None:
    """Bring the stored base of the window counts to ``today``'s boundaries, in the
    caller's write transaction: each boundary that moved from a to b adds or removes the
    participations in [a, b) (one covering-index range scan each, a day's worth of rows
    for a daily use); a jump longer than the windows counts them afresh."""
    store.move_windows(conn, target_window(today, zone, settings))


def fold_interaction(
    conn: sqlite3.Connection,
    contact_ids: Iterable[int],
    *,
    occurred_at: int,
    initiator: str,
    kind: str,
    weight: float | None,
    settings: SchedulerSettings,
    clock: Clock,
) -> None:
    """Fold a new interaction into its participants' aggregates and move the window
    counts' base to the clock's day (reads then find it current)."""
    from lrm_cli import scheduler

    key = stats_key(settings, clock.zone)
    num, den = scheduler.balance_terms(epoch_days(occurred_at), initiator, kind, weight, settings)
    ids = list(contact_ids)
    for contact_id in ids:
        store.add_interaction(conn, contact_id, occurred_at, num, den, key)
        _refresh_inferred(conn, contact_id, settings, clock.zone)
    store.recount_windows(conn, ids)
    move_windows(conn, clock.today, clock.zone, settings)


def _refresh_inferred(
    conn: sqlite3.Connection, contact_id: int, settings: SchedulerSettings, zone: tzinfo
) -> None:
    from lrm_cli import scheduler

    times = store.last_times(conn, contact_id, settings.inferred_sample)
    days = [local_day(t, zone) for t in times]
    store.set_inferred(conn, contact_id, scheduler.infer_cadence(days, settings))


def recompute(
    conn: sqlite3.Connection,
    contact_ids: Iterable[int],
    settings: SchedulerSettings,
    zone: tzinfo,
) -> int:
    """Rebuild the aggregates of these contacts from their interactions."""

    key = stats_key(settings, zone)
    ids = list(contact_ids)
    store.replace(
        conn,
        (_aggregate(cid, rows, key, settings, zone) for cid, rows in store.histories(conn, ids)),
    )
    store.recount_windows(conn, ids)
    return len(ids)


def _aggregate(
    contact_id: int,
    rows: list[store.HistoryRow],
    key: str,
    settings: SchedulerSettings,
    zone: tzinfo,
) -> store.StatsRow:
    """A contact's aggregates from its whole history (oldest first)."""
    from lrm_cli import scheduler

    num = den = 0.0
    for row in rows:
        n, d = scheduler.balance_terms(
            epoch_days(row.occurred_at), row.initiator, row.kind, row.weight, settings
        )
        num += n
        den += d
    recent = [local_day(r.occurred_at, zone) for r in rows[-settings.inferred_sample :]]
    return store.StatsRow(
        contact_id,
        count=len(rows),
        first_at=rows[0].occurred_at if rows else None,
        last_at=rows[-1].occurred_at if rows else None,
        inferred=scheduler.infer_cadence(recent, settings),
        num=num,
        den=den,
        key=key,
    )


def ensure_fresh(db, settings: SchedulerSettings, zone: tzinfo, today: date | None = None) -> int:
    """The first use's work, done once: recompute the rows made with other settings or
    in another zone (or left stale by a migration); with ``today``, also give the window
    counts a base when they have none yet (a database no lrm of this version has
    written). Reads write nothing else: a base for another day is moved in the read
    itself (:func:`windows`)."""
    key = stats_key(settings, zone)
    with db.read() as conn:
        stale = store.stale_contacts(conn, key)
        unbased = today is not None and store.lacks_window_base(conn)
    if not stale and not unbased:
        return 0
    with db.write() as conn:
        done = recompute(conn, store.stale_contacts(conn, key), settings, zone)
        if today is not None:
            move_windows(conn, today, zone, settings)
        return done
