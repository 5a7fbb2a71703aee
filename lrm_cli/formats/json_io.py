"""The full-database JSON document of ``lrm export json`` / ``lrm import json``.

Pure conversions between the document and *tables*: plain dicts keyed by column name, as
``lrm_cli.store.dump`` reads and writes them (timestamps as epoch seconds). The document
uses the names of the JSON contract (``name``, ``preferred``, contact references by uid)
and ISO 8601 UTC timestamps; ``decode`` checks every record and names the first bad one by
its JSON path (``contacts[3].methods[0].kind``), so nothing is written from a bad file.

Document shape (docs/json.md)::

    {format: "lrm", schema, exported_at, lrm_version,
     tags: [{name, cadence_days}],
     contacts: [{id, uid, name, given_name, ..., created_at, updated_at (the record's
                 fields: contact_fields.FIELDS), org_units: [text], name_parts: [3 texts],
                 vcard_extra: [content line], vcard_uid,   # what a vCard brought (0009)
                 methods: [{kind, value, label, preferred, components}],  # components:
                 # an address's {po_box, extended, street, locality, region, postal_code,
                 # country}, else null
                 tags: [name], aliases: [name],
                 merged_uids: [uid],   # of the contacts `lrm merge` merged into it (0024)
                 important_dates: [{id, kind, label, date, remind_days_before}],
                 notes: [{id, body, pinned, created_at}]}],
     relationships: [{id, contact, other, kind, label}],   # contact/other: contact uids;
                                                           # label: contact's word (0014)
     interactions: [{id, uid, occurred_at, kind, initiator, summary, sentiment, weight,
                     created_at, participants: [contact uid]}],
     reminders: [{id, uid, contact, title, due_on, recurrence, done_at, created_at}]}
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any, BinaryIO, NamedTuple

from lrm_cli import contact_fields
from lrm_cli.domain import (
    ADDRESS_PARTS,
    DATE_KINDS,
    INITIATORS,
    INTERACTION_KINDS,
    MAX_ID,
    METHOD_KINDS,
    RELATIONSHIP_KINDS,
    ContactField,
    InvalidInput,
    StorageError,
)
from lrm_cli.normalize import nocase
from lrm_cli.vocabulary import MAX_FUTURE_DAYS, MAX_LEAD_DAYS, too_far_ahead

FORMAT = "lrm"
_CADENCE = contact_fields.BY_COLUMN["cadence_days"]
TABLES = ("tags", "contacts", "relationships", "interactions", "reminders")

_FULL_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_YEARLESS = re.compile(r"^--(\d{2})-(\d{2})$")
_REVISION = re.compile(r"^\d+$")


# --- encoding -------------------------------------------------------------------------------


def iso_utc(ts: int | None) -> str | None:
    if ts is None:
        return None
    return datetime.fromtimestamp(ts, UTC).isoformat(timespec="seconds")


def encode(tables: dict[str, list[dict]], *, schema: str, exported_at: int, version: str) -> str:
    """The document for ``tables`` (as ``store.dump.read_all`` returns them): indented,
    UTF-8 (no ``\\u`` escapes), key order fixed, so equal databases give equal text."""
    return "".join(stream(tables, schema=schema, exported_at=exported_at, version=version))


def stream(
    sections: dict[str, Iterable[dict | str | Records]],
    *,
    schema: str,
    exported_at: int,
    version: str,
    counts: dict[str, int] | None = None,
) -> Iterator[str | bytes]:
    """The text of :func:`encode`, a piece at a time, for ``sections``: each of ``TABLES``
    an iterable of records, read as the text is written (nothing holds the whole
    document). A record is a row dict (as ``store.dump`` reads them), or the record
    already encoded on one line, as ``json.dumps`` writes it, or several as
    :class:`Records` (``store.dump`` writes the interactions in SQL). ``counts``, when
    given, is filled with what was written (the keys of :func:`counts`)."""
    tally = counts if counts is not None else {}
    tally.update({key: 0 for key in COUNT_KEYS})
    dumps = _ENCODER.encode
    head = {
        "format": FORMAT,
        "schema": schema,
        "exported_at": iso_utc(exported_at),
        "lrm_version": version,
    }
    yield "{\n" + ",\n".join(f"  {dumps(key)}: {dumps(value)}" for key, value in head.items())
    for key in TABLES:
        record = _RECORDS[key]
        opened = False
        batch: list[str] = []
        size = 0  # records in batch
        for item in sections[key]:
            if isinstance(item, Records):
                if not item.count:
                    continue
                if batch:
                    tally[key] += size
                    yield _OPEN[opened].format(dumps(key)) + SEPARATOR.join(batch)
                    opened, batch, size = True, [], 0
                tally[key] += item.count
                for counted, n in (item.parts or {}).items():
                    tally[counted] += n
                opener = _OPEN[opened].format(dumps(key))
                text = item.text
                yield opener + text if isinstance(text, str) else opener.encode() + text
                opened = True
                continue
            if isinstance(item, str):
                batch.append(item)
            else:
                if key == "contacts":
                    for part, counted in _CONTACT_PARTS:
                        tally[counted] += len(item[part])
                batch.append(dumps(record(item)))
            size += 1
            if size >= _BATCH:
                tally[key] += size
                yield _OPEN[opened].format(dumps(key)) + SEPARATOR.join(batch)
                opened, batch, size = True, [], 0
        if batch:
            tally[key] += size
            yield _OPEN[opened].format(dumps(key)) + SEPARATOR.join(batch)
            opened = True
        yield "\n  ]" if opened else f",\n  {dumps(key)}: []"
    yield "\n}\n"


class Records(NamedTuple):
    """Several records of a section already encoded as ``json.dumps`` writes them, joined
    by ``SEPARATOR`` (``store.dump`` writes the interactions so, in SQL): as text, or as
    UTF-8 bytes, which :func:`stream` passes on as they are (no decoding and encoding
    again: tens of megabytes in a big export)."""

    text: str | bytes
    count: int
    parts: dict[str, int] | None = None  # contacts: how many of each part nested in them


SEPARATOR = ",\n    "  # between the records of a section
_OPEN = {False: ",\n  {}: [\n    ", True: SEPARATOR}  # before a section's first piece, the others
_ENCODER = json.JSONEncoder(ensure_ascii=False)  # the C encoder: ``indent`` is pure Python
_BATCH = 2000  # records a piece of the text
COUNT_KEYS = (
    "contacts",
    "tags",
    "contact_tags",
    "methods",
    "important_dates",
    "notes",
    "relationships",
    "interactions",
    "reminders",
)
_CONTACT_PARTS = (
    ("tags", "contact_tags"),
    ("methods", "methods"),
    ("important_dates", "important_dates"),
    ("notes", "notes"),
)


def _encode_tag(t: dict) -> dict[str, Any]:
    return {"name": t["name"], "cadence_days": t["cadence_days"]}


def _encode_relationship(r: dict) -> dict[str, Any]:
    return {
        "id": r["id"],
        "contact": r["contact_uid"],
        "other": r["other_uid"],
        "kind": r["kind"],
        "label": r["label"],
    }


def encode_interaction(i: dict) -> dict[str, Any]:
    """An interaction's record (``store.json_sql.INTERACTION_RECORD`` writes the same in
    SQL)."""
    return {
        "id": i["id"],
        "uid": i["uid"],
        "occurred_at": iso_utc(i["occurred_at"]),
        "kind": i["kind"],
        "initiator": i["initiator"],
        "summary": i["summary"],
        "sentiment": i["sentiment"],
        "weight": i["weight"],
        "created_at": iso_utc(i["created_at"]),
        "participants": list(i["participants"]),
    }


def _encode_reminder(r: dict) -> dict[str, Any]:
    return {
        "id": r["id"],
        "uid": r["uid"],
        "contact": r["contact_uid"],
        "title": r["title"],
        "due_on": r["due_on"],
        "recurrence": r["recurrence"],
        "done_at": iso_utc(r["done_at"]),
        "created_at": iso_utc(r["created_at"]),
    }


# (document key, table column, conversion) of each field of a contact record, in order
_CONTACT_KEYS = tuple(
    (f.key, f.column, iso_utc if f.kind == "timestamp" else None) for f in contact_fields.FIELDS
)


def _json_list(text: str | None) -> list[str]:
    return json.loads(text) if text else []


def _address(text: str | None) -> dict[str, str] | None:
    return dict(zip(ADDRESS_PARTS, json.loads(text), strict=True)) if text else None


def encode_contact(c: dict) -> dict[str, Any]:
    """A contact's record (``store.json_sql.CONTACT_RECORD`` writes the same in SQL)."""
    return {
        **{
            key: c[column] if convert is None else convert(c[column])
            for key, column, convert in _CONTACT_KEYS
        },
        "org_units": _json_list(c.get("org_units")),
        "name_parts": _json_list(c.get("name_parts")) or None,
        "vcard_extra": _json_list(c.get("vcard_extra")),
        "vcard_uid": c.get("vcard_uid"),
        "methods": [
            {
                "kind": m["kind"],
                "value": m["value"],
                "label": m["label"],
                "preferred": bool(m["is_preferred"]),
                "components": _address(m.get("components")),
            }
            for m in c["methods"]
        ],
        "tags": list(c["tags"]),
        "aliases": list(c.get("aliases", [])),
        "merged_uids": list(c.get("merged_uids", [])),
        "important_dates": [
            {
                "id": d["id"],
                "kind": d["kind"],
                "label": d["label"],
                "date": d["date"],
                "remind_days_before": d["remind_days_before"],
            }
            for d in c["important_dates"]
        ],
        "notes": [
            {
                "id": n["id"],
                "body": n["body"],
                "pinned": bool(n["pinned"]),
                "created_at": iso_utc(n["created_at"]),
            }
            for n in c["notes"]
        ],
    }


