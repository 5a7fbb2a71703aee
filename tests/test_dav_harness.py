"""The DAV harness itself (tests/dav.py): a real Radicale, real vdirsyncer, real bytes."""

from __future__ import annotations

import hashlib
import os
import re
import time
from pathlib import Path

import pytest
from dav import (
    DavError,
    Radicale,
    changed_etags,
    port_open,
    radicale_fixture,  # noqa: F401  (the radicale fixture)
    running_radicale,
    vcalendar,
    vcard,
    vdirsyncer_env,
)

# Already in the order Radicale (vobject) serialises: VERSION, UID, then by property name.
SMITH = (
    "BEGIN:VCARD\r\n"
    "VERSION:3.0\r\n"
    "UID:smith-john\r\n"
    "FN:Smith\\, John\r\n"
    "N:Smith;John;;;\r\n"
    "NICKNAME:王小明\r\n"
    "NOTE:a\\;b\\, c\r\n"
    "ORG:Мария Ивановна\\; ООО\r\n"
    "END:VCARD\r\n"
).encode()


def test_radicale_starts_and_stops_quickly(tmp_path: Path) -> None:
    started = time.monotonic()
    with running_radicale(tmp_path / "r") as server:
        up = time.monotonic()
        assert server.process.poll() is None
        assert port_open(server.port)
        assert server.url == f"http://127.0.0.1:{server.port}/"
        assert server.request("PROPFIND", "/alice/", None, {"Depth": "0"}).status == 207
        stopping = time.monotonic()
    stopped = time.monotonic()
    print(f"\nradicale: start {up - started:.2f} s, stop {stopped - stopping:.2f} s")
    assert server.process.returncode is not None
    with pytest.raises(ProcessLookupError):
        os.kill(server.process.pid, 0)
    assert not port_open(server.port)
    assert stopped - started < 5
    assert str(tmp_path) in server.log()  # its storage folder, under the test's tmp_path


def test_radicale_requires_the_password(radicale: Radicale) -> None:
    radicale.password = "wrong"
    assert radicale.request("PROPFIND", "/alice/", None, {"Depth": "0"}).status == 401


def test_vcard_round_trips_bytes(radicale: Radicale) -> None:
    radicale.make_collection("contacts", "contacts")
    etag = radicale.put("/alice/contacts/smith.vcf", SMITH)
    body, got_etag = radicale.get("/alice/contacts/smith.vcf")
    assert body == SMITH
    assert got_etag == etag
    assert radicale.list_items("contacts") == {"/alice/contacts/smith.vcf": etag}


def test_radicale_normalises_what_it_stores(radicale: Radicale) -> None:
    """Canaries for sync code: Radicale stores vobject's re-serialisation, not the bytes."""
    radicale.make_collection("contacts", "contacts")
    out_of_order = vcard("u1", "Ada", "NOTE:x", "EMAIL:ada@example.org")
    etag = radicale.put("/alice/contacts/u1.vcf", out_of_order)
    body, _ = radicale.get("/alice/contacts/u1.vcf")
    assert body != out_of_order
    assert body.splitlines() == [
        b"BEGIN:VCARD",
        b"VERSION:3.0",
        b"UID:u1",
        b"EMAIL:ada@example.org",
        b"FN:Ada",
        b"N:;Ada;;;",
        b"NOTE:x",
        b"END:VCARD",
    ]
    # The ETag is the SHA-256 of the stored text: same content, same ETag...
    assert etag == f'"{hashlib.sha256(body).hexdigest()}"'
    mark = radicale.log_mark()
    assert radicale.put("/alice/contacts/u1.vcf", out_of_order, etag=etag) == etag
    # ...so only the request log shows that something was uploaded.
    assert [(r.method, r.status) for r in radicale.writes(mark, agent=None)] == [("PUT", 204)]
    # An unescaped comma ends a TEXT value: the rest is silently dropped.
    radicale.put("/alice/contacts/u2.vcf", vcard("u2", "Smith, John", "NOTE:x, y"))
    body, _ = radicale.get("/alice/contacts/u2.vcf")
    assert b"FN:Smith\r\n" in body
    assert b"NOTE:x\r\n" in body


