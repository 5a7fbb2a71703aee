"""vCard in and out: the one module that uses vobject, and owns every fix for its traps.

Reading (2.1, 3.0 and 4.0 as real exporters write them):

1. bytes are normalised before anything is decoded: a UTF-8/UTF-16 byte-order mark is
   dropped, CRLF/CR/LF line ends become LF, folded lines are unfolded *on bytes* (a fold
   may split a multi-byte UTF-8 character) and quoted-printable soft line breaks joined;
2. each logical line is decoded as UTF-8, else in its CHARSET, else as Windows-1252 (with
   a warning naming the lines);
3. cards are delimited by BEGIN/END (nesting and size limits are checked here, before any
   expensive work), and each content line is split into group, name, parameters and value
   by vobject's own line grammar (``vobject.base.parseLine``);
4. values are decoded here, not by vobject's behaviours: vobject 0.9.9 truncates every
   single-valued text property at the first unescaped comma (``FN:Smith, John`` becomes
   ``Smith``), mangles vCard 4.0 ``data:`` URIs, forgets bare 2.1 types (``TEL;CELL:``)
   and raises a zoo of exception types (ParseError, UnicodeDecodeError, binascii.Error,
   StopIteration, ValidateError, TypeError...) on odd input. Photos are never decoded.

Writing: vCard 3.0 built as vobject components (vobject escapes and orders the
properties), serialised unfolded and folded here at 75 octets, because vobject's folding
measures short lines in characters, not octets (40 "é" make an 83-octet line it leaves
alone). Never a CHARSET parameter; always VERSION, UID, FN and N; CRLF line ends.
"""

from __future__ import annotations

import codecs
import functools
import hashlib
import re
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import NamedTuple

from lrm_cli.contact_fields import BY_COLUMN
from lrm_cli.dates import fuller, same_day, same_important_date
from lrm_cli.domain import ContactMethod, InvalidInput, address_value
from lrm_cli.normalize import MAX_LINE, MAX_TEXT, MAX_VALUES, check_text, strip_controls
from lrm_cli.vocabulary import (
    MAX_LEAD_DAYS,
    RELATED_NAME_FIELDS,
    RELATED_NAME_PROPERTIES,
    RELATIONSHIP_INVERSE,
    RELATIONSHIP_KINDS,
)

MAX_NESTING = 3  # BEGIN:VCARD inside BEGIN:VCARD (2.1 AGENT) deeper than this is refused
MAX_PROPERTIES = 10_000  # content lines in one card
PRODID = "-//lrm//lrm//EN"
LINE_OCTETS = 75
APPLE_NO_YEAR = "1604"  # the year Apple writes for a date without one (X-APPLE-OMIT-YEAR)

_ENCODINGS = {"QUOTED-PRINTABLE", "BASE64", "B", "8BIT", "7BIT"}
_GENERIC_TYPES = {"pref", "voice", "internet", "x400", "uri"}
_KNOWN_TYPES = {
    "home", "work", "cell", "fax", "pager", "text", "video", "msg", "car", "isdn",
    "main", "iphone", "other", "dom", "intl", "postal", "parcel", "bbs", "modem", "pcs",
    "textphone", "mobile",
}  # fmt: skip
IM_PROPERTIES = {
    "X-AIM": "AIM",
    "X-GADUGADU": "Gadu-Gadu",
    "X-GOOGLE-TALK": "Google Talk",
    "X-GROUPWISE": "GroupWise",
    "X-ICQ": "ICQ",
    "X-JABBER": "Jabber",
    "X-MSN": "MSN",
    "X-QQ": "QQ",
    "X-SKYPE": "Skype",
    "X-SKYPE-USERNAME": "Skype",
    "X-TWITTER": "Twitter",
    "X-YAHOO": "Yahoo",
}
"""The messaging handles written before IMPP (Android's and Evolution's exports, old Apple
cards), each read as a social profile labelled with its service. lrm writes them back as
social profiles (X-SOCIALPROFILE or IMPP), not as these."""

_ANNIVERSARY_NAMES = ("ANNIVERSARY", "X-ANNIVERSARY", "X-EVOLUTION-ANNIVERSARY", "X-MS-ANNIVERSARY")
_SYSTEM_GROUPS = {"mycontacts"}  # Google's "all my contacts": on every card, never a tag
_APPLE_LABEL = re.compile(r"^_\$!<(.*)>!\$_$")
_QP_PARAMS = re.compile(rb"^[^:]*QUOTED-PRINTABLE[^:]*:", re.IGNORECASE)
_B64_PARAMS = re.compile(rb"^[^:]*;(?:ENCODING=)?(?:BASE64|B)[;:]", re.IGNORECASE)
_B64_LINE = re.compile(rb"^[A-Za-z0-9+/=]+[ \t]*$")
_BEGIN = re.compile(r"^(?:[A-Za-z0-9-]+\.)?BEGIN:VCARD\s*$", re.IGNORECASE)
_END = re.compile(r"^(?:[A-Za-z0-9-]+\.)?END:VCARD\s*$", re.IGNORECASE)
_BEGIN_OR_END = re.compile(r"^(?:[A-Za-z0-9-]+\.)?(BEGIN|END):VCARD\s*$", re.IGNORECASE)


def _nesting(text: str) -> int:
    """+1 for a line that begins a card, -1 for one that ends it, else 0: a card's lines
    in an embedded card (2.1 AGENT) are no person's. One match: every line is tried."""
    edge = _BEGIN_OR_END.match(text)
    if edge is None:
        return 0
    return 1 if edge[1].upper() == "BEGIN" else -1


_AGENT = re.compile(r"^(?:[A-Za-z0-9-]+\.)?AGENT(?:;[^:]*)?:\s*$", re.IGNORECASE)
_CHARSET = re.compile(rb";CHARSET=\"?([A-Za-z0-9_.:-]+)", re.IGNORECASE)
_UID_NS = uuid.UUID("6f1c6a4e-3b0e-4d7e-9a53-6c1d1f0e2b10")
_TEXT_ESCAPES = re.compile(r"\\(.)", re.DOTALL)


# --- the data both directions share ---------------------------------------------------------


@dataclass
class CardDate:
    kind: str  # anniversary | custom
    date: str  # YYYY-MM-DD or --MM-DD
    label: str | None = None
    remind_days_before: int | None = None


@dataclass
class CardNote:
    body: str
    created_at: int | None = None
    pinned: bool = False


class Related(NamedTuple):
    """A relationship on a card: its kind as this card reads it ("other is the card's
    <kind>"), the other person (a name; a uid for X-LRM-RELATED), and the card's own word
    for it when the kind says less (``Godmother``: see relation_label)."""

    kind: str
    other: str
    label: str | None = None


@dataclass
class Card:
    """One person (or group) as lrm sees a vCard. Methods hold raw values: the importer
    normalises emails and phones (that needs the user's phone region)."""

    name: str = ""
    uid: str | None = None
    given_name: str | None = None
    family_name: str | None = None
    nickname: str | None = None
    organization: str | None = None
    title: str | None = None
    birthday: str | None = None
    how_met: str | None = None
    cadence_days: int | None = None
    snoozed_until: str | None = None
    archived_at: int | None = None
    created_at: int | None = None
    updated_at: int | None = None
    lrm_id: int | None = None
    methods: list[ContactMethod] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    dates: list[CardDate] = field(default_factory=list)
    notes: list[CardNote] = field(default_factory=list)
    relations: list[Related] = field(default_factory=list)  # other: a uid (X-LRM-RELATED)
    # the card's related names (Android's X-ANDROID-CUSTOM .../relation, Apple's
    # X-ABRELATEDNAMES, 4.0's RELATED;VALUE=text): a name, not a contact; the import links
    # the one contact of that name, and the line is kept
    named_relations: list[Related] = field(default_factory=list)
    # the contact's relationships, both ways round, as this card reads them (export only):
    # written as Apple's related names (X-ABRELATEDNAMES)
    related_names: list[Related] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)  # other names (lrm's, X-LRM-ALIAS)
    is_group: bool = False
    members: list[str] = field(default_factory=list)  # uids, or mailto: addresses
    org_units: list[str] = field(default_factory=list)  # ORG's components after the name
    # N's additional names, honorific prefixes and suffixes (empty when it has none)
    name_parts: list[str] = field(default_factory=list)
    # the UID as the card wrote it, when ``uid`` is a normalisation of it (urn:uuid: dropped)
    card_uid: str | None = None
    # the content lines of the properties lrm does not manage, as they came (see
    # foreign_lines); written back as they are
    extra: list[str] = field(default_factory=list)
    # the importer's normalised methods and those kept as written (import only: made
    # beside the parse, in its child process for a big file; services/vcard_io.py)
    normalized: tuple[list[ContactMethod], list[ContactMethod]] | None = None
    # where it came from (import only)
    source: str = ""
    line: int = 0
    content_key: str = ""
    warnings: list[tuple[int, str]] = field(default_factory=list)  # (line, what was wrong)
    skips: list[tuple[int, str]] = field(default_factory=list)  # lines left out (--strict)

    def warn(self, line: int, message: str) -> None:
        self.warnings.append((line, message))

    def skip(self, line: int, what: str) -> None:
        """A line left out (a warning ``skipped WHAT``); ``--strict`` refuses it."""
        self.warn(line, f"skipped {what}")
        self.skips.append((line, what))

    def located_warnings(self) -> list[str]:
        """Each warning as ``file:line: message``."""
        return [f"{self.source}:{line or self.line}: {message}" for line, message in self.warnings]

    def derived_uid(self) -> str:
        """A UID for a card without one, derived from its content: importing the same
        file twice finds the same contact instead of creating a duplicate."""
        return str(uuid.uuid5(_UID_NS, self.content_key))


@dataclass
class CardError:
    source: str
    line: int
    reason: str
    warnings: list[str] = field(default_factory=list)  # about its lines, ``file:line: ...``
    # a bad card, or (a line the import would skip, refused by --strict) a line: the card
    # itself is good
    line_only: bool = False


