"""The closed vocabularies of lrm's data (kinds of methods, interactions, relationships,
dates; who initiated), and the spans of time lrm takes. Stdlib only, nothing imported:
start-up reads it everywhere."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from datetime import date

METHOD_KINDS = ("email", "phone", "url", "address", "social")
INTERACTION_KINDS = (
    "call",
    "video",
    "meeting",
    "meal",
    "message",
    "email",
    "letter",
    "gift",
    "favor",
    "event",
    "other",
)
INITIATORS = ("me", "them", "mutual")
RELATIONSHIP_KINDS = (
    "spouse",
    "partner",
    "child",
    "parent",
    "sibling",
    "relative",
    "friend",
    "colleague",
    "manager",
    "report",
    "mentor",
    "mentee",
    "introduced_by",
    "other",
)
DATE_KINDS = ("anniversary", "custom")
# the orders of `lrm list --sort` (store/listing.py maps each to its SQL)
LIST_SORTS = ("name", "created", "updated", "last-contact", "id")
# `lrm digest --format` (without it: styled at a terminal, text when piped)
DIGEST_FORMATS = ("text", "markdown", "json")

MAX_DURATION_DAYS = 36500
"""The longest duration lrm takes, a cadence above all: 100 years (``lrm cadence``,
``import json``, a card's X-LRM-CADENCE-DAYS). Longer ones overflow date arithmetic."""
MAX_FUTURE_DAYS = 366
"""How far ahead an interaction may be: a planned dinner, not a date years away (a typo in
the year). ``log --future``, ``interaction edit --future`` and ``import json`` hold to it
(:func:`too_far_ahead`), and the balance's weights are sized for it
(``settings.shortest_half_life``)."""


def too_far_ahead(day: date, today: date) -> bool:
    """Whether an interaction on local ``day`` is further ahead than lrm takes."""
    return (day - today).days > MAX_FUTURE_DAYS
