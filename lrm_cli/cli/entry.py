"""The console script's entry point: deliberately tiny.

``--version``, shell completion of contact names, ``completion SHELL`` (a shell's start-up
file may run it) and plain invocations of the hot commands (cli/fast.py: list, show, due,
balance, digest, search, upcoming, drift, timeline, add, log, note, export) are
answered without importing Typer (they run in scripts, cron, on every Tab press and many
times a day); everything else goes to the Typer app, which registers only the command
modules the invocation needs.
"""

from __future__ import annotations

import sys

# the first words of cli/fast.py COMMANDS (a test checks)
_FAST = {"list", "show", "due", "balance", "digest", "search", "upcoming", "drift", "timeline"}
_FAST |= {"add", "log", "note", "export"}


def _never_fail_on_encoding() -> None:
    """Under a locale that is not UTF-8 (LANG=en_US.ISO-8859-1, PYTHONIOENCODING=ascii),
    a name like 'Zoë 😀' must not end the command with UnicodeEncodeError. Piped or
    redirected, the output is for programs: UTF-8, as JSON (RFC 8259) and the exports
    already are. On a terminal, for a person: the locale's encoding, with what it cannot
    show written as an escape (\\xeb) instead of failing."""
    encoding = (sys.stdout.encoding or "").lower().replace("-", "").replace("_", "")
    if encoding in ("utf8", "utf8sig") or not hasattr(sys.stdout, "reconfigure"):
        return
    if sys.stdout.isatty():
        sys.stdout.reconfigure(errors="backslashreplace")
    else:
        sys.stdout.reconfigure(encoding="utf-8")


def _no_full_collections() -> None:
    """Let the cycle collector sweep young objects only. A full collection walks every
    object alive, and a bulk command keeps many alive (an import's index of 100,000
    names, its cards in flight): CPython starts one each time the survivors grew by a
    quarter, so they cost more the more there is (an import of 20,000 cards spent ~10%
    of its time in them). Cycles that die young are still freed; one that outlives two
    young collections waits for the process to end, a few seconds later (peak memory
    unchanged on the benchmarks' imports, restores and exports)."""
    import gc

    young, middle, _ = gc.get_threshold()
    gc.set_threshold(young, middle, 1_000_000)


def main() -> None:
    _never_fail_on_encoding()
    _no_full_collections()
    argv = sys.argv[1:]
    if argv in (["--version"], ["-V"]):
        from lrm_cli import __version__

        sys.stdout.write(f"lrm {__version__}\n")
        return
    if argv[:1] == ["__complete"]:
        from lrm_cli.cli.complete import complete_contacts

        raise SystemExit(complete_contacts(argv[1:]))
    if len(argv) == 2 and argv[0] == "completion" and argv[1] in ("bash", "zsh", "fish"):
        from lrm_cli.cli.completion import script

        sys.stdout.write(script(argv[1]))
        return
    if _FAST.intersection(argv):
        from lrm_cli.cli.fast import run_fast

        code = run_fast(argv)
        if code is not None:
            raise SystemExit(code)
    from lrm_cli.cli.app import run

    run(argv)
