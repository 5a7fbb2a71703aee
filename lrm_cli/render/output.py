"""One object decides how a command's result is shown, once per run:

- ``json``: the documented shape, UTF-8, nothing else on stdout (see ``Output.json``);
- ``rich``: stdout is a terminal: aligned tables and records, colour unless NO_COLOR;
- ``plain``: stdout is piped: tab-separated rows without a header, ISO times, no colour.

Long lists are aligned by hand rather than with ``rich.table.Table`` (which costs about
0.4 ms a row); rich is imported only for styled records at a terminal.
"""

from __future__ import annotations

import os
import re
import sys
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import islice
from typing import IO, Any

from lrm_cli.errors import Ambiguous, LrmError

BOLD, DIM, RED, YELLOW, CYAN, RESET = (
    "\033[1m",
    "\033[2m",
    "\033[31m",
    "\033[33m",
    "\033[36m",
    "\033[0m",
)


# What a terminal acts on, but tab and newline: C0 controls, DEL, C1 controls (U+009B is
# CSI to some terminals), and the bidirectional overrides and isolates (U+202A-U+202E,
# U+2066-U+2069), which reorder the rest of the line: a name holding U+202E could make
# what follows it read backwards. (Bidi marks, U+200E/U+200F, reorder nothing: kept.)
_ACTING = r"\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069"
_UNSAFE = re.compile(f"[{_ACTING}]")
_UNSAFE_IN_CELL = re.compile(f"[{_ACTING}\\t\\n]")  # tabs and newlines too
_UNSAFE_IN_ROW = re.compile(f"[{_ACTING}\\n]")  # all but the tabs between
_LINE_BREAKS = str.maketrans({"\t": " ", "\n": " "})


def _shown(m: re.Match[str]) -> str:
    code = ord(m.group())
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def escape(text: str, *, one_line: bool = False) -> str:
    """``text`` safe for a terminal: every control character shown as a visible escape
    (ESC as ``\\x1b``, BEL as ``\\x07``, CSI U+009B as ``\\x9b``, a right-to-left
    override as ``\\u202e``), so that no stored
    value can move the cursor, recolour, retitle the window, ring, or plant a
    hyperlink, whatever entry point it came through. Tabs and newlines stay, unless
    ``one_line`` (a table cell, a record value), where they become spaces. Every line,
    cell and message of human output goes through here; JSON escapes on its own. Rich
    markup (``[bold]``) is never interpreted: nothing here goes through rich's markup."""
    if (_UNSAFE_IN_CELL if one_line else _UNSAFE).search(text) is None:
        return text  # nearly always: one search in C, no copy
    if one_line:
        text = text.translate(_LINE_BREAKS)
    return _UNSAFE.sub(_shown, text)


class Styled(str):
    """Text already escaped and wrapped in lrm's own colour codes (``Output.styled``):
    ``Output.line`` passes it through as it is."""


def cell_width(text: str) -> int:
    return sum(
        2 if unicodedata.east_asian_width(ch) in "WF" else 1
        for ch in text
        if not unicodedata.combining(ch)
    )


def truncate(text: str, width: int) -> str:
    if cell_width(text) <= width:
        return text
    out, used = [], 0
    for ch in text:
        w = 2 if unicodedata.east_asian_width(ch) in "WF" else 1
        if used + w > width - 1:
            break
        out.append(ch)
        used += w
    return "".join(out) + "…"


COMPACT = (",", ":")  # list items: one compact object per line
SEPARATOR = b",\n  "  # between the elements of a list (store.sqljson.JSON_SEPARATOR)


def json_layout(value: Any, indent: str = "") -> str:
    """``value`` as JSON laid out for both people and line tools: an object has one key
    per line (nested objects likewise, indented by 2), a non-empty list one element per
    line, each element compact (``{"id":1,"name":"Ada"}``), so that grep, head and wc
    see one record a line. Leaves go through the json module's C encoder; the pure-Python
    encoder that ``indent=`` selects is several times slower on lists of thousands."""
    import json

    dumps = json.JSONEncoder(ensure_ascii=False, separators=COMPACT).encode
    inner = indent + "  "
    if isinstance(value, dict) and value:
        items = [f"{inner}{dumps(str(k))}: {json_layout(v, inner)}" for k, v in value.items()]
        return "{\n" + ",\n".join(items) + f"\n{indent}}}"
    if isinstance(value, list) and value:
        return "[\n" + ",\n".join(inner + dumps(v) for v in value) + f"\n{indent}]"
    return dumps(value)


