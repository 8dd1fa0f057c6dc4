"""Batch: items move on only once their batch is written; a failed write fails every item of it."""

from __future__ import annotations

import asyncio

from crawler.pipelines.batch import Batch


def test_a_full_batch_is_written_at_once_and_a_partial_one_after_the_idle_time() -> None:
    written: list[list[int]] = []

    async def scenario() -> None:
        batch: Batch[int] = Batch(size=3, seconds=0.05, write=written.append)
        await asyncio.gather(*(batch.join(n) for n in range(5)))

    asyncio.run(scenario())
    assert written == [[0, 1, 2], [3, 4]]


def test_a_failed_write_fails_each_waiting_item_and_later_batches_go_on() -> None:
    calls: list[list[str]] = []

    def write(items: list[str]) -> None:
        calls.append(items)
        if "bad" in items:
            raise OSError("disk full")

    async def scenario() -> list[BaseException | None]:
        batch: Batch[str] = Batch(size=2, seconds=0.05, write=write)
        first = await asyncio.gather(batch.join("ok"), batch.join("bad"), return_exceptions=True)
        second = await asyncio.gather(batch.join("fine"), return_exceptions=True)
        return [*first, *second]

    results = asyncio.run(scenario())
    assert [type(r).__name__ for r in results] == ["OSError", "OSError", "NoneType"]
    assert calls == [["ok", "bad"], ["fine"]]


def test_flush_with_nothing_waiting_writes_nothing() -> None:
    written: list[list[int]] = []
    Batch(size=2, seconds=1, write=written.append).flush()
    assert written == []
