"""A big vCard import (issue 14: no slower than vobject's bare parse) parses its cards in a
forked child process while it writes (lrm_cli/background.py), and indexes the new rows
for search in one statement per kind at the end (store/search.py ``deferred``). Neither
may change what an import does: the same report, the same rows, the same index as an
import parsed in-process with the index kept by its triggers row by row."""

from __future__ import annotations

import itertools
import json
import os
import signal
import sqlite3
import time
from pathlib import Path

import pytest
from conftest import copy_database
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lrm_cli import background
from lrm_cli.domain import InvalidInput
from lrm_cli.errors import LrmError
from lrm_cli.formats import vcard
from lrm_cli.services import vcard_io
from lrm_cli.store import search

CORPUS = sorted((Path(__file__).parent / "vcards").glob("*.vcf"))
needs_fork = pytest.mark.skipif(not background.available(), reason="no fork or one core")


# --- the child process ------------------------------------------------------------------


@needs_fork
def test_items_come_in_order_from_another_process():
    def produce():
        for i in range(300):
            yield (os.getpid(), i, "x" * 5000)  # more than a pipe buffer holds

    got = list(background.items(produce))
    assert [i for _, i, _ in got] == list(range(300))
    assert {pid for pid, _, _ in got} != {os.getpid()}


@needs_fork
def test_a_failure_in_the_child_is_raised_where_it_happened():
    def produce():
        yield 1
        raise InvalidInput("f.vcf: absurd nesting", hint="split the file")

    seen = []
    with pytest.raises(InvalidInput) as caught:
        for item in background.items(produce):
            seen.append(item)
    assert seen == [1]
    assert caught.value.message == "f.vcf: absurd nesting"
    assert caught.value.hint == "split the file"


@needs_fork
def test_a_child_that_dies_is_an_error_not_a_hang():
    def produce():
        yield 1
        os.kill(os.getpid(), signal.SIGKILL)
        yield 2

    with pytest.raises(LrmError, match=r"stopped unexpectedly \(killed by signal 9\)"):
        list(background.items(produce))


@needs_fork
def test_stopping_early_stops_the_child(tmp_path):
    marker = tmp_path / "pid"

    def produce():
        marker.write_text(str(os.getpid()))
        while True:
            yield b"x" * 4096

    items = background.items(produce)
    next(items)
    pid = int(marker.read_text())
    items.close()
    if not _gone(pid, within=5):
        pytest.fail("the child process is still running")