class Output:
    def __init__(
        self,
        mode: str,
        *,
        color: bool = False,
        stdout: IO[str] | None = None,
        stderr: IO[str] | None = None,
        width: int | None = None,
        allow_color: bool = True,
    ) -> None:
        self.mode = mode
        self.color = color
        self.allow_color = allow_color
        self.stdout = stdout or sys.stdout
        self.stderr = stderr or sys.stderr
        self.width = width

    @classmethod
    def choose(cls, *, json_mode: bool, no_color: bool = False) -> Output:
        if json_mode:
            return cls("json", allow_color=not no_color)
        tty = sys.stdout.isatty()
        color = tty and not no_color and not os.environ.get("NO_COLOR")
        return cls("rich" if tty else "plain", color=color, allow_color=not no_color)

    @property
    def is_json(self) -> bool:
        return self.mode == "json"

    # --- data ----------------------------------------------------------------------------

    def json(self, payload: Any) -> None:
        """One JSON document: objects one key per line, indented by 2; the elements of a
        list one per line, each written compact (see :func:`json_layout`)."""
        self.stdout.write(json_layout(payload) + "\n")

    def json_joined(self, body: str | bytes | Iterable[bytes] | None) -> None:
        """A list whose elements are already encoded and joined by ``",\\n  "``; None
        for an empty list. Bytes (UTF-8, straight from SQLite) skip a decode and an
        encode of what can be megabytes. An iterable gives the elements one by one
        (UTF-8 JSON objects), written as they come so that they are never all held;
        nothing is written before the first (or the end) is there, so an error in
        reading them leaves stdout empty."""
        if body is not None and not isinstance(body, (str, bytes)):
            self._json_items(iter(body))
            return
        if not body:
            self.stdout.write("[]\n")
            return
        if isinstance(body, bytes):
            binary = getattr(self.stdout, "buffer", None)
            if binary is not None:
                self.stdout.flush()
                binary.write(b"[\n  ")
                binary.write(body)
                binary.write(b"\n]\n")
                binary.flush()
                return
            body = body.decode()
        self.stdout.write(f"[\n  {body}\n]\n")

    def _json_items(self, items: Iterator[bytes]) -> None:
        first = next(items, None)
        binary = getattr(self.stdout, "buffer", None)
        if first is None or binary is None:
            self.json_joined(SEPARATOR.join([first, *items]) if first is not None else None)
            return
        self.stdout.flush()
        binary.write(b"[\n  " + first)
        while chunk := list(islice(items, 1000)):
            binary.write(SEPARATOR + SEPARATOR.join(chunk))
        binary.write(b"\n]\n")
        binary.flush()

    def emit(self, payload: Any, human: Callable[[Output], None]) -> None:
        """The one branch: JSON gets the payload, people get ``human(self)``."""
        if self.is_json:
            self.json(payload)
        else:
            human(self)

    def emit_saved(
        self,
        payload: dict[str, Any],
        changed: bool,
        human: Callable[[Output], None],
        unchanged: str,
    ) -> None:
        """The result of a write that may have changed nothing: JSON gets the payload with
        ``changed`` (docs/json.md, "Changing nothing"); people get ``human(self)``, or the
        one line ``unchanged`` (``words.no_changes``) when nothing changed."""
        self.emit(
            {**payload, "changed": changed},
            human if changed else lambda out: out.line(unchanged),
        )

    def table(
        self,
        headers: Sequence[str],
        rows: Sequence[Sequence[str | None]],
        *,
        empty: str = "nothing to show",
    ) -> None:
        if self.mode == "plain":
            write = self.stdout.write
            for row in rows:
                # Checked a row at a time (lists run to 100,000 rows): a row whose
                # values hold no control character, and so no tab, is written as is.
                line = "\t".join([v or "" for v in row])
                if _UNSAFE_IN_ROW.search(line) or line.count("\t") != len(row) - 1:
                    line = "\t".join([_plain(v) for v in row])
                write(line + "\n")
            return
        if not rows:
            self.info(empty)
            return
        cells = [[v or "" for v in row] for row in rows]
        for i, row in enumerate(cells):
            if _UNSAFE_IN_CELL.search("".join(row)):
                cells[i] = [escape(v, one_line=True) for v in row]
        widths = [cell_width(h) for h in headers]
        for row in cells:
            for i, value in enumerate(row):
                w = cell_width(value)
                if w > widths[i]:
                    widths[i] = w
        widths = _fit(widths, self._width())
        lines = [
            self._style(
                "  ".join(_pad(h, w) for h, w in zip(headers, widths, strict=True)).rstrip(), BOLD
            )
        ]
        for row in cells:
            lines.append(
                "  ".join(
                    _pad(truncate(v, w), w) for v, w in zip(row, widths, strict=True)
                ).rstrip()
            )
        self.stdout.write("\n".join(lines) + "\n")

    def record(self, title: str, pairs: Sequence[tuple[str, str | None]]) -> None:
        """A titled block of ``label: value`` lines (empty values are left out)."""
        shown = [(escape(k), escape(v, one_line=True)) for k, v in pairs if v not in (None, "")]
        title = escape(title, one_line=True)
        if self.mode == "plain":
            self.stdout.write(f"{title}\n")
            for key, value in shown:
                self.stdout.write(f"{key}\t{value}\n")
            return
        width = max((cell_width(k) for k, _ in shown), default=0)
        self.stdout.write(self._style(title, BOLD) + "\n")
        for key, value in shown:
            self.stdout.write(f"  {self._style(_pad(key, width), DIM)}  {value}\n")

    def section(self, title: str) -> None:
        title = escape(title, one_line=True)
        if self.mode == "plain":
            self.stdout.write(f"\n# {title}\n")
        else:
            self.stdout.write("\n" + self._style(title, CYAN) + "\n")

    def line(self, *parts: str) -> None:
        """One line (or a multi-line text such as a note) of ``parts``, each escaped
        (:func:`escape`) but those from :meth:`styled`, which carry lrm's own colours."""
        text = "".join(p if isinstance(p, Styled) else escape(p) for p in parts)
        self.stdout.write(text + "\n")

    # --- messages (stderr) -----------------------------------------------------------------

    def info(self, text: str) -> None:
        """A human message about what happened; never on stdout, never in JSON mode."""
        if not self.is_json:
            self.stderr.write(escape(text) + "\n")

    def warn(self, text: str) -> None:
        prefix = self._style("warning:", YELLOW, stream=self.stderr)
        self.stderr.write(f"lrm: {prefix} {escape(text)}\n")

    def error(self, err: LrmError) -> None:
        if self.is_json:
            body: dict[str, Any] = {"code": err.code, "message": err.message}
            if err.hint:
                body["hint"] = err.hint
            if isinstance(err, Ambiguous):
                body["candidates"] = err.candidates
                if err.ids is not None:
                    body["candidate_ids"] = err.ids
            import json

            self.stderr.write(json.dumps({"error": body}, ensure_ascii=False) + "\n")
            return
        hint = f" (hint: {err.hint})" if err.hint else ""
        prefix = self._style("error:", RED, stream=self.stderr)
        self.stderr.write(f"lrm: {prefix} {escape(err.message + hint)}\n")

    def styled(self, text: str, style: str) -> Styled:
        """``text``, escaped, in a named style (bold, dim, red, yellow, cyan) when colour
        is on; give it to :meth:`line` as a part of its own (an f-string would lose the
        mark, and the colour codes would be shown escaped)."""
        codes = {"bold": BOLD, "dim": DIM, "red": RED, "yellow": YELLOW, "cyan": CYAN}
        return Styled(self._style(escape(text), codes[style]))

    # --- helpers ---------------------------------------------------------------------------

    def _width(self) -> int:
        import shutil

        return self.width or shutil.get_terminal_size((100, 24)).columns

    def _style(self, text: str, code: str, stream: IO[str] | None = None) -> str:
        if stream is not None:
            use = self.allow_color and stream.isatty() and not os.environ.get("NO_COLOR")
        else:
            use = self.color
        return f"{code}{text}{RESET}" if use else text


def _plain(value: str | None) -> str:
    return escape(value, one_line=True) if value else ""


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - cell_width(text))


def _fit(widths: list[int], total: int) -> list[int]:
    """Shrink the widest columns until the row fits the terminal."""
    widths = list(widths)
    budget = total - 2 * (len(widths) - 1)
    while sum(widths) > budget and max(widths) > 8:
        widest = widths.index(max(widths))
        widths[widest] -= 1
    return widths
