"""The README's examples, run top to bottom as a new user would paste them: every `sh`
block of "Use it" (and its sub-sections) in one shell, stopping at the first failure."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

README = Path(__file__).parent.parent / "README.md"


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
