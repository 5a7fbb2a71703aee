"""Several lrm processes at once, and processes killed in the middle of a write."""

from __future__ import annotations

import json
import multiprocessing
import os
import random
import signal
import sqlite3
import string
import subprocess
import sys
import threading
import time
import traceback
from datetime import date
from importlib.metadata import entry_points
from pathlib import Path
from zoneinfo import ZoneInfo

from lrm_cli.store.db import Database
from lrm_cli.store.schema_version import HEAD_REVISION

WORKERS = 4
COMMANDS = 50  # per worker: 25 `add` and 25 `log`, alternating
EMAILS = 12  # per contact added by the killed writers
TAGS = 12

FORK = multiprocessing.get_context("fork")


def _query(path: Path, sql: str, *args) -> list[tuple]:
    conn = sqlite3.connect(path, timeout=30)
    try:
        return conn.execute(sql, args).fetchall()
    finally:
        conn.close()


def _integrity(path: Path) -> str:
    return _query(path, "PRAGMA integrity_check")[0][0]


# --- many lrm processes at once, starting from no database -----------------------------------
#
# Each command is its own process with its own connection, as when cron and the user run
# lrm at the same time. A console script spends ~0.6 s of CPU importing Typer before it
# touches the database, so 200 of them take a minute on two cores: the full-size run forks
# an already imported process per command and calls the console script's entry point in
# it; a smaller run uses the installed script itself.


def _name(w: int, i: int) -> str:
    """Worker ``w``'s ``i``-th contact: random letters, the same in every process, so no
    two are alike (`lrm add` warns of a name like another's, as ``lrm dupes`` would)."""
    pick = random.Random(w * 1000 + i)
    return " ".join("".join(pick.choices(string.ascii_lowercase, k=8)).title() for _ in "ab")


def _commands(w: int, count: int):
    """Alternately add a contact and log an interaction with the one just added."""
    for i in range(count):
        if i % 2 == 0:
            yield ["add", _name(w, i), "-e", f"w{w}.c{i}@example.org"]
        else:
            yield ["log", _name(w, i - 1), "--summary", f"w{w} i{i}"]


def _check_database(path: Path, workers: int, commands: int) -> None:
    adds = workers * ((commands + 1) // 2)
    logs = workers * commands - adds
    assert _query(path, "SELECT count(*) FROM contact") == [(adds,)]
    assert _query(path, "SELECT count(*) FROM contact_method") == [(adds,)]
    assert _query(path, "SELECT count(*) FROM interaction") == [(logs,)]
    # Every interaction has exactly one participant: the contact its summary names.
    rows = _query(
        path,
        "SELECT i.summary, c.display_name FROM interaction i"
        " JOIN interaction_participant p ON p.interaction_id = i.id"
        " JOIN contact c ON c.id = p.contact_id",
    )
    assert len(rows) == logs
    for summary, name in rows:
        w, i = (int(part[1:]) for part in summary.split())
        assert name == _name(w, i - 1)
    assert _query(path, "SELECT version_num FROM alembic_version") == [(HEAD_REVISION,)]
    assert _integrity(path) == "ok"
    # Migrated once; a new database needs no copy beforehand.
    assert [p.name for p in path.parent.iterdir() if ".before-migration-" in p.name] == []


def _console_script():
    """The function the installed ``lrm`` script calls."""
    (entry,) = entry_points(group="console_scripts", name="lrm")
    return entry.load()


def _forked_command(
    args: list[str], db: str, scratch: Path, *, fork: bool = True
) -> tuple[int, str]:
    """Run ``lrm --db DB ARGS`` in a forked child of this (single-threaded) process, or
    in this process itself with ``fork=False``."""
    out_path, err_path = scratch / "out", scratch / "err"
    pid = os.fork() if fork else 0
    if pid == 0:  # the child: never returns
        saved = sys.stdout, sys.stderr, sys.argv
        code = 70
        try:
            sys.stdout = open(out_path, "w")  # noqa: SIM115
            sys.stderr = open(err_path, "w")  # noqa: SIM115
            sys.argv = ["lrm", "--db", db, *args]
            try:
                returned = _console_script()()  # the script does sys.exit(main())
                code = returned if isinstance(returned, int) else int(returned is not None)
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else int(exc.code is not None)
        except BaseException:
            traceback.print_exc()
        finally:
            sys.stdout.close()
            sys.stderr.close()
            if fork:
                os._exit(code)
            sys.stdout, sys.stderr, sys.argv = saved
        return code, err_path.read_text()
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status), err_path.read_text()


