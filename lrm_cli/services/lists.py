"""The long JSON lists (``list``, ``due``, ``balance`` with ``--json``), written by
SQLite and handed to stdout as bytes (``list`` a batch of rows at a time, the others
whole): at 100k contacts a row passing through Python costs more than the query. Kept
apart from services/schedule.py, and importing little, because start-up is part of every
one of these commands (scripts and cron run them daily)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from lrm_cli.clock import Clock
from lrm_cli.services.stats import ensure_fresh, midnight, windows
from lrm_cli.settings import SchedulerSettings
from lrm_cli.store import scheduler_sql
from lrm_cli.store.db import Database
from lrm_cli.store.localtime import ZoneSQL

EPOCH_ORDINAL = date(1970, 1, 1).toordinal()


def list_filters(filters: dict) -> dict:
    """``lrm list``'s filters as the store takes them: the tag normalised; a search of
    digits also finds phones holding them in any formatting (as ``lrm search`` does)."""
    if filters.get("tag"):
        from lrm_cli.normalize import normalize_tag

        filters["tag"] = normalize_tag(filters["tag"])
    if filters.get("search"):
        from lrm_cli.services.search import phone_digits

        filters["phone_runs"] = phone_digits(filters["search"])
    return filters


def list_json(db: Database, clock: Clock, **filters) -> Iterator[bytes]:
    """``services.contacts.list_contacts`` as JSON objects, one a contact, read as they
    are written (``store.listing.list_json_rows``) inside one read transaction: from the
    list cache (store/list_cache.py) when it holds every contact's, after filling it
    with those it lacks; written afresh when it cannot be filled (a busy or read-only
    database)."""
    from lrm_cli.store import list_cache
    from lrm_cli.store.listing import list_json_rows, shape_key

    local = ZoneSQL(clock.zone, clock.timestamp)
    key = shape_key(local)
    filters = list_filters(filters)
    for last_try in (False, True):
        with db.read() as conn:
            cached = list_cache.complete(conn, key)
            if cached or last_try:
                yield from list_json_rows(conn, local, **filters, from_cache=cached)
                return
        list_cache.fill(db.conn, local, key)  # best effort: the last try checks again


def due_query(
    db: Database,
    clock: Clock,
    settings: SchedulerSettings,
    within: str | None,
    tag: str | None,
    as_of: scheduler_sql.AsOf | None = None,
) -> tuple[scheduler_sql.DueQuery, ZoneSQL]:
    """The due question for ``clock.today`` (aggregates refreshed first); ``as_of``: over
    the history as of the end of a past day (``services.stats.as_of``)."""
    within_days = 0
    if within is not None:
        from lrm_cli.dates import parse_span_days

        within_days = parse_span_days(within, "--within")
    if tag:
        from lrm_cli.normalize import normalize_tag

        tag = normalize_tag(tag)
    ensure_fresh(db, settings, clock.zone)
    today, zone = clock.today, clock.zone
    query = scheduler_sql.DueQuery(
        today=today.toordinal() - EPOCH_ORDINAL,
        within=within_days,
        # one day of slack: the pre-filter works in seconds, the due date in local days
        horizon=midnight(today + timedelta(days=within_days + 2), zone),
        today_iso=today.isoformat(),
        tag=tag or None,
        as_of=as_of,
    )
    return query, ZoneSQL(zone, clock.timestamp)


def due_json(
    db: Database,
    clock: Clock,
    settings: SchedulerSettings,
    *,
    within: str | None = None,
    tag: str | None = None,
    limit: int | None = None,
) -> bytes | None:
    """``services.schedule.due`` as JSON objects joined by ``",\\n  "`` (None when
    nobody is due)."""
    query, local = due_query(db, clock, settings, within, tag)
    with db.read() as conn:
        return scheduler_sql.due_json(conn, local, query, limit)


def balance_json(
    db: Database, clock: Clock, settings: SchedulerSettings, limit: int | None = None
) -> bytes | None:
    """``services.schedule.balances`` for everyone as JSON objects (None for nobody)."""
    ensure_fresh(db, settings, clock.zone, clock.today)
    with db.read() as conn:
        query = scheduler_sql.BalanceQuery(
            threshold=settings.balanced_threshold,
            windows=windows(conn, clock.today, clock.zone, settings),
            limit=limit,
        )
        return scheduler_sql.balance_json(conn, query)
