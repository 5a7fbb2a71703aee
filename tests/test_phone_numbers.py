"""Phone numbers as people type them: E.164 only when certain, otherwise kept as typed;
never a digit dropped or invented (beyond the country code and the trunk prefix)."""

from __future__ import annotations

import re

import phonenumbers
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lrm_cli.normalize import names_agree, normalize_phone


@pytest.mark.parametrize(
    ("typed", "region", "stored"),
    [
        ("+44 20 7946 0000", "", "+442079460000"),
        ("+44 (0)20 7946 0000", "", "+442079460000"),  # trunk prefix in brackets
        ("+49 (0) 30 1234567", "", "+49301234567"),
        ("+49 (0) 0000 00", "", "+49 (0) 0000 00"),  # not a valid number: as typed
        ("555-0134", "US", "555-0134"),  # only "possible": as typed, not +15550134
        ("0612345678", "US", "0612345678"),  # a French mobile is not a US number
        ("0612345678", "FR", "+33612345678"),
        ("020 7946 0000", "GB", "+442079460000"),
        ("0044 20 7946 0000", "DE", "+442079460000"),  # dialled from abroad
        ("(212) 555-0134", "US", "+12125550134"),
        ("+1 (212) 555-0134 x12", "", "+1 (212) 555-0134 x12"),  # an extension is kept
        ("2079460000", "", "2079460000"),  # no region, no +: cannot know
        # a phone in Hebrew or Arabic wraps numbers in invisible direction marks
        ("\u202a+44 20 7946 0000\u202c", "", "+442079460000"),
        ("\u200e020 7946 0000\u200e", "GB", "+442079460000"),
        ("\u2066555-0134\u2069", "US", "555-0134"),
        ("+39 06 1234 5678", "", "+390612345678"),  # Italy keeps its leading zero
        ("01149 (0) 30 1234567", "US", "+49301234567"),  # 011, country code, trunk
        # libphonenumber reads these as valid numbers by dropping digits: kept as typed
        ("11 1 212 555 0134", "US", "11 1 212 555 0134"),
        ("005591 98765 43210", "BR", "005591 98765 43210"),
    ],
)
def test_numbers_are_normalised_only_when_certain(typed, region, stored):
    assert normalize_phone(typed, region) == stored


_SEPARATORS = st.sampled_from(["", " ", "-", ".", " (0) ", "(0)", "/"])


@st.composite
def typed_numbers(draw) -> str:
    groups = draw(st.lists(st.text("0123456789", min_size=1, max_size=4), min_size=1, max_size=5))
    out = draw(st.sampled_from(["", "+", "00", "0", "(", "+1 "]))
    for g in groups:
        out += g + draw(_SEPARATORS)
    return out.strip() or "0"


@settings(max_examples=400, deadline=None)
@given(typed_numbers(), st.sampled_from(["", "US", "GB", "DE", "FR", "IT", "IN", "BR"]))
def test_no_digit_is_dropped_or_invented(typed, region):
    stored = normalize_phone(typed, region)
    if stored == typed.strip():
        return  # kept as typed
    assert stored.startswith("+") and stored[1:].isdigit()
    parsed = phonenumbers.parse(stored)
    assert phonenumbers.is_valid_number(parsed)
    digits = re.sub(r"\D", "", typed)
    national = phonenumbers.national_significant_number(parsed)
    cc = str(parsed.country_code)
    # what was typed is the national number behind at most a dialling prefix, the
    # country code and one trunk digit; nothing else was added or removed
    assert digits.endswith(national)
    prefix = digits[: len(digits) - len(national)]
    assert len(prefix) <= len(cc) + 4
    assert prefix in ("", "0", "1") or cc in prefix


@pytest.mark.parametrize(
    ("ours", "theirs", "agree"),
    [
        (["Ada Lovelace"], ["Lovelace, Ada"], True),  # family name first
        (["Lucía Gómez"], ["LUCIA GOMEZ"], True),  # accents and case aside
        (["Ada Lovelace"], ["Ada King Lovelace"], True),  # a middle name more
        (["Maya Rodriguez"], ["Lucía Gómez"], False),  # a shared family address
        (["Ann Office"], ["Ben Office"], False),  # colleagues sharing a number
        (["Ada Lovelace"], ["", "Ada"], True),  # a first name alone, as phones store
        ([""], ["Ada"], False),
    ],
)
def test_names_agree(ours, theirs, agree):
    assert names_agree(ours, theirs) is agree
    assert names_agree(theirs, ours) is agree


def test_an_address_and_a_number_wrapped_in_direction_marks_are_stored_without_them(lrm, tmp_path):
    """An Android phone set to Hebrew exports its numbers as U+202A ... U+202C: invisible,
    they made the number 'invalid' to `add` and kept it unreadable (and never matching the
    same number typed) through `import vcard`."""
    from conftest import ok

    card = tmp_path / "phone.vcf"
    card.write_text(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Dana Levi\r\n"
        "TEL;TYPE=CELL:\u202a+44 20 7946 0000\u202c\r\n"
        "EMAIL:\u2066dana@example.com\u2069\r\nEND:VCARD\r\n",
        encoding="utf-8",
    )
    imported = ok(lrm("import", "vcard", str(card)))
    assert "as written" not in imported.stderr
    dana = lrm("show", "dana", "--json").json()
    assert (dana["phones"], dana["emails"]) == (["+442079460000"], ["dana@example.com"])
    ok(lrm("add", "Noa", "--phone", "\u200e+44 20 7946 0001\u200e"))
    assert lrm("show", "noa", "--json").json()["phones"] == ["+442079460001"]
    assert lrm("search", "+44 20 7946 0000", "--json").json()[0]["contact"]["name"] == "Dana Levi"
