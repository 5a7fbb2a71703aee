"""`lrm sync` against vdir folders on disk (the server side is tests/test_sync_dav.py)."""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import run_exe

PHONE_CARD = (
    "BEGIN:VCARD\r\n"
    "VERSION:3.0\r\n"
    "UID:PHONE-1234@example.com\r\n"
    "FN:Grace Hopper\r\n"
    "N:Hopper;Grace;;;\r\n"
    "EMAIL;TYPE=INTERNET:grace@example.org\r\n"
    "PHOTO;ENCODING=b;TYPE=JPEG:/9j/4AAQSkZJRgABAQ==\r\n"
    "X-PHONETIC-FIRST-NAME:Greys\r\n"
    "item1.X-ABRELATEDNAMES:Vincent\r\n"
    "item1.X-ABLabel:_$!<Spouse>!$_\r\n"
    "END:VCARD\r\n"
)


@pytest.fixture
def folders(isolated: Path) -> dict[str, Path]:
    out = {name: isolated / name for name in ("cards", "todos", "events")}
    for path in out.values():
        path.mkdir()
    write_config(isolated, out)
    return out


def write_config(isolated: Path, folders: dict[str, Path], extra: str = "") -> None:
    (isolated / "config.toml").write_text(
        "[sync]\n"
        f'contacts_vdir = "{folders["cards"]}"\n'
        f'calendar_vdir = "{folders["todos"]}"\n'
        f'events_vdir = "{folders["events"]}"\n' + extra,
        encoding="utf-8",
    )


def sync(lrm, *args: str) -> dict:
    result = lrm("sync", "--json", *args)
    assert result.exit_code == 0, result.stderr
    return result.json()


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(folder.iterdir())}


def card_of(folder: Path, uid: str) -> str:
    return (folder / f"{uid}.vcf").read_bytes().decode("utf-8")


def contact(lrm, ref: str) -> dict:
    result = lrm("show", ref, "--json")
    assert result.exit_code == 0, result.stderr
    return result.json()


def add_people(lrm) -> tuple[dict, dict]:
    ada = lrm(
        "add", "Ada Lovelace", "--email", "ada@example.org", "--birthday", "1815-12-10",
        "--tag", "mentors", "--org", "Analytical Engines", "--cadence", "30d", "--json",
    ).json()  # fmt: skip
    babbage = lrm("add", "Charles Babbage", "--phone", "+44 20 7946 0000", "--json").json()
    return ada, babbage


def test_first_sync_writes_every_card_and_item_and_a_second_writes_nothing(lrm, folders):
    ada, babbage = add_people(lrm)
    lrm("remind", "Ada", "send the article", "--on", "2026-12-05")
    first = sync(lrm)
    assert first["contacts"]["vdir"]["created"] == 2
    assert {p.name for p in folders["cards"].iterdir()} == {
        f"{ada['uid']}.vcf",
        f"{babbage['uid']}.vcf",
    }
    assert "FN:Ada Lovelace" in card_of(folders["cards"], ada["uid"])
    # to-dos (reconnect + reminder) in one folder, the yearly birthday in the other
    assert sorted(p.name.split("-")[1] for p in folders["todos"].iterdir()) == [
        "reconnect",
        "reminder",
    ]
    assert [p.name for p in folders["events"].iterdir()] == [f"lrm-birthday-{ada['uid']}.ics"]
    before = {name: snapshot(path) for name, path in folders.items()}
    second = sync(lrm)
    assert second["contacts"]["vdir"]["unchanged"] == 2
    assert second["contacts"]["lrm"]["unchanged"] == 2
    assert all(second["contacts"]["vdir"][k] == 0 for k in ("created", "updated", "deleted"))
    assert second["calendar"]["vdir"] == {"created": 0, "updated": 0, "deleted": 0, "unchanged": 3}
    assert {name: snapshot(path) for name, path in folders.items()} == before


