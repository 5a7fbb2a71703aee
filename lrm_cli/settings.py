"""The scheduler's settings (``[scheduler]`` in config.toml): a module of its own so
that commands which only read stored aggregates (due, balance) need not import the
scheduler's formulas."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import date, timedelta
from types import MappingProxyType
from typing import Any

from lrm_cli.errors import ConfigError
from lrm_cli.vocabulary import INTERACTION_KINDS, MAX_FUTURE_DAYS

BALANCE_EPOCH = date(2000, 1, 1)
"""t = 0 of the incremental balance sums. 2**(t/H) overflows a double only when t/H
passes 1024: with the default half-life of 180 days, about 500 years after the epoch."""

MAX_BALANCE_EXPONENT = 960
"""The most t/H may be for what lrm is asked to weigh: below 1024, with room for the
sums of a contact's many interactions above one term."""


def shortest_half_life(today: date) -> int:
    """The shortest ``half_life_days`` whose weights (2**(t/H)) do not overflow for an
    interaction logged as far ahead of ``today`` as lrm takes (``MAX_FUTURE_DAYS``):
    11 days in 2026. A shorter one made every command that weighs interactions fail."""
    days = (today - BALANCE_EPOCH).days + MAX_FUTURE_DAYS
    return math.ceil(days / MAX_BALANCE_EXPONENT)


DEFAULT_KIND_WEIGHTS: Mapping[str, float] = MappingProxyType(
    {
        "gift": 2.0,
        "favor": 2.0,
        "call": 1.0,
        "video": 1.0,
        "meeting": 1.0,
        "meal": 1.0,
        "letter": 1.0,
        "event": 1.0,
        "message": 0.5,
        "email": 0.5,
        "other": 0.5,
    }
)


_INT_FIELDS = frozenset(
    {
        "window_days",
        "inferred_min_interactions",
        "inferred_sample",
        "inferred_min_days",
        "inferred_max_days",
        "drift_recent_days",
        "drift_previous_days",
        "drift_min_previous",
    }
)
_FLOAT_FIELDS = frozenset(
    {
        "half_life_days",
        "balanced_threshold",
        "drift_ratio",
        "health_recency",
        "health_reciprocity",
        "health_trend",
        "health_sentiment",
    }
)


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


