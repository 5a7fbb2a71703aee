"""`lrm sync`: keep lrm and its vdir folders in step, in both directions for contacts and
one way (lrm to the folder) for the calendar. Moving the folders to and from a
CardDAV/CalDAV server is vdirsyncer's job (the optional ``command`` of ``[sync]``).

How a contact card is compared (table ``sync_item``, one row per file):

- ``remote_hash`` is the sha256 of the file's bytes when lrm last synced it, then a
  space and a hash of the card's content as lrm reads it (:func:`content_hash`), then
  the file's stat signature (vdir.signature: size, modification and change times,
  inode), and ``local_hash`` a fingerprint of the rows lrm renders the card from
  (:class:`_Local`); a side has changed when its hash differs. A file whose signature is
  as recorded is not even read, a contact whose fingerprint is is not rendered.
- a pass that found nothing to do leaves a mark (store.sync.set_mark): a hash of every
  table cards are made from and of the folder's listing; the next pass that finds both
  the same stops there (the calendar the same way, from ics_export.calendar_rows).
- a file whose bytes changed but whose content did not (a server re-ordered, re-folded
  or re-encoded it, or a phone bumped REV or changed only what lrm does not read, such
  as PHOTO) is no change to lrm: when lrm changed the contact, its card is rewritten
  (with the file's PHOTO and the like), not treated as a conflict. The same holds for a
  card the command brought down over one lrm had just written (vdirsyncer's "server
  wins" on a conflict): compared with the card as it was before lrm wrote.
- changed only in the folder (edited on a phone): the card updates lrm. Its standard
  fields (names, organisation, title, nickname, birthday), methods and, when it has
  CATEGORIES, tags are taken as they are (what the card dropped is removed, and the
  report says so); ``X-LRM-*`` values only when present (phones may drop them); dates
  and notes are only ever added. The file is not rewritten.
- changed only in lrm: the card is rewritten from lrm (atomically, same file name, same
  UID), keeping the properties lrm does not manage (PHOTO, X-PHONETIC-*, ...).
- changed on both sides (a conflict; also a file and a contact with the same UID met
  for the first time): lrm's fields are kept, methods, dates and notes new on the card
  are added, and the card's differing values are kept as a note on the contact
  ("Sync conflict ..."); then the card is rewritten from lrm. Reported per contact.
- a new card creates a contact (with the card's UID); a contact with no card gets one
  (archived contacts are not sent out unless they were synced before).
- a card deleted from the folder archives its contact (its history stays); a contact
  deleted in lrm (``forget``, ``merge``) has its card deleted. A card of a contact merged
  away here (its UID in ``merged_uid``), met for the first time or changed since, first
  adds what it has that the contact kept lacks (:func:`_merged_cards`).
- a card that cannot be parsed, or a second file with a UID already seen, is reported
  and left alone; the rest goes on. So are symbolic links and anything else that is not a
  regular file (never followed, never read: a link to a private file must not end up in
  lrm or in the report); a file lrm synced before that turns bad or unreadable is left
  alone the same way (its contact is not archived, and gets no second card). A report
  names files and says why, but never quotes what a file that is no card holds.
- a file or a delete that fails (a full disk, a read-only file) is reported and the rest
  goes on; it counts as not done, and the next sync tries again.

Crash safety: lrm's changes are committed before any file is written, and a file's row
is recorded only after the file is written; a sync killed in between finds, next time,
files that equal what lrm would write (recorded, nothing duplicated) or the same
conflict again (resolved the same way; a note already there is not added twice), and
removes the temporary files the killed one left (``.NAME.vcf.XXXXXXXX.tmp``). Each
folder is locked for the whole sync, so two syncs never write one folder at once.

File names: an item's file is named by its UID; a UID with characters file systems and
servers mangle, or too long for a file name, is named by its start and a hash of it
(formats.vdir.item_path): the same name at every sync.

The command runs in a session of its own: on timeout (or Ctrl-C) it is killed with
everything it started, and the last OUTPUT_LIMIT bytes of what it printed are kept.

The calendar (birthdays, anniversaries, reconnects, reminders; ``lrm export ics``'s
items) is lrm's own: each item file is written when its bytes differ, files lrm wrote
for items that no longer apply are deleted, and files lrm did not write are never
touched. Edits made to lrm's items elsewhere are overwritten on the next sync. A symbolic
link (or anything not a regular file) where an item's file should be is reported and left
alone; so is an item that cannot be written.
"""

from __future__ import annotations

import hashlib
import json
import os
import shlex
import signal
import time
from contextlib import ExitStack
from dataclasses import asdict, dataclass, field
from datetime import date, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lrm_cli import __version__, words
from lrm_cli.clock import Clock
from lrm_cli.contact_changes import label_of, units_set
from lrm_cli.errors import ConfigError, InvalidInput, LrmError
from lrm_cli.formats import vdir
from lrm_cli.services.fingerprints import FINGERPRINT_VERSION, card_print
from lrm_cli.services.fingerprints import dump as _dump
from lrm_cli.services.fingerprints import item_print as _item_print
from lrm_cli.services.fingerprints import sha as _sha
from lrm_cli.store import sync as store
from lrm_cli.store.db import Database
from lrm_cli.words import set_to

if TYPE_CHECKING:  # imported where used: a sync with nothing to do needs none of them
    import subprocess

    from lrm_cli.formats import vcard
    from lrm_cli.settings import SchedulerSettings

VCARD_EXTENSIONS = ("vcf", "vcard")
OUTPUT_LIMIT = 64 * 1024  # bytes of the command's output kept (its last)
LOCK_WAIT = 10.0  # seconds to wait for another lrm sync to release a folder
STANDARD_FIELDS = (
    "display_name",
    "given_name",
    "family_name",
    "nickname",
    "organization",
    "title",
    "birthday",
)


def _optional_fields() -> tuple[str, ...]:
    """The fields a card carries only as X-LRM-* properties: a card without one leaves it
    as is."""
    from lrm_cli import contact_fields

    return tuple(f for f in contact_fields.EDITABLE if f not in STANDARD_FIELDS)


class SyncCommandFailed(LrmError):
    """The sync command exited non-zero or timed out; lrm's own part is done, and the
    report of it travels with the error (the CLI prints it before the error line)."""

    exit_code = 11
    code = "sync_command_failed"

    def __init__(self, message: str, report: SyncReport, hint: str | None = None) -> None:
        super().__init__(message, hint)
        self.report = report


# --- settings --------------------------------------------------------------------------------


@dataclass(frozen=True)
class SyncSettings:
    contacts_vdir: str = ""
    calendar_vdir: str = ""
    events_vdir: str = ""  # when set, yearly events go here and to-dos to calendar_vdir
    command: str | list[str] = ""
    command_timeout: float = 300.0
    share_notes: bool = False  # notes and lrm's X-LRM-* properties go into the cards

    @classmethod
    def from_mapping(cls, data: dict[str, Any]) -> SyncSettings:
        problems = []
        values: dict[str, Any] = {}
        for key, value in data.items():
            if key in ("contacts_vdir", "calendar_vdir", "events_vdir"):
                if not isinstance(value, str):
                    problems.append(f"[sync] {key} must be a path (a string)")
                values[key] = value
            elif key == "command":
                ok = isinstance(value, str) or (
                    isinstance(value, list) and all(isinstance(v, str) for v in value)
                )
                if not ok:
                    problems.append("[sync] command must be a string or a list of strings")
                values[key] = value
            elif key == "share_notes":
                if not isinstance(value, bool):
                    problems.append("[sync] share_notes must be true or false")
                values[key] = value
            elif key == "command_timeout":
                if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
                    problems.append("[sync] command_timeout must be a positive number of seconds")
                values[key] = float(value) if not problems else value
            else:
                problems.append(f"[sync] unknown setting {key!r}")
        if problems:
            raise ConfigError("; ".join(problems))
        if values.get("events_vdir") and not values.get("calendar_vdir"):
            raise ConfigError("[sync] events_vdir needs calendar_vdir (where the to-dos go)")
        settings = cls(**values)
        if not (settings.contacts_vdir or settings.calendar_vdir):
            raise ConfigError(
                "nothing to sync: set contacts_vdir and/or calendar_vdir under [sync] in "
                "config.toml (see the README, 'Sync with your phone')"
            )
        return settings

    def argv(self) -> list[str]:
        if isinstance(self.command, list):
            return list(self.command)
        return shlex.split(self.command)


