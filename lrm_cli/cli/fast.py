"""A fast path for the reads scripts, cron and people run most (list, show, due, balance,
digest, search), without Typer.

Why it exists: Typer 0.29 imports pydantic to validate the parameters as soon as a
command runs, so any Typer command costs about as much as the minimal Typer app (B in
bench/README.md; importing Typer alone is about 0.4 B), more than lrm's own work on a
thousand contacts; answered here, ``lrm list --json`` at 1k takes about 0.4 B (bench/run.py
prints the milliseconds of the machine at hand). Scripts, cron and people run these
commands many times a day.

What it may not do: have any behaviour of its own. It answers an invocation only when it
understands every word of it, with the same code as the Typer commands (cli/reads.py,
which takes no defaults of its own: they come from the table below or from Typer), the
same output and the same errors; anything else (``--help``, an option it does not know, a
value Typer would refuse, a repeated option) returns None and goes to Typer, which gives
its usual answer. The table mirrors the Typer declarations (names, aliases, kinds,
minimums, defaults): tests/test_fast_path.py walks them and fails on any drift, and holds
both paths to the same bytes and exit codes.
"""

from __future__ import annotations

import os
from typing import Any, NamedTuple


class Opt(NamedTuple):
    key: str  # the keyword of the cli/reads.py function (Typer's parameter name)
    kind: str  # "flag", "text" or "int"
    default: Any = None
    min: int | None = None  # for "int": the smallest value Typer accepts
    env: str | None = None  # the environment variable read when the option is absent


# The global options (app.py's root callback): before or after the command, as on Typer.
GLOBAL = {
    "--db": Opt("db", "text"),
    "--json": Opt("json_output", "flag", False),
    "--no-color": Opt("no_color", "flag", False),
    "--debug": Opt("debug", "flag", False),
    "--today": Opt("today", "text", env="LRM_TODAY"),
}
_LIMIT = {"--limit": Opt("limit", "int", None, 1), "-n": Opt("limit", "int", None, 1)}
_TAG = {"--tag": Opt("tag", "text"), "-t": Opt("tag", "text")}
# command -> (options, positional names, how many are required); a last name ending in
# "..." takes the rest, as a list; a positional left out is None.
COMMANDS: dict[str, tuple[dict[str, Opt], tuple[str, ...], int]] = {
    "list": (
        {
            **_LIMIT,
            **_TAG,
            "--search": Opt("search", "text"),
            "--archived": Opt("archived", "flag", False),
            "--all": Opt("all_", "flag", False),
            "-a": Opt("all_", "flag", False),
            "--sort": Opt("sort", "text", "name"),
            "--reverse": Opt("reverse", "flag", False),
            "-r": Opt("reverse", "flag", False),
        },
        (),
        0,
    ),
    "show": ({"--recent": Opt("recent", "int", 10, 0)}, ("contact",), 1),
    "due": (
        {**_LIMIT, **_TAG, "--within": Opt("within", "text")},
        (),
        0,
    ),
    "balance": (_LIMIT, ("contact",), 0),
    "digest": (
        {
            "--date": Opt("on", "text"),
            "--days": Opt("days", "text"),
            "-d": Opt("days", "text"),
            "--format": Opt("format_", "text"),
            "-f": Opt("format_", "text"),
            "--fail-if-due": Opt("fail_if_due", "flag", False),
            "--explain": Opt("explain", "flag", False),
        },
        (),
        0,
    ),
    "search": (
        {"--limit": Opt("limit", "int", 20, 1), "-n": Opt("limit", "int", 20, 1)},
        ("text...",),
        1,
    ),
}
# Options of these commands that the fast path leaves to Typer (none today): a test fails
# on a Typer option that is neither in COMMANDS nor here.
SENT_TO_TYPER: dict[str, frozenset[str]] = {}


def parse(argv: list[str]) -> tuple[str, dict[str, Any]] | None:
    """The command and keywords (every option of the command, defaults included) of a
    plain ``[global options] COMMAND [options and arguments]`` invocation of one of
    ``COMMANDS``, global options anywhere; None for anything else."""
    found: dict[str, Any] = {}
    table: dict[str, Opt] = {}
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
        spec = table.get(name) or GLOBAL.get(name)
        if spec is None or (eq and (spec.kind == "flag" or not name.startswith("--"))):
            return None
        if spec.kind == "flag":
            found[spec.key] = True
            i += 1
            continue
        if eq:
            value = inline
        elif i + 1 < len(argv):
            i += 1
            value = argv[i]
        else:
            return None
        if spec.key in found:  # Typer keeps the last; not worth copying here
            return None
        if spec.kind == "int":
            try:
                number = int(value)
            except ValueError:
                return None
            if spec.min is not None and number < spec.min:
                return None
            found[spec.key] = number
        else:
            found[spec.key] = value
        i += 1
    if command is None:
        return None
    options, names, required = COMMANDS[command]
    for spec in (*options.values(), *GLOBAL.values()):
        if spec.key not in found:
            found[spec.key] = (spec.env and os.environ.get(spec.env)) or spec.default
    if names and names[-1].endswith("..."):  # the last one takes the rest, as a list
        if len(positional) < required:
            return None
        found.update(zip(names[:-1], positional, strict=False))
        found[names[-1].removesuffix("...")] = positional[len(names) - 1 :]
        return command, found
    if not required <= len(positional) <= len(names):
        return None
    found.update(dict.fromkeys(names))
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
    json_mode = options.pop("json_output")
    run = Run(
        db_flag=options.pop("db"),
        json=json_mode or options.get("format_") == "json",
        no_color=options.pop("no_color"),
        debug=options.pop("debug"),
        today=options.pop("today"),
    )
    try:
        if command == "digest":
            reads.check_digest_format(options.get("format_"))
        return body(run, **options)
    except BaseException as exc:  # report() re-raises what it does not own
        return report(run, exc)
    finally:
        run.close()