def test_a_card_edited_elsewhere_updates_lrm_and_is_not_rewritten(lrm, folders):
    ada, _ = add_people(lrm)
    sync(lrm)
    path = folders["cards"] / f"{ada['uid']}.vcf"
    text = path.read_bytes().decode("utf-8")
    text = text.replace("ORG:Analytical Engines", "ORG:Difference Engines\\, Ltd")
    text = text.replace("END:VCARD", "TEL;TYPE=CELL:+44 7911 123456\r\nEND:VCARD")
    path.write_text(text, encoding="utf-8", newline="")
    edited = path.read_bytes()
    dry = lrm("sync", "--dry-run")  # the line names the file, whose card it is, and what
    assert dry.exit_code == 0, dry.stderr
    assert f"  {ada['uid']}.vcf: would be updated (Ada Lovelace): " in dry.stdout
    assert "organization: Difference Engines, Ltd" in dry.stdout
    report = sync(lrm)
    assert report["contacts"]["lrm"]["updated"] == 1
    [item] = [i for i in report["contacts"]["items"] if i["action"] == "updated"]
    assert "organization: Difference Engines, Ltd" in item["changes"]
    shown = contact(lrm, "Ada")
    assert shown["organization"] == "Difference Engines, Ltd"
    assert "+447911123456" in shown["phones"]
    assert path.read_bytes() == edited  # lrm took the edit; it did not rewrite the card
    assert sync(lrm)["contacts"]["lrm"]["updated"] == 0


def test_a_phone_card_is_created_in_lrm_and_keeps_its_name_uid_and_unknown_properties(lrm, folders):
    (folders["cards"] / "from-phone.vcf").write_bytes(PHONE_CARD.encode())
    report = sync(lrm)
    assert report["contacts"]["lrm"]["created"] == 1
    grace = contact(lrm, "Grace")
    assert grace["uid"] == "PHONE-1234@example.com"
    assert grace["emails"] == ["grace@example.org"]
    # changed in lrm: the card is rewritten in place, with what lrm does not manage kept
    assert lrm("edit", "Grace", "--title", "Rear Admiral").exit_code == 0
    report = sync(lrm)
    assert report["contacts"]["vdir"]["updated"] == 1
    assert sorted(p.name for p in folders["cards"].iterdir()) == ["from-phone.vcf"]
    text = (folders["cards"] / "from-phone.vcf").read_bytes().decode("utf-8")
    assert "UID:PHONE-1234@example.com\r\n" in text
    assert "TITLE:Rear Admiral\r\n" in text
    assert "PHOTO;ENCODING=b;TYPE=JPEG:/9j/4AAQSkZJRgABAQ==\r\n" in text
    assert "X-PHONETIC-FIRST-NAME:Greys\r\n" in text
    assert "X-ABRELATEDNAMES:Vincent\r\n" in text
    assert text.count("X-ABLabel:_$!<Spouse>!$_") == 1
    assert sync(lrm)["contacts"]["vdir"]["updated"] == 0


def test_both_sides_changed_keeps_lrm_fields_merges_methods_and_notes_the_card(lrm, folders):
    ada, _ = add_people(lrm)
    sync(lrm)
    path = folders["cards"] / f"{ada['uid']}.vcf"
    text = path.read_bytes().decode("utf-8").replace("ORG:Analytical Engines", "ORG:Phone Org")
    text = text.replace("END:VCARD", "EMAIL:ada@phone.example\r\nEND:VCARD")
    path.write_text(text, encoding="utf-8", newline="")
    lrm("edit", "Ada", "--org", "Royal Society")
    report = sync(lrm)
    assert report["contacts"]["lrm"]["conflicts"] == 1
    [conflict] = report["contacts"]["conflicts"]
    assert conflict["contact"] == {"id": ada["id"], "name": "Ada Lovelace"}
    assert "organization: Phone Org" in conflict["card_had"]
    shown = contact(lrm, "Ada")
    assert shown["organization"] == "Royal Society"
    assert sorted(shown["emails"]) == ["ada@example.org", "ada@phone.example"]
    notes = [n["body"] for n in shown["notes"]]
    assert any("Sync conflict" in n and "organization: Phone Org" in n for n in notes)
    written = path.read_bytes().decode("utf-8")
    assert "ORG:Royal Society" in written and "ada@phone.example" in written
    again = sync(lrm)  # settled: no second note, nothing rewritten
    assert again["contacts"]["lrm"]["conflicts"] == 0
    assert len(contact(lrm, "Ada")["notes"]) == len(notes)