# --- the report ------------------------------------------------------------------------------


def _counts() -> dict[str, int]:
    return {"created": 0, "updated": 0, "archived": 0, "deleted": 0, "conflicts": 0, "unchanged": 0}


@dataclass
class ContactsReport:
    folder: str
    lrm: dict[str, int] = field(default_factory=_counts)
    vdir: dict[str, int] = field(default_factory=_counts)
    conflicts: list[dict[str, Any]] = field(default_factory=list)
    skipped: list[dict[str, Any]] = field(default_factory=list)
    items: list[dict[str, Any]] = field(default_factory=list)
    written: dict[str, str | None] = field(default_factory=dict)
    # file names this pass wrote -> content_hash of the card each replaced (None: new file)
    temp_files_removed: int = 0  # left by a sync that was killed

    def merge(self, other: ContactsReport) -> None:
        """Add a later pass (after the sync command) to this one. A contact unchanged in
        one pass and changed in the other counts once, as changed."""
        for side, counts in (("lrm", other.lrm), ("vdir", other.vdir)):
            mine = getattr(self, side)
            for key, value in counts.items():
                if key != "unchanged":
                    mine[key] += value
            mine["unchanged"] = min(mine["unchanged"], counts["unchanged"])
        self.conflicts += other.conflicts
        seen = {(s["file"], s["reason"]) for s in self.skipped}
        self.skipped += [s for s in other.skipped if (s["file"], s["reason"]) not in seen]
        self.items += other.items
        self.temp_files_removed += other.temp_files_removed

    def undo(self, action: str, href: str) -> None:
        """A write or delete counted in the plan that did not happen."""
        self.vdir[action] -= 1
        self.items = [
            i
            for i in self.items
            if not (i["action"] == action and i["side"] == "vdir" and i["file"] == href)
        ]

    def as_json(self) -> dict[str, Any]:
        return {
            "folder": self.folder,
            "lrm": self.lrm,
            "vdir": self.vdir,
            "conflicts": self.conflicts,
            "skipped": self.skipped,
            "items": self.items,
            "temp_files_removed": self.temp_files_removed,
        }


@dataclass
class CalendarReport:
    folders: list[str]
    items: int = 0
    vdir: dict[str, int] = field(
        default_factory=lambda: {"created": 0, "updated": 0, "deleted": 0, "unchanged": 0}
    )
    skipped: list[dict[str, Any]] = field(default_factory=list)
    temp_files_removed: int = 0

    def as_json(self) -> dict[str, Any]:
        return {
            "folders": self.folders,
            "items": self.items,
            "vdir": self.vdir,
            "skipped": self.skipped,
            "temp_files_removed": self.temp_files_removed,
        }


@dataclass
class CommandReport:
    argv: list[str]
    exit_code: int | None = None
    timed_out: bool = False
    output: str = ""
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.exit_code == 0 and not self.timed_out and self.error is None

    def as_json(self) -> dict[str, Any]:
        return {
            "command": self.argv,
            "exit_code": self.exit_code,
            "timed_out": self.timed_out,
            "output": self.output,
            "error": self.error,
        }


@dataclass
class SyncReport:
    dry_run: bool = False
    contacts: ContactsReport | None = None
    calendar: CalendarReport | None = None
    command: CommandReport | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "dry_run": self.dry_run,
            "contacts": self.contacts.as_json() if self.contacts else None,
            "calendar": self.calendar.as_json() if self.calendar else None,
            "command": self.command.as_json() if self.command else None,
        }


# --- helpers ---------------------------------------------------------------------------------


def content_hash(card: vcard.Card) -> str:
    """A hash of what lrm reads from a card file, whatever its bytes: line ends, folding,
    property order and escaping do not change it, nor do REV (phones bump it on any save)
    and properties lrm does not read (PHOTO, X-PHONETIC-*...)."""
    data = asdict(card)
    for key in ("source", "line", "content_key", "warnings", "updated_at", "extra"):
        data.pop(key, None)
    for key in ("methods", "tags", "dates", "notes", "relations", "members"):
        data[key] = sorted(json.dumps(v, sort_keys=True, ensure_ascii=False) for v in data[key])
    text = json.dumps(["content", FINGERPRINT_VERSION, data], sort_keys=True, ensure_ascii=False)
    return _sha(text.encode("utf-8"))


def _remote_hash(data_hash: str, card: vcard.Card | None, sig: str = "") -> str:
    """What ``sync_item.remote_hash`` holds for a card file: its bytes' sha256, its
    :func:`content_hash` ("-" when not known) and the file's stat signature as lrm last
    saw it (vdir.signature; "" when not known), separated by spaces."""
    content = "-" if card is None else content_hash(card)
    return f"{data_hash} {content} {sig}".rstrip()


def _split_remote(remote_hash: str) -> tuple[str, str | None, str]:
    """(bytes hash, content hash or None, stat signature or "") of a ``remote_hash``
    (rows written before the content hash or the signature existed have none)."""
    parts = remote_hash.split(" ")
    content = parts[1] if len(parts) > 1 and parts[1] != "-" else None
    return parts[0], content, parts[2] if len(parts) > 2 else ""


def _card_of(data: bytes) -> vcard.Card | None:
    from lrm_cli.formats import vcard

    result = vcard.read(data, "")
    return result.cards[0] if not result.errors and len(result.cards) == 1 else None


def _folder(path: str, what: str) -> Path:
    """An existing, writable folder (sync never creates one: a typo must not start an
    empty address book that then deletes nothing but archives nothing either)."""
    folder = Path(path).expanduser()
    if not folder.is_dir():
        raise InvalidInput(
            f"{what} {folder} does not exist or is not a folder",
            hint="create it (vdirsyncer's 'discover' does), or fix [sync] in config.toml",
        )
    if not os.access(folder, os.W_OK | os.X_OK):
        raise InvalidInput(f"{what} {folder} is not writable")
    return folder.resolve()


@dataclass
class _File:
    href: str
    path: Path
    sig: str  # vdir.signature when listed
    data: bytes | None = None  # None: not read (its signature says it did not change)
    hash: str = ""
    card: vcard.Card | None = None
    uid: str | None = None


def _load(file: _File) -> str | None:
    """Read ``file``; the reason it cannot be read, else None."""
    try:
        file.data = vdir.read_item(file.path)
    except vdir.NotAnItem as exc:  # replaced since the listing
        return exc.reason
    except OSError as exc:
        return f"unreadable: {exc.strerror or exc}"
    file.hash = _sha(file.data)
    return None


def _parse(file: _File) -> str | None:
    """Parse ``file`` into its card; the reason it cannot be used, else None."""

    assert file.data is not None
    result = _read_cards(file.data, str(file.path))
    if result.errors:
        err = result.errors[0]
        return f"line {err.line}: {err.reason}"
    if not result.cards:
        return "no vCard in the file"
    if len(result.cards) > 1:
        return f"{len(result.cards)} vCards in one file (a vdir item holds one)"
    file.card = result.cards[0]
    file.uid = file.card.uid or file.card.derived_uid()
    return None


def _read_cards(data: bytes, source: str):
    """vcard.read, keeping each card's lines of the properties lrm does not manage
    (``Card.extra``, stored with a contact the card creates or updates)."""
    from lrm_cli.formats import vcard

    cut = vcard.split(data, source)
    result = cut.result
    for start, content in cut.chunks:
        result.count += 1
        parsed = vcard.parse_chunk(source, start, content, keep_foreign=True)
        if isinstance(parsed, vcard.CardError):
            result.errors.append(parsed)
        else:
            result.cards.append(parsed)
    return result


def _content(card: vcard.Card | None) -> str | None:
    return None if card is None else content_hash(card)


