"""Count what each source costs on the wire: requests, responses, HTTP errors, bytes.

Scrapy's own downloader stats are totals; these are per source, read from ``request.meta["source"]``
(robots.txt requests carry none and are not counted), as ``marsad/sources/<name>/<counter>``:

- ``requests``: requests that reached the downloader (retries included);
- ``responses``: responses received, of any status;
- ``http_errors``: responses with a status of 400 or more;
- ``bytes``: body bytes received (after decompression);
- ``item_errors``: articles a pipeline stage failed on with an unexpected error (also counted in
  ``marsad/errors/items``: the run exits 1; the article is fetched again next run).
"""

from __future__ import annotations

from typing import Any

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.http import Response
from scrapy.statscollectors import StatsCollector

from core.article import Article


class SourceStats:
    def __init__(self, stats: StatsCollector) -> None:
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SourceStats:
        assert crawler.stats is not None
        extension = cls(crawler.stats)
        crawler.signals.connect(extension.request_reached_downloader, signal=signals.request_reached_downloader)
        crawler.signals.connect(extension.response_received, signal=signals.response_received)
        crawler.signals.connect(extension.item_error, signal=signals.item_error)
        return extension

    def request_reached_downloader(self, request: Request, **_: Any) -> None:
        source = request.meta.get("source")
        if source:
            self.stats.inc_value(f"marsad/sources/{source}/requests")

    def response_received(self, response: Response, request: Request, **_: Any) -> None:
        source = request.meta.get("source")
        if not source:
            return
        self.stats.inc_value(f"marsad/sources/{source}/responses")
        self.stats.inc_value(f"marsad/sources/{source}/bytes", len(response.body))
        if response.status >= 400:
            self.stats.inc_value(f"marsad/sources/{source}/http_errors")

    def item_error(self, item: Any, **_: Any) -> None:
        self.stats.inc_value("marsad/errors/items")
        if isinstance(item, Article):
            self.stats.inc_value(f"marsad/sources/{item.source}/item_errors")
