"""One handler turns every failure into one line on stderr and an exit code (DESIGN §4).

LrmError subclasses carry their code; Ctrl-C is 130; anything else is 1 with the
traceback only under ``--debug`` (never ``show_locals``: it would print personal data).
"""

from __future__ import annotations

import functools
import sys
import traceback
from collections.abc import Callable
from typing import Any, TypeVar

import typer

from lrm_cli.cli.state import Run
from lrm_cli.domain import LrmError

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
        except LrmError as err:
            run.out.error(err)
            raise typer.Exit(err.exit_code) from None
        except KeyboardInterrupt:
            sys.stderr.write("lrm: interrupted; nothing was changed\n")
            raise typer.Exit(130) from None
        except BrokenPipeError:
            sys.stderr.close()
            raise typer.Exit(0) from None
        except Exception as exc:
            if run.debug:
                traceback.print_exc()
            run.out.error(
                LrmError(
                    f"unexpected {type(exc).__name__}: {exc}",
                    hint=None if run.debug else "run again with --debug for the traceback",
                )
            )
            raise typer.Exit(1) from None
        finally:
            run.close()

    return wrapper  # type: ignore[return-value]
