"""Properties of the vCard reader and writer (lrm_cli/formats/vcard.py), by hypothesis.

1. No bytes crash the importer: arbitrary bytes, real cards with bytes spliced in or
   substituted, and generated vCard-shaped text end in a report or in InvalidInput.
2. Folding (on octets, so inside a UTF-8 character too), any line end (LF, CRLF, CR,
   CR CR LF) and quoted-printable soft line breaks, as 2.1, 3.0 and 4.0 exporters write
   them, are undone: the folded card reads as the unfolded one.
3. Lines that are not properties (comments, names with ``/``, empty lines, an embedded
   2.1 AGENT card) are skipped with a warning and never sink the card.
4. serialize() writes CRLF lines of at most 75 octets that read back to the same Card.
5. Quoted-printable values in UTF-8 and legacy charsets decode to the original text.

The smallest failures these properties found are kept as plain examples (CRASHED,
BACKSLASH_CASES): a random run of a few hundred examples may miss them.

(The whole-database export/import round trip is in test_vcard_roundtrip.py; bytes spliced
into one corpus card through vcard.read alone, in test_vcard_import.py.)
"""

from __future__ import annotations

import codecs
import quopri
import re
import shutil
import unicodedata
from dataclasses import dataclass, field, fields, is_dataclass, replace
from datetime import date
from itertools import pairwise
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lrm_cli.clock import Clock
from lrm_cli.domain import RELATIONSHIP_KINDS, ContactMethod, InvalidInput
from lrm_cli.formats import vcard
from lrm_cli.services import vcard_io
from lrm_cli.store import vcard_io as store
from lrm_cli.store.db import Database

CORPUS = Path(__file__).parent / "vcards"
LINE_ENDS = [b"\n", b"\r\n", b"\r", b"\r\r\n"]
VERSIONS = ["2.1", "3.0", "4.0"]
FUZZ = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# --- text ------------------------------------------------------------------------------------

TRICKY = [
    ",", ";", "\\", ":", "\n", " ", "\t", "=", '"', "é", "山田", "Жанна", "مرحبا", "🎉",
    "👩\u200d👩\u200d👧", "\\n", "\\,", "\\;", "=0D", "BEGIN:VCARD", "END:VCARD", "# x",
    "e\u0301",  # a Mac's decomposed é: read composed
]  # fmt: skip
_chars = st.characters(blacklist_categories=("Cs", "Cc"))


def _joined(parts: list[str]) -> str:
    return "".join(parts).strip()


def _texts(tricky: list[str]):
    piece = st.one_of(st.text(_chars, max_size=8), st.sampled_from(tricky))
    short = st.lists(piece, min_size=1, max_size=6).map(_joined).filter(bool)
    # more than 75 octets: the middle is never stripped, as the ends are not blank
    long = st.tuples(short, st.text(_chars, min_size=76, max_size=120), short).map(_joined)
    return short, st.one_of(short, long)


# One-line fields (names, labels...) hold no line break or tab: lrm reads one as a space.
text, value = _texts([t for t in TRICKY if t not in ("\n", "\t")])
_, note_value = _texts(TRICKY)  # a NOTE keeps its lines and tabs
maybe = st.none() | value
email = st.from_regex(r"[a-z0-9._%+-]{1,12}@[a-z0-9-]{1,12}\.[a-z]{2,4}", fullmatch=True)
PHONES = ["+442079460000", "+44 20 7946 0000", "+1 (555) 010-0100", "0612345678", "12345"]
url = st.from_regex(r"https://[a-z0-9-]{1,20}\.org/[A-Za-z0-9/_~.%-]{0,90}", fullmatch=True)
TYPES = ["home", "work", "cell", "fax", "pager", "video", "text"]


def escape(text: str) -> str:
    """A 3.0/4.0 text value."""
    return text.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;").replace("\n", "\\n")


def fit_21(text: str) -> str:
    """What a 2.1 value can say without ambiguity: 2.1 escapes nothing but ``\\;``, so a
    backslash before a ``;`` (a component separator or not?) or ending the value (a
    continued line?) cannot be told apart; those backslashes go."""
    while True:
        new = re.sub(r"\\+(?=;)", "", text).rstrip("\\").strip()
        if new == text:
            return text
        text = new


# --- physical lines: folding, soft line breaks, line ends ------------------------------------


@dataclass
class Line:
    """One content line before folding: its head (group, name, parameters, colon) and its
    value, as one chunk or as quoted-printable tokens (soft line breaks go between them)."""

    head: bytes
    tokens: list[bytes] = field(default_factory=list)
    qp: bool = False
    foldable: bool = True

    @property
    def whole(self) -> bytes:
        return self.head + b"".join(self.tokens)


