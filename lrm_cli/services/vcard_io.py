"""vCard import (matching and applying, in one transaction) and export (one file or a vdir).

Import matches each card to an existing contact by UID first; then by normalised email,
then normalised phone, but only when the names agree (``normalize.names_agree``: same
words in any order, accents and case aside) or the card has no name of its own: families
share an address and colleagues an office number, and one person must never vanish into
another. A match adds: empty fields are filled, new methods, tags, dates and notes
appended; nothing already there is dropped. A card read before is compared with what it
gave then (card_memory.py, table card_seen): what was deleted in lrm since is not brought
back, and a single value the card changed while lrm kept the old one is taken. A card
that matches nothing is created; when it shares an email or phone with someone of another
name, or its name is the same as or close to another contact's, the pair is reported as a
probable duplicate
for ``lrm dupes`` (never merged). A card without a UID (Android's exports) whose email
and phone find no one is matched by its name when exactly one contact has it and no
earlier card of the import matched it (``_by_name``): otherwise re-reading an edited
phone export would duplicate everyone without an email or phone. Group cards (KIND:group,
X-ADDRESSBOOKSERVER-KIND:group) become a tag on their members.

A bad card (no name at all, never closed) is skipped and reported with its file and line;
the rest are imported. With ``strict`` one bad card refuses the whole import, and so does
one line that would be left out (a comment, stray text, an unreadable property).
"""

from __future__ import annotations

import dataclasses
import itertools
import re
import shlex
import sys
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from lrm_cli import background, contact_fields
from lrm_cli.card_memory import Seen, items_of, preferred_of
from lrm_cli.card_memory import folded as _folded
from lrm_cli.card_memory import same as _same
from lrm_cli.clock import Clock
from lrm_cli.dates import fuller, same_important_date
from lrm_cli.domain import MAX_ID, ContactMethod, InvalidInput, LrmError, NotFound
from lrm_cli.formats import vcard, vdir
from lrm_cli.input_files import refuse_a_device
from lrm_cli.normalize import (
    held,
    names_agree,
    nocase,
    normalize_email,
    normalize_phone,
    split_name,
)
from lrm_cli.store import aliases, records, search
from lrm_cli.store import contacts as contacts_store
from lrm_cli.store import vcard_io as store
from lrm_cli.store.db import Database
from lrm_cli.vocabulary import RELATIONSHIP_INVERSE as INVERSE
from lrm_cli.vocabulary import RELATIONSHIP_KINDS
from lrm_cli.words import plural

if TYPE_CHECKING:
    from lrm_cli.services.merge import NameIndex

NEW_CARDS_AT_ONCE = 500  # what new contacts' cards gave (card_seen), written in batches
_BEGIN = re.compile(rb"^BEGIN:VCARD", re.IGNORECASE | re.MULTILINE)  # counted for progress
VCARD_EXTENSIONS = ("vcf", "vcard")
Progress = Callable[[int, int], None]


# --- the report ------------------------------------------------------------------------------


@dataclass
class ImportReport:
    dry_run: bool = False
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0  # bad cards left out (with strict, the import is refused instead)
    groups: int = 0
    failed: list[vcard.CardError] = field(default_factory=list)
    probable_duplicates: list[dict[str, Any]] = field(default_factory=list)
    # a card of a contact an earlier card of this import made or changed, with another
    # value for one of its single fields: the first value is kept, the pair reported
    conflicts: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    items: list[dict[str, Any]] = field(default_factory=list)
    duplicates: int = 0  # how many probable duplicates, listed or not
    # what is kept (a big import need not hold a record per card): items only when asked,
    # the probable duplicates up to this many (None: all)
    keep_items: bool = True
    keep_duplicates: int | None = None

    def add_item(self, item: dict[str, Any]) -> None:
        if self.keep_items:
            self.items.append(item)

    def add_duplicate(self, pair: dict[str, Any]) -> None:
        self.duplicates += 1
        if self.keep_duplicates is None or len(self.probable_duplicates) < self.keep_duplicates:
            self.probable_duplicates.append(pair)

    def as_json(self) -> dict[str, Any]:
        return {
            "dry_run": self.dry_run,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "skipped": self.skipped,
            "groups": self.groups,
            "failed": [{"file": e.source, "line": e.line, "reason": e.reason} for e in self.failed],
            "probable_duplicates": self.probable_duplicates,
            "conflicts": self.conflicts,
            "warnings": self.warnings,
            "items": self.items,
        }


class ImportRejected(InvalidInput):
    """Some cards are bad and --strict was given: nothing was imported."""

    def __init__(self, report: ImportReport) -> None:
        first, *rest = report.failed
        lines = sum(e.line_only for e in rest)
        more = [
            plural(n, word)
            for n, word in ((len(rest) - lines, "more bad card"), (lines, "more skipped line"))
            if n
        ]
        others = f" (and {' and '.join(more)})" if more else ""
        super().__init__(
            f"{first.source}:{first.line}: {first.reason}{others}; nothing was imported",
            hint="fix the card, or leave out --strict to import the others",
        )
        self.report = report


class _DryRun(Exception):
    """Raised inside the transaction to roll a dry run back."""


# --- sources ---------------------------------------------------------------------------------


def parse_size(text: str) -> int:
    """``50MB``, ``512k``, ``1G`` or a number of bytes."""
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([kmg]?)i?b?\s*", text.lower())
    if not m:
        raise InvalidInput(f"invalid size {text!r}: use bytes or a number with K, M or G")
    factor = {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3}[m[2]]
    return int(float(m[1]) * factor)


def _too_big(name: str, max_size: int) -> InvalidInput:
    return InvalidInput(
        f"{name} is larger than the {max_size // (1024 * 1024) or max_size} "
        f"{'MB' if max_size >= 1024 * 1024 else 'bytes'} limit; nothing was imported",
        hint="pass --max-size to raise the limit",
    )


