"""`lrm sync` end to end: a real Radicale server, real vdirsyncer as lrm's [sync] command,
and the cards and calendar items read back over HTTP (the harness is tests/dav.py).

vdirsyncer's pairs have the server as side a and the folders as side b, with
``conflict_resolution = "a wins"``: the server wins, as the README's "b wins" (where b is the
server) does. Each ``lrm sync`` runs vdirsyncer once (about a second)."""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import icalendar
import pytest
import vobject
from dav import (
    Radicale,
    Vdirsyncer,
    radicale_fixture,  # noqa: F401  (the radicale fixture)
    vdirsyncer_env,
    vdirsyncer_executable,
)

from lrm_cli.formats import vcard as lrm_vcard

COLLECTIONS = {"contacts": "cards", "todos": "todos", "events": "events"}
LONG_NOTE = "Встретились на конференции по вычислительным машинам в Лондоне, говорили о Бэббидже"


@dataclass
class Loop:
    radicale: Radicale
    vdirsyncer: Vdirsyncer
    folders: dict[str, Path]

    def items(self, collection: str) -> dict[str, str]:
        return self.radicale.list_items(collection)

    def snapshot(self) -> dict[str, dict[str, str]]:
        return {name: self.items(name) for name in COLLECTIONS}

    def cards(self) -> dict[str, tuple[str, bytes, str]]:
        """``{uid: (href, body, etag)}`` of the cards on the server."""
        out = {}
        for href in self.items("contacts"):
            body, etag = self.radicale.get(href)
            out[parse_card(body).uid] = (href, body, etag)
        return out


@pytest.fixture
def loop(radicale: Radicale, isolated: Path, monkeypatch: pytest.MonkeyPatch) -> Loop:
    """Radicale with three collections, vdirsyncer configured (and discovered) for them,
    and lrm's [sync] pointing at the three folders with ``vdirsyncer sync`` as its command.
    The test process gets vdirsyncer's environment, which lrm's command inherits."""
    folders = {name: isolated / folder for name, folder in COLLECTIONS.items()}
    dav = vdirsyncer_env(
        isolated,
        radicale,
        contacts={"contacts": folders["contacts"]},
        calendars={"todos": folders["todos"], "events": folders["events"]},
        conflict_resolution="a wins",
    )
    dav.discover()
    for key in [k for k in os.environ if k.lower().endswith("_proxy")]:
        monkeypatch.delenv(key)
    for key in ("VDIRSYNCER_CONFIG", "HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"):
        monkeypatch.setenv(key, dav.env[key])
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    command = [str(vdirsyncer_executable()), "sync"]
    (isolated / "config.toml").write_text(
        "[sync]\n"
        f"contacts_vdir = {json.dumps(str(folders['contacts']))}\n"
        f"calendar_vdir = {json.dumps(str(folders['todos']))}\n"
        f"events_vdir = {json.dumps(str(folders['events']))}\n"
        f"command = {json.dumps(command)}\n"
        "command_timeout = 60\n",
        encoding="utf-8",
    )
    return Loop(radicale, dav, folders)


# --- helpers ---------------------------------------------------------------------------------


def sync(lrm) -> dict:
    result = lrm("sync", "--json")
    assert result.exit_code == 0, result.stdout + result.stderr
    report = result.json()
    assert report["command"]["exit_code"] == 0, report["command"]["output"]
    return report


def contact(lrm, ref: str) -> dict:
    result = lrm("show", ref, "--json")
    assert result.exit_code == 0, result.stderr
    return result.json()


def parse_card(body: bytes) -> lrm_vcard.Card:
    result = lrm_vcard.read(body, "server")
    assert not result.errors and len(result.cards) == 1, result.errors
    return result.cards[0]


def notes_of(body: bytes) -> list[str]:
    card = vobject.readOne(body.decode("utf-8"))
    return sorted(line.value for line in card.contents.get("note", []))


def edit_card(text: str, replace: dict[str, str | None], add: list[str]) -> str:
    """``text`` with each ``NAME`` line (unfolded first) replaced or dropped, and ``add``
    lines put before END:VCARD."""
    lines = re.sub(r"\r?\n[ \t]", "", text).splitlines()
    out = []
    for line in lines:
        name = re.split(r"[;:]", line, maxsplit=1)[0].upper()
        if name in replace:
            if replace[name] is not None:
                out.append(replace[name])
            continue
        if line == "END:VCARD":
            out += add
        out.append(line)
    return "\r\n".join(out) + "\r\n"


