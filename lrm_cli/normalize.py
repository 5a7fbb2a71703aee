"""Validation and normalisation of what users type: names, emails, phones, tags.

Pure functions; each raises InvalidInput with a one-line message naming the problem.
"""

from __future__ import annotations

import re

from lrm_cli.errors import InvalidInput

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$|^[^@\s]+@[^@\s.]+$")
_TAG = re.compile(r"^[^\s,;]+$")


def clean_text(value: str, what: str, *, multiline: bool = False, required: bool = False) -> str:
    """Strip surrounding space; refuse control characters (newlines only if multiline)."""
    text = value.strip()
    bad = _CONTROL.search(text) if multiline else re.search(r"[\x00-\x1f\x7f]", text)
    if bad:
        raise InvalidInput(f"{what} contains a control character ({bad.group()!r})")
    if required and not text:
        raise InvalidInput(f"{what} cannot be empty")
    return text


def optional_text(value: str | None, what: str) -> str | None:
    if value is None:
        return None
    text = clean_text(value, what)
    return text or None


def normalize_email(value: str) -> str:
    email = value.strip()
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
    raw = clean_text(value, "phone number", required=True)
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
    return tag


def normalize_choice(value: str, choices: tuple[str, ...], what: str) -> str:
    chosen = value.strip().lower().replace("-", "_")
    if chosen not in choices:
        raise InvalidInput(f"unknown {what} {value!r}: choose one of {', '.join(choices)}")
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


def name_key(name: str) -> str:
    """Case-folded, accents removed, punctuation as spaces: "Smith, Jóhn" -> "smith john"."""
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", name.casefold())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(re.findall(r"\w+", plain))


def names_agree(ours: list[str], theirs: list[str]) -> bool:
    """Whether two records name the same person: some name of one and some name of the
    other have the same words, in any order ("Lovelace, Ada" = "ada lovelace", "Lucía"
    = "Lucia"), or all the words of one are among the other's ("Ada Lovelace" and "Ada
    King Lovelace"). Used before an e-mail or phone is trusted to mean the same person:
    families share addresses and colleagues share office numbers."""
    ours_words = [set(k.split()) for n in ours if n and (k := name_key(n))]
    theirs_words = [set(k.split()) for n in theirs if n and (k := name_key(n))]
    return any(a <= b or b <= a for a in ours_words for b in theirs_words)


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
