"""The console script's entry point: deliberately tiny.

``--version``, shell completion of contact names and plain ``lrm list`` invocations
(cli/fast.py) are answered without importing Typer (they run in scripts, on every Tab
press, and lrm list must beat khard); everything else goes to the Typer app, which
registers only the command modules the invocation needs.
"""

from __future__ import annotations

import sys


def main() -> None:
    argv = sys.argv[1:]
    if argv in (["--version"], ["-V"]):
        from lrm_cli import __version__

        sys.stdout.write(f"lrm {__version__}\n")
        return
    if argv[:1] == ["__complete"]:
        from lrm_cli.cli.complete import complete_contacts

        raise SystemExit(complete_contacts(argv[1:]))
    if "list" in argv:
        from lrm_cli.cli.fast import run_fast

        code = run_fast(argv)
        if code is not None:
            raise SystemExit(code)
    from lrm_cli.cli.app import run

    run(argv)