def read_sources(
    paths: list[str], max_size: int, stdin: IO[bytes] | None = None
) -> list[tuple[str, bytes | Path]]:
    """(name, bytes) for every file given: ``-`` is standard input, a folder is a vdir
    (every .vcf inside). Files over ``max_size`` are refused before they are read. A big
    file (vcard.PIECE_BYTES or more) is given as its Path: the import reads it a piece at
    a time."""
    out: list[tuple[str, bytes | Path]] = []
    for arg in paths:
        if arg == "-":
            stream = stdin if stdin is not None else sys.stdin.buffer
            data = stream.read(max_size + 1)
            if len(data) > max_size:
                raise _too_big("standard input", max_size)
            if data.strip():  # an empty pipe (an empty database's export) imports nothing
                _refuse_if_not_vcard(data, "<stdin>")
            out.append(("<stdin>", data))
            continue
        path = Path(arg).expanduser()
        if path.is_dir():
            files = list(vdir.items(path, VCARD_EXTENSIONS))
            if not files:
                _refuse_a_folder_of_books(path, arg)
        elif path.exists():
            files = [path]
        else:
            raise NotFound(f"no such file or folder: {arg}")
        for file in files:
            refuse_a_device(file, str(file))
            try:
                if not file.is_file():  # a pipe (<(curl ...)): read as far as the limit
                    with file.open("rb") as stream:
                        data = stream.read(max_size + 1)
                    if len(data) > max_size:
                        raise _too_big(str(file), max_size)
                    out.append((str(file), data))
                    continue
                if file.stat().st_size > max_size:
                    raise _too_big(str(file), max_size)
                if file.stat().st_size >= vcard.PIECE_BYTES:
                    with file.open("rb") as fh:  # readable: refused now, not half-way
                        head = fh.read(vcard.PIECE_BYTES)
                    data: bytes | Path = file
                else:
                    head = data = file.read_bytes()
                if not path.is_dir():  # named: a folder's file that is no card is skipped
                    _refuse_if_not_vcard(head, str(file))
                out.append((str(file), data))
            except OSError as exc:
                raise InvalidInput(f"cannot read {file}: {exc.strerror}") from exc
    return out


def _refuse_a_folder_of_books(path: Path, arg: str) -> None:
    """A folder without cards whose folders hold some (khard's and vdirsyncer's
    ``~/.contacts``: one folder per address book) is refused, naming them: importing
    nothing and saying "0 imported" would look like success. Which books to read is the
    user's choice; an empty folder imports nothing."""
    books = [
        sub
        for sub in sorted(path.iterdir())
        if sub.is_dir() and not sub.name.startswith(".")
        if next(vdir.items(sub, VCARD_EXTENSIONS), None) is not None
    ]
    if books:
        names = " ".join(shlex.quote(str(Path(arg) / b.name)) for b in books)
        raise InvalidInput(
            f"{arg} holds no cards; its address books do: " + ", ".join(b.name for b in books),
            hint=f"lrm import vcard {names}",
        )


def _refuse_if_not_vcard(head: bytes, name: str) -> None:
    """A file given by name (or standard input) that holds no vCard at all (empty, JSON,
    CSV, binary) is refused before anything is written."""
    problem = vcard.not_a_vcard(head, name)
    if problem is not None:
        raise problem


# --- import ----------------------------------------------------------------------------------


@dataclass
class _State:
    now: int
    region: str
    report: ImportReport
    tags: dict[str, int] = field(default_factory=dict)
    seen_uids: dict[str, int] = field(default_factory=dict)
    names: NameIndex | None = None  # the contacts' names, made when first needed
    lookups: list[str] | None = None  # the cards' names, when there are few (_few_names)
    top_before: int = 0  # the largest contact id before the import: later ones it made
    found: set[int] = field(default_factory=set)  # the contacts a card matched
    # (contact id, the card's relation, where): by uid (X-LRM-RELATED), by name
    relations: list[tuple[int, vcard.Related, str]] = field(default_factory=list)
    named_relations: list[tuple[int, vcard.Related]] = field(default_factory=list)
    groups: list[vcard.Card] = field(default_factory=list)
    # the contacts a card of this import made (True) or changed (False)
    touched: dict[int, bool] = field(default_factory=dict)
    # {key: items} of the cards of the contacts this import made, by contact: written a
    # batch at a time
    new_cards: dict[int, dict[str, Any]] = field(default_factory=dict)
    # how many cards of this import found each (contact there before, _card_key): _occurrence
    read: dict[tuple[int, str], int] = field(default_factory=dict)
    keep_ids: bool = False  # the database was empty: lrm's cards keep their X-LRM-ID
    # the report's item of each card with relationships, by contact (_related_added)
    related_items: dict[int, dict[str, Any]] = field(default_factory=dict)


def import_vcards(
    db: Database,
    sources: list[tuple[str, bytes | Path]],
    clock: Clock,
    *,
    dry_run: bool = False,
    strict: bool = False,
    region: str = "",
    progress: Progress | None = None,
    keep_items: bool = True,
    keep_duplicates: int | None = None,
) -> ImportReport:
    """Parse and apply the cards a piece of a file at a time (vcard.pieces), inside one
    write transaction, so that a big file is never held as lines and cards all at once.
    A bad card with ``strict`` rolls everything back (ImportRejected, after every card
    was read so that all the bad ones are named). Without ``keep_items`` the report has
    no ``items``; it lists the first ``keep_duplicates`` probable duplicates (all: None)
    and counts them all."""
    report = ImportReport(dry_run=dry_run, keep_items=keep_items, keep_duplicates=keep_duplicates)
    total = sum(_count_cards(data) for _, data in sources)
    done = 0
    read_warnings: list[str] = []  # the cards' own warnings come first in the report
    state = _State(now=clock.timestamp, region=region, report=report)
    try:
        with db.write() as conn, search.deferred(conn):
            state.tags = store.tag_ids(conn)
            state.top_before = store.top_contact_id(conn)
            state.keep_ids = state.top_before == 0
            pieces, state.lookups = _few_names(_parsed(sources, total, region))
            for piece in pieces:
                report.failed.extend(piece.result.errors)
                read_warnings.extend(piece.result.warnings)
                if strict:  # a line that would be left out refuses the import too
                    report.failed.extend(_refused(e) for e in piece.result.skips)
                for card in piece.cards:
                    if isinstance(card, vcard.CardError):
                        report.failed.append(card)
                        read_warnings.extend(card.warnings)
                    else:
                        read_warnings.extend(card.located_warnings())
                        if strict:
                            report.failed.extend(
                                _refused(vcard.CardError(card.source, line or card.line, what))
                                for line, what in card.skips
                            )
                        if card.is_group:
                            state.groups.append(card)
                        elif not (strict and report.failed):
                            _apply(conn, card, state)
                    done += 1
                    if progress and done % 50 == 0:
                        progress(done, max(total, done))
            _remember_new_cards(conn, state)
            report.warnings[:0] = read_warnings
            if report.failed and strict:
                raise ImportRejected(report)  # rolls the transaction back
            report.skipped = len(report.failed)
            for card in state.groups:
                _apply_group(conn, card, state)
            _apply_relations(conn, state)
            if dry_run:
                raise _DryRun
    except _DryRun:
        for item in report.items:  # the rows were rolled back: their ids mean nothing
            if item.get("action") == "create":
                item["contact_id"] = None
        for pair in report.probable_duplicates:
            pair["contact"]["id"] = None
        for conflict in report.conflicts:
            if state.touched.get(conflict["contact"]["id"]):  # made by the import: rolled back
                conflict["contact"]["id"] = None
    if progress:
        progress(max(total, done), max(total, done))
    return report


FEW_CARDS = 100
"""Up to this many cards, their names are read before the first is written: the name
index then keeps only the contacts whose names may be close to one of them."""