def plain(head: str, text: str = "") -> Line:
    return Line(head.encode("utf-8"), [text.encode("utf-8")] if text else [])


def fold(draw, line: Line) -> list[bytes]:
    """``line`` as physical lines: a quoted-printable value broken with ``=`` between
    tokens, anything else folded with a space or tab at any octet (3.0/4.0 fold on octets;
    2.1 exporters fold the same way)."""
    if line.qp:
        n = len(line.tokens)
        cuts = sorted(draw(st.sets(st.integers(1, n - 1), max_size=6))) if n > 1 else []
        segments = [b"".join(line.tokens[a:b]) for a, b in pairwise([0, *cuts, n])]
        segments[0] = line.head + segments[0]
        return [s + b"=" for s in segments[:-1]] + [segments[-1]]
    whole = line.whole
    if not line.foldable or len(whole) < 2:
        return [whole]
    how = draw(st.sampled_from(["none", "width", "anywhere"]))
    if how == "none":
        return [whole]
    if how == "width":
        width = draw(st.integers(1, 75))
        cuts = list(range(width, len(whole), width))
    else:
        cuts = sorted(draw(st.sets(st.integers(1, len(whole) - 1), min_size=1, max_size=8)))
    segments = [whole[a:b] for a, b in pairwise([0, *cuts, len(whole)])]
    blanks = draw(st.lists(st.sampled_from([b" ", b"\t"]), min_size=1, max_size=3))
    return [segments[0]] + [blanks[i % len(blanks)] + s for i, s in enumerate(segments[1:])]


def with_line_ends(draw, physical: list[bytes]) -> bytes:
    ends = draw(st.lists(st.sampled_from(LINE_ENDS), min_size=1, max_size=4))
    return b"".join(p + ends[i % len(ends)] for i, p in enumerate(physical))


def render(draw, lines: list[Line]) -> bytes:
    return with_line_ends(draw, [p for line in lines for p in fold(draw, line)])


def qp_tokens(raw: bytes, quote_all: bool = False) -> list[bytes]:
    out = []
    for b in raw:
        literal = (33 <= b <= 126 and b != ord("=")) or b == ord(" ")
        out.append(bytes([b]) if literal and not quote_all else b"=%02X" % b)
    if out and out[-1] == b" ":
        out[-1] = b"=20"  # trailing white space is encoded
    return out


# --- a person, written the way each version's exporters write it -----------------------------


@dataclass
class Person:
    fn: str
    family: str = ""
    given: str = ""
    org: str | None = None
    title: str | None = None
    notes: list[str] = field(default_factory=list)
    methods: list[ContactMethod] = field(default_factory=list)

    def fit_21(self) -> Person:
        return replace(
            self,
            fn=fit_21(self.fn),
            family=fit_21(self.family),
            given=fit_21(self.given),
            org=fit_21(self.org or "") or None,
            title=fit_21(self.title or "") or None,
            notes=[n for n in map(fit_21, self.notes) if n],
        )


@st.composite
def contact_methods(draw) -> ContactMethod:
    kind = draw(st.sampled_from(["email", "phone", "url"]))
    found = {"email": email, "phone": st.sampled_from(PHONES), "url": url}[kind]
    types = draw(st.lists(st.sampled_from(TYPES), unique=True, max_size=2))
    return ContactMethod(kind, draw(found), ",".join(types) or None, draw(st.booleans()))


def people(version: str):
    person = st.builds(
        Person,
        fn=value,
        family=st.just("") | value,
        given=st.just("") | value,
        org=maybe,
        title=maybe,
        notes=st.lists(note_value, max_size=3),
        methods=st.lists(contact_methods(), max_size=4),
    )
    if version == "2.1":
        return person.map(Person.fit_21).filter(lambda p: p.fn)
    return person


def composed(value):
    """``value`` with every text in it composed, as lrm reads and stores text
    (normalize.composed): "e" + U+0301 is read as "é", "丽" (U+2F800) as U+4E3D."""
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, dict):
        return {k: composed(v) for k, v in value.items()}
    if isinstance(value, tuple) and hasattr(value, "_fields"):  # a NamedTuple
        return type(value)(*(composed(v) for v in value))
    if isinstance(value, list | tuple):
        return type(value)(composed(v) for v in value)
    if is_dataclass(value) and not isinstance(value, type):  # ContactMethod, CardNote...
        return replace(value, **{f.name: composed(getattr(value, f.name)) for f in fields(value)})
    return value