def test_a_deleted_card_archives_the_contact_and_keeps_its_history(lrm, folders):
    ada, _ = add_people(lrm)
    lrm("log", "Ada", "--kind", "call", "--when", "2026-11-20", "--summary", "engines")
    sync(lrm)
    (folders["cards"] / f"{ada['uid']}.vcf").unlink()
    report = sync(lrm)
    assert report["contacts"]["lrm"]["archived"] == 1
    shown = contact(lrm, "Ada")
    assert shown["archived"] is True
    assert [i["summary"] for i in shown["interactions"]] == ["engines"]
    # an archived contact whose card was deleted is not sent back
    assert not (folders["cards"] / f"{ada['uid']}.vcf").exists()
    assert sync(lrm)["contacts"]["vdir"]["created"] == 0
    # unarchived, it is sent again
    lrm("unarchive", "Ada")
    assert sync(lrm)["contacts"]["vdir"]["created"] == 1
    assert (folders["cards"] / f"{ada['uid']}.vcf").exists()


def test_forget_deletes_the_card_too(lrm, folders):
    _, babbage = add_people(lrm)
    sync(lrm)
    result = lrm("forget", "Ada", "--yes", "--json")
    assert result.exit_code == 0
    assert result.json()["removed"]["cards"] == 1
    assert sorted(p.name for p in folders["cards"].iterdir()) == [f"{babbage['uid']}.vcf"]
    report = sync(lrm)
    assert report["contacts"]["lrm"]["created"] == 0


def test_a_contact_removed_by_merge_loses_its_card_at_the_next_sync(lrm, folders):
    add_people(lrm)
    other = lrm("add", "A. Lovelace", "--email", "ada@example.org", "--json").json()
    sync(lrm)
    assert lrm("merge", "Ada Lovelace", "A. Lovelace", "--yes").exit_code == 0
    report = sync(lrm)
    assert report["contacts"]["vdir"]["deleted"] == 1
    assert not (folders["cards"] / f"{other['uid']}.vcf").exists()


def _card(uid: str, name: str, *lines: str) -> bytes:
    given, family = name.split()
    body = [f"UID:{uid}", f"FN:{name}", f"N:{family};{given};;;", *lines]
    return "".join(f"{line}\r\n" for line in ["BEGIN:VCARD", "VERSION:3.0", *body, "END:VCARD"]
                   ).encode()  # fmt: skip


def test_a_card_merged_away_here_does_not_come_back_at_the_first_sync(lrm, folders, isolated):
    """The phone's export imported, the two Anns merged, then sync set up with the server
    (the phone's cards): Annie's card is the merged contact's, not a new one. What it
    has that Ann lacks goes to Ann, whose card is rewritten; Annie's card is deleted."""
    ann = _card("AAA-1", "Ann Lee", "EMAIL:ann@example.org")
    annie = _card("BBB-2", "Annie Lee", "TEL:+44 7911 123456")
    (isolated / "phone.vcf").write_bytes(ann + annie)
    assert lrm("import", "vcard", str(isolated / "phone.vcf")).exit_code == 0
    assert lrm("merge", "Ann Lee", "Annie Lee", "--yes").exit_code == 0
    (folders["cards"] / "a.vcf").write_bytes(ann)
    # since the export, the phone gave Annie a work address
    (folders["cards"] / "b.vcf").write_bytes(
        annie[:-11] + b"EMAIL:annie@work.example\r\n" + annie[-11:]
    )
    report = sync(lrm)["contacts"]
    assert [c["name"] for c in lrm("list", "--json").json()] == ["Ann Lee"]
    assert (report["lrm"]["created"], report["vdir"]["deleted"]) == (0, 1)
    assert sorted(p.name for p in folders["cards"].iterdir()) == ["a.vcf"]
    shown = lrm("show", "ann", "--json").json()
    assert shown["emails"] == ["ann@example.org", "annie@work.example"]
    assert shown["phones"] == ["+447911123456"]
    assert b"annie@work.example" in (folders["cards"] / "a.vcf").read_bytes()
    again = sync(lrm)["contacts"]
    assert again["lrm"] == {**again["lrm"], "created": 0, "updated": 0}
    assert again["vdir"]["unchanged"] == 1 and again["vdir"]["deleted"] == 0