def _few_names(
    pieces: Iterator[vcard.Parsed],
) -> tuple[Iterator[vcard.Parsed], list[str] | None]:
    """``pieces``, and the names of their contacts' cards when they hold at most
    FEW_CARDS cards (else None: the pieces read ahead, at most FEW_CARDS cards and a
    piece, come first, then the rest as it is parsed)."""
    head: list[vcard.Parsed] = []
    cards = 0
    for piece in pieces:
        head.append(piece)
        cards += len(piece.cards)
        if cards > FEW_CARDS:
            return itertools.chain(head, pieces), None
    names = [
        card.name
        for piece in head
        for card in piece.cards
        if isinstance(card, vcard.Card) and not card.is_group
    ]
    return iter(head), names


def _refused(skipped: vcard.CardError) -> vcard.CardError:
    """A line the import would leave out, as --strict reports it."""
    return vcard.CardError(
        skipped.source, skipped.line, f"would skip {skipped.reason}", line_only=True
    )


PARSE_APART = 2000  # cards from which the parse runs in a child process (background.py)
APART_BLOCK = 1 << 18
"""Bytes of a file the child parses at a time (about 500 cards): the writing waits for
the first piece, and the last is written after the parse ends."""


def _parsed(
    sources: list[tuple[str, bytes | Path]], cards: int, region: str
) -> Iterator[vcard.Parsed]:
    """Each piece of each source, parsed, its cards' methods normalised; for a big import
    (``cards`` of them), in a child process while the caller writes what came before
    (the normalising of phones is a good part of a card's cost: it goes where the parse
    is, the lighter side)."""

    apart = cards >= PARSE_APART and background.available()
    block = APART_BLOCK if apart else vcard.PIECE_BYTES

    def parse() -> Iterator[vcard.Parsed]:
        for name, data in sources:
            cuts = (
                vcard.file_pieces(data, name, block)
                if isinstance(data, Path)
                else vcard.pieces(data, name)
            )
            for cut in cuts:
                parsed = vcard.parse_split(cut, keep_foreign=True)
                for card in parsed.cards:
                    if isinstance(card, vcard.Card):
                        _normalize(card, region)
                yield parsed

    if apart:
        return background.items(parse)
    return parse()


def _count_cards(data: bytes | Path) -> int:
    """About how many cards (BEGIN:VCARD lines), for the progress bar; a file is read a
    block at a time."""
    if isinstance(data, bytes):
        return len(_BEGIN.findall(data))
    count = 0
    with data.open("rb") as fh:
        while block := fh.read(vcard.PIECE_BYTES):
            count += len(_BEGIN.findall(block))
    return count


def normalize_methods(
    methods: list[ContactMethod], region: str, kept: Callable[[ContactMethod], None] | None = None
) -> list[ContactMethod]:
    """Emails lower-cased and phones in E.164 where they parse (``kept`` hears of the
    others, kept as written), without repeats."""
    out: dict[tuple[str, str], ContactMethod] = {}
    for m in methods:
        value = m.value
        try:
            if m.kind == "email":
                value = normalize_email(value)
            elif m.kind == "phone":
                value = normalize_phone(value, region)
        except LrmError:
            if kept is not None:
                kept(m)
            value = value.lower() if m.kind == "email" else value
        if not held(m.kind, value, out):
            out[(m.kind, value)] = (
                m
                if value == m.value
                else ContactMethod(m.kind, value, m.label, m.is_preferred, m.components)
            )
    return list(out.values())


def _normalize(card: vcard.Card, region: str) -> None:
    """Sets ``card.normalized``: its methods normalised, and those kept as written."""
    kept: list[ContactMethod] = []
    card.normalized = (normalize_methods(card.methods, region, kept.append), kept)


def _methods(card: vcard.Card, state: _State) -> list[ContactMethod]:
    if card.normalized is None:
        _normalize(card, state.region)
    assert card.normalized is not None
    methods, kept = card.normalized
    where = f"{card.source}:{card.line}"
    state.report.warnings.extend(f"{where}: kept {m.kind} {m.value!r} as written" for m in kept)
    return methods


_NOT_IN_TAG = re.compile(r"[\s,;\x00-\x1f\x7f]+")


def tag_name(text: str) -> str:
    """A CATEGORIES value or group name as an lrm tag (one word: no spaces, commas or
    semicolons)."""
    text = text.strip()
    if not _NOT_IN_TAG.search(text):
        return text
    return _NOT_IN_TAG.sub("-", text).strip("-")


def _tag_ids(conn, names: list[str], state: _State) -> list[int]:
    ids = []
    for raw in names:
        name = tag_name(raw)
        if not name:
            continue
        tid = state.tags.get(nocase(name))
        if tid is None:
            tid = state.tags[nocase(name)] = store.insert_tag(conn, name)
        ids.append(tid)
    return ids


@dataclass
class _Match:
    contact_id: int | None = None
    by: str | None = None  # uid | email | phone | name
    # a contact of another name sharing an email or phone: (id, name, kind, value)
    shared: tuple[int, str, str, str] | None = None
    uid: str = ""  # the UID the card goes by (a weak one qualified by its name: _own_uid)


def weak_uid(uid: str) -> bool:
    """A UID too short to name one card beyond the file that wrote it: digits only (a
    row number: 1, 2, 3 in two apps' exports), or fewer than 8 characters. A contact
    found by such a UID is the card's only if they are one person (:func:`_same_person`)."""
    return uid.isdigit() or len(uid) < 8


def _same_person(conn, cid: int, card: vcard.Card, methods: list[ContactMethod]) -> bool:
    """Whether the contact ``cid`` and ``card`` name the same person (``names_agree``,
    with the contact's aliases), or share an email or phone; a card named only by its
    email or phone is taken at its word."""
    if not _has_own_name(card, methods):
        return True
    have = store.methods_of(conn, cid)
    if any(held(m.kind, m.value, have) for m in methods if m.kind in ("email", "phone")):
        return True
    row = store.fields_of(conn, cid)
    theirs = _contact_names(
        conn, cid, row["display_name"], row["given_name"], row["family_name"], row["nickname"]
    )
    return names_agree(_card_names(card), theirs)


def _contact_names(
    conn, cid: int, name: str, given: str | None, family: str | None, nickname: str | None
) -> list[str]:
    """Every name a contact goes by, as a card's are compared with (``names_agree``)."""
    given_family = " ".join(n for n in (given, family) if n)
    return [name, given_family, nickname or "", *aliases.of(conn, cid)]


