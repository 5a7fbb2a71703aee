"""End-to-end harness: a real Radicale CardDAV/CalDAV server and real vdirsyncer.

Test modules import it directly (``tests/`` is on ``sys.path`` under pytest's default
``prepend`` import mode, because ``tests/`` has no ``__init__.py``)::

    from dav import DavError, radicale_fixture, vdirsyncer_env  # noqa: F401  (the fixture)

    def test_something(radicale, tmp_path):
        radicale.make_collection("contacts", "contacts")
        sync = vdirsyncer_env(tmp_path, radicale, contacts={"contacts": tmp_path / "vdir"})
        sync.sync()

Everything runs on 127.0.0.1 with ``HOME`` in a temporary folder. Radicale starts in about
0.3-0.5 s and stops in about 0.1 s, so the ``radicale`` fixture is function-scoped: every test
gets an empty server.

Quirks worth knowing (Radicale 3.9, vdirsyncer 0.21):

* Radicale's ETag is ``"<sha256 of the stored text>"``: it depends only on the content, so
  uploading identical bytes again leaves the ETag unchanged. Comparing ETags therefore tells
  whether content changed, not whether anything was uploaded; for that use
  :meth:`Radicale.requests` (Radicale's own request log, which records each client's
  User-Agent) or :meth:`Radicale.writes`.
* Radicale stores what vobject re-serialises, and GET returns that: CRLF line ends, lines of
  more than 75 characters folded at 75 octets, and properties re-ordered (vCard: VERSION,
  PRODID, UID first, then by name; VEVENT: UID, RECURRENCE-ID, DTSTART, DURATION, DTEND
  first, then by name; VTODO: all by name). A GET returns the PUT bytes only when they were
  already in that form, so compare items by meaning, never by bytes or by ETag against one's
  own text.
* An unescaped ``,`` in a TEXT value (FN, NOTE, SUMMARY, LOCATION, DESCRIPTION...) ends the
  value: ``FN:Smith, John`` is stored as ``FN:Smith``, silently (an unescaped ``;`` in NOTE is
  kept and comes back escaped; ``ORG:x;y, z`` is refused with 400). Escape ``\\,`` and
  ``\\;`` in TEXT values.
* If-Match with a stale ETag gives 412 on PUT and DELETE; without If-Match a PUT overwrites.
* Items that vdirsyncer downloads are written with LF line ends (it fetches them inside a
  REPORT's XML, whose parser turns CRLF into LF); what it uploads is sent as the file has it.
* Radicale gets SIGTERM if the test process dies without its teardown (Linux
  PR_SET_PDEATHSIG), so a killed test run leaves no server behind.
* vdirsyncer always needs ``vdirsyncer discover`` once before ``sync``, even with
  ``collections = null`` (it reads the pair's collections from a cache in status_path);
  :meth:`Vdirsyncer.sync` runs it the first time. With explicit collection URLs it asks no
  question; it only PROPFINDs each collection URL. Each vdirsyncer run costs about 0.6-1 s,
  mostly importing aiohttp.
* vdirsyncer names a new item ``<UID><fileext>`` on either side when the UID is made only of
  ``[A-Za-z0-9_.+-]``, and a random ``<uuid4><fileext>`` otherwise. An item keeps its name on
  each side afterwards (the status maps the local file name to the server href), so a local
  ``ada.vcf`` with ``UID:x`` is ``x.vcf`` on the server and server edits still land in
  ``ada.vcf``.
"""

from __future__ import annotations

import ast
import base64
import contextlib
import ctypes
import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import xml.etree.ElementTree as ET
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

import pytest

USER = "alice"
PASSWORD = "wonderland"
USER_AGENT = "lrm-tests-dav"
START_TIMEOUT = 10.0

_NS = {"D": "DAV:", "C": "urn:ietf:params:xml:ns:caldav", "CR": "urn:ietf:params:xml:ns:carddav"}
_WRITE_METHODS = frozenset({"PUT", "DELETE", "MKCOL", "MKCALENDAR", "PROPPATCH", "MOVE"})