def _forking_worker(w: int, count: int, db: str, scratch: str, start) -> None:
    folder = Path(scratch) / f"worker{w}"
    folder.mkdir()
    # Warm up: Typer imports much lazily while parsing; do it once here, not per command.
    warm = str(folder / "warm-up.sqlite3")
    for args in (["add", "Warm Up"], ["log", "Warm Up"]):
        assert _forked_command(args, warm, folder, fork=False)[0] == 0
    results = []
    start.wait()  # every worker's first command races to create and migrate the file
    for args in _commands(w, count):
        code, err = _forked_command(args, db, folder)
        results.append([args, code, err])
    (folder / "results.json").write_text(json.dumps(results))


def test_parallel_processes_on_a_database_that_does_not_exist_yet(tmp_path):
    path = tmp_path / "not-yet" / "lrm.sqlite3"
    path.parent.mkdir()  # lrm creates no folder but its own data folder
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    start = FORK.Barrier(WORKERS)
    workers = [
        FORK.Process(target=_forking_worker, args=(w, COMMANDS, str(path), str(scratch), start))
        for w in range(WORKERS)
    ]
    for proc in workers:
        proc.start()
    for proc in workers:
        proc.join(180)
        assert proc.exitcode == 0
    ran = [
        tuple(r)
        for w in range(WORKERS)
        for r in json.loads((scratch / f"worker{w}" / "results.json").read_text())
    ]
    assert len(ran) == WORKERS * COMMANDS
    assert [(args, code, err) for args, code, err in ran if code != 0 or err] == []
    _check_database(path, WORKERS, COMMANDS)


