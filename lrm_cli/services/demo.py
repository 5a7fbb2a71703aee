"""The bundled sample dataset `lrm demo` loads: a few people and a year of history,
dated relative to today so that it always looks current."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from lrm_cli.clock import Clock
from lrm_cli.services.contacts import ContactChanges, add_contact
from lrm_cli.services.records import LogRequest, add_date, add_note, log_interaction, relate
from lrm_cli.services.schedule import add_reminder
from lrm_cli.store.db import Database

PEOPLE = [
    ContactChanges(
        name="Ada Lovelace",
        emails=["ada@example.org"],
        phones=["+44 20 7946 0000"],
        tags=["mentors"],
        organization="Analytical Engines",
        how_met="PyCon 2019",
        birthday="1815-12-10",
        cadence="30d",
    ),
    ContactChanges(
        name="Charles Babbage",
        emails=["charles@example.org"],
        tags=["mentors"],
        organization="Analytical Engines",
        birthday="--12-26",
    ),
    ContactChanges(
        name="Grace Hopper",
        emails=["grace@example.net"],
        tags=["close-friends"],
        how_met="Navy reunion",
        cadence="2w",
    ),
    ContactChanges(
        name="Alan Turing",
        emails=["alan@example.com"],
        tags=["colleagues"],
        organization="Bletchley Park",
        birthday="1912-06-23",
    ),
    ContactChanges(
        name="Katherine Johnson",
        phones=["+1 757 555 0100"],
        tags=["close-friends"],
        how_met="Book club",
        cadence="3w",
    ),
    ContactChanges(name="William King", emails=["william@example.org"], tags=["family"]),
]

# (days ago, people, kind, initiator, summary, sentiment)
HISTORY = [
    (300, ["Ada Lovelace"], "meeting", "me", "Coffee after the conference", 1),
    (210, ["Ada Lovelace", "Charles Babbage"], "meal", "them", "Dinner: the engine plans", 2),
    (120, ["Ada Lovelace"], "email", "me", "Sent the notes on Bernoulli numbers", None),
    (45, ["Ada Lovelace"], "call", "them", "Catch-up about the translation", 1),
    (90, ["Grace Hopper"], "call", "me", "Debugging war stories", 2),
    (40, ["Grace Hopper"], "message", "me", "Shared the COBOL article", None),
    (8, ["Katherine Johnson"], "meal", "mutual", "Lunch near the launch site", 1),
    (400, ["Alan Turing"], "meeting", "them", "Chess and machines", 0),
    (25, ["Katherine Johnson", "Grace Hopper"], "event", "mutual", "Book club", 1),
]


def fresh_demo_database() -> Path:
    """An empty place for the demo's database (config.demo_database_path): its folder made
    private, the last demo's file and its journals removed."""
    from lrm_cli.config import demo_database_path
    from lrm_cli.private_files import make_private_folder

    path = demo_database_path()
    make_private_folder(path.parent)
    for leftover in (path, *(path.with_name(path.name + s) for s in ("-wal", "-shm", "-journal"))):
        leftover.unlink(missing_ok=True)
    return path


def load_sample(db: Database, clock: Clock) -> str:
    """Fill ``db`` with the sample; returns the name of the contact to feature. Only an
    empty database is filled: the sample's people among one's own (or twice over, the
    second run failing on an ambiguous name) would be a mess to pick out again."""
    from lrm_cli.errors import Conflict

    with db.read() as conn:
        held = conn.execute("SELECT count(*) FROM contact").fetchone()[0]
    if held:
        raise Conflict(
            f"{db.path} already holds {held} contact{'s' * (held != 1)}: "
            "the demo fills only an empty database",
            hint="leave out --db for a throw-away one, or give a new file",
        )
    for person in PEOPLE:
        add_contact(db, person, clock)
    for days, names, kind, initiator, summary, sentiment in HISTORY:
        when = (clock.now - timedelta(days=days)).replace(hour=18, minute=0, second=0)
        log_interaction(
            db,
            LogRequest(
                contacts=names,
                kind=kind,
                initiator=initiator,
                when=when.isoformat(),
                summary=summary,
                sentiment=None if sentiment is None else str(sentiment),
            ),
            clock,
        )
    add_note(
        db,
        "Ada Lovelace",
        "Prefers long letters to calls; ask about the poetry.",
        clock,
        pinned=True,
    )
    add_note(db, "Grace Hopper", "Wants the nanosecond wire back.", clock)
    relate(db, "Ada Lovelace", "William King", "spouse", clock)
    add_date(
        db,
        "Ada Lovelace",
        kind="anniversary",
        on="1835-07-08",
        label="Wedding",
        remind="1w",
        clock=clock,
    )
    soon = (clock.today + timedelta(days=5)).isoformat()
    add_reminder(db, "Katherine Johnson", "Bring back the book club novel", soon, None, clock)
    return "Ada Lovelace"