_RECORDS = {
    "tags": _encode_tag,
    "contacts": encode_contact,
    "relationships": _encode_relationship,
    "interactions": encode_interaction,
    "reminders": _encode_reminder,
}


# --- decoding -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Decoded:
    schema: str
    exported_at: str | None
    lrm_version: str | None
    tables: dict[str, list[dict]]

    def counts(self) -> dict[str, int]:
        return counts(self.tables)


def counts(tables: dict[str, list[dict]]) -> dict[str, int]:
    contacts = tables["contacts"]
    return {
        "contacts": len(contacts),
        "tags": len(tables["tags"]),
        "contact_tags": sum(len(c["tags"]) for c in contacts),
        "methods": sum(len(c["methods"]) for c in contacts),
        "important_dates": sum(len(c["important_dates"]) for c in contacts),
        "notes": sum(len(c["notes"]) for c in contacts),
        "relationships": len(tables["relationships"]),
        "interactions": len(tables["interactions"]),
        "reminders": len(tables["reminders"]),
    }


def revision_number(schema: str) -> int:
    return int(schema)


def decode(
    text: str | bytes, source: str, *, head_revision: str, today: date, zone: tzinfo
) -> Decoded:
    """Parse and check a document; raise InvalidInput (bad JSON or record, with
    ``source:line:column`` or the JSON path) or StorageError (from a newer lrm).
    ``today`` and ``zone``: where the user is, for the interactions too far ahead."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise InvalidInput(
                f"{source}: not UTF-8 text (byte {exc.start}): lrm writes JSON as UTF-8"
            ) from exc
    if not text.strip():
        raise InvalidInput(f"{source}: empty file, expected an lrm JSON export")
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidInput(f"{source}:{exc.lineno}:{exc.colno}: malformed JSON: {exc.msg}") from exc
    except RecursionError as exc:
        raise InvalidInput(f"{source}: malformed JSON: nested too deeply") from exc
    if not isinstance(doc, dict):
        raise InvalidInput(f"{source}: expected a JSON object at the top, not {_kind(doc)}")
    schema = check_header(doc, source, head_revision)
    checker = _Checker(source, today, zone)
    tables = checker.document(doc)
    return Decoded(
        schema=schema,
        exported_at=doc.get("exported_at") if isinstance(doc.get("exported_at"), str) else None,
        lrm_version=doc.get("lrm_version") if isinstance(doc.get("lrm_version"), str) else None,
        tables=tables,
    )


def check_header(doc: dict, source: str, head_revision: str) -> str:
    """The document's ``format`` and ``schema`` checked; returns the schema."""
    if doc.get("format") != FORMAT:
        raise InvalidInput(
            f"{source}: not an lrm export (format is {doc.get('format')!r}, expected 'lrm')",
            hint="write one with: lrm export json --out FILE",
        )
    schema = doc.get("schema")
    if not isinstance(schema, str) or not _REVISION.match(schema):
        raise InvalidInput(f"{source}: schema: expected a revision like {head_revision!r}")
    if revision_number(schema) > revision_number(head_revision):
        raise StorageError(
            f"{source} was exported by a newer lrm (schema {schema}; this lrm knows up to "
            f"{head_revision})",
            hint="upgrade lrm, then import again",
        )
    return schema


