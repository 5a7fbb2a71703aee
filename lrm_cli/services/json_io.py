"""`lrm export json` and `lrm import json`: the whole database as one JSON document.

Export reads every table in one read transaction. Import checks the whole document first
(nothing is written from a bad file), then, in one write transaction, either restores it
into an empty database exactly (ids, uids and timestamps kept) or, with ``merge``, adds it
to a non-empty one: contacts are matched by uid and merged by the rules of ``lrm merge``
(never losing a row), interactions and reminders whose uid exists and identical notes are
skipped. ``contact_stats`` is derived, so it is recomputed, never imported.
"""

from __future__ import annotations

import io
import os
import stat
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import chain, groupby
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, NamedTuple

from lrm_cli import __version__, background, private_files
from lrm_cli.clock import Clock
from lrm_cli.domain import Conflict, InvalidInput, NotFound
from lrm_cli.formats import json_io as json_doc
from lrm_cli.input_files import refuse_a_device
from lrm_cli.normalize import _CONTROL_LINE as ANY_CONTROL  # what check_text refuses, and more
from lrm_cli.normalize import MAX_LINE, check_text
from lrm_cli.store import dump
from lrm_cli.store.db import Database
from lrm_cli.store.schema_version import HEAD_REVISION

if TYPE_CHECKING:  # the import side's: imported where used, so an export goes without
    from lrm_cli.scheduler import SchedulerSettings

COUNTED = json_doc.COUNT_KEYS  # what an import reports, section by section
MAX_BYTES = 1 << 30


# --- export ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExportResult:
    counts: dict[str, int]
    path: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {"path": self.path, "schema": HEAD_REVISION, "counts": self.counts}


def export_pieces(db: Database, clock: Clock, counts: dict[str, int]) -> Iterator[bytes]:
    """The document (UTF-8), a piece at a time, read in one read snapshot as it is
    written: never held whole (a 10,000-contact database makes ~40 MB). A helper
    process renders the first interactions, in the same snapshot, while the contacts
    are written (``store.dump.interaction_pieces``). ``counts`` is
    filled with what was written once the pieces are used up."""
    with db.read_gated() as (conn, gate):
        interactions = dump.interaction_pieces(conn, json_doc.SEPARATOR, gate, db.path)
        try:
            sections = dump.sections_of(conn) | {
                "contacts": (
                    json_doc.Records(*piece)
                    for piece in dump.contact_pieces(conn, json_doc.SEPARATOR)
                ),
                "interactions": (json_doc.Records(*piece) for piece in interactions),
            }
            for piece in json_doc.stream(
                sections,
                schema=HEAD_REVISION,
                exported_at=clock.timestamp,
                version=__version__,
                counts=counts,
            ):
                yield piece if isinstance(piece, bytes) else piece.encode("utf-8")
        finally:
            interactions.close()


class Exported(NamedTuple):
    text: str
    counts: dict[str, int]


def export_document(db: Database, clock: Clock) -> Exported:
    """The whole document as text, and its counts (for tests and callers that want it
    whole; the command streams it)."""
    counts: dict[str, int] = {}
    text = b"".join(export_pieces(db, clock, counts)).decode("utf-8")
    return Exported(text, counts)


def write_private(path: Path, pieces: Iterable[bytes]) -> None:
    """Write through a temporary file and a rename, readable by the owner only (the
    export holds everything lrm knows about everyone)."""
    target = path.expanduser()
    if target.is_dir():
        raise InvalidInput(f"--out {path} is a folder; give a file name")
    if not target.parent.is_dir():
        raise InvalidInput(f"--out {path}: the folder {target.parent} does not exist")
    private_files.write_private(target, pieces)


def export_to(db: Database, clock: Clock, out: str | None, stdout: BinaryIO) -> ExportResult:
    """Write the document to ``out`` (a file), or to ``stdout`` when ``out`` is None/-,
    as it is read."""
    counts: dict[str, int] = {}
    pieces = export_pieces(db, clock, counts)
    if out in (None, "-"):
        first = next(pieces)  # an error in opening the database writes nothing
        stdout.write(first)
        stdout.writelines(pieces)
        stdout.flush()
        return ExportResult(counts)
    try:
        write_private(Path(out), pieces)
    except OSError as exc:
        raise InvalidInput(f"cannot write {out}: {exc.strerror}") from exc
    return ExportResult(counts, str(out))


# --- import ---------------------------------------------------------------------------------


