"""A big first `lrm sync` renders and writes its new cards and calendar items on two
cores (background.split_map: a forked child takes the second half) while the disk's
waits overlap the rendering (vdir.Writer). The files, the state recorded and the report
must be those of one process doing it all."""

from __future__ import annotations

import multiprocessing
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from test_sync import PHONE_CARD, sync, write_config

from lrm_cli import background


def counting_starts(m: pytest.MonkeyPatch) -> list[int]:
    """Patch background._start (through ``m``) to count the processes it starts; returns
    the list, filled as they start."""
    started: list[int] = []
    real_start = background._start

    def counted(produce):
        started.append(1)
        return real_start(produce)

    m.setattr(background, "_start", counted)
    return started


@contextmanager
def two_cores(monkeypatch, split: bool) -> Iterator[list[int]]:
    """Inside: background.split_map forks from 2 items on (``split``), or never; yields
    the list of the forks it made, filled as they happen."""
    with monkeypatch.context() as m:
        if split:
            m.setattr(background, "SPLIT_FROM", 2)
            yield counting_starts(m)
        else:
            m.setattr(background, "available", lambda: False)
            yield []
    assert multiprocessing.active_children() == []


def _world(lrm) -> None:
    for i in range(7):
        lrm(
            "add", f"Person {i}", "--email", f"p{i}@example.org",
            "--birthday", f"1990-0{i + 1}-1{i}", "--tag", "friends",
        )  # fmt: skip
    lrm("note", "Person 1", "Met at the \u00e9cole")
    lrm("remind", "Person 2", "send the photos", "--on", "2026-12-20")
    lrm("date", "add", "Person 3", "--kind", "anniversary", "--on", "--06-01")


def _folders(root: Path) -> dict[str, Path]:
    out = {name: root / name for name in ("cards", "todos", "events")}
    for path in out.values():
        path.mkdir(parents=True)
    return out


def _files(folders: dict[str, Path]) -> dict[str, dict[str, bytes]]:
    return {
        name: {p.name: p.read_bytes() for p in sorted(folder.iterdir())}
        for name, folder in folders.items()
    }


def _state(db: Path, folders: dict[str, Path]) -> list[tuple]:
    """The sync rows, folders named by kind; of each remote hash, the bytes' and the
    content's hashes (the stat signature differs from file to file)."""
    kinds = {str(path): name for name, path in folders.items()}
    with sqlite3.connect(db) as conn:
        rows = conn.execute(
            "SELECT folder, href, uid, local_hash, remote_hash FROM sync_item"
            " WHERE folder NOT LIKE 'calendar %' ORDER BY folder, href"
        ).fetchall()
    return sorted(
        (kinds[f], href, uid, local, tuple(remote.split(" ")[:2]))
        for f, href, uid, local, remote in rows
    )


def _without_paths(report: dict, folders: dict[str, Path]) -> str:
    text = repr(report)
    for name, path in folders.items():
        text = text.replace(str(path), name.upper())
    return text


@pytest.mark.skipif(not background.available(), reason="no fork or one core here")
def test_a_first_sync_on_two_cores_writes_what_one_process_writes(
    lrm, isolated, db_path, monkeypatch
):
    _world(lrm)
    alone_db = isolated / "alone.sqlite3"
    shutil.copy2(db_path, alone_db)
    runs = {}
    for how in ("split", "alone"):
        folders = _folders(isolated / how)
        (folders["cards"] / "phone.vcf").write_text(PHONE_CARD, encoding="utf-8")
        write_config(isolated, folders)
        db = db_path if how == "split" else alone_db
        with two_cores(monkeypatch, how == "split") as forks:
            report = sync(lrm, "--db", str(db))
        assert multiprocessing.active_children() == []
        runs[how] = (report, folders, db, len(forks))
    split, alone = runs["split"], runs["alone"]
    assert split[3] >= 2  # the cards and the calendar items were each split
    assert alone[3] == 0
    assert split[0]["contacts"]["vdir"]["created"] == 7
    assert split[0]["calendar"]["vdir"]["created"] >= 9  # birthdays, a date, a reminder...
    assert _files(split[1]) == _files(alone[1])
    assert _state(split[2], split[1]) == _state(alone[2], alone[1])
    # each file's row holds its stat signature as written: the next sync need not read it
    with sqlite3.connect(split[2]) as conn:
        remotes = conn.execute(
            "SELECT remote_hash FROM sync_item WHERE folder NOT LIKE 'calendar %'"
        ).fetchall()
    assert len(remotes) == sum(len(files) for files in _files(split[1]).values())
    assert all(len(r.split(" ")) == 3 and r.split(" ")[2] for (r,) in remotes), remotes
    assert _without_paths(split[0], split[1]) == _without_paths(alone[0], alone[1])
    # what was recorded is each file as written: the next sync rewrites nothing
    write_config(isolated, split[1])
    again = sync(lrm, "--db", str(split[2]))
    assert again["contacts"]["vdir"]["created"] == again["contacts"]["vdir"]["updated"] == 0
    assert again["calendar"]["vdir"]["created"] == again["calendar"]["vdir"]["updated"] == 0
    assert again["calendar"]["vdir"]["unchanged"] == split[0]["calendar"]["vdir"]["created"]


@pytest.mark.skipif(not background.available(), reason="no fork or one core here")
@pytest.mark.parametrize("size", [0, 1, 2, 3, 10, 401])
def test_split_map_gives_what_one_process_gives_in_order(monkeypatch, size):
    monkeypatch.setattr(background, "SPLIT_FROM", 2)
    work = [f"item {n}".encode() for n in range(size)]

    def make(part):
        return (item.upper() + b"!" for item in part)

    assert background.split_map(make, work) == list(make(work))
    assert multiprocessing.active_children() == []


@pytest.mark.skipif(not background.available(), reason="no fork or one core here")
def test_split_map_raises_a_failure_of_either_half_and_leaves_no_process(monkeypatch):
    monkeypatch.setattr(background, "SPLIT_FROM", 2)

    def failing_at(bad):
        def make(part):
            for n in part:
                if n == bad:
                    raise ValueError(f"cannot make {n}")
                yield n

        return make

    for bad in (1, 8):  # in this process's half, in the child's
        with pytest.raises(ValueError, match=f"cannot make {bad}"):
            background.split_map(failing_at(bad), list(range(10)))
        assert multiprocessing.active_children() == []


@pytest.mark.skipif(not background.available(), reason="no fork or one core here")
def test_split_map_without_a_process_to_be_had_works_alone(monkeypatch):
    monkeypatch.setattr(background, "SPLIT_FROM", 2)

    def no_process(produce):
        raise BlockingIOError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(background, "_start", no_process)
    assert background.split_map(lambda part: [n * 2 for n in part], list(range(9))) == [
        n * 2 for n in range(9)
    ]
