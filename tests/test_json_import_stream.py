"""`lrm import json` into an empty database reads the file a piece at a time and inserts
the records as they are checked (issue 14): the same records, errors, paths and
positions as reading it whole, at any piece size, and memory far below the document's."""

from __future__ import annotations

import io
import json
import tracemalloc
from datetime import UTC, date

import pytest

from lrm_cli.clock import Clock
from lrm_cli.domain import InvalidInput, StorageError
from lrm_cli.formats import json_io as json_doc
from lrm_cli.services import json_io
from lrm_cli.store.db import Database

HEAD = "0009"
TS = "2026-01-01T10:00:00+00:00"


def _contact(uid: str, n: int | None, **extra) -> dict:
    record = {"uid": uid, "name": f"Name {uid}", "created_at": TS, "updated_at": TS}
    return record | ({"id": n} if n is not None else {}) | extra


def _interaction(uid: str, n: int | None, people: list[str], **extra) -> dict:
    record = {
        "uid": uid,
        "occurred_at": TS,
        "kind": "call",
        "initiator": "me",
        "created_at": TS,
        "participants": people,
        "summary": f"talked about {uid} — ✓ 🎉",
    }
    return record | ({"id": n} if n is not None else {}) | extra


DOCUMENT = {
    "format": "lrm",
    "schema": HEAD,
    "exported_at": TS,
    "tags": [{"name": "work", "cadence_days": 7}],
    "contacts": [
        _contact(
            "a",
            4,
            tags=["work", "new-tag"],
            notes=[
                {"body": "no id", "created_at": TS},
                {"id": 9, "body": "nine", "created_at": TS},
            ],
            important_dates=[{"kind": "anniversary", "date": "--02-29"}],
        ),
        _contact("b", None, notes=[{"body": "b's", "created_at": TS}]),
        _contact("c", 2, methods=[{"kind": "email", "value": "c@example.org"}]),
    ],
    "relationships": [{"contact": "a", "other": "b", "kind": "friend"}],
    "interactions": [
        _interaction("i1", None, ["b", "a"]),
        _interaction("i2", 7, ["c"]),
        _interaction("i3", None, ["a"]),
    ],
    "reminders": [
        {"uid": "r", "contact": "b", "title": "call", "due_on": "2026-12-01", "created_at": TS}
    ],
}


WHERE = {"head_revision": HEAD, "today": date(2026, 11, 29), "zone": UTC}


def _streamed(data: bytes, chunk: int, monkeypatch) -> tuple[str, dict]:
    monkeypatch.setattr(json_doc._Reader, "CHUNK", chunk)
    schema, tables = None, {}
    for key, records in json_doc.decode_stream(io.BytesIO(data), "f.json", **WHERE):
        if key == "schema":
            schema = records
        else:
            tables[key] = list(records)
    return schema, tables


def _whole(data: bytes) -> tuple[str, dict]:
    decoded = json_doc.decode(data, "f.json", **WHERE)
    return decoded.schema, decoded.tables


def _error(read, *args) -> str | None:
    try:
        read(*args)
    except (InvalidInput, StorageError) as exc:
        return exc.message
    return None


REORDERED = {
    k: DOCUMENT[k] for k in ("reminders", "interactions", "relationships", "contacts", "tags")
} | {
    "schema": HEAD,
    "format": "lrm",
}


@pytest.mark.parametrize("chunk", [1, 3, 64, 1 << 20])
@pytest.mark.parametrize("doc", [DOCUMENT, REORDERED], ids=["in order", "reordered"])
def test_a_streamed_document_gives_the_records_of_the_whole_one(doc, chunk, monkeypatch):
    for data in (
        json.dumps(doc, ensure_ascii=False).encode(),
        json.dumps(doc, indent=3).encode(),
        b"\xef\xbb\xbf" + json.dumps(doc, separators=(",", ":")).encode(),
    ):
        assert _streamed(data, chunk, monkeypatch) == _whole(data)