@dataclass
class ReadResult:
    cards: list[Card] = field(default_factory=list)
    errors: list[CardError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    count: int = 0  # cards seen, good or bad
    skips: list[CardError] = field(default_factory=list)  # text left out (--strict refuses)


# --- reading: bytes -> logical lines --------------------------------------------------------


def _to_utf8_bytes(data: bytes) -> bytes:
    if data.startswith(codecs.BOM_UTF8):
        return data[3:]
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace").encode("utf-8")
    return data


def _line_ends(data: bytes) -> bytes:
    """Every line end as LF: CR CR LF (iPhone exports) first, then CRLF, then a lone CR."""
    if b"\r" in data:
        data = data.replace(b"\r\r\n", b"\n").replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    return data


def logical_lines(data: bytes, first_line: int = 1) -> list[tuple[int, bytes]]:
    """(first physical line number, unfolded line) pairs, still bytes.

    Three kinds of continuation are joined: a line starting with a space or tab (RFC
    folding; blank lines between a line and its continuation are ignored), a
    quoted-printable value ending in ``=`` (a soft line break: the next line is literal;
    a blank line ends it), and a line ending in a single backslash followed by a line
    that is not a property (vCard 2.1 values continued the way Android writes addresses;
    the backslash and the break become one space). A fourth, for base64 values (2.1
    ``PHOTO;ENCODING=BASE64``, ended by a blank line): a line of base64 characters only
    continues the value even when it is not indented, as older Nokia, Android and iPhone
    exports write it; such a line has no colon, so it can never be a property."""
    data = _line_ends(_to_utf8_bytes(data))
    if codecs.BOM_UTF8 in data:  # files that each began with one, joined: `cat *.vcf`
        data = data.replace(b"\n" + codecs.BOM_UTF8, b"\n")
    out: list[tuple[int, bytes]] = []
    parts: list[bytes] = []
    start = 0
    qp_open = b64_open = False
    for number, line in enumerate(data.split(b"\n"), first_line):
        if not line or (not parts and not line.strip()):
            if qp_open:  # a soft line break at the end of the value: nothing follows
                parts[-1] = parts[-1][:-1]
                qp_open = False
            b64_open = False  # a blank line ends a 2.1 base64 value
            continue
        if parts and (qp_open or line[:1] in (b" ", b"\t")):
            if qp_open:  # a quoted-printable soft line break: the next line is literal
                parts[-1] = parts[-1][:-1]
                parts.append(line)
            else:
                parts.append(line[1:])
        elif b64_open and _B64_LINE.match(line):  # base64 continued without indentation
            parts.append(line.rstrip())
        else:
            if parts:
                out.append((start, b"".join(parts)))
            parts, start = [line], number
            b64_open = bool(_B64_PARAMS.match(line)) and not line.startswith(b"#")
        qp_open = parts[-1].endswith(b"=") and _is_qp(parts)
    if parts:
        out.append((start, b"".join(parts)))
    return _join_backslash_continued(out)


def _join_backslash_continued(lines: list[tuple[int, bytes]]) -> list[tuple[int, bytes]]:
    """Second pass, over unfolded lines (so a fold cannot fake or hide either end): a line
    ending in an odd number of backslashes, followed by one that does not start a property,
    continues into it."""
    if not any(_backslash_continued(line) for _, line in lines):
        return lines
    out: list[tuple[int, bytes]] = []
    for number, line in lines:
        if out and _backslash_continued(out[-1][1]) and not _PROPERTY_START.match(line):
            start, previous = out[-1]
            out[-1] = (start, previous[:-1].rstrip() + b" " + line.lstrip())
        else:
            out.append((number, line))
    return out


_PROPERTY_START = re.compile(
    rb"^(?:[A-Za-z0-9-]+\.)?(?:X-[A-Za-z0-9-]+|" + b"|".join(
        n.encode() for n in (
            "BEGIN", "END", "VERSION", "PRODID", "UID", "REV", "FN", "N", "NICKNAME", "PHOTO",
            "BDAY", "ANNIVERSARY", "GENDER", "ADR", "LABEL", "TEL", "EMAIL", "MAILER", "IMPP",
            "LANG", "TZ", "GEO", "TITLE", "ROLE", "LOGO", "AGENT", "ORG", "MEMBER", "RELATED",
            "CATEGORIES", "NOTE", "SORT-STRING", "SOUND", "CLIENTPIDMAP", "URL", "KEY",
            "FBURL", "CALADRURI", "CALURI", "SOURCE", "KIND", "XML", "NAME", "PROFILE", "CLASS",
        )
    ) + rb")[;:]",
    re.IGNORECASE,
)  # fmt: skip
"""A line that starts a property (a name vCard defines, or X-): after a value ending in a
backslash, anything else is the value's continuation."""


_EMPTY_PARAMS = re.compile(r";+(?=;|$)")


def _without_empty_params(text: str) -> str:
    """``TEL;TYPE=CELL;;:+44...`` as ``TEL;TYPE=CELL:+44...``: an empty parameter (some
    phones write them) says nothing, and vobject refuses the line for it. Only when the
    parameters hold no quotes, which could hold a ``;`` or ``:`` of their own."""
    if ";;" not in text and ";:" not in text:
        return text  # nearly always
    head, colon, value = text.partition(":")
    if not colon or '"' in head or (";;" not in head and not head.endswith(";")):
        return text
    return _EMPTY_PARAMS.sub("", head) + colon + value


def _backslash_continued(line: bytes) -> bool:
    """Ends in an odd number of backslashes: a continued value, not an escaped one."""
    if not line.endswith(b"\\"):
        return False
    return (len(line) - len(line.rstrip(b"\\"))) % 2 == 1


def _is_qp(parts: list[bytes]) -> bool:
    return bool(_QP_PARAMS.match(parts[0])) and not parts[0].startswith(b"#")


def _decode_lines(
    lines: list[tuple[int, bytes]], source: str, warnings: list[str]
) -> list[tuple[int, str]]:
    try:
        text = b"\n".join(raw for _, raw in lines).decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return list(zip((n for n, _ in lines), text.split("\n"), strict=True))
    out, fallback = [], []
    for number, raw in lines:
        try:
            out.append((number, raw.decode("utf-8")))
            continue
        except UnicodeDecodeError:
            pass
        m = _CHARSET.search(raw.split(b":", 1)[0])
        decoded = None
        if m:
            try:
                decoded = in_charset(raw, m[1].decode("ascii"))
            except (LookupError, UnicodeError, ValueError):  # some codecs raise these
                decoded = None
        if decoded is None:
            decoded = _cp1252(raw)
            fallback.append(number)
        out.append((number, decoded))
    if fallback:
        shown = ", ".join(map(str, fallback[:5])) + (" ..." if len(fallback) > 5 else "")
        warnings.append(
            f"{source}: not UTF-8 and no charset given; read as Windows-1252 (line {shown})"
        )
    return out


def _cp1252(raw: bytes) -> str:
    try:
        return raw.decode("cp1252")
    except UnicodeDecodeError:  # the five bytes cp1252 leaves undefined
        return raw.decode("latin-1")


# --- reading: lines -> cards ----------------------------------------------------------------


@dataclass
class _Prop:
    group: str | None
    name: str
    params: dict[str, list[str]]
    types: list[str]
    value: str
    line: int
    label: str | None = None  # a label its parameters name (Android's X-CUSTOM, X-Name)


def _split_cards(
    lines: list[tuple[int, str]], source: str, result: ReadResult
) -> list[tuple[int, list[tuple[int, str]]]]:
    """Top-level cards as (start line, content lines); nested cards (2.1 AGENT) are kept
    inside their parent, which skips them. A BEGIN:VCARD that does not follow an empty
    AGENT property starts a new card: the open one was never closed (a cut export, two
    files pasted together) and is reported, and the card after it is kept."""
    cards: list[tuple[int, list[tuple[int, str]]]] = []
    depth = 0
    current: list[tuple[int, str]] = []
    start = 0
    outside: list[int] = []  # lines of text between cards
    first = ""
    for number, text in lines:
        if _BEGIN.match(text):
            if depth and not (current and _AGENT.match(current[-1][1])):
                result.errors.append(CardError(source, start, "BEGIN:VCARD without END:VCARD"))
                result.count += 1
                depth = 0
            depth += 1
            if depth > MAX_NESTING:
                raise InvalidInput(
                    f"{source}:{number}: vCards nested more than {MAX_NESTING} deep; "
                    "the file was refused"
                )
            if depth == 1:
                start, current = number, []
                continue
        elif _END.match(text):
            if depth == 0:
                result.errors.append(CardError(source, number, "END:VCARD without BEGIN:VCARD"))
                result.count += 1
                continue
            depth -= 1
            if depth == 0:
                cards.append((start, current))
                continue
        elif depth == 0:
            if text.strip():
                outside.append(number)
                if len(outside) == 1:
                    first = text
            continue
        current.append((number, text))
        if len(current) > MAX_PROPERTIES:
            raise InvalidInput(
                f"{source}:{start}: a vCard with more than {MAX_PROPERTIES} properties; "
                "the file was refused"
            )
    if depth:
        result.errors.append(CardError(source, start, "BEGIN:VCARD without END:VCARD"))
        result.count += 1
    if outside and not cards and not depth:
        result.errors.append(CardError(source, outside[0], "no vCard in this file"))
        result.count += 1
    elif outside:
        more = f" (and {len(outside) - 1} more lines)" if len(outside) > 1 else ""
        what = f"text outside a vCard {_shown(first)}{more}"
        result.warnings.append(f"{source}:{outside[0]}: skipped {what}")
        result.skips.append(CardError(source, outside[0], what))
    return cards


@dataclass
class Split:
    """A file cut into cards, before the (expensive) parsing of each."""

    source: str
    chunks: list[tuple[int, list[tuple[int, str]]]] = field(default_factory=list)
    result: ReadResult = field(default_factory=ReadResult)


def split(data: bytes, source: str, first_line: int = 1) -> Split:
    """Normalise, decode and cut ``data`` into cards. Raises InvalidInput for a file that
    must be refused (absurd nesting, a card with too many properties). ``first_line``:
    the number of ``data``'s first line in its file (a piece of it: :func:`pieces`)."""
    out = Split(source)
    logical = logical_lines(data, first_line)
    if not logical:
        out.result.warnings.append(f"{source}: empty file")
        return out
    lines = _decode_lines(logical, source, out.result.warnings)
    out.chunks = _split_cards(lines, source, out.result)
    return out


_ANY_BEGIN = re.compile(rb"^[ \t]*(?:[A-Za-z0-9-]+\.)?BEGIN:VCARD", re.IGNORECASE | re.MULTILINE)


def not_a_vcard(data: bytes, source: str) -> InvalidInput | None:
    """Why ``data`` (a file, or its first megabyte) is no vCard file at all, as the error
    to raise before anything is written: empty, binary, JSON (``lrm import json`` is
    meant), or text with no BEGIN:VCARD (a CSV). None when it holds a card."""
    text = _line_ends(_to_utf8_bytes(data))
    if _ANY_BEGIN.search(text):
        return None
    nothing = "nothing was imported"
    if not text.strip():
        return InvalidInput(
            f"{source}: empty file, not a vCard; {nothing}",
            hint="lrm import vcard reads .vcf files (BEGIN:VCARD ... END:VCARD)",
        )
    lines = text.split(b"\n")
    line = next(n for n, raw in enumerate(lines, 1) if raw.strip())
    first = lines[line - 1].strip()
    if b"\x00" in text[:8192] or not _looks_like_text(text[:8192]):
        return InvalidInput(f"{source}:{line}: binary data, not a vCard; {nothing}")
    if first[:1] in (b"{", b"["):
        return InvalidInput(
            f"{source}:{line}: JSON, not a vCard; {nothing}",
            hint="an lrm JSON export is read by: lrm import json "
            + ("-" if source == "<stdin>" else source),
        )
    shown = _shown(first.decode("utf-8", errors="replace"))
    return InvalidInput(
        f"{source}:{line}: not a vCard (no BEGIN:VCARD; it starts {shown}); {nothing}",
        hint="export the contacts as vCard (.vcf) and import that file",
    )


def _looks_like_text(head: bytes) -> bool:
    """UTF-8, or mostly printable in Windows-1252: not an image, an archive, a database."""
    try:
        head.decode("utf-8")
        return True
    except UnicodeDecodeError as exc:
        if exc.start >= len(head) - 4:  # a character cut at the end of the sample
            return True
    text = _cp1252(head)
    odd = sum(1 for c in text if not (c.isprintable() or c in "\r\n\t"))
    return odd <= len(text) // 20


PIECE_CARDS = 500  # cards per piece of a big file
PIECE_BYTES = 1 << 20  # a file smaller than this is one piece
_BETWEEN_CARDS = re.compile(
    rb"(?:\r*\n|\r)END:VCARD[ \t]*(?:\r*\n|\r)(?=(?:\xef\xbb\xbf)?BEGIN:VCARD)", re.IGNORECASE
)  # a byte-order mark may start the next card: files that each began with one, joined


def pieces(data: bytes, source: str, cards: int = PIECE_CARDS) -> Iterator[Split]:
    """:func:`split` of ``data`` a piece at a time: a big file is cut between two cards
    (after an END:VCARD line followed by a BEGIN:VCARD line, so never inside a card, nor
    an AGENT's embedded one) every ``cards`` cards, so that an import holds one piece's
    lines at a time, not the whole file's (nor a normalised copy of it). Line numbers
    are the file's."""
    if len(data) < PIECE_BYTES:
        yield split(data, source)
        return
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        data = _to_utf8_bytes(data)
    start, line = 0, 1
    for count, m in enumerate(_BETWEEN_CARDS.finditer(data), 1):
        if count % cards:
            continue
        end = m.end()  # through END:VCARD's line end
        piece = data[start:end]
        yield split(piece, source, line)
        line += _line_ends(piece).count(b"\n")
        start = end
    yield split(data[start:], source, line)


def _last_cut(data: bytes) -> re.Match[bytes] | None:
    found = None
    for found in _BETWEEN_CARDS.finditer(data):  # noqa: B007 (the last one is wanted)
        pass
    return found


def file_pieces(path, source: str, block: int = PIECE_BYTES) -> Iterator[Split]:
    """:func:`pieces` of a file read ``block`` bytes at a time: each piece ends at the last
    cut between two cards in what was read, so a big file is never held whole."""
    with open(path, "rb") as fh:
        head = fh.read(block)
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or len(head) < block:
            yield from pieces(head + fh.read(), source)  # UTF-16 is converted whole
            return
        buffer, line = head, 1
        while True:
            more = fh.read(block)
            last = _last_cut(buffer)
            if last is not None and more:
                piece, buffer = buffer[: last.end()], buffer[last.end() :]
                yield split(piece, source, line)
                line += _line_ends(piece).count(b"\n")
            if not more:
                yield split(buffer, source, line)
                return
            buffer += more


def parse_chunk(
    source: str, start: int, content: list[tuple[int, str]], *, keep_foreign: bool = False
) -> Card | CardError:
    """One card, or the reason it is bad: reported at the line the card starts on, the
    reason naming the line at fault when it is another."""
    try:
        card = parse_card(content, keep_foreign=keep_foreign)
    except _CardProblem as exc:
        at = f"line {exc.line}: " if exc.line and exc.line != start else ""
        located = [f"{source}:{line or start}: {message}" for line, message in exc.warnings]
        return CardError(source, start, at + exc.reason, located)
    card.source, card.line = source, start
    return card


@dataclass
class Parsed:
    """A piece of a file (a :class:`Split`) with each of its cards parsed, in order."""

    source: str
    result: ReadResult  # the piece's own errors and warnings (text outside any card...)
    cards: list[Card | CardError]


def parse_split(cut: Split, *, keep_foreign: bool = False) -> Parsed:
    cards = [
        parse_chunk(cut.source, start, content, keep_foreign=keep_foreign)
        for start, content in cut.chunks
    ]
    return Parsed(cut.source, cut.result, cards)


def read(data: bytes, source: str) -> ReadResult:
    """Every card in ``data``; bad cards become errors and never stop the others."""
    cut = split(data, source)
    result = cut.result
    for parsed in parse_split(cut).cards:
        result.count += 1
        if isinstance(parsed, CardError):
            result.errors.append(parsed)
            result.warnings.extend(parsed.warnings)
        else:
            result.cards.append(parsed)
            result.warnings.extend(parsed.located_warnings())
    return result


class _CardProblem(Exception):
    def __init__(self, reason: str, line: int = 0, warnings: list | None = None) -> None:
        super().__init__(reason)
        self.reason, self.line = reason, line
        self.warnings: list[tuple[int, str]] = warnings or []


_PROPERTY_HEAD = re.compile(r"(?:[A-Za-z0-9-]+\.)?[A-Za-z0-9-]+[;:]")
"""A property's name (with its group), then its parameters or its value."""


def _parse_props(
    content: list[tuple[int, str]], card: Card, raw: list[_Raw] | None = None
) -> tuple[list[_Prop], str]:
    """The card's properties; lines that are not properties (comments, stray text, names
    with ``/``, values that cannot be decoded) are skipped with a warning on ``card``.
    ``raw`` (when given) gets each property's line as written, with its number, name and
    group."""
    from vobject.base import ParseError, VObjectError, parseLine

    props: list[_Prop] = []
    version = ""
    nested = 0
    for number, text in content:
        if step := _nesting(text):
            nested += step
            continue
        if nested:
            continue  # an embedded card (2.1 AGENT): not a person of ours
        if props and props[-1].name == "NOTE" and not _PROPERTY_START.match(text.encode()):
            # a NOTE written with its line breaks as they are (not \\n), as some exporters
            # do: the line is the note's next one, not a stray line (nor, with a colon, a
            # property of its own)
            note = props[-1]
            note.value += "\n" + text
            continue
        if ":" not in text or not _PROPERTY_HEAD.match(text):
            what = "comment" if text.lstrip().startswith("#") else "line that is not a property"
            card.skip(number, f"{what} {_shown(text)}")
            continue
        custom, parsed = _custom_label(text, number, card)
        parsed = _without_empty_params(parsed)
        try:
            name, raw_params, value, group = parseLine(parsed, number)
        except (ParseError, VObjectError, ValueError, TypeError, IndexError) as exc:
            card.skip(number, f"unreadable line {_shown(text)} ({_why(exc)})")
            continue
        name = name.upper()
        if raw is not None:
            raw.append((number, text, name, group))
        params: dict[str, list[str]] = {}
        types: list[str] = []
        for item in raw_params:
            key = item[0].upper()
            if len(item) == 1:
                if key not in _ENCODINGS:
                    types.append(key.lower())
                    if custom is None and _X_LABEL.match(item[0]):
                        custom = item[0][2:]  # TEL;X-Emergency: Android's own label
                else:
                    params.setdefault("ENCODING", []).append(key)
                continue
            params.setdefault(key, []).extend(item[1:])
            if key == "TYPE":
                for v in item[1:]:
                    for t in (t.strip() for t in v.split(",")):
                        if t:
                            types.append(t.lower())
                            if custom is None and _X_LABEL.match(t):
                                custom = t[2:]  # TEL;TYPE=X-Emergency
        if name == "VERSION":
            version = value.strip()
        encoding = [e.upper() for e in params.get("ENCODING", ())]
        if "QUOTED-PRINTABLE" in encoding:
            try:
                value = _decode_qp(value, params, number, card)
            except _CardProblem as exc:
                card.skip(number, f"{name}: {exc.reason}")
                continue
        elif ("BASE64" in encoding or "B" in encoding) and name not in _BINARY:
            value = _decode_b64_text(value, params, number, card, name)
        group = group.lower() if group else None
        props.append(_Prop(group, name, params, types, value, number, custom))
    return props, version


_X_CUSTOM = re.compile(r";(?:TYPE=)?X-CUSTOM\((.*?)\)(?=[;:])", re.IGNORECASE)
_QUOTED = re.compile(r'"[^"]*"')
_X_LABEL = re.compile(r"^X-(?!EVOLUTION-)[^\W_][^;:,=\"]*$", re.IGNORECASE)
_SPACED_PARAM = re.compile(r";([^;:=\"]*?\S\s+\S[^;:=\"]*)(?=[;:])")
"""A bare parameter with a space in it (``TEL;X-Work Mobile:``, as Android writes a label
of two words): vCard 2.1 has no such parameter and vobject cannot read the line; lrm takes
it for the label it is."""
_CUSTOM_PARAM = re.compile(r"^\s*(CHARSET|ENCODING)=(.*)$", re.IGNORECASE)


def _custom_label(text: str, line: int, card: Card) -> tuple[str | None, str]:
    """The label of a ``TEL;X-CUSTOM(CHARSET=UTF-8,ENCODING=QUOTED-PRINTABLE,=4F=6D=61):``
    parameter (Android phones' own label, quoted-printable or not; ``TYPE=X-CUSTOM(...)``
    too), decoded, and the line without it: vobject cannot read the parameter (its label
    holds ``=``, its commas would split it)."""
    m = _X_CUSTOM.search(text) if "(" in text else None
    if m is None or m.start() > text.find(":"):  # in the value, not a parameter
        return _spaced_label(text)
    items = m[1].split(",")
    params: dict[str, list[str]] = {}
    while len(items) > 1 and (p := _CUSTOM_PARAM.match(items[0])):
        params[p[1].upper()] = [p[2].strip()]
        items.pop(0)
    label = ",".join(items)
    if "QUOTED-PRINTABLE" in (v.upper() for v in params.get("ENCODING", ())):
        try:
            label = _decode_qp(label, params, line, card)
        except _CardProblem as exc:
            card.warn(line, f"custom label kept as written: {exc.reason}")
    return strip_controls(label).strip() or None, text[: m.start()] + text[m.end() :]


def _spaced_label(text: str) -> tuple[str | None, str]:
    """The label of a bare parameter with a space in it (see _SPACED_PARAM), without its
    ``X-``, and the line without it."""
    head = text[: text.find(":") + 1]
    if " " not in head and "\t" not in head:
        return None, text  # nearly always
    if '"' in text:  # a quoted value may hold ; : and spaces: looked through, not into
        masked = _QUOTED.sub(lambda q: '"' + "_" * (len(q[0]) - 2) + '"', text)
        head = masked[: masked.find(":") + 1]
    m = _SPACED_PARAM.search(head)
    if m is None:
        return None, text
    label = strip_controls(text[m.start(1) : m.end(1)]).strip()
    if label[:2].upper() == "X-":
        label = label[2:].strip()
    return label or None, text[: m.start()] + text[m.end() :]


def _shown(text: str) -> str:
    return repr(text[:60] + ("..." if len(text) > 60 else ""))


def _why(exc: BaseException) -> str:
    text = str(exc).splitlines()[0] if str(exc) else ""
    return f"{type(exc).__name__}: {text}"[:120] if text else type(exc).__name__


_NOT_CHARSETS = frozenset({"unicode-escape", "raw-unicode-escape", "punycode", "idna"})
"""Python codecs a CHARSET could name that are not character sets: they would read a
value's backslash escapes (``\\x00``) or an IDNA name as text."""


def in_charset(raw: bytes, charset: str) -> str:
    """``raw`` read in the character set a CHARSET parameter names; LookupError for a
    name that is not a character set (unknown, or one of _NOT_CHARSETS)."""
    if codecs.lookup(charset).name in _NOT_CHARSETS:
        raise LookupError(f"not a character set: {charset}")
    return raw.decode(charset)


def _decode_qp(value: str, params: dict[str, list[str]], line: int, card: Card) -> str:
    try:
        raw = codecs.decode(value.encode("utf-8"), "quoted-printable")
    except (ValueError, UnicodeError) as exc:
        raise _CardProblem(f"bad quoted-printable value ({_why(exc)})", line) from None
    return _text_in_charset(raw, params, line, card)


def _text_in_charset(raw: bytes, params: dict[str, list[str]], line: int, card: Card) -> str:
    """A decoded value's bytes as text in the line's CHARSET (UTF-8 when none)."""
    charset = (params.get("CHARSET") or ["utf-8"])[0]
    try:
        return in_charset(raw, charset)
    except UnicodeError:  # bytes not in that charset (or a codec's own error)
        return _cp1252(raw)
    except (LookupError, ValueError):  # an unknown name, or one with a NUL in it
        card.warn(line, f"unknown CHARSET {charset!r}; read as Windows-1252")
        return _cp1252(raw)


def _decode_b64_text(
    value: str, params: dict[str, list[str]], line: int, card: Card, name: str
) -> str:
    """A text value a 2.1 card gives in base64 (``FN;CHARSET=UTF-8;ENCODING=BASE64:...``,
    as some Japanese and older phones write names and notes), in its CHARSET. One that is
    not base64 is read as written, with a warning."""
    import base64
    import binascii

    try:
        raw = base64.b64decode("".join(value.split()), validate=True)
    except (binascii.Error, ValueError):
        card.warn(line, f"{name} says BASE64 but is not; read as written")
        return value
    return _text_in_charset(raw, params, line, card)


# --- value decoding --------------------------------------------------------------------------


def unescape(value: str, version: str = "3.0") -> str:
    """Text value escapes: ``\\n`` newline, ``\\,`` ``\\;`` ``\\:`` ``\\\\`` (2.1 has only
    ``\\;``, and backslashes are literal: C:\\Users stays)."""
    if "\\" not in value:
        return value
    if version == "2.1":
        return value.replace("\\;", ";")
    return _TEXT_ESCAPES.sub(lambda m: "\n" if m[1] in "nN" else m[1], value)


_PARTS = {
    sep: re.compile(rf"[^\\{sep}]*(?:\\.[^\\{sep}]*)*\\?", re.DOTALL) for sep in ",;"
}  # one part: anything but the separator and backslash escapes (a last lone "\" too)


def split_escaped(value: str, sep: str, maxsplit: int = -1) -> list[str]:
    """Split at unescaped ``sep`` (``,`` or ``;``), at most ``maxsplit`` times (the rest
    is the last part, as ``str.split``); each part still escaped. Each part is one regex
    match, so a huge value costs no Python loop over its characters."""
    if "\\" not in value:
        return value.split(sep, maxsplit)
    part = _PARTS[sep].match
    parts, start = [], 0
    while True:
        end = part(value, start).end()  # type: ignore[union-attr]  # matches empty too
        if end == len(value) or len(parts) == maxsplit:
            parts.append(value[start:])
            return parts
        parts.append(value[start:end])
        start = end + 1  # past the separator


def _text(value: str, version: str, *, multiline: bool = False) -> str | None:
    """A text value unescaped, its control characters removed (``normalize.strip_controls``:
    newlines and tabs stay only in ``multiline`` text, a NOTE)."""
    text = strip_controls(unescape(value, version), multiline=multiline).strip()
    return text or None


def _components(value: str, version: str, *, multiline: bool = False) -> list[str]:
    parts = split_escaped(value, ";", MAX_VALUES)
    return [(_text(p, version, multiline=multiline) or "") for p in parts]


def _name_components(value: str, version: str) -> list[str]:
    """N's components, each one's values (``N:Doe;John;Paul,Peter;;``: two additional
    names) joined as a name shows them: with a space, the honorific suffixes with ", "
    (``Jr., M.D.``). vCard 2.1 has no value lists: its commas are the text's."""
    if version == "2.1":
        return _components(value, version)
    names = []
    for i, part in enumerate(split_escaped(value, ";", MAX_VALUES)):
        values = [t for v in split_escaped(part, ",", MAX_VALUES) if (t := _text(v, version))]
        names.append((", " if i >= 4 else " ").join(values))
    return names


_LIST_READ = MAX_VALUES * (2 * MAX_LINE + 1)  # what MAX_VALUES values take, escaped


def _list(value: str, version: str) -> tuple[list[str], bool]:
    """The values of a list property (CATEGORIES, NICKNAME), at most MAX_VALUES of them,
    and whether there were more (dropped, unread: a card of 20,000 categories would
    otherwise cost seconds under the write lock). Only the first ``_LIST_READ``
    characters are split; a value cut there is dropped, not kept cut."""
    cut = len(value) > _LIST_READ
    parts = split_escaped(value[:_LIST_READ] if cut else value, ",", MAX_VALUES)
    if cut and len(parts) <= MAX_VALUES:
        parts.pop()
    kept = [t for p in parts[:MAX_VALUES] if (t := _text(p, version))]
    return kept, cut or len(parts) > MAX_VALUES


_APPLE_FAX = {"homefax": "home,fax", "workfax": "work,fax", "otherfax": "other,fax"}
"""Apple's built-in fax labels, as the vCard types they stand for (written back as
``TEL;TYPE=home,fax``, which every program reads as a home fax, and Apple too)."""


def _apple_label(value: str) -> str:
    """An X-ABLabel as lrm's label: Apple's built-in ones (``_$!<Mobile>!$_``) as their
    lower-cased word, or the types a fax label stands for; a custom one as it is."""
    m = _APPLE_LABEL.match(value)
    if not m:
        return value
    word = m[1].lower()
    return _APPLE_FAX.get(word, word)


def card_date(value: str, params: dict[str, list[str]]) -> str | None:
    """A vCard date as lrm's partial date: ``1985-04-12``, ``19850412``, ``--0412``,
    ``--04-12``, date-times (the date part), Apple's year 1604 or X-APPLE-OMIT-YEAR
    meaning "no year". None when it is not a date (``BDAY;VALUE=text:circa 1800``)."""
    from lrm_cli.dates import PartialDate

    text = value.strip()
    if "T" in text and not text.startswith("T"):
        text = text.split("T", 1)[0]
    try:
        parsed = PartialDate.parse(text)
    except InvalidInput:
        return None
    omit = {v.strip() for v in params.get("X-APPLE-OMIT-YEAR", ())}
    if parsed.year is not None and (str(parsed.year) == APPLE_NO_YEAR or str(parsed.year) in omit):
        return f"--{parsed.month:02d}-{parsed.day:02d}"
    return str(parsed)


def _timestamp(value: str) -> int | None:
    text = value.strip()
    for parse in (datetime.fromisoformat, lambda t: datetime.strptime(t, "%Y%m%dT%H%M%SZ")):
        try:
            moment = parse(text)
        except ValueError:
            continue
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        return int(moment.timestamp())
    return None


_CADENCE = BY_COLUMN["cadence_days"]


def _int(value: str) -> int | None:
    try:
        return int(value.strip())
    except ValueError:
        return None


def _param(prop: _Prop, name: str) -> str | None:
    values = prop.params.get(name)
    return values[0] if values else None


def parse_card(content: list[tuple[int, str]], *, keep_foreign: bool = False) -> Card:
    """One card's content lines (without BEGIN/END) as a Card; raises _CardProblem. With
    ``keep_foreign``, ``card.extra`` holds the lines of the properties lrm does not manage
    (:func:`foreign_lines`)."""
    card = Card()
    raw: list[_Raw] | None = [] if keep_foreign else None
    props, version = _parse_props(content, card, raw)
    card.content_key = hashlib.sha256(
        "\n".join(
            sorted(t for _, t in content if not t[:6].upper().startswith(("REV", "PRODID")))
        ).encode("utf-8")
    ).hexdigest()
    props = _without_huge(props, card)
    labels = {
        p.group: label
        for p in props
        if p.name == "X-ABLABEL" and p.group
        if (label := _fitting_label(p, _apple_label(_text(p.value, version) or ""), card))
    }
    fn = n = org = None
    too_many: dict[str, int] = {}  # a list property with too many values: its first line
    emails: list[str] = []
    phones: list[str] = []
    kind = show_as = ""
    later = _Later()
    legacy_handles: list[ContactMethod] = []
    for p in props:
        name = p.name
        try:
            if name == "FN":
                fn = _text(p.value, version)
            elif name == "N":
                n = _name_components(p.value, version)
            elif name == "UID":
                uid = _text(p.value, version)
                if uid and uid.lower().startswith("urn:uuid:"):
                    card.card_uid, uid = uid, uid[9:]
                card.uid = uid
            elif name == "NICKNAME":
                names, more = _list(p.value, version)
                card.nickname = ", ".join(names) if names else None
                if more:
                    too_many.setdefault(name, p.line)
            elif name == "ORG":
                org = _components(p.value, version)
            elif name == "TITLE":
                card.title = _text(p.value, version)
            elif name == "BDAY":
                _birthday(card, p, version, later)
            elif name in _ANNIVERSARY_NAMES or name == "X-ABDATE":
                _date(card, p, version, labels, later)
            elif name in _RELATED_PROPS and (related := _related_in(p, version)) is not None:
                who, what = related
                if who:  # Apple's type is its X-ABLabel (lrm's export adds X-LRM-KIND)
                    word = labels.get(p.group) if name == "X-ABRELATEDNAMES" else None
                    _related_name(card, who, what or word, word or what)
            elif name in ("EMAIL", "TEL", "URL", "ADR", "X-SOCIALPROFILE", "IMPP"):
                method = _method(p, version, labels)
                if method is not None:
                    card.methods.append(method := _fitting(method, p, card))
                    if method.kind == "email":
                        emails.append(method.value)
                    elif method.kind == "phone":
                        phones.append(method.value)
            elif name == "CATEGORIES":
                values, more = _list(p.value, version)
                card.tags.extend(v for v in values if v.casefold() not in _SYSTEM_GROUPS)
                if more or len(card.tags) > MAX_VALUES:
                    too_many.setdefault(name, p.line)
                    del card.tags[MAX_VALUES:]
            elif name == "NOTE":
                body = _text(p.value, version, multiline=True)
                if body:
                    _fits(body, "NOTE", multiline=True)
                    created = _param(p, "X-LRM-CREATED")
                    card.notes.append(
                        CardNote(
                            body,
                            _int(created) if created else None,
                            _param(p, "X-LRM-PINNED") == "1",
                        )
                    )
            elif name in ("KIND", "X-ADDRESSBOOKSERVER-KIND"):
                kind = (_text(p.value, version) or "").lower()
            elif name == "X-ABSHOWAS":  # Apple's "show as company" (the line is kept)
                show_as = (_text(p.value, version) or "").lower()
            elif name in ("MEMBER", "X-ADDRESSBOOKSERVER-MEMBER"):
                member = _text(p.value, version)
                if member:
                    low = member.lower()
                    card.members.append(member[9:] if low.startswith("urn:uuid:") else member)
            elif name in IM_PROPERTIES:
                handle = _im_handle(p, version)
                if handle is not None:
                    card.methods.append(handle := _fitting(handle, p, card))
                    legacy_handles.append(handle)
            elif name == "X-ANDROID-CUSTOM":
                _android(card, p, version, later)
            elif name.startswith("X-LRM-") or name == "REV":
                _lrm(card, p, version)
        except (_CardProblem, ValueError, TypeError, IndexError, KeyError, LookupError) as exc:
            why = exc.reason if isinstance(exc, _CardProblem) else _why(exc)
            card.skip(p.line, f"{name} ({why})")
    for name, line in too_many.items():
        card.warn(line, f"more than {MAX_VALUES} {name} values: kept the first {MAX_VALUES}")
    if legacy_handles:
        _without_repeated_handles(card.methods, legacy_handles)
    later.apply(card)
    card.is_group = kind == "group"
    if n:
        n += [""] * (5 - len(n))
        card.family_name, card.given_name = n[0] or None, n[1] or None
        if any(n[2:5]):
            card.name_parts = [*n[2:4], ", ".join(c for c in n[4:] if c)]
    whole_org = (", ".join(c for c in org if c) or None) if org else None
    if org and org[0]:  # the organisation's name, then its units (trailing empty ones dropped)
        card.organization = org[0]
        units = org[1:]
        while units and not units[-1]:
            units.pop()
        card.org_units = units
    else:  # no name, only units: they are the organisation
        card.organization = whole_org
    # an organisation's card (4.0 KIND:org, Apple's X-ABShowAs:COMPANY) is named as the
    # phone shows it, by its ORG, when its FN is missing or only the contact person's
    # name from N; an FN of its own is the name (the company's, as Apple writes it, or
    # lrm's: a name kept when only the organisation is edited), and it is never split
    # into a given and a family name; a card lrm wrote has its contact's name in FN
    company = kind == "org" or show_as == "company"
    person = _name_from(n, None, [], []) if n else None
    names_the_person = not fn or (person is not None and fn.casefold() == person.casefold())
    if company and card.organization and names_the_person and not (fn and card.lrm_id is not None):
        card.name = card.organization
    else:
        # a card named only by its nickname or a messaging handle ("Mo", the man from
        # the bakery) is shown so on the phone: that is its name here too
        handles = [m.value for m in card.methods if m.kind == "social"]
        also = [card.nickname.split(", ")[0]] if card.nickname else []
        card.name = fn or _name_from(n, whole_org, [*also, *emails], [*phones, *handles]) or ""
    if not card.name:
        raise _CardProblem(
            "no name: the card has no FN, N, ORG, NICKNAME, EMAIL, TEL or messaging handle",
            warnings=card.warnings,
        )
    if n is None and fn and not company:  # no N at all: guess it from FN, as `lrm add` does
        from lrm_cli.normalize import split_name

        card.given_name, card.family_name = split_name(fn)
    _check_lengths(card)
    if raw is not None:
        card.extra = _foreign(raw, card)
    return card


_READ = frozenset(
    {
        "FN", "N", "UID", "ORG", "TITLE", "BDAY", *_ANNIVERSARY_NAMES, "X-ABDATE", "EMAIL",
        "TEL", "URL", "ADR", "X-SOCIALPROFILE", "IMPP", "NOTE", "KIND", "X-ABLABEL",
        "X-ADDRESSBOOKSERVER-KIND", "MEMBER", "X-ADDRESSBOOKSERVER-MEMBER", "REV",
        *IM_PROPERTIES,
    }
)  # fmt: skip
"""The properties decoded into a Card, but the lists (CATEGORIES, NICKNAME: see _list)."""


# A web page, an email, a phone, an address, a handle, a label or a note too long for lrm
# is left out with a warning, and the card imports with the rest: a phone's export often
# holds a long link or a pasted letter. Another field too long (a name, an organisation, a
# title) still refuses the card, as it would refuse the field typed.
_LEFT_OUT_WHEN_LONG = frozenset(
    {"EMAIL", "TEL", "URL", "ADR", "X-SOCIALPROFILE", "IMPP", "NOTE", "X-ABLABEL"}
) | frozenset(IM_PROPERTIES)


def _without_huge(props: list[_Prop], card: Card) -> list[_Prop]:
    """The properties but those far longer than lrm keeps (ten times MAX_LINE; twice
    MAX_TEXT for a NOTE), left out before any decoding: unescaping and splitting tens of
    megabytes would cost seconds before the length check refused them anyway. A PHOTO or
    another property lrm does not read may be any size."""
    kept = []
    for p in props:
        if p.name in _READ or p.name.startswith("X-LRM-"):
            limit = 2 * MAX_TEXT if p.name == "NOTE" else 10 * MAX_LINE
            if len(p.value) > limit:
                why = (
                    f"{p.name} is {len(p.value):,} characters long; at most "
                    f"{MAX_TEXT if p.name == 'NOTE' else MAX_LINE:,} allowed"
                )
                if p.name not in _LEFT_OUT_WHEN_LONG:
                    raise _CardProblem(why, p.line, card.warnings)
                card.skip(p.line, f"{p.name} ({why})")
                continue
        kept.append(p)
    return kept


def _fits(value: str, what: str, *, multiline: bool = False) -> None:
    """``check_text``, as the problem of the property being read (it is left out)."""
    try:
        check_text(value, what, multiline=multiline, limit=MAX_LINE if what == "ADR" else None)
    except InvalidInput as exc:
        raise _CardProblem(exc.message) from None


def _fitting(method: ContactMethod, p: _Prop, card: Card) -> ContactMethod:
    """The method, without a label too long to keep (a warning says so); a value too long
    leaves the property out (``_CardProblem``)."""
    if method.kind == "address":
        for part in (method.value, *(method.components or ())):
            _fits(part, "ADR", multiline=True)
    else:
        _fits(method.value, _PROPERTY_OF[method.kind])
    if method.label is not None and len(method.label) > MAX_LINE:
        card.warn(p.line, f"left out a {p.name} label {len(method.label):,} characters long")
        return replace(method, label=None)
    return method


def _fitting_label(p: _Prop, label: str, card: Card) -> str:
    """An X-ABLabel, or "" (none) when it is too long to keep (a warning says so)."""
    if len(label) > MAX_LINE:
        card.warn(p.line, f"left out an X-ABLabel {len(label):,} characters long")
        return ""
    return label


def _check_lengths(card: Card) -> None:
    """Refuse the card (``_CardProblem``) when a value is longer than lrm keeps
    (``normalize.MAX_LINE``, ``MAX_TEXT`` for a note): a 45 MB FN would otherwise be
    indexed, compared with every name and written to the undo journal."""
    lines: list[tuple[str, str | None]] = [
        ("FN", card.name),
        ("N", card.given_name),
        ("N", card.family_name),
        ("NICKNAME", card.nickname),
        ("ORG", card.organization),
        *(("ORG", unit) for unit in card.org_units),
        *(("N", part) for part in card.name_parts),
        ("TITLE", card.title),
        ("UID", card.uid),
        ("X-LRM-HOW-MET", card.how_met),
    ]
    lines += [(_PROPERTY_OF[m.kind], m.value) for m in card.methods if m.kind != "address"]
    lines += [(f"{_PROPERTY_OF[m.kind]} label", m.label) for m in card.methods]
    lines += [("CATEGORIES value", t) for t in card.tags]
    lines += [("date label", d.label) for d in card.dates]
    lines += [("X-LRM-RELATED", r.other) for r in card.relations]
    lines += [("X-LRM-ALIAS", alias) for alias in card.aliases]
    lines += [("related name", r.other) for r in card.named_relations]
    lines += [("relation label", r.label) for r in (*card.relations, *card.named_relations)]
    lines += [("MEMBER", member) for member in card.members]
    try:
        for what, value in lines:
            if value is not None:
                check_text(value, what)
        for m in card.methods:
            if m.kind == "address":  # a street may have two lines
                check_text(m.value, "ADR", multiline=True, limit=MAX_LINE)
                for part in m.components or ():
                    check_text(part, "ADR", multiline=True, limit=MAX_LINE)
        for note in card.notes:
            check_text(note.body, "NOTE", multiline=True)
    except InvalidInput as exc:
        raise _CardProblem(exc.message, warnings=card.warnings) from None


@functools.cache
def _cjk() -> re.Pattern[str]:
    """Han, kana and Hangul: the scripts whose names are written family name first.
    Compiled when first needed: ~3 ms (its ranges beyond the BMP), which an export of
    cards, which never reads N, need not pay."""
    return re.compile(
        "[\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af"
        "\uf900-\ufaff\U00020000-\U0003134f]"
    )


def _family_first(n: list[str]) -> bool:
    """N's names are Chinese, Japanese or Korean: no letter of another script in them."""
    names = n[0] + n[1] + n[2]
    cjk = _cjk()
    return bool(cjk.search(names)) and not any(c.isalpha() and not cjk.match(c) for c in names)


def _name_from(n, org, emails, phones) -> str | None:
    if n:
        if _family_first(n):  # 王;小明 is 王小明, as the phone shows it
            return "".join(w for w in (n[3], n[0], n[1], n[2], n[4]) if w)
        # prefix, given, additional, family, suffix
        words = [n[3], n[1], n[2], n[0], n[4]]
        text = " ".join(w for w in words if w)
        if text:
            return text
    return org or (emails[0] if emails else None) or (phones[0] if phones else None)


def _birthday(card: Card, p: _Prop, version: str, later: _Later) -> None:
    """The card's first BDAY is its birthday; a second one (a card merged on a phone) is
    not dropped: it is weighed once the card is read, as a labelled birthday is
    (:class:`_Later`: the same day kept once, another day kept as a date, with a warning)."""
    text = _text(p.value, version) or ""
    if not text:
        return
    parsed = card_date(text, p.params)
    if parsed is None:
        card.warn(p.line, f"birthday {text!r} is not a date; kept as a note")
        card.notes.append(CardNote(f"Birthday: {text}"))
    elif card.birthday is None:
        card.birthday = parsed
    else:
        later.birthdays.append((parsed, p.line))


def _date(card: Card, p: _Prop, version: str, labels: dict, later: _Later) -> None:
    text = _text(p.value, version) or ""
    label = labels.get(p.group) if p.group else None
    kind = (_param(p, "X-LRM-KIND") or "").lower()
    if not kind and p.name == "X-ABDATE":  # Apple's, named by its X-ABLabel
        if text:
            _labelled_date(card, later, p, text, label, p.name)
        return
    parsed = card_date(text, p.params) if text else None
    kind = kind or "anniversary"
    if kind not in ("anniversary", "custom"):
        kind = "custom"
    if parsed is None:
        if text:
            card.warn(p.line, f"{p.name} {text!r} is not a date; kept as a note")
            card.notes.append(CardNote(f"{label or kind.capitalize()}: {text}"))
        return
    remind = _param(p, "X-LRM-REMIND")
    lead = _int(remind) if remind else None
    if lead is not None and not 0 <= lead <= MAX_LEAD_DAYS:
        card.warn(p.line, f"X-LRM-REMIND {remind!r} is not 0 to {MAX_LEAD_DAYS} days; left out")
        lead = None
    card.dates.append(CardDate(kind, parsed, label, lead))


# --- Android's X-ANDROID-CUSTOM ---------------------------------------------------------------
#
# Android writes what vCard 3.0 has no property for as
# ``X-ANDROID-CUSTOM:vnd.android.cursor.item/KIND;DATA1;DATA2;DATA3;...`` (ContactsContract's
# data columns: the value, its type number, the label of a custom type). lrm reads three:
# nicknames (into NICKNAME's field), events (birthday, anniversary, other and custom dates)
# and relations (a person's name and what they are: lrm links the one contact of that name;
# see _related_name). Events are labelled dates, as Apple's X-ABDATE (_labelled_date): one
# rule for both. Read nicknames and events are lrm's (written back as NICKNAME,
# BDAY, X-ANNIVERSARY, X-ABDATE); every other X-ANDROID-CUSTOM line is kept as it came, a
# relation's too (a name is not a contact: the phone keeps it).

_ANDROID_ITEM = "vnd.android.cursor.item/"
_ANDROID_READ = re.compile(
    r"^[^:]*:\s*vnd\.android\.cursor\.item/(?:nickname|contact_event)\s*;", re.IGNORECASE
)
"""A content line lrm reads into its own fields, so does not keep."""
_ANDROID_EVENTS = {"1": "anniversary", "2": "other", "3": "birthday"}
"""Android's event types (ContactsContract.CommonDataKinds.Event.TYPE_*) by name; 0 is a
custom type, named by its label."""
_DATE_KINDS = {"anniversary": "anniversary", "other": "custom", "birthday": "birthday"}
"""What a labelled date is, by its type's name: Android's event types (above), Apple's
built-in X-ABDATE labels (``_$!<Anniversary>!$_``, ``_$!<Other>!$_``) lower-cased; any
other name is a custom date's label."""
_ANDROID_RELATIONS = (
    "custom", "assistant", "brother", "child", "domestic_partner", "father", "friend",
    "manager", "mother", "parent", "partner", "referred_by", "relative", "sister", "spouse",
)  # fmt: skip
"""Android's relation types (ContactsContract.CommonDataKinds.Relation.TYPE_*) by name,
their numbers the index."""
_RELATION_KINDS = {
    "assistant": "colleague", "brother": "sibling", "child": "child",
    "domestic_partner": "partner", "father": "parent", "friend": "friend",
    "manager": "manager", "mother": "parent", "parent": "parent", "partner": "partner",
    "referred_by": "introduced_by", "relative": "relative", "sister": "sibling",
    "spouse": "spouse", "sibling": "sibling", "kin": "relative", "co-worker": "colleague",
    "colleague": "colleague", "other": "other",
    # words phones offer beyond those (newer iPhones' built-in labels among them)
    "son": "child", "daughter": "child", "husband": "spouse", "wife": "spouse",
    "boyfriend": "partner", "girlfriend": "partner", "coworker": "colleague",
    "grandparent": "relative", "grandmother": "relative", "grandfather": "relative",
    "grandchild": "relative", "grandson": "relative", "granddaughter": "relative",
    "aunt": "relative", "uncle": "relative", "cousin": "relative", "niece": "relative",
    "nephew": "relative",
}  # fmt: skip
"""A related name's type as lrm's relationship kind, by the type's name: Android's relation
types (above), Apple's built-in related-name labels (``_$!<Spouse>!$_``, Mother, Father,
Parent, Brother, Sister, Child, Friend, Partner, Manager, Assistant) lower-cased, vCard
4.0's RELATED types (RFC 6350: sibling, kin, co-worker, colleague...). An assistant is a
colleague, a brother or sister a sibling, a mother or father a parent, a domestic partner a
partner, referred by is introduced_by, a son or daughter a child, an aunt or cousin a
relative...; a custom label that names one of lrm's kinds (``mentor``, ``introduced by``: how
lrm writes them, see related_label) is that kind; any other is other. Whatever the word, it
is kept with the relationship unless it is the kind's own (relation_label), and the export
writes it back."""
_APPLE_RELATED = frozenset(
    {"spouse", "partner", "child", "parent", "mother", "father", "brother", "sister",
     "friend", "assistant", "manager", "other"}
)  # fmt: skip
"""Apple's built-in related-name labels (``_$!<Spouse>!$_``...), lower-cased."""


def relation_kind(what: str | None) -> str:
    """lrm's relationship kind (or its reading from the other side, ``introduced``) for a
    related name's type: see _RELATION_KINDS."""
    key = (what or "").strip().lower()
    found = _RELATION_KINDS.get(key)
    if found is not None:
        return found
    key = key.replace(" ", "_")
    return key if key in RELATIONSHIP_KINDS or key in RELATIONSHIP_INVERSE else "other"


def relation_label(word: str | None, kind: str) -> str | None:
    """The card's word for a relationship (``Godmother``, ``mother``) as its label: None
    when there is none or it is the kind's own word (``spouse``, ``Introduced by``)."""
    text = (word or "").strip()
    if not text or text.lower().replace(" ", "_") == kind:
        return None
    return text


def related_label(kind: str, label: str | None = None) -> str:
    """The X-ABLabel lrm writes for a relationship of ``kind`` (as the card reads it) and
    ``label`` (the card's own word, if any): the label, as Apple's built-in one when it is
    (``_$!<Mother>!$_``), relation_kind reading it back as ``kind``; without one, Apple's
    built-in label where _RELATION_KINDS reads that label back as ``kind``
    (``_$!<Spouse>!$_``), else the kind as plain text (``sibling``, ``introduced by``)."""
    word = (label or kind).lower()
    if word in _APPLE_RELATED and _RELATION_KINDS.get(word) == _RELATION_KINDS.get(kind, kind):
        return f"_$!<{word.capitalize()}>!$_"
    return label or kind.replace("_", " ")


@dataclass
class _Later:
    """What is applied once the whole card is read: the nicknames of its X-ANDROID-CUSTOM
    lines and its labelled dates (:func:`_labelled_date`), as its BDAY or ANNIVERSARY may
    come after them: a date the card already has is not added twice."""

    nicknames: list[str] = field(default_factory=list)
    birthdays: list[tuple[str, int]] = field(default_factory=list)  # (date, line)
    dates: list[CardDate] = field(default_factory=list)

    def apply(self, card: Card) -> None:
        for name in self.nicknames:  # after NICKNAME's, unless it has them
            have = card.nickname or ""
            if name.casefold() not in {n.strip().casefold() for n in have.split(",")}:
                card.nickname = f"{have}, {name}" if have else name
        for date, line in self.birthdays:
            if card.birthday is None or same_day(card.birthday, date):
                card.birthday = fuller(card.birthday, date)
            else:
                card.warn(line, f"a second birthday {date} (BDAY: {card.birthday}); kept as a date")
                self.dates.append(CardDate("custom", date, "Birthday"))
        for d in self.dates:
            key = (d.kind, d.date, d.label)
            same = next(
                (x for x in card.dates if same_important_date((x.kind, x.date, x.label), key)),
                None,
            )
            if same is None:
                card.dates.append(d)
            else:  # ANNIVERSARY (or the same date twice) has it: a year only one knew is taken
                same.date = fuller(same.date, d.date)


def _labelled_date(
    card: Card, later: _Later, p: _Prop, value: str, name: str | None, where: str
) -> None:
    """A date a card names by what it is (``name``: a type's name, see _DATE_KINDS, or a
    custom label): Android's events, Apple's X-ABDATE with its X-ABLabel. A birthday is the
    card's birthday (a second one a date named Birthday), another a custom date with its
    label or an anniversary; one that is not a date is kept as a note, with a warning."""
    key = (name or "").strip().lower()
    kind = _DATE_KINDS.get(key, "custom")
    label = None if key in _DATE_KINDS else (name or "").strip() or None
    parsed = card_date(value, p.params)
    if parsed is None:
        card.warn(p.line, f"{where} {value!r} is not a date; kept as a note")
        card.notes.append(CardNote(f"{label or kind.capitalize()}: {value}"))
    elif kind == "birthday":
        later.birthdays.append((parsed, p.line))
    else:
        later.dates.append(CardDate(kind, parsed, label))


def _related_name(card: Card, name: str, what: str | None, word: str | None) -> None:
    """A person a card names by how they relate (Android's relation, Apple's related name,
    4.0's ``RELATED;VALUE=text``): ``what`` is the type's name (see _RELATION_KINDS) or a
    custom label, ``word`` the label as the card shows it (relation_label). A name is not
    a contact: the import links the one contact of that name (services/vcard_io.py)."""
    kind = relation_kind(what)
    card.named_relations.append(Related(kind, name, relation_label(word, kind)))


_RELATED_PROPS = RELATED_NAME_PROPERTIES
"""The properties that can carry a related name (see _related_in)."""


def _related_in(p: _Prop, version: str) -> tuple[str | None, str | None] | None:
    """(the name, its type's word or None) of a related-name property: Apple's
    X-ABRELATEDNAMES (the word its X-LRM-KIND; else the caller reads its group's X-ABLabel),
    4.0's ``RELATED;VALUE=text`` (its first type lrm knows; a URI names no one lrm knows),
    Android's relation (its type's name), a desktop address book's (X-MS-SPOUSE: the relation
    its name says); None for any other property. The one reading of them all,
    for the parser and for kept lines (_related_of)."""
    if p.name == "X-ABRELATEDNAMES":
        return _text(p.value, version), _param(p, "X-LRM-KIND")
    if p.name == "RELATED":
        if (_param(p, "VALUE") or "").lower() != "text":
            return None
        return _text(p.value, version), next((t for t in p.types if t in _RELATION_KINDS), None)
    if p.name in RELATED_NAME_FIELDS:  # Outlook's X-MS-SPOUSE, Evolution's, KAddressBook's
        return _text(p.value, version), RELATED_NAME_FIELDS[p.name]
    if p.name == "X-ANDROID-CUSTOM":
        parts = split_escaped(p.value, ";", 16)
        if parts[0].strip().lower() != _ANDROID_ITEM + "relation" or len(parts) < 2:
            return None
        type_ = (_text(parts[2], version) or "") if len(parts) > 2 else ""
        number = int(type_) if type_.isdigit() else 0
        what = _ANDROID_RELATIONS[number] if number < len(_ANDROID_RELATIONS) else None
        if number == 0:  # custom: its label is the type (none: other)
            what = (_text(parts[3], version) if len(parts) > 3 else None) or None
        return _text(parts[1], version), what
    return None


def _android(card: Card, p: _Prop, version: str, later: _Later) -> None:
    parts = split_escaped(p.value, ";", 16)
    item = parts[0].strip().lower()
    if not item.startswith(_ANDROID_ITEM):
        return
    item = item[len(_ANDROID_ITEM) :]
    data = [_text(part, version) for part in parts[1:4]] + [None, None, None]
    value, type_, label = data[0], (data[1] or "").strip(), data[2]
    if not value:
        return
    if item == "nickname":
        later.nicknames.append(value)
    elif item == "contact_event":
        name = _ANDROID_EVENTS.get(type_) or (label if type_ == "0" else None)
        _labelled_date(card, later, p, value, name, "Android date")


_METHOD_KIND = {
    "EMAIL": "email",
    "TEL": "phone",
    "URL": "url",
    "ADR": "address",
    "X-SOCIALPROFILE": "social",
    "IMPP": "social",
}


_PROPERTY_OF = {v: k for k, v in _METHOD_KIND.items() if k != "IMPP"}

_SERVICE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ._+-]*$")
"""A label written as an IMPP's X-SERVICE-TYPE (and read back as it is): one word-like
name of a service ("Skype", "Google Talk"), nothing a parameter would have to quote."""