def _own_uid(uid: str, card: vcard.Card) -> str:
    """The UID of a card whose weak UID another person holds: stable (the same card
    read again finds the contact it made) and its own."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"lrm:{uid}:{_folded(card.name)}"))


def _card_names(card: vcard.Card) -> list[str]:
    given_family = " ".join(n for n in (card.given_name, card.family_name) if n)
    return [n for n in (card.name, given_family, card.nickname) if n]


def _named_by_method(
    name: str, given: str | None, family: str | None, methods: Iterable[tuple[str, str]]
) -> bool:
    """Whether a contact's name is only one of its emails or phones (``methods``), as a
    card without a name makes it: no name of its own, so any card's name agrees with it
    and takes its place."""
    if given or family:
        return False
    return any(kind in ("email", "phone") and held(kind, name, [(kind, v)]) for kind, v in methods)


def _name_says_less(existing, fill: dict, card: vcard.Card) -> bool:
    """Whether the card's name takes the place of the contact's, which says less: it is
    one of the card's emails or phones (:func:`_named_by_method`), or only the given and
    family names (``split_name``) that the card completes ("Peter", then a card of
    Peter Meier with his phone: the family name filled, the name follows)."""
    name, given, family = existing["display_name"], existing["given_name"], existing["family_name"]
    if not _has_own_name(card, []) or existing["organization"]:
        return False
    if _named_by_method(name, given, family, [(m.kind, m.value) for m in card.methods]):
        return True
    if "given_name" not in fill and "family_name" not in fill:
        return False
    grown = (fill.get("given_name", given), fill.get("family_name", family))
    return split_name(name) == (given, family) and split_name(card.name) == grown


def _has_own_name(card: vcard.Card, methods: list[ContactMethod]) -> bool:
    """False when the card's name was made from its email or phone (no FN, N or ORG)."""
    raw = {m.value for m in card.methods} | {m.value for m in methods}
    return bool(card.given_name or card.family_name or card.organization) or (card.name not in raw)


def _match(conn, uid: str, card: vcard.Card, methods: list[ContactMethod], state: _State) -> _Match:
    """By UID; then, for a card not written by lrm, by email or phone when the names
    agree; then (:func:`_by_name`) a card without a UID of its own by its name, unless
    the birthdays contradict (:func:`_born_apart`). A card lrm wrote (it carries
    X-LRM-ID) is a contact of its own: one that its UID does not find is new, whoever
    shares its email (export then import is one to one, issue 14)."""
    found = store.id_by_uid(conn, uid)
    if found is not None and weak_uid(uid) and not _same_person(conn, found, card, methods):
        uid = _own_uid(uid, card)  # two apps' card 1: two people
        found = store.id_by_uid(conn, uid)
    if found is not None:
        return _Match(found, "uid", uid=uid)
    if card.lrm_id is not None:
        return _Match(uid=uid)
    named = _has_own_name(card, methods)
    ours = _card_names(card)
    shared = None
    for kind in ("email", "phone"):
        for m in methods:
            if m.kind != kind:
                continue
            for cid, name, given, family, nickname in store.contacts_by_method(conn, kind, m.value):
                theirs = _contact_names(conn, cid, name, given, family, nickname)
                if (
                    not named
                    or names_agree(ours, theirs)
                    or _named_by_method(name, given, family, [(kind, m.value)])
                ):
                    return _Match(cid, kind, uid=uid)
                if shared is None:
                    shared = (cid, name, kind, m.value)
    if shared is None and card.uid is None:
        found = _by_name(conn, card, state)
        if found is not None:
            return _Match(found, "name", uid=uid)
    return _Match(shared=shared, uid=uid)


def _by_name(conn, card: vcard.Card, state: _State) -> int | None:
    """The contact a card without a UID means by its name alone: the one contact of that
    name (the rule of a related name, :func:`_named`), unless this import made it or a
    card of it already matched it. A phone's export (Android's has no UIDs) read again after
    an edit, or after the person was added by hand, finds them instead of making a
    duplicate; two contacts of that name, or two such cards in one file, are left apart
    (and reported as probable duplicates)."""
    found = contacts_store.find_by_name(conn, " ".join(card.name.split()))
    if len(found) != 1 or found[0].id > state.top_before or found[0].id in state.found:
        return None
    if _born_apart(card.birthday, store.fields_of(conn, found[0].id)["birthday"]):
        return None  # another person of that name (reported as a probable duplicate)
    return found[0].id


def _born_apart(card_birthday: str | None, contact_birthday: str | None) -> bool:
    """Whether a card and a contact give birthdays that cannot be one person's
    (``PartialDate.contradicts``): a name alone does not make them one. (A card that
    shares an email or phone too is matched, its birthday reported as a conflict.)"""
    if card_birthday is None or contact_birthday is None:
        return False
    from lrm_cli.dates import PartialDate

    return PartialDate.parse(card_birthday).contradicts(PartialDate.parse(contact_birthday))


def fields_of_card(card: vcard.Card) -> dict[str, Any]:
    """The columns a card sets (contact_fields.IMPORTED), from the card's attributes of
    the same names as ``Contact``'s."""
    return {f: getattr(card, contact_fields.BY_COLUMN[f].key) for f in contact_fields.IMPORTED}


def card_columns(card: vcard.Card) -> dict[str, Any]:
    """The columns only a card sets (store.CARD_COLUMNS): the organisation's units, the
    lines of the properties lrm does not manage, the UID as written."""
    return {
        "org_units": store.json_list(card.org_units),
        "name_parts": store.json_list(card.name_parts) if any(card.name_parts) else None,
        "vcard_extra": store.json_list(card.extra),
        "vcard_uid": card.card_uid,
    }