def _gone(pid: int, within: float) -> bool:
    """The process ``pid`` ended within ``within`` seconds."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.01)
    return False


# --- an import parsed apart is an import parsed in-process ----------------------------------


def _accepted_corpus() -> list[Path]:
    out = []
    for path in CORPUS:
        try:
            vcard.split(path.read_bytes(), path.name)
        except InvalidInput:
            continue
        if vcard.not_a_vcard(path.read_bytes(), path.name) is None:  # empty.vcf is refused
            out.append(path)
    return out


def _export(lrm, *db: str) -> dict:
    result = lrm(*db, "export", "json")
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    document.pop("exported_at")
    return document


def _import(lrm, *args: str) -> tuple[int, dict | str]:
    """The exit code and the JSON report (the error line when there is none)."""
    result = lrm(*args, "--json")
    try:
        return result.exit_code, result.json()
    except ValueError:
        return result.exit_code, result.stderr


@needs_fork
@pytest.mark.parametrize("strict", [False, True])
def test_the_corpus_imports_the_same_parsed_apart(lrm, tmp_path, monkeypatch, strict):
    files = [str(p) for p in _accepted_corpus()]
    assert len(files) > 5
    command = ["import", "vcard", *files, *(["--strict"] if strict else [])]
    forks = []
    real = background.items
    monkeypatch.setattr(background, "items", lambda produce: forks.append(1) or real(produce))

    monkeypatch.setattr(vcard_io, "PARSE_APART", 10**9)
    alone = _import(lrm, *command)
    assert forks == []
    monkeypatch.setattr(vcard_io, "PARSE_APART", 1)
    other = ("--db", str(tmp_path / "other.sqlite3"))
    apart = _import(lrm, *other, *command)
    assert forks == [1]

    assert apart == alone
    assert alone[0] == (5 if strict else 0)  # the corpus holds bad cards
    assert _export(lrm, *other) == _export(lrm)


@pytest.mark.parametrize("apart", [False, True], ids=["alone", "apart"])
def test_phones_are_normalised_beside_the_parse_and_the_ones_kept_as_written_are_named(
    lrm, monkeypatch, tmp_path, apart
):
    """The parse normalises each card's emails and phones (in the child, for a big file);
    the import still names, in card order, each number it keeps as written."""
    if apart and not background.available():
        pytest.skip("no fork or one core")
    phones = [f"ask desk {i}" if i % 3 == 0 else f"+44 20 7946 {i:04d}" for i in range(12)]
    cards = "".join(
        f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Person {i}\r\n"
        f"TEL:{phones[i]}\r\n"
        f"EMAIL:Person.{i}@Example.ORG\r\nEND:VCARD\r\n"
        for i in range(12)
    )
    path = tmp_path / "phone.vcf"
    path.write_text(cards)
    monkeypatch.setattr(vcard_io, "PARSE_APART", 1 if apart else 10**9)
    monkeypatch.setattr(vcard_io, "APART_BLOCK", 300)  # a piece of two or three cards
    monkeypatch.setattr(vcard, "PIECE_BYTES", 300)
    code, report = _import(lrm, "import", "vcard", str(path))
    assert code == 0, report
    assert report["warnings"] == [
        f"{path}:{1 + 6 * i}: kept phone 'ask desk {i}' as written" for i in (0, 3, 6, 9)
    ]
    people = {p["name"]: p for p in lrm("list", "--json").json()}
    shown = lrm("show", str(people["Person 4"]["id"]), "--json").json()
    assert [m["value"] for m in shown["methods"]] == ["+442079460004", "person.4@example.org"]


# --- the search index after an import with its triggers set aside ---------------------------

NAMES = ["Ada Lovelace", "Ada Lovelace-King", "Grace Hopper", "Jörg Müller", "Émilie Du"]
EMAILS = ["ada@example.org", "grace@navy.mil", "jojo@example.de"]
PHONES = ["+44 20 7946 0000", "030 1234-567", "+1 (212) 555-0100"]


@st.composite
def cards(draw) -> str:
    lines = ["BEGIN:VCARD", "VERSION:3.0", f"FN:{draw(st.sampled_from(NAMES))}"]
    if draw(st.booleans()):
        lines.append(f"UID:u-{draw(st.integers(0, 4))}")  # the same UID twice: one contact
    for email in draw(st.lists(st.sampled_from(EMAILS), max_size=2)):
        lines.append(f"EMAIL:{email}")
    for phone in draw(st.lists(st.sampled_from(PHONES), max_size=2)):
        lines.append(f"TEL:{phone}")
    if draw(st.booleans()):
        lines.append(f"ORG:{draw(st.sampled_from(['Navy', 'Analytical Engines']))}")
    if draw(st.booleans()):
        lines.append(f"NICKNAME:{draw(st.sampled_from(['Jojo', 'Amazing Grace']))}")
    if draw(st.booleans()):
        lines.append(f"NOTE:{draw(st.sampled_from(['met at PyCon', 'owes me a book']))}")
    if draw(st.booleans()):
        lines.append("BDAY:--12-10")
    if draw(st.booleans()):
        lines.append(f"CATEGORIES:{draw(st.sampled_from(['friends', 'work']))}")
    return "\r\n".join([*lines, "END:VCARD", ""])


def _triggers(path: Path) -> dict[str, str]:
    conn = sqlite3.connect(path)
    try:
        return dict(conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'"))
    finally:
        conn.close()


_EXAMPLES = itertools.count()


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    before=st.lists(st.sampled_from(NAMES), max_size=2),
    files=st.lists(st.lists(cards(), min_size=1, max_size=6), min_size=1, max_size=2),
    dry_run=st.booleans(),
)
def test_after_an_import_the_index_is_what_its_rows_give(
    lrm, template_db, tmp_path, before, files, dry_run
):
    folder = tmp_path / f"example-{next(_EXAMPLES)}"
    folder.mkdir()
    db = folder / "lrm.sqlite3"

    def run(*args: str):
        result = lrm("--db", str(db), *args)
        assert result.exit_code == 0, result.stderr
        return result

    copy_database(template_db, db)
    run("db", "check")
    triggers = _triggers(db)
    for name in before:
        run("add", name, "--email", EMAILS[0], "--org", "Navy")
    paths = []
    for i, texts in enumerate(files):
        path = folder / f"cards-{i}.vcf"
        path.write_text("".join(texts), newline="")
        paths.append(str(path))
    run("import", "vcard", *paths, *(["--dry-run"] if dry_run else []))
    assert _triggers(db) == triggers  # put back as they were
    conn = sqlite3.connect(db)
    try:
        state = search.inspect(conn)
        assert state.rows > 0 or (dry_run and not before)
        assert (state.missing_triggers, state.integrity, state.stale) == ([], None, 0)
        contact = conn.execute("SELECT max(id) FROM contact").fetchone()[0]
    finally:
        conn.close()
    if contact is not None:  # the triggers work again: an edit after the import is indexed
        run("edit", str(contact), "--org", "Zeppelin Works")
        hits = run("search", "zeppelin", "--json").json()
        assert [h["contact"]["id"] for h in hits] == [contact]


@needs_fork
def test_a_parent_that_dies_takes_the_child_with_it_and_holds_no_output_open(tmp_path):
    # killed (kill -9, out of memory): the child must not wait forever on a pipe nobody
    # reads, nor keep the parent's stdout open (`lrm import ... | tee log` must end)
    import subprocess
    import sys

    marker = tmp_path / "child"
    script = f"""
import os, signal
from pathlib import Path
from lrm_cli import background

def produce():
    Path({str(marker)!r}).write_text(str(os.getpid()))
    while True:
        yield b"x" * 65536

items = background.items(produce)
next(items)
print("parent going", flush=True)
os.kill(os.getpid(), signal.SIGKILL)
"""
    parent = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE)
    out, _ = parent.communicate(timeout=20)  # EOF: nobody else holds the pipe
    assert out == b"parent going\n"
    pid = int(marker.read_text())
    if not _gone(pid, within=10):
        os.kill(pid, signal.SIGKILL)
        pytest.fail("the child outlived its parent")