def assert_quiet(lrm, loop: Loop) -> dict:
    """A sync with nothing changed anywhere: lrm changes nothing, vdirsyncer uploads
    nothing (no PUT or DELETE in Radicale's log) and every ETag stays."""
    before = loop.snapshot()
    mark = loop.radicale.log_mark()
    report = sync(lrm)
    assert loop.radicale.requests(mark, agent="vdirsyncer"), "vdirsyncer did not run"
    assert loop.radicale.writes(mark) == []
    assert loop.snapshot() == before
    contacts = report["contacts"]
    for side in ("lrm", "vdir"):
        changed = {k: v for k, v in contacts[side].items() if k != "unchanged" and v}
        assert changed == {}, (side, contacts["items"])
    assert contacts["conflicts"] == [] and contacts["skipped"] == []
    calendar = report["calendar"]["vdir"]
    assert calendar["created"] == calendar["updated"] == calendar["deleted"] == 0
    return report


# --- 1. the whole loop -----------------------------------------------------------------------


def add_people(lrm) -> dict[str, dict]:
    smith = lrm(
        "add", "Smith, John", "--org", "Acme; Widgets, Inc", "--email", "john@example.org",
        "--birthday", "1980-03-04", "--cadence", "30d", "--json",
    ).json()  # fmt: skip
    assert lrm("note", str(smith["id"]), "a;b,c\\d").exit_code == 0
    assert lrm("note", str(smith["id"]), LONG_NOTE).exit_code == 0
    ada = lrm(
        "add", "Ада Лавлейс", "--org", "Аналитические машины", "--email", "ada@example.org",
        "--json",
    ).json()  # fmt: skip
    reminder = ("remind", str(ada["id"]), "Послать статью, срочно; сегодня", "--on", "2026-12-05")
    assert lrm(*reminder).exit_code == 0
    wang = lrm(
        "add", "王小明", "--nickname", "小明", "--phone", "+86 10 1234 5678", "--json"
    ).json()
    logged = ("log", str(wang["id"]), "--kind", "call", "--when", "2026-11-20", "--summary", "茶")
    assert lrm(*logged).exit_code == 0
    return {"smith": smith, "ada": ada, "wang": wang}


def share_notes(isolated: Path) -> None:
    """``[sync] share_notes = true``: notes and lrm's X-LRM-* properties go to the server."""
    config = isolated / "config.toml"
    config.write_text(config.read_text(encoding="utf-8") + "share_notes = true\n")


def test_the_whole_loop_through_radicale_and_vdirsyncer(lrm, loop, isolated):
    share_notes(isolated)
    people = add_people(lrm)
    uids = {p["uid"] for p in people.values()}

    # a. lrm writes the folder, vdirsyncer uploads it: one card per contact, text intact
    report = sync(lrm)
    assert report["contacts"]["vdir"]["created"] == 3
    cards = loop.cards()
    assert set(cards) == uids and len(loop.items("contacts")) == 3
    for person in people.values():
        href, body, _ = cards[person["uid"]]
        assert href == f"/alice/contacts/{person['uid']}.vcf"
        shown = contact(lrm, str(person["id"]))
        card = parse_card(body)
        assert card.name == shown["name"]
        assert (card.given_name, card.family_name) == (shown["given_name"], shown["family_name"])
        assert card.organization == shown["organization"]
        assert card.nickname == shown["nickname"]
        assert sorted(n.body for n in card.notes) == sorted(n["body"] for n in shown["notes"])
        assert notes_of(body) == sorted(n["body"] for n in shown["notes"])
    smith = vobject.readOne(cards[people["smith"]["uid"]][1].decode("utf-8"))
    assert smith.fn.value == "Smith, John"
    assert smith.org.value == ["Acme; Widgets, Inc"]
    assert smith.n.value.family == "Smith" and smith.n.value.given == "John"
    assert notes_of(cards[people["smith"]["uid"]][1]) == sorted(["a;b,c\\d", LONG_NOTE])
    ada = vobject.readOne(cards[people["ada"]["uid"]][1].decode("utf-8"))
    assert ada.fn.value == "Ада Лавлейс" and ada.org.value == ["Аналитические машины"]
    wang = vobject.readOne(cards[people["wang"]["uid"]][1].decode("utf-8"))
    assert wang.fn.value == "王小明" and wang.nickname.value == "小明"
    assert_quiet(lrm, loop)

    # b. a phone edits Smith's card on the server; lrm takes the edit in
    href, body, etag = cards[people["smith"]["uid"]]
    edited = edit_card(
        body.decode("utf-8"),
        {"ORG": "ORG:Acme\\; Gadgets\\, Ltd"},
        ["TITLE:Chief Widget Officer\\, EMEA", "TEL;TYPE=CELL:+44 7911 123456"],
    )
    loop.radicale.put(href, edited, etag)
    report = sync(lrm)
    assert report["contacts"]["lrm"]["updated"] == 1
    [item] = [i for i in report["contacts"]["items"] if i["action"] == "updated"]
    assert item["side"] == "lrm" and item["uid"] == people["smith"]["uid"]
    assert item["name"] == "Smith, John"  # whom the report's line names
    assert sorted(item["changes"]) == [  # nothing else: the refolded notes read the same
        "added phone +447911123456",
        "organization: Acme; Gadgets, Ltd",
        "title: Chief Widget Officer, EMEA",
    ]
    shown = contact(lrm, str(people["smith"]["id"]))
    assert shown["organization"] == "Acme; Gadgets, Ltd"
    assert shown["title"] == "Chief Widget Officer, EMEA"
    assert "+447911123456" in shown["phones"]
    assert shown["emails"] == ["john@example.org"]
    assert sorted(n["body"] for n in shown["notes"]) == sorted(["a;b,c\\d", LONG_NOTE])
    assert_quiet(lrm, loop)  # the re-downloaded card is neither a change nor a conflict

    # c. the phone deletes 王小明's card: the contact is archived, its history kept
    href, _, etag = loop.cards()[people["wang"]["uid"]]
    loop.radicale.delete(href, etag)
    result = lrm("sync")
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "1 archived" in result.stdout
    assert f"{people['wang']['uid']}.vcf: archived (王小明)" in result.stdout
    shown = contact(lrm, str(people["wang"]["id"]))
    assert shown["archived"] is True
    assert [i["summary"] for i in shown["interactions"]] == ["茶"]

    # d. nothing changed: nothing is uploaded, and the archived contact is not sent back
    assert_quiet(lrm, loop)
    assert set(loop.cards()) == {people["smith"]["uid"], people["ada"]["uid"]}