def _apply(conn, card: vcard.Card, state: _State) -> None:
    report = state.report
    methods = _methods(card, state)
    match = _match(conn, card.uid or card.derived_uid(), card, methods, state)
    uid = match.uid
    where = f"{card.source}:{card.line}"
    if uid in state.seen_uids:
        report.warnings.append(
            f"{where}: UID {card.uid or uid} also on the card at line {state.seen_uids[uid]}; "
            "merged into one contact"
        )
    else:
        state.seen_uids[uid] = card.line
    contact_id = match.contact_id
    item = {"file": card.source, "line": card.line, "name": card.name}
    if contact_id is None:
        updated = state.now
        if card.created_at is not None and card.updated_at is not None:
            updated = card.updated_at  # an lrm export: keep its history
        keep = card.lrm_id if state.keep_ids and card.lrm_id and 0 < card.lrm_id <= MAX_ID else None
        if keep is not None and not store.id_is_free(conn, keep):
            keep = None
        fields = fields_of_card(card)
        contact_id = create_contact(
            conn,
            card,
            uid,
            fields,
            methods,
            _tag_ids(conn, card.tags, state),
            now=state.now,
            updated=updated,
            keep=keep,
        )
        state.new_cards[contact_id] = {_card_key(card): _items(card, methods, fields)}
        if len(state.new_cards) >= NEW_CARDS_AT_ONCE:
            _remember_new_cards(conn, state)
        report.created += 1
        state.touched[contact_id] = True
        item.update(action="create", contact_id=contact_id, matched_by=None)
        if match.shared is not None:
            _report_shared(card, contact_id, match.shared, state)
        _check_similar(card, contact_id, state, conn, reported=match.shared is not None)
    else:
        state.found.add(contact_id)
        contact_name = store.fields_of(conn, contact_id)["display_name"]
        pending = state.new_cards.get(contact_id)  # made by this import, not written yet
        cards = store.seen_cards(conn, contact_id) if pending is None else pending
        key = _occurrence(state, contact_id, _card_key(card), cards)
        seen = Seen(cards.get(key))
        changes = _update(
            conn,
            contact_id,
            card,
            methods,
            date_rows(card.dates),
            note_rows(card.notes, state.now),
            state,
            match.by,
            seen,
            again=contact_id in state.touched,
        )
        cards[key] = _items(card, methods)
        if pending is None:
            store.remember_cards(conn, contact_id, cards)
        if changes:
            report.updated += 1
            state.touched.setdefault(contact_id, False)
        else:
            report.unchanged += 1
        item.update(
            action="update" if changes else "unchanged",
            contact_id=contact_id,
            matched_by=match.by,
            contact_name=contact_name,
            changes=changes,
        )
    report.add_item(item)
    if (card.relations or card.named_relations) and item["action"] != "create":
        state.related_items[contact_id] = item  # (a big import into an empty file: none)
    state.relations += [(contact_id, r, where) for r in card.relations]
    state.named_relations += [(contact_id, r) for r in card.named_relations]


def _card_key(card: vcard.Card) -> str:
    """Which card of a contact this is, for its memory (``card_seen``): its UID, or for a
    card without one (a phone's export) its name, case and spacing aside: a card edited on
    the phone is still the card it was, and two exports of one person under two names
    ("Lovelace, Ada" and "Ada Lovelace") are two cards, each compared with itself."""
    return card.uid or f"name:{_folded(card.name)}"


def _remember_new_cards(conn, state: _State) -> None:
    store.remember_new_cards(conn, list(state.new_cards.items()))
    state.new_cards.clear()


def _occurrence(state: _State, contact_id: int, key: str, cards: dict[str, Any]) -> str:
    """The key of the n-th card of one import with the same key for one contact ("Chidi
    Okafor" from the phone and from Google, joined in one file): ``KEY#n``, so that reading
    the file again compares each card with itself, not with its twin. A contact this import
    made has only its cards (``cards``); the others are counted in ``state.read`` (a big
    import into an empty file keeps no count per card)."""
    if contact_id > state.top_before:
        n = 1 + sum(1 for k in cards if k == key or k.startswith(f"{key}#"))
    else:
        n = state.read[(contact_id, key)] = state.read.get((contact_id, key), 0) + 1
    return key if n == 1 else f"{key}#{n}"


def _items(
    card: vcard.Card, methods: list[ContactMethod], fields: dict | None = None
) -> dict[str, Any]:
    """What the card gives (card_memory.items_of), its values as the import stores them
    (``fields``: its fields_of_card, when the caller has them)."""
    fields = dict(fields or fields_of_card(card))
    del fields["archived_at"]  # a match never archives
    fields.update(preferred_of(methods))
    return items_of(
        fields,
        [(m.kind, m.value) for m in methods],
        [tag_name(t) for t in card.tags],
        [(d.kind, d.date, d.label) for d in card.dates],
        [n.body for n in card.notes],
        card.aliases,
    )


def create_contact(
    conn,
    card: vcard.Card,
    uid: str,
    fields: dict[str, Any],
    methods: list[ContactMethod],
    tag_ids: list[int],
    *,
    now: int,
    updated: int,
    keep: int | None = None,
) -> int:
    """A new contact of everything a card carries: ``fields`` (fields_of_card, as the
    caller keeps them), the columns only a card sets, ``methods`` (normalised), tags,
    aliases, dates and notes. The one way import and sync make a contact of a card."""
    created = card.created_at if card.created_at is not None else now
    contact_id = store.insert_contact(conn, uid, fields, created, updated, card_columns(card), keep)
    store.insert_methods(conn, contact_id, methods)
    store.link_tags(conn, contact_id, tag_ids)
    aliases.add(conn, contact_id, card.aliases, now)
    store.insert_dates(conn, contact_id, date_rows(card.dates))
    store.insert_notes(conn, contact_id, note_rows(card.notes, now))
    return contact_id


def _add_dates(conn, contact_id: int, rows: list[tuple]) -> bool:
    """Add a card's date rows the contact does not have (``dates.same_important_date``: the
    same day without its year is one). A year the card brings for a date kept without one
    is written into it; a year the contact's date has is never lost. Whether any changed."""
    have = store.dates_of(conn, contact_id)
    new, filled = [], False
    for row in rows:
        same = next((h for h in have if same_important_date(h[1:], row[:3])), None)
        if same is None:
            new.append(row)
            have.append((None, *row[:3]))
        elif same[0] is not None and fuller(same[2], row[1]) != same[2]:
            store.set_date_day(conn, same[0], row[1])
            filled = True
    store.insert_dates(conn, contact_id, new)
    return filled or bool(new)


def date_rows(dates: Iterable[vcard.CardDate]) -> list[tuple]:
    """A card's dates as store.insert_dates takes them."""
    return [(d.kind, d.date, d.label, d.remind_days_before) for d in dates]


def note_rows(notes: Iterable[vcard.CardNote], now: int) -> list[tuple]:
    """A card's notes as store.insert_notes takes them: one without a time is ``now``'s."""
    return [(n.body, now if n.created_at is None else n.created_at, n.pinned) for n in notes]


