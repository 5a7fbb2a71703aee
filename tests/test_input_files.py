"""What an import may read: a device is refused at once (reading /dev/zero whole took
8 GB in 20 s), a pipe is read (``lrm import vcard <(curl ...)``)."""

from __future__ import annotations

import contextlib
import os
import threading
from pathlib import Path

import pytest
from conftest import run_exe

CARD = b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Pipe Person\r\nEND:VCARD\r\n"


@pytest.mark.parametrize("kind", ["vcard", "json"])
def test_a_device_is_refused_before_it_is_read(lrm_exe, kind):
    result = run_exe(lrm_exe, "import", kind, "/dev/zero", timeout=30)
    assert result.returncode == 5
    assert result.stderr == "lrm: error: /dev/zero is a device, not a file: nothing was imported\n"


def test_a_pipe_is_read_as_a_file(lrm, tmp_path: Path):
    fifo = tmp_path / "cards"
    os.mkfifo(fifo)

    def write() -> None:
        with fifo.open("wb") as fh:
            fh.write(CARD)

    writer = threading.Thread(target=write)
    writer.start()
    result = lrm("import", "vcard", str(fifo))
    writer.join(timeout=10)
    assert result.exit_code == 0, result.stderr
    assert [c["name"] for c in lrm("list", "--json").json()] == ["Pipe Person"]


def test_a_pipe_over_the_limit_is_refused_whole(lrm, tmp_path: Path):
    fifo = tmp_path / "cards"
    os.mkfifo(fifo)

    def write() -> None:
        with contextlib.suppress(BrokenPipeError), fifo.open("wb") as fh:
            fh.write(CARD * 100)

    writer = threading.Thread(target=write)
    writer.start()
    result = lrm("import", "vcard", str(fifo), "--max-size", "1k")
    writer.join(timeout=10)
    assert result.exit_code == 5
    assert "larger than the 1024 bytes limit; nothing was imported" in result.stderr
    assert lrm("list", "--json").json() == []