# --- 1e. the calendar, read back from the server -----------------------------------------------


def _tool(name: str) -> str:
    exe = Path(sys.executable).with_name(name)
    if not exe.exists():
        pytest.skip(f"{name} is not installed in this venv (pip install -e '.[test]')")
    return str(exe)


def download(loop: Loop, collection: str, folder: Path) -> dict[str, icalendar.Calendar]:
    """The server's items of ``collection`` into ``folder`` (a vdir), parsed."""
    folder.mkdir()
    out = {}
    for href in loop.items(collection):
        body, _ = loop.radicale.get(href)
        name = href.rsplit("/", 1)[1]
        (folder / name).write_bytes(body)
        out[name] = icalendar.Calendar.from_ical(body)
    return out


def component(cal: icalendar.Calendar):
    [comp] = [c for c in cal.subcomponents if c.name in ("VEVENT", "VTODO")]
    return comp


def test_the_calendar_reaches_the_server_and_todoman_and_khal_read_it(lrm, loop, tmp_path):
    ada = lrm(
        "add", "Ада Лавлейс", "--birthday", "1815-12-10", "--cadence", "30d", "--json"
    ).json()  # fmt: skip
    remind = ("remind", str(ada["id"]), "Послать статью, срочно; сегодня", "--on", "2026-12-05")
    assert lrm(*remind).exit_code == 0
    report = sync(lrm)
    assert report["calendar"]["vdir"]["created"] == 3
    events = download(loop, "events", tmp_path / "server-events")
    todos = download(loop, "todos", tmp_path / "server-todos")
    assert set(events) == {p.name for p in loop.folders["events"].iterdir()}
    assert set(todos) == {p.name for p in loop.folders["todos"].iterdir()}
    [birthday] = [component(c) for c in events.values()]
    assert birthday.name == "VEVENT"
    assert str(birthday["SUMMARY"]) == "Ада Лавлейс's birthday"
    assert birthday["RRULE"]["FREQ"] == ["YEARLY"]
    assert birthday["DTSTART"].params.get("VALUE") == "DATE"
    by_summary = {str(component(c)["SUMMARY"]): component(c) for c in todos.values()}
    assert set(by_summary) == {"Reach out to Ада Лавлейс", "Послать статью, срочно; сегодня"}
    for todo in by_summary.values():
        assert todo.name == "VTODO"
        [alarm] = [c for c in todo.subcomponents if c.name == "VALARM"]
        assert str(alarm["ACTION"]) == "DISPLAY"

    config = tmp_path / "todoman.py"
    config.write_text(
        f"path = {str(tmp_path / 'server-todos')!r}\n"
        'date_format = "%Y-%m-%d"\n'
        'time_format = "%H:%M"\n'
        f"cache_path = {str(tmp_path / 'todoman.sqlite3')!r}\n"
    )
    proc = subprocess.run(
        [_tool("todo"), "--porcelain", "--config", str(config), "list"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert {t["summary"] for t in json.loads(proc.stdout)} == set(by_summary)

    config = tmp_path / "khal.conf"
    config.write_text(
        f"[calendars]\n[[lrm]]\npath = {tmp_path / 'server-events'}\n"
        "[locale]\ntimeformat = %H:%M\ndateformat = %Y-%m-%d\nlongdateformat = %Y-%m-%d\n"
        "datetimeformat = %Y-%m-%d %H:%M\nlongdatetimeformat = %Y-%m-%d %H:%M\n"
        f"[sqlite]\npath = {tmp_path / 'khal.db'}\n"
    )
    listing = ("list", "--format", "{start-date} {title}", "2026-12-01", "2026-12-31")
    proc = subprocess.run(
        [_tool("khal"), "-c", str(config), *listing],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    lines = [line for line in proc.stdout.splitlines() if line[:1].isdigit()]
    assert lines == ["2026-12-10 Ада Лавлейс's birthday"]

    # one way: what no longer applies leaves the server too
    assert lrm("cadence", str(ada["id"]), "--clear").exit_code == 0
    mark = loop.radicale.log_mark()
    report = sync(lrm)
    assert report["calendar"]["vdir"]["deleted"] == 1
    writes = sorted((r.method, r.path.split("/")[2]) for r in loop.radicale.writes(mark))
    assert writes == [("DELETE", "todos")]  # the cadence is not on the card (share_notes)
    remaining = [component(c)["SUMMARY"] for c in download(loop, "todos", tmp_path / "t2").values()]
    assert remaining == ["Послать статью, срочно; сегодня"]


# --- 2. a conflict through the server ----------------------------------------------------------


def test_a_conflict_through_the_server_keeps_lrm_values_and_loses_nothing(lrm, loop, isolated):
    share_notes(isolated)
    ada = lrm(
        "add", "Ada Lovelace", "--org", "Analytical Engines", "--email", "ada@example.org",
        "--json",
    ).json()  # fmt: skip
    sync(lrm)
    [(href, body, etag)] = loop.cards().values()
    # between two syncs: the phone changes the organisation and adds a number...
    edited = edit_card(
        body.decode("utf-8"), {"ORG": "ORG:Phone Org\\, Ltd"}, ["TEL;TYPE=CELL:+44 7911 123789"]
    )
    loop.radicale.put(href, edited, etag)
    # ...and lrm changes the organisation too
    assert lrm("edit", str(ada["id"]), "--org", "Royal Society").exit_code == 0
    report = sync(lrm)
    contacts = report["contacts"]
    assert contacts["lrm"]["conflicts"] == 1
    [conflict] = contacts["conflicts"]
    assert conflict["contact"] == {"id": ada["id"], "name": "Ada Lovelace"}
    assert conflict["kept"] == "lrm"
    assert "organization: Phone Org, Ltd" in conflict["card_had"]
    assert "added phone +447911123789" in conflict["card_had"]
    shown = contact(lrm, str(ada["id"]))
    assert shown["organization"] == "Royal Society"
    assert sorted(shown["phones"]) == ["+447911123789"]
    assert shown["emails"] == ["ada@example.org"]
    [note] = [n["body"] for n in shown["notes"]]
    assert "Sync conflict" in note and "organization: Phone Org, Ltd" in note

    # the next sync carries lrm's resolution up: lrm's values, the phone's number, the note
    mark = loop.radicale.log_mark()
    again = sync(lrm)
    assert again["contacts"]["conflicts"] == []
    assert [(r.method, r.path) for r in loop.radicale.writes(mark)] == [("PUT", href)]
    [(href_after, body, _)] = loop.cards().values()
    assert href_after == href
    card = parse_card(body)
    assert card.organization == "Royal Society"
    assert sorted(m.value for m in card.methods) == ["+447911123789", "ada@example.org"]
    assert [n.body for n in card.notes] == [note]
    assert len(contact(lrm, str(ada["id"]))["notes"]) == 1
    assert_quiet(lrm, loop)


# --- 3. a card made on the phone ---------------------------------------------------------------

PHONE_UID = "7F3A-phone+1@icloud.example.com"
PHOTO = "PHOTO;ENCODING=b;TYPE=JPEG:/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAgGBgcGBQgHBwcJCQgKDBQNDA=="
PHONE_CARD = (
    "BEGIN:VCARD\r\n"
    "VERSION:3.0\r\n"
    "PRODID:-//Apple Inc.//iPhone OS 18.0//EN\r\n"
    f"UID:{PHONE_UID}\r\n"
    "N:Hopper;Grace;;;\r\n"
    "FN:Grace Hopper\r\n"
    "EMAIL;TYPE=INTERNET:grace@example.org\r\n"
    f"{PHOTO}\r\n"
    "X-PHONETIC-FIRST-NAME:Greys\r\n"
    "END:VCARD\r\n"
)


def test_a_card_made_on_the_phone_comes_in_and_goes_back_to_the_same_href(lrm, loop):
    href = "/alice/contacts/phone-made-card.vcf"
    loop.radicale.put(href, PHONE_CARD)
    report = sync(lrm)
    assert report["contacts"]["lrm"]["created"] == 1
    [grace] = lrm("list", "--json").json()
    shown = contact(lrm, str(grace["id"]))
    assert shown["uid"] == PHONE_UID
    assert shown["name"] == "Grace Hopper"
    assert shown["emails"] == ["grace@example.org"]
    # a UID with "@" gets a random file name from vdirsyncer; the status maps it to href
    [local] = loop.folders["contacts"].iterdir()
    assert local.name != "phone-made-card.vcf"
    assert_quiet(lrm, loop)  # coming in did not send anything back

    assert lrm("edit", str(grace["id"]), "--title", "Rear Admiral").exit_code == 0
    mark = loop.radicale.log_mark()
    report = sync(lrm)
    assert report["contacts"]["vdir"]["updated"] == 1
    assert [(r.method, r.path) for r in loop.radicale.writes(mark)] == [("PUT", href)]
    assert list(loop.items("contacts")) == [href]
    body, _ = loop.radicale.get(href)
    card = vobject.readOne(body.decode("utf-8"))
    assert card.uid.value == PHONE_UID
    assert card.title.value == "Rear Admiral"
    assert card.fn.value == "Grace Hopper"
    assert card.x_phonetic_first_name.value == "Greys"
    photo = re.sub(r"\r?\n[ \t]", "", body.decode("utf-8"))
    assert "/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAgGBgcGBQgHBwcJCQgKDBQNDA==" in photo
    assert_quiet(lrm, loop)


# --- regression: a card changed only where lrm does not read is no conflict -------------------


def test_a_server_change_to_what_lrm_does_not_read_is_no_conflict_with_an_lrm_change(lrm, loop):
    """The phone adds a phonetic name and bumps REV while lrm changes the title: vdirsyncer
    sees a conflict and (a wins) brings the server's card down over the one lrm just wrote.
    Its content as lrm reads it is what was last synced, so lrm's change is no conflict: it
    goes up again, with the phone's property kept."""
    ada = lrm("add", "Ada Lovelace", "--org", "Analytical Engines", "--json").json()
    sync(lrm)
    [(href, body, etag)] = loop.cards().values()
    touched = edit_card(
        body.decode("utf-8"), {"REV": "REV:2026-11-30T08:00:00Z"}, ["X-PHONETIC-FIRST-NAME:Eyda"]
    )
    loop.radicale.put(href, touched, etag)
    assert lrm("edit", str(ada["id"]), "--title", "Countess").exit_code == 0
    report = sync(lrm)
    assert "conflict" in report["command"]["output"].lower()  # vdirsyncer's, resolved: a wins
    assert report["contacts"]["conflicts"] == []
    assert report["contacts"]["lrm"]["conflicts"] == 0
    shown = contact(lrm, str(ada["id"]))
    assert shown["title"] == "Countess" and shown["notes"] == []
    mark = loop.radicale.log_mark()
    sync(lrm)
    assert [(r.method, r.path) for r in loop.radicale.writes(mark)] == [("PUT", href)]
    card = vobject.readOne(loop.radicale.get(href)[0].decode("utf-8"))
    assert card.title.value == "Countess"
    assert card.x_phonetic_first_name.value == "Eyda"
    assert "note" not in card.contents


def scrambled(card: bytes, *extra: str) -> bytes:
    """``card`` as a server might hand it back: LF line ends, properties in another order,
    REV bumped, and ``extra`` lines (what lrm does not read) added."""
    lines = re.sub(r"\r?\n[ \t]", "", card.decode("utf-8")).splitlines()
    head, body, end = lines[:2], lines[2:-1], lines[-1:]
    body = [line for line in body if not line.startswith("REV:")]
    body = [*reversed(body), "REV:2026-11-30T08:00:00Z", *extra]
    return ("\n".join(head + body + end) + "\n").encode("utf-8")


@pytest.fixture
def plain_folders(isolated: Path) -> dict[str, Path]:
    """The three folders and [sync] with no command (vdirsyncer played by the test)."""
    folders = {name: isolated / folder for name, folder in COLLECTIONS.items()}
    for path in folders.values():
        path.mkdir()
    write_plain_config(isolated, folders)
    return folders


def write_plain_config(isolated: Path, folders: dict[str, Path], extra: str = "") -> None:
    (isolated / "config.toml").write_text(
        "[sync]\n"
        f"contacts_vdir = {json.dumps(str(folders['contacts']))}\n"
        f"calendar_vdir = {json.dumps(str(folders['todos']))}\n" + extra,
        encoding="utf-8",
    )


@pytest.mark.parametrize("when", ["between syncs", "by the command"])
def test_a_card_back_in_other_bytes_but_the_same_content_is_no_conflict(
    lrm, plain_folders, isolated, when
):
    """Without a server: the card comes back re-serialised with a property lrm does not
    read, between two syncs (vdirsyncer run on its own) or from the sync command right
    after lrm wrote it (vdirsyncer's conflict resolution), while lrm changed the title."""
    ada = lrm("add", "Ada Lovelace", "--org", "Analytical Engines", "--json").json()
    result = lrm("sync", "--json")
    assert result.exit_code == 0, result.stderr
    path = plain_folders["contacts"] / f"{ada['uid']}.vcf"
    server = scrambled(path.read_bytes(), "X-PHONETIC-FIRST-NAME:Eyda")
    if when == "between syncs":
        path.write_bytes(server)
    else:
        script = isolated / "server_wins.py"
        script.write_text(
            f"from pathlib import Path\np = Path({str(path)!r})\n"
            f"if b'Countess' in p.read_bytes():\n    p.write_bytes({server!r})\n"
        )
        command = json.dumps([sys.executable, str(script)])
        write_plain_config(isolated, plain_folders, f"command = {command}\n")
    assert lrm("edit", str(ada["id"]), "--title", "Countess").exit_code == 0
    result = lrm("sync", "--json")
    assert result.exit_code == 0, result.stderr
    report = result.json()
    assert report["contacts"]["conflicts"] == []
    assert report["contacts"]["lrm"]["conflicts"] == 0
    shown = contact(lrm, str(ada["id"]))
    assert shown["title"] == "Countess" and shown["notes"] == []
    text = path.read_bytes().decode("utf-8")
    assert "TITLE:Countess\r\n" in text and "X-PHONETIC-FIRST-NAME:Eyda\r\n" in text
    written = path.read_bytes()
    result = lrm("sync", "--json", "--no-command")
    assert result.exit_code == 0
    assert result.json()["contacts"]["vdir"]["updated"] == 0
    assert path.read_bytes() == written


def test_a_card_back_in_other_bytes_with_nothing_changed_in_lrm_is_left_alone(lrm, plain_folders):
    ada = lrm("add", "Ada Lovelace", "--org", "Analytical Engines", "--json").json()
    assert lrm("sync").exit_code == 0
    path = plain_folders["contacts"] / f"{ada['uid']}.vcf"
    before = contact(lrm, str(ada["id"]))
    path.write_bytes(scrambled(path.read_bytes()))
    server = path.read_bytes()
    report = lrm("sync", "--json").json()
    for side in ("lrm", "vdir"):
        assert report["contacts"][side]["unchanged"] == 1, report["contacts"]
    assert contact(lrm, str(ada["id"])) == before
    assert path.read_bytes() == server  # not rewritten


def test_a_row_from_before_the_content_hash_still_syncs_and_gets_one(lrm, plain_folders, db_path):
    """sync_item rows holding only the bytes hash (the first version of lrm sync): with no
    content to compare, a card back in other bytes is a conflict, as it was then (lrm's
    values kept, nothing lost), and the row is brought up to date."""
    ada = lrm("add", "Ada Lovelace", "--org", "Analytical Engines", "--json").json()
    assert lrm("sync").exit_code == 0
    with sqlite3.connect(db_path) as conn:
        conn.execute("UPDATE sync_item SET remote_hash = substr(remote_hash, 1, 64)")
    path = plain_folders["contacts"] / f"{ada['uid']}.vcf"
    path.write_bytes(scrambled(path.read_bytes(), "X-PHONETIC-FIRST-NAME:Eyda"))
    assert lrm("edit", str(ada["id"]), "--title", "Countess").exit_code == 0
    result = lrm("sync", "--json")
    assert result.exit_code == 0, result.stderr
    assert result.json()["contacts"]["lrm"]["conflicts"] == 1
    assert contact(lrm, str(ada["id"]))["title"] == "Countess"
    assert b"X-PHONETIC-FIRST-NAME:Eyda\r\n" in path.read_bytes()
    with sqlite3.connect(db_path) as conn:
        [(remote,)] = conn.execute(
            "SELECT remote_hash FROM sync_item WHERE href LIKE '%.vcf'"
        ).fetchall()
    assert len(remote.split(" ")) == 3  # bytes, content, the file's stat signature


# --- issue 15: a phone's card comes back as it went, but for what lrm changed ------------------

HOLMES_UID = "urn:uuid:4f0b1a4e-3c2d-4e5f-8a9b-0c1d2e3f4a5b"
HOLMES = (
    "BEGIN:VCARD\r\n"
    "VERSION:3.0\r\n"
    f"UID:{HOLMES_UID}\r\n"
    "FN:Sherlock Holmes\r\n"
    "N:Holmes;Sherlock;;;\r\n"
    "ADR;TYPE=home:;;221B Baker St;London;;NW1 6XE;UK\r\n"
    "ORG:Acme;Research\r\n"
    "TITLE:Consulting detective\r\n"
    "EMAIL;TYPE=INTERNET:sherlock@example.org\r\n"
    "TEL;TYPE=CELL:+44 7700 900221\r\n"
    "PHOTO;ENCODING=b;TYPE=JPEG:/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAgGBgcGBQgHBwcJCQgKDBQNDA==\r\n"
    "TZ:+00:00\r\n"
    "LANG:en-GB\r\n"
    "X-ACME-BADGE:1895\r\n"
    "item1.URL:https://example.org/holmes\r\n"
    "item1.X-ABLabel:casebook\r\n"
    "END:VCARD\r\n"
)
# what a card may change without the user changing anything: who wrote it and when
METADATA = {"VERSION", "PRODID", "REV"}


def _canon(value) -> object:
    """A parsed vCard value, comparable: structured values as tuples of their parts."""
    if isinstance(value, vobject.vcard.Address):
        parts = ("box", "extended", "street", "city", "region", "code", "country")
        return tuple(str(getattr(value, p)) for p in parts)
    if isinstance(value, vobject.vcard.Name):
        parts = ("family", "given", "additional", "prefix", "suffix")
        return tuple(str(getattr(value, p)) for p in parts)
    if isinstance(value, list):
        return tuple(_canon(v) for v in value)
    return str(value)


def properties(body: bytes) -> dict[str, list]:
    """Every property of a card, parsed: NAME -> sorted (parameters, value) pairs; TYPE
    values compared in upper case (their case means nothing), group names left out (a
    writer may renumber them) but an X-ABLabel kept with what it labels."""
    card = vobject.readOne(body.decode("utf-8"))
    labels = {
        (line.group or "").lower(): str(line.value)
        for line in card.getChildren()
        if line.name.upper() == "X-ABLABEL" and line.group
    }
    out: dict[str, list] = {}
    for line in card.getChildren():
        name = line.name.upper()
        if name in METADATA or name == "X-ABLABEL":
            continue
        params = tuple(
            sorted(
                (key.upper(), tuple(sorted(v.upper() if key.upper() == "TYPE" else v for v in vs)))
                for key, vs in line.params.items()
            )
        )
        label = labels.get((line.group or "").lower())
        out.setdefault(name, []).append((params, _canon(line.value), label))
    return {name: sorted(values, key=repr) for name, values in out.items()}


def test_a_phone_card_goes_back_to_the_phone_with_only_what_lrm_changed(lrm, loop):
    """Issue 15 §1 through Radicale and vdirsyncer: structured ADR and ORG, PHOTO, TZ, LANG,
    an X- property, a labelled URL and a urn:uuid: UID survive lrm sync, an ordinary
    lrm edit --title and lrm sync: every property parsed the same but TITLE."""
    href = "/alice/contacts/holmes.vcf"
    loop.radicale.put(href, HOLMES)
    phone, _ = loop.radicale.get(href)  # as the server keeps it
    assert sync(lrm)["contacts"]["lrm"]["created"] == 1
    [holmes] = lrm("list", "--json").json()
    assert lrm("edit", str(holmes["id"]), "--title", "Retired beekeeper").exit_code == 0
    report = sync(lrm)
    assert report["contacts"]["vdir"]["updated"] == 1
    assert list(loop.items("contacts")) == [href]
    back, _ = loop.radicale.get(href)
    before, after = properties(phone), properties(back)
    assert after.pop("TITLE") == [((), "Retired beekeeper", None)]
    assert before.pop("TITLE") == [((), "Consulting detective", None)]
    assert after == before
    assert vobject.readOne(back.decode("utf-8")).uid.value == HOLMES_UID
    assert_quiet(lrm, loop)


def test_notes_stay_off_the_server_unless_shared_and_a_phone_note_stays_on_it(lrm, loop):
    """[sync] share_notes off (the default), through Radicale: lrm's note and its X-LRM-*
    properties never reach the server; a note added on the phone comes into lrm, and is
    still on the card after lrm rewrites it; lrm's notes are never taken for deleted."""
    ada = lrm(
        "add", "Ada Lovelace", "--email", "ada@example.org", "--how-met", "at the salon",
        "--cadence", "30d", "--json",
    ).json()  # fmt: skip
    assert lrm("note", str(ada["id"]), "Private: owes me a letter").exit_code == 0
    sync(lrm)
    [(href, body, etag)] = loop.cards().values()
    text = body.decode("utf-8")
    assert "NOTE" not in text and "X-LRM-" not in text and "salon" not in text
    edited = edit_card(text, {}, ["NOTE:Met at the library\\, Tuesday"])
    loop.radicale.put(href, edited, etag)
    report = sync(lrm)
    assert report["contacts"]["lrm"]["updated"] == 1
    notes = {n["body"] for n in contact(lrm, str(ada["id"]))["notes"]}
    assert notes == {"Private: owes me a letter", "Met at the library, Tuesday"}
    assert lrm("edit", str(ada["id"]), "--title", "Countess").exit_code == 0
    assert sync(lrm)["contacts"]["vdir"]["updated"] == 1
    [(_, body, _)] = loop.cards().values()
    card = vobject.readOne(body.decode("utf-8"))
    assert card.title.value == "Countess"
    assert [n.value for n in card.contents.get("note", [])] == ["Met at the library, Tuesday"]
    assert not any(key.startswith("x-lrm") for key in card.contents)
    assert_quiet(lrm, loop)
    shown = contact(lrm, str(ada["id"]))
    assert {n["body"] for n in shown["notes"]} == notes
    assert shown["how_met"] == "at the salon" and shown["cadence_days"] == 30


def exported(lrm) -> dict[str, list]:
    """The properties of `lrm export vcard`'s one card, but lrm's own X-LRM-* ones."""
    result = lrm("export", "vcard")
    assert result.exit_code == 0, result.stderr
    found = properties(result.stdout.encode("utf-8"))
    return {name: v for name, v in found.items() if not name.startswith("X-LRM-")}


def test_what_a_phone_card_carries_reaches_lrm_s_export_and_follows_the_phone(lrm, loop):
    """The card lrm took from the server is what `lrm export vcard` writes (but for lrm's
    own REV, PRODID and X-LRM-*); when the phone changes the title, the department and its own
    X- property, lrm takes all three."""
    href = "/alice/contacts/holmes.vcf"
    etag = loop.radicale.put(href, HOLMES)
    phone, etag = loop.radicale.get(href)
    sync(lrm)
    assert exported(lrm) == properties(phone)
    edited = edit_card(
        phone.decode("utf-8"),
        {
            "TITLE": "TITLE:Beekeeper",
            "ORG": "ORG:Acme;Apiary",
            "X-ACME-BADGE": "X-ACME-BADGE:1903",
        },
        [],
    )
    loop.radicale.put(href, edited, etag)
    report = sync(lrm)
    assert report["contacts"]["lrm"]["updated"] == 1
    [item] = [i for i in report["contacts"]["items"] if i["action"] == "updated"]
    assert sorted(item["changes"]) == [
        "organisation units: Apiary",
        "other card properties",
        "title: Beekeeper",
    ]
    [holmes] = lrm("list", "--json").json()
    shown = contact(lrm, str(holmes["id"]))
    assert (shown["organization"], shown["org_units"]) == ("Acme", ["Apiary"])
    now, _ = loop.radicale.get(href)
    assert exported(lrm) == properties(now)
    assert_quiet(lrm, loop)
