"""A progress bar for long imports, on stderr so that stdout stays the command's answer."""

from __future__ import annotations

import time


class LateProgress:
    """A progress bar on stderr that appears only once the work has taken ``delay``
    seconds (a quick import shows nothing). Call it with (done, total); ``close()`` when
    the work ends, also on failure."""

    def __init__(self, label: str = "importing", delay: float = 1.0) -> None:
        self.started = time.monotonic()
        self.label = label
        self.delay = delay
        self.bar = None
        self.task = None

    def __call__(self, done: int, total: int) -> None:
        if self.bar is None:
            if time.monotonic() - self.started < self.delay or done >= total:
                return
            from rich.console import Console
            from rich.progress import Progress

            self.bar = Progress(console=Console(stderr=True), transient=True)
            self.bar.start()
            self.task = self.bar.add_task(self.label, total=total)
        self.bar.update(self.task, completed=done, total=total)
        if done >= total:
            self.close()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()
            self.bar = None
