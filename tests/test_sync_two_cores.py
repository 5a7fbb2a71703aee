"""A big first `lrm sync` renders and writes its new cards and calendar items on two
cores (background.split_map: a forked child takes the second half) while the disk's
waits overlap the rendering (vdir.Writer). The files, the state recorded and the report
must be those of one process doing it all."""

from __future__ import annotations

import multiprocessing
import os
import shutil
import signal
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from test_sync import PHONE_CARD, sync, write_config

from lrm_cli import background
from lrm_cli.errors import LrmError


def counting_starts(m: pytest.MonkeyPatch) -> list[int]:
    """Patch background._start and background._fork (through ``m``) to count the
    processes they start (a stream of items; split_map's shares); returns the list of
    the forked pids, filled as they start (0 for a multiprocessing child)."""
    started: list[int] = []
    real_start, real_fork = background._start, background._fork

    def counted_start(produce):
        started.append(0)
        return real_start(produce)

    def counted_fork(make):
        child = real_fork(make)
        started.append(child.pid)
        return child

    m.setattr(background, "_start", counted_start)
    m.setattr(background, "_fork", counted_fork)
    return started


def assert_none_left(started: list[int]) -> None:
    """Every process started is gone, and waited for (no zombie)."""
    assert multiprocessing.active_children() == []
    for pid in started:
        if pid:
            with pytest.raises(ChildProcessError):
                os.waitpid(pid, os.WNOHANG)


@contextmanager
def two_cores(monkeypatch, split: bool) -> Iterator[list[int]]:
    """Inside: background.split_map forks from 2 items on (``split``), or never; yields
    the list of the forks it made, filled as they happen."""
    started: list[int] = []
    with monkeypatch.context() as m:
        if split:
            m.setattr(background, "SPLIT_FROM", 2)
            started = counting_starts(m)
        else:
            m.setattr(background, "available", lambda: False)
        yield started
    assert_none_left(started)


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


def _split_map(monkeypatch, make, work, min_share=1):
    """background.split_map of ``work`` in shares of ``min_share`` items and more;
    returns its result, after checking that no process is left behind."""
    monkeypatch.setattr(background, "SPLIT_FROM", 2)
    monkeypatch.setattr(background, "MIN_SHARE", min_share)
    with monkeypatch.context() as m:
        started = counting_starts(m)
        try:
            return background.split_map(make, work)
        finally:
            assert_none_left(started)


@pytest.mark.skipif(not background.available(), reason="no fork or one core here")
@pytest.mark.parametrize(
    ("size", "min_share"),
    [(0, 1), (1, 1), (2, 1), (3, 1), (10, 1), (401, 32), (2000, 1), (2000, 32)],
)
def test_split_map_gives_what_one_process_gives_in_order(monkeypatch, size, min_share):
    work = [f"item {n}".encode() for n in range(size)]

    def make(part):
        return (item.upper() + b"!" for item in part)

    assert _split_map(monkeypatch, make, work, min_share) == list(make(work))


@pytest.mark.skipif(not background.available(), reason="no fork or one core here")
def test_split_map_gives_more_to_the_faster_process(monkeypatch):
    """The shares go to whichever process is free: here this one is slow, so the child
    makes most of them, and the results still come in order."""
    parent = os.getpid()

    def make(part):
        if os.getpid() == parent:
            time.sleep(0.05)
        return [(n, os.getpid()) for n in part]

    made = _split_map(monkeypatch, make, list(range(64)))
    assert [n for n, _ in made] == list(range(64))
    here = sum(pid == parent for _, pid in made)
    assert here < 16, f"this process made {here} of 64 although 50 ms slower a share"


@pytest.mark.skipif(not background.available(), reason="no fork or one core here")
@pytest.mark.parametrize("where", ["here", "child"])
def test_split_map_raises_a_failure_in_either_process_and_leaves_no_process(monkeypatch, where):
    parent = os.getpid()

    def make(part):
        for n in part:
            if (os.getpid() == parent) == (where == "here"):
                raise ValueError(f"cannot make {n} ({where})")
            time.sleep(0.001)  # the other process takes its share meanwhile
            yield n

    with pytest.raises(ValueError, match=rf"cannot make \d+ \({where}\)"):
        _split_map(monkeypatch, make, list(range(200)))


@pytest.mark.skipif(not background.available(), reason="no fork or one core here")
@pytest.mark.parametrize("how", ["killed", "unpicklable"])
def test_split_map_says_when_the_child_cannot_give_its_results(monkeypatch, how):
    parent = os.getpid()

    def make(part):
        if os.getpid() != parent:
            if how == "killed":
                os.kill(os.getpid(), signal.SIGKILL)
            return [lambda n=n: n for n in part]  # no pickle for a lambda
        time.sleep(0.01)  # the child takes its share meanwhile
        return list(part)

    expected = "killed by signal 9" if how == "killed" else "PicklingError|AttributeError"
    with pytest.raises(LrmError, match=expected):
        _split_map(monkeypatch, make, list(range(100)))


@pytest.mark.skipif(not background.available(), reason="no fork or one core here")
def test_split_map_without_a_process_to_be_had_works_alone(monkeypatch):
    monkeypatch.setattr(background, "SPLIT_FROM", 2)

    def no_process(produce):
        raise BlockingIOError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(background, "_fork", no_process)
    assert background.split_map(lambda part: [n * 2 for n in part], list(range(9))) == [
        n * 2 for n in range(9)
    ]
