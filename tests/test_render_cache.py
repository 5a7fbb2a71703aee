"""The render cache (migration 0010): `export vcard` and `export ics` render again only
what changed, and what they write is always what a cold export writes."""

from __future__ import annotations

import sqlite3
import threading
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lrm_cli import __version__
from lrm_cli.formats import ical, vcard
from lrm_cli.services import fingerprints

PEOPLE = (
    ("add", "Ada Lovelace", "--email", "ada@example.org", "--birthday", "1815-12-10"),
    ("add", "Grace Hopper", "--phone", "+1 212 555 0100", "--org", "Navy", "--cadence", "30d"),
    ("add", "Alan Turing", "--birthday=--06-23", "--tag", "mentors"),
    ("note", "Ada", "Likes engines"),
    ("remind", "Grace", "Send the paper", "--on", "2026-12-20", "--every", "1m"),
    ("relate", "Ada", "Alan", "--as", "friend"),
    ("date", "add", "Alan", "--kind", "custom", "--on", "2010-06-21", "--label", "Prize"),
)
NAMES = ("Ada", "Grace", "Alan")


def make_people(lrm):
    for args in PEOPLE:
        assert lrm(*args).exit_code == 0, args


def cache_rows(db: Path, kind: str | None = None) -> list[tuple]:
    sql = "SELECT kind, key, body FROM render_cache WHERE ? IS NULL OR kind = ?"
    with sqlite3.connect(db) as conn:
        return conn.execute(sql, (kind, kind)).fetchall()


def cold_export(lrm, db: Path, tmp: Path, what: str) -> bytes:
    """What the export writes with an empty cache (the cache as it was is put back)."""
    saved = tmp / "saved.sqlite3"
    with sqlite3.connect(db) as src, sqlite3.connect(saved) as dst:
        src.backup(dst)
    with sqlite3.connect(db) as conn:
        conn.execute("DELETE FROM render_cache")
    out = tmp / f"cold.{what}"
    assert lrm("export", what, "--out", str(out)).exit_code == 0
    with sqlite3.connect(saved) as src, sqlite3.connect(db) as dst:
        src.backup(dst)
    return out.read_bytes()


def export(lrm, tmp: Path, what: str) -> bytes:
    out = tmp / f"warm.{what}"
    result = lrm("export", what, "--out", str(out))
    assert result.exit_code == 0, result.stderr
    return out.read_bytes()


def test_a_second_export_renders_nothing_and_writes_the_same(
    built, lrm, db_path, tmp_path, monkeypatch
):
    built(make_people)
    first = {what: export(lrm, tmp_path, what) for what in ("vcard", "ics")}
    assert len(cache_rows(db_path, "vcard")) == 3
    assert len(cache_rows(db_path, "ics")) > 1  # the empty calendar and the items

    def no_rendering(*args, **kwargs):
        raise AssertionError("rendered again")

    monkeypatch.setattr(vcard, "serialize", no_rendering)
    monkeypatch.setattr(ical, "component_bytes", no_rendering)
    monkeypatch.setattr(ical, "calendar_shell", no_rendering)
    assert {what: export(lrm, tmp_path, what) for what in ("vcard", "ics")} == first


def test_an_edit_renders_that_card_again_and_only_it(built, lrm, db_path, tmp_path, monkeypatch):
    built(make_people)
    export(lrm, tmp_path, "vcard")
    assert lrm("edit", "Grace", "--title", "Rear Admiral").exit_code == 0
    rendered = []
    serialize = vcard.serialize

    def counted(card, **kwargs):
        rendered.append(card.name)
        return serialize(card, **kwargs)

    monkeypatch.setattr(vcard, "serialize", counted)
    data = export(lrm, tmp_path, "vcard")
    assert rendered == ["Grace Hopper"]
    assert b"TITLE:Rear Admiral" in data
    assert data == cold_export(lrm, db_path, tmp_path, "vcard")


def test_a_new_renderer_renders_everything_again(built, lrm, db_path, tmp_path, monkeypatch):
    built(make_people)
    export(lrm, tmp_path, "vcard")
    rendered = []
    serialize = vcard.serialize
    monkeypatch.setattr(vcard, "serialize", lambda c, **k: rendered.append(1) or serialize(c, **k))
    stamp = fingerprints.renderer_stamp
    monkeypatch.setattr(fingerprints, "renderer_stamp", lambda *m: stamp(*m) + "upgraded")
    export(lrm, tmp_path, "vcard")
    assert len(rendered) == 3


def edit(*parts):
    """A command line: strategies where given, fixed words elsewhere."""
    return st.tuples(*(p if isinstance(p, st.SearchStrategy) else st.just(p) for p in parts))