# --- decoding a stream ------------------------------------------------------------------------


def decode_stream(
    raw: BinaryIO, source: str, *, head_revision: str, today: date, zone: tzinfo
) -> Iterator[tuple[str, Any]]:
    """:func:`decode` of a file read a piece at a time, each record checked as it is
    parsed, so that nothing holds the whole text or every record (a restore inserts them
    as they come). Yields ``("schema", schema)`` once ``format`` and ``schema`` are
    checked, then ``(section, records)`` for each of ``TABLES``, each after the contacts
    when it names them, ``records`` an iterator of the checked records (as
    :func:`decode` gives them), to be used up before the next. The same errors as
    :func:`decode`, with the same JSON paths and positions; a section that comes before
    the header or before the contacts it names (a hand-written file's order) is read
    whole first; a top-level key given twice is refused."""
    reader = _Reader(raw, source)
    checker = _Checker(source, today, zone)
    uids: set[str] = set()
    header: dict[str, Any] = {}
    held: dict[str, Any] = {}  # sections read whole, waiting for their turn
    done: set[str] = set()
    schema: str | None = None

    def ready(name: str) -> bool:
        return schema is not None and all(need in done for need in _NEEDS.get(name, ()))

    for key, member in reader.members():
        if key in header or key in held or key in done:
            raise InvalidInput(f"{source}: {key}: given twice in the document")
        if key not in TABLES:
            header[key] = member.value()
            if schema is not None or "format" not in header or "schema" not in header:
                continue
            schema = check_header(header, source, head_revision)
            yield "schema", schema
        elif ready(key) and member.is_list():
            records = _records(checker, key, member.elements(), uids)
            yield key, records
            for _ in records:  # what the caller left
                pass
            done.add(key)
        else:
            held[key] = member.value()
            continue
        while waiting := [name for name in TABLES if name in held and ready(name)]:
            name = waiting[0]
            yield name, _records(checker, name, checker.items(held, name, name), uids)
            del held[name]
            done.add(name)
    if schema is None:
        schema = check_header(header, source, head_revision)
        yield "schema", schema
    for name in TABLES:
        if name not in done:
            yield name, _records(checker, name, checker.items(held, name, name), uids)


