"""`lrm export json` renders the last interactions in a helper process (store/helper.py)
while it writes the contacts and the first ones (issue 14). The helper only speeds the
export up: whatever it fails to deliver is rendered by the command itself, from the same
snapshot, and the document is the same."""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from pathlib import Path
from unittest.mock import patch

import pytest

from lrm_cli.formats import json_io as json_doc
from lrm_cli.store import dump, helper
from lrm_cli.store.db import Database

SMALL = {"PIECE": 16, "HELPER_FROM": 1, "HELPER_START": 0, "CONTACT_COST": 0}


def _fill(path: Path, contacts: int, interactions: int) -> None:
    Database(path).close()  # the schema
    conn = sqlite3.connect(path)
    with conn:
        conn.executemany(
            "INSERT INTO contact (id, uid, display_name, created_at, updated_at)"
            " VALUES (?, ?, ?, 0, 0)",
            [(n, f"uid-{n}", f"Person {n}") for n in range(1, contacts + 1)],
        )
        conn.executemany(
            "INSERT INTO interaction (id, uid, occurred_at, kind, initiator, summary,"
            " weight, created_at) VALUES (?, ?, ?, 'call', 'me', ?, ?, ?)",
            [
                (n * 2, f"i-{n}", 1_700_000_000 + n, f"talk {n} «é»", 0.1 * (n % 7) or None, n)
                for n in range(1, interactions + 1)
            ],
        )
        conn.executemany(
            "INSERT INTO interaction_participant (interaction_id, contact_id, occurred_at,"
            " initiator) VALUES (?, ?, ?, 'me')",
            [(n * 2, n % contacts + 1, 1_700_000_000 + n) for n in range(1, interactions + 1)],
        )
    conn.close()


def _records(db: Database) -> tuple[str, int]:
    """The interactions' text and how many pieces the helper delivered."""
    with db.read_gated() as (conn, gate):
        pieces = dump.interaction_pieces(conn, json_doc.SEPARATOR, gate, db.path)
        try:
            text = _joined(pieces)
        finally:
            pieces.close()
    return text, pieces.delivered


def _joined(pieces) -> str:
    return json_doc.SEPARATOR.encode().join(text for text, count in pieces if count).decode()


def _alone(db: Database) -> str:
    with db.read() as conn:
        pieces = dump.interaction_pieces(conn, json_doc.SEPARATOR)
        return _joined(pieces)


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "lrm.sqlite3"
    _fill(path, 20, 300)
    database = Database(path)
    yield database
    database.close()


def test_the_helper_renders_the_last_pieces_and_the_text_is_the_same(db):
    with patch.multiple(dump, **SMALL):
        text, delivered = _records(db)
        assert delivered == -(-dump.helper_share(20, 300) // 16) > 0
        assert text == _alone(db)
    assert [r["uid"] for r in json.loads(f"[{text}]")] == [f"i-{n}" for n in range(1, 301)]


def test_a_helper_that_dies_midway_costs_nothing_but_time(db):
    read = helper._read_page
    pages = []

    def then_die(out):
        page = read(out)
        if pages:  # the second page read: the helper is killed, the rest is lost
            return None
        pages.append(page)
        return page

    with patch.multiple(dump, **SMALL), patch.object(helper, "_read_page", then_die):
        text, delivered = _records(db)
    assert delivered == 1
    assert text == _alone(db)


def test_a_helper_that_cannot_start_costs_nothing_and_lets_writers_go(db):
    with patch.multiple(dump, **SMALL), patch.object(helper.sys, "executable", "/bin/false"):
        text, delivered = _records(db)
    assert delivered == 0
    assert text == _alone(db)
    other = sqlite3.connect(db.path, timeout=0)  # the gate is gone: the lock is free
    other.execute("BEGIN IMMEDIATE")
    other.rollback()
    other.close()


def test_the_helper_reads_the_snapshot_of_the_command_not_a_later_one(db):
    """A commit that lands the moment the gate lets go (while the helper has only just
    begun) is in neither part: the helper began reading before it."""
    with patch.multiple(dump, **SMALL), db.read_gated() as (conn, gate):
        pieces = dump.interaction_pieces(conn, json_doc.SEPARATOR, gate, db.path)
        try:
            writer = sqlite3.connect(db.path, timeout=10)  # waits for the gate
            writer.execute(
                "INSERT INTO interaction (id, uid, occurred_at, kind, initiator, created_at)"
                " VALUES (100000, 'late', 0, 'call', 'me', 0)"
            )
            writer.commit()
            writer.close()
            text = _joined(pieces)
        finally:
            pieces.close()
    assert pieces.delivered > 0
    assert '"late"' not in text
    assert len(json.loads(f"[{text}]")) == 300


def test_the_gate_holds_writers_only_until_the_helper_has_begun(db):
    with db.read_gated() as (_, gate):
        assert gate is not None
        blocked = sqlite3.connect(db.path, timeout=0)
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            blocked.execute("BEGIN IMMEDIATE")
        threading.Timer(0.05, gate.release).start()
        started = time.monotonic()
        waiting = sqlite3.connect(db.path, timeout=5)
        waiting.execute("BEGIN IMMEDIATE")  # once released, a writer goes on
        assert time.monotonic() - started < 2
        waiting.rollback()
        for other in (blocked, waiting):
            other.close()


def test_export_json_through_the_command_is_the_same_with_and_without_the_helper(
    lrm, db_path, tmp_path
):
    lrm("list")  # the database, as every command test has it
    _fill(db_path, 50, dump.HELPER_FROM + 500)
    out_with, out_without = tmp_path / "with.json", tmp_path / "without.json"
    with patch.object(dump, "_Pieces", wraps=dump._Pieces) as made:
        assert lrm("export", "json", "--out", str(out_with)).exit_code == 0
    assert made.call_args.args[1] is not None  # a helper was started
    with patch.object(dump, "HELPER_FROM", 10**9):
        assert lrm("export", "json", "--out", str(out_without)).exit_code == 0
    with_helper, without = (json.loads(p.read_text()) for p in (out_with, out_without))
    assert with_helper.pop("exported_at") and without.pop("exported_at")
    assert with_helper == without
    assert len(with_helper["interactions"]) == dump.HELPER_FROM + 500
