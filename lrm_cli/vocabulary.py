"""The closed vocabularies of lrm's data (kinds of methods, interactions, relationships,
dates; who initiated)."""

from __future__ import annotations

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