class _Local:
    """lrm's side of the contacts (``ids``, or all): the rows each card is rendered from
    (store.vcard_io.export_rows), a fingerprint of each contact's rows, and its card,
    built only when asked for: a sync with nothing to do renders and builds nothing."""

    def __init__(self, conn, share_notes: bool, ids: list[int] | None = None) -> None:
        from lrm_cli import contact_fields
        from lrm_cli.store import vcard_io

        self.rows = vcard_io.export_rows(conn, ids)
        self.groups = sorted(k for k in self.rows if k != "contacts")
        at = contact_fields.COLUMNS.index("id")
        self.by_id = {r[at]: r for r in self.rows["contacts"]}
        self.share_notes = share_notes
        self._cards: dict[int, vcard.Card] = {}
        self._prints: dict[int, str] = {}

    def print(self, cid: int) -> str:
        """Equal prints, equal cards (the rows, the format's version, whether notes go
        out): what lrm has for the contact changed when its print did."""
        found = self._prints.get(cid)
        if found is None:
            found = card_print(self.rows, self.groups, cid, self.by_id[cid], self.share_notes)
            self._prints[cid] = found
        return found

    def card(self, cid: int) -> vcard.Card:
        from lrm_cli.services.vcard_io import cards_from_rows

        card = self._cards.get(cid)
        if card is None:
            card = cards_from_rows({**self.rows, "contacts": [self.by_id[cid]]})[0]
            self._cards[cid] = card
        return card


# --- contacts --------------------------------------------------------------------------------


@dataclass
class _Plan:
    writes: list[tuple[_File | None, str, str, bytes | None, str]] = field(default_factory=list)
    # (file or None, href, uid, bytes (None: a new file, rendered as it is written from
    # its card in ``cards``), local fingerprint)
    cards: dict[str, vcard.Card] = field(default_factory=dict)  # href -> card
    deletes: list[tuple[str, str]] = field(default_factory=list)  # (href, uid)
    replaced: dict[str, str | None] = field(default_factory=dict)  # href -> content_hash


class _DryRun(Exception):
    pass


def sync_contacts(
    db: Database,
    folder_path: str,
    clock: Clock,
    *,
    region: str = "",
    dry_run: bool = False,
    contested: dict[str, str | None] | None = None,
    allow_empty: bool = False,
    share_notes: bool = False,
) -> ContactsReport:
    """One pass over the folder. ``contested``: files the first pass of this sync wrote
    (``ContactsReport.written``); if the command (vdirsyncer) replaced one of them with the
    server's version, both sides changed it, and it is resolved as a conflict instead of
    overwriting lrm's change, unless the server's card reads the same as the one lrm
    replaced (then lrm's card is written again). ``share_notes``: cards carry notes and
    lrm's private X-LRM-* properties (see :func:`render_card`)."""
    folder = _folder(folder_path, "contacts_vdir")
    key = str(folder)
    report = ContactsReport(key)
    leftovers: list[str] = []
    listed = vdir.listing(folder, VCARD_EXTENSIONS, leftovers)
    if not dry_run:  # the caller holds the folder's lock: no other writer is at work
        report.temp_files_removed = len(vdir.remove_leftovers(folder, leftovers))
    seen = _listing_digest(listed)
    plan = _Plan()
    try:
        with db.write() as conn:
            data = _contacts_digest(conn, share_notes, region)
            mark = store.mark(conn, key)
            counts = _at_mark(mark, data, seen, 1)
            if counts is not None:  # as the last pass with nothing to do saw it: nothing again
                report.lrm["unchanged"] = report.vdir["unchanged"] = counts[0]
                return report
            local_side = _Local(conn, share_notes)
            files: dict[str, _File] = {}
            unusable: set[str] = set()  # there, but not read
            for name, sig in sorted(listed.items()):
                if _is_file(sig):
                    files[name] = _File(name, folder / name, sig)
                else:
                    report.skipped.append({"file": str(folder / name), "reason": sig})
                    unusable.add(name)
            _reconcile(
                conn,
                key,
                files,
                plan,
                report,
                clock,
                region,
                contested or {},
                allow_empty,
                unusable,
                local_side,
            )
            if dry_run:
                raise _DryRun
            if _settled(report, plan):  # the next pass may stop at the mark
                unchanged = report.lrm["unchanged"]
                store.set_mark(conn, key, data, f"{seen} {unchanged}", clock.timestamp)
            else:
                store.clear_mark(conn, key)
    except _DryRun:
        return report
    _carry_out(db, key, folder, plan, report, clock, share_notes)
    return report


def _settled(report: ContactsReport, plan: _Plan) -> bool:
    """Nothing done, nothing to do, nothing skipped: a pass to remember."""
    changed = any(v for k, v in (*report.lrm.items(), *report.vdir.items()) if k != "unchanged")
    busy = report.skipped or report.conflicts or plan.writes or plan.deletes
    return not changed and not busy and report.lrm["unchanged"] == report.vdir["unchanged"]