class DavError(Exception):
    """An HTTP answer the helper did not expect; ``status`` is its code."""

    def __init__(self, method: str, path: str, status: int, body: bytes) -> None:
        super().__init__(f"{method} {path}: HTTP {status}\n{body.decode('utf-8', 'replace')}")
        self.method = method
        self.path = path
        self.status = status
        self.body = body


@dataclass(frozen=True)
class Response:
    status: int
    headers: Mapping[str, str]
    body: bytes


@dataclass(frozen=True)
class LoggedRequest:
    """One request as Radicale logged it. ``status`` is None while it has no answer yet."""

    method: str
    path: str
    agent: str
    status: int | None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def port_open(port: int, host: str = "127.0.0.1") -> bool:
    try:
        socket.create_connection((host, port), timeout=0.2).close()
    except OSError:
        return False
    return True


def _quote(path: str) -> str:
    return urllib.parse.quote(path, safe="/@:+,;=!$&'()*~-._")


def loopback_env(home: Path, **extra: str) -> dict[str, str]:
    """The current environment with HOME/XDG in ``home`` and no proxy or journal settings."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.lower().endswith("_proxy") and key not in {"JOURNAL_STREAM", "PYTHONSTARTUP"}
    }
    env.update(
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / ".config"),
        XDG_DATA_HOME=str(home / ".local" / "share"),
        XDG_CACHE_HOME=str(home / ".cache"),
        NO_PROXY="127.0.0.1,localhost",
        no_proxy="127.0.0.1,localhost",
    )
    env.update(extra)
    return env


@dataclass
class Radicale:
    """A running Radicale. Hrefs are absolute, unquoted paths such as ``/alice/contacts/x.vcf``;
    the helpers also accept full URLs."""

    root: Path
    port: int
    process: subprocess.Popen[bytes]
    user: str = USER
    password: str = PASSWORD
    host: str = "127.0.0.1"
    started_in: float = 0.0
    _log_file: object = field(default=None, repr=False)

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}/"

    @property
    def storage(self) -> Path:
        return self.root / "storage"

    @property
    def log_path(self) -> Path:
        return self.root / "radicale.log"

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    # -- lifecycle --------------------------------------------------------------------------

    def stop(self, timeout: float = 5.0) -> None:
        """Terminate the server and wait for it (kill if it lingers). Idempotent."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout)
        if self._log_file is not None:
            self._log_file.close()  # type: ignore[attr-defined]
            self._log_file = None

    # -- HTTP -------------------------------------------------------------------------------

    def path(self, href: str) -> str:
        """``href`` as an absolute path on this server (accepts a URL or a path)."""
        if href.startswith(("http://", "https://")):
            parsed = urllib.parse.urlsplit(href)
            return urllib.parse.unquote(parsed.path)
        return href if href.startswith("/") else "/" + href

    def collection_path(self, collection: str) -> str:
        """``"contacts"`` -> ``/alice/contacts/``; paths and URLs are kept (with a final /)."""
        if collection.startswith(("/", "http://", "https://")):
            path = self.path(collection)
        else:
            path = f"/{self.user}/{collection.strip('/')}/"
        return path if path.endswith("/") else path + "/"

    def collection_url(self, collection: str) -> str:
        return self.url.rstrip("/") + _quote(self.collection_path(collection))

    def request(
        self,
        method: str,
        href: str,
        body: bytes | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Response:
        """Send one request with basic auth; any status comes back (no exception)."""
        token = base64.b64encode(f"{self.user}:{self.password}".encode()).decode()
        all_headers = {"Authorization": f"Basic {token}", "User-Agent": USER_AGENT}
        all_headers.update(headers or {})
        conn = http.client.HTTPConnection(self.host, self.port, timeout=10)
        try:
            conn.request(method, _quote(self.path(href)), body=body, headers=all_headers)
            answer = conn.getresponse()
            data = answer.read()
            return Response(answer.status, {k.lower(): v for k, v in answer.getheaders()}, data)
        finally:
            conn.close()

    def _expect(self, response: Response, method: str, href: str, *ok: int) -> Response:
        if response.status not in ok:
            raise DavError(method, self.path(href), response.status, response.body)
        return response

    def make_collection(self, name: str, kind: str, *, exist_ok: bool = False) -> str:
        """Create an addressbook (``kind="contacts"``) or a calendar for VEVENT and VTODO
        (``kind="calendar"``) at ``/user/name/``; returns its path."""
        path = self.collection_path(name)
        if kind == "contacts":
            method = "MKCOL"
            body = (
                '<?xml version="1.0" encoding="utf-8"?>'
                '<D:mkcol xmlns:D="DAV:" xmlns:CR="urn:ietf:params:xml:ns:carddav">'
                "<D:set><D:prop><D:resourcetype><D:collection/><CR:addressbook/>"
                f"</D:resourcetype><D:displayname>{escape(name)}</D:displayname></D:prop></D:set>"
                "</D:mkcol>"
            )
        elif kind == "calendar":
            method = "MKCALENDAR"
            body = (
                '<?xml version="1.0" encoding="utf-8"?>'
                '<C:mkcalendar xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">'
                f"<D:set><D:prop><D:displayname>{escape(name)}</D:displayname>"
                "<C:supported-calendar-component-set>"
                '<C:comp name="VEVENT"/><C:comp name="VTODO"/>'
                "</C:supported-calendar-component-set></D:prop></D:set></C:mkcalendar>"
            )
        else:
            raise ValueError(f"kind must be 'contacts' or 'calendar', not {kind!r}")
        response = self.request(
            method, path, body.encode(), {"Content-Type": "application/xml; charset=utf-8"}
        )
        # An existing collection: MKCOL answers 405, MKCALENDAR 409.
        if exist_ok and response.status in (405, 409) and self.exists(path):
            return path
        self._expect(response, method, path, 201)
        return path

    def _propfind(self, path: str, prop: str, depth: str = "1") -> ET.Element:
        body = (
            '<?xml version="1.0" encoding="utf-8"?>'
            f'<D:propfind xmlns:D="DAV:"><D:prop><D:{prop}/></D:prop></D:propfind>'
        )
        response = self.request(
            "PROPFIND",
            path,
            body.encode(),
            {"Depth": depth, "Content-Type": "application/xml; charset=utf-8"},
        )
        self._expect(response, "PROPFIND", path, 207)
        return ET.fromstring(response.body)

    def exists(self, href: str) -> bool:
        return self.request("PROPFIND", href, None, {"Depth": "0"}).status == 207

    def list_items(self, collection: str) -> dict[str, str]:
        """``{href: etag}`` of the items (not the collection itself), by PROPFIND Depth 1."""
        path = self.collection_path(collection)
        tree = self._propfind(path, "getetag")
        items: dict[str, str] = {}
        for response in tree.iterfind("D:response", _NS):
            href = urllib.parse.unquote(response.findtext("D:href", "", _NS))
            if href.rstrip("/") == path.rstrip("/"):
                continue
            etag = response.findtext("D:propstat/D:prop/D:getetag", None, _NS)
            if etag:
                items[href] = etag
        return items

    def get(self, href: str) -> tuple[bytes, str]:
        """``(body, etag)`` of one item."""
        response = self._expect(self.request("GET", href), "GET", href, 200)
        return response.body, response.headers["etag"]

    def put(self, href: str, body: bytes | str, etag: str | None = None) -> str:
        """Create or replace an item; with ``etag``, only if it still has that ETag
        (If-Match, as a phone does: a stale one raises DavError with status 412). Returns the
        new ETag."""
        data = body.encode() if isinstance(body, str) else body
        content_type = (
            "text/vcard" if b"BEGIN:VCARD" in data[:200] else "text/calendar"
        ) + "; charset=utf-8"
        headers = {"Content-Type": content_type}
        if etag is not None:
            headers["If-Match"] = etag
        response = self._expect(self.request("PUT", href, data, headers), "PUT", href, 201, 204)
        new_etag = response.headers.get("etag")
        return new_etag if new_etag else self.get(href)[1]

    def delete(self, href: str, etag: str | None = None) -> None:
        headers = {"If-Match": etag} if etag is not None else {}
        self._expect(self.request("DELETE", href, None, headers), "DELETE", href, 200, 204)

    # -- what clients did -------------------------------------------------------------------

    def log_mark(self) -> int:
        """A position in Radicale's log; pass it to :meth:`requests` as ``since``."""
        return self.log_path.stat().st_size

    def requests(self, since: int = 0, agent: str | None = None) -> list[LoggedRequest]:
        """Requests Radicale logged after ``since`` (a :meth:`log_mark`), oldest first;
        ``agent`` keeps those whose User-Agent contains it (e.g. ``"vdirsyncer"``)."""
        with self.log_path.open("rb") as f:
            f.seek(since)
            text = f.read().decode("utf-8", "replace")
        return [r for r in _parse_log(text) if agent is None or agent in r.agent]

    def writes(self, since: int = 0, agent: str | None = "vdirsyncer") -> list[LoggedRequest]:
        """The requests after ``since`` that change the server (PUT, DELETE, MKCOL...)."""
        return [r for r in self.requests(since, agent) if r.method in _WRITE_METHODS]


_LOG_LINE = re.compile(r"^\[[^\]]*\] \[(?P<ident>[^\]]*)\] \[\w+\] (?P<msg>.*)$")
_REQUEST = re.compile(
    r"^(?P<method>[A-Z]+) request for (?P<path>'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\")"
    r"(?: with depth '[^']*')? received from \S+(?: using (?P<agent>'(?:[^'\\]|\\.)*'"
    r"|\"(?:[^\"\\]|\\.)*\"))?"
)
_RESPONSE = re.compile(r"^(?P<method>[A-Z]+) response status for .*: (?P<status>\d{3}) [^:]*$")


def _parse_log(text: str) -> list[LoggedRequest]:
    done: list[tuple[int, LoggedRequest]] = []
    pending: dict[str, tuple[int, LoggedRequest]] = {}
    for n, line in enumerate(text.splitlines()):
        m = _LOG_LINE.match(line)
        if not m:
            continue
        ident, msg = m["ident"], m["msg"]
        if req := _REQUEST.match(msg):
            agent = ast.literal_eval(req["agent"]) if req["agent"] else ""
            entry = LoggedRequest(req["method"], ast.literal_eval(req["path"]), agent, None)
            if ident in pending:
                done.append(pending.pop(ident))
            pending[ident] = (n, entry)
        elif (resp := _RESPONSE.match(msg)) and ident in pending:
            n0, entry = pending.pop(ident)
            done.append(
                (n0, LoggedRequest(entry.method, entry.path, entry.agent, int(resp["status"])))
            )
    done.extend(pending.values())
    return [entry for _, entry in sorted(done, key=lambda pair: pair[0])]


def changed_etags(before: Mapping[str, str], after: Mapping[str, str]) -> dict[str, set[str]]:
    """Compare two :meth:`Radicale.list_items` snapshots: hrefs ``added``, ``removed`` and
    ``changed`` (same href, other ETag)."""
    return {
        "added": set(after) - set(before),
        "removed": set(before) - set(after),
        "changed": {h for h in set(before) & set(after) if before[h] != after[h]},
    }


def _die_with_parent() -> None:  # pragma: no cover - runs in the child
    """Linux: SIGTERM the server if the test process dies without its teardown."""
    with contextlib.suppress(Exception):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def start_radicale(root: Path, *, user: str = USER, password: str = PASSWORD) -> Radicale:
    """Start Radicale with its storage, htpasswd file, HOME and log under ``root`` on a free
    loopback port; returns once the port answers. Call :meth:`Radicale.stop` afterwards."""
    root.mkdir(parents=True, exist_ok=True)
    home = root / "home"
    home.mkdir(exist_ok=True)
    htpasswd = root / "htpasswd"
    htpasswd.write_text(f"{user}:{password}\n", encoding="utf-8")
    last_error = ""
    for _attempt in range(3):
        port = free_port()
        log_file = (root / "radicale.log").open("ab")
        started = time.monotonic()
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "radicale",
                "--config",
                "",
                "--server-hosts",
                f"127.0.0.1:{port}",
                "--storage-filesystem-folder",
                str(root / "storage"),
                "--auth-type",
                "htpasswd",
                "--auth-htpasswd-filename",
                str(htpasswd),
                "--auth-htpasswd-encryption",
                "plain",
                "--auth-delay",
                "0",
                "--server-delay-on-error",
                "0",
                "--web-type",
                "none",
                # info: Radicale logs every request (method, path, User-Agent) and its status,
                # which Radicale.requests() reads. The log goes to a file, never the terminal.
                "--logging-level",
                "info",
            ],
            stdin=subprocess.DEVNULL,
            stdout=log_file,
            stderr=log_file,
            env=loopback_env(home),
            cwd=root,
            preexec_fn=_die_with_parent if sys.platform == "linux" else None,
        )
        server = Radicale(root, port, process, user, password, _log_file=log_file)
        deadline = started + START_TIMEOUT
        while time.monotonic() < deadline and process.poll() is None:
            if port_open(port):
                server.started_in = time.monotonic() - started
                return server
            time.sleep(0.02)
        exited = process.poll()
        server.stop()
        last_error = server.log()
        if exited is None:
            last_error = f"no answer on port {port} within {START_TIMEOUT} s\n{last_error}"
        elif "Address already in use" in last_error:
            continue
        break
    raise RuntimeError(f"Radicale did not start:\n{last_error}")


