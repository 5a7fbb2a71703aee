"""Many lrm invocations from one warm Python, for tests that compare a lot of them (the
fast path against the Typer path).

A driver process imports lrm's modules once, then forks a child for each invocation. The
child takes the test's environment, working folder and argv, has /dev/null for stdin and
files for stdout and stderr, runs the console script's ``main`` (``entry="fast"``) or the
Typer app (``entry="typer"``), runs the exit handlers, flushes and exits with the
command's code (the teardown of every imported module is skipped). A run costs ~20 ms
instead of ~300 ms for a new interpreter that imports Typer. Tests that need the
installed script itself (its path, its start-up, what it imports) keep starting it with
``run_exe``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

_DRIVER = r"""
import json, os, pkgutil, sys, time, traceback

import lrm_cli

# every module a command may import, imported once before the forks
for info in pkgutil.walk_packages(lrm_cli.__path__, "lrm_cli."):
    if info.name.endswith("__main__"):
        continue
    try:
        __import__(info.name)
    except Exception:
        pass
import typer, rich.console  # noqa: E401,F401

replies = os.fdopen(os.dup(1), "w", buffering=1)
os.dup2(os.open(os.devnull, os.O_WRONLY), 1)


def child(request):
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    time.tzset()
    os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
    os.dup2(os.open(request["out"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), 1)
    os.dup2(os.open(request["err"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), 2)
    sys.stdin = open(os.devnull)
    sys.argv = ["lrm", *request["argv"]]
    code = 0
    try:
        if request["entry"] == "fast":
            from lrm_cli.cli.entry import main

            main()
        else:
            from lrm_cli.cli.app import run

            run(request["argv"])
    except SystemExit as done:
        code = done.code
    except BaseException:
        traceback.print_exc()
        code = 1
    if code is None:
        code = 0
    elif not isinstance(code, int):
        print(code, file=sys.stderr)
        code = 1
    return code


def serve():
    for line in sys.stdin:
        request = json.loads(line)
        pid = os.fork()
        if pid == 0:
            replies.close()
            return child(request)
        _, status = os.waitpid(pid, 0)
        replies.write(json.dumps({"code": os.waitstatus_to_exitcode(status)}) + "\n")
    return 0


code = serve()
# a child ends as the interpreter would, less its teardown of every module (~140 ms with
# lrm's whole package imported): exit handlers run and output is flushed
import atexit

atexit._run_exitfuncs()
sys.stdout.flush()
sys.stderr.flush()
os._exit(code)
"""


@dataclass
class Done:
    returncode: int
    stdout: str
    stderr: str


class WarmLrm:
    """The driver process; ``run(entry, argv)`` -> :class:`Done`."""

    def __init__(self, scratch: Path) -> None:
        self.scratch = scratch
        self.count = 0
        self.process = subprocess.Popen(
            [sys.executable, "-c", _DRIVER],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def run(self, entry: str, *argv: str) -> Done:
        self.count += 1
        out = self.scratch / f"{self.count}.out"
        err = self.scratch / f"{self.count}.err"
        request = {"entry": entry, "argv": list(argv), "env": dict(os.environ)}
        request.update(cwd=os.getcwd(), out=str(out), err=str(err))
        assert self.process.stdin and self.process.stdout
        self.process.stdin.write(json.dumps(request) + "\n")
        self.process.stdin.flush()
        reply = self.process.stdout.readline()
        if not reply:
            raise RuntimeError("the warm lrm driver died")
        code = json.loads(reply)["code"]
        done = Done(code, out.read_text(), err.read_text())
        out.unlink()
        err.unlink()
        return done

    def close(self) -> None:
        assert self.process.stdin
        self.process.stdin.close()
        self.process.wait(timeout=30)
