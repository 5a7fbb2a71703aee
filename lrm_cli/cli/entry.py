"""The console script's entry point: deliberately tiny.

``--version`` and shell completion of contact names are answered here without importing
Typer or any command module (they run in scripts and on every Tab press); everything else
goes to the Typer app, which registers only the command modules the invocation needs.
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
    from lrm_cli.cli.app import run

    run(argv)