@contextlib.contextmanager
def running_radicale(root: Path, **kwargs: str) -> Iterator[Radicale]:
    server = start_radicale(root, **kwargs)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(name="radicale")
def radicale_fixture(tmp_path: Path) -> Iterator[Radicale]:
    """A fresh, empty Radicale for this test (user ``alice``), stopped afterwards."""
    with running_radicale(tmp_path / "radicale") as server:
        yield server


# -- vdirsyncer ---------------------------------------------------------------------------------


def vdirsyncer_executable() -> Path:
    path = Path(sys.executable).parent / "vdirsyncer"
    if not path.exists():
        found = shutil.which("vdirsyncer")
        if found is None:
            raise RuntimeError("vdirsyncer is not installed (pip install -e '.[test]')")
        path = Path(found)
    return path


def _value(value: str) -> str:
    """A string value for vdirsyncer's config (INI sections, JSON values)."""
    return json.dumps(value, ensure_ascii=False)


@dataclass
class Vdirsyncer:
    """vdirsyncer configured for some pairs. ``pairs`` maps each pair name to its
    ``(server collection path, local folder)``."""

    root: Path
    config_path: Path
    env: dict[str, str]
    pairs: dict[str, tuple[str, Path]]
    discovered: bool = False

    def run(self, *args: str, input: str = "") -> subprocess.CompletedProcess[str]:
        """Run ``vdirsyncer ARGS`` (no check); stdout and stderr are captured as text."""
        return subprocess.run(
            [str(vdirsyncer_executable()), *args],
            input=input,
            capture_output=True,
            text=True,
            env=self.env,
            cwd=self.root,
            timeout=60,
            check=False,
        )

    def _checked(self, *args: str) -> str:
        result = self.run(*args)
        output = result.stdout + result.stderr
        assert result.returncode == 0, (
            f"vdirsyncer {' '.join(args)} exited {result.returncode}:\n{output}"
        )
        return output

    def discover(self) -> str:
        output = self._checked("discover")
        self.discovered = True
        return output

    def sync(self, *pairs: str) -> str:
        """``vdirsyncer sync [PAIRS]`` (after ``discover`` the first time); asserts exit 0 and
        returns stdout + stderr."""
        if not self.discovered:
            self.discover()
        return self._checked("sync", *pairs)


