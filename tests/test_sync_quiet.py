"""A sync with nothing to do is quick (issue 14): it decides from what it recorded, without
reading a file whose size, times and inode are as it left them, and without rendering a
card or calendar item whose data did not change. Whatever changes a file (an edit in
place that keeps its size and even its modification time, a new file put over it) is still
seen; a file only touched is read once, not rewritten."""

from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path

import pytest

from lrm_cli.formats import ical, vcard, vdir


@pytest.fixture
def folders(sync_folders: dict[str, Path]) -> dict[str, Path]:
    return sync_folders


@pytest.fixture
def counted(monkeypatch) -> dict[str, int]:
    """How many files sync reads and how many cards and calendar items it renders."""
    calls = {"read": 0, "card": 0, "item": 0}

    def counting(name, real):
        def wrapper(*args, **kwargs):
            calls[name] += 1
            return real(*args, **kwargs)

        return wrapper

    def items(found, version):
        for pair in ical_items(found, version):
            calls["item"] += 1
            yield pair

    ical_items = ical.item_calendars
    monkeypatch.setattr(vdir, "read_item", counting("read", vdir.read_item))
    monkeypatch.setattr(vcard, "serialize", counting("card", vcard.serialize))
    monkeypatch.setattr(ical, "item_calendars", items)
    return calls


def sync(lrm) -> dict:
    result = lrm("sync", "--json")
    assert result.exit_code == 0, result.stderr
    return result.json()


def snapshot(folders: dict[str, Path]) -> dict[str, tuple[bytes, int, int]]:
    return {
        f"{name}/{p.name}": (p.read_bytes(), p.stat().st_mtime_ns, p.stat().st_ino)
        for name, folder in folders.items()
        for p in sorted(folder.iterdir())
    }


def quiet(report: dict, cards: int, items: int) -> None:
    contacts = report["contacts"]
    for side in ("lrm", "vdir"):
        assert contacts[side]["unchanged"] == cards
        assert sum(contacts[side].values()) == cards, contacts[side]
    assert report["calendar"]["vdir"] == {
        "created": 0,
        "updated": 0,
        "deleted": 0,
        "unchanged": items,
    }


@pytest.fixture
def synced(lrm, folders) -> dict:
    """Three people (notes, a birthday, a cadence, a reminder) synced once: 3 cards and
    4 calendar items (a birthday, two reconnects, a reminder)."""
    lrm("add", "Ada Lovelace", "--birthday", "1815-12-10", "--cadence", "30d")
    lrm("add", "Charles Babbage", "--email", "charles@example.org", "--cadence", "2w")
    lrm("add", "Grace Hopper", "--org", "Navy")
    lrm("note", "Ada", "owes me a letter")
    lrm("remind", "Grace", "send the article", "--on", "2026-12-05")
    first = sync(lrm)
    assert first["contacts"]["vdir"]["created"] == 3
    assert first["calendar"]["vdir"]["created"] == 4
    quiet(sync(lrm), cards=3, items=4)  # found nothing to do: the next may stop early
    return folders


def test_a_sync_with_nothing_changed_reads_and_renders_nothing(lrm, synced, counted):
    before = snapshot(synced)
    for _ in range(2):
        quiet(sync(lrm), cards=3, items=4)
    assert counted == {"read": 0, "card": 0, "item": 0}
    assert snapshot(synced) == before


def test_a_change_in_lrm_renders_only_what_it_touches(lrm, synced, counted):
    assert lrm("edit", "Grace", "--title", "Rear Admiral").exit_code == 0
    report = sync(lrm)
    assert report["contacts"]["vdir"]["updated"] == 1
    # her card only: read to keep its extras, and by the atomic write (unchanged bytes?)
    assert counted == {"read": 2, "card": 1, "item": 0}
    assert lrm("log", "Ada", "--kind", "call", "--when", "2026-11-20").exit_code == 0  # due on
    counted.update(read=0, card=0, item=0)
    report = sync(lrm)
    assert report["calendar"]["vdir"]["updated"] == 1
    assert counted == {"read": 2, "card": 0, "item": 1}


def test_a_touched_file_is_read_once_and_left_as_it_is(lrm, synced, counted):
    card = next(synced["cards"].iterdir())
    item = next(synced["events"].iterdir())
    later = time.time_ns() + 10**9
    for path in (card, item):
        os.utime(path, ns=(later, later))
    before = snapshot(synced)
    quiet(sync(lrm), cards=3, items=4)
    assert counted == {"read": 2, "card": 0, "item": 1}  # the item compared as rendered
    assert snapshot(synced) == before
    counted.update(read=0, card=0, item=0)
    quiet(sync(lrm), cards=3, items=4)
    assert counted == {"read": 0, "card": 0, "item": 0}


