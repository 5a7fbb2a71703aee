"""The schema as SQLModel tables: the source of truth the Alembic migrations must match.

Conventions (a test checks the migrations build exactly this):
- timestamps are INTEGER seconds since the Unix epoch, UTC (compact, fast to compare and
  aggregate, and free of SQLite's naive-datetime text formats);
- calendar dates are TEXT: ``YYYY-MM-DD``, or the vCard partial form ``--MM-DD``;
- names compare case-insensitively (``COLLATE NOCASE``) so exact-name and prefix look-ups
  use an index;
- ``interaction_participant`` repeats the interaction's ``occurred_at`` and ``initiator``
  (``interaction edit`` keeps the copies equal) so per-contact history is one index range scan
  on (contact_id, occurred_at), and the windowed counts of the scheduler (initiators over
  the last year, drift) are one covering-index range scan on (occurred_at, ...);
- ``contact_stats`` holds per-contact aggregates maintained on every write: the
  interaction count, first/last time, the inferred cadence, and the two sums of the
  time-decayed reciprocity balance (DESIGN §3), so ``due`` and ``balance`` never scan
  interactions. ``stats_key`` names the scheduler settings the sums were computed with;
  rows with another key are recomputed.
"""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Index, Integer, String, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from lrm_cli.store.search import phone_tail_sql

NOCASE = String(collation="NOCASE")
# AUTOINCREMENT (migration 0023): an id is never given again after its row is deleted, so
# a number names one contact (note, reminder, ...) for good and ``lrm undo ID`` of a delete
# can always put the rows back. Every table of the user's data, and the undo history.
NEVER_REUSED = {"sqlite_autoincrement": True}


def _fk(target: str, *, nullable: bool = False) -> Column:
    return Column(Integer, ForeignKey(target, ondelete="CASCADE"), nullable=nullable)


class Contact(SQLModel, table=True):
    __tablename__ = "contact"
    __table_args__ = (
        Index("ix_contact_display_name", "display_name"),
        # covering for the scheduler's pass over active contacts (due, digest): the index
        # is a fraction of the width of the rows
        Index(
            "ix_contact_active",
            "archived_at",
            "id",
            "display_name",
            "snoozed_until",
            "cadence_days",
            "tag_cadence_days",
            "created_at",
        ),
        # the month and day of a birthday (1815-12-10 and --12-10 both end in 12-10): the
        # digest finds the next fortnight's birthdays among 100k contacts by index
        Index(
            "ix_contact_birthday_md",
            text("substr(birthday, -5)"),
            sqlite_where=text("birthday IS NOT NULL"),
        ),
        NEVER_REUSED,
    )

    id: int | None = Field(default=None, primary_key=True)
    uid: str = Field(unique=True)
    display_name: str = Field(sa_column=Column(NOCASE, nullable=False))
    given_name: str | None = None
    family_name: str | None = None
    nickname: str | None = None
    organization: str | None = None
    title: str | None = None
    birthday: str | None = None
    how_met: str | None = None
    cadence_days: int | None = None
    snoozed_until: str | None = None
    archived_at: int | None = None
    created_at: int
    updated_at: int
    # derived: the smallest cadence of the contact's tags, kept by triggers (migration 0005)
    tag_cadence_days: int | None = None
    # the card's structure lrm keeps for vCard (migration 0009): ORG's units and N's
    # additional names, prefixes and suffixes (JSON arrays), the lines of the properties
    # lrm does not manage (a JSON array, as they came) and the UID as the card wrote it
    # when ``uid`` normalises it
    org_units: str | None = None
    name_parts: str | None = None
    vcard_extra: str | None = None
    vcard_uid: str | None = None


class ContactAlias(SQLModel, table=True):
    """Another name the contact is known by (``lrm merge`` keeps the other record's name
    here): found by search, references and imports (migration 0008)."""

    __tablename__ = "contact_alias"
    __table_args__ = (
        # also the index of a contact's aliases
        UniqueConstraint("contact_id", "name", name="uq_contact_alias"),
        Index("ix_contact_alias_name", "name"),
        NEVER_REUSED,
    )

    id: int | None = Field(default=None, primary_key=True)
    contact_id: int = Field(sa_column=_fk("contact.id"))
    name: str = Field(sa_column=Column(NOCASE, nullable=False))
    created_at: int


class CardSeen(SQLModel, table=True):
    """What the vCards of a contact gave it when last imported (card_memory.py, migration
    0022): one row per contact, ``cards`` a JSON object by card (its UID, or its name)."""

    __tablename__ = "card_seen"

    contact_id: int = Field(
        sa_column=Column(Integer, ForeignKey("contact.id", ondelete="CASCADE"), primary_key=True)
    )
    cards: str


class MergedUid(SQLModel, table=True):
    """The UID of a contact merged away, and the contact it went into (migration 0024):
    its card read again finds that contact."""

    __tablename__ = "merged_uid"
    __table_args__ = (Index("ix_merged_uid_contact", "contact_id"),)

    uid: str = Field(primary_key=True)
    contact_id: int = Field(
        sa_column=Column(Integer, ForeignKey("contact.id", ondelete="CASCADE"), nullable=False)
    )


