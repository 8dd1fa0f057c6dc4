"""Items wait for their batch to be written — when it is full, or after a short idle time.

A pipeline awaits :meth:`Batch.join`, which returns once the batch holding the item was written
and raises what the write raised, so an item moves on only when its batch is confirmed.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class Batch(Generic[T]):
    def __init__(self, size: int, seconds: float, write: Callable[[list[T]], None]) -> None:
        self.size = size
        self.seconds = seconds
        self.write = write
        self._waiting: list[tuple[T, asyncio.Future[None]]] = []
        self._timer: asyncio.TimerHandle | None = None

    async def join(self, item: T) -> None:
        loop = asyncio.get_running_loop()
        done: asyncio.Future[None] = loop.create_future()
        self._waiting.append((item, done))
        if len(self._waiting) >= self.size:
            self.flush()
        elif self._timer is None:
            self._timer = loop.call_later(self.seconds, self.flush)
        await done

    def flush(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        waiting, self._waiting = self._waiting, []
        if not waiting:
            return
        try:
            self.write([item for item, _ in waiting])
        except Exception as exc:  # handed to every waiting item: each pipeline decides what it means
            for _, done in waiting:
                if not done.done():
                    done.set_exception(exc)
            return
        for _, done in waiting:
            if not done.done():
                done.set_result(None)