def test_stale_if_match_is_refused(radicale: Radicale) -> None:
    radicale.make_collection("contacts", "contacts")
    href = "/alice/contacts/smith.vcf"
    first = radicale.put(href, SMITH)
    second = radicale.put(href, SMITH.replace(b"NOTE:a", b"NOTE:z"), etag=first)
    assert second != first
    with pytest.raises(DavError) as refused:
        radicale.put(href, SMITH, etag=first)
    assert refused.value.status == 412
    with pytest.raises(DavError) as refused:
        radicale.delete(href, etag=first)
    assert refused.value.status == 412
    assert radicale.get(href)[1] == second
    radicale.delete(href, etag=second)
    assert radicale.list_items("contacts") == {}


def test_make_collection_kinds(radicale: Radicale) -> None:
    contacts = radicale.make_collection("contacts", "contacts")
    calendar = radicale.make_collection("tasks", "calendar")
    assert (contacts, calendar) == ("/alice/contacts/", "/alice/tasks/")
    with pytest.raises(DavError) as exists:
        radicale.make_collection("tasks", "calendar")
    assert exists.value.status == 409
    assert radicale.make_collection("tasks", "calendar", exist_ok=True) == calendar
    assert radicale.make_collection("contacts", "contacts", exist_ok=True) == contacts
    # A calendar takes both VTODO and VEVENT; an addressbook refuses an iCalendar item.
    radicale.put("/alice/tasks/t.ics", vcalendar("VTODO", "t", "Call Ada"))
    radicale.put("/alice/tasks/e.ics", vcalendar("VEVENT", "e", "Lunch"))
    assert set(radicale.list_items("tasks")) == {"/alice/tasks/t.ics", "/alice/tasks/e.ics"}
    with pytest.raises(DavError):
        radicale.put("/alice/contacts/t.ics", vcalendar("VTODO", "t2", "x"))


UUID_NAME = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.(vcf|ics)$")

SAMPLES = {
    "contacts": {
        "ext": "vcf",
        "files": {
            "ada.vcf": vcard("uid-1", "Ada Lovelace", "N:Lovelace;Ada;;;", "NOTE:a\\;b\\, c"),
            "zhang.vcf": vcard("uid-2", "张伟", "ORG:Мария\\, ООО"),
        },
        "server_edit": (vcard("uid-1", "Ada King", "NOTE:Countess"), b"FN:Ada King\r\n"),
        "server_new": lambda uid: vcard(uid, "Grace Hopper"),
        "local_edit": (vcard("uid-1", "Ada K."), b"FN:Ada K.\r\n"),
    },
    "calendar": {
        "ext": "ics",
        "files": {
            "task.ics": vcalendar("VTODO", "uid-1", "Call Ада\\, 王", "DUE;VALUE=DATE:20261203"),
            "event.ics": vcalendar("VEVENT", "uid-2", "Lunch", "LOCATION:Café\\; 2nd floor"),
        },
        "server_edit": (
            vcalendar("VTODO", "uid-1", "Call Ада", "STATUS:COMPLETED"),
            b"STATUS:COMPLETED\r\n",
        ),
        "server_new": lambda uid: vcalendar("VEVENT", uid, "Dinner"),
        "local_edit": (
            vcalendar("VTODO", "uid-1", "Call Ада again"),
            "SUMMARY:Call Ада again\r\n".encode(),
        ),
    },
}