WHO = st.sampled_from(NAMES)
# edits that change what a card or a calendar item is made from, each through the CLI
EDITS = st.one_of(
    edit("edit", WHO, "--org", st.text("abcé ,;:", max_size=8)),
    edit("edit", WHO, "--email", st.from_regex(r"[a-z]{1,5}@example\.org", fullmatch=True)),
    edit("edit", WHO, "--birthday", st.sampled_from(["", "1990-02-28", "--03-01"])),
    edit("note", WHO, st.text("ab é\n", min_size=1, max_size=6).filter(str.strip)),
    edit("note", "edit", st.sampled_from(["1", "2"]), st.sampled_from(["New text", "Other"])),
    edit("note", "rm", st.sampled_from(["1", "2"])),
    edit("tag", "add", WHO, st.sampled_from(["x", "mentors", "family"])),
    edit("tag", "rm", WHO, st.sampled_from(["x", "mentors"])),
    edit("cadence", WHO, st.sampled_from(["2w", "3m", "never"])),
    edit(
        "remind",
        st.sampled_from([*NAMES, "-"]),
        "Call",
        "--on",
        st.sampled_from(["2026-12-24", "2027-01-02"]),
    ),
    edit("relate", WHO, WHO, "--as", "colleague"),
    edit("archive", WHO),
    edit("forget", WHO, "--yes"),
    edit("add", st.sampled_from(["Edith Piaf", "Zoë Ng"])),
    edit("undo"),
)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rounds=st.lists(st.lists(EDITS, max_size=4), min_size=1, max_size=3))
def test_after_any_edits_an_export_writes_what_a_cold_one_writes(
    built, lrm, db_path, tmp_path, rounds
):
    built(make_people)
    for edits in rounds:
        for edit in edits:
            lrm(*edit)  # some fail (an unknown name after forget): that is an edit too
        for what in ("vcard", "ics"):
            assert export(lrm, tmp_path, what) == cold_export(lrm, db_path, tmp_path, what), what


@pytest.mark.parametrize(
    "change",
    [
        "UPDATE note SET body = 'Changed in place'",
        "UPDATE contact_method SET value = 'other@example.org' WHERE kind = 'email'",
        "UPDATE tag SET name = 'renamed'",
        "UPDATE relationship SET kind = 'sibling'",
        "UPDATE important_date SET label = 'Name day'",
    ],
)
def test_a_change_to_any_row_a_card_is_made_from_renders_it_again(
    built, lrm, db_path, tmp_path, change
):
    """Whatever writes it (a command that forgets to touch the contact, another tool):
    the cache holds by what the card is made from, not by the contact's updated_at."""
    built(make_people)
    before = export(lrm, tmp_path, "vcard")
    with sqlite3.connect(db_path) as conn:
        conn.execute(change)
    after = export(lrm, tmp_path, "vcard")
    assert after == cold_export(lrm, db_path, tmp_path, "vcard")
    assert after != before


def test_forgetting_a_contact_drops_its_renderings(built, lrm, db_path, tmp_path):
    built(make_people)
    export(lrm, tmp_path, "vcard")
    export(lrm, tmp_path, "ics")
    assert any(b"Grace" in body for *_, body in cache_rows(db_path))
    assert lrm("forget", "Grace", "--yes").exit_code == 0
    assert not any(b"Grace" in body for *_, body in cache_rows(db_path))
    assert len(cache_rows(db_path, "vcard")) == 2


def test_a_deleted_reminder_leaves_the_cache_at_the_next_export(built, lrm, db_path, tmp_path):
    built(make_people)
    export(lrm, tmp_path, "ics")
    assert any(b"Send the paper" in body for *_, body in cache_rows(db_path, "ics"))
    reminder = lrm("--json", "reminders").json()
    assert lrm("reminder", "rm", str(reminder[0]["id"])).exit_code == 0
    assert b"Send the paper" not in export(lrm, tmp_path, "ics")
    assert not any(b"Send the paper" in body for *_, body in cache_rows(db_path, "ics"))


def test_a_busy_database_exports_all_the_same_uncached(built, lrm, db_path, tmp_path):
    """Another process writing: the export does not wait for it, nor fail."""
    built(make_people)
    expected = cold_export(lrm, db_path, tmp_path, "vcard")
    with sqlite3.connect(db_path) as conn:
        conn.execute("DELETE FROM render_cache")
    holder = sqlite3.connect(db_path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    try:
        result: list[bytes] = []
        worker = threading.Thread(target=lambda: result.append(export(lrm, tmp_path, "vcard")))
        worker.start()
        worker.join(timeout=30)
        assert result == [expected]
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert cache_rows(db_path) == []


@pytest.mark.parametrize("count", [0, 1, 5])
def test_the_assembled_calendar_is_the_librarys(count):
    """ical.assemble puts components in the empty calendar the library writes: the bytes
    are the library's own rendering of one calendar holding them."""
    import icalendar

    items = [
        ical.CalItem(
            uid=f"lrm-test-{i}",
            summary=f"Call person {i}, about ‘the book’; " + "long " * i * 5,
            start=date(2026, 12, 1) + timedelta(days=i),
            stamp=datetime(2026, 11, 1, tzinfo=UTC),
            todo=bool(i % 2),
            rrule="FREQ=YEARLY" if i % 3 == 0 else None,
            trigger=timedelta(days=-1) if i % 2 else None,
        )
        for i in range(count)
    ]
    builder = ical._Builder()
    calendar = builder.calendar(__version__)
    for item in items:
        calendar.add_component(builder.component(item))
    assert ical.calendar_bytes(items, __version__) == calendar.to_ical()
    assert icalendar.Calendar.from_ical(ical.calendar_bytes(items, __version__))
