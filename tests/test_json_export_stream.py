"""`lrm export json` streams (issue 14): SQLite writes each interaction's record, Python
the rest, a piece at a time. The text must be the one ``json.dumps`` gives for the same
records (docs/json.md), for any text, number and participant list."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from unittest.mock import patch

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lrm_cli import contact_fields
from lrm_cli.formats import json_io as json_doc
from lrm_cli.store import dump
from lrm_cli.store.db import Database

DUMPS = json.JSONEncoder(ensure_ascii=False).encode
# every character class JSON treats apart: controls, quotes, backslashes, DEL, line and
# paragraph separators, a BOM, astral emoji, private use, combining marks
AWKWARD = st.text(
    alphabet=st.sampled_from(
        [chr(c) for c in range(0x20)]
        + ['"', "\\", "/", "\x7f", "\u2028", "\u2029", "\ufeff", "🎉", "\ue000", "é", "\u0301"]
        + list("aZ 09,:{}[]")
    ),
    max_size=12,
)
UIDS = st.lists(AWKWARD.filter(bool), min_size=1, max_size=5, unique=True)
MOMENTS = st.integers(-2208988800, 7258118399)  # 1900 .. 2199, what lrm accepts


@st.composite
def worlds(draw):
    uids = draw(UIDS)
    interactions = draw(
        st.lists(
            st.fixed_dictionaries(
                {
                    "uid": AWKWARD,
                    "occurred_at": MOMENTS,
                    "created_at": MOMENTS,
                    "kind": st.sampled_from(["call", "meal", "message"]),
                    "initiator": st.sampled_from(["me", "them", "mutual"]),
                    "summary": st.none() | AWKWARD,
                    "sentiment": st.none() | st.integers(-2, 2),
                    "weight": st.none()
                    | st.floats(min_value=1e-9, max_value=100, allow_nan=False)
                    | st.integers(1, 100),
                    "people": st.lists(st.sampled_from(uids), max_size=4, unique=True),
                }
            ),
            max_size=6,
            unique_by=lambda i: i["uid"],
        )
    )
    return uids, interactions


def _load(path: Path, uids: list[str], interactions: list[dict]) -> Database:
    db = Database(path)
    with db.write() as conn:
        for n, uid in enumerate(uids, start=1):
            conn.execute(
                "INSERT INTO contact (id, uid, display_name, created_at, updated_at)"
                " VALUES (?, ?, ?, 0, 0)",
                (n, uid, f"c{n}"),
            )
        for n, i in enumerate(interactions, start=1):
            conn.execute(
                "INSERT INTO interaction (id, uid, occurred_at, kind, initiator, summary,"
                " sentiment, weight, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    n * 3,
                    i["uid"],
                    i["occurred_at"],
                    i["kind"],
                    i["initiator"],
                    i["summary"],
                    i["sentiment"],
                    i["weight"],
                    i["created_at"],
                ),
            )
            for uid in i["people"]:
                conn.execute(
                    "INSERT INTO interaction_participant (interaction_id, contact_id,"
                    " occurred_at, initiator) VALUES (?, ?, ?, ?)",
                    (n * 3, uids.index(uid) + 1, i["occurred_at"], i["initiator"]),
                )
    return db


def interactions_text(db: Database, *, helper: bool) -> tuple[str, int, int]:
    """The interactions' records as ``dump.interaction_pieces`` gives them, joined;
    how many; how many pieces the helper process delivered (``helper``: offered one)."""
    with db.read_gated() as (conn, gate):
        if not helper and gate is not None:
            gate.release()
            gate = None
        pieces = dump.interaction_pieces(conn, json_doc.SEPARATOR, gate, db.path)
        try:
            got = list(pieces)
        finally:
            pieces.close()
    text = json_doc.SEPARATOR.encode().join(t for t, count in got if count).decode()
    return text, sum(count for _, count in got), getattr(pieces, "delivered", 0)


SMALL_PIECES = {"PIECE": 2, "HELPER_FROM": 1, "HELPER_START": 0, "CONTACT_COST": 0}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(world=worlds(), helper=st.booleans())
def test_interactions_written_by_sqlite_are_what_json_dumps_writes(world, helper):
    """Alone or with the helper process rendering the last pieces, in pieces of two."""
    uids, interactions = world
    with tempfile.TemporaryDirectory() as folder, patch.multiple(dump, **SMALL_PIECES):
        db = _load(Path(folder) / "lrm.sqlite3", uids, interactions)
        try:
            with db.read() as conn:
                expected = [
                    DUMPS(json_doc.encode_interaction(i))
                    for i in dump.read_all(conn)["interactions"]
                ]
            text, count, delivered = interactions_text(db, helper=helper)
            assert text == json_doc.SEPARATOR.join(expected)
            assert count == len(expected)
            # the helper rendered its share (the last half), two at a time
            share = dump.helper_share(0, len(expected))
            assert delivered == (-(-share // dump.PIECE) if helper else 0)
            for line in expected:  # and they read back as the records they came from
                record = json.loads(line)
                assert record["participants"] == sorted(record["participants"])
        finally:
            db.close()


def test_the_document_is_written_while_its_records_are_still_being_read():
    """A piece of text leaves before the last interaction is read: nothing holds the
    whole document (~40 MB at 10,000 contacts)."""
    read = []

    def lines():
        for n in range(10_000):
            read.append(n)
            yield DUMPS({"id": n})

    sections = {key: [] for key in json_doc.TABLES} | {"interactions": lines()}
    pieces = json_doc.stream(sections, schema="0001", exported_at=0, version="x")
    text = ""
    for piece in pieces:
        text += piece
        if '"id": 0}' in text:
            assert len(read) < 10_000
            break
    text += "".join(pieces)
    assert [r["id"] for r in json.loads(text)["interactions"]] == list(range(10_000))


def test_streamed_and_whole_documents_are_the_same_text_and_counts():
    rows = {
        "tags": [{"name": "a", "cadence_days": None}],
        "contacts": [
            dict.fromkeys(contact_fields.COLUMNS)
            | {
                "id": 1,
                "uid": "u",
                "display_name": "Ada",
                "created_at": 0,
                "updated_at": 0,
                "methods": [{"kind": "email", "value": "a@b", "label": None, "is_preferred": 1}],
                "tags": ["a"],
                "aliases": [],
                "important_dates": [],
                "notes": [{"id": 1, "body": "x", "pinned": 0, "created_at": 0}] * 2,
            }
        ],
        "relationships": [],
        "interactions": [
            {
                "id": n,
                "uid": f"u{n}",
                "occurred_at": n,
                "kind": "call",
                "initiator": "me",
                "summary": None,
                "sentiment": None,
                "weight": 1.5,
                "created_at": n,
                "participants": [],
            }
            for n in range(4001)  # two full pieces and one more record
        ],
        "reminders": [],
    }
    counts: dict[str, int] = {}
    text = "".join(json_doc.stream(rows, schema="0001", exported_at=0, version="x", counts=counts))
    assert text == json_doc.encode(rows, schema="0001", exported_at=0, version="x")
    doc = json.loads(text)
    assert len(doc["interactions"]) == 4001 and len(doc["contacts"]) == 1
    assert '  "relationships": [],\n' in text and text.endswith(
        '"participants": []}\n  ],\n  "reminders": []\n}\n'
    )
    assert counts == json_doc.counts(rows)


def test_records_given_as_utf8_bytes_give_the_same_document():
    """``store.dump`` hands the interactions on as UTF-8 (no decoding and encoding of
    tens of megabytes): the document is the same bytes as from text."""
    lines = [DUMPS({"id": n, "summary": f"café {n} 🎉"}) for n in range(5)]
    sep = json_doc.SEPARATOR

    def document(as_bytes: bool) -> bytes:
        pieces = [sep.join(lines[:2]), sep.join(lines[2:])]
        records = [
            json_doc.Records(p.encode() if as_bytes else p, n)
            for p, n in zip(pieces, (2, 3), strict=True)
        ]
        sections = {key: [] for key in json_doc.TABLES} | {
            "interactions": [lines[0], json_doc.Records(b"" if as_bytes else "", 0), *records]
        }
        counts: dict[str, int] = {}
        out = b"".join(
            p if isinstance(p, bytes) else p.encode()
            for p in json_doc.stream(
                sections, schema="1", exported_at=0, version="x", counts=counts
            )
        )
        assert counts["interactions"] == 6
        return out

    assert document(as_bytes=True) == document(as_bytes=False)
    assert [r["id"] for r in json.loads(document(as_bytes=True))["interactions"]] == [
        0,
        0,
        1,
        2,
        3,
        4,
    ]


# --- contacts ---------------------------------------------------------------------------

# The JSON arrays a column holds (org units, name parts, card lines, an address's parts)
# never hold a NUL: every input refuses or strips it (import json's checks, vCard's
# strip_controls), and SQLite's json_each would end a string at "\u0000".
NO_NUL = AWKWARD.filter(lambda text: "\x00" not in text)
ARRAY_TEXT = st.none() | st.just("") | st.lists(NO_NUL, max_size=3).map(json.dumps)
NAMES = st.sampled_from(["mentors", "Family", "family-2", "zeta", "Ärzte", "a b"])


def _field_values(f: contact_fields.ContactField):
    """Values a column of this kind may hold (the record writes them as they are)."""
    if f.kind == "timestamp":
        return MOMENTS if f.role == "stamp" else st.none() | MOMENTS
    if f.kind == "int":
        return st.none() | st.integers(-(2**62), 2**62)
    text = AWKWARD.filter(bool) if f.required else st.none() | AWKWARD
    return text


@st.composite
def contact_worlds(draw):
    """Contacts with every field, card column and nested part, awkward text throughout."""
    fields = [f for f in contact_fields.FIELDS if f.key not in ("id", "uid")]
    uids = draw(UIDS)
    contacts = []
    for n, uid in enumerate(uids, start=1):
        row = {f.column: draw(_field_values(f)) for f in fields}
        row |= {"id": n * 5, "uid": uid}
        row |= {
            "org_units": draw(ARRAY_TEXT),
            "name_parts": draw(ARRAY_TEXT),
            "vcard_extra": draw(ARRAY_TEXT),
            "vcard_uid": draw(st.none() | AWKWARD),
        }
        address = st.lists(st.none() | NO_NUL, min_size=7, max_size=7).map(json.dumps)
        row["methods"] = draw(
            st.lists(
                st.tuples(
                    st.sampled_from(["email", "phone", "address", "url"]),
                    AWKWARD,
                    st.none() | AWKWARD,
                    st.booleans(),
                    st.integers(0, 3),
                    st.none() | st.just("") | address,
                ),
                max_size=3,
            )
        )
        row["tags"] = draw(st.lists(NAMES, max_size=3, unique_by=str.casefold))
        row["aliases"] = draw(st.lists(AWKWARD.filter(bool), max_size=2, unique_by=str.lower))
        row["merged_uids"] = draw(st.lists(AWKWARD.filter(str.strip), max_size=2, unique=True))
        row["dates"] = draw(
            st.lists(
                st.tuples(
                    st.sampled_from(["anniversary", "other"]),
                    st.none() | AWKWARD,
                    AWKWARD,
                    st.none() | st.integers(0, 30),
                ),
                max_size=2,
            )
        )
        row["notes"] = draw(st.lists(st.tuples(AWKWARD, st.booleans(), MOMENTS), max_size=3))
        contacts.append(row)
    return contacts


def _load_contacts(path: Path, contacts: list[dict]) -> Database:
    db = Database(path)
    columns = [*contact_fields.COLUMNS, *contact_fields.CARD_COLUMNS]
    with db.write() as conn:
        tag_ids: dict[str, int] = {}
        insert = (
            f"INSERT INTO contact ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
        )
        for c in contacts:
            conn.execute(insert, [c[column] for column in columns])
            for position, (kind, value, label, preferred, where, components) in enumerate(
                c["methods"]
            ):
                conn.execute(
                    "INSERT INTO contact_method (contact_id, kind, value, label, is_preferred,"
                    " position, components) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (c["id"], kind, value, label, preferred, where + position % 2, components),
                )
            for name in c["tags"]:
                if name not in tag_ids:
                    tag_ids[name] = conn.execute(
                        "INSERT INTO tag (name) VALUES (?)", (name,)
                    ).lastrowid
                conn.execute(
                    "INSERT INTO contact_tag (contact_id, tag_id) VALUES (?, ?)",
                    (c["id"], tag_ids[name]),
                )
            conn.executemany(  # a UID merged into two contacts: the first keeps it
                "INSERT OR IGNORE INTO merged_uid (uid, contact_id) VALUES (?, ?)",
                [(uid, c["id"]) for uid in c["merged_uids"]],
            )
            for name in c["aliases"]:
                conn.execute(
                    "INSERT INTO contact_alias (contact_id, name, created_at) VALUES (?, ?, 0)",
                    (c["id"], name),
                )
            for kind, label, day, before in c["dates"]:
                conn.execute(
                    "INSERT INTO important_date (contact_id, kind, label, date,"
                    " remind_days_before) VALUES (?, ?, ?, ?, ?)",
                    (c["id"], kind, label, day, before),
                )
            for body, pinned, at in c["notes"]:
                conn.execute(
                    "INSERT INTO note (contact_id, body, pinned, created_at) VALUES (?, ?, ?, ?)",
                    (c["id"], body, pinned, at),
                )
    return db


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(contacts=contact_worlds())
def test_contacts_written_by_sqlite_are_what_json_dumps_writes(contacts):
    """Every field (contact_fields.FIELDS: a new one is drawn too), the card columns and
    the nested parts, in pieces of two, with the parts counted right."""
    with tempfile.TemporaryDirectory() as folder, patch.multiple(dump, **SMALL_PIECES):
        db = _load_contacts(Path(folder) / "lrm.sqlite3", contacts)
        try:
            with db.read() as conn:
                rows = dump.read_all(conn)["contacts"]
                pieces = list(dump.contact_pieces(conn, json_doc.SEPARATOR))
            expected = [DUMPS(json_doc.encode_contact(c)) for c in rows]
            text = json_doc.SEPARATOR.encode().join(t for t, _, _ in pieces).decode()
            assert text == json_doc.SEPARATOR.join(expected)
            assert sum(n for _, n, _ in pieces) == len(contacts)
            assert all(n <= 2 for _, n, _ in pieces)
            written = (
                {key: sum(p[key] for _, _, p in pieces) for key in pieces[0][2]} if pieces else {}
            )
            assert written == {
                key: n
                for key, n in json_doc.counts(
                    {key: [] for key in json_doc.TABLES} | {"contacts": rows}
                ).items()
                if key in written
            }
        finally:
            db.close()
