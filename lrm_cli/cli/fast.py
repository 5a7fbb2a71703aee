"""A fast path for the reads scripts, cron and people run most (list, show, due, balance,
digest), without Typer.

Running any Typer command costs about as much as the whole minimal Typer app (Typer 0.29
imports pydantic once a command runs): more than lrm's own work on a thousand contacts,
while khard lists a thousand vCards in about four times that. So the console script
answers an invocation of one of these commands whose every option it understands here,
with the same code (cli/reads.py), the same output and the same errors; anything else
(``--help``, an option it does not know, a value Typer would refuse) returns None and
goes to Typer, which then gives its usual answer. tests/test_fast_path.py holds both
paths to the same bytes and exit codes.
"""

from __future__ import annotations

import os
from typing import Any

# option -> (keyword, kind): kind is "flag", "text", "int0" (>= 0) or "int1" (>= 1)
_GLOBAL = {"--db": ("db", "text"), "--json": ("json", "flag"), "--no-color": ("no_color", "flag")}
_JSON = {"--json": ("json", "flag")}
_LIMIT = {"--limit": ("limit", "int1"), "-n": ("limit", "int1")}
# command -> (options, positional names, how many are required)
COMMANDS: dict[str, tuple[dict[str, tuple[str, str]], tuple[str, ...], int]] = {
    "list": (
        {
            **_JSON,
            **_LIMIT,
            "--tag": ("tag", "text"),
            "-t": ("tag", "text"),
            "--search": ("search", "text"),
            "--archived": ("archived", "flag"),
            "--all": ("all_", "flag"),
            "-a": ("all_", "flag"),
            "--sort": ("sort", "text"),
            "--reverse": ("reverse", "flag"),
            "-r": ("reverse", "flag"),
        },
        (),
        0,
    ),
    "show": ({**_JSON, "--recent": ("recent", "int0")}, ("contact",), 1),
    "due": (
        {
            **_JSON,
            **_LIMIT,
            "--within": ("within", "text"),
            "--tag": ("tag", "text"),
            "-t": ("tag", "text"),
        },
        (),
        0,
    ),
    "balance": ({**_JSON, **_LIMIT}, ("contact",), 0),
    "digest": (
        {
            **_JSON,
            "--date": ("on", "text"),
            "--days": ("days", "text"),
            "-d": ("days", "text"),
            "--format": ("format_", "text"),
            "-f": ("format_", "text"),
            "--fail-if-due": ("fail_if_due", "flag"),
            "--explain": ("explain", "flag"),
        },
        (),
        0,
    ),
    "search": ({**_JSON, **_LIMIT}, ("text...",), 1),
}


def parse(argv: list[str]) -> tuple[str, dict[str, Any]] | None:
    """The command and options of a plain ``[global options] COMMAND [options] [ARG]``
    invocation of one of ``COMMANDS``, or None."""
    found: dict[str, Any] = {}
    table = _GLOBAL
    command: str | None = None
    positional: list[str] = []
    i = 0
    while i < len(argv):
        arg = argv[i]
        if not arg.startswith("-") or arg == "-":
            if command is None:
                if arg not in COMMANDS:
                    return None
                command, table = arg, COMMANDS[arg][0]
            else:
                positional.append(arg)
            i += 1
            continue
        name, eq, inline = arg.partition("=")
        spec = table.get(name)
        if spec is None or (eq and (spec[1] == "flag" or not name.startswith("--"))):
            return None
        key, kind = spec
        if kind == "flag":
            found[key] = True
            i += 1
            continue
        if eq:
            value = inline
        elif i + 1 < len(argv):
            i += 1
            value = argv[i]
        else:
            return None
        if key in found:  # Typer keeps the last; not worth copying here
            return None
        if kind.startswith("int"):
            try:
                number = int(value)
            except ValueError:
                return None
            if number < int(kind[3:]):
                return None
            found[key] = number
        else:
            found[key] = value
        i += 1
    if command is None:
        return None
    _options, names, required = COMMANDS[command]
    if names and names[-1].endswith("..."):  # the last one takes the rest, as a list
        if len(positional) < required:
            return None
        found.update(zip(names[:-1], positional, strict=False))
        found[names[-1].removesuffix("...")] = positional[len(names) - 1 :]
        return command, found
    if not required <= len(positional) <= len(names):
        return None
    found.update(zip(names, positional, strict=False))
    return command, found


def _search(run, **options) -> int:
    from lrm_cli.cli.search import search_command

    return search_command(run, **options)


def run_fast(argv: list[str]) -> int | None:
    """Run ``argv`` here and return the exit code, or None to let Typer run it."""
    parsed = parse(argv)
    if parsed is None:
        return None
    command, options = parsed
    from lrm_cli.cli import reads
    from lrm_cli.cli.failure import report
    from lrm_cli.cli.state import Run

    body = {
        "list": reads.list_command,
        "show": reads.show_command,
        "due": reads.due_command,
        "balance": reads.balance_command,
        "digest": reads.digest_command,
        "search": _search,
    }[command]
    json_mode = bool(options.pop("json", False))
    run = Run(
        db_flag=options.pop("db", None),
        json=json_mode or options.get("format_") == "json",
        no_color=bool(options.pop("no_color", False)),
        today=os.environ.get("LRM_TODAY") or None,
    )
    try:
        if command == "digest":
            reads.check_digest_format(options.get("format_"))
        return body(run, **options)
    except BaseException as exc:  # report() re-raises what it does not own
        return report(run, exc)
    finally:
        run.close()
