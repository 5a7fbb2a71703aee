"""Work done in a forked child process while the caller uses what it has made so far.

A big ``lrm import vcard`` parses its cards here while the parent writes the ones already
parsed: on two cores the parse no longer adds to the write. The child is forked (it
inherits the parent's modules and data: nothing is pickled but the results), sends each
item through a pipe as it is made (the pipe's buffer holds the child back when the
parent is slower: memory stays bounded), and never touches the parent's database
connection: it only runs ``produce`` and leaves with ``os._exit``, as multiprocessing's
forked children do.

Linux only (fork is unsafe on macOS, absent on Windows); :func:`available` says whether
it can be used. Callers fall back to running ``produce`` in-process.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from typing import TypeVar

from lrm_cli.errors import LrmError

T = TypeVar("T")


def available() -> bool:
    """Forking is safe here and a second core can do the work."""
    return sys.platform.startswith("linux") and (os.cpu_count() or 1) > 1


def items(produce: Callable[[], Iterator[T]]) -> Iterator[T]:
    """What ``produce()`` yields, in order, made in a forked child process. An exception
    in the child is raised here, at the same place in the sequence. Closing the iterator
    early stops the child."""
    import multiprocessing

    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_run, args=(produce, send, receive), daemon=True)
    child.start()
    send.close()  # the child's end: EOF here when the child is gone
    try:
        while True:
            try:
                kind, value = receive.recv()
            except EOFError:
                child.join(5)
                code = child.exitcode
                how = f"killed by signal {-code}" if code and code < 0 else f"exit code {code}"
                raise LrmError(f"the background worker stopped unexpectedly ({how})") from None
            if kind == "item":
                yield value
            elif kind == "error":
                raise value
            else:
                return
    finally:
        receive.close()
        if child.is_alive():
            child.terminate()
        child.join()


def _run(produce: Callable[[], Iterator[T]], send, receive) -> None:
    # Only the parent reads: with the read end closed here, a parent that dies (killed,
    # out of memory) breaks the pipe and this process ends at its next send instead of
    # waiting forever.
    receive.close()
    # The child writes nothing, and holds none of the parent's output open (a pipeline
    # `lrm import ... | tee` ends when lrm does); a stream another thread of the parent
    # held at the fork stays locked here, so nothing must reach for it.
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    sys.stdout = sys.stderr = open(null, "w")  # noqa: SIM115 (gone with the process)
    try:
        for item in produce():
            send.send(("item", item))
        send.send(("end", None))
    except BrokenPipeError:  # the parent stopped reading: nothing to tell it
        pass
    except BaseException as exc:  # every failure goes to the parent
        try:
            send.send(("error", exc))
        except Exception:  # an exception that cannot be pickled
            send.send(("error", LrmError(f"{type(exc).__name__}: {exc}")))
    finally:
        send.close()