@dataclass(frozen=True)
class SchedulerSettings:
    """Every scheduler constant; ``[scheduler]`` in config.toml sets any of them by name.

    ``kind_weights`` is a table (``[scheduler.kind_weights]``) merged over the defaults.
    Constructing invalid settings raises ConfigError listing every problem.
    """

    half_life_days: float = 180.0
    balanced_threshold: float = 0.2
    window_days: int = 365  # raw initiator counts
    kind_weights: Mapping[str, float] = field(default_factory=lambda: DEFAULT_KIND_WEIGHTS)
    inferred_min_interactions: int = 3
    inferred_sample: int = 10
    inferred_min_days: int = 7
    inferred_max_days: int = 365
    drift_recent_days: int = 180
    drift_previous_days: int = 365
    drift_min_previous: int = 4
    drift_ratio: float = 0.5
    health_recency: float = 0.4
    health_reciprocity: float = 0.2
    health_trend: float = 0.2
    health_sentiment: float = 0.2

    def __post_init__(self) -> None:
        # floats where floats are meant (stable text for stats keys), and a read-only
        # mapping, so the frozen settings cannot be changed through it
        for name in _FLOAT_FIELDS:
            value = getattr(self, name)
            if _is_number(value):
                object.__setattr__(self, name, float(value))
        weights = {k: float(v) if _is_number(v) else v for k, v in self.kind_weights.items()}
        object.__setattr__(self, "kind_weights", MappingProxyType(weights))
        problems = self._problems()
        if problems:
            raise ConfigError("; ".join(problems))

    def _problems(self) -> list[str]:
        problems: list[str] = []
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name in _INT_FIELDS and (not isinstance(value, int) or isinstance(value, bool)):
                problems.append(f"[scheduler] {f.name} must be a whole number")
            elif f.name in _FLOAT_FIELDS and not _is_number(value):
                problems.append(f"[scheduler] {f.name} must be a number")
        if problems:  # ranges make sense only on numbers
            return problems

        def check(ok: bool, message: str) -> None:
            if not ok:
                problems.append(f"[scheduler] {message}")

        shortest = shortest_half_life(date.today())
        check(
            self.half_life_days >= shortest,
            f"half_life_days must be at least {shortest} (days): interactions are weighed by"
            " 2**(days since 2000 / half-life), which a shorter one overflows",
        )
        check(0 <= self.balanced_threshold <= 1, "balanced_threshold must be between 0 and 1")
        check(self.window_days >= 1, "window_days must be at least 1")
        for kind, weight in self.kind_weights.items():
            if kind not in INTERACTION_KINDS:
                problems.append(
                    f"unknown interaction kind [scheduler.kind_weights] {kind}"
                    f" (kinds: {', '.join(INTERACTION_KINDS)})"
                )
            elif not _is_number(weight) or weight < 0:
                problems.append(f"[scheduler.kind_weights] {kind} must be a number >= 0")
        check(self.inferred_min_interactions >= 2, "inferred_min_interactions must be at least 2")
        check(
            self.inferred_sample >= self.inferred_min_interactions,
            "inferred_sample must be at least inferred_min_interactions",
        )
        check(self.inferred_min_days >= 1, "inferred_min_days must be at least 1")
        check(
            self.inferred_max_days >= self.inferred_min_days,
            "inferred_max_days must be at least inferred_min_days",
        )
        check(self.drift_recent_days >= 1, "drift_recent_days must be at least 1")
        check(self.drift_previous_days >= 1, "drift_previous_days must be at least 1")
        check(self.drift_min_previous >= 0, "drift_min_previous must be at least 0")
        check(0 <= self.drift_ratio <= 1, "drift_ratio must be between 0 and 1")
        weights = self.health_weights
        for name, weight in weights.items():
            check(weight >= 0, f"health_{name} must be >= 0")
        check(sum(weights.values()) > 0, "the health_* weights cannot all be 0")
        return problems

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> SchedulerSettings:
        """Settings from the ``[scheduler]`` table; every problem (unknown keys, wrong
        types, out-of-range values) is reported together in one ConfigError."""
        known = {f.name for f in fields(cls)}
        values: dict[str, Any] = {}
        problems: list[str] = []
        for key, value in data.items():
            if key not in known:
                problems.append(f"unknown setting [scheduler] {key}")
            elif key == "kind_weights":
                if isinstance(value, Mapping):
                    values[key] = {**DEFAULT_KIND_WEIGHTS, **value}
                else:
                    problems.append("[scheduler] kind_weights must be a table of kind = weight")
            elif key in _INT_FIELDS:
                if isinstance(value, int) and not isinstance(value, bool):
                    values[key] = value
                else:
                    problems.append(f"[scheduler] {key} must be a whole number")
            elif _is_number(value):
                values[key] = float(value)
            else:
                problems.append(f"[scheduler] {key} must be a number")
        try:
            settings = cls(**values)
        except ConfigError as exc:
            problems.append(exc.message)
            settings = None
        if problems or settings is None:
            raise ConfigError("; ".join(problems))
        return settings

    @property
    def health_weights(self) -> dict[str, float]:
        """Raw health weights by component name (health() normalises them to sum 1)."""
        return {
            "recency": self.health_recency,
            "reciprocity": self.health_reciprocity,
            "trend": self.health_trend,
            "sentiment": self.health_sentiment,
        }


def drift_windows(today: date, settings: SchedulerSettings) -> tuple[date, date, date]:
    """(previous_start, recent_start, end), half-open: the recent window is
    [recent_start, end) = the last drift_recent_days including today (end is tomorrow),
    the earlier one [previous_start, recent_start) = the drift_previous_days before it."""
    end = today + timedelta(days=1)
    recent_start = end - timedelta(days=settings.drift_recent_days)
    return recent_start - timedelta(days=settings.drift_previous_days), recent_start, end