def expected(person: Person) -> dict:
    return composed(
        {
            "name": person.fn,
            "family_name": person.family or None,
            "given_name": person.given or None,
            "organization": person.org,
            "title": person.title,
            "notes": person.notes,
            "methods": person.methods,
        }
    )


def seen(card: vcard.Card) -> dict:
    return {
        "name": card.name,
        "family_name": card.family_name,
        "given_name": card.given_name,
        "organization": card.organization,
        "title": card.title,
        "notes": [n.body for n in card.notes],
        "methods": card.methods,
    }


_PROPERTY = {"email": "EMAIL", "phone": "TEL", "url": "URL"}


def method_line(draw, m: ContactMethod, version: str, item: int) -> Line:
    name = _PROPERTY[m.kind]
    types = m.label.split(",") if m.label else []
    text = m.value
    params: list[str] = []
    if version == "2.1":
        extra = ["INTERNET"] if m.kind == "email" and draw(st.booleans()) else []
        words = [*extra, *(t.upper() for t in types), *(["PREF"] if m.is_preferred else [])]
        # bare types, as 2.1 writes them, or TYPE= parameters
        params = words if draw(st.booleans()) else [f"TYPE={w}" for w in words]
        return plain(f"{name}{''.join(';' + p for p in params)}:", text)
    generic = {"email": "internet", "phone": "voice", "url": None}[m.kind]
    words = list(types)
    if generic and draw(st.booleans()):
        words.insert(draw(st.integers(0, len(words))), generic)
    pref_as_param = version == "4.0" and draw(st.booleans())
    if m.is_preferred and not pref_as_param:
        words.append("pref")
    if words:
        if draw(st.booleans()):
            quoted = version == "4.0" and len(words) > 1 and draw(st.booleans())
            params.append(f'TYPE="{",".join(words)}"' if quoted else f"TYPE={','.join(words)}")
        else:
            params += [f"TYPE={w}" for w in words]
    if m.is_preferred and pref_as_param:
        params.append("PREF=1")
    if version == "4.0" and m.kind == "phone" and draw(st.booleans()):
        params.append("VALUE=uri")
        text = "tel:" + text
    group = f"item{item}." if draw(st.booleans()) else ""
    return plain(f"{group}{name}{''.join(';' + p for p in params)}:", text)


def text_line_21(draw, name: str, components: list[str]) -> Line:
    """A 2.1 text property: raw (UTF-8) when it has no line break and the writer likes,
    else quoted-printable in UTF-8 or a legacy charset that can say it."""
    raw = ";".join(c.replace(";", "\\;") for c in components)
    if "\n" not in raw and draw(st.booleans()):
        charset = ";CHARSET=UTF-8" if not raw.isascii() and draw(st.booleans()) else ""
        return plain(f"{name}{charset}:", raw)
    charsets = ["UTF-8", "utf-8"]
    for legacy in ("windows-1252", "cp1252", "ISO-8859-1"):
        try:
            raw.encode(legacy)
        except UnicodeEncodeError:
            continue
        charsets.append(legacy)
    charset = draw(st.sampled_from(charsets))
    encoded = raw.replace("\n", "\r\n").encode(charset)
    style = draw(st.sampled_from(["long", "bare", "first", "utf-8 default"]))
    if style == "utf-8 default" and charset.lower() != "utf-8":
        style = "long"
    params = {
        "long": f";CHARSET={charset};ENCODING=QUOTED-PRINTABLE",
        "bare": f";CHARSET={charset};QUOTED-PRINTABLE",
        "first": f";ENCODING=QUOTED-PRINTABLE;CHARSET={charset}",
        "utf-8 default": ";ENCODING=QUOTED-PRINTABLE",
    }[style]
    tokens = qp_tokens(encoded, quote_all=draw(st.booleans()))
    return Line(f"{name}{params}:".encode("ascii"), tokens, qp=True)


def lines_of(draw, person: Person, version: str) -> list[Line]:
    lines = [plain("BEGIN:VCARD"), plain(f"VERSION:{version}")]
    fields: list[tuple[str, list[str]]] = [
        ("FN", [person.fn]),
        ("N", [person.family, person.given, "", "", ""]),
    ]
    if person.org:
        fields.append(("ORG", [person.org]))
    if person.title:
        fields.append(("TITLE", [person.title]))
    fields += [("NOTE", [n]) for n in person.notes]
    for name, components in fields:
        if version == "2.1":
            lines.append(text_line_21(draw, name, components))
        else:
            lines.append(plain(f"{name}:", ";".join(map(escape, components))))
    lines += [method_line(draw, m, version, i) for i, m in enumerate(person.methods, 1)]
    lines.append(plain("END:VCARD"))
    return lines