def vdirsyncer_env(
    tmp_path: Path,
    server: Radicale,
    *,
    contacts: Mapping[str, Path] | None = None,
    calendars: Mapping[str, Path] | None = None,
    conflict_resolution: str | None = None,
    create: bool = True,
) -> Vdirsyncer:
    """Configure vdirsyncer in ``tmp_path/vdirsyncer`` to sync server collections with local
    vdirs: ``contacts={"contacts": folder}`` (CardDAV, ``.vcf``), ``calendars={"tasks": folder}``
    (CalDAV, ``.ics``). Keys are collection names (under ``/user/``) or paths. Each pair is
    named ``contacts_<name>`` / ``calendar_<name>``, with side a the server and b the folder,
    and ``collections = null`` (the explicit collection URL, no discovery of others).

    ``conflict_resolution``: None (vdirsyncer's default) makes a conflicting change on both
    sides an error, so ``sync()`` fails loudly; ``"a wins"`` (server) or ``"b wins"`` (local)
    pick a side. With ``create``, missing local folders and server collections are created."""
    root = tmp_path / "vdirsyncer"
    home = root / "home"
    status = root / "status"
    for folder in (home, status):
        folder.mkdir(parents=True, exist_ok=True)
    pairs: dict[str, tuple[str, Path]] = {}
    lines = ["[general]", f"status_path = {_value(str(status) + '/')}", ""]
    resolution = "null" if conflict_resolution is None else _value(conflict_resolution)
    specs = [("contacts", "carddav", ".vcf", contacts or {})]
    specs.append(("calendar", "caldav", ".ics", calendars or {}))
    for kind, dav_type, ext, mapping in specs:
        for collection, folder in mapping.items():
            path = server.collection_path(collection)
            local = Path(folder)
            if create:
                local.mkdir(parents=True, exist_ok=True)
                server.make_collection(collection, kind, exist_ok=True)
            name = f"{kind}_" + re.sub(r"[^A-Za-z0-9_]", "_", path.strip("/").split("/")[-1])
            pairs[name] = (path, local)
            lines += [
                f"[pair {name}]",
                f'a = "{name}_remote"',
                f'b = "{name}_local"',
                "collections = null",
                f"conflict_resolution = {resolution}",
                "",
                f"[storage {name}_remote]",
                f'type = "{dav_type}"',
                f"url = {_value(server.collection_url(collection))}",
                f"username = {_value(server.user)}",
                f"password = {_value(server.password)}",
                "",
                f"[storage {name}_local]",
                'type = "filesystem"',
                f"path = {_value(str(local))}",
                f'fileext = "{ext}"',
                "",
            ]
    if not pairs:
        raise ValueError("give contacts= and/or calendars=")
    config = root / "config"
    config.write_text("\n".join(lines), encoding="utf-8")
    env = loopback_env(home, VDIRSYNCER_CONFIG=str(config))
    return Vdirsyncer(root, config, env, pairs)


