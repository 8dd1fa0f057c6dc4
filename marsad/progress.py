"""Progress of a crawl on stderr: a tqdm bar on a terminal, a plain line now and then otherwise (cron).

A Scrapy extension, on when ``MARSAD_PROGRESS`` is ``bar`` or ``lines`` (`marsad run` decides from
whether stdout is a terminal; ``--quiet`` turns it off). The total grows as pages are discovered.
"""

from __future__ import annotations

import sys
import time
from typing import Any, TextIO

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from tqdm import tqdm
from twisted.internet.task import LoopingCall

from core.article import Article


class Progress:
    def __init__(self, mode: str, every: float, stream: TextIO | None = None) -> None:
        if mode not in ("bar", "lines"):
            raise NotConfigured
        self.mode = mode
        self.every = every
        self.stream = stream or sys.stderr
        self.scheduled = self.done = self.stored = 0
        self.started = time.monotonic()
        self.bar: tqdm[Any] | None = None
        self.ticker: LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Progress:
        extension = cls(crawler.settings.get("MARSAD_PROGRESS") or "",
                        crawler.settings.getfloat("MARSAD_PROGRESS_SECONDS", 60.0))
        for handler, signal in ((extension.spider_opened, signals.spider_opened),
                                (extension.spider_closed, signals.spider_closed),
                                (extension.request_scheduled, signals.request_scheduled),
                                (extension.request_dropped, signals.request_dropped),
                                (extension.response_received, signals.response_received),
                                (extension.item_scraped, signals.item_scraped)):
            crawler.signals.connect(handler, signal=signal)
        return extension

    def spider_opened(self, **_: Any) -> None:
        self.started = time.monotonic()
        if self.mode == "bar":
            self.bar = tqdm(total=0, unit="page", desc="crawling", file=self.stream, dynamic_ncols=True, leave=False)
        else:
            self.ticker = LoopingCall(self.print_line)
            self.ticker.start(self.every, now=False)

    def spider_closed(self, **_: Any) -> None:
        if self.bar is not None:
            self.bar.close()
        if self.ticker is not None and self.ticker.running:
            self.ticker.stop()

    def request_scheduled(self, **_: Any) -> None:
        self.scheduled += 1
        if self.bar is not None:
            self.bar.total = self.scheduled

    def request_dropped(self, **_: Any) -> None:
        self.scheduled -= 1
        if self.bar is not None:
            self.bar.total = self.scheduled

    def response_received(self, **_: Any) -> None:
        self.done += 1
        if self.bar is not None:
            self.bar.set_postfix_str(f"{self.stored} stored", refresh=False)
            self.bar.update(1)

    def item_scraped(self, item: Any, **_: Any) -> None:
        if isinstance(item, Article):
            self.stored += 1

    def print_line(self) -> None:
        self.stream.write(progress_line(time.monotonic() - self.started, self.done, self.scheduled, self.stored) + "\n")
        self.stream.flush()


def progress_line(seconds: float, done: int, scheduled: int, stored: int) -> str:
    minutes, rest = divmod(int(seconds), 60)
    return f"progress: {minutes}m{rest:02d}s: {done} of {scheduled} page(s) fetched, {stored} article(s) stored"
