"""Validation and normalisation of what users type: names, emails, phones, tags.

Pure functions; each raises InvalidInput with a one-line message naming the problem.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

from lrm_cli.errors import InvalidInput

# What one field may hold, at every entry point (add, edit, note, log, remind, import json,
# import vcard, sync): docs/limits.md. A longer value is refused (its record, in imports).
MAX_LINE = 500  # one-line fields: names, organisation, title, how met, tags, labels,
#                 emails, phones, addresses, uids, reminder titles
MAX_TEXT = 100_000  # a note, an interaction summary
MAX_VALUES = 100  # values of one vCard property on one card (CATEGORIES, NICKNAME)

# C0 controls, DEL and C1 controls (U+0080-U+009F: a terminal may read U+009B as CSI).
# Only multi-line text (notes, summaries) may hold a newline or a tab.
_CONTROL_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$|^[^@\s]+@[^@\s.]+$")
_TAG = re.compile(r"^[^\s,;]+$")
_WORD = re.compile(r"\w+")
# The combining diacritical marks (U+0300-U+036F) but U+034F, the one not combining:
# removing these is fold's removal of combining characters when nothing else is left.
_LATIN_MARKS = re.compile("[\u0300-\u034e\u0350-\u036f]")


def composed(text: str) -> str:
    """``text`` in Unicode's composed form (NFC): "Jürgen" from a Mac's vCard (u + a
    combining diaeresis) is the "Jürgen" typed on a keyboard, so a name, tag or email is
    one value whichever way it arrived, and compares, matches and sorts as one."""
    if text.isascii():
        return text  # nearly always: nothing to compose
    import unicodedata

    return unicodedata.normalize("NFC", text)


def check_text(value: str, what: str, *, multiline: bool = False, limit: int | None = None) -> str:
    """``value`` in composed form (:func:`composed`), or InvalidInput when it holds a
    control character (a newline or tab is allowed in ``multiline`` text: notes,
    summaries, and a postal address's lines) or is longer than ``limit`` (by default
    MAX_TEXT for multi-line text, else MAX_LINE). The one check every entry point
    applies, so that no escape sequence reaches a terminal from stored data. (A restore
    from ``export json`` only checks: it keeps the text exactly as it was exported.)"""
    bad = (_CONTROL if multiline else _CONTROL_LINE).search(value)
    if bad:
        raise InvalidInput(f"{what} contains a control character ({bad.group()!r})")
    value = composed(value)
    if limit is None:
        limit = MAX_TEXT if multiline else MAX_LINE
    if len(value) > limit:
        raise InvalidInput(f"{what} is {len(value):,} characters long; at most {limit:,} allowed")
    return value


def strip_controls(value: str, *, multiline: bool = False) -> str:
    """For text from elsewhere (vCards from devices, often with stray control characters
    such as Outlook's vertical tab for a line break): line ends and vertical tabs become
    ``\\n``, and in one-line fields newlines and tabs become spaces; every other control
    character is removed, and the text is composed (:func:`composed`). The length is left
    to :func:`check_text`."""
    if _CONTROL_LINE.search(value) is None:
        return composed(value)  # nearly always: one search, no copy
    text = value.replace("\r\n", "\n").replace("\r", "\n").replace("\x0b", "\n")
    if not multiline:
        text = text.replace("\n", " ").replace("\t", " ")
    return composed(_CONTROL.sub("", text))


def clean_text(value: str, what: str, *, multiline: bool = False, required: bool = False) -> str:
    """Strip surrounding space; refuse control characters (newlines and tabs only if
    multiline) and values over the field's limit (:func:`check_text`)."""
    text = check_text(value.strip(), what, multiline=multiline)
    if required and not text:
        raise InvalidInput(f"{what} cannot be empty")
    return text


def optional_text(value: str | None, what: str) -> str | None:
    if value is None:
        return None
    text = clean_text(value, what)
    return text or None


# Marks a phone in a right-to-left language wraps numbers and addresses in (left-to-right
# mark, embeddings, isolates), and zero-width spaces and BOMs pasted along: invisible, so
# "invalid phone number '+972 ...'" would name nothing the user can see. They are never
# part of a number or an address (a name keeps them: they order its letters).
_INVISIBLE = dict.fromkeys(
    map(ord, "\u200b\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff")
)


def without_invisible(value: str) -> str:
    """``value`` less the invisible marks of :data:`_INVISIBLE` (a phone's or email's)."""
    return value if value.isascii() else value.translate(_INVISIBLE)


def normalize_email(value: str) -> str:
    email = check_text(without_invisible(value).strip(), "email")
    if not _EMAIL.match(email):
        raise InvalidInput(f"invalid email {value!r}: expected name@domain")
    return email.lower()


def normalize_phone(value: str, region: str = "") -> str:
    """E.164 when the number is certain (``+44 20 7946 0000`` -> ``+442079460000``); else
    the number as typed, trimmed. Numbers without +country need ``phone_region``.

    Certain means libphonenumber calls it a valid number and the E.164 form neither drops
    nor invents a digit: the digits typed are the national number, preceded at most by
    the country code, a dialling prefix (``00``/``011`` + country code) and the national
    trunk prefix (``+49 (0) 30 1234567``). An extension, a number that is only "possible"
    (``555-0134``), or one valid elsewhere than the region (``0612345678`` in the US)
    stays as written."""
    raw = clean_text(without_invisible(value), "phone number", required=True)
    if not re.search(r"\d", raw) or re.search(r"[^\d\s()+\-./x#*]", raw, re.IGNORECASE):
        raise InvalidInput(f"invalid phone number {value!r}")
    import phonenumbers

    try:
        parsed = phonenumbers.parse(raw, region.upper() or None)
    except phonenumbers.NumberParseException:
        return raw
    if parsed.extension or not phonenumbers.is_valid_number(parsed):
        return raw
    if not _same_digits(raw, parsed):
        return raw
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


_E164 = re.compile(r"\+[1-9]\d{5,14}")

# What a phone's digits are read without: the search index's digits (store/search.py
# builds its SQL from this), the duplicate index's tail, and ``same_phone``.
PHONE_PUNCTUATION = " +-()./\t\u00a0"
_WITHOUT_PUNCTUATION = str.maketrans("", "", PHONE_PUNCTUATION)
PHONE_TAIL = 7  # the fewest digits that name a number: a local number (555 0100)


def phone_digits(value: str) -> str:
    """A phone as its digits: ``value`` less the punctuation people write numbers with
    (a kept-as-written number may hold something else: ``x12``, ``#``)."""
    return value.translate(_WITHOUT_PUNCTUATION)


def phone_tail(value: str) -> str:
    """The last PHONE_TAIL digits: two numbers ``same_phone`` calls the same share it, so
    it is the key that finds them (``ix_contact_method_phone_tail``, migration 0019)."""
    return phone_digits(value)[-PHONE_TAIL:]


def international(value: str) -> bool:
    """Written with its country: ``+`` or the ``00`` dialling prefix."""
    return value.lstrip().startswith("+") or phone_digits(value).startswith("00")


def same_phone(a: str, b: str) -> bool:
    """Whether two phones are one number, whatever their formatting: the one rule of
    ``edit --remove-phone``, the add-time warning, ``dupes``, ``merge`` and ``import
    vcard``. The same digits; or the same digits but for leading zeros (a trunk ``0``, an
    international ``00``); or an international number (``+``/``00``) whose digits end
    with the other's less its zeros (``07700 900123`` and ``+44 7700 900123``; the local
    ``555 0100`` and ``+1 202 555 0100``), at least PHONE_TAIL of them so that a fragment
    names nothing. Symmetric; a number holding anything but digits is only itself."""
    da, db = phone_digits(a), phone_digits(b)
    if da == db:
        return bool(da)
    if not (da.isdigit() and db.isdigit() and da.isascii() and db.isascii()):
        return False
    na, nb = da.lstrip("0"), db.lstrip("0")
    if min(len(na), len(nb)) < PHONE_TAIL:
        return False
    if na == nb:
        return True
    (short, _), (long_digits, long_value) = sorted(((na, a), (nb, b)), key=lambda x: len(x[0]))
    return international(long_value) and long_digits.endswith(short)


def same_method(kind: str, a: str, b: str) -> bool:
    """Whether two stored values of one kind (emails are stored lower-cased) are one."""
    return same_phone(a, b) if kind == "phone" else a == b


def held(kind: str, value: str, methods: Iterable[tuple[str, str]]) -> bool:
    """Whether ``methods`` (kind, value pairs) already hold this one (``same_method``)."""
    return any(k == kind and same_method(kind, v, value) for k, v in methods)


def display_method(kind: str, value: str) -> str:
    """A stored method as people read it (a phone: :func:`display_phone`; anything else
    as stored): the one rule for `show`, the digest's "reach" and edit's "added phone"."""
    return display_phone(value) if kind == "phone" else value


def display_phone(value: str) -> str:
    """A stored phone as people read it: an E.164 number grouped the way its country
    writes it internationally (``+442079460000`` -> ``+44 20 7946 0000``), a number kept
    as typed as typed. For human output only (JSON keeps the stored value); phonenumbers
    (~50 ms to import) is loaded only when there is such a number to show."""
    if not _E164.fullmatch(value):
        return value
    import phonenumbers

    try:
        parsed = phonenumbers.parse(value, None)
    except phonenumbers.NumberParseException:
        return value
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def _same_digits(raw: str, parsed) -> bool:
    """The digits of ``raw`` are the parsed number's, preceded only by prefixes a person
    dials: country code, ``00``/``011`` + country code, the trunk prefix."""
    import phonenumbers

    typed = re.sub(r"\D", "", raw)
    national = phonenumbers.national_significant_number(parsed)
    if not typed.endswith(national):
        return False
    prefix = typed[: len(typed) - len(national)]
    cc = str(parsed.country_code)
    region = phonenumbers.region_code_for_number(parsed)
    meta = phonenumbers.PhoneMetadata.metadata_for_region(region) if region else None
    trunk = (meta.national_prefix if meta else None) or ""
    if raw.lstrip().startswith("+"):
        return prefix in {cc, cc + trunk}
    dialled = {cc, "00" + cc, "011" + cc}
    return prefix in {"", trunk} | dialled | {d + trunk for d in dialled}


def normalize_tag(value: str) -> str:
    tag = value.strip()
    if not tag or not _TAG.match(tag) or _CONTROL.search(tag):
        raise InvalidInput(f"invalid tag {value!r}: one word, no spaces, commas or semicolons")
    return check_text(tag, "tag")


def normalize_choice(
    value: str, choices: tuple[str, ...], what: str, words: dict[str, str] | None = None
) -> str:
    """``value`` as one of ``choices`` (any case, ``-`` for ``_``). A refused one that is
    an everyday word for a choice (``words``: ``phone`` for ``call``) hints at it."""
    chosen = value.strip().lower().replace("-", "_")
    if chosen not in choices:
        meant = (words or {}).get(re.sub(r"[\W_]", "", chosen))
        raise InvalidInput(
            f"unknown {what} {value!r}: choose one of {', '.join(choices)}",
            hint=f"did you mean {meant!r}?" if meant else None,
        )
    return chosen


def parse_sentiment(value: str | int | None) -> int | None:
    if value is None:
        return None
    try:
        number = int(str(value).strip())
    except ValueError as exc:
        raise InvalidInput(f"invalid sentiment {value!r}: a whole number from -2 to +2") from exc
    if not -2 <= number <= 2:
        raise InvalidInput(f"sentiment {value} is outside -2..+2")
    return number


_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def nocase(text: str) -> str:
    """How SQLite's NOCASE compares names and tags: ASCII letters folded, nothing else
    ("É" and "é" are two tags). Python's side of a UNIQUE ... NOCASE column: two texts
    clash there exactly when their ``nocase`` are equal (tests/test_normalize_nocase.py
    asks SQLite)."""
    return text.translate(_ASCII_LOWER)


def fold(text: str) -> str:
    """Case-folded, accents removed: "Smith, Jóhn" -> "smith, john"."""
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", text.casefold())
    latin = _LATIN_MARKS.sub("", decomposed)
    if latin.isascii():  # "josé" and most accented names: their marks alone, in one pass
        return latin
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


# Letters NFKD does not take apart, under the letter a reader files them: "Øyvind" with the
# O's, "Łukasz" with the L's (Unicode's collation tables do the same; PyICU or pyuca would
# bring them whole, at ~0.3 s of start-up or a compiled dependency, for the list's order).
_BASE_LETTERS = str.maketrans(
    {
        "ø": "o",
        "đ": "d",
        "ð": "d",
        "ħ": "h",
        "ı": "i",
        "ł": "l",
        "ŧ": "t",
        "æ": "ae",
        "œ": "oe",
        "þ": "th",
    }
)


def name_order(name: str) -> str:
    """Where a name goes in a list of contacts: case and accents aside, so "élodie"
    comes between "Ed" and "Frank" (SQLite's NOCASE folds ASCII letters only, which put
    it after "Zoë"). Every list of contacts by name sorts by this, then by id: in Python,
    and in SQL as ``lrm_name_order(display_name)`` (``store.db.connect``)."""
    if name.isascii():
        return name.lower()
    return fold(name).translate(_BASE_LETTERS)


def name_key(name: str) -> str:
    """Case-folded, accents removed, punctuation as spaces: "Smith, Jóhn" -> "smith john"."""
    return " ".join(name_words(name))


def name_words(name: str) -> list[str]:
    """The words of :func:`name_key`: ``\\w+`` runs of :func:`fold` (of ``lower`` for an
    ASCII name). Beyond ASCII, a name is folded a whitespace-separated part at a time and
    each part once per process: an import may take 100,000 names apart, made of a few
    thousand given and family names. fold works a character at a time and no space folds
    into a letter, so the words are the same (tests/test_normalize_words.py holds them)."""
    if name.isascii():
        return _WORD.findall(name.lower())
    words: list[str] = []
    for part in name.split():
        words += part_words(part)
    return words


@cache
def part_words(part: str) -> tuple[str, ...]:
    """The words of one whitespace-separated part of a name (:func:`name_words` is
    theirs, part after part), each part worked out once per process."""
    return tuple(_WORD.findall(fold(part)))


# The words that tell a father from his son of the same name ("John Smith Jr.")
GENERATIONS = frozenset({"jr", "junior", "sr", "senior", "ii", "iii", "iv"})


def names_agree(ours: list[str], theirs: list[str]) -> bool:
    """Whether two records name the same person: some name of one and some name of the
    other have the same words, in any order ("Lovelace, Ada" = "ada lovelace", "Lucía"
    = "Lucia"), or all the words of one are among the other's ("Ada Lovelace" and "Ada
    King Lovelace"); and no name of one says a generation (GENERATIONS: "Jr.", "III")
    the other's names do not say ("John Smith Jr." is not John Smith). Used before an
    e-mail or phone is trusted to mean the same person: families share addresses and
    colleagues share office numbers."""
    ours_words = [set(k.split()) for n in ours if n and (k := name_key(n))]
    theirs_words = [set(k.split()) for n in theirs if n and (k := name_key(n))]
    if _generations(ours_words) != _generations(theirs_words):
        return False
    return any(a <= b or b <= a for a in ours_words for b in theirs_words)


def _generations(names: list[set[str]]) -> set[str]:
    found = set().union(*names) & GENERATIONS
    return {"jr" if w == "junior" else "sr" if w == "senior" else w for w in found}


def split_name(name: str) -> tuple[str | None, str | None]:
    """A best guess at given and family names from a display name: "Ada Lovelace", or
    "Lovelace, Ada" (family name first, as address books sort)."""
    family, comma, given = name.partition(",")
    if comma and family.strip() and given.strip() and "," not in given:
        return " ".join(given.split()), " ".join(family.split())
    parts = name.split()
    if len(parts) < 2:
        return (parts[0] if parts else None), None
    return " ".join(parts[:-1]), parts[-1]


# --- postal addresses ---------------------------------------------------------------------

# The names `--address` takes for the seven ADR components (domain.ADDRESS_PARTS order),
# the first of each being how lrm shows them; and for the label.
ADDRESS_KEYS: tuple[tuple[str, ...], ...] = (
    ("po-box", "pobox", "po_box"),
    ("extended", "ext"),
    ("street",),
    ("city", "locality", "town"),
    ("region", "state", "county", "province"),
    ("postcode", "postal-code", "postal_code", "zip"),
    ("country",),
)
LABEL_KEYS = ("type", "label")
_KEY_FORM = re.compile(r"^\s*[A-Za-z_-]+\s*=")


def parse_address(text: str) -> tuple[tuple[str, ...], str | None]:
    """An address as typed, as its seven components (domain.ADDRESS_PARTS) and a label.

    Three forms: ``key=value`` pairs separated by ``;`` (``street=221B Baker St;
    city=London;postcode=NW1 6XE;country=UK;type=home``; keys in ADDRESS_KEYS, ``type``
    or ``label`` for the label), the seven components of vCard's ADR separated by ``;``
    (``;;221B Baker St;London;;NW1 6XE;UK``), or plain text, taken as the street."""
    if not text.strip():
        raise InvalidInput("an address cannot be empty")
    parts = ["" for _ in ADDRESS_KEYS]
    label = None
    if _KEY_FORM.match(text):
        index = {name: i for i, names in enumerate(ADDRESS_KEYS) for name in names}
        for piece in text.split(";"):
            if not piece.strip():
                continue
            key, eq, value = piece.partition("=")
            key = key.strip().lower()
            if not eq:
                raise InvalidInput(f"address part {piece.strip()!r} has no '=': use key=value")
            if key in LABEL_KEYS:
                label = clean_text(value, "address label") or None
            elif key in index:
                parts[index[key]] = clean_text(value, f"address {key}")
            else:
                known = ", ".join(names[0] for names in ADDRESS_KEYS)
                raise InvalidInput(
                    f"unknown address part {key!r}: one of {known}, or type for its label"
                )
    elif ";" in text:
        given = text.split(";")
        if len(given) > len(parts):
            raise InvalidInput(
                f"an address has at most 7 parts separated by ';', not {len(given)}",
                hint="po box;extended;street;city;region;postcode;country",
            )
        for i, value in enumerate(given):
            parts[i] = clean_text(value, f"address {ADDRESS_KEYS[i][0]}")
    else:
        parts[2] = clean_text(text, "address")
    if not any(parts):
        raise InvalidInput(f"address {text.strip()!r} has no street, city or other part")
    return tuple(parts), label


def address_pairs(components: tuple[str, ...] | list[str]) -> str:
    """An address's components as ``--address`` takes them: ``street=...; city=...``."""
    return "; ".join(
        f"{names[0]}={value}"
        for names, value in zip(ADDRESS_KEYS, components, strict=False)
        if value
    )


def stored_address_parts(
    components: tuple[str, ...] | list[str] | None, value: str
) -> tuple[str, ...]:
    """A stored address's seven parts; one kept without them (``value`` only, as an
    older lrm wrote it) is its street, as :func:`parse_address` reads plain text."""
    if components and any(components):
        return tuple(components)
    return tuple(value if i == 2 else "" for i in range(len(ADDRESS_KEYS)))


def address_text(
    components: tuple[str, ...] | list[str] | None, label: str | None, value: str
) -> str:
    """A stored address as ``--address`` takes it and :func:`parse_address` reads it
    back: its parts as ``key=value`` pairs, then ``type=`` its label (the TOML view's
    form, and one ``--remove-address`` knows)."""
    text = address_pairs(stored_address_parts(components, value))
    return f"{text}; {LABEL_KEYS[0]}={label}" if label else text
