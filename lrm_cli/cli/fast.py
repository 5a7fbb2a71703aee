"""A fast path for the commands scripts, cron and people run most, without Typer: the
reads (list, show, due, balance, digest, search, upcoming, drift, timeline), the
writes typed many times a day (add, log, note) and what cron exports every night
(export json, vcard, ics).

Why it exists: any Typer command costs about as much as the minimal Typer app (B in
bench/README.md; importing Typer alone is about 0.4 B, and a number option still makes
Typer 0.29 import pydantic: cli/plain_text.py), more than lrm's own work on a thousand
contacts; answered here, ``lrm list --json`` at 1k takes about 0.4 B (bench/run.py
prints the milliseconds of the machine at hand). Scripts, cron and people run these
commands many times a day.

What it may not do: have any behaviour of its own. It answers an invocation only when it
understands every word of it, with the same code as the Typer commands (cli/reads.py and
cli/writes.py, which take no defaults of their own: they come from the table below or
from Typer), the same output and the same errors; anything else (``--help``, an option it
does not know, a value Typer would refuse, a repeated option that is not a list, ``note
edit|rm``) returns None and goes to Typer, which gives its usual answer. The table mirrors
the Typer declarations (names, aliases, kinds, minimums, defaults): tests/test_fast_path.py
walks them and fails on any drift, and holds both paths to the same bytes and exit codes.
"""

from __future__ import annotations

import os
import re
from typing import Any, NamedTuple


class Opt(NamedTuple):
    key: str  # the keyword of the body (Typer's parameter name)
    kind: str  # "flag", "text", "int", "float" or "list" (a repeatable text option)
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
_OUT = {"--out": Opt("out", "text"), "-o": Opt("out", "text")}
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
            "--snoozed": Opt("snoozed", "flag", False),
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
    "upcoming": ({"--days": Opt("days", "text", "14"), "-d": Opt("days", "text", "14")}, (), 0),
    "drift": ({}, (), 0),
    "timeline": (
        {**_LIMIT, "--since": Opt("since", "text"), "--until": Opt("until", "text")},
        ("contact",),
        0,
    ),
    "add": (
        {
            "--email": Opt("email", "list"),
            "-e": Opt("email", "list"),
            "--phone": Opt("phone", "list"),
            "-p": Opt("phone", "list"),
            "--tag": Opt("tag", "list"),
            "-t": Opt("tag", "list"),
            "--address": Opt("address", "list"),
            "--url": Opt("url", "list"),
            "--social": Opt("social", "list"),
            "--org": Opt("org", "text"),
            "--title": Opt("title", "text"),
            "--how-met": Opt("how_met", "text"),
            "--birthday": Opt("birthday", "text"),
            "--cadence": Opt("cadence", "text"),
            "--nickname": Opt("nickname", "text"),
            "--given-name": Opt("given_name", "text"),
            "--family-name": Opt("family_name", "text"),
            "--quiet": Opt("quiet", "flag", False),
            "-q": Opt("quiet", "flag", False),
        },
        ("name",),
        1,
    ),
    "log": (
        {
            "--kind": Opt("kind", "text"),
            "--channel": Opt("kind", "text"),
            "-k": Opt("kind", "text"),
            "--initiator": Opt("initiator", "text", "mutual"),
            "-i": Opt("initiator", "text", "mutual"),
            "--when": Opt("when", "text"),
            "-w": Opt("when", "text"),
            "--summary": Opt("summary", "text"),
            "-s": Opt("summary", "text"),
            "--sentiment": Opt("sentiment", "text"),
            "--weight": Opt("weight", "float"),
            "--future": Opt("future", "flag", False),
        },
        ("contacts...",),
        1,
    ),
    "note": (
        {
            "--pin": Opt("pin", "flag", False),
            "--unpin": Opt("unpin", "flag", False),
            "--contact": Opt("move_to", "text"),
        },
        ("contact", "text", "more"),
        1,
    ),
    # what cron writes every night: a backup, the cards and the calendar
    "export json": (_OUT, (), 0),
    "export vcard": ({**_OUT, "--vdir": Opt("vdir", "text")}, (), 0),
    "export ics": (
        {**_OUT, "--vdir": Opt("vdir", "text"), "--events": Opt("events", "flag", False)},
        (),
        0,
    ),
}
# Command groups: their subcommand is the next word ("export json").
GROUPS = frozenset(name.split()[0] for name in COMMANDS if " " in name)
# A plain decimal number: what the fast path reads as a float ("1e3", "inf", "1_0" and
# other spellings go to Typer, whose validator has its own opinion of them).
_FLOAT = re.compile(r"[+-]?[0-9]+(\.[0-9]+)?")
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
                if arg in GROUPS and i + 1 < len(argv):
                    i += 1
                    arg = f"{arg} {argv[i]}"
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
        if spec.kind == "list":
            found.setdefault(spec.key, []).append(value)
            i += 1
            continue
        if spec.key in found:  # Typer keeps the last; not worth copying here
            return None
        if spec.kind == "float":
            if not _FLOAT.fullmatch(value):
                return None
            found[spec.key] = float(value)
        elif spec.kind == "int":
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
    if command == "note":
        from lrm_cli.cli.writes import NOTE_FIXES  # imported to run the note anyway

        if found["contact"] in NOTE_FIXES:
            return None  # note edit|rm: Typer's (cli/interactions.py)
    return command, found


def _search(run, **options) -> int:
    from lrm_cli.cli.search import search_command

    return search_command(run, **options)


def body_of(command: str):
    """The function that answers ``command``, from cli/reads.py or cli/writes.py."""
    if command == "search":
        return _search
    if command.startswith("export "):
        from lrm_cli.cli import exports

        return getattr(exports, f"export_{command.split()[1]}_command")
    if command in ("add", "log", "note"):
        from lrm_cli.cli import writes

        return getattr(writes, f"{command}_command")
    from lrm_cli.cli import reads

    return getattr(reads, f"{command}_command")


def run_fast(argv: list[str]) -> int | None:
    """Run ``argv`` here and return the exit code, or None to let Typer run it."""
    parsed = parse(argv)
    if parsed is None:
        return None
    command, options = parsed
    from lrm_cli.cli import state
    from lrm_cli.cli.failure import report
    from lrm_cli.cli.state import Run

    previous, state.ARGV = state.ARGV, argv  # the undo journal names a change by it
    body = body_of(command)
    json_mode = options.pop("json_output")
    run = Run(
        db_flag=options.pop("db"),
        json=json_mode or options.get("format_") == "json",
        no_color=options.pop("no_color"),
        debug=options.pop("debug"),
        today=options.pop("today"),
        command=f"lrm {command}",
    )
    try:
        if command == "digest":
            from lrm_cli.cli import reads

            reads.check_digest_format(options.get("format_"))
        return body(run, **options)
    except BaseException as exc:  # report() re-raises what it does not own
        return report(run, exc)
    finally:
        run.close()
        state.ARGV = previous  # in-process callers (tests) get the process's back