def _update(
    conn,
    contact_id,
    card,
    methods,
    dates,
    notes,
    state: _State,
    by=None,
    seen: Seen = Seen(),
    *,
    again: bool = False,
) -> list[str]:
    """Add what the contact lacks and the card did not give before (``seen``: what was
    deleted in lrm since stays deleted), and take a single value the card changed since
    (card_memory); returns what changed, in words (``email``, ``tags``, ``birthday``...),
    empty when nothing did. The organisation's units come with the organisation; the
    card's other properties (``vcard_extra``) are those of the last card imported that has
    any; its UID as written, when the UID found the contact."""
    existing = store.fields_of(conn, contact_id)
    fill = _fields_to_set(contact_id, existing, card, state, seen, again)
    had = store.card_columns_of(conn, contact_id)
    ours = card_columns(card)
    card_set = {}
    if "organization" in fill and ours["org_units"]:
        card_set["org_units"] = ours["org_units"]
    if ("given_name" in fill or "family_name" in fill) and ours["name_parts"]:
        card_set["name_parts"] = ours["name_parts"]
    if card.named_relations and ours["vcard_extra"]:
        # a linked related name's line is lrm's relationship (_apply_relations drops it):
        # on either side, it is no other card property
        linked = {
            r.other.casefold() for r in card.named_relations if _named(conn, contact_id, r.other)
        }
        ours["vcard_extra"] = store.json_list(vcard.without_related(card.extra, linked))
        kept = vcard.without_related(store.from_json_list(had["vcard_extra"]), linked)
        had["vcard_extra"] = store.json_list(kept)
    if ours["vcard_extra"] and ours["vcard_extra"] != had["vcard_extra"]:
        card_set["vcard_extra"] = ours["vcard_extra"]
    if by == "uid" and ours["vcard_uid"] and had["vcard_uid"] is None:
        card_set["vcard_uid"] = ours["vcard_uid"]
    store.set_card_columns(conn, contact_id, card_set)
    have = store.methods_of(conn, contact_id)
    new_methods = [m for m in seen.new_methods(methods) if not held(m.kind, m.value, have)]
    if new_methods:
        unmarked = [dataclasses.replace(m, is_preferred=False) for m in new_methods]
        store.insert_methods(conn, contact_id, unmarked, store.next_position(conn, contact_id))
    preferred = _preference(conn, contact_id, methods, seen, again)
    tags = seen.new_tags([tag_name(t) for t in card.tags], nocase)
    tagged = store.link_tags(conn, contact_id, _tag_ids(conn, tags, state))
    named = aliases.add(conn, contact_id, seen.new_aliases(card.aliases), state.now)
    dated = _add_dates(conn, contact_id, seen.new_dates(dates))
    bodies = store.note_bodies(conn, contact_id)
    edited, new_notes = seen.edited_notes(
        [n for n in seen.new_notes(notes) if n[0] not in bodies], {n[0] for n in notes}, bodies
    )
    store.edit_notes(conn, contact_id, edited)
    store.insert_notes(conn, contact_id, new_notes)
    changes = [k.replace("_", " ") for k in fill]
    changes += list(dict.fromkeys(m.kind for m in new_methods)) + preferred
    changes += ["tags"] * bool(tagged) + ["aliases"] * bool(named)
    changes += ["dates"] * dated + ["notes"] * bool(new_notes or edited)
    changes += ["other card properties"] * ("vcard_extra" in card_set)
    if changes or card_set:
        store.set_fields(conn, contact_id, fill, state.now)
    return changes


def _preference(conn, contact_id: int, methods, seen: Seen, again: bool) -> list[str]:
    """The contact's preferred method of each kind the card prefers one of, a single value
    (card_memory.preferred_of) moved as the card moved it or set where it had none; a
    choice made in lrm stays. What changed, in words ("preferred phone")."""
    wanted = preferred_of(methods)
    if not wanted:
        return []
    have = store.method_rows(conn, contact_id)
    current = preferred_of(have)
    changed = []
    for name, value in wanted.items():
        now = current.get(name)
        outcome = ("fill" if now is None else "keep") if again else seen.field(name, now, value)
        kind = name.removeprefix("preferred ")
        target = next(
            (m for m in have if m.kind == kind and held(kind, value, [(m.kind, m.value)])), None
        )
        if outcome in ("fill", "change") and target is not None:
            store.prefer_method(conn, contact_id, kind, target.value)
            changed.append(name)
    return changed


def _fields_to_set(contact_id: int, existing, card, state: _State, seen: Seen, again: bool) -> dict:
    """The contact's fields the card sets: those it fills and (``Seen.field``) those it
    changed since it was last read. A value it gives otherwise than the contact has (changed
    in lrm since, or never from this card) is kept and reported (CONFLICTING fields). For a
    contact an earlier card of this import made or changed (``again``), only empty fields
    are filled, and each other value of the card is reported (the first card's stays)."""
    out = {}
    for key, value in fields_of_card(card).items():
        if key == "archived_at":
            continue  # a match never archives
        current = existing[key]
        if again:
            if value is not None and current is None:
                out[key] = value
            elif contact_fields.one_value(key, current, value):
                if contact_fields.fuller_value(key, current, value) != current:
                    out[key] = value
            elif value is not None and key in CONFLICTING and not _same(current, value):
                _conflict(state, card, contact_id, existing["display_name"], key, current, value)
            continue
        outcome = seen.field(key, current, value)
        if outcome in ("change", "conflict") and contact_fields.one_value(key, current, value):
            if contact_fields.fuller_value(key, current, value) != current:
                out[key] = value
        elif outcome in ("fill", "change"):
            out[key] = value
        elif outcome == "conflict" and key in CONFLICTING:
            why = "changed in lrm since the card was last imported" if seen.known else "lrm's own"
            why += "; lrm edit takes the card's"
            name = existing["display_name"]
            _conflict(state, card, contact_id, name, key, current, value, why)
    if "display_name" not in out and _name_says_less(existing, out, card):
        out["display_name"] = card.name
    return out


def _conflict(
    state: _State, card, contact_id: int, name: str, key: str, kept, dropped, why: str = ""
) -> None:
    """A single value of the card left out for the contact's (``why``, when the contact's
    is not an earlier card's of this import): a warning and ``conflicts``."""
    what = key.replace("_", " ")
    earlier = "" if why else " (an earlier card of this import)"
    state.report.warnings.append(
        f"{card.source}:{card.line}: {name} #{contact_id}{earlier}: {what} {dropped!r} left out, "
        f"{kept!r} kept" + (f" ({why})" if why else "")
    )
    state.report.conflicts.append(
        {
            "file": card.source,
            "line": card.line,
            "contact": {"id": contact_id, "name": name},
            "field": key,
            "kept": kept,
            "dropped": dropped,
        }
    )


# The single values a second card of the same contact can contradict (names are left out:
# the card matched because its name agrees, or by UID; a spelling is no conflict).
CONFLICTING = ("nickname", "organization", "title", "birthday", "how_met", "cadence_days")


def _report_shared(card: vcard.Card, contact_id: int, shared: tuple, state: _State) -> None:
    """A new contact sharing an email or phone with someone of another name."""
    from lrm_cli.services.merge import EMAIL_STRENGTH, PHONE_STRENGTH

    other_id, other_name, kind, value = shared
    state.report.add_duplicate(
        {
            "file": card.source,
            "line": card.line,
            "contact": {"id": contact_id, "name": card.name},
            "similar_to": {"id": other_id, "name": other_name},
            "reason": f"same {kind} {value}, another name",
            "score": EMAIL_STRENGTH if kind == "email" else PHONE_STRENGTH,
        }
    )


def tag_ids_for(conn, names: list[str]) -> list[int]:
    """Ids of the tags ``names`` (CATEGORIES values), created when missing."""
    known = store.tag_ids(conn)
    ids = []
    for raw in names:
        name = tag_name(raw)
        if not name:
            continue
        tid = known.get(nocase(name))
        if tid is None:
            tid = known[nocase(name)] = store.insert_tag(conn, name)
        ids.append(tid)
    return ids