# -- sample items -------------------------------------------------------------------------------


def vcard(uid: str, fn: str, *lines: str) -> bytes:
    """A vCard 3.0 (CRLF) with ``N:;FN;;;`` unless a line starting with ``N:`` is given.
    ``fn`` and ``lines`` go in as written: escape ``,`` and ``;`` in TEXT values yourself."""
    body = list(lines)
    if not any(line.startswith("N:") for line in body):
        body.insert(0, f"N:;{fn};;;")
    text = ["BEGIN:VCARD", "VERSION:3.0", f"UID:{uid}", f"FN:{fn}", *body, "END:VCARD"]
    return ("\r\n".join(text) + "\r\n").encode()


def vcalendar(component: str, uid: str, summary: str, *lines: str) -> bytes:
    """A VCALENDAR holding one ``component`` (``"VTODO"`` or ``"VEVENT"``); a VEVENT gets
    a DTSTART unless one is given."""
    body = list(lines)
    if component == "VEVENT" and not any(line.startswith("DTSTART") for line in body):
        body.append("DTSTART;VALUE=DATE:20261201")
    text = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//lrm//tests//EN",
        f"BEGIN:{component}",
        f"UID:{uid}",
        "DTSTAMP:20261129T120000Z",
        f"SUMMARY:{summary}",
        *body,
        f"END:{component}",
        "END:VCALENDAR",
    ]
    return ("\r\n".join(text) + "\r\n").encode()
