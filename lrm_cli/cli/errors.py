"""The decorator every Typer command wears: failures become one line and an exit code
(cli/failure.py says how).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

import typer

from lrm_cli.cli.failure import report
from lrm_cli.cli.state import Run

F = TypeVar("F", bound=Callable[..., Any])


def handle_errors(func: F) -> F:
    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        ctx = kwargs.get("ctx")
        run = Run.of(ctx, bool(kwargs.get("json_output"))) if ctx is not None else Run()
        try:
            return func(*args, **kwargs)
        except typer.Exit:
            raise
        except BaseException as exc:  # report() re-raises what it does not own
            raise typer.Exit(report(run, exc)) from None
        finally:
            run.close()

    return wrapper  # type: ignore[return-value]