@st.composite
def written(draw, version: str) -> tuple[Person, list[Line]]:
    person = draw(people(version))
    return person, lines_of(draw, person, version)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(VERSIONS).flatmap(written), st.data())
def test_a_folded_card_with_any_line_ends_reads_as_the_unfolded_one(case, data):
    person, lines = case
    result = vcard.read(render(data.draw, lines), "x.vcf")
    assert result.errors == []
    (card,) = result.cards
    assert seen(card) == expected(person)
    assert card.warnings == []
    # and the same as the unfolded CRLF original (what every other test writes)
    (unfolded,) = vcard.read(b"".join(line.whole + b"\r\n" for line in lines), "x.vcf").cards
    assert seen(unfolded) == seen(card)


# --- lines that are not properties never sink the card ---------------------------------------

_comment = st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), max_size=30).map(
    lambda t: "#" + t.rstrip("\\")
)
_slashed = st.from_regex(r"X-[a-z]{1,4}/[a-z]{1,4}(;[a-z]=[a-z])?:[a-z ]{1,10}", fullmatch=True)
_no_colon = st.from_regex(r"[A-Za-z][A-Za-z ]{0,20}", fullmatch=True).map(str.rstrip)
_JUNK_WARNS = st.one_of(_comment, _slashed, _no_colon, st.sampled_from(["=", "a/b", "\\\\x"]))
AGENT = [
    ["AGENT:", "BEGIN:VCARD", "VERSION:2.1", "FN:Inner Agent", "TEL:+15555550100", "END:VCARD"],
    ["AGENT;VALUE=uri:", "BEGIN:VCARD", "FN:Inner", "NOTE:x", "END:VCARD"],
]


_NOTE = re.compile(rb"^(?:[A-Za-z0-9-]+\.)?NOTE[;:]", re.IGNORECASE)


def _after_a_note(groups) -> bool:
    """Whether the last line that is not blank among ``groups`` is a NOTE."""
    written = [line.whole for group in groups for line in group if line.whole.strip()]
    return bool(written) and bool(_NOTE.match(written[-1]))


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(VERSIONS).flatmap(written), st.data())
def test_comments_and_lines_that_are_not_properties_are_skipped_with_a_warning(case, data):
    person, lines = case
    draw = data.draw
    body = [[line] for line in lines[1:-1]]  # junk goes between lines, never into an AGENT
    warned = 0
    for _ in range(draw(st.integers(1, 5))):
        kind = draw(st.sampled_from(["warns", "empty", "agent"]))
        if kind == "warns":
            junk = [Line(draw(_JUNK_WARNS).encode("utf-8"), foldable=False)]
            warned += 1
        elif kind == "empty":
            junk = [Line(b"")]
        else:
            junk = [Line(t.encode("utf-8"), foldable=False) for t in draw(st.sampled_from(AGENT))]
        # not after a NOTE: a line that starts no property there is the note's next line
        # (a note written with bare line breaks: tests/test_vcard_phone_quirks.py)
        where = [i for i in range(len(body) + 1) if not _after_a_note(body[:i])]
        body.insert(draw(st.sampled_from(where)), junk)
    result = vcard.read(
        render(draw, [lines[0], *(line for group in body for line in group), lines[-1]]), "x.vcf"
    )
    assert result.errors == []
    (card,) = result.cards
    assert seen(card) == expected(person)
    assert len([w for w in card.warnings if "skipped" in w[1]]) == warned


BACKSLASH_CASES = [
    # an escaped backslash (3.0 writes "\\") split by a fold is not a 2.1 continued line...
    (b"VERSION:3.0", b"FN:a\\", b" \\", b"N", b" :x;;;;"),
    (b"VERSION:3.0", b"FN:a\\", b" \\", b"# comment", b"N:x;;;;"),
    # ...and a property folded before its colon is a property, whatever precedes it
    (b"VERSION:2.1", b"FN:a\\", b"N:x;;;;", b"NOTE:C:\\", b"TEL", b" :123"),
]


@pytest.mark.parametrize("lines", BACKSLASH_CASES)
def test_folds_are_undone_before_a_backslash_can_continue_a_line(lines):
    data = b"\r\n".join([b"BEGIN:VCARD", *lines, b"END:VCARD", b""])
    (card,) = vcard.read(data, "x.vcf").cards
    assert (card.name, card.family_name) == ("a\\", "x")
    assert [m.value for m in card.methods] == (["123"] if b"TEL" in lines else [])


# --- serialize() -----------------------------------------------------------------------------

