"""Issue 15: people without a cadence (none of their own, none from a tag, fewer than 3
interactions to infer one) are invisible to `due`; `lrm losing-touch` and the digest's
"Losing touch" section list them once they go more than `[digest] losing_touch_days`
(180) without contact, never contacted ones from the day they were added. The rules
themselves are checked against the oracle in tests/test_scheduler_reference.py; here,
what a user sees: the command's options, the config, the digest's section."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import ok

CARDS = "".join(
    f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:{name}\r\nEMAIL:{email}\r\nEND:VCARD\r\n"
    for name, email in [
        ("Ada Lovelace", "ada@example.org"),
        ("Grace Hopper", "grace@example.org"),
        ("Alan Turing", "alan@example.org"),
    ]
)


def _config(text: str) -> None:
    Path(os.environ["LRM_CONFIG"]).write_text(text, "utf-8")


@pytest.fixture
def imported(lrm, tmp_path):
    """An address book imported on 2025-06-01 and never touched since."""
    cards = tmp_path / "book.vcf"
    cards.write_text(CARDS, "utf-8")
    ok(lrm("--today", "2025-06-01", "import", "vcard", str(cards)))
    return lrm


def test_an_imported_address_book_is_not_silent(imported):
    """Imported 546 days ago, never contacted, no cadence: `due` says nothing, but the
    digest and losing-touch list everyone (same day: by name)."""
    assert imported("due", "--json").json() == []
    shown = ok(imported("losing-touch", "--json")).json()
    assert shown == [
        {
            "id": cid,
            "name": name,
            "last_contact": None,
            "added_on": "2025-06-01",
            "days_since": 546,
            "interactions": 0,
        }
        for cid, name in [(1, "Ada Lovelace"), (3, "Alan Turing"), (2, "Grace Hopper")]
    ]
    page = ok(imported("digest", "--format", "text")).stdout
    assert (
        "Losing touch:\n"
        "  - Ada Lovelace: never contacted, added 546 days ago (2025-06-01)\n"
        "  - Alan Turing: never contacted, added 546 days ago (2025-06-01)\n"
        "  - Grace Hopper: never contacted, added 546 days ago (2025-06-01)\n"
    ) in page
    assert imported("digest", "--json").json()["totals"]["losing_touch"] == 3


def test_the_plain_table(imported):
    ok(imported("log", "ada", "--when", "2025-07-01"))
    out = ok(imported("losing-touch")).stdout.splitlines()
    assert out == [
        "3\tAlan Turing\tnever\t2025-06-01\t546\t0",
        "2\tGrace Hopper\tnever\t2025-06-01\t546\t0",
        "1\tAda Lovelace\t2025-07-01\t2025-06-01\t516\t1",
    ]


def test_contact_or_a_cadence_takes_people_off_the_list(imported):
    ok(imported("log", "ada", "--when", "yesterday"))
    ok(imported("cadence", "alan", "90d"))
    assert [i["name"] for i in imported("losing-touch", "--json").json()] == ["Grace Hopper"]
    assert [i["name"] for i in imported("due", "--json").json()] == ["Alan Turing"]


def test_archived_and_snoozed_people_are_left_out(imported):
    ok(imported("archive", "ada"))
    ok(imported("snooze", "alan", "--until", "2026-12-01"))
    assert [i["name"] for i in imported("losing-touch", "--json").json()] == ["Grace Hopper"]
    later = imported("--today", "2026-12-01", "losing-touch", "--json").json()
    assert [i["name"] for i in later] == ["Alan Turing", "Grace Hopper"]  # the snooze is over


@pytest.mark.parametrize(
    ("days", "listed"), [("545", 3), ("546", 0), ("19m", 0), ("1y", 3), ("0", 3)]
)
def test_days_sets_the_span(imported, days, listed):
    """More than the span: 546 days is not more than 546."""
    assert len(imported("losing-touch", "--days", days, "--json").json()) == listed


@pytest.mark.parametrize("days", ["soon", "-3", "3x"])
def test_a_bad_span_is_one_line_and_exit_5(imported, days):
    result = imported("losing-touch", "--days", days)
    assert result.exit_code == 5
    assert "--days" in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_the_config_sets_the_span_and_the_digests_limit(imported):
    _config("[digest]\nlosing_touch_days = 600\n")
    assert imported("losing-touch", "--json").json() == []
    assert imported("digest", "--json").json()["losing_touch"] == []
    assert "Losing touch" not in imported("digest", "--format", "text").stdout  # no section
    _config("[digest]\nlosing_touch_limit = 2\n")
    page = imported("digest", "--format", "text").stdout
    losing = page.split("Losing touch")[1]
    assert "  - Alan Turing: never" in losing and "Grace Hopper" not in losing
    assert "  - ... and 1 more: lrm losing-touch\n" in page
    assert len(imported("losing-touch", "--json").json()) == 3  # the command lists all
    _config("[digest]\nlosing_touch_limit = 0\n")
    data = imported("digest", "--json").json()
    assert data["losing_touch"] == [] and data["totals"]["losing_touch"] == 3
    assert "Losing touch" not in imported("digest", "--format", "text").stdout


@pytest.mark.parametrize("value", ["-1", '"6m"', "true"])
def test_a_bad_setting_is_a_configuration_error(imported, value):
    _config(f"[digest]\nlosing_touch_days = {value}\n")
    for command in (("losing-touch",), ("digest",)):
        result = imported(*command)
        assert result.exit_code == 7, command
        assert "losing_touch_days" in result.stderr


def test_tag_and_limit(imported):
    ok(imported("tag", "add", "grace", "navy"))
    ok(imported("tag", "add", "alan", "Navy"))
    tagged = imported("losing-touch", "--tag", "NAVY", "--json").json()
    assert [i["name"] for i in tagged] == ["Alan Turing", "Grace Hopper"]
    assert [i["name"] for i in imported("losing-touch", "-n", "1", "--json").json()] == [
        "Ada Lovelace"
    ]


def test_a_tag_with_a_cadence_makes_its_people_due_instead(imported):
    ok(imported("tag", "add", "grace", "navy"))
    ok(imported("tag", "cadence", "navy", "30d"))
    names = [i["name"] for i in imported("losing-touch", "--json").json()]
    assert names == ["Ada Lovelace", "Alan Turing"]


def test_markdown_and_terminal_digest_have_the_section(imported):
    markdown = ok(imported("digest", "--format", "markdown")).stdout
    assert "## Losing touch\n\n- Ada Lovelace: never contacted, added 546 days ago" in markdown


def test_nobody_losing_touch(lrm):
    ok(lrm("add", "Ada Lovelace"))
    assert lrm("losing-touch", "--json").json() == []
    said = ok(lrm("losing-touch")).stdout
    assert said == "" or "nobody without a cadence has gone 180 days without contact" in said