def _preferred(p: _Prop) -> bool:
    """Marked preferred: a ``pref`` type, or 4.0's ``PREF=1``."""
    return "pref" in p.types or (_param(p, "PREF") or "").strip() == "1"


def _im_handle(p: _Prop, version: str) -> ContactMethod | None:
    """A legacy messaging property (``X-SKYPE-USERNAME:kenji``) as a social profile
    labelled with its service."""
    handle = _text(p.value, version)
    if not handle:
        return None
    preferred = _preferred(p)
    return ContactMethod("social", handle, IM_PROPERTIES[p.name], preferred, None)


def _held(methods: Iterable[ContactMethod]) -> set[tuple[str, str]]:
    """(service, handle) of each social profile, case-folded; an IMPP's also by the handle
    after its scheme (``aim:kenji``: ``kenji``)."""
    held = set()
    for m in methods:
        if m.kind == "social":
            service = (m.label or "").casefold()
            held.add((service, m.value.casefold()))
            if _IMPP.match(m.value):
                held.add((service, m.value.partition(":")[2].casefold()))
    return held


def _without_repeated_handles(methods: list[ContactMethod], legacy: list[ContactMethod]) -> None:
    """Drop from ``methods`` each legacy handle another social profile of the same
    service already holds (old Apple cards write ``X-AIM:kenji`` beside
    ``IMPP;X-SERVICE-TYPE=AIM:aim:kenji``)."""
    held = _held(m for m in methods if not any(m is h for h in legacy))
    for m in [m for m in legacy if ((m.label or "").casefold(), m.value.casefold()) in held]:
        methods.remove(m)


