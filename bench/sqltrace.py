"""Record every SQL statement one lrm command executes, with its parameters and the line of
lrm that issued it.

    python bench/sqltrace.py OUT.json --db FILE due --json

Runs the ``lrm`` console script's declared entry point in this process with those
arguments, after making every ``sqlite3.connect`` return a ``TracingConnection`` (a real
``sqlite3.Connection`` subclass, so lrm cannot tell), and writes the statements to
OUT.json, whatever the command's exit code. ``bench/run.py`` runs ``EXPLAIN QUERY PLAN``
on them: the plans it prints are those of the SQL lrm really runs, parameters included.
The command's own output goes to stdout/stderr as usual.
"""

from __future__ import annotations

import json
import sqlite3
import sys
from pathlib import Path
from typing import Any

RECORDED: list[dict[str, Any]] = []
_PACKAGE = "lrm_cli"


def origin(depth: int = 2) -> str:
    """``lrm_cli/store/stats.py:97 window_counts``: the innermost frame in lrm's store
    layer (else in lrm at all) among the callers."""
    frame = sys._getframe(depth)
    fallback = "?"
    while frame is not None:
        parts = Path(frame.f_code.co_filename).parts
        if _PACKAGE in parts:
            where = "/".join(parts[parts.index(_PACKAGE):])
            where = f"{where}:{frame.f_lineno} {frame.f_code.co_name}"
            if "store" in parts:
                return where
            if fallback == "?":
                fallback = where
        frame = frame.f_back
    return fallback


def _plain(params: Any) -> Any:
    if isinstance(params, dict):
        return dict(params)
    return list(params)


class TracingConnection(sqlite3.Connection):
    """Records each ``execute``/``executemany`` (SQL, parameters, caller) in RECORDED."""

    def execute(self, sql: str, parameters: Any = (), /) -> sqlite3.Cursor:
        RECORDED.append({"sql": sql, "params": _plain(parameters), "origin": origin(),
                         "times": 1})
        return super().execute(sql, parameters)

    def executemany(self, sql: str, seq: Any, /) -> sqlite3.Cursor:
        rows = list(seq)
        RECORDED.append({"sql": sql, "params": _plain(rows[0]) if rows else [],
                         "origin": origin(), "times": len(rows)})
        return super().executemany(sql, rows)


def install() -> None:
    """Make every later ``sqlite3.connect`` (without a factory of its own) trace."""
    real = sqlite3.connect

    def connect(*args: Any, **kwargs: Any) -> sqlite3.Connection:
        kwargs.setdefault("factory", TracingConnection)
        return real(*args, **kwargs)

    sqlite3.connect = connect  # type: ignore[assignment]


def lrm_entry_point():
    from importlib.metadata import entry_points

    (script,) = entry_points(group="console_scripts", name="lrm")
    return script.load()


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    out, args = Path(argv[0]), argv[1:]
    install()
    entry = lrm_entry_point()
    sys.argv = ["lrm", *args]
    code: object = 0
    try:
        entry()
    except SystemExit as exc:
        code = exc.code
    finally:
        sys.stdout.flush()
        out.write_text(json.dumps({"argv": args, "exit": code, "statements": RECORDED},
                                  default=repr), encoding="utf-8")
    return code if isinstance(code, int) else (0 if code is None else 1)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