def _reconcile(
    conn, key, files, plan, report, clock, region, contested, allow_empty, unusable, local_side
) -> None:
    """Decide what happens to every file and contact (``unusable``: names of files that
    are there but could not be read: not gone, not to be written over)."""
    now = clock.timestamp
    state = store.rows(conn, key, VCARD_EXTENSIONS)  # a calendar may share the folder
    by_uid = store.contact_ids(conn)
    bad: set[str] = set()
    # 0. read the files whose signature changed since the last sync (none, if none did)
    for href, file in list(files.items()):
        row = state.get(href)
        if row is not None:
            data_hash, _, seen = _split_remote(row.remote_hash)
            if seen and seen == file.sig:
                file.hash, file.uid = data_hash, row.uid
                continue
        reason = _load(file)
        if reason is not None:
            report.skipped.append({"file": str(file.path), "reason": reason})
            del files[href]
            unusable.add(href)
    # 1. which UID each file holds (parsing only what changed since the last sync)
    for href, file in files.items():
        row = state.get(href)
        if row is not None and _split_remote(row.remote_hash)[0] == file.hash:
            file.uid = row.uid
            continue
        reason = _parse(file)
        if reason is None and file.card is not None and file.card.is_group:
            reason = "a group card (lrm keeps groups as tags; import it with lrm import vcard)"
        if reason is not None:
            report.skipped.append({"file": str(file.path), "reason": reason})
            bad.add(href)
    owner: dict[str, str] = {}  # uid -> href
    for href in sorted(files, key=lambda h: (h not in state, h)):
        file = files[href]
        if href in bad or file.uid is None:
            continue
        if file.uid in owner:
            report.skipped.append(
                {
                    "file": str(file.path),
                    "reason": f"its UID is also in {owner[file.uid]}; left alone",
                }
            )
            bad.add(href)
            continue
        owner[file.uid] = href
    # a synced card that turned bad or unreadable still stands for its contact (no second
    # card for it, no archiving); the next sync that can read it takes it up again
    for href in sorted((bad | unusable) & set(state)):
        owner.setdefault(state[href].uid, href)
    merged, grown = _merged_cards(conn, files, state, bad, by_uid, report, region, now, local_side)
    if grown:  # contacts the merged cards added to: read again, so that their cards are rewritten
        local_side = _Local(conn, local_side.share_notes)
    if merged:
        plan.deletes += merged
        bad |= {href for href, _ in merged}  # (not gone: deleted below; nothing else to do)
    # 2. rows whose file is gone: deleted in the folder -> archive; contact gone -> forget
    gone = [h for h in state if h not in files and h not in unusable]
    if len(gone) >= 2 and len(gone) == len(state) and not allow_empty:
        raise InvalidInput(
            f"{key} has lost all {len(gone)} cards lrm synced with it; refusing to archive "
            "everyone (a new or unmounted folder?)",
            hint="if the address book really was emptied, run: lrm sync --allow-empty",
        )
    for href in gone:
        row = state[href]
        found = by_uid.get(row.uid)
        if found is not None and found[1] is None:
            store.archive(conn, found[0], now)
            by_uid[row.uid] = (found[0], now, found[2])  # archived: gets no new card
            report.lrm["archived"] += 1
            report.items.append(_item("archived", "lrm", href, found[0], row.uid, found[2]))
    store.drop(conn, key, gone)
    # 3. every usable file against its contact
    share_notes = local_side.share_notes
    settled: list[store.SyncRow] = []
    refresh: list[tuple[_File, int]] = []  # contacts changed here: fingerprint after commit
    relations = _Relations()  # what the cards read in this pass say about relationships
    unchanged: set[str] = set()  # files counted unchanged on both sides
    for href, file in sorted(files.items()):
        if href in bad or file.uid is None:
            continue
        row = state.get(href)
        found = by_uid.get(file.uid)
        if found is None:
            if row is not None:  # synced before, deleted in lrm since: delete the card
                plan.deletes.append((href, file.uid))
                continue
            assert file.card is not None
            cid = _create(conn, file.card, file.uid, region, now)
            relations.read(cid, file)
            report.lrm["created"] += 1
            report.items.append(_item("created", "lrm", href, cid, file.uid, file.card.name))
            refresh.append((file, cid))
            continue
        cid = found[0]
        local = local_side.print(cid)
        local_changed = row is None or row.local_hash != local
        if local_changed and file.data is None:  # to be rewritten: read it after all
            reason = _load(file)
            if reason is not None:
                report.skipped.append({"file": str(file.path), "reason": reason})
                continue
        data_hash, base, seen = (
            _split_remote(row.remote_hash) if row is not None else ("", None, "")
        )
        remote_changed = row is None or data_hash != file.hash
        if not remote_changed and not local_changed:
            report.lrm["unchanged"] += 1
            report.vdir["unchanged"] += 1
            unchanged.add(href)
            if seen != file.sig:  # same bytes, new signature (touched, or an old row)
                settled.append(
                    store.SyncRow(href, file.uid, local, f"{data_hash} {base or '-'} {file.sig}")
                )
            continue
        if remote_changed and file.card is None:
            reason = _parse(file)  # it parsed when it was first seen; it may not now
            if reason is not None:
                report.skipped.append({"file": str(file.path), "reason": reason})
                continue
        card = local_side.card(cid)
        if href in contested:  # compare with the card lrm replaced, not with its own
            base = contested[href]
        if remote_changed and row is not None and base is not None:
            assert file.card is not None
            if content_hash(file.card) == base:  # new bytes, same card: no change to lrm
                if local_changed or href in contested:
                    plan.writes.append((file, href, file.uid, b"", ""))  # lrm's card again
                else:
                    remote = _remote_hash(file.hash, file.card, file.sig)
                    settled.append(store.SyncRow(href, file.uid, local, remote))
                    report.lrm["unchanged"] += 1
                    report.vdir["unchanged"] += 1
                    unchanged.add(href)
                continue
        if remote_changed and not local_changed and href not in contested:
            assert file.card is not None
            changes = _apply_card(conn, cid, card, file.card, region, now)
            relations.read(cid, file)
            if changes:
                report.lrm["updated"] += 1
                report.items.append(
                    _item("updated", "lrm", href, cid, file.uid, file.card.name, changes)
                )
                refresh.append((file, cid))
            else:
                report.lrm["unchanged"] += 1
                remote = _remote_hash(file.hash, file.card, file.sig)
                settled.append(store.SyncRow(href, file.uid, local, remote))
                unchanged.add(href)
            report.vdir["unchanged"] += 1
            continue
        if remote_changed:  # and local_changed: both sides, or first met
            assert file.card is not None
            differing = _resolve_conflict(conn, cid, card, file.card, href, region, clock)
            if differing:
                report.lrm["conflicts"] += 1
                report.vdir["conflicts"] += 1
                report.conflicts.append(
                    {
                        "contact": {"id": cid, "name": card.name},
                        "file": str(file.path),
                        "kept": "lrm",
                        "card_had": differing,
                    }
                )
                report.items.append(_item("conflict", "both", href, cid, file.uid))
        plan.writes.append((file, href, file.uid, b"", ""))  # bytes rendered after commit
    skip = {f.href for f, _ in refresh} | bad
    for href in relations.link(conn, by_uid, owner, files, plan, skip):
        settled = [row for row in settled if row.href != href]
        if href in unchanged:  # step 5 counts it
            report.lrm["unchanged"] -= 1
            report.vdir["unchanged"] -= 1
    # 4. contacts with no card yet (in id order: the same names every time)
    taken = {h.lower() for h in (*files, *gone, *unusable)}
    for uid, (_cid, archived_at, _name) in sorted(by_uid.items(), key=lambda kv: kv[1][0]):
        if uid in owner or archived_at is not None:
            continue  # has a card, or archived and never synced (or its card was deleted)
        href = vdir.free_name(vdir.item_path(Path(key), uid, "vcf").name, taken)
        taken.add(href.lower())
        plan.writes.append((None, href, uid, b"", ""))
    store.put(conn, key, settled, now)
    # 5. render what is to be written, from the data as it will be committed
    ids = [by_uid[uid][0] for _, _, uid, _, _ in plan.writes if uid in by_uid]
    ids += [cid for _, cid in refresh]
    fresh = _Local(conn, share_notes, sorted(set(ids)) if ids else [])
    for file, cid in refresh:
        remote = _remote_hash(file.hash, file.card, file.sig)
        row = store.SyncRow(file.href, file.uid or "", fresh.print(cid), remote)
        store.put(conn, key, [row], now)
    jobs = []
    for file, href, uid, _, _ in plan.writes:
        cid = by_uid[uid][0] if uid in by_uid else None
        if cid is None:
            cid = next(c for c in fresh.by_id if fresh.card(c).uid == uid)
        if file is not None and file.data is None:
            _load(file)  # read above whenever it is rewritten; kept as it is if it fails
        jobs.append((file, href, uid, cid, fresh.card(cid)))
    # A file that is there is rendered now, to compare; a new one after the commit, as
    # it is written (_carry_out: the rendering and the disk's waits overlap).
    there = [job for job in jobs if job[0] is not None]
    made = dict(zip((job[1] for job in there), _render_cards(there, share_notes), strict=True))
    rendered = []
    for file, href, uid, cid, card in jobs:
        local = fresh.print(cid)
        if file is None:
            rendered.append((file, href, uid, None, local))
            plan.cards[href] = card
            plan.replaced[href] = None
            report.vdir["created"] += 1
            report.items.append(_item("created", "vdir", href, cid, uid, card.name))
            continue
        data = made[href]
        if file.card is None and file.data is not None:
            _parse(file)
        if data == file.data:  # already what lrm would write
            remote = _remote_hash(file.hash, file.card, file.sig)
            store.put(conn, key, [store.SyncRow(href, uid, local, remote)], now)
            if not any(c["file"] == str(file.path) for c in report.conflicts):
                report.lrm["unchanged"] += 1
                report.vdir["unchanged"] += 1
            continue
        rendered.append((file, href, uid, data, local))
        plan.replaced[href] = _content(file.card)
        report.vdir["updated"] += 1
        report.items.append(_item("updated", "vdir", href, cid, uid, card.name))
    plan.writes = rendered
    for href, uid in plan.deletes:
        report.vdir["deleted"] += 1
        report.items.append(_item("deleted", "vdir", href, None, uid))


def _merged_cards(
    conn, files, state, bad, by_uid, report, region, now, local_side
) -> tuple[list[tuple[str, str]], set[int]]:
    """The cards of contacts merged away here (``lrm merge``; ``merged_uid``), (href, uid)
    each, to delete, and the ids of the contacts they added to. The contact a card went
    into has its content; any method, date or note a card met for the first time, or
    changed since, brings is added to it (its own card is then rewritten). Else a first
    sync after a merge brought the merged contact back as a new one, and the phone kept
    both."""
    merged_into = store.merged_uids(conn)
    if not merged_into:
        return [], set()
    names = {cid: name for cid, _archived, name in by_uid.values()}
    out: list[tuple[str, str]] = []
    grown: set[int] = set()
    for href, file in sorted(files.items()):
        if href in bad or file.uid is None or file.uid in by_uid:
            continue
        cid = merged_into.get(file.uid)
        if cid is None or cid not in names:
            continue
        row = state.get(href)
        if file.card is not None and (
            row is None or _split_remote(row.remote_hash)[0] != file.hash
        ):
            kept = _Local(conn, local_side.share_notes, [cid]).card(cid)  # as it is now
            added, _ = _add_extras(conn, cid, kept, file.card, region, now)
            if added:
                grown.add(cid)
                report.lrm["updated"] += 1
                report.items.append(_item("updated", "lrm", href, cid, file.uid, names[cid], added))
        out.append((href, file.uid))
    return out, grown


