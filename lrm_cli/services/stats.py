"""Keeping ``contact_stats`` right: folded in on every log, recomputed when needed.

The balance sums use the incremental form of DESIGN §3 (the decay factor cancels), so a
new interaction costs two additions per participant; the inferred cadence needs the last
few interaction times, one index seek.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterable
from datetime import UTC, date, datetime

from lrm_cli import scheduler
from lrm_cli.scheduler import SchedulerSettings
from lrm_cli.store import stats as store

SECONDS_PER_DAY = 86400
_EPOCH_TS = datetime(
    scheduler.BALANCE_EPOCH.year,
    scheduler.BALANCE_EPOCH.month,
    scheduler.BALANCE_EPOCH.day,
    tzinfo=UTC,
).timestamp()


def stats_key(settings: SchedulerSettings) -> str:
    """Names the settings the stored sums depend on; a change forces a recompute."""
    weights = sorted(settings.kind_weights.items())
    text = (
        f"{settings.half_life_days}|{weights}|{settings.inferred_sample}|"
        f"{settings.inferred_min_interactions}|{settings.inferred_min_days}|"
        f"{settings.inferred_max_days}"
    )
    return hashlib.sha1(text.encode()).hexdigest()[:12]


def epoch_days(ts: int) -> float:
    return (ts - _EPOCH_TS) / SECONDS_PER_DAY


def _utc_day(ts: int) -> date:
    return datetime.fromtimestamp(ts, UTC).date()


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
    key = stats_key(settings)
    num, den = scheduler.balance_terms(epoch_days(occurred_at), initiator, kind, weight, settings)
    for contact_id in contact_ids:
        store.add_interaction(conn, contact_id, occurred_at, num, den, key)
        _refresh_inferred(conn, contact_id, settings)


def _refresh_inferred(conn: sqlite3.Connection, contact_id: int, settings) -> None:
    times = store.last_times(conn, contact_id, settings.inferred_sample)
    store.set_inferred(
        conn, contact_id, scheduler.infer_cadence([_utc_day(t) for t in times], settings)
    )


def recompute(
    conn: sqlite3.Connection, contact_ids: Iterable[int], settings: SchedulerSettings
) -> int:
    """Rebuild the aggregates of these contacts from their interactions."""
    key = stats_key(settings)
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