@pytest.mark.parametrize("kind", ["contacts", "calendar"])
def test_vdirsyncer_round_trip(radicale: Radicale, tmp_path: Path, kind: str) -> None:
    """Two local files go up; a server edit, deletion and additions come down; a local edit
    goes up as one PUT; a sync with nothing to do writes nothing and moves no ETag."""
    sample = SAMPLES[kind]
    ext = sample["ext"]
    files: dict[str, bytes] = sample["files"]
    first, second = files
    local = tmp_path / "vdir"
    local.mkdir()
    for name, body in files.items():
        (local / name).write_bytes(body)
    mapping = {"coll": local}
    sync = vdirsyncer_env(
        tmp_path, radicale, **{"contacts" if kind == "contacts" else "calendars": mapping}
    )
    assert list(sync.pairs) == [f"{kind}_coll"]
    assert radicale.list_items("coll") == {}  # vdirsyncer_env made the collection

    def href(n: int) -> str:
        return f"/alice/coll/uid-{n}.{ext}"

    def lf(data: bytes) -> bytes:
        # vdirsyncer fetches items inside a REPORT's XML, whose parser turns CRLF into LF.
        return data.replace(b"\r\n", b"\n")

    # Up: named after the (safe) UID on the server; the local names stay.
    mark = radicale.log_mark()
    output = sync.sync()
    uploaded = radicale.list_items("coll")
    assert set(uploaded) == {href(1), href(2)}
    assert sorted((r.method, r.path) for r in radicale.writes(mark)) == [
        ("PUT", href(1)),
        ("PUT", href(2)),
    ]
    assert output.count("Copying (uploading)") == 2
    for n in (1, 2):
        assert f"UID:uid-{n}\r\n".encode() in radicale.get(href(n))[0]

    # A second sync uploads nothing.
    mark = radicale.log_mark()
    sync.sync()
    assert radicale.writes(mark) == []
    assert radicale.list_items("coll") == uploaded

    # Down: an edit made as a phone would (If-Match), a deletion, and two new items (one with
    # a UID that is no safe file name).
    edit, edit_line = sample["server_edit"]
    radicale.put(href(1), edit, etag=uploaded[href(1)])
    radicale.delete(href(2), etag=uploaded[href(2)])
    radicale.put(href(3), sample["server_new"]("uid-3"))
    radicale.put(f"/alice/coll/odd.{ext}", sample["server_new"]("odd uid@example.org"))
    mark = radicale.log_mark()
    sync.sync()
    assert radicale.writes(mark) == []
    assert (local / first).read_bytes() == lf(radicale.get(href(1))[0])
    assert lf(edit_line) in (local / first).read_bytes()
    assert not (local / second).exists()
    names = {p.name for p in local.iterdir()}
    assert f"uid-3.{ext}" in names
    (odd,) = names - {first, f"uid-3.{ext}"}
    assert UUID_NAME.match(odd), names
    assert b"odd uid@example.org" in (local / odd).read_bytes()

    # Nothing changed: the next sync writes nothing and no ETag moves.
    before = radicale.list_items("coll")
    mark = radicale.log_mark()
    sync.sync()
    assert radicale.writes(mark) == []
    assert changed_etags(before, radicale.list_items("coll")) == {
        "added": set(),
        "removed": set(),
        "changed": set(),
    }

    # A local edit goes up as exactly one PUT, to the item's server href.
    local_edit, local_line = sample["local_edit"]
    (local / first).write_bytes(local_edit)
    mark = radicale.log_mark()
    sync.sync()
    assert [(r.method, r.path, r.status) for r in radicale.writes(mark)] == [("PUT", href(1), 204)]
    assert changed_etags(before, radicale.list_items("coll"))["changed"] == {href(1)}
    assert local_line in radicale.get(href(1))[0]


def test_vdirsyncer_conflict_fails_by_default(radicale: Radicale, tmp_path: Path) -> None:
    """conflict_resolution=None: an item changed on both sides stops the sync with an error
    and leaves both sides as they were."""
    local = tmp_path / "vdir"
    sync = vdirsyncer_env(tmp_path, radicale, contacts={"contacts": local})
    (local / "ada.vcf").write_bytes(vcard("ada", "Ada"))
    sync.sync()
    ((href, etag),) = radicale.list_items("contacts").items()
    server_etag = radicale.put(href, vcard("ada", "Ada on the phone"), etag=etag)
    (local / "ada.vcf").write_bytes(vcard("ada", "Ada on the laptop"))
    mark = radicale.log_mark()
    result = sync.run("sync")
    assert result.returncode != 0
    assert "conflict" in (result.stdout + result.stderr).lower()
    assert radicale.writes(mark) == []
    assert radicale.get(href)[1] == server_etag
    assert b"FN:Ada on the laptop" in (local / "ada.vcf").read_bytes()