_IM_LINE = re.compile(
    r"^(?:[A-Za-z0-9-]+\.)?(?:" + "|".join(map(re.escape, IM_PROPERTIES)) + r")[;:]", re.IGNORECASE
)


def without_held_handles(lines: list[str], methods: list[ContactMethod]) -> list[str]:
    """``lines`` (a card's kept lines) without the legacy messaging lines whose handle
    the card holds as a social profile. An import before lrm read them kept them as
    they came; imported again, the handle is a social profile too: written once."""
    if not any(map(_IM_LINE.match, lines)):
        return lines
    held = _held(methods)
    kept = []
    for line in lines:
        if _IM_LINE.match(line):
            props, _ = _parse_props([(0, line)], Card())
            handle = _im_handle(props[0], "3.0") if props else None
            if handle is not None and (handle.label.casefold(), handle.value.casefold()) in held:
                continue
        kept.append(line)
    return kept


_APPLE_PLACEHOLDER = "x-apple:"
"""What iOS writes before a handle of a service with no URI scheme of its own
(``IMPP;X-SERVICE-TYPE=WhatsApp:x-apple:%2B34600111222``, ``X-SOCIALPROFILE;type=facebook:
x-apple:lucia.garcia``): not part of the handle, which is percent-encoded after it."""


def _apple_handle(value: str) -> str:
    """The handle an ``x-apple:`` value stands for, as the phone shows it: ``+34600111222``."""
    from urllib.parse import unquote

    return strip_controls(unquote(value[len(_APPLE_PLACEHOLDER) :])).strip()


