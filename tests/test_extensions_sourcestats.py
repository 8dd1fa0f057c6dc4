"""Per-source wire counters from Scrapy's signals: requests, responses, HTTP errors, bytes."""

from __future__ import annotations

from collections import Counter

from scrapy import Request
from scrapy.http import HtmlResponse

from crawler.extensions.sourcestats import SourceStats


class Stats:
    def __init__(self) -> None:
        self.values: Counter[str] = Counter()

    def inc_value(self, key: str, count: int = 1) -> None:
        self.values[key] += count


def test_counts_per_source_and_skips_requests_of_no_source() -> None:
    stats = Stats()
    extension = SourceStats(stats)  # type: ignore[arg-type]
    feed = Request("http://127.0.0.1/feed/", meta={"source": "techwave"})
    robots = Request("http://127.0.0.1/robots.txt")
    for request in (feed, feed, robots):  # a retry counts twice
        extension.request_reached(request)
    extension.response_downloaded(HtmlResponse(feed.url, status=503, body=b"busy"), feed)
    extension.response_downloaded(HtmlResponse(feed.url, status=200, body=b"x" * 1000), feed)
    extension.response_downloaded(HtmlResponse(robots.url, status=404, body=b"none"), robots)
    assert stats.values == {"marsad/sources/techwave/requests": 2, "marsad/sources/techwave/responses": 2,
                            "marsad/sources/techwave/http_errors": 1, "marsad/sources/techwave/bytes": 1004}
