"""Epoch-second timestamps <-> aware datetimes (the storage convention of models.py)."""

from __future__ import annotations

from datetime import UTC, datetime


def from_ts(ts: int | None) -> datetime | None:
    return None if ts is None else datetime.fromtimestamp(ts, UTC)