def _method(p: _Prop, version: str, labels: dict) -> ContactMethod | None:
    kind = _METHOD_KIND[p.name]
    components = None
    if kind == "address":
        parts = _components(p.value, version, multiline=True)  # a street's two lines
        parts = (parts + [""] * 7)[:7] if len(parts) <= 7 else [*parts[:6], ", ".join(parts[6:])]
        value = address_value(parts) or None
        components = tuple(parts)
    else:
        value = _text(p.value, version)
    if not value:
        return None
    if kind == "phone" and value.lower().startswith("tel:"):
        value = value[4:]
    elif kind == "email" and value.lower().startswith("mailto:"):
        value = value[7:]
    elif kind == "social" and value.lower().startswith(_APPLE_PLACEHOLDER):
        value = _apple_handle(value)
        if not value:
            return None
    preferred = _preferred(p)
    label = labels.get(p.group) if p.group else None
    if label is None and p.name == "IMPP":  # the service, as the phone shows it ("Skype")
        label = _param(p, "X-SERVICE-TYPE") or None
    if label is None and p.label is not None and p.label.lower() not in _KNOWN_TYPES:
        label = p.label  # Android's own label, as the phone shows it
    if label is None:
        named = [t for t in p.types if t not in _GENERIC_TYPES and t != "pref"]
        if p.label is not None:  # X-Cell: a known type after all
            named = [p.label.lower() if t == f"x-{p.label.lower()}" else t for t in named]
        label = ",".join(dict.fromkeys(named)) or None
    label = strip_controls(label).strip() if label else None  # TYPE= parameters too
    return ContactMethod(kind, value, label or None, preferred, components)


