"""Scrapy's RetryMiddleware, with waits: exponential backoff, and Retry-After honoured.

A retried request waits ``MARSAD_RETRY_BACKOFF_SECONDS`` × 2ⁿ⁻¹ before its n-th retry, or as
long as the server's ``Retry-After`` (seconds or an HTTP date) asks. A 429 or 503 pauses the
whole host, not just the one request. A wait longer than ``MARSAD_RETRY_MAX_WAIT_SECONDS`` is
not waited for: the response is given up for this run (the next run tries again).
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from time import monotonic
from typing import TYPE_CHECKING

from scrapy import Request, Spider
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.exceptions import DownloadTimeoutError
from scrapy.http import Response
from scrapy.utils.asyncio import sleep
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.error import TimeoutError as TwistedTimeoutError

from crawler.counters import count, source_of

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)
NOT_BEFORE = "marsad_not_before"  # request meta: monotonic time before which it is not sent
HOST_PAUSE_STATUSES = frozenset({429, 503})


def retry_after_seconds(value: bytes | None, now: datetime | None = None) -> float | None:
    """Seconds a ``Retry-After`` header asks to wait (a number, or an HTTP date), or None."""
    text = (value or b"").decode("latin-1").strip()
    if not text:
        return None
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class BackoffRetryMiddleware(RetryMiddleware):
    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler.settings)
        self.crawler = crawler
        self.backoff = crawler.settings.getfloat("MARSAD_RETRY_BACKOFF_SECONDS", 2.0)
        self.max_wait = crawler.settings.getfloat("MARSAD_RETRY_MAX_WAIT_SECONDS", 120.0)
        self._host_pause: dict[str, float] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    async def process_request(self, request: Request, spider: Spider | None = None) -> None:
        host = urlparse_cached(request).hostname or ""
        wait = max(request.meta.get(NOT_BEFORE, 0.0), self._host_pause.get(host, 0.0)) - monotonic()
        if wait > 0:
            await sleep(wait)

    def process_response(self, request: Request, response: Response,
                         spider: Spider | None = None) -> Request | Response:
        if request.meta.get("dont_retry", False) or response.status not in self.retry_http_codes:
            return response
        source = source_of(request)
        asked = retry_after_seconds(response.headers.get(b"Retry-After"))
        if response.status == 429 or asked is not None:
            count(self.crawler.stats, source, "throttled")
        wait = asked if asked is not None else self._backoff(request)
        if wait > self.max_wait:
            logger.warning("source %s: %s answered %d asking to wait %.0fs (over the %.0fs limit): "
                           "not retried in this run", source or "-", request.url, response.status, wait, self.max_wait)
            return response
        retry = self._retry(request, f"{response.status} response")
        if retry is None:
            return response
        self._schedule(request, retry, wait, f"answered {response.status}")
        if response.status in HOST_PAUSE_STATUSES:
            host = urlparse_cached(request).hostname or ""
            self._host_pause[host] = max(self._host_pause.get(host, 0.0), monotonic() + wait)
        return retry

    def process_exception(self, request: Request, exception: Exception,
                          spider: Spider | None = None) -> Request | Response | None:
        source = source_of(request)
        if isinstance(exception, DownloadTimeoutError | TwistedTimeoutError):
            count(self.crawler.stats, source, "timeouts")
            logger.warning("source %s: %s timed out (%s)", source or "-", request.url, exception)
        if not isinstance(exception, self.exceptions_to_retry) or request.meta.get("dont_retry", False):
            return None
        retry = self._retry(request, exception)
        if retry is not None:
            self._schedule(request, retry, self._backoff(request), f"failed ({type(exception).__name__})")
        return retry

    def _backoff(self, request: Request) -> float:
        return float(self.backoff * 2 ** int(request.meta.get("retry_times", 0)))

    def _schedule(self, request: Request, retry: Request, wait: float, what: str) -> None:
        retry.meta[NOT_BEFORE] = monotonic() + wait
        source = source_of(request)
        count(self.crawler.stats, source, "retries")
        logger.info("source %s: %s %s; retry %d of %d in %.1fs", source or "-", request.url, what,
                    retry.meta["retry_times"], self.max_retry_times, wait)
