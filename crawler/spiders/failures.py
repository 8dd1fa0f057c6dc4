"""What the portal spider does when something fails: a feed or an article that cannot be fetched,
an article that cannot be stored, a callback that raised, a discovery page that does not parse.

Each is counted for its source and logged with its URL, and marks dirty (crawler/spiders/ledger.py)
the discovery pages that led to it, so the next run reads them in full and tries again.
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy.crawler import Crawler
from scrapy.http import Response
from twisted.python.failure import Failure

from crawler.counters import count
from crawler.discovery import Parsed
from crawler.failures import judge
from crawler.sources import Source
from crawler.spiders.ledger import DiscoveryLedger
from crawler.urls import article_key

logger = logging.getLogger("crawler.spiders.portal")  # the spider's log lines, wherever the code sits
PAGE_URL = "discovery_url"  # request meta: the discovery page's URL as requested (before redirects)
LISTED = "listed_key"  # request meta: the article key of the URL as listed (before redirects)


class FailureHandlers:
    """Mixed into PortalSpider (its errbacks and signal handlers, by these names in queued requests)."""

    crawler: Crawler
    ledger: DiscoveryLedger
    _listed_by: dict[str, list[str]]

    def entry_failed(self, failure: Failure) -> None:
        request = failure.request  # type: ignore[attr-defined]
        source = request.meta["source"]
        verdict = judge(failure)
        count(self.crawler.stats, source, "failed")
        if verdict.counter:
            count(self.crawler.stats, source, verdict.counter)
        self.ledger.dirty(request.meta[PAGE_URL])
        logger.error("source %s: cannot fetch %s: %s", source, request.url, verdict.problem)

    def article_failed(self, failure: Failure) -> None:
        request = failure.request  # type: ignore[attr-defined]
        self.ledger.handled(request.meta.get(LISTED))
        source = request.meta["source"]
        verdict = judge(failure)
        self.crawler.stats.inc_value("marsad/articles/fetch_failed")
        if not verdict.logged:  # robots.txt and redirect refusals have counters of their own
            count(self.crawler.stats, source, "fetch_failed")
        if verdict.counter:
            count(self.crawler.stats, source, verdict.counter)
        if verdict.transient:
            for via in self._listed_by.get(article_key(request.url), [request.meta.get("via")]):
                self.ledger.dirty(via)
        if not verdict.logged:
            logger.warning("source %s: cannot fetch %s: %s", source, request.url, verdict.problem)

    def item_dropped(self, item: Any, response: Response | None, exception: BaseException, spider: Any = None) -> None:
        """An article that could not be stored (not a duplicate): what listed it is read again next run."""
        if isinstance(exception.__cause__, Exception) and response is not None:
            self.ledger.dirty(response.meta.get("via"))

    def item_error(self, item: Any, response: Response | None, failure: Failure, spider: Any = None) -> None:
        if response is not None:
            self.ledger.dirty(response.meta.get("via"))

    def spider_error(self, failure: Failure, response: Response, spider: Any = None) -> None:
        """A callback failed (the state store, say): the page is read in full again next run."""
        self.ledger.dirty(response.meta.get(PAGE_URL) or response.meta.get("via"))

    def _source_broken(self, source: Source, response: Response, problem: str) -> None:
        count(self.crawler.stats, source.name, "failed")
        count(self.crawler.stats, source.name, "unparsable")
        if "XML" in problem:
            count(self.crawler.stats, source.name, "invalid_xml")
        self.ledger.dirty(response.meta[PAGE_URL])
        logger.error("source %s: %s: %s", source.name, response.url, problem)

    def _note_problem(self, source: Source, response: Response, parsed: Parsed) -> None:
        if parsed.problem:
            count(self.crawler.stats, source.name, "invalid_xml")
            logger.warning("source %s: %s: %s; %d entries recovered", source.name, response.url, parsed.problem,
                           len(parsed.entries))

    def _offsite(self, source: Source, via: str, url: str) -> None:
        count(self.crawler.stats, source.name, "offsite")
        logger.info("source %s: %s lists %s, off the source's domains: not followed", source.name, via, url)