class ContactMethod(SQLModel, table=True):
    __tablename__ = "contact_method"
    __table_args__ = (
        Index("ix_contact_method_contact", "contact_id", "position"),
        Index("ix_contact_method_value", "kind", "value"),
        # a phone by its last digits: normalize.phone_tail (migration 0019)
        Index(
            "ix_contact_method_phone_tail",
            text(phone_tail_sql("value")),
            sqlite_where=text("kind = 'phone'"),
        ),
        NEVER_REUSED,
    )

    id: int | None = Field(default=None, primary_key=True)
    contact_id: int = Field(sa_column=_fk("contact.id"))
    kind: str
    value: str
    label: str | None = None
    is_preferred: bool = False
    position: int = 0
    # an address's seven ADR components, a JSON array (migration 0009); NULL otherwise
    components: str | None = None


class Tag(SQLModel, table=True):
    __tablename__ = "tag"
    __table_args__ = (NEVER_REUSED,)

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(sa_column=Column(NOCASE, nullable=False, unique=True))
    cadence_days: int | None = None


class ContactTag(SQLModel, table=True):
    __tablename__ = "contact_tag"
    __table_args__ = (
        UniqueConstraint("contact_id", "tag_id", name="uq_contact_tag"),
        Index("ix_contact_tag_tag", "tag_id", "contact_id"),
        NEVER_REUSED,
    )

    # the undo journal names a row by its id (it was the pair's implicit rowid: 0023)
    id: int | None = Field(default=None, primary_key=True)
    contact_id: int = Field(sa_column=_fk("contact.id"))
    tag_id: int = Field(sa_column=_fk("tag.id"))


class Relationship(SQLModel, table=True):
    __tablename__ = "relationship"
    __table_args__ = (
        UniqueConstraint("contact_id", "other_contact_id", "kind", name="uq_relationship"),
        Index("ix_relationship_other", "other_contact_id"),
        NEVER_REUSED,
    )

    id: int | None = Field(default=None, primary_key=True)
    contact_id: int = Field(sa_column=_fk("contact.id"))
    other_contact_id: int = Field(sa_column=_fk("contact.id"))
    kind: str
    label: str | None = None  # the card's own word when the kind says less (migration 0014)


class ImportantDate(SQLModel, table=True):
    __tablename__ = "important_date"
    __table_args__ = (
        Index("ix_important_date_contact", "contact_id"),
        Index("ix_important_date_md", text("substr(date, -5)")),  # see ix_contact_birthday_md,
        NEVER_REUSED,
    )

    id: int | None = Field(default=None, primary_key=True)
    contact_id: int = Field(sa_column=_fk("contact.id"))
    kind: str
    label: str | None = None
    date: str
    remind_days_before: int | None = None


class Interaction(SQLModel, table=True):
    __tablename__ = "interaction"
    __table_args__ = (Index("ix_interaction_occurred_at", "occurred_at"), NEVER_REUSED)

    id: int | None = Field(default=None, primary_key=True)
    uid: str = Field(unique=True)
    occurred_at: int
    kind: str
    initiator: str
    summary: str | None = None
    sentiment: int | None = None
    weight: float | None = None
    created_at: int


class InteractionParticipant(SQLModel, table=True):
    __tablename__ = "interaction_participant"
    __table_args__ = (
        Index("ix_participant_contact_time", "contact_id", "occurred_at"),
        Index("ix_participant_time", "occurred_at", "contact_id", "initiator"),
        UniqueConstraint("interaction_id", "contact_id", name="uq_participant"),
        NEVER_REUSED,
    )

    id: int | None = Field(default=None, primary_key=True)  # as contact_tag's (0023)
    interaction_id: int = Field(sa_column=_fk("interaction.id"))
    contact_id: int = Field(sa_column=_fk("contact.id"))
    occurred_at: int
    initiator: str = Field(sa_column=Column(String, nullable=False, server_default="mutual"))


class ContactStats(SQLModel, table=True):
    __tablename__ = "contact_stats"
    __table_args__ = (Index("ix_contact_stats_key", "stats_key"),)

    contact_id: int = Field(
        sa_column=Column(Integer, ForeignKey("contact.id", ondelete="CASCADE"), primary_key=True)
    )
    interaction_count: int = 0
    first_at: int | None = None
    last_at: int | None = None
    inferred_cadence_days: int | None = None
    balance_num: float = 0.0
    balance_den: float = 0.0
    stats_key: str = ""
    # Sliding-window counts as of the boundaries in ``stats_window`` (half-open, up to
    # its end_at): all interactions since previous_start, since recent_start, and those
    # since counts_start each side began. Writes move them to their day (services/stats.py);
    # reads for another day move them in the read (store/scheduler_sql.py).
    win_all: int = Field(sa_column=Column(Integer, nullable=False, server_default="0"))
    win_recent: int = Field(sa_column=Column(Integer, nullable=False, server_default="0"))
    win_me: int = Field(sa_column=Column(Integer, nullable=False, server_default="0"))
    win_them: int = Field(sa_column=Column(Integer, nullable=False, server_default="0"))
    win_mutual: int = Field(sa_column=Column(Integer, nullable=False, server_default="0"))


