"""Postal addresses through the command line: `add`/`edit --address` in three forms,
`edit --remove-address`, and how `show` prints them (issue 15 §1)."""

from __future__ import annotations

import pytest

BAKER = {
    "po_box": "",
    "extended": "",
    "street": "221B Baker St",
    "locality": "London",
    "region": "",
    "postal_code": "NW1 6XE",
    "country": "UK",
}


def _addresses(lrm, who: str) -> list[dict]:
    shown = lrm("show", who, "--json").json()
    return [m for m in shown["methods"] if m["kind"] == "address"]


@pytest.mark.parametrize(
    "typed",
    [
        "street=221B Baker St;city=London;postcode=NW1 6XE;country=UK;type=home",
        "type=home; street = 221B Baker St ;locality=London;zip=NW1 6XE;country=UK",
    ],
)
def test_an_address_by_its_parts(lrm, typed):
    assert lrm("add", "Sherlock Holmes", "--address", typed).exit_code == 0
    (address,) = _addresses(lrm, "sherlock")
    assert address["components"] == BAKER
    assert address["label"] == "home"
    assert address["value"] == "221B Baker St, London, NW1 6XE, UK"


def test_an_address_in_vcard_s_seven_parts_and_as_plain_text(lrm):
    lrm("add", "Sherlock Holmes", "--address", ";;221B Baker St;London;;NW1 6XE;UK")
    lrm("edit", "sherlock", "--address", "3 Lauriston Gardens")
    first, second = _addresses(lrm, "sherlock")
    assert first["components"] == BAKER and first["label"] is None
    assert second["components"]["street"] == "3 Lauriston Gardens"
    assert second["value"] == "3 Lauriston Gardens"
    shown = lrm("show", "sherlock").stdout
    assert "221B Baker St, London, NW1 6XE, UK" in shown
    assert "street=221B Baker St; city=London; postcode=NW1 6XE; country=UK" in shown
    card = lrm("export", "vcard").stdout
    assert "ADR:;;221B Baker St;London;;NW1 6XE;UK" in card
    assert "ADR:;;3 Lauriston Gardens;;;;" in card


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("planet=Earth", "unknown address part 'planet'"),
        ("street", None),  # plain text: a street
        ("a;b;c;d;e;f;g;h", "at most 7 parts"),
        (";;;;;;", "has no street, city or other part"),
        ("street=;city=", "has no street, city or other part"),
        ("street=1 High St;York", "has no '='"),
        ("street=1 High St\x1b[2J", "control character"),
    ],
)
def test_a_bad_address_is_refused_in_one_line(lrm, typed, message):
    result = lrm("add", "Someone", "--address", typed)
    if message is None:
        assert result.exit_code == 0
        return
    assert result.exit_code == 5
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert lrm("list", "--json").json() == []  # nothing was written


def test_remove_an_address_by_its_label_or_as_shown(lrm):
    lrm("add", "Sherlock Holmes", "--address", "street=221B Baker St;city=London;type=home")
    lrm("edit", "sherlock", "--address", "street=1 Work Rd;city=London;type=work")
    lrm("edit", "sherlock", "--address", "street=2 Work Rd;city=London;type=work")
    assert lrm("edit", "sherlock", "--remove-address", "home").exit_code == 0
    assert [a["value"] for a in _addresses(lrm, "sherlock")] == [
        "1 Work Rd, London",
        "2 Work Rd, London",
    ]
    two = lrm("edit", "sherlock", "--remove-address", "work")
    assert two.exit_code == 5 and "2 addresses labelled work" in two.stderr
    assert lrm("edit", "sherlock", "--remove-address", "2 Work Rd, London").exit_code == 0
    gone = lrm("edit", "sherlock", "--remove-address", "Mars")
    assert gone.exit_code == 3 and "has no address Mars" in gone.stderr
    assert [a["value"] for a in _addresses(lrm, "sherlock")] == ["1 Work Rd, London"]


def test_clearing_the_organisation_clears_its_units(lrm, tmp_path):
    card = (
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ada Lovelace\r\nORG:Acme;Research;Lab 2\r\nEND:VCARD\r\n"
    )
    lrm("import", "vcard", "-", input=card)
    shown = lrm("show", "ada", "--json").json()
    assert (shown["organization"], shown["org_units"]) == ("Acme", ["Research", "Lab 2"])
    lrm("edit", "ada", "--org", "Babbage Ltd")  # a new name: the units stay
    assert "ORG:Babbage Ltd;Research;Lab 2" in lrm("export", "vcard").stdout
    lrm("edit", "ada", "--org", "")
    shown = lrm("show", "ada", "--json").json()
    assert (shown["organization"], shown["org_units"]) == (None, [])
    assert "ORG" not in lrm("export", "vcard").stdout
