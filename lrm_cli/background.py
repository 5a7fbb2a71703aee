"""Work done in a forked child process while the caller uses what it has made so far.

A big ``lrm import vcard`` parses its cards here while the parent writes the ones already
parsed (:func:`items`): on two cores the parse no longer adds to the write. The child is
forked (it inherits the parent's modules and data: nothing is pickled but the results),
sends each item through a pipe as it is made (the pipe's buffer holds the child back
when the parent is slower: memory stays bounded), and never touches the parent's
database connection: it only runs ``produce`` and leaves with ``os._exit``, as
multiprocessing's forked children do. A first sync and a first export share their
rendering between the two processes instead (:func:`split_map`).

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
SHARES = 64  # pieces split_map cuts its work into, taken in turn by whichever is free
MIN_SHARE = 32  # items: fewer make a share not worth its round (a make call, a claim)


def split_map(make: Callable[[Sequence[A]], Iterable[T]], work: Sequence[A]) -> list[T]:
    """``list(make(work))``, on two cores: this process and a forked child each take the
    next share of ``work`` nobody has taken (``make`` of a share at a time), until none
    is left: the faster of the two, whichever the machine favours, does more, and
    neither waits for the other longer than a share takes. The child's results come
    back pickled, in one piece when it is done, through an anonymous memory file
    (never the disk); so no thread here takes them as they come (each message woke one,
    to fight the rendering for the GIL: ~100 ms of a first export's ~370). ``make``
    must give one result per item, in order, and touch nothing but its items (no
    database: the child must not use the caller's connection). Few items, no fork
    here, or no process to be had: all in-process."""
    if len(work) < SPLIT_FROM or not available():
        return list(make(work))
    size = max(MIN_SHARE, -(-len(work) // SHARES))
    starts = range(0, len(work), size)
    try:
        claims = _Claims(len(starts))
    except OSError:
        return list(make(work))

    def made() -> dict[int, list[T]]:  # the shares this process claims, made
        return {at: list(make(work[at : at + size])) for at in (starts[n] for n in claims)}

    try:
        child = _fork(made)
    except OSError:  # no process to be had (a limit on processes, on memory): alone
        claims.close()
        return list(make(work))
    try:
        here = made()
    except BaseException:
        child.stop()
        raise
    finally:
        claims.close()
    there = child.result()
    return [result for at in starts for result in (here[at] if at in here else there[at])]


class _Claims:
    """The numbers 0 to ``count - 1`` in a pipe, read by both processes: each read
    claims the next number, once (a read of 4 bytes from a pipe is atomic)."""

    def __init__(self, count: int) -> None:
        self.fd, write_end = os.pipe()
        try:  # 4 bytes a share: a pipe's buffer (64 KiB) holds SHARES of them
            data = b"".join(n.to_bytes(4, "little") for n in range(count))
            while data:
                data = data[os.write(write_end, data) :]
        except OSError:
            os.close(self.fd)
            raise
        finally:
            os.close(write_end)

    def __iter__(self) -> Iterator[int]:
        while len(data := os.read(self.fd, 4)) == 4:
            yield int.from_bytes(data, "little")

    def close(self) -> None:
        os.close(self.fd)


class _Child:
    """A forked process running ``make()``; its result or exception is pickled into
    an anonymous memory file when it is done."""

    def __init__(self, make: Callable[[], object]) -> None:
        self.file = os.memfd_create("lrm-split", os.MFD_CLOEXEC)
        try:
            self.pid = os.fork()
        except OSError:
            os.close(self.file)
            raise
        if self.pid == 0:  # the child: never returns
            _quiet()
            code = 0
            try:
                outcome: tuple[str, object] = ("done", make())
            except BaseException as exc:  # every failure goes to the parent
                outcome, code = ("error", exc), 1
            try:
                _dump(outcome, self.file)
            finally:
                os._exit(code)

    def result(self):
        """What ``make()`` returned there, or its exception raised here."""
        import pickle

        try:
            code = os.waitstatus_to_exitcode(os.waitpid(self.pid, 0)[1])
            size = os.fstat(self.file).st_size
            if code < 0 or not size:
                how = f"killed by signal {-code}" if code < 0 else f"exit code {code}"
                raise LrmError(f"the background worker stopped unexpectedly ({how})")
            with os.fdopen(os.dup(self.file), "rb") as made:
                made.seek(0)
                kind, value = pickle.load(made)
        finally:
            os.close(self.file)
        if kind == "error":
            raise value
        return value

    def stop(self) -> None:
        import signal

        os.kill(self.pid, signal.SIGTERM)
        os.waitpid(self.pid, 0)
        os.close(self.file)


def _fork(make: Callable[[], object]) -> _Child:
    return _Child(make)


def _dump(outcome: tuple[str, object], fd: int) -> None:
    import pickle

    with os.fdopen(fd, "wb", closefd=False) as out:
        try:
            pickle.dump(outcome, out, pickle.HIGHEST_PROTOCOL)
        except Exception as exc:  # a result or an exception that cannot be pickled
            out.seek(0)
            out.truncate()
            failure = outcome[1] if outcome[0] == "error" else exc
            pickle.dump(("error", _plain(failure)), out, pickle.HIGHEST_PROTOCOL)


def _plain(exc: BaseException) -> LrmError:
    """An exception that cannot be pickled, told as one that can."""
    return LrmError(f"{type(exc).__name__}: {exc}")


def _quiet() -> None:
    """In a child: write nothing, and hold none of the parent's output open (a pipeline
    `lrm import ... | tee` ends when lrm does); a stream another thread of the parent
    held at the fork stays locked here, so nothing must reach for it."""
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    sys.stdout = sys.stderr = open(null, "w")  # noqa: SIM115 (gone with the process)


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
    _quiet()
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
            send.send(("error", _plain(exc)))
    finally:
        send.close()