def _lrm(card: Card, p: _Prop, version: str) -> None:
    name = p.name
    text = _text(p.value, version)
    if text is None:
        return
    if name == "REV":
        card.updated_at = _timestamp(text)
    elif name == "X-LRM-HOW-MET":
        card.how_met = text
    elif name == "X-LRM-CADENCE-DAYS":  # one lrm would not keep (0, 10**30) is left out
        days = _int(text)
        card.cadence_days = days if days is not None and _CADENCE.accepts(days) else None
    elif name == "X-LRM-SNOOZED-UNTIL":
        card.snoozed_until = card_date(text, {})
    elif name == "X-LRM-ARCHIVED":
        card.archived_at = _timestamp(text)
    elif name == "X-LRM-CREATED":
        card.created_at = _timestamp(text)
    elif name == "X-LRM-ID":
        card.lrm_id = _int(text)
    elif name == "X-LRM-RELATED":
        kind = strip_controls(_param(p, "X-LRM-KIND") or "other").lower()
        label = _param(p, "X-LRM-LABEL")
        label = strip_controls(_param_read(label)) if label else None
        card.relations.append(Related(kind, text, label))
    elif name == "X-LRM-ALIAS":
        card.aliases.append(text)


# --- writing ---------------------------------------------------------------------------------


def _iso(ts: int) -> str:
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _clean(text: str, *, multiline: bool = False) -> str:
    """A value as it is written: without control characters, whatever the database holds
    (a card is read by other programs, and printed by ``cat``); line breaks only where
    lrm reads them back (notes, postal addresses)."""
    return strip_controls(text, multiline=multiline)


def _param_text(text: str) -> str:
    """A text as a parameter value, with RFC 6868's escapes (``^'`` a double quote, ``^^``
    a caret): vCard 3.0 has none for a double quote there. :func:`_param_read` undoes it."""
    return _clean(text).replace("^", "^^").replace('"', "^'")


_CARET = re.compile(r"\^([\^'n])")


def _param_read(text: str) -> str:
    """A parameter value written with RFC 6868's escapes, as the text it stands for."""
    return _CARET.sub(lambda m: {"^": "^", "'": '"', "n": "\n"}[m[1]], text)


_IMPP = re.compile(r"^(?!https?:)[A-Za-z][A-Za-z0-9+.-]*:")
"""A social profile written as IMPP: a URI of an instant-messaging scheme (``xmpp:``,
``sip:``, ``skype:``...), as IMPP holds; web profiles (``https://...``) and bare names are
X-SOCIALPROFILE."""


def _apple_service(m: ContactMethod) -> bool:
    """A bare handle labelled with a service (``+34600111222``, WhatsApp): written as iOS
    writes it, ``IMPP;X-SERVICE-TYPE=WhatsApp:x-apple:%2B34600111222``, which it reads back
    as the same messaging handle (``_apple_handle`` reads it so)."""
    return bool(m.label and _SERVICE.match(m.label)) and "://" not in m.value


