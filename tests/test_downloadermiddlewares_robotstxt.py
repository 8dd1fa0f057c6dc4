"""Every request waiting for a host's robots.txt gets its parser, not only the first."""

from __future__ import annotations

import asyncio

from twisted.internet.defer import Deferred

from crawler.downloadermiddlewares.robotstxt import shared_result


def test_a_deferred_awaited_as_a_future_is_consumed_so_each_waiter_gets_its_own() -> None:
    async def scenario() -> tuple[list[object], list[object]]:
        loop = asyncio.get_running_loop()
        plain: Deferred[object] = Deferred()
        consumed = [plain.asFuture(loop) for _ in range(3)]  # what Scrapy's middleware did
        plain.callback("parser")
        shared: Deferred[object] = Deferred()
        waiting = [shared_result(shared).asFuture(loop) for _ in range(3)]
        shared.callback("parser")
        return list(await asyncio.gather(*consumed)), list(await asyncio.gather(*waiting))

    consumed, waiting = asyncio.run(scenario())
    assert consumed == ["parser", None, None], "the bug: later waiters saw no robots.txt (allow all)"
    assert waiting == ["parser"] * 3