def _check_similar(
    card: vcard.Card, contact_id: int, state: _State, conn, *, reported: bool = False
) -> None:
    """Report (never merge) another contact with the same or a close name, by the rule
    of ``lrm dupes`` (``merge.NameIndex``), unless the new contact was already
    ``reported`` (it shares an email or phone)."""
    from lrm_cli.services.merge import name_reason

    hit = _similar_name(conn, state, contact_id, card.name)
    if hit and not reported:
        state.report.add_duplicate(
            {
                "file": card.source,
                "line": card.line,
                "contact": {"id": contact_id, "name": card.name},
                "similar_to": {"id": hit[0], "name": hit[1]},
                "reason": name_reason(hit[2]),
                "score": round(hit[2], 2),
            }
        )


def _similar_name(conn, state: _State, contact_id: int, name: str) -> tuple[int, str, float] | None:
    """The first contact (but ``contact_id``) named the same as or close to ``name``: the
    contacts' names are indexed once, at the first lookup (``state.names``), and a new
    contact's after its own lookup."""
    from lrm_cli.services.merge import NameIndex

    if state.names is None:
        state.names = NameIndex(only=state.lookups)
        state.names.add_all(row for row in store.names(conn) if row[0] != contact_id)
    hit = state.names.similar(name)
    state.names.add(contact_id, name)
    return hit


def _apply_group(conn, card: vcard.Card, state: _State) -> None:
    report = state.report
    name = tag_name(card.name)
    where = f"{card.source}:{card.line}"
    report.groups += 1
    members = []
    for member in card.members:
        if member.lower().startswith("mailto:"):
            found = store.id_by_method(conn, "email", member[7:].strip().lower())
        else:
            found = store.id_by_uid(conn, member)
        if found is None:
            report.warnings.append(f"{where}: group {card.name!r}: no contact with {member}")
        else:
            members.append(found)
    if name and members:
        tids = _tag_ids(conn, [name], state)
        for cid in members:
            if store.link_tags(conn, cid, tids):
                contacts_store.touch(conn, cid, state.now)
    report.add_item(
        {
            "file": card.source,
            "line": card.line,
            "name": card.name,
            "action": "group",
            "tag": name,
            "members": len(members),
        }
    )


def _related_added(state: _State, contact_id: int) -> None:
    """A relationship a card names was added: its contact, matched and otherwise unchanged,
    was updated after all, and the change is named."""
    item = state.related_items.get(contact_id)
    if item is None:  # made by this import
        return
    if item["action"] == "unchanged":
        state.report.unchanged -= 1
        state.report.updated += 1
        item["action"] = "update"
    if "relationships" not in item["changes"]:
        item["changes"].append("relationships")


def _named(conn, contact_id: int, name: str) -> int | None:
    """The contact a card's related name links to: the one contact of exactly that name
    (display_name is NOCASE), not the card's own; None for none or several."""
    found = contacts_store.find_by_name(conn, name)
    return found[0].id if len(found) == 1 and found[0].id != contact_id else None


def _relate(conn, contact_id: int, other: int, related: vcard.Related, *, by_name: bool) -> bool:
    """Record what a card says: ``other`` is the contact's ``related.kind``, in its word
    ``related.label``. A related name (``by_name``) is not recorded again when it is
    recorded either way round (two spouses' cards name each other); lrm's own line
    (X-LRM-RELATED) is its row exactly. A new word for a recorded relationship replaces
    the old (a card without one leaves it). True when something was written."""
    kind, label = related.kind, related.label
    own = records.own_relationship(conn, contact_id, other, kind)
    if own is not None:  # a word in another case is the same (Apple's labels are capitalised)
        if not label or (own[1] or "").casefold() == label.casefold():
            return False
        records.set_relationship(conn, own[0], contact_id, other, kind, label)
        return True
    if not by_name:
        return records.insert_relationship(conn, contact_id, other, kind, label)
    if records.relationship_exists(conn, contact_id, other, kind):
        return False
    if kind in RELATIONSHIP_KINDS:
        return records.insert_relationship(conn, contact_id, other, kind, label)
    # only a reading ("introduced"): stored the other way round, where the word is not its
    return records.insert_relationship(conn, other, contact_id, INVERSE[kind])


def _apply_relations(conn, state: _State) -> None:
    linked = link_relations(conn, state.relations, state.named_relations, state.report.warnings)
    for contact_id, _ in linked:
        _related_added(state, contact_id)


def link_relations(
    conn,
    relations: list[tuple[int, vcard.Related, str]],
    named_relations: list[tuple[int, vcard.Related]],
    warnings: list[str],
) -> list[tuple[int, int]]:
    """Record what cards say about relationships, once every card of the batch is in (the
    other may come later): ``relations`` by the other's UID (lrm's X-LRM-RELATED, a
    missing one warned about in ``warnings`` at its ``file:line``), ``named_relations``
    by the other's name. The one rule of import and sync; returns (contact, other) of each
    relationship recorded or changed, in order."""
    changed: list[tuple[int, int]] = []
    for contact_id, related, where in relations:
        other = store.id_by_uid(conn, related.other)
        if other is None or other == contact_id:
            warnings.append(f"{where}: related contact {related.other} not found")
            continue
        if _relate(conn, contact_id, other, related, by_name=False):
            changed.append((contact_id, other))
    linked: dict[int, set[str]] = defaultdict(set)
    for contact_id, related in named_relations:
        # a name, not a contact (Android's relations, Apple's related names, 4.0's RELATED
        # text): the one contact of exactly that name is linked; none or several, and the
        # card's kept line is all there is
        other = _named(conn, contact_id, related.other)
        if other is None:
            continue
        if _relate(conn, contact_id, other, related, by_name=True):
            changed.append((contact_id, other))
        linked[contact_id].add(related.other.casefold())
    # a linked name is the relationship's now: lrm writes it from its table (a removed one
    # is gone from the next export), so the card's line is not kept
    for contact_id, names in linked.items():
        extra = store.from_json_list(store.card_columns_of(conn, contact_id)["vcard_extra"])
        kept = vcard.without_related(extra, names)
        if len(kept) != len(extra):
            store.set_card_columns(conn, contact_id, {"vcard_extra": store.json_list(kept)})
    return changed


# --- export ----------------------------------------------------------------------------------


_RECORD_KEYS = tuple(f.key for f in contact_fields.FIELDS)  # a contact row of export_rows
_RECORD = len(_RECORD_KEYS)


