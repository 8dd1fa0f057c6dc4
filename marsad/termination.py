"""SIGTERM and SIGINT during `marsad run`.

The first signal asks the run to stop: during the crawl no new request is scheduled, the pages
and articles in flight are finished (their batches indexed and recorded with their alerts), and
the run ends with exit code 1 without delivering (the queued alerts go out with the next run).
A second signal ends the process at once, as a kill would: nothing committed is lost, and what
was in flight is fetched again by the next run.
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any

SIGNALS = (signal.SIGTERM, signal.SIGINT)


class Termination:
    def __init__(self) -> None:
        self.received: str | None = None  # the first signal's name, e.g. SIGTERM
        self._on_first: Callable[[], None] | None = None
        self._previous: dict[int, Any] = {}

    def install(self) -> None:
        if threading.current_thread() is not threading.main_thread():
            return  # signal handlers live in the main thread; a run in another thread keeps the process's
        for number in SIGNALS:
            self._previous[number] = signal.signal(number, self._handle)

    def restore(self) -> None:
        for number, previous in self._previous.items():
            signal.signal(number, previous)
        self._previous.clear()

    @contextmanager
    def on_first(self, action: Callable[[], None]) -> Iterator[None]:
        """Run ``action`` (from the signal handler: it must only schedule work) on the first signal
        received inside the block."""
        self._on_first = action
        try:
            yield
        finally:
            self._on_first = None

    def _handle(self, number: int, _frame: FrameType | None) -> None:
        if self.received is not None:  # the second one: stop now
            signal.signal(number, signal.SIG_DFL)
            os.kill(os.getpid(), number)
            return
        self.received = signal.Signals(number).name
        if self._on_first is not None:
            self._on_first()


@contextmanager
def termination() -> Iterator[Termination]:
    handler = Termination()
    handler.install()
    try:
        yield handler
    finally:
        handler.restore()
