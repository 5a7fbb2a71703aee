"""What an import may read: one rule for every importer (vCard, JSON, restore)."""

from __future__ import annotations

import stat
from pathlib import Path

from lrm_cli.errors import InvalidInput


def refuse_a_device(path: Path, name: str) -> None:
    """A character or block device (``/dev/zero``, ``/dev/urandom``, a disk) is refused
    before it is read: it never ends, and reading it whole took all memory. Pipes stay
    readable (``lrm import vcard <(curl ...)``); a missing path is left to the caller."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        raise InvalidInput(f"{name} is a device, not a file: nothing was imported")