@dataclass
class _Relations:
    """The relationships the cards of a pass name, recorded when every card is in (the
    other may come later) by import's rule (vcard_io.link_relations)."""

    by_uid: list[tuple[int, vcard.Related, str]] = field(default_factory=list)
    by_name: list[tuple[int, vcard.Related]] = field(default_factory=list)

    def read(self, cid: int, file: _File) -> None:
        card = file.card
        assert card is not None
        self.by_uid += [(cid, r, f"{file.path}:{card.line}") for r in card.relations]
        self.by_name += [(cid, r) for r in card.named_relations]

    def link(self, conn, by_uid, owner, files, plan: _Plan, skip: set[str]) -> list[str]:
        """Record them. The card of a contact that now says more (the other side of a
        new relationship) is written in this pass, so that the next finds nothing to do;
        ``skip``: files not to write (taken in as they are, or unreadable). Returns the
        files added to ``plan.writes``. An X-LRM-RELATED whose contact is not here is
        left on the card, unlinked."""
        if not (self.by_uid or self.by_name):
            return []
        from lrm_cli.services.vcard_io import link_relations

        linked = link_relations(conn, self.by_uid, self.by_name, [])
        planned = skip | {href for _, href, *_ in plan.writes}
        uid_of = {found[0]: uid for uid, found in by_uid.items()}
        added = []
        for cid in sorted({c for pair in linked for c in pair}):
            href = owner.get(uid_of.get(cid, ""))
            if href in files and href not in planned:
                plan.writes.append((files[href], href, uid_of[cid], b"", ""))
                planned.add(href)
                added.append(href)
        return added


def _write_cards(folder: Path, plan: _Plan, share_notes: bool) -> list[str | OSError]:
    """Write ``plan.writes`` (the new cards rendered as they go), each file's remote hash
    as written, or the OSError that stopped it."""
    return _write_files(
        plan.writes,
        path_of=lambda w: folder / w[1],
        bytes_of=lambda w: w[3],
        render=lambda new: (render_card(plan.cards[w[1]], share_notes) for w in new),
        # the signature as written: a later change is another program's
        remote_of=lambda data, sig: _remote_hash(_sha(data), _card_of(data), sig),
    )


def _write_files(work: list, *, path_of, bytes_of, render, remote_of) -> list[str | OSError]:
    """Write each of ``work`` to ``path_of(w)``: its ``bytes_of(w)``, or where that is
    None, what ``render`` (given those items, in order) yields for it, rendered as the
    writes go (vdir.Writer: the rendering and the disk's waits overlap); on two cores
    for many (background.split_map: a first sync), unless a file comes twice (then in
    order, in one process). Each file's ``remote_of(bytes, signature as written)``, or
    the OSError that stopped it."""
    from lrm_cli import background

    def write(part) -> list[str | OSError]:
        new = iter(render([w for w in part if bytes_of(w) is None]))
        with vdir.Writer(len(part)) as writer:
            futures = []
            for w in part:
                data = bytes_of(w)
                if data is None:
                    data = next(new)
                futures.append((data, writer.submit(path_of(w), data)))
        results: list[str | OSError] = []
        for data, future in futures:
            written = vdir.outcome(future)
            ok = not isinstance(written, OSError)
            results.append(remote_of(data, written.signature) if ok else written)
        return results

    if len({path_of(w) for w in work}) < len(work):
        return write(work)
    return background.split_map(write, work)


def _render_cards(jobs: list[tuple], share_notes: bool) -> list[bytes]:
    """:func:`render_card` of each job's card (and its file's bytes), on two cores when
    there are many (a first sync: vobject's ~0.4 ms a card; background.split_map)."""
    from lrm_cli import background

    def render(part) -> list[bytes]:
        return [
            render_card(card, share_notes, file.data if file is not None else None)
            for file, _href, _uid, _cid, card in part
        ]

    return background.split_map(render, jobs)


def render_card(card: vcard.Card, share_notes: bool, original: bytes | None = None) -> bytes:
    """The bytes lrm writes for ``card`` into the contacts folder: with the properties
    lrm does not manage kept from ``original`` (the file it replaces). Without
    ``share_notes``, no NOTE and none of lrm's private X-LRM-* properties go out; the
    NOTEs the file had that lrm did not write (a phone's) stay as they were."""
    from lrm_cli.formats import vcard

    if not share_notes:
        card = _without_private(card)
    data = vcard.serialize(card, share_notes=share_notes)
    if original is None:
        return data
    kept = vcard.foreign_lines(original)
    if not share_notes:
        kept += _their_notes(original)
    return vcard.with_lines(data, kept)


def _without_private(card: vcard.Card) -> vcard.Card:
    """``card`` without what only lrm's user should see: notes, how met, cadence,
    snooze, archiving, lrm's ids and dates, relationships, aliases, reminder leads."""
    from dataclasses import replace

    return replace(
        card,
        notes=[],
        how_met=None,
        cadence_days=None,
        snoozed_until=None,
        archived_at=None,
        created_at=None,
        lrm_id=None,
        relations=[],
        aliases=[],
        dates=[replace(d, remind_days_before=None) for d in card.dates],
    )


_DATES = frozenset({"BDAY", "ANNIVERSARY", "X-ANNIVERSARY", "X-EVOLUTION-ANNIVERSARY"})
_DATES |= {"X-MS-ANNIVERSARY", "X-ABDATE"}


def _their_notes(data: bytes) -> list[str]:
    """What of the card in ``data`` lrm keeps as notes, for a card written without lrm's:
    the NOTE properties lrm did not write (lrm's carry an X-LRM- parameter), as vCard 3.0
    lines of the same text whatever encoding the phone's card used (a 2.1 card's
    quoted-printable is no 3.0), and the dates lrm could not read (``BDAY:circa 1800``,
    which lrm keeps as a note), as they are, with their X-ABLabel."""
    from lrm_cli.formats import vcard

    cut = vcard.split(data, "")
    if not cut.chunks:
        return []
    lines = [text for _, text in cut.chunks[0][1]]
    version = next(
        (t.split(":", 1)[1].strip() for t in lines if t.upper().startswith("VERSION:")), "3.0"
    )
    out: list[str] = []
    groups: set[str] = set()
    for text in lines:
        head = text.split(":", 1)[0].upper()
        group, _, name = head.split(";", 1)[0].rpartition(".")
        if (name != "NOTE" and name not in _DATES) or "X-LRM-" in head:
            continue
        one = f"BEGIN:VCARD\r\nVERSION:{version}\r\nFN:-\r\n{text}\r\nEND:VCARD\r\n"
        parsed = _read_cards(one.encode("utf-8"), "")
        if not parsed.cards:
            continue
        card = parsed.cards[0]
        if name in _DATES:
            if card.notes and not card.birthday and not card.dates:  # unread: kept as is
                out.append(text)
                groups |= {group.lower()} if group else set()
            continue
        for note in card.notes:
            body = note.body.replace("\\", "\\\\").replace("\r\n", "\n").replace("\r", "\n")
            body = body.replace("\n", "\\n").replace(",", "\\,").replace(";", "\\;")
            out.append(f"NOTE:{body}")
    for text in lines:  # the labels of the dates kept
        group, _, name = text.split(":", 1)[0].split(";", 1)[0].rpartition(".")
        if group and group.lower() in groups and name.upper() == "X-ABLABEL":
            out.append(text)
    return out


def _item(action, side, href, cid, uid, name=None, changes=None) -> dict[str, Any]:
    out: dict[str, Any] = {"action": action, "side": side, "file": href, "uid": uid}
    out["contact_id"] = cid
    if name is not None:
        out["name"] = name
    if changes:
        out["changes"] = changes
    return out


