"""The root command's own parsing on the Typer path: global options anywhere, and usage
errors in lrm's words. ``app.build_app`` gives the root Typer this group class.

Global options (the root callback's options, but not the eager ``--version``) mean one
thing in every command, so they may be typed before the subcommand, after it, or after
its arguments: ``hoist`` moves them to the front before Click parses, up to ``--`` and
never taking a token that another option takes as its value (Click's own rules). The
root callback is thus their only declaration.

A usage error (an unknown command or option, a missing or malformed argument) is one line
on stderr like every other error (``lrm: error: ...``, a JSON object under ``--json``),
exit 2: never Click's usage block or Typer's rich box, never the validator's wording
("Input should be a valid integer"). "did you mean" only for a real near-miss.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import typer
from typer.core import TyperGroup

from lrm_cli.cli.other_words import extra_word_hint, group_hint, missing_hint, option_hint
from lrm_cli.errors import UsageError
from lrm_cli.words import near_miss


def _options(params: Iterable[Any]) -> dict[str, int]:
    """Each option name among ``params`` -> how many values it takes (0 for a flag)."""
    return {
        name: 0 if param.is_flag or param.count else param.nargs
        for param in params
        if param.param_type_name == "option"
        for name in (*param.opts, *param.secondary_opts)
    }


def global_options(root: Any) -> dict[str, int]:
    """The root's options that every command accepts (all but the eager --version)."""
    return _options(p for p in root.params if not p.is_eager)


def _values_after(arg: str, options: dict[str, int]) -> int:
    """How many of the next tokens option token ``arg`` takes (as Click reads it)."""
    if arg.startswith("--"):
        return 0 if "=" in arg else options.get(arg, 0)
    if arg in options:
        return options[arg]
    for i, letter in enumerate(arg[1:], 1):  # a cluster: -ar, -n5, -an 5
        taken = options.get(f"-{letter}")
        if taken is None:
            return 0  # Click says which letter is unknown
        if taken:
            return 0 if i < len(arg) - 1 else taken
    return 0


def hoist(root: Any, args: list[str], front: list[str], *, strict: bool = True) -> list[str]:
    """``args`` with the global options moved to the front; they alone are added to
    ``front`` (also when a usage error is raised, to report it in the right form). Not
    ``strict`` (Click's resilient parsing, for completion), a last global option missing
    its value stays where it is."""
    globals_ = global_options(root)
    rest: list[str] = []
    command: Any = root
    options = _options(root.params)
    i = 0
    while i < len(args):
        arg = args[i]
        if arg == "--":
            rest += args[i:]
            break
        name = arg.partition("=")[0] if arg.startswith("--") else arg
        if name in globals_:
            taken = 0 if "=" in arg else globals_[name]
            if i + taken >= len(args):
                if not strict:
                    rest.append(arg)
                    break
                front.append(arg)
                raise UsageError(f"{name} needs a value", f"see '{root.name} --help'")
            front += args[i : i + 1 + taken]
            i += 1 + taken
            continue
        if arg.startswith("-") and arg != "-":
            taken = _values_after(arg, options)
            rest += args[i : i + 1 + taken]
            i += 1 + taken
            continue
        commands = getattr(command, "commands", None)
        if commands is not None:  # a group: this word names a subcommand
            command = commands.get(arg)
            options = _options(command.params) if command is not None else {}
        rest.append(arg)
        i += 1
    return front + rest


def command_path(root: Any, args: list[str], prefix: str) -> str:
    """``prefix`` and the (sub)command words ``args`` name under ``root``: "lrm date add"
    for a usage error Click raised without its context (an option missing its value)."""
    names, command, options = [prefix], root, _options(root.params)
    i = 0
    while i < len(args) and args[i] != "--":
        arg = args[i]
        if arg.startswith("-") and arg != "-":
            i += 1 + _values_after(arg, options)
            continue
        commands = getattr(command, "commands", None)
        if not commands or arg not in commands:
            break
        command, options = commands[arg], _options(commands[arg].params)
        names.append(arg)
        i += 1
    return " ".join(names)


class LrmGroup(TyperGroup):
    """The root group: hoists global options and words usage errors (module docstring)."""

    def make_context(
        self, info_name: str | None, args: list[str], parent: Any = None, **extra: Any
    ) -> Any:
        if parent is not None:
            return super().make_context(info_name, args, parent=parent, **extra)
        front: list[str] = []
        try:
            strict = not extra.get("resilient_parsing")
            args = hoist(self, list(args), front, strict=strict)
            ctx = super().make_context(info_name, args, parent=parent, **extra)
            ctx.meta["lrm.args"] = args  # for a usage error that names no command
            return ctx
        except (typer.TyperException, UsageError) as exc:
            if not _is_usage_error(exc):
                raise
            json, no_color = "--json" in front, "--no-color" in front
            raise _usage_exit(exc, json=json, no_color=no_color) from None

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except typer.TyperException as exc:
            if not _is_usage_error(exc):
                raise
            json, no_color = ctx.params.get("json_output"), ctx.params.get("no_color")
            if getattr(exc, "ctx", False) is None:  # Click's parser leaves it out
                exc.path = command_path(self, ctx.meta.get("lrm.args", []), ctx.command_path)
            raise _usage_exit(exc, json=bool(json), no_color=bool(no_color)) from None