uid = st.one_of(st.uuids().map(str), text.filter(lambda u: not u.lower().startswith("urn:uuid")))
partial_date = st.one_of(
    st.dates(date(1605, 1, 1), date(2100, 12, 31)).map(date.isoformat),
    st.dates(date(2000, 1, 1), date(2000, 12, 31)).map(lambda d: f"--{d:%m-%d}"),
)
label = st.none() | st.sampled_from(["home", "work", "cell", "work,fax", "Home"]) | text
timestamp = st.integers(0, 4_000_000_000)


@st.composite
def any_method(draw) -> ContactMethod:
    kind = draw(st.sampled_from(["email", "phone", "url", "address", "social"]))
    if kind == "email":
        found = email | value.filter(lambda v: not v.lower().startswith("mailto:"))
    elif kind == "phone":
        found = st.sampled_from(PHONES) | value.filter(lambda v: not v.lower().startswith("tel:"))
    else:
        found = value
    return ContactMethod(kind, draw(found), draw(label), draw(st.booleans()))


cards = st.builds(
    vcard.Card,
    name=value,
    uid=st.none() | uid,
    given_name=maybe,
    family_name=maybe,
    nickname=maybe,
    organization=maybe,
    title=maybe,
    birthday=st.none() | partial_date,
    how_met=maybe,
    cadence_days=st.none() | st.integers(1, 36500),
    snoozed_until=st.none() | st.dates(date(2000, 1, 1)).map(date.isoformat),
    archived_at=st.none() | timestamp,
    created_at=st.none() | timestamp,
    updated_at=st.none() | timestamp,
    lrm_id=st.none() | st.integers(1, 2**62),
    methods=st.lists(any_method(), max_size=5),
    tags=st.lists(value, max_size=4),
    dates=st.lists(
        st.builds(
            vcard.CardDate,
            kind=st.sampled_from(["anniversary", "custom"]),
            date=partial_date,
            label=st.none() | text,
            remind_days_before=st.none() | st.integers(0, 60),
        ),
        max_size=3,
    ),
    notes=st.lists(
        st.builds(vcard.CardNote, note_value, st.none() | timestamp, st.booleans()), max_size=3
    ),
    relations=st.lists(
        st.builds(vcard.Related, st.sampled_from(RELATIONSHIP_KINDS), uid, st.none() | text),
        max_size=2,
    ),
)

_ORDER = {"address": "ADR", "email": "EMAIL", "phone": "TEL", "url": "URL", "social": "X-S"}


def _parts(m):
    """A method with an address's seven components (one stored as one line is its street,
    as the writer writes it)."""
    if m.kind == "address" and m.components is None:
        return replace(m, components=("", "", m.value, "", "", "", ""))
    return m


def managed(card: vcard.Card) -> dict:
    """What a Card says about a person, in the order the writer keeps (it sorts the
    properties by name: methods by kind, dates by property)."""
    return {
        "name": card.name,
        "uid": card.uid,
        "given_name": card.given_name,
        "family_name": card.family_name,
        "nickname": card.nickname,
        "organization": card.organization,
        "title": card.title,
        "birthday": card.birthday,
        "how_met": card.how_met,
        "cadence_days": card.cadence_days,
        "snoozed_until": card.snoozed_until,
        "archived_at": card.archived_at,
        "created_at": card.created_at,
        "updated_at": card.updated_at,
        "lrm_id": card.lrm_id,
        # a social profile is IMPP or X-SOCIALPROFILE: two properties, so by value within
        "methods": [
            _parts(m)
            for m in sorted(
                card.methods,
                # by the value as read back (composed, as the importer stores text)
                key=lambda m: (
                    _ORDER[m.kind],
                    unicodedata.normalize("NFC", m.value) if m.kind == "social" else "",
                ),
            )
        ],
        "tags": card.tags,
        "dates": sorted(card.dates, key=lambda d: repr(composed(d))),  # as read back
        "notes": card.notes,
        "relations": card.relations,
    }


@settings(max_examples=200, deadline=None)
@given(cards)
def test_serialize_folds_at_75_octets_with_crlf_and_reads_back_the_same_card(card):
    data = vcard.serialize(card)
    assert data.endswith(b"\r\n")
    lines = data[:-2].split(b"\r\n")
    for line in lines:
        assert b"\r" not in line and b"\n" not in line
        assert len(line) <= 75, line
        line.decode("utf-8")  # a fold never splits a character
    assert lines[0] == b"BEGIN:VCARD" and lines[-1] == b"END:VCARD"
    result = vcard.read(data, "x.vcf")
    assert result.errors == []
    (back,) = result.cards
    assert back.warnings == []
    assert managed(back) == composed(managed(card))


# --- quoted-printable, as Python writes it -------------------------------------------------