def cards_from_rows(rows: dict[str, Any]) -> list[vcard.Card]:
    """Cards for the rows of ``store.export_rows`` (what export and sync write)."""
    cards = []
    for r in rows["contacts"]:
        record = dict(zip(_RECORD_KEYS, r[:_RECORD], strict=True))
        org_units, name_parts, extra, card_uid = r[_RECORD:]
        cid = record.pop("id")
        cards.append(
            vcard.Card(
                **record,
                lrm_id=cid,
                org_units=store.from_json_list(org_units),
                name_parts=store.from_json_list(name_parts),
                extra=store.from_json_list(extra),
                card_uid=card_uid,
                methods=[
                    ContactMethod(kind, value, label, bool(pref), _components(components))
                    for kind, value, label, pref, components in rows["methods"].get(cid, ())
                ],
                tags=[t[0] for t in rows["tags"].get(cid, ())],
                dates=[vcard.CardDate(*d) for d in rows["dates"].get(cid, ())],
                notes=[
                    vcard.CardNote(body, created, bool(pinned))
                    for body, created, pinned in rows["notes"].get(cid, ())
                ],
                relations=[vcard.Related(*r) for r in rows["relations"].get(cid, ())],
                related_names=_related_names(rows["related"].get(cid, ())),
                aliases=[name for (name,) in rows["aliases"].get(cid, ())],
            )
        )
    return cards


def _related_names(rows) -> list[vcard.Related]:
    """The related names of a contact's relationship rows: its own row (A, B, parent,
    label) reads "B is A's parent" in A's word, the other's (B, A, parent) "B is A's
    child" (records.INVERSE), as ``lrm show`` words them; each kind and name once (the
    contact's own row first)."""
    out: dict[tuple[str, str], vcard.Related] = {}
    for kind, outgoing, name, label in rows:
        shown = vcard.Related(kind if outgoing else INVERSE.get(kind, kind), name, label)
        out.setdefault(shown[:2], shown if outgoing else shown._replace(label=None))
    return list(out.values())


def _components(text: str | None) -> tuple[str, ...] | None:
    return tuple(store.from_json_list(text)) if text else None


EXPORT_BATCH = 1000  # contacts read and rendered at a time


CARD_RENDERER = ("lrm_cli.formats.vcard", "vobject")  # what a card's bytes depend on
_ID_AT = _RECORD_KEYS.index("id")
_UID_AT = _RECORD_KEYS.index("uid")


def iter_cards(db: Database) -> Iterator[tuple[str, bytes]]:
    """(uid, vCard 3.0 bytes) for every contact, archived ones too, in id order: read and
    rendered EXPORT_BATCH contacts at a time (one query per table for each), so that an
    export of 100k contacts never holds them all. A card whose rows did not change since
    an export rendered it comes from the render cache (services/rendering.py)."""
    from lrm_cli.services import rendering
    from lrm_cli.services.fingerprints import card_print, renderer_stamp

    stamp = renderer_stamp(*CARD_RENDERER)
    with db.read() as conn:
        ids = store.contact_ids(conn)
    for start in range(0, len(ids), EXPORT_BATCH):
        with db.read() as conn:
            batch = ids[start : start + EXPORT_BATCH]  # every contact from its first to last
            rows = store.export_rows(conn, between=(batch[0], batch[-1]))
        contacts = rows["contacts"]
        groups = sorted(k for k in rows if k != "contacts")
        wanted = [
            rendering.Wanted(
                str(r[_ID_AT]), card_print(rows, groups, r[_ID_AT], r, True), r[_UID_AT] or ""
            )
            for r in contacts
        ]

        def render(indexes: list[int], rows=rows, contacts=contacts) -> Iterator[bytes]:
            picked = {**rows, "contacts": [contacts[i] for i in indexes]}
            return (vcard.serialize(card) for card in cards_from_rows(picked))

        bodies = rendering.rendered(db, "vcard", stamp, wanted, render)
        yield from ((w.uid, body) for w, body in zip(wanted, bodies, strict=True))


def export_cards(db: Database) -> list[tuple[str, bytes]]:
    """(uid, vCard 3.0 bytes) for every contact, archived ones too, in id order."""
    return list(iter_cards(db))


@dataclass
class ExportResult:
    contacts: int
    path: str | None = None
    written: int = 0
    unchanged: int = 0

    def as_json(self) -> dict[str, Any]:
        return {
            "contacts": self.contacts,
            "path": self.path,
            "written": self.written,
            "unchanged": self.unchanged,
        }


def export_vcards(
    db: Database, *, out: str | None = None, folder: str | None = None, stdout=None
) -> ExportResult:
    """To stdout (``out`` None or ``-``), one file, or a vdir of ``UID.vcf`` files (two
    UIDs with one file name: the later contact's gets ``UID-1.vcf``). Files are written
    atomically, and left alone when their bytes would not change."""
    if out and folder:
        raise InvalidInput("give --out or --vdir, not both")
    if folder:
        target = vdir.ensure_folder(Path(folder).expanduser())
        result = ExportResult(0, str(target))
        cards = iter_cards(db)
        taken: set[str] = set()  # in id order: the same names every time
        while batch := list(itertools.islice(cards, EXPORT_BATCH)):  # written together
            files = []
            for uid, data in batch:
                name = vdir.free_name(vdir.item_name(uid, "vcf"), taken)
                taken.add(name.lower())
                files.append((target / name, data))
            for written in vdir.write_each(files):
                if isinstance(written, OSError):
                    raise written
                result.contacts += 1
                result.written += written.changed
                result.unchanged += not written.changed
        return result
    count = 0

    def cards() -> Iterator[bytes]:
        nonlocal count
        for _, data in iter_cards(db):
            count += 1
            yield data

    if out and out != "-":
        path = Path(out).expanduser()
        if path.is_dir():
            raise InvalidInput(
                f"{out} is a folder", hint="use --vdir to write one file per contact"
            )
        try:
            written = _write_if_changed(path, cards())
        except OSError as exc:
            raise InvalidInput(f"cannot write {out}: {exc.strerror}") from exc
        return ExportResult(count, str(path), int(written), int(not written))
    stream = stdout if stdout is not None else sys.stdout.buffer
    for data in cards():
        stream.write(data)
    stream.flush()
    return ExportResult(count, None, count, 0)


def _write_if_changed(path: Path, pieces: Iterator[bytes]) -> bool:
    """Write ``pieces`` to ``path`` as they come (privately, atomically: through a staging
    file beside it), unless the file already holds exactly those bytes: then it is left
    alone (False). A symbolic link at ``path`` is replaced, never written through."""
    import filecmp
    import os

    from lrm_cli.private_files import write_private

    staging = path.with_name(f".{path.name}.lrm-export")
    write_private(staging, pieces)
    try:
        if path.is_file() and not path.is_symlink() and filecmp.cmp(staging, path, shallow=False):
            staging.unlink()
            return False
        os.replace(staging, path)
    except BaseException:
        staging.unlink(missing_ok=True)
        raise
    return True
