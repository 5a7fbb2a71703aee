"""lrm's help pages, written by lrm from the declared parameters.

Typer 0.29 prints a type beside every parameter whatever its metavar (``CONTACT
<list[str]>``, ``<bool>`` after a flag in its rich panels), puts required arguments in
braces in the usage line (``{CONTACT}...``) and cuts each command's line in a group's
listing at 45 columns with "...". lrm's commands and groups are built with these classes
(``build_app`` sets them on every command and group), which write the help themselves, at
a terminal as when piped, through Click's documented hooks (``format_help``,
``collect_usage_pieces``, ``format_options``, ``get_short_help_str``):

- the usage line names each argument by its metavar: ``CONTACT...``, ``[TEXT]``;
- each parameter is listed with what to type (its metavar, e.g. ``-n, --limit N``; a flag
  with nothing) and its whole description, wrapped at word boundaries to the terminal's
  width (at most 80 columns), never cut;
- the examples (``Example: lrm ...``) stand on lines of their own, never re-wrapped, so that
  they can be copied as they are;
- a group lists its commands in the sections their ``rich_help_panel`` names (Contacts,
  Rhythm...), each with the first paragraph of its help, whole.

Error messages keep Typer's rendering (cli/app.py decides it). ``tests/test_conventions.py``
walks every command's help.
"""

from __future__ import annotations

import inspect
from typing import Any

from typer.core import TyperCommand, TyperGroup

_EXAMPLE = "Example:"


def first_sentence(text: str | None) -> str:
    """The first sentence of a help text's first paragraph, whole, on one line (a group
    lists its commands with it)."""
    paragraph = inspect.cleandoc(text or "").partition("\f")[0].split("\n\n", 1)[0]
    words = paragraph.split(_EXAMPLE, 1)[0].replace("\b", "").split()
    for i, word in enumerate(words[:-1]):
        if word.endswith(".") and words[i + 1][:1].isupper():
            return " ".join(words[: i + 1])
    return " ".join(words)


def _with_examples_apart(text: str) -> str:
    """``text`` with each ``Example: ...`` moved to a paragraph of its own, on one line,
    marked (``\\b``) so that Click's wrapping leaves it whole."""
    out = []
    for paragraph in text.split("\n\n"):
        before, found, example = paragraph.partition(_EXAMPLE)
        if not found:
            out.append(paragraph)
            continue
        if before.strip():
            out.append(before.rstrip())
        out.append("\b\n" + " ".join(f"{_EXAMPLE}{example}".split()))
    return "\n\n".join(out)


def _word(param: Any) -> str:
    """What to type for ``param``: its metavar (brackets and dots aside), else its name."""
    word = param.metavar or (param.name or "").upper()
    return word.strip("[]").removesuffix("...").strip("[]")


def _usage_piece(param: Any) -> str:
    word = _word(param) + ("..." if param.nargs != 1 else "")
    return word if param.required else f"[{word}]"


def _default(param: Any) -> str:
    if param.required or getattr(param, "is_flag", False) or not param.show_default:
        return ""
    default = param.default
    if default is None or default == "" or isinstance(default, list | tuple | bool):
        return ""
    return f"  [default:{_NBSP}{default}]"


def _option_record(param: Any) -> tuple[str, str]:
    names = sorted(param.opts, key=lambda name: (name.startswith("--"), name))
    head = ", ".join(names)
    if param.secondary_opts:
        head += " / " + ", ".join(param.secondary_opts)
    if not (getattr(param, "is_flag", False) or getattr(param, "count", False)):
        head += f" {_word(param)}" + ("..." if param.nargs > 1 else "")
    return head, (param.help or "") + _default(param)


def _argument_record(param: Any) -> tuple[str, str]:
    return _word(param), (param.help or "") + _default(param)


_NBSP = "\xa0"  # joins "[default: x]" so that it is never split across lines


def _wrap(text: str, width: int, indent: int, first: str = "") -> list[str]:
    """``text`` wrapped at spaces only (never inside a word, nor at a hyphen)."""
    import re
    import textwrap

    lines = textwrap.wrap(
        re.sub(r"[ \t\n]+", " ", text.strip()),  # not str.split(): it splits at _NBSP
        max(width, 20),
        initial_indent=first or " " * indent,
        subsequent_indent=" " * indent,
        break_long_words=False,
        break_on_hyphens=False,
    )
    return [line.replace(_NBSP, " ") for line in lines] or [first.rstrip()]


