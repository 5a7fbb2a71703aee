"""The README's examples, run top to bottom as a new user would paste them: every `sh`
block of "Use it" (and its sub-sections) in one shell, stopping at the first failure."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tomllib
from pathlib import Path

ROOT = Path(__file__).parent.parent
README = ROOT / "README.md"


def use_it_blocks() -> list[str]:
    text = README.read_text(encoding="utf-8")
    section = text[text.index("\n## Use it") : text.index("\n## ", text.index("\n## Use it") + 1)]
    return re.findall(r"```sh\n(.*?)```", section, re.DOTALL)


def test_the_use_it_examples_run_in_order(lrm_exe, tmp_path):
    blocks = use_it_blocks()
    assert len(blocks) >= 4
    script = "\n".join(b for b in blocks if "jq" not in b or shutil.which("jq"))
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    env = {
        **os.environ,
        "PATH": f"{Path(lrm_exe).parent}{os.pathsep}{os.environ['PATH']}",
        "HOME": str(home),
        "LRM_DB": str(tmp_path / "readme.sqlite3"),
        "LRM_CONFIG": str(tmp_path / "none.toml"),
        "EDITOR": "true",  # `lrm edit ada` opens it and saves nothing: no changes
        "VISUAL": "true",
    }
    done = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Ada Lovelace" in done.stdout


def ci_commands() -> list[str]:
    """The lines between the ci:setup markers, as .ci/run reads them (it runs each in order
    in a fresh clone): not a fence, not a comment, not empty."""
    text = README.read_text(encoding="utf-8")
    block = text.split("<!-- ci:setup -->", 1)[1].split("<!-- /ci:setup -->", 1)[0]
    return [ln for ln in block.splitlines() if ln.strip() and not ln.startswith(("`", "#"))]


def test_ci_lints_checks_formatting_and_tests_with_the_installed_tools():
    install, check = ci_commands()
    assert install.startswith("python3 -m venv .venv && ")
    steps = [step.strip() for step in check.split("&&")]
    assert steps == [
        ".venv/bin/pip install -q -e '.[test]'",
        ".venv/bin/ruff check .",
        ".venv/bin/ruff format --check lrm_cli tests",
        ".venv/bin/pytest -q",
    ]
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    ruff = [d for d in extras["project"]["optional-dependencies"]["test"] if d.startswith("ruff")]
    assert ruff and "<" in ruff[0], "the test extras pin ruff to a range"