# what a section's records refer to: the contacts they name by uid
_NEEDS = {"relationships": ("contacts",), "interactions": ("contacts",), "reminders": ("contacts",)}


def _records(checker: _Checker, name: str, raws: Iterable, uids: set[str]) -> Iterator[dict]:
    if name == "tags":
        return checker.tag_records(raws)
    if name == "contacts":
        return checker.contact_records(raws, uids)
    return getattr(checker, f"{name[:-1]}_records")(raws, uids)


_WS = re.compile(r"[ \t\n\r]*")


class _Reader:
    """A JSON document's top-level object read from a binary file a piece at a time
    (UTF-8, a BOM skipped): its members one by one, and a member that is a list its
    elements one by one. Errors are ``decode``'s: ``source:line:column: malformed JSON``
    with the position in the whole file."""

    CHUNK = 1 << 16  # bytes: a piece of text is at most 4 times that in memory

    def __init__(self, raw: BinaryIO, source: str) -> None:
        self.raw = raw
        self.source = source
        self.decoder = codecs.getincrementaldecoder("utf-8-sig")()
        self.read_bytes = 0
        self.buf = ""
        self.pos = 0
        self.eof = False
        self.lines = 0  # line breaks before buf
        self.column = 0  # characters between the last of them and buf
        self.scan = json.JSONDecoder().raw_decode

    # --- the text ---

    def _more(self) -> bool:
        """Append the next piece to the buffer, dropping what was read before it; False
        (the buffer as it was) at the end of the file."""
        text = ""
        while not self.eof and not text:
            data = self.raw.read(self.CHUNK)
            pending = len(self.decoder.getstate()[0])
            try:
                text = self.decoder.decode(data, final=not data)
            except UnicodeDecodeError as exc:
                at = self.read_bytes - pending + exc.start
                raise InvalidInput(
                    f"{self.source}: not UTF-8 text (byte {at}): lrm writes JSON as UTF-8"
                ) from exc
            self.read_bytes += len(data)
            self.eof = not data
        if not text:
            return False
        breaks = self.buf.count("\n", 0, self.pos)
        if breaks:
            self.lines += breaks
            self.column = self.pos - self.buf.rfind("\n", 0, self.pos) - 1
        else:
            self.column += self.pos
        self.buf, self.pos = self.buf[self.pos :] + text, 0
        return True

    def _peek(self) -> str:
        """The next character that is not white space ("" at the end)."""
        while True:
            self.pos = _WS.match(self.buf, self.pos).end()
            if self.pos < len(self.buf):
                return self.buf[self.pos]
            if not self._more():
                return ""

    def fail(self, message: str, pos: int | None = None) -> InvalidInput:
        at = self.pos if pos is None else pos
        line = self.lines + self.buf.count("\n", 0, at) + 1
        start = self.buf.rfind("\n", 0, at)
        column = at - start if start >= 0 else self.column + at + 1
        return InvalidInput(f"{self.source}:{line}:{column}: malformed JSON: {message}")

    def value(self) -> Any:
        """The JSON value at the current position (after white space)."""
        self._peek()
        while True:
            try:
                value, end = self.scan(self.buf, self.pos)
            except json.JSONDecodeError as exc:
                if self._more():
                    continue
                raise self.fail(exc.msg, exc.pos) from exc
            except RecursionError as exc:
                raise InvalidInput(f"{self.source}: malformed JSON: nested too deeply") from exc
            if end == len(self.buf) and self._more():
                continue  # a number or a word may go on in the next piece
            self.pos = end
            return value

    def _expect(self, char: str, message: str) -> None:
        if self._peek() != char:
            raise self.fail(message)
        self.pos += 1

    # --- the structure ---

    def members(self) -> Iterator[tuple[str, _Member]]:
        first = self._peek()
        if first == "":
            raise InvalidInput(f"{self.source}: empty file, expected an lrm JSON export")
        if first != "{":
            top = self.value()
            self._end()
            raise InvalidInput(
                f"{self.source}: expected a JSON object at the top, not {_kind(top)}"
            )
        self.pos += 1
        if self._peek() == "}":
            self.pos += 1
        else:
            while True:
                if self._peek() != '"':
                    raise self.fail("Expecting property name enclosed in double quotes")
                key = self.value()
                self._expect(":", "Expecting ':' delimiter")
                self._peek()
                member = _Member(self)
                yield key, member
                member.finish()
                following = self._peek()
                if following == "}":
                    self.pos += 1
                    break
                if following != ",":
                    raise self.fail("Expecting ',' delimiter")
                self.pos += 1
        self._end()

    def _end(self) -> None:
        if self._peek() != "":
            raise self.fail("Extra data")