def _properties_of(methods: Iterable[ContactMethod]) -> list[tuple[str, ContactMethod]]:
    """Each method with the property it is written as, in the order vobject writes them
    (sorted by name). vobject puts every IMPP before every X-SOCIALPROFILE, so an
    instant-messaging URI is written as IMPP only while no web profile precedes it; after
    one it stays X-SOCIALPROFILE (which holds any URI), and the social profiles come back
    in the order the user gave them."""
    named = []
    web_seen = False
    for m in methods:
        name = _PROPERTY_OF[m.kind]
        if m.kind == "social":
            if not web_seen and (_IMPP.match(m.value) or _apple_service(m)):
                name = "IMPP"
            else:
                web_seen = True
        named.append((name, m))
    return sorted(named, key=lambda nm: nm[0])


def to_component(card: Card, *, share_notes: bool = True, taken: frozenset[str] = frozenset()):
    """A vobject vCard 3.0 component for ``card`` (serialise it with :func:`serialize`):
    the properties lrm manages, in their structured form (ADR's seven components, ORG and
    its units). Without ``share_notes``, no NOTE and none of lrm's private X-LRM-
    properties (what goes to a server someone else runs). The ``itemN`` groups lrm
    writes avoid the group names in ``taken`` (those of the card's foreign lines)."""
    import vobject

    c = vobject.vCard()
    add = _adder(c)
    add("prodid").value = PRODID
    add("uid").value = _clean(card.card_uid or card.uid or "")
    add("fn").value = _clean(card.name)
    additional, prefix, suffix = (_clean(p) for p in [*card.name_parts, "", "", ""][:3])
    add("n").value = vobject.vcard.Name(
        family=_clean(card.family_name or ""),
        given=_clean(card.given_name or ""),
        additional=additional,
        prefix=prefix,
        suffix=suffix,
    )
    if card.nickname:
        add("nickname").value = _clean(card.nickname)
    if card.organization:
        add("org").value = [_clean(card.organization), *(_clean(u) for u in card.org_units)]
    if card.title:
        add("title").value = _clean(card.title)
    if card.birthday:
        _set_date(add("bday"), card.birthday)
    item = 0

    def group_name() -> str:
        nonlocal item
        item += 1
        while f"item{item}" in taken:
            item += 1
        return f"item{item}"

    # vobject writes properties sorted by name, so number the groups in that order too:
    # the same contact always gets the same item numbers, whatever order it came in.
    for name, m in _properties_of(card.methods):
        tokens = m.label.split(",") if m.label else []
        typed = all(t in _KNOWN_TYPES for t in tokens) and len(set(tokens)) == len(tokens)
        service = name == "IMPP" and not typed and bool(_SERVICE.match(m.label or ""))
        group = None if typed or service else group_name()
        line = add(name.lower(), group=group)
        if m.kind == "address":
            parts = m.components or ("", "", m.value, "", "", "", "")
            box, extended, street, city, region, code, country = (
                _clean(part, multiline=True) for part in parts
            )
            line.value = vobject.vcard.Address(
                street=street, city=city, region=region, code=code, country=country,
                box=box, extended=extended,
            )  # fmt: skip
        elif name == "IMPP" and not _IMPP.match(m.value):  # a bare handle, as iOS writes it
            from urllib.parse import quote

            line.value = _APPLE_PLACEHOLDER + quote(_clean(m.value), safe="")
        else:
            line.value = _clean(m.value)
        types = (tokens if typed else []) + (["pref"] if m.is_preferred else [])
        if m.kind == "email":
            types = ["internet", *types]
        if types:
            line.params["TYPE"] = types
        if service:
            line.params["X-SERVICE-TYPE"] = [m.label]
        if group:
            add("x-ablabel", group=group).value = _clean(m.label or "")
    if card.tags:
        add("categories").value = [_clean(t) for t in card.tags]
    for note in card.notes if share_notes else ():
        line = add("note")
        line.value = _clean(note.body, multiline=True)
        if note.created_at is not None:
            line.params["X-LRM-CREATED"] = [str(note.created_at)]
        if note.pinned:
            line.params["X-LRM-PINNED"] = ["1"]
    for d in card.dates:
        if d.kind == "anniversary" and d.label is None:
            line = add("x-anniversary")
        else:
            group = group_name()
            line = add("x-abdate", group=group)
            line.params["X-LRM-KIND"] = [d.kind]
            if d.label is not None:
                add("x-ablabel", group=group).value = _clean(d.label)
        _set_date(line, d.date)
        if d.remind_days_before is not None:
            line.params["X-LRM-REMIND"] = [str(d.remind_days_before)]
    private = (
        ("x-lrm-id", card.lrm_id),
        ("x-lrm-how-met", _clean(card.how_met) if card.how_met else None),
        ("x-lrm-cadence-days", card.cadence_days),
        ("x-lrm-snoozed-until", card.snoozed_until),
        ("x-lrm-archived", _iso(card.archived_at) if card.archived_at is not None else None),
        ("x-lrm-created", _iso(card.created_at) if card.created_at is not None else None),
    )
    for name, value in (*(private if share_notes else ()), ("rev", _stamp(card))):
        if value is not None:
            add(name).value = str(value)
    for r in card.related_names:  # Apple's related names, lrm's own (X-LRM-KIND)
        group = group_name()
        line = add("x-abrelatednames", group=group)
        line.value = _clean(r.other)
        line.params["X-LRM-KIND"] = [r.kind]
        add("x-ablabel", group=group).value = _clean(related_label(r.kind, r.label))
    for r in card.relations if share_notes else ():
        line = add("x-lrm-related")
        line.value = _clean(r.other)
        line.params["X-LRM-KIND"] = [r.kind]
        if r.label:
            line.params["X-LRM-LABEL"] = [_param_text(r.label)]
    for alias in card.aliases if share_notes else ():  # a merge's other names
        add("x-lrm-alias").value = _clean(alias)
    return c


_NEW_LINE = {
    "group": None, "behavior": None, "parentBehavior": None, "isNative": False, "name": "",
    "encoded": False, "params": None, "singletonparams": None, "lineNumber": None, "value": "",
}  # fmt: skip
"""The attributes of a new vobject ContentLine, as its ``__init__`` sets them (params and
singletonparams: a new dict and list for each line)."""
_PLAIN_ATTRIBUTES = frozenset(_NEW_LINE)


@functools.cache
def _line_class():
    """vobject's ContentLine, made and written to the way vobject makes and writes one,
    less what costs ~40% of the time vobject takes to write a card and which lrm does not
    use: its ``__init__`` parsing parameters a new line does not have (QUOTED-PRINTABLE),
    and its ``__setattr__`` looking for ``foo_param`` names on each of the ~250 attribute
    writes a card takes. tests/test_vcard_lines.py holds the new line to vobject's."""
    from vobject.base import ContentLine

    class Line(ContentLine):
        def __init__(self, name: str, group: str | None) -> None:
            self.__dict__.update(_NEW_LINE, name=name, group=group, params={}, singletonparams=[])

        def __setattr__(self, name: str, value) -> None:
            if name in _PLAIN_ATTRIBUTES:
                object.__setattr__(self, name, value)
            else:
                super().__setattr__(name, value)

    return Line


def _encode(line) -> None:
    """``line``'s value in its written form, by its vobject behaviour, as vobject's
    serialize makes it, but for good: vobject's serialize encodes each line, writes it,
    then decodes it back (to leave the component as it was): a sixth of the time it
    takes to write a card; lrm writes a component once and drops it."""
    if line.isNative:
        line.behavior.transformFromNative(line)
    line.behavior.encode(line)


def _adder(component):
    """``component.add(name, group=...)`` for a property, as vobject's Component.add
    makes one (its behaviour, its native value), but a line of :func:`_line_class`."""
    from vobject.base import getBehavior

    parent = component.behavior
    known = parent.knownChildren
    line_class = _line_class()

    def add(name: str, group: str | None = None):
        upper = name.upper()
        line = line_class(upper, group)
        if upper in known and (behavior := getBehavior(upper, known[upper][2])) is not None:
            line.parentBehavior = parent
            line.behavior = behavior
            line = line.transformToNative()
        if line.behavior is None:
            line.behavior = parent.defaultBehavior
        component.contents.setdefault(upper.lower(), []).append(line)
        return line

    return add


def _stamp(card: Card) -> str | None:
    return _iso(card.updated_at) if card.updated_at is not None else None


def _set_date(line, date: str) -> None:
    """A partial date as a 3.0 value: 3.0's grammar has no date without a year
    (``--12-10`` is 4.0), so write it as Apple does, ``1604-12-10`` with
    ``X-APPLE-OMIT-YEAR=1604``, which Apple, Google, khard and lrm read as yearless."""
    if date.startswith("--"):
        line.value = f"{APPLE_NO_YEAR}-{date[2:]}"
        line.params["X-APPLE-OMIT-YEAR"] = [APPLE_NO_YEAR]
    else:
        line.value = date


def fold(line: bytes) -> bytes:
    """One content line folded at 75 octets, never inside a UTF-8 character."""
    if len(line) <= LINE_OCTETS:
        return line + b"\r\n"
    out = []
    start, limit = 0, LINE_OCTETS
    while len(line) - start > limit:
        cut = start + limit
        while line[cut] & 0xC0 == 0x80:  # a continuation byte: back up to the char start
            cut -= 1
        out.append(line[start:cut])
        start, limit = cut, LINE_OCTETS - 1  # the leading space counts
    out.append(line[start:])
    return b"\r\n ".join(out) + b"\r\n"


def written(component) -> bytes:
    """A component from :func:`to_component` as vobject writes it, unfolded, in UTF-8:
    each line encoded once for good (see _encode), and not validated: vobject's check
    counts FN, N, VERSION and PRODID, which to_component writes once each. Written into
    bytes: vobject's foldOneLine writes each line as bytes first, and into its default
    text buffer that fails (and is retried as text) twice a line, ~12% of the time.

    The lines every card opens and ends with (BEGIN, the VERSION vobject adds, lrm's
    PRODID; END) are vobject's too, written once (:func:`_frame`): each card's own lines
    are written between them as vobject's Component.serialize writes its children, in
    its order (getSortedChildren), ~20% less time a card."""
    import io

    for line in component.getChildren():
        _encode(line)
    opening, closing = _frame()
    out = io.BytesIO()
    out.write(opening)
    for line in component.getSortedChildren():
        if line.name != "PRODID":  # to_component's one PRODID, in the opening
            line.serialize(out, _UNFOLDED, validate=False)
    out.write(closing)
    return out.getvalue()


_UNFOLDED = 1_000_000_000  # a line length vobject never folds at: serialize folds (fold)


@functools.cache
def _frame() -> tuple[bytes, bytes]:
    """What vobject writes around a card's own lines: BEGIN, VERSION and PRODID; END."""
    import vobject

    card = vobject.vCard()
    card.add("prodid").value = PRODID
    text = card.serialize(lineLength=_UNFOLDED, validate=False).encode("utf-8")
    end = text.rindex(b"END:")
    return text[:end], text[end:]


def serialize(card: Card, *, share_notes: bool = True) -> bytes:
    """``card`` as vCard 3.0 bytes: CRLF, folded at 75 octets. The properties lrm manages
    come from the card's fields; then ``card.extra``, the lines of the properties it does
    not manage, as they came. Without ``share_notes``: no NOTE, no X-LRM- property."""
    extra = [line for line in card.extra if line]
    if extra and card.related_names:  # a kept line naming whom lrm writes goes: not twice
        extra = without_related(extra, {r.other.casefold() for r in card.related_names})
    if extra and card.methods:  # a legacy handle kept from an older import: not twice
        extra = without_held_handles(extra, card.methods)
    taken = frozenset(g for g in map(_group_of, extra) if g)
    lines = written(to_component(card, share_notes=share_notes, taken=taken)).split(b"\r\n")
    out = [fold(line) for line in lines if line and line != b"END:VCARD"]
    out += [fold(line.encode("utf-8")) for line in map(as_30, extra) if line is not None]
    out.append(b"END:VCARD\r\n")
    return b"".join(out)


# --- keeping what lrm does not manage --------------------------------------------------------

MANAGED = frozenset(
    {
        "BEGIN", "END", "VERSION", "PRODID", "UID", "FN", "N", "NICKNAME", "ORG", "TITLE",
        "BDAY", *_ANNIVERSARY_NAMES, "X-ABDATE", "EMAIL", "TEL", "URL", "ADR",
        "X-SOCIALPROFILE", "IMPP", "CATEGORIES", "NOTE", "MEMBER",
        "X-ADDRESSBOOKSERVER-MEMBER", "REV", "AGENT", *IM_PROPERTIES,
    }
)  # fmt: skip
"""Properties lrm reads into a Card and writes from one (with every ``X-LRM-*``, and the
X-ABLabel of a group holding one of them). Everything else (PHOTO, KIND, RELATED, TZ,
LANG, GEO, LABEL, X-...) is kept as it came. AGENT is dropped with its embedded card."""

