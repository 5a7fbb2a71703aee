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
# Everyday words for an interaction's kind, for the hint of a refused one (`lrm log ann
# --kind phone`: did you mean 'call'?). A hint, never a silent reading: the stored kind is
# one of INTERACTION_KINDS, as typed.
INTERACTION_KIND_WORDS = {
    **dict.fromkeys(("phone", "phonecall", "ring", "voice"), "call"),
    **dict.fromkeys(("zoom", "facetime", "teams", "meet", "videocall", "skype"), "video"),
    **dict.fromkeys(("meetup", "visit", "catchup", "walk", "inperson"), "meeting"),
    **dict.fromkeys(("lunch", "dinner", "breakfast", "brunch", "coffee", "drinks"), "meal"),
    **dict.fromkeys(("text", "sms", "whatsapp", "signal", "chat", "dm", "im", "slack"), "message"),
    **dict.fromkeys(("mail", "email", "emails"), "email"),
    **dict.fromkeys(("card", "postcard", "post", "note"), "letter"),
    **dict.fromkeys(("present",), "gift"),
    **dict.fromkeys(("favour", "help", "introduction", "intro"), "favor"),
    **dict.fromkeys(("party", "wedding", "conference", "concert", "funeral"), "event"),
}
INITIATORS = ("me", "them", "mutual")
# Everyday words for who started an interaction, for the hint of a refused one (`lrm log
# ann --initiator they`: did you mean 'them'?) and of a flag that names one (`--they`).
INITIATOR_WORDS = {
    **dict.fromkeys(("they", "him", "her", "he", "she", "other", "theirs"), "them"),
    **dict.fromkeys(("i", "myself", "mine", "self"), "me"),
    **dict.fromkeys(("both", "we", "us", "together", "each", "shared"), "mutual"),
}
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
# The vCard properties that can name a related person (Apple's X-ABRELATEDNAMES, 4.0's
# RELATED;VALUE=text, Android's X-ANDROID-CUSTOM relation): read by formats/vcard.py; `show`
# looks for them in a card's kept lines before it loads that parser.
# Desktop address books' own related-name properties, by the relation each names (Outlook,
# Evolution, KAddressBook): one name each, read as Apple's related names are.
RELATED_NAME_FIELDS = {
    **dict.fromkeys(("X-MS-SPOUSE", "X-EVOLUTION-SPOUSE", "X-KADDRESSBOOK-X-SPOUSESNAME",
                     "X-SPOUSE"), "spouse"),
    **dict.fromkeys(("X-MS-MANAGER", "X-EVOLUTION-MANAGER", "X-KADDRESSBOOK-X-MANAGERSNAME",
                     "X-MANAGER"), "manager"),
    **dict.fromkeys(("X-MS-ASSISTANT", "X-EVOLUTION-ASSISTANT",
                     "X-KADDRESSBOOK-X-ASSISTANTSNAME", "X-ASSISTANT"), "assistant"),
    "X-MS-CHILD": "child",
}  # fmt: skip
RELATED_NAME_PROPERTIES = frozenset(
    {"X-ABRELATEDNAMES", "RELATED", "X-ANDROID-CUSTOM", *RELATED_NAME_FIELDS}
)
# Everyday words for a relationship's kind, for the hint of a refused one (`lrm relate ann
# bob --kind wife`: did you mean 'spouse'?).
RELATIONSHIP_KIND_WORDS = {
    **dict.fromkeys(("wife", "husband", "married"), "spouse"),
    **dict.fromkeys(("girlfriend", "boyfriend", "fiance", "fiancee"), "partner"),
    **dict.fromkeys(("son", "daughter", "kid"), "child"),
    **dict.fromkeys(("mother", "father", "mom", "mum", "dad"), "parent"),
    **dict.fromkeys(("brother", "sister"), "sibling"),
    **dict.fromkeys(("cousin", "aunt", "uncle", "niece", "nephew", "family"), "relative"),
    **dict.fromkeys(("coworker", "workmate"), "colleague"),
    **dict.fromkeys(("boss",), "manager"),
    **dict.fromkeys(("introducer", "referrer", "referredby"), "introduced_by"),
}
# How a relationship reads from the other side ("A is B's parent" -> "B is A's child"); a
# kind not named is the same both ways (spouse, friend). "introduced" is only ever a
# reading (the one introduced_by names), never a stored kind.
RELATIONSHIP_INVERSE = {
    "parent": "child",
    "child": "parent",
    "manager": "report",
    "report": "manager",
    "mentor": "mentee",
    "mentee": "mentor",
    "introduced_by": "introduced",
    "introduced": "introduced_by",
}
DATE_KINDS = ("anniversary", "custom")
# the orders of `lrm list --sort` (store/listing.py maps each to its SQL)
LIST_SORTS = ("name", "created", "updated", "last-contact", "id")
# `lrm digest --format` (without it: styled at a terminal, text when piped)
DIGEST_FORMATS = ("text", "markdown", "json")

MAX_DURATION_DAYS = 36500
"""The longest duration lrm takes, a cadence above all: 100 years (``lrm cadence``,
``import json``, a card's X-LRM-CADENCE-DAYS). Longer ones overflow date arithmetic."""
MAX_LEAD_DAYS = 366
"""The longest reminder lead, 0 being the day itself: a date's ``--remind``, a card's
X-LRM-REMIND, ``import json``'s ``remind_days_before``, ``[calendar] lead_days``. A yearly
date comes round within it (``scheduler.reach`` lists it no further ahead)."""
MAX_FUTURE_DAYS = 366
"""How far ahead an interaction may be: a planned dinner, not a date years away (a typo in
the year). ``log --future``, ``interaction edit --future`` and ``import json`` hold to it
(:func:`too_far_ahead`), and the balance's weights are sized for it
(``settings.shortest_half_life``)."""


def too_far_ahead(day: date, today: date) -> bool:
    """Whether an interaction on local ``day`` is further ahead than lrm takes."""
    return (day - today).days > MAX_FUTURE_DAYS
