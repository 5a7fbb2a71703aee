"""Epoch-second timestamps <-> aware datetimes (the storage convention of models.py)."""

from __future__ import annotations

from datetime import UTC, datetime


def to_ts(moment: datetime) -> int:
    if moment.tzinfo is None:
        raise ValueError("naive datetime: lrm stores aware UTC only")
    return int(moment.timestamp())


def from_ts(ts: int | None) -> datetime | None:
    return None if ts is None else datetime.fromtimestamp(ts, UTC)