def read_source(name: str) -> tuple[bytes, str]:
    """The bytes of FILE, or of standard input for ``-``; with the name to report."""
    if name == "-":
        return sys.stdin.buffer.read(), "<stdin>"
    path = Path(name).expanduser()
    refuse_a_device(path, name)
    try:
        if path.stat().st_size > MAX_BYTES:
            raise InvalidInput(f"{name}: larger than {MAX_BYTES >> 20} MB, refusing to read it")
        return path.read_bytes(), name
    except FileNotFoundError as exc:
        raise NotFound(f"no such file: {name}") from exc
    except IsADirectoryError as exc:
        raise InvalidInput(f"{name} is a folder, not an lrm JSON export") from exc
    except OSError as exc:
        raise InvalidInput(f"cannot read {name}: {exc.strerror}") from exc


@contextmanager
def open_source(name: str) -> Iterator[tuple[BinaryIO, str]]:
    """FILE opened for reading (bytes), or standard input for ``-``; with the name to
    report. The same refusals as :func:`read_source`."""
    if name == "-":
        yield sys.stdin.buffer, "<stdin>"
        return
    path = Path(name).expanduser()
    refuse_a_device(path, name)
    try:
        if path.stat().st_size > MAX_BYTES:
            raise InvalidInput(f"{name}: larger than {MAX_BYTES >> 20} MB, refusing to read it")
        fh = path.open("rb")
    except FileNotFoundError as exc:
        raise NotFound(f"no such file: {name}") from exc
    except IsADirectoryError as exc:
        raise InvalidInput(f"{name} is a folder, not an lrm JSON export") from exc
    except OSError as exc:
        raise InvalidInput(f"cannot read {name}: {exc.strerror}") from exc
    with fh:
        yield fh, name


@dataclass
class ImportReport:
    source: str
    schema: str
    mode: str = "restore"  # or "merge"
    created: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COUNTED, 0))
    updated: dict[str, int] = field(default_factory=lambda: {"contacts": 0, "tags": 0})
    skipped: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COUNTED, 0))

    def as_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "schema": self.schema,
            "mode": self.mode,
            "created": dict(self.created),
            "updated": dict(self.updated),
            "skipped": dict(self.skipped),
        }


def import_document(
    db: Database,
    data: bytes | str,
    source: str,
    clock: Clock,
    settings: SchedulerSettings | None = None,
    *,
    merge: bool = False,
) -> ImportReport:
    raw = io.BytesIO(data.encode("utf-8") if isinstance(data, str) else data)
    return import_stream(db, raw, source, clock, settings, merge=merge)


def import_stream(
    db: Database,
    raw: BinaryIO,
    source: str,
    clock: Clock,
    settings: SchedulerSettings | None = None,
    *,
    merge: bool = False,
) -> ImportReport:
    """Import the document read from ``raw``. Into an empty database it is restored as
    it is read, record by record (``formats.json_io.decode_stream``), in the write
    transaction: a bad record rolls everything back. With ``merge`` the file is read
    and checked whole first."""
    from lrm_cli.scheduler import SchedulerSettings
    from lrm_cli.services import stats

    settings = settings or SchedulerSettings()
    if merge:
        return _import_whole(db, raw.read(), source, clock, settings)
    with db.bulk_load(), db.write() as conn:
        if not dump.is_empty(conn):
            raise Conflict(
                "the database is not empty: import json restores into an empty one; "
                "use --merge to add this file to it",
                hint=f"lrm import json --merge {source if source != '<stdin>' else '-'}",
            )
        report = _restore_stream(conn, raw, source, clock)
        stats.recompute(conn, dump.all_contact_ids(conn), settings, clock.zone)
    return report


def _import_whole(
    db: Database, data: bytes, source: str, clock: Clock, settings: SchedulerSettings
) -> ImportReport:
    from lrm_cli.services import stats

    decoded = json_doc.decode(
        data, source, head_revision=HEAD_REVISION, today=clock.today, zone=clock.zone
    )
    check_texts(decoded.tables, source)
    report = ImportReport(source=source, schema=decoded.schema)
    with db.write() as conn:
        if dump.is_empty(conn):
            _restore(conn, decoded.tables, report)
            stats.recompute(conn, dump.all_contact_ids(conn), settings, clock.zone)
        else:
            report.mode = "merge"
            touched = _merge(conn, decoded.tables, report, clock.timestamp)
            stats.recompute(conn, sorted(touched), settings, clock.zone)
    return report


_BATCH = 1000  # records inserted at a time by a streaming restore
READ_APART = 4 << 20  # bytes of a file from which a restore reads it in a second process


def _checked(raw: BinaryIO, source: str, clock: Clock) -> Iterator[tuple[str, Any]]:
    """A restore's reading and checking of the document: ``("schema", schema)``, then
    each section's checked records as ``(section, records)``, in lists of at most
    ``_BATCH``, a section's lists in a row (none for an empty section)."""
    stream = json_doc.decode_stream(
        raw, source, head_revision=HEAD_REVISION, today=clock.today, zone=clock.zone
    )
    for key, records in stream:
        if key == "schema":
            yield key, records
            continue
        batch: list[dict] = []
        for i, row in enumerate(records):
            check_record(key, i, row, source)
            batch.append(row)
            if len(batch) == _BATCH:
                yield key, batch
                batch = []
        if batch:
            yield key, batch


