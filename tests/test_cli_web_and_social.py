"""Web addresses and social profiles are the user's to add and remove, as emails are: a
phone's card that brought a wrong one must be fixable from the command line (`edit
--remove-url`, `--remove-social`), and one typed with `add`/`edit` goes out on the card."""

from __future__ import annotations

import pytest

KINDS = [
    ("url", "https://ada.example", "URL"),
    ("social", "https://mastodon.social/@ada", "X-SOCIALPROFILE"),
    ("social", "xmpp:ada@example.org", "IMPP"),
]


def methods(lrm, kind: str) -> list[str]:
    shown = lrm("show", "Ada Lovelace", "--json").json()
    return [m["value"] for m in shown["methods"] if m["kind"] == kind]


@pytest.mark.parametrize(("kind", "value", "prop"), KINDS)
def test_one_typed_with_add_is_shown_and_written_on_the_card(lrm, kind, value, prop):
    assert lrm("add", "Ada Lovelace", f"--{kind}", f"  {value} ").exit_code == 0
    assert methods(lrm, kind) == [value]
    card = lrm("export", "vcard").stdout
    assert f"{prop}:{value}" in card.splitlines()
    again = lrm("import", "vcard", "-", "--json", input=card).json()
    assert again["unchanged"] == 1 and methods(lrm, kind) == [value]


CARD = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ada Lovelace\r\nURL:http://wrong.example\r\n"
    "X-SOCIALPROFILE;TYPE=twitter:https://twitter.com/not_ada\r\nEND:VCARD\r\n"
)


@pytest.mark.parametrize(
    ("kind", "wrong", "said"),
    [
        ("url", "http://wrong.example", "http://wrong.example"),
        ("social", "https://twitter.com/not_ada", "https://twitter.com/not_ada (twitter)"),
    ],
)
def test_a_wrong_one_a_card_brought_is_removed_said_and_undone(lrm, kind, wrong, said):
    """The confirmation names it as `show` does: with the label the card gave it."""
    assert lrm("import", "vcard", "-", input=CARD).exit_code == 0
    result = lrm("edit", "Ada Lovelace", f"--remove-{kind}", wrong)
    assert result.exit_code == 0, result.stderr
    assert f"  removed {kind} {said}" in result.stdout.splitlines()
    assert methods(lrm, kind) == []
    assert wrong not in lrm("export", "vcard").stdout
    assert lrm("undo").exit_code == 0
    assert methods(lrm, kind) == [wrong]


def test_removing_one_the_contact_lacks_fails_and_changes_nothing(lrm):
    assert lrm("add", "Ada Lovelace", "--url", "https://ada.example").exit_code == 0
    result = lrm(
        "edit", "Ada Lovelace", "--org", "Royal Society", "--social", "xmpp:ada@example.org",
        "--remove-url", "https://other.example",
    )  # fmt: skip
    assert result.exit_code == 3
    assert "has no https://other.example" in result.stderr
    shown = lrm("show", "Ada Lovelace", "--json").json()
    assert shown["organization"] is None
    assert [(m["kind"], m["value"]) for m in shown["methods"]] == [("url", "https://ada.example")]


@pytest.mark.parametrize("kind", ["url", "social"])
def test_an_empty_or_multiline_one_is_refused(lrm, kind):
    for bad in ("", "https://a.example\nhttps://b.example"):
        result = lrm("add", "Ada Lovelace", f"--{kind}", bad)
        assert result.exit_code == 5 and "Traceback" not in result.stderr
        assert result.stderr.startswith("lrm: error:")
    assert lrm("list", "--json").json() == []
