"""Plain data the services, scheduler and formats exchange, and the error hierarchy.

Nothing here imports from store, cli or render; every class is a frozen dataclass so
the scheduler and formatters can be tested with hand-made values.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

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
    METHOD_KINDS,
    RELATIONSHIP_KINDS,
)

# --- records ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ContactMethod:
    kind: str
    value: str
    label: str | None = None
    is_preferred: bool = False


@dataclass(frozen=True)
class ContactRef:
    id: int
    name: str


@dataclass(frozen=True)
class Contact:
    id: int
    uid: str
    name: str
    given_name: str | None = None
    family_name: str | None = None
    nickname: str | None = None
    organization: str | None = None
    title: str | None = None
    birthday: str | None = None
    how_met: str | None = None
    cadence_days: int | None = None
    snoozed_until: date | None = None
    archived_at: datetime | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    methods: tuple[ContactMethod, ...] = ()
    tags: tuple[str, ...] = ()

    @property
    def emails(self) -> list[str]:
        return [m.value for m in self.methods if m.kind == "email"]

    @property
    def phones(self) -> list[str]:
        return [m.value for m in self.methods if m.kind == "phone"]

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


@dataclass(frozen=True)
class ContactDetail:
    """Everything `lrm show` prints about one contact."""

    contact: Contact
    notes: tuple[Note, ...] = ()
    interactions: tuple[Interaction, ...] = ()
    important_dates: tuple[ImportantDate, ...] = ()
    relationships: tuple[Relationship, ...] = ()
    extra: dict[str, object] = field(default_factory=dict)