def _write_text(formatter, text: str) -> None:
    """Paragraphs wrapped to the formatter's width; a ``\b`` paragraph kept as it is."""
    indent = formatter.current_indent
    for i, paragraph in enumerate(text.split("\n\n")):
        if i:
            formatter.write("\n")
        if paragraph.startswith("\b\n"):
            lines = [" " * indent + line for line in paragraph[2:].splitlines()]
        else:
            lines = _wrap(paragraph, formatter.width, indent)
        formatter.write("".join(f"{line}\n" for line in lines))


def _write_dl(formatter, rows: list[tuple[str, str]], col_max: int = 30) -> None:
    """Two columns: the name, then its description wrapped beside it (under it when the
    name is wider than ``col_max``)."""
    indent = formatter.current_indent
    column = min(max(len(name) for name, _ in rows), col_max) + 2
    for name, text in rows:
        head = " " * indent + name
        if not text:
            formatter.write(head + "\n")
            continue
        if len(name) > column - 2:
            formatter.write(head + "\n")
            head = ""
        first = head.ljust(indent + column) if head else " " * (indent + column)
        lines = _wrap(text, formatter.width, indent + column, first)
        formatter.write("".join(f"{line}\n" for line in lines))


class _Help:
    """The help-writing half of lrm's command and group classes."""

    def format_help(self, ctx, formatter) -> None:
        self.format_usage(ctx, formatter)
        self.format_help_text(ctx, formatter)
        self.format_options(ctx, formatter)
        self.format_epilog(ctx, formatter)

    def format_help_text(self, ctx, formatter) -> None:
        text = inspect.cleandoc(self.help or "").partition("\f")[0]
        if text:
            formatter.write_paragraph()
            with formatter.indentation():
                _write_text(formatter, _with_examples_apart(text))

    def get_short_help_str(self, limit: int = 45) -> str:
        return first_sentence(self.short_help or self.help)

    def _records(self, ctx) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
        arguments, options = [], []
        for param in self.get_params(ctx):
            if getattr(param, "hidden", False):
                continue
            if param.param_type_name == "argument":
                arguments.append(_argument_record(param))
            elif param.param_type_name == "option":
                options.append(_option_record(param))
        return arguments, options

    def format_options(self, ctx, formatter) -> None:
        arguments, options = self._records(ctx)
        for title, rows in (("Arguments", arguments), ("Options", options)):
            if rows:
                with formatter.section(title):
                    _write_dl(formatter, rows)
        if isinstance(self, TyperGroup):
            self.format_commands(ctx, formatter)

    def format_commands(self, ctx, formatter) -> None:
        sections: dict[str, list[tuple[str, str]]] = {}
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            if command is None or command.hidden:
                continue
            panel = getattr(command, "rich_help_panel", None) or "Commands"
            sections.setdefault(panel, []).append((name, command.get_short_help_str()))
        if not sections:
            return
        # one width for every section, so that the descriptions line up
        width = max(len(name) for rows in sections.values() for name, _ in rows)
        for title, rows in sections.items():
            with formatter.section(title):
                _write_dl(formatter, [(name.ljust(width), help) for name, help in rows])

    def collect_usage_pieces(self, ctx) -> list[str]:
        if isinstance(self, TyperGroup):
            return super().collect_usage_pieces(ctx)
        pieces = [self.options_metavar] if self.options_metavar else []
        for param in self.get_params(ctx):
            if param.param_type_name == "argument" and not getattr(param, "hidden", False):
                pieces.append(_usage_piece(param))
        return pieces


class HelpCommand(_Help, TyperCommand):
    pass


class HelpGroup(_Help, TyperGroup):
    pass


_MIXED: dict[type, type] = {TyperCommand: HelpCommand, TyperGroup: HelpGroup}


def _with_help(cls: Any, default: type) -> type:
    """``cls`` (a command or group class; Typer's default when unset) with lrm's help."""
    base = cls if isinstance(cls, type) else default
    if issubclass(base, _Help):
        return base
    if base not in _MIXED:
        _MIXED[base] = type(base.__name__, (_Help, base), {"__module__": base.__module__})
    return _MIXED[base]


def use_lrm_help(app) -> None:
    """Build every command and group of ``app`` (a ``typer.Typer``) with lrm's help pages,
    whatever class each has (the root's own, cli/root.py, included)."""
    app.info.cls = _with_help(app.info.cls, TyperGroup)
    for info in app.registered_commands:
        info.cls = _with_help(info.cls, TyperCommand)
    for group in app.registered_groups:
        if group.typer_instance is not None:
            use_lrm_help(group.typer_instance)