def test_two_merged_cards_bringing_one_number_add_it_once(lrm, folders, isolated):
    cards = [
        _card("AAA-1", "Ann Lee", "EMAIL:ann@example.org"),
        _card("BBB-2", "Annie Lee", "EMAIL:annie@example.org"),
        _card("CCC-3", "Anna Lee", "EMAIL:anna@example.org"),
    ]
    (isolated / "phone.vcf").write_bytes(b"".join(cards))
    assert lrm("import", "vcard", str(isolated / "phone.vcf")).exit_code == 0
    for other in ("Annie Lee", "Anna Lee"):
        assert lrm("merge", "Ann Lee", other, "--yes").exit_code == 0
    for name, card in zip("abc", cards, strict=True):  # the phone gave both the same number
        extra = b"TEL:+44 7911 123456\r\n" if name != "a" else b""
        (folders["cards"] / f"{name}.vcf").write_bytes(card[:-11] + extra + card[-11:])
    sync(lrm)
    assert lrm("show", "ann", "--json").json()["phones"] == ["+447911123456"]
    assert sorted(p.name for p in folders["cards"].iterdir()) == ["a.vcf"]


def test_a_merged_card_changed_on_the_phone_before_the_merge_reached_it(lrm, folders):
    """Synced, merged here, and meanwhile the phone added a number to the merged card:
    the number goes to the contact kept, and the card is deleted as before."""
    ada, _ = add_people(lrm)
    other = lrm("add", "A. Lovelace", "--email", "ada@example.org", "--json").json()
    sync(lrm)
    assert lrm("merge", "Ada Lovelace", "A. Lovelace", "--yes").exit_code == 0
    path = folders["cards"] / f"{other['uid']}.vcf"
    data = path.read_bytes()
    path.write_bytes(data.replace(b"END:VCARD", b"TEL:+44 7911 123789\r\nEND:VCARD"))
    report = sync(lrm)["contacts"]
    assert report["vdir"]["deleted"] == 1 and not path.exists()
    assert "+447911123789" in lrm("show", "Ada Lovelace", "--json").json()["phones"]
    # the phone uploads the merged card again, with one more number: it reaches Ada's card
    # in the same pass, and goes
    again = data.replace(b"END:VCARD", b"TEL:+44 7911 123790\r\nEND:VCARD")
    (folders["cards"] / "phone-copy.vcf").write_bytes(again)
    report = sync(lrm)["contacts"]
    assert (report["lrm"]["updated"], report["vdir"]["updated"]) == (1, 1)
    assert not (folders["cards"] / "phone-copy.vcf").exists()
    assert b"TEL:+447911123790" in (folders["cards"] / f"{ada['uid']}.vcf").read_bytes()


