"""Work done in a forked child process while the caller uses what it has made so far.

A big ``lrm import vcard`` parses its cards here while the parent writes the ones already
parsed: on two cores the parse no longer adds to the write. A first sync and a first
export split their rendering in two (:func:`split_map`), the child taking the second
half. The child is forked (it inherits the parent's modules and data: nothing is pickled
but the results), sends each item through a pipe as it is made (the pipe's buffer holds
the child back when the parent is slower: memory stays bounded), and never touches the
parent's database connection: it only runs ``produce`` and leaves with ``os._exit``, as
multiprocessing's forked children do.

Linux only (fork is unsafe on macOS, absent on Windows); :func:`available` says whether
it can be used. Callers fall back to running ``produce`` in-process.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TypeVar

from lrm_cli.errors import LrmError

T = TypeVar("T")
A = TypeVar("A")


def available() -> bool:
    """Forking is safe here and a second core can do the work."""
    return sys.platform.startswith("linux") and (os.cpu_count() or 1) > 1


def items(produce: Callable[[], Iterator[T]]) -> Iterator[T]:
    """What ``produce()`` yields, in order, made in a forked child process. An exception
    in the child is raised here, at the same place in the sequence. Closing the iterator
    early stops the child. The child starts when the iterator is first read."""
    yield from _receive(*_start(produce))


def items_or_here(produce: Callable[[], Iterator[T]]) -> Iterator[T]:
    """:func:`items`, or ``produce()`` in this process when no process can be had (a
    limit on processes, on memory)."""
    try:
        child, receive = _start(produce)
    except OSError:
        yield from produce()
        return
    yield from _receive(child, receive)


SPLIT_FROM = 400  # items from which :func:`split_map` is worth a process (~20 ms)
# results the child of :func:`split_map` sends at a time: each message wakes the
# parent's reader thread, which then waits for the GIL its rendering holds (up to the
# 5 ms switch interval) and makes it wait in turn; one message a result cost a first
# export of 2,000 calendar items ~100 ms of its ~370
SPLIT_CHUNK = 256


def split_map(make: Callable[[Sequence[A]], Iterable[T]], work: Sequence[A]) -> list[T]:
    """``list(make(work))``, on two cores: a forked child makes the second half while
    this process makes the first. ``make`` must give one result per item, in order,
    and touch nothing but its items (no database: the child must not use the caller's
    connection). Results travel pickled: bytes and plain values. Few items, no fork
    here, or no process to be had: all in-process."""
    if len(work) < SPLIT_FROM or not available():
        return list(make(work))
    import threading

    half = len(work) // 2
    try:
        child, receive = _start(lambda: _chunks(make(work[half:]), SPLIT_CHUNK))
    except OSError:  # no process to be had (a limit on processes, on memory): alone
        return list(make(work))
    later: list[T] = []
    failed: list[BaseException] = []

    def drain() -> None:  # as they come: a full pipe would hold the child back
        try:
            for chunk in _receive(child, receive):
                later.extend(chunk)
        except BaseException as exc:
            failed.append(exc)

    reader = threading.Thread(target=drain, name="lrm-split", daemon=True)
    reader.start()
    try:
        made = list(make(work[:half]))
    except BaseException:
        child.terminate()  # its end of the pipe closes: the reader ends (and cleans up)
        reader.join()
        raise
    reader.join()
    if failed:
        raise failed[0]
    return made + later


def _chunks(results: Iterable[T], size: int) -> Iterator[list[T]]:
    chunk: list[T] = []
    for result in results:
        chunk.append(result)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _start(produce: Callable[[], Iterator[T]]):
    import multiprocessing

    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_run, args=(produce, send, receive), daemon=True)
    child.start()
    send.close()  # the child's end: EOF here when the child is gone
    return child, receive


def _stop(child, receive) -> None:
    receive.close()
    if child.is_alive():
        child.terminate()
    child.join()


def _receive(child, receive) -> Iterator[T]:
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
        _stop(child, receive)


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