def _carry_out(
    db: Database, key: str, folder: Path, plan: _Plan, report, clock: Clock, share_notes: bool
) -> None:
    """Write and delete the files, then record them (a crash in between is harmless)."""
    done: list[store.SyncRow] = []
    dropped: list[str] = []
    results = _write_cards(folder, plan, share_notes)
    for (file, href, uid, _data, local), written in zip(plan.writes, results, strict=True):
        if isinstance(written, OSError):
            why = written.strerror or str(written)
            report.skipped.append({"file": str(folder / href), "reason": f"cannot write: {why}"})
            report.undo("created" if file is None else "updated", href)
            continue
        done.append(store.SyncRow(href, uid, local, written))
        report.written[href] = plan.replaced.get(href)
    for href, _uid in plan.deletes:
        try:
            (folder / href).unlink(missing_ok=True)
        except OSError as exc:
            why = exc.strerror or str(exc)
            report.skipped.append({"file": str(folder / href), "reason": f"cannot delete: {why}"})
            report.undo("deleted", href)
            continue
        dropped.append(href)
    if done or dropped:
        with db.write() as conn:
            store.put(conn, key, done, clock.timestamp)
            store.drop(conn, key, dropped)


def _create(conn, card: vcard.Card, uid: str, region: str, now: int) -> int:
    from lrm_cli.services.vcard_io import (
        create_contact,
        fields_of_card,
        normalize_methods,
        tag_ids_for,
    )

    fields = fields_of_card(card)
    fields["archived_at"] = None
    methods = normalize_methods(card.methods, region)
    tags = tag_ids_for(conn, card.tags)
    return create_contact(conn, card, uid, fields, methods, tags, now=now, updated=now)


def _fields(card: vcard.Card) -> dict[str, Any]:
    """The fields sync compares (archiving is sync's own business)."""
    from lrm_cli.services.vcard_io import fields_of_card

    return {k: v for k, v in fields_of_card(card).items() if k != "archived_at"}


def _add_extras(conn, cid: int, lrm: vcard.Card, card: vcard.Card, region: str, now: int):
    """Methods, dates and notes on the card that lrm lacks; what was added."""
    from lrm_cli.services.vcard_io import date_rows, normalize_methods, note_rows
    from lrm_cli.store import vcard_io

    added = []
    have = {(m.kind, m.value) for m in normalize_methods(lrm.methods, region)}
    new = [m for m in normalize_methods(card.methods, region) if (m.kind, m.value) not in have]
    if new:
        vcard_io.insert_methods(conn, cid, new, vcard_io.next_position(conn, cid))
        added += [words.added(m.kind, m.value) for m in new]
    have_dates = {(d.kind, d.date, d.label) for d in lrm.dates}
    dates = [d for d in card.dates if (d.kind, d.date, d.label) not in have_dates]
    if dates:
        vcard_io.insert_dates(conn, cid, date_rows(dates))
        added += [words.added(d.kind, d.date) for d in dates]
    bodies = {n.body for n in lrm.notes}
    notes = [n for n in card.notes if n.body not in bodies]
    if notes:
        vcard_io.insert_notes(conn, cid, note_rows(notes, now))
        added += ["added a note"] * len(notes)
    return added, new


def _apply_card(conn, cid: int, lrm: vcard.Card, card: vcard.Card, region: str, now: int):
    """The card changed and lrm did not: take the card's values. What changed, as text."""
    from lrm_cli.services.vcard_io import normalize_methods, tag_ids_for
    from lrm_cli.store import contacts as contact_store
    from lrm_cli.store import vcard_io

    mine, theirs = _fields(lrm), _fields(card)
    update = {
        k: theirs[k]
        for k in (*STANDARD_FIELDS, *_optional_fields())
        if theirs[k] != mine[k] and (k in STANDARD_FIELDS or theirs[k] is not None)
    }
    changes = [set_to(label_of(k), v) for k, v in update.items()]
    added, _ = _add_extras(conn, cid, lrm, card, region, now)
    changes += added
    wanted = {(m.kind, m.value) for m in normalize_methods(card.methods, region)}
    dropped = [(m.kind, m.value) for m in lrm.methods if (m.kind, m.value) not in wanted]
    if dropped:
        for kind in {k for k, _ in dropped}:
            contact_store.remove_methods(conn, cid, kind, [v for k, v in dropped if k == kind])
        changes += [words.removed(kind, value) for kind, value in dropped]
    if card.tags:
        have = store.tag_names(conn, cid)
        want = {t.casefold() for t in card.tags}
        gone = [tid for name, tid in have.items() if name.casefold() not in want]
        if gone:
            store.unlink_tags(conn, cid, gone)
            changes += [words.removed("tag", n) for n, t in have.items() if t in gone]
        before = {n.casefold() for n in have}
        new = [t for t in card.tags if t.casefold() not in before]
        if new:
            vcard_io.link_tags(conn, cid, tag_ids_for(conn, new))
            changes += [words.added("tag", t) for t in new]
    changes += _take_card_columns(conn, cid, card)
    if changes:
        vcard_io.set_fields(conn, cid, update, now)
    return changes


def _take_card_columns(conn, cid: int, card: vcard.Card, *, units: bool = True) -> list[str]:
    """Store what only a card carries (organisation units, N's other parts, the lines of
    the properties lrm does not manage, the UID as written) as ``card`` has it; with
    ``units`` False, lrm's organisation units and name parts stay. What changed, as text."""
    from lrm_cli.services.vcard_io import card_columns
    from lrm_cli.store import vcard_io

    had = vcard_io.card_columns_of(conn, cid)
    theirs = card_columns(card)
    if not units:
        theirs = {k: v for k, v in theirs.items() if k not in ("org_units", "name_parts")}
    update = {
        k: v for k, v in theirs.items() if v != had[k] and (k != "vcard_uid" or v is not None)
    }
    vcard_io.set_card_columns(conn, cid, update)
    changes = []
    if "org_units" in update:
        changes.append(units_set(card.org_units))
    if "name_parts" in update:
        changes.append("other parts of the name")
    if "vcard_extra" in update:
        changes.append("other card properties")
    return changes


def _resolve_conflict(conn, cid, lrm: vcard.Card, card: vcard.Card, href, region, clock):
    """Both sides changed: keep lrm's fields, add what is new on the card, and keep the
    card's differing values in a note. The differing values, as text."""
    from lrm_cli.services.vcard_io import normalize_methods
    from lrm_cli.store import contacts as contact_store
    from lrm_cli.store import vcard_io

    now = clock.timestamp
    mine, theirs = _fields(lrm), _fields(card)
    differing = [
        set_to(label_of(k), theirs[k])
        for k in (*STANDARD_FIELDS, *_optional_fields())
        if theirs[k] != mine[k] and (k in STANDARD_FIELDS or theirs[k] is not None)
    ]
    wanted = {(m.kind, m.value) for m in normalize_methods(card.methods, region)}
    differing += [f"no {m.kind} {m.value}" for m in lrm.methods if (m.kind, m.value) not in wanted]
    if card.tags and {t.casefold() for t in card.tags} != {t.casefold() for t in lrm.tags}:
        differing.append("tags: " + ", ".join(card.tags))
    if card.organization == lrm.organization and card.org_units != lrm.org_units:
        differing.append(units_set(card.org_units))
    _take_card_columns(conn, cid, card, units=False)  # lrm's card keeps the file's anyway
    added, _ = _add_extras(conn, cid, lrm, card, region, now)
    if differing:
        body = (
            f"Sync conflict on {clock.today.isoformat()}: {href} was changed on both sides; "
            "lrm's values were kept. The card had: " + "; ".join(differing) + "."
        )
        if body not in {n.body for n in lrm.notes}:
            vcard_io.insert_notes(conn, cid, [(body, now, False)])
    if differing or added:
        contact_store.touch(conn, cid, now)
    return differing + added if differing else []


# --- calendar --------------------------------------------------------------------------------