_latin = st.characters(codec="latin-1", blacklist_categories=("Cs", "Cc"))
_legacy_piece = st.one_of(st.text(_latin, max_size=10), st.sampled_from(["€", "œ", "Š", "\n"]))
legacy_text = st.lists(_legacy_piece, min_size=1, max_size=12).map(_joined).filter(bool)
QP_CHARSETS = {
    "utf-8": ["UTF-8", "utf-8", "utf8"],
    "cp1252": ["windows-1252", "cp1252", "CP1252"],
    "iso-8859-1": ["ISO-8859-1", "iso-8859-1", "latin1"],
}


@st.composite
def qp_values(draw) -> tuple[str, str, bytes]:
    """(text, charset parameter, value): ``text`` encoded by Python's quopri or
    quoted-printable codec (which break lines at 76 with ``=`` LF), lines joined by
    ``=0D=0A``, plus soft line breaks at arbitrary token boundaries."""
    codec = draw(st.sampled_from(sorted(QP_CHARSETS)))
    if codec == "utf-8":
        original = draw(st.one_of(value, legacy_text))
    else:
        original = draw(legacy_text.filter(lambda t: _encodable(t, codec)))
    escaped = original.replace(";", "\\;")
    encoder = draw(st.sampled_from(["codec", "quopri", "quopri-tabs"]))
    pieces = []
    for part in escaped.encode(codec).split(b"\n"):
        if encoder == "codec":
            pieces.append(codecs.encode(part, "quoted-printable"))
        else:
            pieces.append(quopri.encodestring(part, quotetabs=encoder == "quopri-tabs"))
    encoded = b"=0D=0A".join(pieces)
    # the encoder's own soft line breaks, then more between any two tokens
    tokens = re.findall(rb"=\n|=[0-9A-F]{2}|[^=]", encoded)
    assert b"".join(tokens) == encoded
    cuts = set(draw(st.sets(st.integers(1, max(1, len(tokens) - 1)), max_size=5)))
    out = []
    for i, token in enumerate(tokens):
        if i in cuts and 0 < i < len(tokens) and out[-1] != b"=\n" and token != b"=\n":
            out.append(b"=\n")
        out.append(token)
    return original, draw(st.sampled_from(QP_CHARSETS[codec])), b"".join(out)


def _encodable(text: str, codec: str) -> bool:
    try:
        text.encode(codec)
    except UnicodeEncodeError:
        return False
    return True


@settings(max_examples=250, deadline=None)
@given(qp_values(), qp_values(), st.lists(st.sampled_from(LINE_ENDS), min_size=1, max_size=3))
def test_quoted_printable_with_soft_line_breaks_decodes_in_its_charset(name, note, ends):
    lines = [b"BEGIN:VCARD", b"VERSION:2.1"]
    for prop, (_, charset, encoded) in (("FN", name), ("NOTE", note)):
        head = f"{prop};CHARSET={charset};ENCODING=QUOTED-PRINTABLE:".encode("ascii")
        lines += (head + encoded).split(b"\n")
    lines.append(b"END:VCARD")
    data = b"".join(line + ends[i % len(ends)] for i, line in enumerate(lines))
    result = vcard.read(data, "qp.vcf")
    assert result.errors == []
    (card,) = result.cards
    assert card.name == composed(name[0].replace("\n", " "))  # FN is one line
    assert [n.body for n in card.notes] == [composed(note[0])]
    assert card.warnings == []


# --- no bytes crash the importer -------------------------------------------------------------


@pytest.fixture
def db(template_db: Path, tmp_path: Path):
    """One database for every example of a test: each import is a dry run, rolled back
    (checked at the end)."""
    path = tmp_path / "fuzz.sqlite3"
    shutil.copyfile(template_db, path)
    database = Database(path)
    yield database
    with database.read() as conn:
        assert store.names(conn) == []
    database.close()


def import_quietly(db: Database, data: bytes, strict: bool, region: str) -> None:
    """Import ``data`` (a dry run): a report, or InvalidInput saying what is wrong with the
    file; anything else (a crash, a storage error) fails the test."""
    try:
        report = vcard_io.import_vcards(
            db,
            [("f.vcf", data)],
            Clock.pinned(date(2026, 11, 29)),
            dry_run=True,
            strict=strict,
            region=region,
        )
    except InvalidInput as exc:
        assert str(exc)
        return
    for error in report.failed:
        assert error.source == "f.vcf" and error.line >= 1 and error.reason
    assert all(isinstance(w, str) for w in report.warnings)


import_options = {"strict": st.booleans(), "region": st.sampled_from(["", "GB", "US"])}


