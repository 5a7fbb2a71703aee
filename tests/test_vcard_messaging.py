"""Messaging handles from phones: IMPP's service (X-SERVICE-TYPE) and the properties
written before IMPP (X-SKYPE-USERNAME, X-JABBER...) become social profiles labelled with
their service, and lrm's export writes the service back where a phone reads it."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lrm_cli.domain import ContactMethod
from lrm_cli.formats import vcard


def _card(*lines: str) -> vcard.Card:
    content = [(n, text) for n, text in enumerate(["VERSION:3.0", "FN:Kenji", *lines], 2)]
    return vcard.parse_card(content)


def _socials(card: vcard.Card) -> list[tuple[str, str | None, bool]]:
    return [(m.value, m.label, m.is_preferred) for m in card.methods if m.kind == "social"]


def test_an_impp_is_labelled_with_its_service_not_its_type():
    card = _card("IMPP;X-SERVICE-TYPE=Telegram;type=HOME;type=pref:x-apple:kenjit")
    assert _socials(card) == [("kenjit", "Telegram", True)]


@pytest.mark.parametrize(
    ("line", "shown"),
    [
        ("item4.IMPP;X-SERVICE-TYPE=WhatsApp:x-apple:%2B34600111222", ("+34600111222", "WhatsApp")),
        (
            "X-SOCIALPROFILE;type=facebook;x-userid=1:x-apple:lucia.garcia",
            ("lucia.garcia", "facebook"),
        ),
        ("IMPP;X-SERVICE-TYPE=Signal:X-APPLE:Ana%20Rey", ("Ana Rey", "Signal")),
    ],
)
def test_an_iphone_handle_is_shown_as_the_phone_shows_it(line, shown):
    """iOS writes a handle of a service with no URI scheme after ``x-apple:``,
    percent-encoded: the handle is what follows, decoded (so a WhatsApp number is found)."""
    assert _socials(_card(line)) == [(*shown, False)]


def test_an_iphone_placeholder_with_no_handle_is_no_profile():
    assert _socials(_card("IMPP;X-SERVICE-TYPE=WhatsApp:x-apple:")) == []


def test_a_group_label_still_wins_over_the_service():
    card = _card("item1.IMPP;X-SERVICE-TYPE=Skype:skype:k", "item1.X-ABLABEL:gaming")
    assert _socials(card) == [("skype:k", "gaming", False)]


@pytest.mark.parametrize(("name", "service"), sorted(vcard.IM_PROPERTIES.items()))
def test_every_legacy_messaging_property_is_a_social_profile_named_by_its_service(name, service):
    card = _card(f"{name};type=pref:kenji.t")
    assert _socials(card) == [("kenji.t", service, True)]
    assert name in vcard.MANAGED  # read into the card, so never kept a second time


def test_a_legacy_handle_an_impp_of_the_same_service_holds_is_kept_once():
    card = _card(
        "X-AIM;type=HOME:KenjiT",
        "IMPP;X-SERVICE-TYPE=AIM;type=HOME:aim:kenjit",
        "X-AIM:other",
        "X-ICQ:kenjit",
    )
    assert _socials(card) == [
        ("aim:kenjit", "AIM", False),
        ("other", "AIM", False),
        ("kenjit", "ICQ", False),
    ]


def _written(*methods: ContactMethod) -> list[str]:
    card = vcard.Card(name="Kenji", uid="u-1", methods=list(methods))
    text = vcard.written(vcard.to_component(card)).decode()
    return [line for line in text.split("\r\n") if "IMPP" in line or "ABLABEL" in line]


def test_an_impp_labelled_with_a_service_is_written_with_x_service_type():
    lines = _written(ContactMethod("social", "skype:kenji.t", "Skype", True))
    assert lines == ["IMPP;TYPE=pref;X-SERVICE-TYPE=Skype:skype:kenji.t"]


@pytest.mark.parametrize("label", ["home", "gaming, weekends", "Büro"])
def test_other_labels_are_written_as_before(label):
    lines = _written(ContactMethod("social", "xmpp:k@example.org", label, False))
    assert not any("X-SERVICE-TYPE" in line for line in lines)


@given(
    service=st.from_regex(r"[A-Za-z0-9][A-Za-z0-9 ._+-]{0,12}", fullmatch=True).map(str.strip),
    preferred=st.booleans(),
)
def test_a_service_label_comes_back_from_lrms_own_export(service, preferred):
    written = vcard.written(
        vcard.to_component(
            vcard.Card(
                name="Kenji",
                uid="u-1",
                methods=[ContactMethod("social", "xmpp:k@example.org", service, preferred)],
            )
        )
    ).decode()
    lines = [(n, t) for n, t in enumerate(written.split("\r\n")[1:-2], 2) if t]
    assert _socials(vcard.parse_card(lines)) == [("xmpp:k@example.org", service, preferred)]


def test_a_handle_kept_by_an_older_import_is_written_once_when_the_card_holds_it():
    """Before lrm read these properties an import kept them as they came; imported again,
    the handle is also a social profile. The export writes it once, and a kept handle the
    card does not hold is still written."""
    card = vcard.Card(
        name="Chidi",
        uid="u-1",
        methods=[ContactMethod("social", "chidi.o", "Skype", False)],
        extra=["X-SKYPE-USERNAME:chidi.o", "X-JABBER;TYPE=HOME:chidi@jabber.org", "X-FOO:bar"],
    )
    text = vcard.serialize(card).decode()
    assert "X-SKYPE-USERNAME" not in text
    assert "X-JABBER;TYPE=HOME:chidi@jabber.org" in text and "X-FOO:bar" in text
    lines = [(n, t) for n, t in enumerate(text.split("\r\n")[1:-2], 2) if t]
    assert _socials(vcard.parse_card(lines)) == [
        ("chidi.o", "Skype", False),
        ("chidi@jabber.org", "Jabber", False),
    ]


def test_a_bare_handle_with_a_service_is_written_as_ios_writes_it():
    lines = _written(ContactMethod("social", "+34 600 111 222", "WhatsApp", False))
    assert lines == ["IMPP;X-SERVICE-TYPE=WhatsApp:x-apple:%2B34%20600%20111%20222"]


@given(
    handle=st.text(
        st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), min_size=1, max_size=20
    )
    .map(lambda h: unicodedata.normalize("NFC", h.strip()))  # stored composed, as lrm reads
    .filter(lambda h: h and "://" not in h and not h.lower().startswith("x-apple:")),
    service=st.sampled_from(["WhatsApp", "Telegram", "Signal", "Skype"]),
)
def test_a_bare_handle_comes_back_from_lrms_own_export(handle, service):
    """What an iPhone's export holds after ``x-apple:`` round-trips: the same handle and
    service, whatever characters it has (a number's ``+``, a space, ``%``, ``;``, ``,``)."""
    card = vcard.Card(name="K", uid="u-1", methods=[ContactMethod("social", handle, service)])
    written = vcard.written(vcard.to_component(card)).decode()
    lines = [(n, t) for n, t in enumerate(written.split("\r\n")[1:-2], 2) if t]
    assert _socials(vcard.parse_card(lines)) == [(handle, service, False)]