def test_parallel_console_scripts_on_a_database_that_does_not_exist_yet(lrm_exe, tmp_path):
    # The real thing: installed console scripts racing to create, migrate and write one
    # database. The race is in the first commands; 4 x 15 keeps the suite fast (the
    # in-process test above runs 4 x 50). LRM_FULL_CONCURRENCY=1 runs 4 x 50 scripts too
    # (about a minute on 2 idle cores), LRM_QUICK_CONCURRENCY=1 only 4 x 6.
    commands = 15
    if os.environ.get("LRM_FULL_CONCURRENCY"):
        commands = COMMANDS
    elif os.environ.get("LRM_QUICK_CONCURRENCY"):
        commands = 6
    path = tmp_path / "not-yet" / "lrm.sqlite3"
    path.parent.mkdir()  # lrm creates no folder but its own data folder
    env = {**os.environ, "LRM_DB": str(path)}
    start = threading.Barrier(WORKERS)
    results: dict[int, list[tuple[list[str], int, str]]] = {}

    def worker(w: int) -> None:
        done = results.setdefault(w, [])
        start.wait()
        for args in _commands(w, commands):
            proc = subprocess.run(
                [lrm_exe, *args], capture_output=True, text=True, env=env, timeout=120
            )
            done.append((args, proc.returncode, proc.stderr))

    threads = [threading.Thread(target=worker, args=(w,)) for w in range(WORKERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    ran = [r for w in range(WORKERS) for r in results.get(w, [])]
    assert len(ran) == WORKERS * commands
    assert [(args, code, err) for args, code, err in ran if code != 0 or err] == []
    _check_database(path, WORKERS, commands)


# --- SIGKILL in the middle of writes -------------------------------------------------------


def _writer(path: str, seed: int, started) -> None:
    """Write until killed: contacts with many methods and tags, and interactions with up
    to four participants, each one transaction through the real service code."""
    from lrm_cli.clock import Clock
    from lrm_cli.services.contacts import ContactChanges, add_contact
    from lrm_cli.services.records import LogRequest, log_interaction

    clock = Clock.pinned(date(2026, 11, 29), ZoneInfo("Europe/London"))
    db = Database(Path(path))
    started.set()
    added: list[int] = []
    n = 0
    while True:
        contact = add_contact(
            db,
            ContactChanges(
                name=f"Killed{seed} N{n}",
                emails=[f"k{seed}.{n}.{j}@example.org" for j in range(EMAILS)],
                tags=[f"t{seed}-{n}-{j}" for j in range(TAGS)],
            ),
            clock,
        )
        added.append(contact.id)
        people = added[-4:]
        log_interaction(
            db,
            LogRequest(contacts=[f"#{i}" for i in people], summary=f"expect {len(people)}"),
            clock,
        )
        n += 1


def _assert_whole_or_absent(path: Path) -> tuple[int, int]:
    assert _integrity(path) == "ok"
    assert _query(path, "PRAGMA foreign_key_check") == []
    contacts = _query(
        path,
        "SELECT c.display_name,"
        " (SELECT count(*) FROM contact_method m WHERE m.contact_id = c.id),"
        " (SELECT count(*) FROM contact_tag t WHERE t.contact_id = c.id)"
        " FROM contact c",
    )
    partial = [row for row in contacts if row[1:] != (EMAILS, TAGS)]
    assert partial == []
    interactions = _query(
        path,
        "SELECT i.summary, (SELECT count(*) FROM interaction_participant p"
        " WHERE p.interaction_id = i.id) FROM interaction i",
    )
    partial = [row for row in interactions if row[0] != f"expect {row[1]}"]
    assert partial == []
    tags_in_use = _query(path, "SELECT count(*) FROM tag")[0][0]
    assert tags_in_use == len(contacts) * TAGS  # no tag rows left over from a lost write
    return len(contacts), len(interactions)


def test_writers_killed_at_random_moments_leave_whole_writes_only(tmp_path):
    path = tmp_path / "lrm.sqlite3"
    Database(path).close()
    rng = random.Random(20261129)
    seen_contacts = 0
    for seed in range(20):
        started = FORK.Event()
        proc = FORK.Process(target=_writer, args=(str(path), seed, started), daemon=True)
        proc.start()
        deadline = time.monotonic() + 60
        while not started.wait(0.05):
            assert proc.is_alive(), f"the writer died on its own (exit {proc.exitcode})"
            assert time.monotonic() < deadline, "the writer did not start"
        time.sleep(rng.uniform(0, 0.3))
        os.kill(proc.pid, signal.SIGKILL)
        proc.join(30)
        assert proc.exitcode == -signal.SIGKILL
        contacts, _ = _assert_whole_or_absent(path)
        assert contacts >= seen_contacts  # committed writes survive the kill
        seen_contacts = contacts
    assert seen_contacts > 20  # the writers did write (the test is not vacuous)

    # And lrm itself still opens and writes to the database.
    db = Database(path)
    try:
        with db.write() as conn:
            conn.execute("INSERT INTO tag (name) VALUES ('after')")
    finally:
        db.close()
    assert _integrity(path) == "ok"


def _first_use(path: str) -> None:
    Database(Path(path)).close()


def test_kill_during_first_migration_leaves_a_usable_database(tmp_path):
    """The migration of a new database is one transaction: a process killed during it
    leaves an empty file that the next lrm migrates, never a half-built schema."""
    Database(tmp_path / "cold.sqlite3").close()  # imports Alembic into this process
    began = time.perf_counter()
    Database(tmp_path / "warm.sqlite3").close()
    duration = time.perf_counter() - began  # what a forked child will take to migrate
    rng = random.Random(7)
    for attempt in range(12):
        path = tmp_path / f"new-{attempt}" / "lrm.sqlite3"
        proc = FORK.Process(target=_first_use, args=(str(path),), daemon=True)
        proc.start()
        time.sleep(rng.uniform(0, duration * 1.2))
        os.kill(proc.pid, signal.SIGKILL)
        proc.join(30)
        db = Database(path)  # must not say "not an lrm database"
        try:
            with db.write() as conn:
                conn.execute("INSERT INTO tag (name) VALUES ('ok')")
        finally:
            db.close()
        assert _query(path, "SELECT version_num FROM alembic_version") == [(HEAD_REVISION,)]
        assert _integrity(path) == "ok"
