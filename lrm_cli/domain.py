"""Plain data the services, scheduler and formats exchange, and the error hierarchy.

Nothing here imports from store, cli or render; every class is a frozen dataclass so
the scheduler and formatters can be tested with hand-made values.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal

from lrm_cli.errors import (  # noqa: F401  (re-exported: the domain's public names)
    Aborted,
    Ambiguous,
    ConfigError,
    Conflict,
    InvalidInput,
    LrmError,
    NotFound,
    StorageError,
)
from lrm_cli.vocabulary import (  # noqa: F401
    DATE_KINDS,
    INITIATORS,
    INTERACTION_KINDS,
    MAX_DURATION_DAYS,
    METHOD_KINDS,
    RELATIONSHIP_KINDS,
)

# --- records ------------------------------------------------------------------------------


MAX_ID = 2**53 - 1
MERGE_NOTE_HEAD = "Merged from #"
"""How the note ``lrm merge`` writes begins: lrm's record of the merge, not something the
user learnt, so the digest does not bring it up as a new note (store/reach_out.py)."""
"""The largest id a row brought in from a file keeps (``import json``, a vCard's
X-LRM-ID): the largest integer every JSON tool reads exactly. It also leaves room below
the search index's limit (its rowids are ``id * 16 + kind``, so ids stop at 2**59) for
the rows added after it."""

ADDRESS_PARTS = ("po_box", "extended", "street", "locality", "region", "postal_code", "country")
"""The seven components of a postal address, in vCard's ADR order (RFC 6350 6.3.1)."""


@dataclass(frozen=True)
class ContactMethod:
    """An email, phone, url, postal address or social profile. ``value`` is what display
    and search use (for an address: its non-empty components joined by ", "); an address
    also keeps its seven ``components`` (ADDRESS_PARTS) when it has them."""

    kind: str
    value: str
    label: str | None = None
    is_preferred: bool = False
    components: tuple[str, ...] | None = None


def address_value(components: tuple[str, ...] | list[str]) -> str:
    """The one-line rendering of an address: its non-empty components joined by ", "."""
    return ", ".join(c for c in components if c)


@dataclass(frozen=True)
class ContactRef:
    id: int
    name: str


# --- the contact's fields -------------------------------------------------------------------


FieldKind = Literal["int", "text", "date", "partial_date", "timestamp"]
FieldRole = Literal["identity", "detail", "state", "stamp", "derived", "card"]


@dataclass(frozen=True)
class ContactField:
    """How lrm treats one field of a contact; ``Contact``'s field metadata declares them
    and lrm_cli/contact_fields.py derives every list of the contact's columns from them.

    ``kind``: ``int``, ``text``, ``date`` (``YYYY-MM-DD``), ``partial_date`` (vCard's
    ``--MM-DD`` too) or ``timestamp`` (epoch seconds in the table, ISO 8601 in JSON).
    ``role``: ``identity`` (id and uid: lrm assigns them), ``detail`` (what the user sets
    with add, edit or snooze, an import brings, a merge fills in when empty), ``state``
    (set by a command of its own: archive), ``stamp`` (lrm keeps them, a contact always
    has them), ``derived`` (kept by triggers from other tables; not part of the record),
    ``card`` (what a vCard brought beyond the record: contact_fields.CARD).
    ``shown_as``: the contact shape of ``show`` and ``list`` tells only whether the field
    is set, as a boolean under this key (the export keeps the value)."""

    kind: FieldKind
    role: FieldRole = "detail"
    key: str = ""  # the Contact attribute and JSON key; set from the attribute's name
    column: str = ""  # the column of table contact; the key unless it differs
    label: str = ""  # for people; the key with spaces unless given
    required: bool = False  # a detail every contact has (its name)
    minimum: int | None = None  # the least an int may be
    maximum: int | None = None  # the most an int may be
    shown_as: str | None = None

    def accepts(self, value: int) -> bool:
        """Whether an int field may hold ``value`` (its minimum and maximum)."""
        low, high = self.minimum, self.maximum
        return (low is None or value >= low) and (high is None or value <= high)

    @property
    def free_text(self) -> bool:
        """Text the user types and may clear (given name, how met...)."""
        return self.kind == "text" and self.role == "detail" and not self.required