BOMS = [b"", b"", b"", codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE]


def _card(*lines: bytes) -> bytes:
    return b"\r\n".join([b"BEGIN:VCARD", b"VERSION:2.1", *lines, b"END:VCARD", b""])


# the smallest inputs the properties below found that crash the reader
CRASHED = [
    codecs.BOM_UTF8,  # nothing after the byte-order mark
    codecs.BOM_UTF16_LE + b"\r\x00\n\x00",
    codecs.BOM_UTF16_LE + b"B",  # UTF-16 cut short
    _card(b"FN;CHARSET=undefined:\xff"),  # a codec that raises UnicodeError
    _card(b"FN;CHARSET=undefined;ENCODING=QUOTED-PRINTABLE:x"),
    _card(b"FN;CHARSET=idna;ENCODING=QUOTED-PRINTABLE:xn--zz"),
    _card(b"FN;CHARSET=a\x00b;ENCODING=QUOTED-PRINTABLE:x"),  # ValueError: embedded null
]


@FUZZ
@given(
    data=st.tuples(st.sampled_from(BOMS), st.binary(max_size=3000)).map(b"".join), **import_options
)
def test_no_bytes_crash_the_importer(db, data, strict, region):
    import_quietly(db, data, strict, region)


@pytest.mark.parametrize("data", CRASHED)
def test_the_smallest_inputs_that_crashed_the_reader_are_read_or_refused(db, data):
    import_quietly(db, data, strict=False, region="")


CORPUS_FILES = sorted(p.name for p in CORPUS.glob("*.vcf"))


NOISE = [
    b"\r", b"\n", b"\r\r\n", b"=", b"\\", b";", b":", b" ", b"\xff", b"\xc3", b"#", b"/",
    b"\x00", b"=\r\n", b"BEGIN:VCARD\r\n", b"END:VCARD\r\n",
]  # fmt: skip


@st.composite
def damaged(draw) -> bytes:
    """A real card with bytes inserted, overwritten or cut out at a few places."""
    data = bytearray((CORPUS / draw(st.sampled_from(CORPUS_FILES))).read_bytes())
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(data)))
        noise = draw(st.binary(min_size=1, max_size=40) | st.sampled_from(NOISE))
        how = draw(st.sampled_from(["insert", "overwrite", "cut"]))
        if how == "insert":
            data[at:at] = noise
        elif how == "overwrite":
            data[at : at + len(noise)] = noise
        else:
            del data[at : at + len(noise)]
    return bytes(data)


@FUZZ
@given(data=damaged(), **import_options)
def test_real_cards_with_bytes_spliced_in_or_overwritten_never_crash_the_importer(
    db, data, strict, region
):
    import_quietly(db, data, strict, region)


# vCard-shaped text: real and made-up names, parameters, encodings, charsets and values

NAMES = [
    "BEGIN", "END", "VERSION", "FN", "N", "NICKNAME", "ORG", "TITLE", "NOTE", "TEL", "EMAIL",
    "ADR", "URL", "BDAY", "ANNIVERSARY", "X-ANNIVERSARY", "X-ABDATE", "X-ABLABEL", "PHOTO",
    "CATEGORIES", "UID", "KIND", "X-ADDRESSBOOKSERVER-KIND", "MEMBER", "AGENT", "REV",
    "X-ADDRESSBOOKSERVER-MEMBER", "X-SOCIALPROFILE", "IMPP", "X-LRM-ID", "X-LRM-CREATED",
    "X-LRM-ARCHIVED", "X-LRM-RELATED", "X-LRM-CADENCE-DAYS", "X-LRM-SNOOZED-UNTIL",
    "X-LRM-HOW-MET", "X-a/b", "a/b", "#", "X-", "item1.", "",
]  # fmt: skip
PARAMS = [
    "CELL", "PREF", "WORK", "INTERNET", "QUOTED-PRINTABLE", "ENCODING=QUOTED-PRINTABLE",
    "ENCODING=BASE64", "ENCODING=b", "BASE64", "8BIT", "TYPE=work,pref", 'TYPE="work,voice"',
    'TYPE="unclosed', "TYPE=", "VALUE=uri", "VALUE=date", "VALUE=text", "PREF=1", "PREF=x",
    "X-APPLE-OMIT-YEAR=1604", "X-APPLE-OMIT-YEAR=", "X-LRM-CREATED=1", "X-LRM-CREATED=x",
    "X-LRM-CREATED=99999999999999999999", "X-LRM-PINNED=1", "X-LRM-KIND=custom",
    "X-LRM-KIND=", "X-LRM-KIND=friend", "X-LRM-KIND=nonsense", "X-LRM-REMIND=-5",
    "X-LRM-REMIND=x", "X-LRM-REMIND=99999999999999999999", "=", ";", "",
]  # fmt: skip
CHARSETS = [
    "UTF-8", "utf-8", "windows-1252", "ISO-8859-1", "utf-16", "utf-32", "ascii", "nope",
    "x-unknown", "idna", "punycode", "undefined", "rot13", "base64", "hex", "zlib", "utf-7",
    "unicode_escape", "raw_unicode_escape", "", '"UTF-8"', "a\x00b",
]  # fmt: skip
VALUES = [
    "", "x", "--0229", "--02-29", "1604-02-29", "1985-04-12", "19850412", "2024-13-45",
    "20240101T000000Z", "T10", "0", "-1", "36500", "99999999999999999999", "1e3", " 7 ",
    "9999-12-31T23:59:59Z", "0001-01-01", "u1", "u2", "urn:uuid:u1", "mailto:a@b.org",
    "group", "individual", "tel:+442079460000", "data:image/png;base64,AAAA", "a@b.org",
    "+44 20 7946 0000", "_$!<Anniversary>!$_", "BEGIN:VCARD", "END:VCARD", "\\", "\\\\",
    "=", "=0", "=ZZ", "=C3=A9", "=\\", "a;b;c;d;e;f", ",,,", "\\n", "\\,",
]  # fmt: skip