BAD = [
    b"",
    b" \n ",
    b"[1, 2]",
    b"7",
    b'"text"',
    b'{"format": "vcard"}',
    b'{"format": "lrm", "schema": 2}',
    b'{"format": "lrm", "schema": "9999"}',
    b'{"schema": "0001"}',
    b'{"contacts": [7], "format": "vcard", "schema": "0001"}',
    b'{"schema": "9999", "interactions": [7], "format": "lrm"}',
    b'{\n  "format": "lrm",\n  oops\n}\n',
    b'{"format": "lrm", "schema": "0001"} x',
    b'{"format": "lrm", "schema": "0001"}\n\n  ]',
    b'{"format": "lrm", "schema": "0001", "tags": [{"name": "a"}, {"name": "b"}}',
    b'{"format": "lrm", "schema": "0001", "tags": [{"name": "a"} {"name": "b"}]}',
    b'{"format": "lrm", "schema": "0001", "contacts": [1, 2}',
    b'{"format": "lrm", "schema": "0001", "contacts": {}}',
    b'{"format": "lrm", "schema": "0001", "contacts": [{"uid": "a"}]}',
    b'{"schema": "0001", "contacts": [7], "format": "lrm"}',
    b'{"format": "lrm", "schema": "0001",}',
    b'{"format": "lrm", "schema": "0001", "tags": [{"name": "a"}, ]}',
    b'{"format": "lrm" "schema": "0001"}',
    b'{"format": "lrm", "schema" "0001"}',
    b'{"format": "lrm", "schema": "0001", "x": "\xff"}',
    b'{"format": "lrm", "schema": "0001", "x": "\xe2\x82"}',
    b'{"format": "lrm", "schema": "0001", "x": ' + b"[" * 50_000 + b"]" * 50_000 + b"}",
    b'{"format": "lrm", "schema": "0001", "x": 12345678901234567890, "y": tru}',
    b'{"format": "lrm", "schema": "0001", "interactions": [{"participants": ["z"]}],'
    b' "contacts": []}',
    b'{"format": "lrm", "schema": "0001", "contacts": [{"id": 1, "uid": "a", "name": "A",'
    b' "created_at": 0, "updated_at": 0}, {"id": 1, "uid": "b", "name": "B",'
    b' "created_at": 0, "updated_at": 0}]}',
    b'{"format": "lrm",\n"schema": "0001",\n"interactions": [\n{"uid": "i",\n"participants":'
    b' ["a"]}\n,\n{]\n}',
]


@pytest.mark.parametrize("chunk", [1, 5, 1 << 20])
@pytest.mark.parametrize("data", BAD)
def test_a_streamed_bad_document_fails_as_the_whole_one(data, chunk, monkeypatch):
    """The same message for a document with one error (with several, the stream names
    the first in the file: a bad record before a syntax error further on)."""
    expected = _error(_whole, data)
    assert expected is not None
    if data.endswith(b"[1, 2}"):
        expected = "f.json: contacts[0]: expected an object, found a number"
    assert _error(_streamed, data, chunk, monkeypatch) == expected


def test_a_top_level_key_given_twice_is_refused(lrm, tmp_path):
    path = tmp_path / "twice.json"
    path.write_text('{"format": "lrm", "schema": "0001", "tags": [], "tags": []}', "utf-8")
    result = lrm("import", "json", str(path))
    assert result.exit_code == 5
    assert "tags: given twice" in result.stderr


def test_a_reordered_file_restores_the_same_database(lrm, tmp_path):
    """Sections in any order (the header last, interactions before contacts), records
    without ids: the same database as the file in lrm's order."""
    exports = []
    for n, doc in enumerate((DOCUMENT, REORDERED)):
        db = tmp_path / f"{n}.sqlite3"
        path = tmp_path / f"{n}.json"
        path.write_text(json.dumps(doc), "utf-8")
        result = lrm("--db", str(db), "import", "json", str(path), "--json")
        assert result.exit_code == 0, result.stderr
        assert result.json()["created"]["interactions"] == 3
        exports.append(lrm("--db", str(db), "export", "json").stdout)
    assert exports[0] == exports[1]
    doc = json.loads(exports[0])
    assert [c["id"] for c in doc["contacts"]] == [2, 4, 5]  # b: after the largest given
    assert [i["id"] for i in doc["interactions"]] == [7, 8, 9]
    assert sorted(n["id"] for c in doc["contacts"] for n in c["notes"]) == [9, 10, 11]


def _big_document(interactions: int) -> bytes:
    contacts = [_contact(f"c{n}", n + 1) for n in range(200)]
    return json.dumps(
        {
            "format": "lrm",
            "schema": HEAD,
            "contacts": contacts,
            "interactions": [
                _interaction(f"i{n}", n + 1, [f"c{n % 200}", f"c{(n * 7) % 200}"])
                for n in range(interactions)
            ],
        },
        ensure_ascii=False,
    ).encode()


def test_a_restore_holds_a_fraction_of_the_document(tmp_path, template_db, monkeypatch):
    """A 4.7 MB document restored with less than 3 times its size of Python memory (what
    stays is the uids and ids kept to refuse duplicates); reading it whole, then
    inserting, takes 12 times its size. Read in this process (tracemalloc sees no
    other): a second process reads as this one would (tests/test_restore_two_cores.py)."""
    import shutil

    from lrm_cli import background

    monkeypatch.setattr(background, "available", lambda: False)

    data = _big_document(20_000)
    path = tmp_path / "big.json"
    path.write_bytes(data)
    target = tmp_path / "lrm.sqlite3"
    shutil.copyfile(template_db, target)
    db = Database(target)
    clock = Clock.pinned(date(2026, 11, 29))
    try:
        with json_io.open_source(str(path)) as (raw, name):
            tracemalloc.start()
            report = json_io.import_stream(db, raw, name, clock)
            _, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
    finally:
        db.close()
    assert report.created["interactions"] == 20_000
    assert peak < 3 * len(data), (peak, len(data))
