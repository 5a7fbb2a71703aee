"""Keeping ``contact_stats`` right: folded in on every log, recomputed when needed.

The balance sums use the incremental form of DESIGN §3 (the decay factor cancels), so a
new interaction costs two additions per participant; the inferred cadence needs the last
few interaction times, one index seek.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta, tzinfo

from lrm_cli.settings import BALANCE_EPOCH, SchedulerSettings, drift_windows
from lrm_cli.store import stats as store

SECONDS_PER_DAY = 86400
_EPOCH_TS = datetime(
    BALANCE_EPOCH.year, BALANCE_EPOCH.month, BALANCE_EPOCH.day, tzinfo=UTC
).timestamp()


def stats_key(settings: SchedulerSettings) -> str:
    """Names the settings the stored sums depend on; a change forces a recompute."""
    weights = sorted(settings.kind_weights.items())
    text = (
        f"{settings.half_life_days}|{weights}|{settings.inferred_sample}|"
        f"{settings.inferred_min_interactions}|{settings.inferred_min_days}|"
        f"{settings.inferred_max_days}"
    )
    try:  # the same digest as hashlib's, without loading OpenSSL (~5 ms) for reads
        from _sha1 import sha1
    except ImportError:  # pragma: no cover - a Python built without it
        from hashlib import sha1
    return sha1(text.encode()).hexdigest()[:12]


def epoch_days(ts: int) -> float:
    return (ts - _EPOCH_TS) / SECONDS_PER_DAY


def _utc_day(ts: int) -> date:
    return datetime.fromtimestamp(ts, UTC).date()


def target_window(today: date, zone: tzinfo, settings: SchedulerSettings) -> store.Window:
    """The window boundaries for ``today`` (local midnights, as epoch seconds)."""
    previous_start, recent_start, end = drift_windows(today, settings)
    return store.Window(
        previous_start=midnight(previous_start, zone),
        recent_start=midnight(recent_start, zone),
        counts_start=midnight(today - timedelta(days=settings.window_days), zone),
        end_at=midnight(end, zone),
    )


def midnight(day: date, zone: tzinfo) -> int:
    """The epoch second at which ``day`` starts in ``zone``."""
    return int(datetime(day.year, day.month, day.day, tzinfo=zone).timestamp())


def sums_after(
    conn: sqlite3.Connection,
    day: date,
    zone: tzinfo,
    settings: SchedulerSettings,
) -> dict[int, tuple[float, float, int]]:
    """Per contact, the share of the maintained balance sums (num, den) and of the
    interaction count that comes from interactions after ``day``: what to take off for
    the balance as of ``day`` (``digest --date`` in the past). With the fixed epoch of the
    sums (DESIGN §3) that is all "as of a day" changes. One index range: empty for today
    unless something was logged ahead with --future."""
    from lrm_cli import scheduler

    later: dict[int, list] = defaultdict(lambda: [0.0, 0.0, 0])
    since = midnight(day + timedelta(days=1), zone)
    for cid, at, initiator, kind, weight in store.participations_since(conn, since):
        num, den = scheduler.balance_terms(epoch_days(at), initiator, kind, weight, settings)
        sums = later[cid]
        sums[0] += num
        sums[1] += den
        sums[2] += 1
    return {cid: (num, den, n) for cid, (num, den, n) in later.items()}


def ensure_windows(db, today: date, zone: tzinfo, settings: SchedulerSettings) -> store.Window:
    """Bring every contact's window counts to ``today``'s boundaries.

    The counts are kept for one set of boundaries (table ``stats_window``); logging folds
    a new interaction in, and when the day moves (or ``--date`` asks for another one) the
    counts move with it: each boundary that moved from a to b adds or removes the
    participations in [a, b), one covering-index range scan each, a day's worth of rows
    for a daily run. A jump longer than the windows themselves rebuilds them instead."""
    target = target_window(today, zone, settings)
    with db.read() as conn:
        if store.window_anchor(conn) == target:
            return target
    with db.write() as conn:
        current = store.window_anchor(conn)
        if current == target:
            return target
        if current is None or _shift_cost(current, target) >= _rebuild_cost(target):
            store.rebuild_windows(conn, target)
        else:
            _shift(conn, current, target)
            store.set_window_anchor(conn, target)
    return target


def _rebuild_cost(w: store.Window) -> int:
    return w.end_at - min(w.previous_start, w.counts_start)


def _shift_cost(old: store.Window, new: store.Window) -> int:
    return sum(abs(getattr(new, f) - getattr(old, f)) for f in store.Window._fields)


def _shift(conn: sqlite3.Connection, old: store.Window, new: store.Window) -> None:
    """count[s2, e2) = count[s1, e1) + count[e1, e2) - count[s1, s2), with signed ranges."""
    deltas: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])

    def move(a: int, b: int, sign: int, columns: tuple[int, ...]) -> None:
        if a == b:
            return
        low, high = min(a, b), max(a, b)
        signed = sign if b > a else -sign
        for cid, n, me, them, mutual in store.range_counts(conn, low, high):
            values = (n, n, me, them, mutual)
            row = deltas[cid]
            for i in columns:
                row[i] += signed * values[i]

    move(old.end_at, new.end_at, +1, (0, 1, 2, 3, 4))  # every window ends at end_at
    move(old.previous_start, new.previous_start, -1, (0,))
    move(old.recent_start, new.recent_start, -1, (1,))
    move(old.counts_start, new.counts_start, -1, (2, 3, 4))
    store.add_to_windows(conn, deltas)


def window_counts_of(times: Iterable[tuple[int, str]], w: store.Window) -> list[int]:
    """[all, recent, me, them, mutual] for (occurred_at, initiator) pairs."""
    out = [0, 0, 0, 0, 0]
    for t, initiator in times:
        if t >= w.end_at:
            continue
        if t >= w.previous_start:
            out[0] += 1
        if t >= w.recent_start:
            out[1] += 1
        if t >= w.counts_start:
            index = {"me": 2, "them": 3, "mutual": 4}.get(initiator)
            if index is not None:
                out[index] += 1
    return out


def fold_interaction(
    conn: sqlite3.Connection,
    contact_ids: Iterable[int],
    *,
    occurred_at: int,
    initiator: str,
    kind: str,
    weight: float | None,
    settings: SchedulerSettings,
) -> None:
    from lrm_cli import scheduler

    key = stats_key(settings)
    num, den = scheduler.balance_terms(epoch_days(occurred_at), initiator, kind, weight, settings)
    anchor = store.window_anchor(conn)
    ids = list(contact_ids)
    for contact_id in ids:
        store.add_interaction(conn, contact_id, occurred_at, num, den, key)
        _refresh_inferred(conn, contact_id, settings)
    if anchor is not None:
        counts = window_counts_of([(occurred_at, initiator)], anchor)
        store.add_to_windows(conn, {cid: counts for cid in ids})


def _refresh_inferred(conn: sqlite3.Connection, contact_id: int, settings) -> None:
    from lrm_cli import scheduler

    times = store.last_times(conn, contact_id, settings.inferred_sample)
    store.set_inferred(
        conn, contact_id, scheduler.infer_cadence([_utc_day(t) for t in times], settings)
    )


def recompute(
    conn: sqlite3.Connection, contact_ids: Iterable[int], settings: SchedulerSettings
) -> int:
    """Rebuild the aggregates of these contacts from their interactions."""
    from lrm_cli import scheduler

    key = stats_key(settings)
    anchor = store.window_anchor(conn)
    done = 0
    for contact_id in contact_ids:
        rows = store.history(conn, contact_id)
        num = den = 0.0
        for row in rows:
            n, d = scheduler.balance_terms(
                epoch_days(row.occurred_at), row.initiator, row.kind, row.weight, settings
            )
            num += n
            den += d
        recent = [_utc_day(r.occurred_at) for r in rows[-settings.inferred_sample :]]
        store.replace(
            conn,
            contact_id,
            count=len(rows),
            first_at=rows[0].occurred_at if rows else None,
            last_at=rows[-1].occurred_at if rows else None,
            inferred=scheduler.infer_cadence(recent, settings),
            num=num,
            den=den,
            key=key,
        )
        if anchor is not None:
            store.set_windows(
                conn,
                contact_id,
                window_counts_of(((r.occurred_at, r.initiator) for r in rows), anchor),
            )
        done += 1
    return done


def ensure_fresh(db, settings: SchedulerSettings) -> int:
    """Recompute rows made with other settings (or left stale by a migration)."""
    key = stats_key(settings)
    with db.read() as conn:
        stale = store.stale_contacts(conn, key)
    if not stale:
        return 0
    with db.write() as conn:
        return recompute(conn, store.stale_contacts(conn, key), settings)
