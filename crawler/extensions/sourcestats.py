"""Counts what the downloader and the item pipelines see, per source (``marsad/sources/<name>/…``).

Requests are counted as they reach the downloader (retries too; robots.txt requests carry no
source and are not counted); responses by status as they come off the wire (before
decompression, so ``bytes`` is what was transferred); stored articles as new or updated once the
last pipeline confirmed them; an article a pipeline stage failed on with an unexpected error as
``item_errors`` (and in ``marsad/errors/items``: the run exits 1, the article is fetched again
next run).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from scrapy import Request, signals
from scrapy.exceptions import NotConfigured
from scrapy.http import Response
from scrapy.statscollectors import StatsCollector

from core.article import Article
from crawler.counters import count, source_of

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler


class SourceStats:
    def __init__(self, stats: StatsCollector) -> None:
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        if crawler.stats is None:
            raise NotConfigured("no stats collector")
        extension = cls(crawler.stats)
        crawler.signals.connect(extension.request_reached, signal=signals.request_reached_downloader)
        crawler.signals.connect(extension.response_downloaded, signal=signals.response_downloaded)
        crawler.signals.connect(extension.item_error, signal=signals.item_error)
        return extension

    def request_reached(self, request: Request, spider: Any = None) -> None:
        count(self.stats, source_of(request), "requests")

    def response_downloaded(self, response: Response, request: Request, spider: Any = None) -> None:
        source = source_of(request)
        count(self.stats, source, "responses")
        count(self.stats, source, "bytes", len(response.body))
        if response.status == 304:
            count(self.stats, source, "not_modified")
        elif response.status >= 400:
            count(self.stats, source, "http_errors")

    def item_error(self, item: Any, response: Response | None = None, spider: Any = None, failure: Any = None) -> None:
        self.stats.inc_value("marsad/errors/items")
        if isinstance(item, Article):
            count(self.stats, item.source, "item_errors")
