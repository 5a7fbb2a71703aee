"""The contact's fields are declared once (``domain.Contact``'s metadata, listed by
``lrm_cli.contact_fields``): the declaration must match the table, and every declared field
must reach what users and scripts read: ``show``, ``list``, ``export json``, and back
through ``import json``. A field added to the model and not to the declaration, or
declared and not shown, fails here."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from lrm_cli.contact_fields import CARD, DERIVED, FIELDS

ZONE = ZoneInfo("Europe/London")  # conftest's TZ
DECLARED = {f.column: f for f in (*FIELDS, *DERIVED, *CARD)}
# the table's types as the declared kinds store them
STORED_AS = {
    "int": "INTEGER",
    "timestamp": "INTEGER",
    "text": "VARCHAR",
    "date": "VARCHAR",
    "partial_date": "VARCHAR",
}


def _not_null(column: str) -> bool:
    f = DECLARED[column]
    return f.role in ("identity", "stamp") or f.required


def test_the_model_has_a_column_for_each_declared_field_and_no_other():
    from lrm_cli.store.models import Contact as Table

    assert set(Table.__table__.columns.keys()) == set(DECLARED)


def test_a_migrated_database_has_the_declared_columns_with_their_types(template_db: Path):
    conn = sqlite3.connect(template_db)
    try:
        info = conn.execute("PRAGMA table_info(contact)").fetchall()
    finally:
        conn.close()
    columns = {name: (kind, bool(notnull or pk)) for _, name, kind, notnull, _, pk in info}
    assert set(columns) == set(DECLARED)
    for name, (kind, notnull) in columns.items():
        assert kind == STORED_AS[DECLARED[name].kind], name
        assert notnull == _not_null(name), name


def test_the_record_is_the_table_in_the_order_of_the_export():
    # id first and the name third: store/contacts.py reads list rows by position
    assert [f.column for f in FIELDS[:3]] == ["id", "uid", "display_name"]
    assert all(f.role != "derived" for f in FIELDS)


# --- every field reaches the output ----------------------------------------------------------


def _everything_set(lrm, db_path: Path) -> dict:
    """A contact with every field of the record set (through the commands a user has),
    archived; its row as stored."""
    added = lrm(
        "add", "Ada Lovelace", "--given-name", "Augusta Ada", "--family-name", "King",
        "--nickname", "Ada", "--org", "Analytical Engines", "--title", "Countess",
        "--how-met", "Babbage's soirée", "--birthday", "1815-12-10", "--cadence", "30d",
        "--email", "ada@example.org", "--phone", "+442079460000", "--tag", "mentors",
    )  # fmt: skip
    assert added.exit_code == 0, added.stderr
    assert lrm("snooze", "ada", "--until", "2027-01-10").exit_code == 0
    assert lrm("archive", "ada").exit_code == 0
    conn = sqlite3.connect(db_path)
    conn.row_factory = sqlite3.Row
    try:
        row = dict(conn.execute("SELECT * FROM contact").fetchone())
    finally:
        conn.close()
    unset = [f.column for f in FIELDS if row[f.column] is None]
    assert not unset, f"set {unset} in this test: every field must be shown"
    return row


def _local(ts: int) -> str:
    return datetime.fromtimestamp(ts, ZONE).isoformat(timespec="seconds")


def _utc(ts: int) -> str:
    return datetime.fromtimestamp(ts, UTC).isoformat(timespec="seconds")


def _shown(row: dict) -> dict:
    """What the contact shape (show, list) must say for each field of ``row``."""
    out = {}
    for f in FIELDS:
        value = row[f.column]
        if f.shown_as:
            out[f.shown_as] = True
        else:
            out[f.key] = _local(value) if f.kind == "timestamp" else value
    return out


def test_show_and_list_show_every_field(lrm, db_path):
    row = _everything_set(lrm, db_path)
    expected = _shown(row)
    shown = lrm("show", "ada", "--json").json()
    (listed,) = lrm("list", "--all", "--json").json()
    for output in (shown, listed):
        assert {k: output.get(k, "(missing)") for k in expected} == expected


def test_export_json_writes_every_field_and_import_json_restores_it(lrm, db_path, tmp_path):
    row = _everything_set(lrm, db_path)
    out = tmp_path / "export.json"
    assert lrm("export", "json", "--out", str(out)).exit_code == 0
    exported = json.loads(out.read_text())
    (contact,) = exported["contacts"]
    expected = {
        f.key: _utc(row[f.column]) if f.kind == "timestamp" else row[f.column] for f in FIELDS
    }
    assert {k: contact.get(k, "(missing)") for k in expected} == expected

    other = tmp_path / "data" / "restored.sqlite3"
    imported = lrm("--db", str(other), "import", "json", str(out))
    assert imported.exit_code == 0, imported.stderr
    again = tmp_path / "again.json"
    assert lrm("--db", str(other), "export", "json", "--out", str(again)).exit_code == 0
    assert json.loads(again.read_text())["contacts"] == exported["contacts"]
    conn = sqlite3.connect(other)
    conn.row_factory = sqlite3.Row
    try:
        restored = dict(conn.execute("SELECT * FROM contact").fetchone())
    finally:
        conn.close()
    assert {f.column: restored[f.column] for f in FIELDS} == {
        f.column: row[f.column] for f in FIELDS
    }
    assert (
        lrm("--db", str(other), "show", "ada", "--json").json()
        == lrm("show", "ada", "--json").json()
    )