def sync_calendar(
    db: Database,
    settings: SyncSettings,
    *,
    zone: tzinfo,
    today: date,
    scheduler_settings: SchedulerSettings,
    calendar_settings,
    clock: Clock,
    dry_run: bool = False,
) -> CalendarReport:
    from lrm_cli.services.ics_export import calendar_items, calendar_rows

    todo_folder = _folder(settings.calendar_vdir, "calendar_vdir")
    event_folder = (
        _folder(settings.events_vdir, "events_vdir") if settings.events_vdir else todo_folder
    )
    folders = sorted({str(todo_folder), str(event_folder)})
    report = CalendarReport(folders)
    leftovers: dict[str, list[str]] = {key: [] for key in folders}
    listings = {key: vdir.listing(Path(key), "ics", leftovers[key]) for key in folders}
    if not dry_run:  # the caller holds the folders' locks
        report.temp_files_removed = sum(
            len(vdir.remove_leftovers(Path(key), names)) for key, names in leftovers.items()
        )
    source = calendar_rows(db, zone=zone, today=today, scheduler_settings=scheduler_settings)
    data = _calendar_digest(source, zone, today, calendar_settings, todo_folder, event_folder)
    seen = _listing_digest(*listings.values())
    mark_key = "calendar " + " ".join(folders)  # the folders' own rows are by folder
    with db.read() as conn:
        mark = store.mark(conn, mark_key)
    counts = _at_mark(mark, data, seen, 2)
    if counts is not None:  # as the last pass with nothing to do saw it: nothing again
        report.items, report.vdir["unchanged"] = counts
        return report
    items, _ = calendar_items(
        db,
        zone=zone,
        today=today,
        scheduler_settings=scheduler_settings,
        settings=calendar_settings,
        rows=source,
    )
    report.items = len(items)
    # href -> (uid, item, fingerprint of what the item is rendered from)
    wanted: dict[str, dict[str, tuple[str, Any, str]]] = {f: {} for f in folders}
    for item in items:
        folder = todo_folder if item.todo else event_folder
        href = vdir.item_name(item.uid, "ics")
        wanted[str(folder)][href] = (item.uid, item, _item_print(item))
    pending: list[tuple[str, str, str, Any, str, str]] = []  # (folder, href, uid, item, fp, sig)
    deletes: list[Path] = []
    with db.write() as conn:
        states = {key: store.rows(conn, key, ("ics",)) for key in folders}
        for key in folders:
            state, listed = states[key], listings[key]
            for href, (uid, item, fp) in wanted[key].items():
                sig = listed.get(href, "")
                if sig and not _is_file(sig):
                    report.skipped.append({"file": str(Path(key) / href), "reason": sig})
                    continue  # not lrm's to replace; no row either
                row = state.get(href)
                if (
                    row is not None
                    and row.local_hash == fp
                    and sig
                    and _split_remote(row.remote_hash)[2] == sig
                ):  # same input, file as written: not rendered, not even read
                    report.vdir["unchanged"] += 1
                    continue
                pending.append((key, href, uid, item, fp, sig))
            stale = [h for h in state if h not in wanted[key]]
            for href in stale:
                sig = listed.get(href)
                if sig is None:
                    continue
                if not _is_file(sig):
                    report.skipped.append({"file": str(Path(key) / href), "reason": sig})
                else:
                    report.vdir["deleted"] += 1
                    deletes.append(Path(key) / href)
            if not dry_run:
                store.drop(conn, key, stale)
        # render only what may have changed (nothing, when nothing did)
        writes, rows = _calendar_writes(pending, report)
        if not dry_run:  # record first: a crash leaves files lrm knows it owns
            for key in folders:
                store.put(conn, key, rows.get(key, []), clock.timestamp)
            if not (writes or deletes or report.skipped):  # the next pass may stop at the mark
                files = f"{seen} {report.items} {report.vdir['unchanged']}"
                store.set_mark(conn, mark_key, data, files, clock.timestamp)
            else:
                store.clear_mark(conn, mark_key)
    if dry_run:
        return report
    done: dict[str, list[store.SyncRow]] = {}
    results = _write_items(writes)
    for (key, href, uid, fp, _data, action, _item), written in zip(writes, results, strict=True):
        path = Path(key) / href  # one that fails stops no other
        if isinstance(written, OSError):
            why = f"cannot write: {written.strerror or written}"
            report.skipped.append({"file": str(path), "reason": why})
            report.vdir[action] -= 1
            continue
        # as written, not as now: the next sync need not read it
        done.setdefault(key, []).append(store.SyncRow(href, uid, fp, written))
    for path in deletes:
        try:
            path.unlink(missing_ok=True)
        except OSError as exc:
            why = f"cannot delete: {exc.strerror or exc}"
            report.skipped.append({"file": str(path), "reason": why})
            report.vdir["deleted"] -= 1
    if done:  # each file's signature as written: the next sync need not read it
        with db.write() as conn:
            for key, done_rows in done.items():
                store.put(conn, key, done_rows, clock.timestamp)
    return report


def _calendar_digest(source, zone, today, calendar_settings, todo_folder, event_folder) -> str:
    """One hash of everything the calendar's files are made from: the rows (ics_export's
    calendar_rows), the day and zone, the settings, the folders, lrm's version."""
    from dataclasses import fields
    from operator import attrgetter

    yearly, tracked, reminders, plans = source
    parts: list[Any] = [
        FINGERPRINT_VERSION,
        __version__,
        str(zone),
        today.isoformat(),
        repr(calendar_settings),
        str(todo_folder),
        str(event_folder),
        [list(t) for t in tracked],
        [list(p) for p in plans],
    ]
    for rows in (yearly, reminders):
        if rows:
            get = attrgetter(*(f.name for f in fields(rows[0])))
            parts.append([get(r) for r in rows])
        else:
            parts.append([])
    return _sha(_dump(parts))


def _at_mark(mark: tuple[str, str] | None, data: str, seen: str, n: int) -> list[int] | None:
    """The ``n`` counts a folder's mark recorded, when it was made from ``data`` and
    ``seen`` (store.set_mark: files is the listing digest and the counts); else None."""
    if mark is None or mark[0] != data:
        return None
    parts = mark[1].split(" ")
    if parts[0] != seen or len(parts) != n + 1 or not all(p.isdigit() for p in parts[1:]):
        return None
    return [int(p) for p in parts[1:]]


def _listing_digest(*listings: dict[str, str]) -> str:
    """One hash of folder listings (vdir.listing, in the folder's order): equal digests,
    no file changed (the same files listed in another order only cost a full pass)."""
    return _sha(_dump(list(listings)))


# tables no card is made from (the rest, new ones too, are in _contacts_digest)
_NOT_IN_CARDS = frozenset(
    {
        "alembic_version", "contact_stats", "interaction", "interaction_participant",
        "render_cache", "stats_window", "sync_item", "undo_change", "undo_log", "undo_state",
    }
)  # fmt: skip


def _contacts_digest(conn, share_notes: bool, region: str) -> str:
    """One hash of every table the cards could be made from, whole (rows as SQLite gives
    them), and of how they are written and read: equal digests, nothing changed in lrm.
    A table that is not listed in _NOT_IN_CARDS counts, so a new one is never missed."""
    digest = hashlib.sha256(f"{FINGERPRINT_VERSION} {share_notes} {region}".encode())
    tables = conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%'"
        " AND name NOT LIKE 'search_index%' ORDER BY name"
    ).fetchall()
    for (name,) in tables:
        if name not in _NOT_IN_CARDS:
            digest.update(f"\n{name}\n".encode())
            digest.update(_dump(conn.execute(f'SELECT * FROM "{name}"').fetchall()))
    return digest.hexdigest()


def _is_file(sig: str) -> bool:
    """A vdir.listing value of a regular file (else it is the reason it is none)."""
    return sig[:1].isdigit()


