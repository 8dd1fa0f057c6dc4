"""Retries that wait: exponential backoff, Retry-After honoured, a too-long wait left for the next run."""

from __future__ import annotations

from datetime import UTC, datetime
from time import monotonic

import pytest
from scrapy import Request, Spider
from scrapy.exceptions import DownloadTimeoutError
from scrapy.http import Response
from scrapy.utils.test import get_crawler

from crawler.downloadermiddlewares.retry import NOT_BEFORE, BackoffRetryMiddleware, retry_after_seconds

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(("header", "seconds"), [
    (b"120", 120.0),
    (b"Wed, 25 Nov 2026 09:00:30 GMT", 30.0),
    (b"Wed, 25 Nov 2026 08:00:00 GMT", 0.0),  # a date in the past: now
    (b"", None),
    (b"soon", None),
    (None, None),
])
def test_retry_after_seconds(header: bytes | None, seconds: float | None) -> None:
    assert retry_after_seconds(header, NOW) == seconds


def middleware() -> BackoffRetryMiddleware:
    crawler = get_crawler(Spider, {"RETRY_TIMES": 2, "MARSAD_RETRY_BACKOFF_SECONDS": 1.0,
                                   "MARSAD_RETRY_MAX_WAIT_SECONDS": 60.0})
    crawler.spider = Spider("s")
    crawler.spider.crawler = crawler
    crawler._apply_settings()
    return BackoffRetryMiddleware.from_crawler(crawler)


def answer(status: int, **headers: str) -> Response:
    return Response("http://a.example/feed/", status=status, headers=headers)


def test_backoff_doubles_with_each_retry() -> None:
    retry = middleware()
    request = Request("http://a.example/feed/", meta={"source": "a"})
    before = monotonic()
    first = retry.process_response(request, answer(500))
    assert isinstance(first, Request) and first.meta["retry_times"] == 1
    second = retry.process_response(first, answer(502))
    assert isinstance(second, Request) and second.meta["retry_times"] == 2
    assert first.meta[NOT_BEFORE] - before >= 1.0 and second.meta[NOT_BEFORE] - before >= 2.0
    assert second.meta[NOT_BEFORE] - first.meta[NOT_BEFORE] >= 1.0
    assert isinstance(retry.process_response(second, answer(500)), Response), "retries are spent"
    stats = retry.crawler.stats
    assert stats is not None and stats.get_value("marsad/sources/a/retries") == 2


def test_retry_after_is_honoured_for_the_whole_host() -> None:
    retry = middleware()
    request = Request("http://a.example/feed/", meta={"source": "a"})
    again = retry.process_response(request, answer(429, **{"Retry-After": "7"}))
    assert isinstance(again, Request) and again.meta[NOT_BEFORE] - monotonic() > 6.0
    assert retry._host_pause["a.example"] - monotonic() > 6.0
    stats = retry.crawler.stats
    assert stats is not None and stats.get_value("marsad/sources/a/throttled") == 1


def test_a_wait_over_the_limit_is_left_for_the_next_run() -> None:
    retry = middleware()
    response = answer(503, **{"Retry-After": "3600"})
    assert retry.process_response(Request("http://a.example/x", meta={"source": "a"}), response) is response


def test_timeouts_are_counted_and_retried_later() -> None:
    retry = middleware()
    request = Request("http://a.example/slow", meta={"source": "a"})
    again = retry.process_exception(request, DownloadTimeoutError("took too long"))
    assert isinstance(again, Request) and again.meta[NOT_BEFORE] > monotonic()
    stats = retry.crawler.stats
    assert stats is not None and stats.get_value("marsad/sources/a/timeouts") == 1


def test_other_statuses_pass() -> None:
    retry = middleware()
    ok = answer(404)
    assert retry.process_response(Request("http://a.example/x"), ok) is ok