EXTRA_LINES = [
    [], [], [], ["BEGIN:VCARD"], ["END:VCARD"], ["", "  "], ["# comment"],
    ["begin:vcard", "version:4.0"], ["item1.END:VCARD"],
]  # fmt: skip


@st.composite
def shaped_lines(draw) -> list[str]:
    if draw(st.booleans()):
        name = draw(st.sampled_from(NAMES))
    else:
        name = draw(st.from_regex(r"[A-Za-z0-9/#._ -]{0,12}", fullmatch=True))
    group = draw(st.sampled_from(["", "", "item1.", "item2.", "a.b.", "."]))
    params = draw(st.lists(st.sampled_from(PARAMS), max_size=3))
    if draw(st.booleans()):
        params.append("CHARSET=" + draw(st.sampled_from(CHARSETS)))
    if draw(st.integers(0, 9)) == 0:
        params.append(draw(st.text(_chars, max_size=10)))
    how = draw(st.sampled_from(["list", "text", "qp", "b64"]))
    if how == "list":
        found = draw(st.sampled_from(VALUES))
    elif how == "text":
        found = draw(st.text(max_size=40))
    elif how == "qp":
        raw = draw(st.binary(max_size=40))
        tokens = qp_tokens(raw, quote_all=draw(st.booleans()))
        found = "".join(t.decode("latin-1") for t in tokens)
    else:
        found = codecs.encode(draw(st.binary(max_size=40)), "base64").decode("ascii")
    head = group + name + "".join(";" + p for p in params)
    sep = ":" if draw(st.integers(0, 9)) else draw(st.sampled_from(["", ";", "::"]))
    line = head + sep + found
    extra = draw(st.sampled_from(EXTRA_LINES))
    # a value that goes on: quoted-printable soft line breaks and 2.1 backslashes
    if draw(st.integers(0, 4)) == 0:
        line += draw(st.sampled_from(["=", "\\"]))
    return [line, *extra]


@st.composite
def shaped(draw) -> bytes:
    cards = []
    for _ in range(draw(st.integers(1, 3))):
        lines = []
        if draw(st.integers(0, 5)):
            lines.append("BEGIN:VCARD")
        if draw(st.booleans()):
            lines.append("VERSION:" + draw(st.sampled_from([*VERSIONS, "", "9"])))
        for _ in range(draw(st.integers(0, 12))):
            lines += draw(shaped_lines())
        if draw(st.integers(0, 5)):
            lines.append("END:VCARD")
        cards += lines
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252", "latin-1"]))
    physical = []
    for text_line in cards:
        raw = text_line.encode(encoding, errors="replace")
        if encoding in ("utf-8-sig", "utf-16"):
            raw = text_line.encode("utf-8", errors="surrogatepass")
        physical += fold(draw, Line(raw))
    data = with_line_ends(draw, physical)
    if encoding == "utf-8-sig":
        data = codecs.BOM_UTF8 + data
    elif encoding == "utf-16":
        data = data.decode("utf-8", errors="replace").encode("utf-16")
    return data


@FUZZ
@given(data=shaped(), **import_options)
def test_vcard_shaped_text_never_crashes_the_importer(db, data, strict, region):
    import_quietly(db, data, strict, region)
