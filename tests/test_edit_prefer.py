"""`lrm edit --prefer METHOD`: the way to reach someone is the user's to choose. The method
(an email in any case, a phone in any formatting) becomes the preferred one of its kind and
is listed first, so the digest reaches them by it; `show` marks it; the change is worded,
undoable, and a method the contact does not have is refused with nothing written."""

from __future__ import annotations

from conftest import ok


def _reach(lrm) -> dict:
    (item,) = ok(lrm("digest", "--json")).json()["due"]
    return item["reach"]


def _ada(lrm):
    ok(
        lrm(
            "add",
            "Ada Lovelace",
            "--email",
            "ada@example.org",
            "--phone",
            "+44 20 7946 0000",
            "--cadence",
            "7d",
        )
    )
    ok(lrm("log", "ada", "--kind", "email", "--when", "2026-10-01", "--summary", "Poems"))


def test_a_preferred_phone_is_how_the_digest_reaches_them(lrm):
    _ada(lrm)
    assert _reach(lrm)["kind"] == "email"  # the last interaction's channel
    edited = ok(lrm("edit", "ada", "--prefer", "+44 (20) 7946-0000"))
    assert "preferred phone: +442079460000" in edited.stdout
    assert _reach(lrm) == {
        "kind": "phone",
        "value": "+442079460000",
        "label": None,
        "source": "preferred",
    }
    methods = ok(lrm("show", "ada", "--json")).json()["methods"]
    assert [(m["kind"], m["preferred"]) for m in methods] == [("phone", True), ("email", False)]
    assert "+44 20 7946 0000 (preferred)" in ok(lrm("show", "ada")).stdout


def test_the_latest_preference_leads_and_each_kind_keeps_one(lrm):
    _ada(lrm)
    ok(lrm("edit", "ada", "--prefer", "ADA@Example.org"))
    assert (_reach(lrm)["kind"], _reach(lrm)["source"]) == ("email", "preferred")
    ok(lrm("edit", "ada", "--prefer", "+442079460000"))
    assert (_reach(lrm)["kind"], _reach(lrm)["source"]) == ("phone", "preferred")
    ok(lrm("edit", "ada", "--phone", "+44 20 7946 0001", "--prefer", "+44 20 7946 0001"))
    methods = ok(lrm("show", "ada", "--json")).json()["methods"]
    preferred = [(m["kind"], m["value"]) for m in methods if m["preferred"]]
    assert preferred == [("phone", "+442079460001"), ("email", "ada@example.org")]
    assert _reach(lrm)["value"] == "+442079460001"


def test_preferring_again_changes_nothing_and_undo_takes_a_preference_back(lrm):
    _ada(lrm)
    ok(lrm("edit", "ada", "--prefer", "+442079460000"))
    again = ok(lrm("edit", "ada", "--prefer", "+442079460000", "--json"))
    assert again.json()["changed"] is False
    ok(lrm("undo"))
    methods = ok(lrm("show", "ada", "--json")).json()["methods"]
    assert [(m["kind"], m["preferred"]) for m in methods] == [("email", False), ("phone", False)]


def test_a_method_they_do_not_have_is_refused_and_nothing_is_written(lrm):
    _ada(lrm)
    before = ok(lrm("show", "ada", "--json")).json()
    result = lrm("edit", "ada", "--prefer", "ada@elsewhere.org", "--title", "Countess")
    assert result.exit_code != 0
    assert result.stderr == (
        "lrm: error: Ada Lovelace has no email, phone or other method 'ada@elsewhere.org'\n"
    )
    assert ok(lrm("show", "ada", "--json")).json() == before


def test_an_empty_prefer_takes_a_wrong_preference_back(lrm):
    """A slip (`--prefer` of the wrong address) is undone by `--prefer ''`: no method is
    preferred, none is exported as PREF, and the digest reaches them by the channel last
    used (the address `--prefer` listed first stays first)."""
    _ada(lrm)
    ok(lrm("edit", "ada", "--email", "ada@home.example"))
    ok(lrm("edit", "ada", "--prefer", "ada@home.example"))
    assert _reach(lrm)["source"] == "preferred"
    cleared = ok(lrm("edit", "ada", "--prefer", ""))
    assert "preferred email: (none)" in cleared.stdout
    methods = ok(lrm("show", "ada", "--json")).json()["methods"]
    assert not any(m["preferred"] for m in methods)
    assert "PREF" not in ok(lrm("export", "vcard")).stdout.upper()
    assert _reach(lrm)["source"] == "last_used"
    assert "no changes" in ok(lrm("edit", "ada", "--prefer", "")).stdout