_GROUP = re.compile(r"^([A-Za-z0-9-]+)\.[A-Za-z0-9-]+[;:]")


_LRM_RELATED = re.compile(r"^[A-Za-z0-9-]+\.X-ABRELATEDNAMES;[^:]*\bX-LRM-KIND=", re.IGNORECASE)
"""A related name lrm wrote from its relationship table (to_component): lrm's own, like
the properties it manages; never kept as a foreign line."""


def _related_of(line: str) -> tuple[str | None, str] | None:
    """(group in lower case or None, the name case-folded) of a related-name line (as
    _related_in reads it); None for any other line."""
    if _head(line)[1] not in _RELATED_PROPS:
        return None
    props, _ = _parse_props([(0, line)], Card())
    found = _related_in(props[0], "3.0") if props else None
    return (props[0].group, found[0].casefold()) if found and found[0] else None


def related_names(lines: list[str]) -> list[Related]:
    """The people a card's kept lines (``card.extra``) name by how they relate, read as
    the import reads them (:func:`parse_card`). The import links a name to the one
    contact of that name and drops its line (:func:`without_related`): what is left
    names nobody in lrm, and `lrm show` lists it."""
    if not any(_head(line)[1] in _RELATED_PROPS for line in lines):
        return []
    try:
        card = parse_card([(0, "FN:-"), *enumerate(lines, 1)])
    except _CardProblem:  # a kept line lrm cannot read: it names no one it knows
        return []
    return card.named_relations


def without_related(lines: list[str], names: set[str]) -> list[str]:
    """``lines`` (a card's kept lines) without the related-name lines that name one of
    ``names`` (case-folded), nor the X-ABLabel of an Apple one's group."""
    dropped: set[int] = set()
    groups: set[str] = set()
    for i, line in enumerate(lines):
        found = _related_of(line)
        if found is not None and found[1] in names:
            dropped.add(i)
            if found[0]:
                groups.add(found[0])
    if not dropped:
        return lines
    return [
        line
        for i, line in enumerate(lines)
        if i not in dropped and not (groups and _head(line) in {(g, "X-ABLABEL") for g in groups})
    ]


def _group_of(line: str) -> str | None:
    m = _GROUP.match(line)
    return m[1].lower() if m else None


def _managed(name: str) -> bool:
    return name in MANAGED or name.startswith("X-LRM-")


_Raw = tuple[int, str, str, str | None]
"""A property's (line number, content line as written, NAME, group)."""


def _foreign(raw: list[_Raw], card: Card | None = None) -> list[str]:
    """The lines of ``raw`` that lrm does not manage, exactly as written but for control
    characters (never written out): all but the managed properties and the X-ABLabel of a
    group that holds one (lrm writes the label with the property). With ``card``, a kept
    line that vCard 3.0 cannot hold (:func:`as_30` leaves it out of every export: a
    ``data:`` URI that does not decode) is named in a warning on the card."""
    managed_groups = {
        g.lower() for _, text, name, g in raw if g and (_managed(name) or _LRM_RELATED.match(text))
    }
    out = []
    for number, text, name, group in raw:
        if _managed(name) or (name == "X-ANDROID-CUSTOM" and _ANDROID_READ.match(text)):
            continue
        if _LRM_RELATED.match(text):  # lrm writes its relationships itself
            continue
        if name == "X-ABLABEL" and group and group.lower() in managed_groups:
            continue
        out.append(strip_controls(text))
        if card is not None and name in _BINARY and as_30(out[-1]) is None:
            card.warn(
                number,
                f"{name}'s data: URI does not decode; kept, but left out of vCard exports",
            )
    return out


def foreign_lines(data: bytes) -> list[str]:
    """The content lines of the (first) card in ``data`` that lrm neither reads nor writes,
    as written: a phone's PHOTO, X-PHONETIC-*, KIND, GENDER and the like, so that a card
    lrm rewrites keeps them (the same lines ``parse_card(keep_foreign=True)`` keeps)."""
    from vobject.base import ParseError, VObjectError, parseLine

    cut = split(data, "")
    if not cut.chunks:
        return []
    raw: list[_Raw] = []
    nested = 0
    for number, text in cut.chunks[0][1]:
        if step := _nesting(text):
            nested += step
            continue
        if nested:
            continue
        try:
            name, _params, _value, group = parseLine(text, number)
        except (ParseError, VObjectError, ValueError, TypeError, IndexError):
            continue
        raw.append((number, text, name.upper(), group))
    return _foreign(raw)


def with_lines(card_bytes: bytes, lines: list[str]) -> bytes:
    """``card_bytes`` (from :func:`serialize`) with ``lines`` as its foreign lines: those it
    has (``card.extra``) are replaced by ``lines``, folded, before its END:VCARD. A group
    of ``lines`` that lrm's own ``itemN`` groups use is renamed ``keepN``."""
    end = b"END:VCARD\r\n"
    if not card_bytes.endswith(end):
        raise ValueError("not a serialised vCard")
    own = [line.decode("utf-8") for _, line in logical_lines(card_bytes)]
    heads = [_head(line) for line in own]
    related = [_LRM_RELATED.match(line) is not None for line in own]
    managed_groups = {
        g for (g, name), r in zip(heads, related, strict=True) if g and (_managed(name) or r)
    }
    mine = [
        line
        for line, (group, name), r in zip(own, heads, related, strict=True)
        if _managed(name) or r or (name == "X-ABLABEL" and group in managed_groups)
    ]
    if len(mine) == len(own) and not lines:
        return card_bytes
    if any(related) and lines:  # a kept line naming whom lrm writes goes: not twice
        named = (_related_of(line) for line, r in zip(own, related, strict=True) if r)
        lines = without_related(lines, {found[1] for found in named if found})
    renamed: dict[str, str] = {}
    extra = []
    for line in lines:
        group = _group_of(line)
        if group in managed_groups:
            new = renamed.setdefault(group, f"keep{len(renamed) + 1}")
            line = new + line[len(group) :]
        if (line := as_30(line)) is not None:
            extra.append(line)
    body = [line for line in mine if line.upper() != "END:VCARD"] + extra
    return b"".join(fold(line.encode("utf-8")) for line in body) + end


_QUOTE_PARAM = re.compile(r"[;:,]")
_NEWLINES = re.compile(r"\r\n|\r|\n")


def as_30(line: str) -> str | None:
    """A kept content line in its vCard 3.0 form, so that the card lrm writes is valid 3.0
    whatever the phone wrote: a 2.1 line's quoted-printable value decoded (in its CHARSET)
    and escaped as 3.0 text, ``ENCODING=BASE64`` (or a bare ``BASE64``) as ``ENCODING=b``
    with the value's whitespace removed, bare types (``LABEL;HOME``, ``PHOTO;JPEG``) as
    ``TYPE=``, ``VALUE=URL`` as ``VALUE=uri``, no CHARSET. A 4.0 photo, logo, sound or key
    given inline as a ``data:`` URI (``PHOTO:data:image/jpeg;base64,...``) as 3.0's
    ``PHOTO;ENCODING=b;TYPE=JPEG:...``, and one given by URL with ``VALUE=uri``. None for a
    line 3.0 cannot hold: a ``data:`` URI that is not one (no comma, base64 that does not
    decode) is dropped (the import warns of it: _foreign). Any other line (3.0 and 4.0
    ones) is returned as it is."""
    from vobject.base import ParseError, VObjectError, parseLine

    try:
        name, raw_params, value, group = parseLine(line, 0)
    except (ParseError, VObjectError, ValueError, TypeError, IndexError):
        return line
    if name.upper() in _BINARY and _URI_VALUE.match(value):
        converted = _binary_30(group, name, raw_params, value, line)
        if converted != line:
            return converted
    encodings = [p[0].upper() for p in raw_params if len(p) == 1 and p[0].upper() in _ENCODINGS]
    encodings += [v.upper() for p in raw_params if p[0].upper() == "ENCODING" for v in p[1:]]
    url = any(p[0].upper() == "VALUE" and "URL" in map(str.upper, p[1:]) for p in raw_params)
    if not (
        url
        or any(e in ("QUOTED-PRINTABLE", "BASE64", "8BIT", "7BIT") for e in encodings)
        or any(len(p) == 1 or p[0].upper() == "CHARSET" for p in raw_params)
    ):
        return line  # nothing of 2.1 in it
    params: dict[str, list[str]] = {}
    types: list[str] = []
    charset: list[str] = []
    for p in raw_params:
        key = p[0].upper()
        if len(p) == 1:
            if key not in _ENCODINGS:
                types.append(p[0])
        elif key == "CHARSET":
            charset = p[1:2]
        elif key == "TYPE":
            types.extend(p[1:])
        elif key == "VALUE":  # 2.1's URL is 3.0's uri
            params.setdefault(p[0], []).extend("uri" if v.upper() == "URL" else v for v in p[1:])
        elif key != "ENCODING":
            params.setdefault(p[0], []).extend(p[1:])
    if "QUOTED-PRINTABLE" in encodings:
        try:
            raw = codecs.decode(value.encode("utf-8"), "quoted-printable")
        except (ValueError, UnicodeError):
            return line  # not quoted-printable after all: left as it came
        try:
            text = raw.decode(charset[0] if charset else "utf-8")
        except (ValueError, UnicodeError, LookupError):  # as the import reads it
            text = _cp1252(raw)
        text = re.sub(r"\\(?!;)", r"\\\\", text).replace(",", "\\,")
        value = _NEWLINES.sub(r"\\n", strip_controls(text, multiline=True))
    elif "BASE64" in encodings or "B" in encodings:
        params = {"ENCODING": ["b"], **params}
        value = re.sub(r"\s+", "", value)
    if types:
        params["TYPE"] = types
    head = (f"{group}." if group else "") + name
    for key, values in params.items():
        shown = ",".join(f'"{v}"' if _QUOTE_PARAM.search(v) else v for v in values)
        head += f";{key}={shown}"
    return f"{head}:{value}"


_BINARY = frozenset({"PHOTO", "LOGO", "SOUND", "KEY"})
_URI_VALUE = re.compile(r"^\s*[A-Za-z][A-Za-z0-9+.-]*:")
_DATA_URI = re.compile(
    r"^\s*data:([^,;]*)((?:;[^,;]*)*?)(;base64)?,(.*)$", re.IGNORECASE | re.DOTALL
)


def _binary_30(
    group: str | None, name: str, raw_params: list[list[str]], value: str, line: str
) -> str | None:
    """A 4.0 PHOTO (LOGO, SOUND, KEY) whose value is a URI, in 3.0's form: a ``data:`` URI
    as ``ENCODING=b`` and ``TYPE=`` its media subtype (``image/jpeg``: ``JPEG``), another URI
    with ``VALUE=uri``; ``line`` itself when it is neither; None when it is a ``data:`` URI
    that is not one."""
    import base64
    import binascii
    from urllib.parse import unquote_to_bytes

    keys = {p[0].upper() for p in raw_params if len(p) > 1}
    if "ENCODING" in keys:
        return line  # 3.0 already (or 2.1: not a URI)
    params = [p for p in raw_params if len(p) > 1 and p[0].upper() not in ("VALUE", "MEDIATYPE")]
    head = (f"{group}." if group else "") + name
    m = _DATA_URI.match(value)
    if not value.lstrip().lower().startswith("data:"):
        if "VALUE" in keys:
            return line
        params.append(["VALUE", "uri"])
        data = value
    elif m is None:
        return None
    else:
        media, _, base64ed, data = m.groups()
        if base64ed:
            data = re.sub(r"\s+", "", data)
            try:
                binascii.a2b_base64(data, strict_mode=True)
            except (binascii.Error, ValueError):
                return None
        else:  # percent-encoded bytes
            data = base64.b64encode(unquote_to_bytes(data)).decode("ascii")
        subtype = media.partition("/")[2].strip().upper()
        params = [
            ["ENCODING", "b"],
            *([["TYPE", subtype]] if subtype else []),
            *(p for p in params if p[0].upper() != "TYPE"),
        ]
    for key, *values in params:
        head += f";{key}=" + ",".join(f'"{v}"' if _QUOTE_PARAM.search(v) else v for v in values)
    return f"{head}:{data}"


def _head(line: str) -> tuple[str | None, str]:
    """(group in lower case or None, NAME) of a content line."""
    head = re.split(r"[;:]", line, maxsplit=1)[0]
    group, _, name = head.rpartition(".")
    return (group.lower() or None), name.upper()