def _reading(raw: BinaryIO, source: str, clock: Clock) -> Iterator[tuple[str, Any]]:
    """:func:`_checked`, made by a second process from a big file while this one writes
    what it has read (a restore spends about as long reading and checking as writing):
    the same items and the same errors, at the same place. Standard input, a pipe or a
    small file are read here."""
    try:
        fd = raw.fileno()  # not 0-2: the second process sets those to /dev/null
        apart = fd > 2 and stat.S_ISREG(os.fstat(fd).st_mode)
        apart = apart and os.fstat(fd).st_size >= READ_APART and background.available()
    except (OSError, ValueError, io.UnsupportedOperation):  # no file behind it (BytesIO)
        apart = False
    if not apart:
        return _checked(raw, source, clock)
    return background.items_or_here(lambda: _checked(raw, source, clock))


def _restore_stream(conn, raw: BinaryIO, source: str, clock: Clock) -> ImportReport:
    """Check and insert the records as they are read. Records without an id (a
    hand-written file) get theirs after the largest given, as ``_fill_ids`` does: they
    wait for the end of their section."""
    report = ImportReport(source=source, schema="")
    with dump.Restore(conn) as restore:
        for key, batches in groupby(_reading(raw, source, clock), itemgetter(0)):
            if key == "schema":
                report.schema = next(batches)[1]
                continue
            records = chain.from_iterable(batch for _, batch in batches)
            if key == "tags":
                restore.tags(list(records))
            elif key == "contacts":
                _restore_contacts(restore, records)
            else:
                load = getattr(restore, key)
                table = dump.TABLE_OF[key]
                batch: list[dict] = []
                waiting: list[dict] = []
                for row in records:
                    (batch if row["id"] is not None else waiting).append(row)
                    if len(batch) == _BATCH:
                        load(batch)
                        batch = []
                load(batch)
                _number(waiting, restore.top_id(table))
                load(waiting)
    counts = dump.row_counts(conn)
    report.created = {key: counts[table] for key, table in dump.TABLE_OF.items()}
    return report


def _restore_contacts(restore, records: Iterable[dict]) -> None:
    batch: list[dict] = []
    waiting: list[dict] = []  # contacts without an id
    loose: dict[str, list[tuple[dict, dict]]] = {"important_dates": [], "notes": []}
    for contact in records:
        for part, rows in loose.items():
            if any(r["id"] is None for r in contact[part]):
                rows.extend((contact, r) for r in contact[part] if r["id"] is None)
                contact[part] = [r for r in contact[part] if r["id"] is not None]
        (batch if contact["id"] is not None else waiting).append(contact)
        if len(batch) == _BATCH:
            restore.contacts(batch)
            batch = []
    restore.contacts(batch)
    _number(waiting, restore.top_id("contact"))
    restore.contacts(waiting)
    _number([r for _, r in loose["important_dates"]], restore.top_id("important_date"))
    restore.dates((c["id"], r) for c, r in loose["important_dates"])
    _number([r for _, r in loose["notes"]], restore.top_id("note"))
    restore.notes((c["id"], r) for c, r in loose["notes"])


def _number(records: list[dict], top: int) -> None:
    for n, record in enumerate(records, start=top + 1):
        record["id"] = n


# Table keys named otherwise in the document (docs/json.md), for the paths of errors.
_DOC_KEY = {"display_name": "name", "contact_uid": "contact", "other_uid": "other"}
_MULTILINE = frozenset({"body", "summary"})  # a note's body, an interaction's summary
_CONTACT_PARTS = ("methods", "important_dates", "notes")


def check_texts(tables: dict[str, list[dict]], source: str) -> None:
    """Every text of a decoded document through ``normalize.check_text``, the rule of
    ``lrm add``: no control character (a newline or tab only in notes and summaries), no
    value over its field's limit. The file is refused (exit 5) at the first bad value,
    named by its JSON path, before anything is written: nothing is silently changed in
    a restore that must give back what was exported."""
    for name in ("tags", "relationships", "interactions", "reminders", "contacts"):
        for i, row in enumerate(tables[name]):
            check_record(name, i, row, source)


def check_record(name: str, i: int, row: dict[str, Any], source: str) -> None:
    """:func:`check_texts` of one record, ``name[i]`` of the document."""
    path = f"{name}[{i}]"
    _check_row(row, path, source)
    if name == "contacts":
        for j, tag in enumerate(row["tags"]):
            _check(tag, f"{path}.tags[{j}]", source)
        for j, alias in enumerate(row.get("aliases", ())):
            _check(alias, f"{path}.aliases[{j}]", source)
        for j, uid in enumerate(row.get("merged_uids", ())):
            _check(uid, f"{path}.merged_uids[{j}]", source)
        for part in _CONTACT_PARTS:
            for j, item in enumerate(row[part]):
                _check_row(item, f"{path}.{part}[{j}]", source)


