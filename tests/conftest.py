"""Shared fixtures. Every test runs against its own temporary database and config, with a
pinned date and zone, so no test can touch the user's real data (autouse)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from lrm_cli.cli.app import build_app

TODAY = "2026-11-29"


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    monkeypatch.setenv("LRM_DB", str(tmp_path / "data" / "lrm.sqlite3"))
    (tmp_path / "data").mkdir(mode=0o700)  # lrm creates no folder but its default one
    monkeypatch.setenv("LRM_CONFIG", str(tmp_path / "config.toml"))
    monkeypatch.setenv("LRM_TODAY", TODAY)
    monkeypatch.setenv("TZ", "Europe/London")
    monkeypatch.setenv("COLUMNS", "120")
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("LRM_PHONE_REGION", raising=False)
    # Temporary files (lrm demo's throw-away database, editors' files) stay in the test's
    # own folder, in this process and in the processes it starts.
    scratch = home / "tmp"
    scratch.mkdir()
    monkeypatch.setenv("TMPDIR", str(scratch))
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    return tmp_path


@dataclass
class Result:
    exit_code: int
    stdout: str
    stderr: str

    def json(self):
        return json.loads(self.stdout)


@pytest.fixture
def db_path(isolated: Path) -> Path:
    return isolated / "data" / "lrm.sqlite3"


@pytest.fixture(scope="session")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One migrated empty database, copied for each test (migrating costs ~0.15 s)."""
    from lrm_cli.store.db import Database

    path = tmp_path_factory.mktemp("template") / "lrm.sqlite3"
    Database(path).close()
    return path


_TREE: list = []


def _shared_app():
    """One Typer tree for the whole test process, converted to click once: Typer's test
    runner converts the tree again on every invocation (~35 ms, most of an in-process
    command's time), and the converted tree is stateless between invocations."""
    if not _TREE:
        import typer.testing

        app = build_app()
        command = typer.testing._get_command(app)
        convert = typer.testing._get_command
        typer.testing._get_command = lambda a: command if a is app else convert(a)
        _TREE.append(app)
    return _TREE[0]


@pytest.fixture
def sync_folders(isolated: Path) -> dict[str, Path]:
    """Empty vdir folders for `lrm sync` (cards, todos, events), named in the config."""
    out = {name: isolated / name for name in ("cards", "todos", "events")}
    for path in out.values():
        path.mkdir()
    (isolated / "config.toml").write_text(
        "[sync]\n"
        f'contacts_vdir = "{out["cards"]}"\n'
        f'calendar_vdir = "{out["todos"]}"\n'
        f'events_vdir = "{out["events"]}"\n',
        encoding="utf-8",
    )
    return out


@pytest.fixture
def lrm(db_path: Path, template_db: Path):
    """Run the real Typer app in-process: ``lrm("add", "Ada")`` -> Result.

    The test's database starts as a copy of an already migrated empty one."""
    db_path.parent.mkdir(mode=0o700, exist_ok=True)
    shutil.copyfile(template_db, db_path)
    db_path.chmod(0o600)
    app = _shared_app()
    runner = CliRunner()

    def run(*args: str, input: str | None = None) -> Result:
        result = runner.invoke(app, list(args), input=input, prog_name="lrm")
        if result.exception and not isinstance(result.exception, SystemExit):
            raise result.exception
        return Result(result.exit_code, result.stdout, result.stderr)

    return run


_BUILT: dict[str, tuple[Path, object]] = {}


def ok(result):
    """``result`` (a CliRunner result) after asserting the command succeeded: its
    error output is the failure message."""
    assert result.exit_code == 0, result.stderr
    return result


def copy_database(source: Path, target: Path) -> None:
    """A consistent copy of an SQLite database (its WAL included), over ``target``."""
    import sqlite3

    src, dst = sqlite3.connect(source), sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()


@pytest.fixture
def built(lrm, db_path: Path, tmp_path_factory: pytest.TempPathFactory):
    """``built(make)``: the test's database as ``make(lrm)`` leaves it, and what ``make``
    returned. ``make`` runs once per test process; later tests get a copy of its
    database (it must write nothing but the database, and depend on nothing per test)."""

    def build(make):
        key = f"{make.__module__}.{make.__qualname__}"
        if key not in _BUILT:
            made = make(lrm)
            saved = tmp_path_factory.mktemp("built") / "lrm.sqlite3"
            copy_database(db_path, saved)
            _BUILT[key] = (saved, made)
            return made
        saved, made = _BUILT[key]
        copy_database(saved, db_path)
        return made

    return build


@pytest.fixture(scope="session")
def warm(tmp_path_factory: pytest.TempPathFactory):
    """tests/warm.py: lrm invocations forked from one warm Python (one per test process)."""
    from warm import WarmLrm

    driver = WarmLrm(tmp_path_factory.mktemp("warm"))
    yield driver
    driver.close()


@pytest.fixture(scope="session")
def lrm_exe() -> str:
    """The installed console script (the subprocess tests need the real thing)."""
    candidate = Path(sys.executable).with_name("lrm")
    found = str(candidate) if candidate.exists() else shutil.which("lrm")
    if not found:
        pytest.fail("the lrm console script is not installed: pip install -e '.[test]'")
    return found


def read_to_the_end(fd: int) -> bytes:
    """All a pseudo-terminal's reading end gives until its writer is gone (then closed)."""
    chunks = []
    while True:
        try:
            chunk = os.read(fd, 4096)
        except OSError:  # EIO: the other end closed
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(fd)
    return b"".join(chunks)


def run_exe(exe: str, *args: str, env: dict | None = None, timeout: float = 60):
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [exe, *args], capture_output=True, text=True, env=full_env, timeout=timeout
    )
