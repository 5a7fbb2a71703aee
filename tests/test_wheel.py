"""The built wheel carries the migration scripts, and an installed lrm migrates a new
database with them (not with a source checkout's)."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import sysconfig
import tomllib
import venv
import zipfile
from pathlib import Path

import pytest

from lrm_cli.store.schema_version import HEAD_REVISION

REPO = Path(__file__).resolve().parent.parent


def _run(*args: str, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(list(args), capture_output=True, text=True, cwd=cwd, env=env, timeout=300)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    try:
        import hatchling  # noqa: F401  (the build backend, in the test extras)
    except ImportError:
        pytest.skip("hatchling is not installed: the wheel cannot be built offline")
    dist = tmp_path_factory.mktemp("dist")
    built = _run(
        sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
        "--no-index", "-w", str(dist), str(REPO),
        cwd=dist,
    )  # fmt: skip
    assert built.returncode == 0, built.stdout + built.stderr
    (found,) = dist.glob("lrm-*.whl")
    return found


def test_wheel_contains_the_migrations(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "lrm_cli/migrations/env.py" in names
    assert "lrm_cli/migrations/script.py.mako" in names
    versions = sorted(p.name for p in (REPO / "migrations" / "versions").glob("*.py"))
    assert versions
    for name in versions:
        assert f"lrm_cli/migrations/versions/{name}" in names
    assert "lrm_cli/store/migrate.py" in names
    for script in ("lrm.bash", "_lrm", "lrm.fish"):  # what `lrm completion SHELL` prints
        shipped = zipfile.ZipFile(wheel).read(f"lrm_cli/completions/{script}")
        assert shipped == (REPO / "completions" / script).read_bytes()
    assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc")]
    (entry_points,) = [n for n in names if n.endswith(".dist-info/entry_points.txt")]
    lines = zipfile.ZipFile(wheel).read(entry_points).decode().splitlines()
    declared = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["scripts"]["lrm"]
    assert f"lrm = {declared}" in [line.strip() for line in lines]


def test_installed_wheel_migrates_a_new_database(wheel, tmp_path):
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=False, symlinks=True)
    python = env_dir / "bin" / "python"

    # Install first, while the new environment sees nothing of this one (so pip cannot
    # mistake the development install for something to replace).
    installed = _run(
        sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps",
        "--no-index", str(wheel),
        cwd=tmp_path,
    )  # fmt: skip
    assert installed.returncode == 0, installed.stdout + installed.stderr

    # Then borrow the dependencies (typer, sqlmodel, alembic...) from this environment.
    # A path in a .pth file is appended to sys.path after the new site-packages, and .pth
    # files inside it are not processed: this environment's editable lrm stays invisible.
    site = Path(
        _run(
            str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])",
            cwd=tmp_path,
        ).stdout.strip()
    )  # fmt: skip
    ours = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    (site / "borrowed-dependencies.pth").write_text("".join(f"{p}\n" for p in sorted(ours)))

    outside = tmp_path / "elsewhere"
    outside.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    env["LRM_CONFIG"] = str(outside / "config.toml")

    where = _run(
        str(python), "-c",
        "import lrm_cli; from lrm_cli.store.migrate import migrations_dir;"
        " print(lrm_cli.__file__); print(migrations_dir())",
        cwd=outside, env=env,
    )  # fmt: skip
    assert where.returncode == 0, where.stderr
    package_file, scripts = (Path(line) for line in where.stdout.splitlines())
    assert package_file.is_relative_to(env_dir)
    assert scripts == site / "lrm_cli" / "migrations"

    lrm = env_dir / "bin" / "lrm"
    db = tmp_path / "new.sqlite3"
    added = _run(str(lrm), "--db", str(db), "add", "X", "--json", cwd=outside, env=env)
    assert added.returncode == 0, added.stderr
    assert added.stderr == ""
    listed = _run(str(lrm), "--db", str(db), "list", "--json", cwd=outside, env=env)
    assert listed.returncode == 0, listed.stderr
    assert [c["name"] for c in json.loads(listed.stdout)] == ["X"]

    conn = sqlite3.connect(db)
    try:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == (
            HEAD_REVISION,
        )
    finally:
        conn.close()

    # the completion scripts come from the installed package, not from a checkout
    for shell, script in (("bash", "lrm.bash"), ("zsh", "_lrm"), ("fish", "lrm.fish")):
        printed = _run(str(lrm), "completion", shell, cwd=outside, env=env)
        assert printed.returncode == 0, printed.stderr
        assert printed.stdout == (site / "lrm_cli" / "completions" / script).read_text()
        assert printed.stdout == (REPO / "completions" / script).read_text()