def _check_row(row: dict[str, Any], path: str, source: str) -> None:
    texts = [value for value in row.values() if isinstance(value, str)]
    if all(len(t) <= MAX_LINE for t in texts) and not ANY_CONTROL.search("".join(texts)):
        return  # nearly always: nothing any field could refuse, in one search
    address = row.get("kind") == "address"  # a method: a street may have two lines
    for key, value in row.items():
        if isinstance(value, str):
            where = f"{path}.{_DOC_KEY.get(key, key)}"
            if address and key == "value":
                _check(value, where, source, multiline=True, limit=MAX_LINE)
            else:
                _check(value, where, source, multiline=key in _MULTILINE)


def _check(
    value: str, path: str, source: str, multiline: bool = False, limit: int | None = None
) -> None:
    try:
        check_text(value, path, multiline=multiline, limit=limit)
    except InvalidInput as exc:
        raise InvalidInput(f"{source}: {exc.message}") from None


def _fill_ids(records: Iterable[dict]) -> None:
    """Records without an id get ones after the largest given (a hand-written file may
    leave ids out; restored ids must not collide)."""
    items = list(records)
    top = max((r["id"] for r in items if r["id"] is not None), default=0)
    for r in items:
        if r["id"] is None:
            top += 1
            r["id"] = top


def _restore(conn, tables: dict[str, list[dict]], report: ImportReport) -> None:
    contacts = tables["contacts"]
    _fill_ids(contacts)
    _fill_ids(d for c in contacts for d in c["important_dates"])
    _fill_ids(n for c in contacts for n in c["notes"])
    for name in ("relationships", "interactions", "reminders"):
        _fill_ids(tables[name])
    dump.restore_all(conn, tables)
    counts = dump.row_counts(conn)
    report.created = {key: counts[table] for key, table in dump.TABLE_OF.items()}


_PART_KEYS = {
    "methods": "methods",
    "tags": "contact_tags",
    "dates": "important_dates",
    "notes": "notes",
}


def _merge(conn, tables: dict[str, list[dict]], report: ImportReport, now: int) -> set[int]:
    """Add the file to a non-empty database; returns the contacts whose stats changed."""
    tags_before = conn.execute("SELECT count(*) FROM tag").fetchone()[0]
    _, report.updated["tags"], report.skipped["tags"] = dump.upsert_tags(conn, tables["tags"])
    contacts = tables["contacts"]
    ids = dump.contact_ids_by_uid(conn, (c["uid"] for c in contacts))
    from lrm_cli.store.merge import merge_into

    for contact in contacts:
        existing = ids.get(contact["uid"])
        if existing is None:
            ids[contact["uid"]], added = dump.insert_contact(conn, contact, keep_id=False)
            report.created["contacts"] += 1
            for key, n in added.items():
                report.created[key] += n
            continue
        # The same rules as `lrm merge`: load the record aside, then merge it in.
        incoming, _ = dump.insert_contact(conn, contact, keep_id=False, uid=dump.temporary_uid())
        counts = merge_into(conn, existing, incoming, now)
        for part, key in _PART_KEYS.items():
            report.created[key] += counts.moved[part]
            report.skipped[key] += counts.deduplicated[part]
        if counts.changed:
            report.updated["contacts"] += 1
        else:
            report.skipped["contacts"] += 1
    report.created["tags"] = conn.execute("SELECT count(*) FROM tag").fetchone()[0] - tags_before
    for rel in tables["relationships"]:
        added = dump.insert_relationship(
            conn, rel, ids[rel["contact_uid"]], ids[rel["other_uid"]], keep_id=False
        )
        (report.created if added else report.skipped)["relationships"] += 1
    touched: set[int] = set()
    known = dump.existing_uids(conn, "interaction", (i["uid"] for i in tables["interactions"]))
    for item in tables["interactions"]:
        if item["uid"] in known:
            report.skipped["interactions"] += 1
            continue
        people = [ids[u] for u in item["participants"]]
        dump.insert_interaction(conn, item, people, keep_id=False)
        touched.update(people)
        report.created["interactions"] += 1
    known = dump.existing_uids(conn, "reminder", (r["uid"] for r in tables["reminders"]))
    for item in tables["reminders"]:
        if item["uid"] in known:
            report.skipped["reminders"] += 1
            continue
        cid = ids[item["contact_uid"]] if item["contact_uid"] is not None else None
        dump.insert_reminder(conn, item, cid, keep_id=False)
        report.created["reminders"] += 1
    return touched