def _is_usage_error(exc: Exception) -> bool:
    # a command group typed alone shows its help (Click's NoArgsIsHelpError): not an error
    return exc.exit_code == 2 and type(exc).__name__ != "NoArgsIsHelpError"  # type: ignore[attr-defined]


def _usage_exit(exc: Exception, *, json: bool, no_color: bool) -> typer.Exit:
    from lrm_cli.cli.state import Run

    error = exc if isinstance(exc, UsageError) else usage_error(exc)
    Run(json=json, no_color=no_color).out.error(error)
    return typer.Exit(error.exit_code)


def usage_error(exc: Any) -> UsageError:
    """Click's usage error ``exc`` in lrm's words."""
    ctx = exc.ctx
    path = ctx.command_path if ctx is not None else getattr(exc, "path", "lrm")
    help_hint = f"see '{path} --help'"
    kind = type(exc).__name__
    message: str = exc.message
    if kind == "NoSuchOption":
        known = [*_options(ctx.command.params), *global_options(ctx.find_root().command)]
        near = near_miss(exc.option_name, known)
        args = ctx.find_root().meta.get("lrm.args", [])
        hint = option_hint(path, exc.option_name, args)
        hint = hint or (f"did you mean {near}?" if near else help_hint)
        return UsageError(f"'{path}' has no option {exc.option_name}", hint)
    if message.startswith("No such command "):
        name = message.removeprefix("No such command ").split(". Did you mean")[0]
        name = name.removesuffix(".")
        visible = [n for n, c in ctx.command.commands.items() if not c.hidden]
        hint = _other_word(name.strip("'\""), path, visible) or f"{help_hint} for the commands"
        where = "" if ctx.parent is None else f"'{path}' has "
        return UsageError(f"{where}no command {name}", hint)
    if message == "Missing command.":
        return UsageError(f"'{path}' needs a command", f"{help_hint} for the commands")
    if message.startswith("Got unexpected extra argument"):
        extra = message.rpartition(" (")[2].removesuffix(")")
        hint = extra_word_hint(path, ctx.params, extra) or help_hint
        return UsageError(f"'{path}' takes no more arguments, got {extra!r}", hint)
    if kind == "BadOptionUsage":
        if "requires an argument" in message:
            return UsageError(f"{exc.option_name} needs a value", help_hint)
        if "does not take a value" in message:
            return UsageError(f"{exc.option_name} takes no value", help_hint)
    param = getattr(exc, "param", None)
    if kind == "MissingParameter" and param is not None:
        if meant := missing_hint(path, ctx.params):
            return meant
        return UsageError(f"'{path}' needs {_label(param)}", help_hint)
    if param is not None:
        return UsageError(_bad_value(exc, param), help_hint)
    text = exc.format_message().rstrip(".")
    return UsageError(text[:1].lower() + text[1:], help_hint)


def _other_word(name: str, path: str, visible: list[str]) -> str | None:
    """The hint for an unknown command ``name``: lrm's word for another tool's
    (cli/other_words.py), else a near miss."""
    if hint := group_hint(name, path, visible):
        return hint
    near = near_miss(name, visible)
    return f"did you mean '{path} {near}'?" if near else None


def _label(param: Any) -> str:
    """How a message names ``param``: ``--limit``; an argument by its metavar or name."""
    if param.param_type_name == "option":
        return max(param.opts, key=len)
    return param.metavar or param.name.upper()


def _bad_value(exc: Any, param: Any) -> str:
    """ "--limit must be a whole number, got 'x'" for a value the validator refused."""
    label = _label(param)
    if param.param_type_name == "argument":
        label = param.name.replace("_", " ")  # reminder_id -> "reminder id"
    errors = getattr(exc.__cause__, "errors", None)
    if errors is None:  # a parser's own message ("must be ...": options.record_id) reads on
        sep = " " if exc.message.startswith("must ") else ": "
        return f"{label}{sep}{exc.message.rstrip('.')}"
    first = errors()[0]
    kind, got, limits = first["type"], first.get("input"), first.get("ctx") or {}
    if kind == "int_parsing":
        noun = "a number" if param.name.endswith("_id") else "a whole number"
        return f"{label} must be {noun}, got {got!r}"
    if kind == "float_parsing":
        return f"{label} must be a number, got {got!r}"
    if "ge" in limits:
        return f"{label} must be at least {limits['ge']}, got {got}"
    if "le" in limits:
        return f"{label} must be at most {limits['le']}, got {got}"
    if param.type_descriptor.is_choice and param.type_descriptor.choices:
        choices = ", ".join(str(getattr(c, "value", c)) for c in param.type_descriptor.choices)
        return f"{label} must be one of {choices}; got {got!r}"
    return f"{label}: {first['msg'][:1].lower()}{first['msg'][1:]}, got {got!r}"