def _calendar_writes(pending, report: CalendarReport):
    """What to write of the ``pending`` items: (writes, rows by folder): writes as
    (folder, href, uid, fingerprint, bytes or None, "created"/"updated", item); rows to
    record now, for the files to write (their hash and signature after writing come
    later) and for those that turned out unchanged. An item whose file is there is
    rendered now and compared; a new one is rendered as it is written
    (:func:`_write_items`), and recorded now without a hash: if lrm stops before writing
    it, the next sync renders it, compares, and writes or keeps the file."""
    from lrm_cli import background
    from lrm_cli.formats import ical

    writes: list[tuple[str, str, str, str, bytes | None, str, Any]] = []
    rows: dict[str, list[store.SyncRow]] = {}
    there = [p for p in pending if p[5]]
    # two cores for many items (the library's ~0.3 ms an item)
    rendered = background.split_map(
        lambda part: ical.item_calendars(part, __version__), [p[3] for p in there]
    )
    made = {(p[0], p[1]): data for p, (_uid, data) in zip(there, rendered, strict=True)}
    for key, href, uid, item, fp, sig in pending:
        path = Path(key) / href
        if not sig:
            report.vdir["created"] += 1
            writes.append((key, href, uid, fp, None, "created", item))
            rows.setdefault(key, []).append(store.SyncRow(href, uid, fp, ""))
            continue
        data = made[key, href]
        try:
            current: bytes | None = vdir.read_item(path)
        except FileNotFoundError:
            current = None
        except vdir.NotAnItem as exc:  # replaced since the listing
            report.skipped.append({"file": str(path), "reason": exc.reason})
            continue
        except OSError as exc:
            why = f"unreadable: {exc.strerror or exc}"
            report.skipped.append({"file": str(path), "reason": why})
            continue
        digest = _sha(data)
        if current == data:
            report.vdir["unchanged"] += 1
            rows.setdefault(key, []).append(store.SyncRow(href, uid, fp, f"{digest} - {sig}"))
            continue
        action = "created" if current is None else "updated"
        report.vdir[action] += 1
        writes.append((key, href, uid, fp, data, action, item))
        rows.setdefault(key, []).append(store.SyncRow(href, uid, fp, digest))
    return writes, rows


def _write_items(writes) -> list[str | OSError]:
    """Write the calendar ``writes`` (the new items rendered as they go), each file's
    remote hash as written, or the OSError that stopped it."""
    from lrm_cli.formats import ical

    return _write_files(
        writes,
        path_of=lambda w: Path(w[0]) / w[1],
        bytes_of=lambda w: w[4],
        render=lambda new: (
            data for _, data in ical.item_calendars([w[6] for w in new], __version__)
        ),
        remote_of=lambda data, sig: f"{_sha(data)} - {sig}",
    )


# --- the command -----------------------------------------------------------------------------


def run_command(settings: SyncSettings) -> CommandReport:
    """Run the command in a session (and process group) of its own, so that a timeout or
    Ctrl-C ends it together with everything it started; keep the last OUTPUT_LIMIT bytes
    of its output (stdout and stderr, interleaved as printed)."""
    import subprocess
    import threading

    argv = settings.argv()
    report = CommandReport(argv)
    try:
        proc = subprocess.Popen(
            argv,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    except OSError as exc:
        report.error = f"cannot run {argv[0]!r}: {exc.strerror}"
        return report
    assert proc.stdout is not None
    tail = _Tail(OUTPUT_LIMIT)
    reader = threading.Thread(target=tail.drain, args=(proc.stdout,), daemon=True)
    reader.start()
    try:
        proc.wait(timeout=settings.command_timeout)
    except subprocess.TimeoutExpired:
        report.timed_out = True
        report.error = f"timed out after {settings.command_timeout:g} s"
        _end_group(proc)
    except BaseException:  # Ctrl-C: the command is in its own session, it did not get it
        _end_group(proc)
        raise
    reader.join(timeout=2)
    if reader.is_alive():  # something the command started still holds its output: the
        _end_group(proc)  # group still exists, so its id cannot have been reused
        reader.join(timeout=2)
    report.output = tail.text()
    if not report.timed_out:
        report.exit_code = proc.returncode
        if proc.returncode != 0:
            report.error = f"exited with status {proc.returncode}"
    return report


def _end_group(proc: subprocess.Popen, grace: float = 2.0) -> None:
    """SIGTERM to the command's process group, SIGKILL after ``grace`` seconds."""
    import subprocess

    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(proc.pid, sig)
        except (ProcessLookupError, PermissionError):
            break  # the whole group is gone
        try:
            proc.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            continue
        if sig == signal.SIGTERM:
            time.sleep(0.05)  # its children may still be exiting: SIGKILL what is left
    proc.wait()


class _Tail:
    """The last ``limit`` bytes read from a stream, and how many came before them."""

    def __init__(self, limit: int) -> None:
        import threading

        self.limit = limit
        self.data = bytearray()
        self.cut = 0
        self.lock = threading.Lock()

    def drain(self, stream) -> None:
        with stream:
            while chunk := stream.read1(65536):
                with self.lock:
                    self.data += chunk
                    if len(self.data) > 2 * self.limit:
                        self.cut += len(self.data) - self.limit
                        del self.data[: -self.limit]

    def text(self) -> str:
        with self.lock:
            data, cut = bytes(self.data), self.cut
        if len(data) > self.limit:
            cut += len(data) - self.limit
            data = data[-self.limit :]
        if not cut:
            return data.decode("utf-8", "replace")
        _, newline, rest = data.partition(b"\n")  # start at a whole line
        cut += len(data) - len(rest) if newline else 0
        data = rest if newline else data
        return f"[{cut} bytes of earlier output not kept]\n" + data.decode("utf-8", "replace")


def sync(
    db: Database,
    settings: SyncSettings,
    clock: Clock,
    *,
    region: str,
    scheduler_settings: SchedulerSettings,
    calendar_settings,
    dry_run: bool = False,
    allow_empty: bool = False,
) -> SyncReport:
    """Contacts both ways and the calendar, then the command (vdirsyncer), then contacts
    again to take in what the command brought. Raises SyncCommandFailed (with the report)
    when the command fails; lrm's data is then left as the first pass made it."""
    report = SyncReport(dry_run=dry_run)
    with ExitStack() as held:
        for folder in _folders(settings):  # sorted: two syncs lock them in one order
            held.enter_context(vdir.locked(folder, LOCK_WAIT))
        _sync_locked(
            db,
            settings,
            clock,
            report,
            region=region,
            scheduler_settings=scheduler_settings,
            calendar_settings=calendar_settings,
            dry_run=dry_run,
            allow_empty=allow_empty,
        )
    return report


def _folders(settings: SyncSettings) -> list[Path]:
    """Every folder of the settings, checked (exists, writable), once each, sorted."""
    named = (
        ("contacts_vdir", settings.contacts_vdir),
        ("calendar_vdir", settings.calendar_vdir),
        ("events_vdir", settings.events_vdir),
    )
    return sorted({_folder(path, what) for what, path in named if path})


def _sync_locked(
    db: Database,
    settings: SyncSettings,
    clock: Clock,
    report: SyncReport,
    *,
    region: str,
    scheduler_settings: SchedulerSettings,
    calendar_settings,
    dry_run: bool,
    allow_empty: bool,
) -> None:
    if settings.contacts_vdir:
        report.contacts = sync_contacts(
            db,
            settings.contacts_vdir,
            clock,
            region=region,
            dry_run=dry_run,
            allow_empty=allow_empty,
            share_notes=settings.share_notes,
        )
    if settings.calendar_vdir:
        report.calendar = sync_calendar(
            db,
            settings,
            zone=clock.zone,
            today=clock.today,
            scheduler_settings=scheduler_settings,
            calendar_settings=calendar_settings,
            clock=clock,
            dry_run=dry_run,
        )
    if settings.command and not dry_run:
        report.command = run_command(settings)
        if not report.command.ok:
            raise SyncCommandFailed(
                f"the sync command failed: {report.command.error}; lrm's data is unchanged "
                "since its own pass",
                report,
                hint="run it by hand to see why",
            )
        if settings.contacts_vdir and report.contacts is not None:
            again = sync_contacts(
                db,
                settings.contacts_vdir,
                clock,
                region=region,
                contested=report.contacts.written,
                allow_empty=allow_empty,
                share_notes=settings.share_notes,
            )
            report.contacts.merge(again)