def test_bad_card_and_duplicate_uid_are_skipped_and_reported_and_the_rest_syncs(lrm, folders):
    (folders["cards"] / "broken.vcf").write_bytes(b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Broken\r\n")
    (folders["cards"] / "a.vcf").write_bytes(PHONE_CARD.encode())
    (folders["cards"] / "b.vcf").write_bytes(PHONE_CARD.replace("Grace", "Grayce").encode())
    lrm("add", "Ada Lovelace")
    result = lrm("sync", "--json")
    assert result.exit_code == 0
    report = result.json()
    skipped = {Path(s["file"]).name: s["reason"] for s in report["contacts"]["skipped"]}
    assert set(skipped) == {"broken.vcf", "b.vcf"}
    assert "BEGIN:VCARD without END:VCARD" in skipped["broken.vcf"]
    assert "a.vcf" in skipped["b.vcf"]
    assert report["contacts"]["lrm"]["created"] == 1  # Grace, once
    assert report["contacts"]["vdir"]["created"] == 1  # Ada
    names = [c["name"] for c in lrm("list", "--json").json()]
    assert sorted(names) == ["Ada Lovelace", "Grace Hopper"]
    assert (folders["cards"] / "broken.vcf").read_bytes().startswith(b"BEGIN:VCARD")
    plain = lrm("sync")
    assert "skipped" in plain.stderr and "broken.vcf" in plain.stderr


def test_dry_run_reports_and_writes_nothing(lrm, folders, db_path):
    add_people(lrm)
    (folders["cards"] / "a.vcf").write_bytes(PHONE_CARD.encode())
    report = sync(lrm, "--dry-run")
    assert report["dry_run"] is True
    assert report["contacts"]["vdir"]["created"] == 2
    assert report["contacts"]["lrm"]["created"] == 1
    assert report["calendar"]["vdir"]["created"] == 2
    assert sorted(p.name for p in folders["cards"].iterdir()) == ["a.vcf"]
    assert not list(folders["todos"].iterdir()) and not list(folders["events"].iterdir())
    assert len(lrm("list", "--json").json()) == 2
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("SELECT count(*) FROM sync_item").fetchone()[0] == 0


def test_calendar_items_follow_lrm_and_foreign_files_are_left_alone(lrm, folders):
    add_people(lrm)
    lrm("remind", "Ada", "send the article", "--on", "2026-12-05")
    foreign = folders["todos"] / "someone-elses.ics"
    foreign.write_bytes(b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n")
    sync(lrm)
    reminders = lrm("reminders", "--json").json()
    lrm("done", str(reminders[0]["id"]))
    lrm("cadence", "Ada", "--clear")
    report = sync(lrm)
    assert report["calendar"]["vdir"]["deleted"] == 2
    assert [p.name for p in folders["todos"].iterdir()] == ["someone-elses.ics"]
    assert len(list(folders["events"].iterdir())) == 1  # the birthday stays


def test_missing_or_unwritable_folder_is_a_clear_error_and_nothing_is_written(
    lrm, folders, isolated
):
    add_people(lrm)
    write_config(isolated, {**folders, "cards": isolated / "nope"})
    result = lrm("sync")
    assert result.exit_code == 5
    assert "nope does not exist" in result.stderr
    assert "Traceback" not in result.stderr
    assert not list(folders["todos"].iterdir())
    if os.geteuid() != 0:  # root writes anywhere
        folders["cards"].chmod(0o500)
        write_config(isolated, folders)
        try:
            result = lrm("sync")
        finally:
            folders["cards"].chmod(0o700)
        assert result.exit_code == 5
        assert "is not writable" in result.stderr


def test_sync_needs_a_folder_in_the_config(lrm, isolated):
    (isolated / "config.toml").write_text("[sync]\ncommand = 'true'\n")
    result = lrm("sync")
    assert result.exit_code == 7
    assert "contacts_vdir" in result.stderr
    (isolated / "config.toml").write_text("[sync]\ncontacts_vdir = 3\n")
    assert lrm("sync").exit_code == 7


def test_the_command_runs_between_the_passes_and_what_it_brings_is_read(lrm, folders, isolated):
    """The command plays vdirsyncer: it pulls a card into the folder."""
    add_people(lrm)
    script = isolated / "pull.py"
    target = folders["cards"] / "pulled.vcf"
    script.write_text(
        f"from pathlib import Path\nPath({str(target)!r}).write_bytes({PHONE_CARD.encode()!r})\n"
        "print('pulled one card')\n"
    )
    write_config(isolated, folders, f"command = [{sys.executable!r}, {str(script)!r}]\n")
    report = sync(lrm)
    assert report["command"]["exit_code"] == 0
    assert "pulled one card" in report["command"]["output"]
    assert report["contacts"]["lrm"]["created"] == 1
    assert contact(lrm, "Grace")["uid"] == "PHONE-1234@example.com"
    assert sync(lrm, "--no-command")["command"] is None


def test_a_failing_command_is_reported_with_its_output_and_exit_code_11(lrm, folders, isolated):
    add_people(lrm)
    script = isolated / "fail.py"
    script.write_text(
        f"from pathlib import Path\nPath({str(folders['cards'] / 'late.vcf')!r})"
        f".write_bytes({PHONE_CARD.encode()!r})\n"
        "import sys; print('server said no', file=sys.stderr); sys.exit(3)\n"
    )
    write_config(isolated, folders, f"command = [{sys.executable!r}, {str(script)!r}]\n")
    result = lrm("sync", "--json")
    assert result.exit_code == 11
    report = result.json()
    assert report["command"]["exit_code"] == 3
    assert "server said no" in report["command"]["output"]
    assert "exited with status 3" in result.stderr
    # nothing the failed command left behind was read into lrm
    assert [c["name"] for c in lrm("list", "--json").json()] == ["Ada Lovelace", "Charles Babbage"]
    plain = lrm("sync")
    assert plain.exit_code == 11 and "| server said no" in plain.stdout


def test_a_hanging_command_times_out(lrm, folders, isolated):
    write_config(
        isolated,
        folders,
        f"command = [{sys.executable!r}, '-c', 'import time; time.sleep(30)']\n"
        "command_timeout = 0.5\n",
    )
    lrm("add", "Ada Lovelace")
    result = lrm("sync", "--json")
    assert result.exit_code == 11
    assert result.json()["command"]["timed_out"] is True
    assert "timed out after 0.5 s" in result.stderr
    assert len(list(folders["cards"].iterdir())) == 1  # lrm's own pass was done


KILLER = """
import os, signal, sys
from lrm_cli.formats import vdir
from lrm_cli.store import sync as store
calls = {"n": 0}
at, where = int(sys.argv[1]), sys.argv[2]
def counting(real):
    def wrapper(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == at:
            os.kill(os.getpid(), signal.SIGKILL)
        return real(*args, **kwargs)
    return wrapper
if where == "write":
    vdir.write_atomic = counting(vdir.write_atomic)
else:
    store.put = counting(store.put)
sys.argv = ["lrm", "sync"]
from lrm_cli.cli.entry import main
main()
"""


@pytest.mark.parametrize(("at", "where"), [(1, "write"), (3, "write"), (6, "write"), (1, "put")])
def test_a_sync_killed_midway_is_finished_by_the_next_without_duplicates(
    lrm, folders, isolated, lrm_exe, at, where
):
    for i in range(5):
        lrm("add", f"Person {i}", "--email", f"p{i}@example.org", "--cadence", "30d")
    sync(lrm)
    for i in range(5):  # changes on both sides before the killed sync
        lrm("edit", f"Person {i}", "--title", f"Title {i}")
    (folders["cards"] / "new.vcf").write_bytes(PHONE_CARD.encode())
    lrm("add", "Late Comer")
    killed = subprocess.run(
        [sys.executable, "-c", KILLER, str(at), where],
        capture_output=True,
        text=True,
        env=os.environ,
        timeout=60,
    )
    assert killed.returncode == -9, killed.stderr
    result = run_exe(lrm_exe, "sync", "--json")
    assert result.returncode == 0, result.stderr
    contacts = lrm("list", "--json").json()
    names = sorted(c["name"] for c in contacts)
    assert names == sorted(["Grace Hopper", "Late Comer", *(f"Person {i}" for i in range(5))])
    cards = sorted(folders["cards"].iterdir())
    uids = sorted(c["uid"] for c in contacts)
    assert len(cards) == len(contacts)
    on_disk = sorted(
        next(line[4:] for line in p.read_text().splitlines() if line.startswith("UID:"))
        for p in cards
    )
    assert on_disk == uids
    for i in range(5):
        assert (
            f"TITLE:Title {i}"
            in (folders["cards"] / f"{contacts_uid(contacts, i)}.vcf").read_text()
        )
    assert not any("Sync conflict" in n["body"] for n in contact(lrm, "Person 0")["notes"])
    settled = json.loads(run_exe(lrm_exe, "sync", "--json").stdout)
    assert all(settled["contacts"]["vdir"][k] == 0 for k in ("created", "updated", "deleted"))
    assert all(settled["contacts"]["lrm"][k] == 0 for k in ("created", "updated", "archived"))
    assert settled["calendar"]["vdir"]["created"] == settled["calendar"]["vdir"]["updated"] == 0


def contacts_uid(contacts: list[dict], i: int) -> str:
    return next(c["uid"] for c in contacts if c["name"] == f"Person {i}")


def test_split_name_reads_family_name_first_with_a_comma():
    from lrm_cli.normalize import split_name

    assert split_name("Lovelace, Ada") == ("Ada", "Lovelace")
    assert split_name("Ada Lovelace") == ("Ada", "Lovelace")
    assert split_name("Smith, John, Jr") == ("Smith, John,", "Jr")


def test_a_card_the_command_replaced_right_after_lrm_wrote_it_is_a_conflict(lrm, folders, isolated):
    """vdirsyncer with conflict_resolution = "b wins" puts the server's version over the
    card lrm has just written: lrm's change must not be overwritten by it."""
    ada, _ = add_people(lrm)
    sync(lrm)
    path = folders["cards"] / f"{ada['uid']}.vcf"
    server_version = path.read_bytes().replace(b"ORG:Analytical Engines", b"ORG:Server Org")
    script = isolated / "server_wins.py"
    script.write_text(
        f"from pathlib import Path\np = Path({str(path)!r})\n"
        f"if b'Royal Society' in p.read_bytes():\n    p.write_bytes({server_version!r})\n"
    )
    write_config(isolated, folders, f"command = [{sys.executable!r}, {str(script)!r}]\n")
    lrm("edit", "Ada", "--org", "Royal Society")
    report = sync(lrm)
    assert report["contacts"]["lrm"]["conflicts"] == 1
    shown = contact(lrm, "Ada")
    assert shown["organization"] == "Royal Society"
    assert any("organization: Server Org" in n["body"] for n in shown["notes"])
    assert b"ORG:Royal Society" in path.read_bytes()  # goes up with the next command run


def test_a_folder_that_lost_every_card_is_refused_unless_allowed(lrm, folders):
    add_people(lrm)
    sync(lrm)
    for card in folders["cards"].iterdir():
        card.unlink()
    result = lrm("sync")
    assert result.exit_code == 5
    assert "lost all 2 cards" in result.stderr and "--allow-empty" in result.stderr
    assert not any(c["archived"] for c in lrm("list", "--all", "--json").json())
    report = sync(lrm, "--allow-empty")
    assert report["contacts"]["lrm"]["archived"] == 2


def test_a_card_changed_by_another_program_as_lrm_writes_is_taken_in(lrm, folders, monkeypatch):
    # lrm writes a sync's files several at a time (vdir.Writer); the state it records
    # for each is the file as lrm wrote it, so an edit that lands while the others are
    # still being written is read by the next sync, not mistaken for lrm's own card
    from lrm_cli.formats import vdir

    ada, _ = add_people(lrm)
    real = vdir.Writer.__exit__
    card = folders["cards"] / f"{ada['uid']}.vcf"

    def edited_meanwhile(self, *exc_info):  # once every file is written
        real(self, *exc_info)
        if card.exists():
            text = card.read_text(encoding="utf-8")
            card.write_text(text.replace("FN:Ada Lovelace", "FN:Ada King"), encoding="utf-8")

    monkeypatch.setattr(vdir.Writer, "__exit__", edited_meanwhile)
    sync(lrm)
    monkeypatch.setattr(vdir.Writer, "__exit__", real)
    second = sync(lrm)
    assert second["contacts"]["lrm"]["updated"] == 1
    assert contact(lrm, str(ada["id"]))["name"] == "Ada King"


def test_a_card_from_another_machine_comes_with_its_aliases_as_an_import_would(
    lrm, folders, isolated, tmp_path
):
    """Sync and import make a contact of a card by the one rule (vcard_io.create_contact):
    a card another lrm wrote (share_notes) brings its merged names along either way."""
    card = (
        "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:other-machine-1\r\nN:Lovelace;Ada;;;\r\n"
        "FN:Ada Lovelace\r\nEMAIL:ada@example.org\r\nX-LRM-ALIAS:Ada King\r\n"
        "BDAY:1815-12-10\r\nNOTE:met at the Analytical Society\r\nEND:VCARD\r\n"
    )
    write_config(isolated, folders, "share_notes = true\n")
    (folders["cards"] / "other-machine-1.vcf").write_bytes(card.encode())
    assert sync(lrm)["contacts"]["lrm"]["created"] == 1
    synced = contact(lrm, "Ada")
    (tmp_path / "ada.vcf").write_bytes(card.encode())
    assert lrm("forget", "Ada", "--yes").exit_code == 0
    assert lrm("import", "vcard", str(tmp_path / "ada.vcf")).exit_code == 0
    imported = contact(lrm, "Ada")
    assert synced["aliases"] == imported["aliases"] == ["Ada King"]
    parts = ("emails", "birthday", "important_dates")
    assert [synced[p] for p in parts] == [imported[p] for p in parts]
    assert [n["body"] for n in synced["notes"]] == [n["body"] for n in imported["notes"]]


ANA_FROM_THE_PHONE = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nUID:PHONE-ANA\r\nN:Lima;Ana;;;\r\nFN:Ana Lima\r\n"
    "item1.X-ABRELATEDNAMES:Rui Lima\r\nitem1.X-ABLabel:_$!<Son>!$_\r\n"
    "item2.X-ABRELATEDNAMES:Maria Souza\r\nitem2.X-ABLabel:Godmother\r\nEND:VCARD\r\n"
)


def relationships(lrm, ref: str) -> list[tuple[str, str | None, str]]:
    return [
        (r["kind"], r["label"], r["contact"]["name"]) for r in contact(lrm, ref)["relationships"]
    ]


def test_a_phone_cards_related_names_link_as_an_import_links_them(lrm, folders, tmp_path):
    """Sync records the relationships a phone's card names by import's rule
    (vcard_io.link_relations), and writes the other side's card in the same pass."""
    assert lrm("add", "Rui Lima").exit_code == 0
    sync(lrm)
    (folders["cards"] / "ana.vcf").write_bytes(ANA_FROM_THE_PHONE.encode())
    counts = sync(lrm)["contacts"]
    assert (counts["lrm"]["created"], counts["lrm"]["unchanged"]) == (1, 0)
    # Rui's card is written now, counted once
    assert (counts["vdir"]["updated"], counts["vdir"]["unchanged"]) == (1, 0)
    synced = relationships(lrm, "Ana")
    assert synced == [("child", "son", "Rui Lima")]  # Maria is no contact: the line stays
    assert relationships(lrm, "Rui") == [("parent", None, "Ana Lima")]
    rui = next(p for p in folders["cards"].iterdir() if p.name != "ana.vcf")
    assert re.search(
        r"\nitem\d+\.X-ABRELATEDNAMES[;=\w-]*:Ana Lima\n", rui.read_text(encoding="utf-8")
    )
    again = sync(lrm)
    assert again["contacts"]["vdir"] == again["contacts"]["vdir"] | {"created": 0, "updated": 0}
    assert again["contacts"]["lrm"]["updated"] == 0
    # a related name the phone adds later links too
    assert lrm("add", "Zé Costa").exit_code == 0
    edited = ANA_FROM_THE_PHONE.replace(
        "END:VCARD",
        "item3.X-ABRELATEDNAMES:Zé Costa\r\nitem3.X-ABLabel:_$!<Friend>!$_\r\nEND:VCARD",
    )
    (folders["cards"] / "ana.vcf").write_bytes(edited.encode())
    sync(lrm)
    synced = relationships(lrm, "Ana")
    assert ("friend", None, "Zé Costa") in synced
    # the same card imported into the same people gives the same relationships
    assert lrm("forget", "Ana", "--yes").exit_code == 0
    (tmp_path / "ana.vcf").write_bytes(edited.encode())
    assert lrm("import", "vcard", str(tmp_path / "ana.vcf")).exit_code == 0
    assert relationships(lrm, "Ana") == synced