class StatsWindow(SQLModel, table=True):
    """The one row naming the window boundaries (epoch seconds) that the ``win_*``
    counts of every ``contact_stats`` row are computed for."""

    __tablename__ = "stats_window"

    id: int | None = Field(default=None, primary_key=True)
    previous_start: int
    recent_start: int
    counts_start: int
    end_at: int


class Note(SQLModel, table=True):
    __tablename__ = "note"
    __table_args__ = (Index("ix_note_contact_time", "contact_id", "created_at"), NEVER_REUSED)

    id: int | None = Field(default=None, primary_key=True)
    contact_id: int = Field(sa_column=_fk("contact.id"))
    body: str
    created_at: int
    pinned: bool = False


class Reminder(SQLModel, table=True):
    __tablename__ = "reminder"
    __table_args__ = (
        Index("ix_reminder_due", "done_at", "due_on"),
        Index("ix_reminder_contact", "contact_id"),
        NEVER_REUSED,
    )

    id: int | None = Field(default=None, primary_key=True)
    uid: str = Field(unique=True)
    contact_id: int | None = Field(sa_column=_fk("contact.id", nullable=True))
    title: str
    due_on: str
    recurrence: str | None = None
    done_at: int | None = None
    created_at: int


class SyncItem(SQLModel, table=True):
    """What ``lrm sync`` last saw of one item file in a vdir folder: the hash of the file's
    bytes and of lrm's own rendering of the item, so that a change on either side (and
    only a change) is noticed. ``folder`` is the vdir's absolute path: pointing sync at
    another folder starts afresh instead of mistaking every file for a deletion."""

    __tablename__ = "sync_item"
    __table_args__ = (Index("ix_sync_item_uid", "folder", "uid"),)

    folder: str = Field(primary_key=True)
    href: str = Field(primary_key=True)  # the file name inside the folder
    uid: str  # the item's UID (for contacts: the contact's uid)
    local_hash: str  # sha256 of lrm's rendering when last synced
    # sha256 of the file's bytes when last synced; for a card, followed by a space and a
    # hash of its content as lrm reads it (so new bytes with the same content, e.g. a
    # server refolding the card or a phone changing its PHOTO, are not a change to lrm)
    remote_hash: str
    synced_at: int


class RenderCache(SQLModel, table=True):
    """What export vcard / export ics last rendered for one card or calendar component,
    and a fingerprint of what it was rendered from (migration 0010): derived data."""

    __tablename__ = "render_cache"

    kind: str = Field(primary_key=True)  # "vcard" | "ics"
    key: str = Field(primary_key=True)  # a contact's id, an item's UID ("" the VCALENDAR)
    print: str
    body: bytes


class ListCache(SQLModel, table=True):
    """Each contact's object of ``lrm list --json`` as SQLite last wrote it (migrations
    0011, 0015, 0016): derived data, stored in the list's order (``name_order``: the
    name's ``normalize.name_order``, then id: no sort to read them all) with the contact
    columns the default list filters on. The index on ``contact_id`` serves the triggers
    that drop a row and makes counting the rows cheap."""

    __tablename__ = "list_cache"
    __table_args__ = (
        Index("ix_list_cache_contact", "contact_id", unique=True),
        {"sqlite_with_rowid": False},
    )

    name_order: str = Field(primary_key=True)
    contact_id: int = Field(primary_key=True)
    archived_at: int | None = None
    body: str


class ListCacheShape(SQLModel, table=True):
    """The one shape (rendering and zone) every row of ``list_cache`` was written for."""

    __tablename__ = "list_cache_shape"

    id: int = Field(primary_key=True)  # always 1
    shape: str


class UndoChange(SQLModel, table=True):
    """One write transaction that ``lrm undo`` can revert (migration 0007)."""

    __tablename__ = "undo_change"
    __table_args__ = (NEVER_REUSED,)

    id: int | None = Field(default=None, primary_key=True)
    command: str  # the command line that made it
    at: int


class UndoLog(SQLModel, table=True):
    """The statement that puts one row back as it was before its change; written by the
    triggers of migration 0007 while ``undo_state.change_id`` names a change."""

    __tablename__ = "undo_log"
    __table_args__ = (Index("ix_undo_log_change", "change_id"),)

    id: int | None = Field(default=None, primary_key=True)
    change_id: int
    tbl: str
    op: str  # insert | update | delete: what the change did to the row
    row_id: int
    contact_id: int | None = None
    sql: str


class UndoState(SQLModel, table=True):
    """The one row naming the change being written (NULL: journal nothing)."""

    __tablename__ = "undo_state"

    id: int | None = Field(default=None, primary_key=True)
    change_id: int | None = None
