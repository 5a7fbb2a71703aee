"""A first `lrm export vcard` / `export ics` (an empty render cache) renders on two cores
(services/rendering.py: background.split_map): the same bytes, and the same cache, as
one process."""

from __future__ import annotations

import multiprocessing
import shutil
import sqlite3

import pytest
from test_sync_two_cores import _world, two_cores

from lrm_cli import background


@pytest.mark.skipif(not background.available(), reason="no fork or one core here")
@pytest.mark.parametrize("fmt", ["vcard", "ics"])
def test_a_first_export_on_two_cores_is_what_one_process_writes(
    lrm, isolated, db_path, monkeypatch, fmt
):
    _world(lrm)
    alone_db = isolated / "alone.sqlite3"
    shutil.copy2(db_path, alone_db)
    outputs = {}
    for how, db in (("split", db_path), ("alone", alone_db)):
        with two_cores(monkeypatch, how == "split") as forks:
            out = isolated / f"{how}.{fmt}"
            result = lrm("--db", str(db), "export", fmt, "--out", str(out))
        assert result.exit_code == 0, result.stderr
        assert multiprocessing.active_children() == []
        with sqlite3.connect(db) as conn:
            cache = conn.execute(
                "SELECT kind, key, print, body FROM render_cache ORDER BY kind, key"
            ).fetchall()
        outputs[how] = (out.read_bytes(), cache, len(forks))
    assert outputs["split"][2] >= 1 and outputs["alone"][2] == 0
    assert outputs["split"][0] == outputs["alone"][0]
    assert outputs["split"][1] == outputs["alone"][1]
    assert len(outputs["split"][1]) >= 7  # every card (7 people), or every item and the shell
