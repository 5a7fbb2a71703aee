"""Ids are never given twice (migration 0023): a number names one contact, note, reminder
or change for good, so a forget or a merge can be undone alone whatever came after it."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from conftest import ok

from lrm_cli.store import migrate
from lrm_cli.store.db import Database, create_private_file


def _id(lrm, name: str) -> int:
    return lrm("show", name, "--json").json()["id"]


def test_a_forgotten_contacts_number_is_not_given_to_the_next_one(lrm):
    ok(lrm("add", "Ada Lovelace"))
    ok(lrm("add", "Grace Hopper"))
    grace = _id(lrm, "grace")
    ok(lrm("forget", "grace", "--yes"))
    ok(lrm("add", "Alan Turing"))
    alan = _id(lrm, "alan")
    assert alan > grace
    result = lrm("show", str(grace))
    assert result.exit_code == 3  # not Alan


def _at_0022(path: Path) -> None:
    """A database built by the migrations up to 0022 (before ids were kept): what every
    user had before this revision."""
    from alembic import command

    for leftover in path.parent.glob(path.name + "*"):
        leftover.unlink()
    create_private_file(path)
    engine = migrate._engine(path)
    try:
        with engine.begin() as connection:
            cfg = migrate._alembic_config()
            cfg.attributes["connection"] = connection
            command.upgrade(cfg, "0022")
    finally:
        engine.dispose()


def _change(conn: sqlite3.Connection, command: str, *statements: str) -> int:
    """One journaled change, as ``Database.write`` makes it (store/undo.py)."""
    with conn:
        change = conn.execute(
            "INSERT INTO undo_change (command, at) VALUES (?, 0)", (command,)
        ).lastrowid
        conn.execute("UPDATE undo_state SET change_id = ? WHERE id = 1", (change,))
        for statement in statements:
            conn.execute(statement)
        conn.execute("UPDATE undo_state SET change_id = NULL WHERE id = 1")
    return int(change)


def test_an_older_database_keeps_every_row_and_counts_above_what_undo_can_bring_back(lrm, db_path):
    """Grace (the newest contact, with the newest tag link, participant row and note) was
    forgotten before the upgrade; after it, a new contact, note, tag link and log take new
    numbers, and the forget is still undone alone, her rows numbered as they were."""
    _at_0022(db_path)
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA foreign_keys = ON")
    now = 1_764_000_000
    _change(
        conn,
        "lrm add",
        "INSERT INTO contact (id, uid, display_name, created_at, updated_at) VALUES "
        f"(1, 'u1', 'Ada Lovelace', {now}, {now}), (2, 'u2', 'Grace Hopper', {now}, {now})",
        "INSERT INTO tag (id, name) VALUES (1, 'navy')",
        "INSERT INTO contact_tag (contact_id, tag_id) VALUES (1, 1), (2, 1)",
        f"INSERT INTO note (contact_id, body, created_at, pinned) VALUES (2, 'COBOL', {now}, 0)",
        "INSERT INTO interaction (id, uid, occurred_at, kind, initiator, created_at) VALUES "
        f"(1, 'i1', {now}, 'call', 'me', {now}), (2, 'i2', {now}, 'call', 'me', {now})",
        "INSERT INTO interaction_participant (interaction_id, contact_id, occurred_at) VALUES "
        f"(1, 1, {now}), (2, 2, {now})",
    )
    forgot = _change(conn, "lrm forget grace", "DELETE FROM contact WHERE id = 2")
    before = {
        table: conn.execute(f"SELECT rowid, * FROM {table} ORDER BY rowid").fetchall()
        for table in ("contact", "contact_tag", "note", "interaction_participant", "tag")
    }
    conn.close()

    ok(lrm("list"))  # upgrades, after a copy
    conn = sqlite3.connect(db_path)
    for table, rows in before.items():
        assert conn.execute(f"SELECT rowid, * FROM {table} ORDER BY rowid").fetchall() == [
            row if table not in ("contact_tag", "interaction_participant") else (row[0], *row)
            for row in rows
        ], table  # the pair tables' rowid is their new id column
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    upgraded = set(
        conn.execute("SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite%'")
    )
    conn.close()
    fresh = db_path.parent / "fresh.sqlite3"
    Database(fresh).close()
    conn = sqlite3.connect(fresh)
    assert upgraded == set(
        conn.execute("SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite%'")
    )  # every index and trigger of the rebuilt tables is back
    conn.close()

    ok(lrm("add", "Alan Turing", "--tag", "navy"))
    ok(lrm("note", "alan", "Enigma"))
    ok(lrm("log", "alan", "--kind", "call"))
    alan = _id(lrm, "alan")
    assert alan == 3
    ok(lrm("undo", str(forgot)))
    grace = lrm("show", "2", "--json").json()
    assert grace["name"] == "Grace Hopper"
    assert grace["tags"] == ["navy"]
    assert [n["body"] for n in grace["notes"]] == ["COBOL"]
    assert [n["body"] for n in lrm("show", "alan", "--json").json()["notes"]] == ["Enigma"]
    timeline = lrm("timeline", "grace", "--json").json()
    assert [e["id"] for e in timeline if e["type"] == "interaction"] == [2]
