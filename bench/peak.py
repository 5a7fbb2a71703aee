"""Run a command and report its wall time and its own peak memory: bench/run.py's wrapper.

    python -S -E bench/peak.py REPORT COMMAND [ARGS...]

Spawns COMMAND (stdin, stdout and stderr inherited), waits for it with ``os.wait4`` and
writes ``<seconds> <peak bytes>`` to the file REPORT; exits with COMMAND's exit code.

Why a wrapper: Linux counts in a child's ``ru_maxrss`` the memory of the process it was
forked from (the peak of the old address space is kept at exec), so a child of the
runner (tens of MB of Python) never reports less than the runner's own size. This
process is the smallest Python there is (``-S``: no site), so what it reports is the
command's own peak whenever that is above ~10 MB (every lrm command). The seconds are
from just before the spawn to the end of the wait, so the wrapper's own start-up is not
in them.
"""

import os
import sys
import time


def main() -> int:
    report, argv = sys.argv[1], sys.argv[2:]
    started = time.perf_counter()
    pid = os.posix_spawnp(argv[0], argv, os.environ)
    _, status, usage = os.wait4(pid, 0)
    elapsed = time.perf_counter() - started
    with open(report, "w") as fh:
        fh.write(f"{elapsed:.6f} {usage.ru_maxrss * 1024}\n")  # ru_maxrss is KiB on Linux
    return os.waitstatus_to_exitcode(status)


if __name__ == "__main__":
    raise SystemExit(main())
