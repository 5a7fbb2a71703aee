"""A fast path for ``lrm list``, the read scripts and people run most, without Typer.

Running any Typer command costs about as much as the whole minimal Typer app (Typer 0.29
imports pydantic once a command runs), more than lrm's own work on a thousand contacts;
khard lists a thousand vCards in about four times that. So the console script answers
an invocation of ``list`` whose every option it understands here, with the same code
(cli/listing.py), the same output and the same errors; anything else (``--help``, an
option it does not know, a value Typer would refuse) returns None and goes to Typer,
which then gives its usual answer. tests/test_fast_path.py holds both paths to the same
bytes and exit codes.
"""

from __future__ import annotations

import os
from typing import Any

# option -> (keyword, takes a value)
_GLOBAL = {"--db": ("db", True), "--json": ("json", False), "--no-color": ("no_color", False)}
_LIST = {
    "--json": ("json", False),
    "--tag": ("tag", True),
    "-t": ("tag", True),
    "--search": ("search", True),
    "-s": ("search", True),
    "--archived": ("archived", False),
    "--all": ("all_", False),
    "-a": ("all_", False),
    "--sort": ("sort", True),
    "--reverse": ("reverse", False),
    "-r": ("reverse", False),
    "--limit": ("limit", True),
    "-n": ("limit", True),
}


def parse(argv: list[str]) -> dict[str, Any] | None:
    """The options of a plain ``[global options] list [options]`` invocation, or None."""
    found: dict[str, Any] = {}
    table = _GLOBAL
    command_seen = False
    i = 0
    while i < len(argv):
        arg = argv[i]
        if not arg.startswith("-") or arg == "-":
            if command_seen or arg != "list":
                return None
            command_seen, table = True, _LIST
            i += 1
            continue
        name, eq, inline = arg.partition("=")
        spec = table.get(name)
        if spec is None or (eq and not spec[1]) or (eq and not name.startswith("--")):
            return None
        key, takes_value = spec
        if takes_value:
            if eq:
                value = inline
            elif i + 1 < len(argv):
                i += 1
                value = argv[i]
            else:
                return None
            if key in found:  # Typer keeps the last; not worth copying here
                return None
            found[key] = value
        else:
            found[key] = True
        i += 1
    if not command_seen:
        return None
    if "limit" in found:
        try:
            found["limit"] = int(found["limit"])
        except ValueError:
            return None
        if found["limit"] < 1:
            return None
    return found


def run_fast(argv: list[str]) -> int | None:
    """Run ``argv`` here and return the exit code, or None to let Typer run it."""
    options = parse(argv)
    if options is None:
        return None
    from lrm_cli.cli.failure import report
    from lrm_cli.cli.listing import list_command
    from lrm_cli.cli.state import Run

    run = Run(
        db_flag=options.pop("db", None),
        json=bool(options.pop("json", False)),
        no_color=bool(options.pop("no_color", False)),
        today=os.environ.get("LRM_TODAY") or None,
    )
    try:
        list_command(run, **options)
    except BaseException as exc:  # report() re-raises what it does not own
        return report(run, exc)
    finally:
        run.close()
    return 0