class _Member:
    """A member's value: read whole, or element by element when it is a list."""

    def __init__(self, reader: _Reader) -> None:
        self.reader = reader
        self.state = "new"  # "elements" while they are read, "read" after

    def is_list(self) -> bool:
        return self.reader._peek() == "["

    def value(self) -> Any:
        self.state = "read"
        return self.reader.value()

    def elements(self) -> Iterator[Any]:
        reader = self.reader
        self.state = "elements"
        reader._expect("[", "Expecting value")
        if reader._peek() == "]":
            reader.pos += 1
        else:
            while True:
                yield reader.value()
                following = reader._peek()
                if following == "]":
                    reader.pos += 1
                    break
                if following != ",":
                    raise reader.fail("Expecting ',' delimiter")
                reader.pos += 1
        self.state = "read"

    def finish(self) -> None:
        if self.state == "new":
            self.value()
        elif self.state == "elements":  # pragma: no cover - decode_stream uses them up
            for _ in self.elements():
                pass


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    return "an object"


class _Checker:
    """Walks the document; every check names the JSON path of what it rejects."""

    def __init__(self, source: str, today: date, zone: tzinfo) -> None:
        from lrm_cli.dates import EARLIEST_MOMENT, LATEST_MOMENT

        self.source = source
        self.bounds = (EARLIEST_MOMENT.timestamp(), LATEST_MOMENT.timestamp())
        self.today, self.zone = today, zone
        # a moment before the last day lrm takes is not too far ahead: one comparison per
        # interaction, the calendar (the rule itself) only past it
        self.near_ts = datetime.combine(
            today + timedelta(days=MAX_FUTURE_DAYS), time(), zone
        ).timestamp()

    def fail(self, path: str, message: str) -> InvalidInput:
        return InvalidInput(f"{self.source}: {path}: {message}")

    # --- scalars ---

    def obj(self, value: Any, path: str) -> dict:
        if not isinstance(value, dict):
            raise self.fail(path, f"expected an object, found {_kind(value)}")
        return value

    def items(self, parent: dict, key: str, path: str) -> list:
        value = parent.get(key, [])
        if not isinstance(value, list):
            raise self.fail(path, f"expected a list, found {_kind(value)}")
        return value

    def text(self, parent: dict, key: str, path: str, *, required: bool = False):
        value = parent.get(key)
        if value is None:
            if required:
                raise self.fail(path, "missing (a string is required)")
            return None
        if not isinstance(value, str):
            raise self.fail(path, f"expected a string, found {_kind(value)}")
        if "\x00" in value:
            raise self.fail(path, "contains a NUL character")
        if required and not value.strip():
            raise self.fail(path, "cannot be empty")
        return value

    def integer(self, parent: dict, key: str, path: str, *, low=None, high=None):
        value = parent.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(path, f"expected a whole number, found {_kind(value)}")
        if not -(2**63) <= value < 2**63:  # SQLite's integers are 64-bit
            raise self.fail(path, f"{value} is out of range")
        if (low is not None and value < low) or (high is not None and value > high):
            bounds = f"{low if low is not None else '...'}..{high if high is not None else '...'}"
            raise self.fail(path, f"{value} is outside {bounds}")
        return value

    def number(self, parent: dict, key: str, path: str):
        value = parent.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise self.fail(path, f"expected a number, found {_kind(value)}")
        if not 0 < value <= 100:
            raise self.fail(path, f"{value} must be above 0 and at most 100")
        return value

    def boolean(self, parent: dict, key: str, path: str) -> bool:
        value = parent.get(key, False)
        if not isinstance(value, bool):
            raise self.fail(path, f"expected true or false, found {_kind(value)}")
        return value

    def choice(self, parent: dict, key: str, path: str, choices: tuple[str, ...]) -> str:
        value = self.text(parent, key, path, required=True)
        if value not in choices:
            raise self.fail(path, f"unknown {key} {value!r}: one of {', '.join(choices)}")
        return value

    def timestamp(self, parent: dict, key: str, path: str, *, required: bool = False):
        value = parent.get(key)
        if value is None:
            if required:
                raise self.fail(path, "missing (an ISO 8601 timestamp is required)")
            return None
        if isinstance(value, int) and not isinstance(value, bool):
            return self.moment(value, value, path)
        if not isinstance(value, str):
            raise self.fail(path, f"expected an ISO 8601 timestamp, found {_kind(value)}")
        try:
            moment = datetime.fromisoformat(value)
        except ValueError as exc:
            raise self.fail(path, f"{value!r} is not an ISO 8601 timestamp") from exc
        if moment.tzinfo is None or moment.utcoffset() is None:
            raise self.fail(path, f"{value!r} has no UTC offset")
        return self.moment(int(moment.timestamp()), value, path)

    def happened(self, item: dict, path: str) -> int:
        """An interaction's ``occurred_at``: a timestamp, and not further ahead than lrm
        takes (``too_far_ahead``, the rule of ``log --future``)."""
        seconds = self.timestamp(item, "occurred_at", path, required=True)
        if seconds >= self.near_ts:
            day = datetime.fromtimestamp(seconds, self.zone).date()
            if too_far_ahead(day, self.today):
                raise self.fail(
                    path,
                    f"{item['occurred_at']!r} is {day.isoformat()}, more than a year after "
                    f"today ({self.today.isoformat()}): check the year",
                )
        return seconds

    def moment(self, seconds: int, value: Any, path: str) -> int:
        """Epoch seconds between 1900 and 2199 (lrm_cli.dates): a year 0001 or 9999 would
        break the balance's arithmetic, or every later export and `show`."""
        low, high = self.bounds
        if not low <= seconds < high:
            from lrm_cli.dates import EARLIEST_MOMENT, LATEST_MOMENT

            first, last = EARLIEST_MOMENT.year, LATEST_MOMENT.year - 1
            raise self.fail(path, f"{value!r} is out of range ({first} to {last})")
        return seconds

    def day(self, parent: dict, key: str, path: str, *, required: bool = False):
        value = self.text(parent, key, path, required=required)
        if value is None:
            return None
        try:
            if not _FULL_DATE.match(value):
                raise ValueError(value)
            date.fromisoformat(value)
        except ValueError as exc:
            raise self.fail(path, f"{value!r} is not a date (YYYY-MM-DD)") from exc
        return value

    def partial_date(self, parent: dict, key: str, path: str, *, required: bool = False):
        value = self.text(parent, key, path, required=required)
        if value is None:
            return None
        try:
            yearless = _YEARLESS.match(value)
            if yearless:
                date(2000, int(yearless[1]), int(yearless[2]))
            elif _FULL_DATE.match(value):
                date.fromisoformat(value)
            else:
                raise ValueError(value)
        except ValueError as exc:
            raise self.fail(path, f"{value!r} is not a date (YYYY-MM-DD or --MM-DD)") from exc
        return value

    def ident(self, parent: dict, path: str, seen: set[int]) -> int | None:
        value = self.integer(parent, "id", f"{path}.id", low=1, high=MAX_ID)
        if value is not None:
            if value in seen:
                raise self.fail(f"{path}.id", f"id {value} appears twice")
            seen.add(value)
        return value

    def uid(self, parent: dict, path: str, seen: set[str]) -> str:
        value = self.text(parent, "uid", f"{path}.uid", required=True)
        if value in seen:
            raise self.fail(f"{path}.uid", f"uid {value!r} appears twice")
        seen.add(value)
        return value

    def field(self, item: dict, f: ContactField, path: str) -> Any:
        """A contact's field, checked as its kind says (contact_fields)."""
        if f.kind == "text":
            return self.text(item, f.key, path, required=f.required)
        if f.kind == "int":
            return self.integer(item, f.key, path, low=f.minimum, high=f.maximum)
        if f.kind == "date":
            return self.day(item, f.key, path)
        if f.kind == "partial_date":
            return self.partial_date(item, f.key, path)
        return self.timestamp(item, f.key, path, required=f.role == "stamp")

    # --- records ---

    def document(self, doc: dict) -> dict[str, list[dict]]:
        tags = self.tags(doc)
        uids: set[str] = set()
        contacts = self.contacts(doc, uids)
        return {
            "tags": tags,
            "contacts": contacts,
            "relationships": self.relationships(doc, uids),
            "interactions": self.interactions(doc, uids),
            "reminders": self.reminders(doc, uids),
        }

    def tag_name(self, value: Any, path: str) -> str:
        if not isinstance(value, str):
            raise self.fail(path, f"expected a tag name, found {_kind(value)}")
        if not value.strip() or re.search(r"[\x00-\x1f\x7f]", value):
            raise self.fail(path, f"invalid tag {value!r}: empty or with control characters")
        return value

    def tags(self, doc: dict) -> list[dict]:
        return list(self.tag_records(self.items(doc, "tags", "tags")))

    def tag_records(self, raws: Iterable) -> Iterator[dict]:
        seen = set()
        for i, raw in enumerate(raws):
            path = f"tags[{i}]"
            item = self.obj(raw, path)
            name = self.tag_name(item.get("name"), f"{path}.name")
            if nocase(name) in seen:
                raise self.fail(f"{path}.name", f"tag {name!r} appears twice")
            seen.add(nocase(name))
            cadence = self.integer(  # a tag's cadence: the rule of a contact's
                item,
                "cadence_days",
                f"{path}.cadence_days",
                low=_CADENCE.minimum,
                high=_CADENCE.maximum,
            )
            yield {"name": name, "cadence_days": cadence}

    def contacts(self, doc: dict, uids: set[str] | None = None) -> list[dict]:
        raws = self.items(doc, "contacts", "contacts")
        return list(self.contact_records(raws, set() if uids is None else uids))

    def contact_records(self, raws: Iterable, uids: set[str]) -> Iterator[dict]:
        """The checked contacts of ``raws``; ``uids`` gets each one's uid."""
        ids: set[int] = set()
        date_ids: set[int] = set()
        note_ids: set[int] = set()
        merged: set[str] = set()
        for i, raw in enumerate(raws):
            path = f"contacts[{i}]"
            item = self.obj(raw, path)
            row: dict[str, Any] = {
                "id": self.ident(item, path, ids),
                "uid": self.uid(item, path, uids),
            }
            for f in contact_fields.FIELDS:
                if f.role != "identity":
                    row[f.column] = self.field(item, f, f"{path}.{f.key}")
            row["methods"] = self.methods(item, path)
            row["tags"] = [
                self.tag_name(t, f"{path}.tags[{j}]")
                for j, t in enumerate(self.items(item, "tags", f"{path}.tags"))
            ]
            row["aliases"] = self.aliases(item, path)
            row["merged_uids"] = self.merged_uids(item, path, merged)
            row.update(self.card_columns(item, path))
            row["important_dates"] = self.important_dates(item, path, date_ids)
            row["notes"] = self.notes(item, path, note_ids)
            yield row

    def strings(self, contact: dict, key: str, path: str, *, size: int | None = None):
        """A list of strings as the JSON text its column holds (None when empty)."""
        values = self.items(contact, key, path)
        for j, value in enumerate(values):
            if not isinstance(value, str):
                raise self.fail(f"{path}[{j}]", f"expected a string, found {_kind(value)}")
            if re.search(r"[\x00\r\n]", value):
                raise self.fail(f"{path}[{j}]", "contains a NUL or a line break")
        if size is not None and values and len(values) != size:
            raise self.fail(path, f"expected {size} strings, found {len(values)}")
        return json.dumps(values, ensure_ascii=False) if values else None

    def card_columns(self, contact: dict, parent: str) -> dict[str, Any]:
        """What a vCard brought (optional: files before schema 0009 have none)."""
        if contact.get("name_parts") is None:
            contact = {**contact, "name_parts": []}
        return {
            "org_units": self.strings(contact, "org_units", f"{parent}.org_units"),
            "name_parts": self.strings(contact, "name_parts", f"{parent}.name_parts", size=3),
            "vcard_extra": self.strings(contact, "vcard_extra", f"{parent}.vcard_extra"),
            "vcard_uid": self.text(contact, "vcard_uid", f"{parent}.vcard_uid"),
        }

    def components(self, method: dict, kind: str, path: str) -> str | None:
        """An address's components (an object of ADDRESS_PARTS) as its column holds them."""
        value = method.get("components")
        if value is None:
            return None
        if kind != "address":
            raise self.fail(path, "only an address has components")
        parts = self.obj(value, path)
        unknown = sorted(set(parts) - set(ADDRESS_PARTS))
        if unknown:
            raise self.fail(path, f"unknown part {unknown[0]!r}: {', '.join(ADDRESS_PARTS)}")
        out = [self.text(parts, key, f"{path}.{key}") or "" for key in ADDRESS_PARTS]
        return json.dumps(out, ensure_ascii=False) if any(out) else None

    def aliases(self, contact: dict, parent: str) -> list[str]:
        """The contact's other names (optional: files before schema 0008 have none)."""
        out, seen = [], set()
        for j, raw in enumerate(self.items(contact, "aliases", f"{parent}.aliases")):
            path = f"{parent}.aliases[{j}]"
            name = self.text({"name": raw}, "name", path, required=True)
            if nocase(name) in seen:
                raise self.fail(path, f"alias {name!r} appears twice for this contact")
            seen.add(nocase(name))
            out.append(name)
        return out

    def merged_uids(self, contact: dict, parent: str, merged: set[str]) -> list[str]:
        """The UIDs of the contacts merged into this one (`lrm merge`), by which a card
        read again finds it (optional: files before schema 0024 have none); each once in
        the file. One that is also a contact's own is kept: the contact's comes first."""
        out = []
        for j, raw in enumerate(self.items(contact, "merged_uids", f"{parent}.merged_uids")):
            path = f"{parent}.merged_uids[{j}]"
            value = self.text({"uid": raw}, "uid", path, required=True)
            if value in merged:
                raise self.fail(path, f"uid {value!r} appears twice")
            merged.add(value)
            out.append(value)
        return out

    def methods(self, contact: dict, parent: str) -> list[dict]:
        out, seen = [], set()
        for j, raw in enumerate(self.items(contact, "methods", f"{parent}.methods")):
            path = f"{parent}.methods[{j}]"
            item = self.obj(raw, path)
            kind = self.choice(item, "kind", f"{path}.kind", METHOD_KINDS)
            value = self.text(item, "value", f"{path}.value", required=True)
            if kind == "email" and not re.match(r"^[^@\s]+@[^@\s]+$", value):
                raise self.fail(f"{path}.value", f"invalid email {value!r}: expected name@domain")
            if (kind, value) in seen:
                raise self.fail(path, f"{kind} {value!r} appears twice for this contact")
            seen.add((kind, value))
            out.append(
                {
                    "kind": kind,
                    "value": value,
                    "label": self.text(item, "label", f"{path}.label"),
                    "is_preferred": self.boolean(item, "preferred", f"{path}.preferred"),
                    "components": self.components(item, kind, f"{path}.components"),
                }
            )
        return out

    def important_dates(self, contact: dict, parent: str, ids: set[int]) -> list[dict]:
        out = []
        for j, raw in enumerate(
            self.items(contact, "important_dates", f"{parent}.important_dates")
        ):
            path = f"{parent}.important_dates[{j}]"
            item = self.obj(raw, path)
            out.append(
                {
                    "id": self.ident(item, path, ids),
                    "kind": self.choice(item, "kind", f"{path}.kind", DATE_KINDS),
                    "label": self.text(item, "label", f"{path}.label"),
                    "date": self.partial_date(item, "date", f"{path}.date", required=True),
                    "remind_days_before": self.integer(
                        item,
                        "remind_days_before",
                        f"{path}.remind_days_before",
                        low=0,
                        high=MAX_LEAD_DAYS,
                    ),
                }
            )
        return out

    def notes(self, contact: dict, parent: str, ids: set[int]) -> list[dict]:
        out = []
        for j, raw in enumerate(self.items(contact, "notes", f"{parent}.notes")):
            path = f"{parent}.notes[{j}]"
            item = self.obj(raw, path)
            out.append(
                {
                    "id": self.ident(item, path, ids),
                    "body": self.text(item, "body", f"{path}.body", required=True),
                    "pinned": self.boolean(item, "pinned", f"{path}.pinned"),
                    "created_at": self.timestamp(
                        item, "created_at", f"{path}.created_at", required=True
                    ),
                }
            )
        return out

    def contact_uid(self, item: dict, key: str, path: str, uids: set[str], *, required=True):
        value = self.text(item, key, path, required=required)
        if value is not None and value not in uids:
            raise self.fail(path, f"no contact with uid {value!r} in this file")
        return value

    def relationships(self, doc: dict, uids: set[str]) -> list[dict]:
        raws = self.items(doc, "relationships", "relationships")
        return list(self.relationship_records(raws, uids))

    def relationship_records(self, raws: Iterable, uids: set[str]) -> Iterator[dict]:
        ids, seen = set(), set()
        for i, raw in enumerate(raws):
            path = f"relationships[{i}]"
            item = self.obj(raw, path)
            row = {
                "id": self.ident(item, path, ids),
                "contact_uid": self.contact_uid(item, "contact", f"{path}.contact", uids),
                "other_uid": self.contact_uid(item, "other", f"{path}.other", uids),
                "kind": self.choice(item, "kind", f"{path}.kind", RELATIONSHIP_KINDS),
                "label": self.text(item, "label", f"{path}.label") or None,  # before 0014: none
            }
            if row["contact_uid"] == row["other_uid"]:
                raise self.fail(path, "a contact cannot be related to themselves")
            key = (row["contact_uid"], row["other_uid"], row["kind"])
            if key in seen:
                raise self.fail(path, "the same relationship appears twice")
            seen.add(key)
            yield row

    def interactions(self, doc: dict, uids: set[str]) -> list[dict]:
        raws = self.items(doc, "interactions", "interactions")
        return list(self.interaction_records(raws, uids))

    def interaction_records(self, raws: Iterable, uids: set[str]) -> Iterator[dict]:
        ids: set[int] = set()
        seen: set[str] = set()
        for i, raw in enumerate(raws):
            path = f"interactions[{i}]"
            item = self.obj(raw, path)
            people = self.items(item, "participants", f"{path}.participants")
            if not people:
                raise self.fail(f"{path}.participants", "an interaction needs a participant")
            participants: list[str] = []
            for j, who in enumerate(people):
                where = f"{path}.participants[{j}]"
                if not isinstance(who, str):
                    raise self.fail(where, f"expected a contact uid, found {_kind(who)}")
                if who not in uids:
                    raise self.fail(where, f"no contact with uid {who!r} in this file")
                if who not in participants:
                    participants.append(who)
            yield (
                {
                    "id": self.ident(item, path, ids),
                    "uid": self.uid(item, path, seen),
                    "occurred_at": self.happened(item, f"{path}.occurred_at"),
                    "kind": self.choice(item, "kind", f"{path}.kind", INTERACTION_KINDS),
                    "initiator": self.choice(item, "initiator", f"{path}.initiator", INITIATORS),
                    "summary": self.text(item, "summary", f"{path}.summary"),
                    "sentiment": self.integer(
                        item, "sentiment", f"{path}.sentiment", low=-2, high=2
                    ),
                    "weight": self.number(item, "weight", f"{path}.weight"),
                    "created_at": self.timestamp(
                        item, "created_at", f"{path}.created_at", required=True
                    ),
                    "participants": participants,
                }
            )

    def reminders(self, doc: dict, uids: set[str]) -> list[dict]:
        raws = self.items(doc, "reminders", "reminders")
        return list(self.reminder_records(raws, uids))

    def reminder_records(self, raws: Iterable, uids: set[str]) -> Iterator[dict]:
        ids: set[int] = set()
        seen: set[str] = set()
        for i, raw in enumerate(raws):
            path = f"reminders[{i}]"
            item = self.obj(raw, path)
            yield (
                {
                    "id": self.ident(item, path, ids),
                    "uid": self.uid(item, path, seen),
                    "contact_uid": self.contact_uid(
                        item, "contact", f"{path}.contact", uids, required=False
                    ),
                    "title": self.text(item, "title", f"{path}.title", required=True),
                    "due_on": self.day(item, "due_on", f"{path}.due_on", required=True),
                    "recurrence": self.text(item, "recurrence", f"{path}.recurrence"),
                    "done_at": self.timestamp(item, "done_at", f"{path}.done_at"),
                    "created_at": self.timestamp(
                        item, "created_at", f"{path}.created_at", required=True
                    ),
                }
            )