@pytest.mark.parametrize(
    ("folder", "old", "new"), [("cards", b"ORG:Navy", b"ORG:Army"), ("events", b"Ada", b"Eva")]
)
def test_an_edit_keeping_the_size_and_the_modification_time_is_still_seen(
    lrm, synced, folder, old, new
):
    [path] = [p for p in synced[folder].iterdir() if old in p.read_bytes()]
    written = path.read_bytes()
    st = path.stat()
    time.sleep(0.05)  # the change time moves on (file times tick every few ms)
    with open(path, "r+b") as fh:  # in place: the inode stays, and the size
        fh.write(written.replace(old, new))
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))  # and the modification time too
    assert (path.stat().st_size, path.stat().st_mtime_ns) == (st.st_size, st.st_mtime_ns)
    report = sync(lrm)
    if folder == "events":  # lrm's own item: written back
        assert report["calendar"]["vdir"]["updated"] == 1
        assert path.read_bytes() == written
    else:  # a card edited on the phone: lrm takes the change
        assert report["contacts"]["lrm"]["updated"] == 1
        assert lrm("show", "Grace", "--json").json()["organization"] == "Army"


def test_rows_from_before_the_fingerprints_are_brought_up_to_date_without_writing(
    lrm, synced, db_path, counted
):
    """A database synced by an lrm that hashed the rendered bytes (no fingerprint of the
    data, no stat signature): one sync compares everything, writes nothing, and records
    them; the next is quiet."""
    with sqlite3.connect(db_path) as conn:
        rows = conn.execute("SELECT rowid, remote_hash FROM sync_item").fetchall()
        for rowid, remote in rows:
            data_hash = remote.split(" ")[0]
            conn.execute(
                "UPDATE sync_item SET local_hash = ?, remote_hash = ? WHERE rowid = ?",
                (data_hash, data_hash, rowid),
            )
    before = snapshot(synced)
    report = sync(lrm)
    assert report["contacts"]["lrm"]["conflicts"] == 0
    assert report["calendar"]["vdir"]["unchanged"] == 4
    assert snapshot(synced) == before
    counted.update(read=0, card=0, item=0)
    quiet(sync(lrm), cards=3, items=4)
    assert counted == {"read": 0, "card": 0, "item": 0}


def test_what_changes_after_a_quiet_sync_is_still_seen(lrm, synced, isolated):
    """A sync that found nothing to do lets the next stop early only while lrm's data and
    the folders' files are as it saw them: a new card, a deleted one, a changed setting
    are all seen."""
    new = synced["cards"] / "phone.vcf"
    new.write_bytes(b"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:phone-1\r\nFN:Alan Turing\r\nEND:VCARD\r\n")
    assert sync(lrm)["contacts"]["lrm"]["created"] == 1
    quiet(sync(lrm), cards=4, items=4)
    new.unlink()
    assert sync(lrm)["contacts"]["lrm"]["archived"] == 1
    quiet(sync(lrm), cards=3, items=4)
    config = isolated / "config.toml"
    config.write_text(config.read_text() + "share_notes = true\n")
    assert sync(lrm)["contacts"]["vdir"]["updated"] == 3
    quiet(sync(lrm), cards=3, items=4)
    (isolated / "config.toml").write_text(config.read_text() + '[calendar]\nalarm_time = "08:00"\n')
    assert sync(lrm)["calendar"]["vdir"]["updated"] == 4
    quiet(sync(lrm), cards=3, items=4)


def test_a_file_left_alone_is_reported_at_every_sync(lrm, synced, isolated):
    secret = isolated / "secret.txt"
    secret.write_text("not a card")
    (synced["cards"] / "link.vcf").symlink_to(secret)
    for _ in range(2):
        report = sync(lrm)
        assert [s["reason"] for s in report["contacts"]["skipped"]] == [vdir.SYMLINK]


def test_contacts_and_calendar_in_one_folder_leave_each_other_alone(
    lrm, isolated, db_path, counted
):
    folder = isolated / "both"
    folder.mkdir()
    (isolated / "config.toml").write_text(
        f'[sync]\ncontacts_vdir = "{folder}"\ncalendar_vdir = "{folder}"\n', encoding="utf-8"
    )
    lrm("add", "Ada Lovelace", "--birthday", "1815-12-10")
    first = sync(lrm)
    assert first["contacts"]["vdir"]["created"] == 1
    assert first["calendar"]["vdir"]["created"] == 1
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    counted.update(read=0, card=0, item=0)
    for _ in range(2):
        report = sync(lrm)
        assert report["contacts"]["lrm"]["unchanged"] == report["contacts"]["vdir"]["unchanged"]
        assert report["contacts"]["vdir"]["unchanged"] == 1 and report["contacts"]["skipped"] == []
        assert report["calendar"]["vdir"]["unchanged"] == 1
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
    assert counted == {"read": 0, "card": 0, "item": 0}  # neither took the other's files
    with sqlite3.connect(db_path) as conn:
        hrefs = sorted(h for (h,) in conn.execute("SELECT href FROM sync_item WHERE href != ''"))
    assert sorted(h.rsplit(".", 1)[1] for h in hrefs) == ["ics", "vcf"]
