"""Turning a failure into one line on stderr and an exit code (DESIGN §4), without Typer:
both cli/errors.py (every Typer command) and the fast path (cli/fast.py) use it.

LrmError subclasses carry their code; a "no" to a prompt is 0 ("nothing changed"); Ctrl-C
is 130; anything else is 1 with the traceback only under ``--debug`` (never
``show_locals``: it would print personal data).
"""

from __future__ import annotations

import sys

from lrm_cli.cli.state import Run
from lrm_cli.errors import Declined, LrmError


def report(run: Run, exc: BaseException) -> int:
    """One line on stderr for ``exc`` and the exit code (DESIGN §4). Typer-free: the fast
    path (cli/fast.py) uses it too. SystemExit and the like are re-raised."""
    if isinstance(exc, LrmError):
        run.out.error(exc)
        return exc.exit_code
    if isinstance(exc, Declined):  # a "no" to a prompt is an answer, not a failure
        sys.stderr.write("nothing changed\n")
        return 0
    if isinstance(exc, KeyboardInterrupt):
        sys.stderr.write("lrm: interrupted; nothing was changed\n")
        return 130
    if isinstance(exc, BrokenPipeError):
        sys.stderr.close()
        return 0
    if not isinstance(exc, Exception):
        raise exc
    if run.debug:
        import traceback

        traceback.print_exception(exc)
    run.out.error(
        LrmError(
            f"unexpected {type(exc).__name__}: {exc}",
            hint=None if run.debug else "run again with --debug for the traceback",
        )
    )
    return 1
