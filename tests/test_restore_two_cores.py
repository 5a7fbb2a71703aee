"""A restore (`lrm import json` into an empty database) of a big file reads and checks it
in a second process while this one writes (services/json_io.py: ``_reading``): the same
database, the same errors at the same place, nothing written from a bad file, and no
process left behind. Standard input is read in-process."""

from __future__ import annotations

import json
import multiprocessing
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from test_sync_two_cores import counting_starts

from lrm_cli import background
from lrm_cli.services import json_io

pytestmark = pytest.mark.skipif(not background.available(), reason="no fork or one core here")


@contextmanager
def reading_apart(monkeypatch, apart: bool) -> Iterator[list[int]]:
    """Inside: every file is read in a second process (``apart``), or none; yields the
    list of the processes started, filled as they are."""
    with monkeypatch.context() as m:
        m.setattr(json_io, "READ_APART", 1 if apart else 1 << 40)
        yield counting_starts(m)
    assert multiprocessing.active_children() == []


def _empty(target: Path, template: Path) -> Path:
    shutil.copyfile(template, target)
    target.chmod(0o600)
    return target


def _exported(lrm, isolated) -> str:
    """A small world's `lrm export json`, every section filled, ids with holes."""
    for i in range(12):
        lrm("add", f"Person {i}", "--email", f"p{i}@example.org", "--tag", f"t{i % 3}")
    lrm("note", "Person 1", "Met at the \u00e9cole")
    lrm("date", "add", "Person 3", "--kind", "anniversary", "--on", "--06-01")
    lrm("relate", "Person 1", "Person 2", "--as", "colleague")
    lrm("remind", "Person 2", "send the photos", "--on", "2026-12-20")
    for i in range(30):
        lrm("log", f"Person {i % 12}", f"Person {(i * 5) % 12}", "--kind", "call",
            "--when", f"2026-{i % 11 + 1:02d}-1{i % 9}", "--summary", f"talk {i}")  # fmt: skip
    lrm("forget", "Person 0", "--yes")
    lrm("interaction", "rm", "3")
    path = isolated / "backup.json"
    assert lrm("export", "json", "--out", str(path)).exit_code == 0
    return str(path)


def test_a_restore_read_apart_is_what_one_process_writes(lrm, isolated, template_db, monkeypatch):
    backup = _exported(lrm, isolated)
    exports = {}
    for how in ("apart", "alone"):
        target = _empty(isolated / f"{how}.sqlite3", template_db)
        with reading_apart(monkeypatch, how == "apart") as started:
            result = lrm("--db", str(target), "import", "json", backup, "--json")
        assert result.exit_code == 0, result.stderr
        assert len(started) == (how == "apart")
        exports[how] = (result.json(), lrm("--db", str(target), "export", "json").stdout)
    assert exports["apart"] == exports["alone"]
    written = json.loads(Path(backup).read_text("utf-8"))["interactions"]
    assert exports["apart"][0]["created"]["interactions"] == len(written) > 20
    assert exports["apart"][1] == lrm("export", "json").stdout  # the database exported


def test_a_bad_record_read_apart_fails_as_in_one_process(lrm, isolated, template_db, monkeypatch):
    doc = json.loads(Path(_exported(lrm, isolated)).read_text("utf-8"))
    doc["interactions"][-1]["kind"] = "coffee"  # the last record: after many inserts
    bad = isolated / "bad.json"
    bad.write_text(json.dumps(doc, indent=1), "utf-8")
    errors = {}
    for how in ("apart", "alone"):
        target = _empty(isolated / f"{how}.sqlite3", template_db)
        with reading_apart(monkeypatch, how == "apart") as started:
            result = lrm("--db", str(target), "import", "json", str(bad))
        assert len(started) == (how == "apart")
        assert result.exit_code == 5
        errors[how] = result.stderr
        listed = lrm("--db", str(target), "list", "--json", "--all")
        assert listed.json() == []  # nothing written
    assert errors["apart"] == errors["alone"]
    last = len(doc["interactions"]) - 1
    assert f"bad.json: interactions[{last}].kind: unknown kind 'coffee'" in errors["apart"]


def test_standard_input_is_read_in_this_process(lrm, isolated, template_db, monkeypatch):
    backup = _exported(lrm, isolated)
    target = _empty(isolated / "stdin.sqlite3", template_db)
    with reading_apart(monkeypatch, True) as started:
        text = Path(backup).read_text("utf-8")
        result = lrm("--db", str(target), "import", "json", "-", input=text)
    assert result.exit_code == 0, result.stderr
    assert started == []
    assert lrm("--db", str(target), "export", "json").stdout == lrm("export", "json").stdout


def test_no_process_to_be_had_reads_here(lrm, isolated, template_db, monkeypatch):
    backup = _exported(lrm, isolated)
    target = _empty(isolated / "alone.sqlite3", template_db)

    def refused(produce):
        raise OSError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(json_io, "READ_APART", 1)
    monkeypatch.setattr(background, "_start", refused)
    result = lrm("--db", str(target), "import", "json", backup)
    assert result.exit_code == 0, result.stderr
    assert lrm("--db", str(target), "export", "json").stdout == lrm("export", "json").stdout
