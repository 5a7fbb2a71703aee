"""Dynamic completion of contact names, called by the scripts in completions/ as
``lrm __complete contacts PREFIX [--db PATH]``. It never creates or migrates a database,
never imports Typer, and prints nothing at all on any problem (completion must stay quiet:
a broken config file or database must not spill a traceback into the user's prompt)."""

from __future__ import annotations

import os
import sys
from pathlib import Path


def complete_contacts(args: list[str]) -> int:
    if not args or args[0] != "contacts":
        return 2
    prefix = args[1] if len(args) > 1 else ""
    try:
        path = _db_path(args[2:])
        if not path.is_file():
            return 0
        from lrm_cli.services.database import completion_names

        names = completion_names(path, prefix)
    except Exception:  # any problem (config, database, I/O): no suggestions, no noise
        return 0
    sys.stdout.write("".join(f"{name}\n" for name in names if "\n" not in name))
    return 0


def _db_path(rest: list[str]) -> Path:
    """``--db PATH`` or ``--db=PATH`` (as the completion scripts pass it), else $LRM_DB,
    else the config file's ``db``, else the default location."""
    if len(rest) >= 2 and rest[0] == "--db":
        return Path(rest[1]).expanduser()
    if rest and rest[0].startswith("--db="):
        return Path(rest[0].removeprefix("--db=")).expanduser()
    if os.environ.get("LRM_DB"):
        return Path(os.environ["LRM_DB"]).expanduser()
    from lrm_cli.config import load_config, resolve_db_path

    return resolve_db_path(None, load_config())