def declare(kind: FieldKind, **how: Any) -> dict[str, ContactField]:
    """The metadata of a ``Contact`` field: how lrm treats it (:class:`ContactField`)."""
    return {"lrm": ContactField(kind, **how)}


@dataclass(frozen=True)
class Contact:
    """A contact, and the one declaration of its fields (the metadata of each says how the
    store, the JSON documents, merge and the importers treat it). Adding a field: a line
    here, the column in store/models.py and a migration, then the places that show or
    take it (render/views.py, the vCard card, add/edit's options, docs/json.md);
    tests/test_contact_fields.py and tests/test_json_contract.py tell what is missing."""

    id: int = field(metadata=declare("int", role="identity"))
    uid: str = field(metadata=declare("text", role="identity"))
    name: str = field(metadata=declare("text", column="display_name", required=True))
    given_name: str | None = field(default=None, metadata=declare("text"))
    family_name: str | None = field(default=None, metadata=declare("text"))
    nickname: str | None = field(default=None, metadata=declare("text"))
    organization: str | None = field(default=None, metadata=declare("text"))
    title: str | None = field(default=None, metadata=declare("text"))
    birthday: str | None = field(default=None, metadata=declare("partial_date"))
    how_met: str | None = field(default=None, metadata=declare("text"))
    cadence_days: int | None = field(
        default=None,
        metadata=declare("int", minimum=1, maximum=MAX_DURATION_DAYS, label="cadence (days)"),
    )
    snoozed_until: date | None = field(default=None, metadata=declare("date"))
    archived_at: datetime | None = field(
        default=None, metadata=declare("timestamp", role="state", shown_as="archived")
    )
    created_at: datetime | None = field(default=None, metadata=declare("timestamp", role="stamp"))
    updated_at: datetime | None = field(default=None, metadata=declare("timestamp", role="stamp"))
    methods: tuple[ContactMethod, ...] = ()
    tags: tuple[str, ...] = ()
    org_units: tuple[str, ...] = ()  # the organisation's units (vCard ORG after the name)

    @property
    def emails(self) -> list[str]:
        return self.values("email")

    @property
    def phones(self) -> list[str]:
        return self.values("phone")

    def values(self, kind: str) -> list[str]:
        """The values of its methods of one kind (``METHOD_KINDS``), in their order."""
        return [m.value for m in self.methods if m.kind == kind]

    @property
    def archived(self) -> bool:
        return self.archived_at is not None


@dataclass(frozen=True)
class Interaction:
    id: int
    uid: str
    occurred_at: datetime
    kind: str
    initiator: str
    summary: str | None = None
    sentiment: int | None = None
    weight: float | None = None
    participants: tuple[ContactRef, ...] = ()


@dataclass(frozen=True)
class Note:
    id: int
    contact_id: int
    body: str
    created_at: datetime
    pinned: bool = False


@dataclass(frozen=True)
class ImportantDate:
    id: int
    contact_id: int
    kind: str
    date: str
    label: str | None = None
    remind_days_before: int | None = None


@dataclass(frozen=True)
class Relationship:
    kind: str
    other: ContactRef
    id: int | None = None  # the relationship row's own id
    label: str | None = None  # the word a card or the user gave it (Godmother), from A's side


@dataclass(frozen=True)
class RelatedName:
    """A person a contact's card names by how they relate (a phone's "spouse: Jo Lee")
    who is not a contact: kept with the card's other lines, listed by `lrm show`."""

    kind: str
    name: str
    label: str | None = None  # the card's own word (Godmother), when the kind says less


@dataclass(frozen=True)
class ContactDetail:
    """Everything `lrm show` prints about one contact."""

    contact: Contact
    notes: tuple[Note, ...] = ()
    interactions: tuple[Interaction, ...] = ()
    important_dates: tuple[ImportantDate, ...] = ()
    relationships: tuple[Relationship, ...] = ()
    extra: dict[str, object] = field(default_factory=dict)
    aliases: tuple[str, ...] = ()  # other names (a merged record's): contact_alias
    related_names: tuple[RelatedName, ...] = ()  # named by a card, not contacts
