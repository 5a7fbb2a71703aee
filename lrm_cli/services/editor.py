"""Text in the user's editor: ``$VISUAL``, then ``$EDITOR`` (as git and crontab choose
them), else, at a terminal, the system's ``editor``, ``nano`` or ``vi``.

The file is private (0600 in a 0700 temporary folder) and deleted afterwards: it holds
personal data.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import tempfile
from collections.abc import Mapping
from pathlib import Path

from lrm_cli.errors import Aborted, ConfigError, InvalidInput

FALLBACKS = ("editor", "nano", "vi")


def editor_command(
    environ: Mapping[str, str], *, terminal: bool, instead: str = "give options"
) -> list[str]:
    """The editor to run, split as a shell would. Without VISUAL or EDITOR, a fallback
    only at a terminal (``terminal``: stdin and stdout are one); a cron job or a script
    gets InvalidInput telling it to ``instead``."""
    for name in ("VISUAL", "EDITOR"):
        value = environ.get(name, "").strip()
        if value:
            try:
                command = shlex.split(value)
            except ValueError as exc:
                raise ConfigError(f"cannot read ${name} {value!r}: {exc}") from exc
            if command:
                return command
    if terminal:
        for name in FALLBACKS:
            if shutil.which(name):
                return [name]
    raise InvalidInput(f"no editor: set VISUAL or EDITOR, or {instead}")


def edit_text(command: list[str], text: str, *, name: str = "edit.txt") -> str:
    """Open ``text`` in ``command`` and return what was saved (UTF-8; a byte-order mark
    is dropped). An editor that cannot start is a configuration error; one that exits
    with a failure status aborts (nothing is changed)."""
    with tempfile.TemporaryDirectory(prefix="lrm-") as folder:
        path = Path(folder) / name
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        try:
            done = subprocess.run([*command, str(path)], check=False)
        except OSError as exc:
            raise ConfigError(
                f"cannot run the editor {command[0]!r}: {exc.strerror or exc}",
                hint="set VISUAL or EDITOR",
            ) from exc
        if done.returncode != 0:
            raise Aborted(f"the editor exited with status {done.returncode}; nothing was changed")
        try:
            return path.read_bytes().decode("utf-8-sig")
        except FileNotFoundError:
            return ""  # the editor deleted the file: as good as emptying it
        except UnicodeDecodeError as exc:
            raise InvalidInput(f"the edited file is not UTF-8: {exc.reason}") from exc
