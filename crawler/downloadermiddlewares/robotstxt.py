"""Scrapy's RobotsTxtMiddleware, read as RFC 9309 says, with its Crawl-delay honoured.

- robots.txt answering 5xx or 429, or not answering at all (after retries): the host is
  "unreachable" and every URL on it is disallowed for this run (Scrapy would allow all).
- 4xx (404, 410, 403 …): "unavailable", everything is allowed (the error page is not parsed).
- ``Crawl-delay`` (or ``Request-rate``) for our product token: requests to that host start at
  least that far apart, up to ``MARSAD_ROBOTS_MAX_CRAWL_DELAY`` seconds.
- A robots.txt read by an earlier run less than ``MARSAD_ROBOTS_CACHE_HOURS`` ago (RFC 9309
  allows 24) is used from the state store instead of being fetched again; an unreachable one
  is never kept.
- Every request waiting for a host's robots.txt gets its parser (Scrapy's gave it only to the
  first waiter under the asyncio reactor: see :func:`shared_result`).
Each refusal is counted per source and logged with the URL.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from time import monotonic
from typing import TYPE_CHECKING, Any

from scrapy import Request, Spider, signals
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware as ScrapyRobotsTxtMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from scrapy.http.request import NO_CALLBACK
from scrapy.robotstxt import RobotParser
from scrapy.utils.asyncio import sleep
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.defer import Deferred

from core.errors import StateError
from core.settings import from_crawler_settings
from crawler.counters import count, source_of
from crawler.urls import origin_of
from indexer.state.factory import open_state

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)


class DisallowAll(RobotParser):
    """What an unreachable robots.txt means (RFC 9309 §2.3.1.4): nothing may be crawled."""

    def __init__(self, reason: str) -> None:
        self.reason = reason

    @classmethod
    def from_crawler(cls, crawler: Crawler, robotstxt_body: bytes) -> Self:
        return cls("robots.txt unreachable")

    def allowed(self, url: str | bytes, user_agent: str | bytes) -> bool:
        return False


def shared_result(deferred: Deferred[Any]) -> Deferred[Any]:
    """A Deferred of its own for one waiter on ``deferred``, whose result stays for the others.

    Under the asyncio reactor a Deferred awaited as a future is consumed: Scrapy's middleware awaits
    the one Deferred of a host's robots.txt from every request that arrives while it is being read,
    so the second and later requests got None — "no robots.txt", everything allowed. One process
    rarely has several requests waiting on one host (its first are feeds); a process of a shared
    crawl popping another's article requests for a host whose robots.txt it has not read yet has
    many, and fetched a disallowed page."""
    own: Deferred[Any] = Deferred()

    def forward(result: Any) -> Any:
        own.callback(result)
        return result

    deferred.addCallback(forward)
    return own


class RobotsTxtMiddleware(ScrapyRobotsTxtMiddleware):
    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.max_crawl_delay = crawler.settings.getfloat("MARSAD_ROBOTS_MAX_CRAWL_DELAY", 30.0)
        self.agent = str(self._robotstxt_useragent or self._default_useragent)
        self.cache_for = timedelta(hours=crawler.settings.getfloat("MARSAD_ROBOTS_CACHE_HOURS", 24.0))
        self.state = open_state(from_crawler_settings(crawler.settings)) if self.cache_for else None
        self._next_start: dict[str, float] = {}
        self._delays: dict[str, float] = {}
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    def spider_closed(self) -> None:
        if self.state is not None:
            self.state.close()

    async def process_request(self, request: Request, spider: Spider | None = None) -> None:
        if request.meta.get("dont_obey_robotstxt") or not request.url.startswith(("http://", "https://")):
            return
        parser = await self.robot_parser(request)
        if parser is None:
            return
        if not parser.allowed(request.url, self.agent):
            source = source_of(request)
            count(self._stats, source, "robots_denied")
            self._stats.inc_value("robotstxt/forbidden")
            why = parser.reason if isinstance(parser, DisallowAll) else "disallowed by robots.txt"
            logger.info("source %s: %s not fetched: %s", source or "-", request.url, why)
            raise IgnoreRequest(f"Forbidden by robots.txt ({why})")
        await self._pace(request, parser)

    async def _pace(self, request: Request, parser: RobotParser) -> None:
        netloc = urlparse_cached(request).netloc
        delay = self._delays.get(netloc)
        if delay is None:
            delay = self._delays[netloc] = self._crawl_delay(parser, request)
        if not delay:
            return
        now = monotonic()
        start = max(now, self._next_start.get(netloc, 0.0))
        self._next_start[netloc] = start + delay
        if start > now:
            await sleep(start - now)

    def _crawl_delay(self, parser: RobotParser, request: Request) -> float:
        asked = parser.crawl_delay(self.agent) or 0.0
        rate = getattr(getattr(parser, "rp", None), "request_rate", None)
        limit = rate(self.agent) if callable(rate) else None
        if limit is not None and limit.requests:
            asked = max(asked, limit.seconds / limit.requests)
        if not asked:
            return 0.0
        applied = min(float(asked), self.max_crawl_delay)
        source = source_of(request)
        if source:
            self._stats.set_value(f"marsad/sources/{source}/crawl_delay", applied)
        logger.log(logging.WARNING if applied < asked else logging.INFO,
                   "robots.txt of %s asks for a crawl-delay of %gs; %gs applied", urlparse_cached(request).netloc,
                   asked, applied)
        return applied

    async def _parse_robots(self, response: Response, netloc: str, request: Request) -> None:
        if response.status >= 500 or response.status == 429:
            self._unreachable(netloc, request, f"robots.txt answered {response.status}")
            return
        if response.status >= 400:
            response = response.replace(body=b"")  # RFC 9309 §2.3.1.3: unavailable, so all is allowed
        if self.state is not None and "cached" not in response.flags:
            try:
                self.state.save_robots_txt(origin_of(response.url), response.body)
            except StateError as exc:
                logger.warning("robots.txt of %s not kept for the next run: %s", netloc, exc)
        await super()._parse_robots(response, netloc, request)

    def _cached(self, robots: Request) -> Response | None:
        """The robots.txt an earlier run read recently, as a response (flagged "cached")."""
        try:
            saved = self.state.robots_txt(origin_of(robots.url)) if self.state is not None else None
        except StateError as exc:
            logger.warning("robots.txt kept by an earlier run cannot be read (fetched instead): %s", exc)
            saved = None
        if saved is None or datetime.now(UTC) - saved[1] > self.cache_for:
            return None
        self._stats.inc_value("robotstxt/cached")
        return Response(robots.url, status=200, body=saved[0], flags=["cached"], request=robots)

    async def robot_parser(self, request: Request) -> RobotParser | None:
        """Scrapy's, except that a robots.txt that cannot be fetched disallows (and logs one line)."""
        url = urlparse_cached(request)
        netloc = url.netloc
        if netloc not in self._parsers:
            self._parsers[netloc] = Deferred()
            robots = Request(f"{url.scheme}://{netloc}/robots.txt", priority=self.DOWNLOAD_PRIORITY,
                             meta={"dont_obey_robotstxt": True, "robots_for": source_of(request)},
                             callback=NO_CALLBACK)
            try:
                response = self._cached(robots) or await self.crawler.engine.download_async(robots)
                await self._parse_robots(response, netloc, request)
            except IgnoreRequest as exc:
                self._robots_error(exc, netloc)
            except Exception as exc:  # any download failure means "unreachable" (RFC 9309 §2.3.1.4)
                self._stats.inc_value(f"robotstxt/exception_count/{type(exc)}")
                self._unreachable(netloc, request, f"robots.txt could not be fetched ({type(exc).__name__}: {exc})")
            self._stats.inc_value("robotstxt/request_count")
        parser = self._parsers[netloc]
        if isinstance(parser, Deferred):
            return await maybe_deferred_to_future(shared_result(parser))
        return parser

    def _unreachable(self, netloc: str, request: Request | None, why: str) -> None:
        source = source_of(request)
        count(self._stats, source, "robots_unreachable")
        logger.error("source %s: %s on %s: every URL on that host is treated as disallowed for this run "
                     "(RFC 9309)", source or "-", why, netloc)
        parser: Any = self._parsers[netloc]
        self._parsers[netloc] = DisallowAll(why)
        parser.callback(self._parsers[netloc])
