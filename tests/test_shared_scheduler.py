"""The shared frontier on a real Redis: claims, heartbeats, and two schedulers sharing one queue."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import redis
from scrapy import Request
from scrapy.exceptions import DontCloseSpider
from scrapy.utils.test import get_crawler

from core.errors import StateError
from core.settings import Settings
from crawler.shared.claims import Claims
from crawler.shared.heartbeat import Heartbeat
from crawler.shared.scheduler import SharedScheduler
from crawler.sources import Listing
from crawler.spiders.portal import PortalSpider

FEED = "http://127.0.0.1:1/feed/"
ARTICLE = "http://127.0.0.1:1/2026/11/20/a/"


def process(redis_url: str, tmp_path: Path, heartbeat_ttl: int = 15) -> tuple[SharedScheduler, PortalSpider]:
    """One crawler process's scheduler, opened on the shared Redis."""
    settings = Settings(config_dir=tmp_path, data_dir=tmp_path / "data", redis_url=redis_url, redis_prefix="t")
    crawler = get_crawler(PortalSpider, {"MARSAD_SETTINGS": settings, "MARSAD_SHARED_HEARTBEAT_TTL": heartbeat_ttl})
    spider = PortalSpider(sources=[])
    spider.crawler = crawler
    scheduler = SharedScheduler.from_crawler(crawler)
    scheduler.open(spider)
    return scheduler, spider


def feed(spider: PortalSpider) -> Request:
    listing = Listing.model_validate({"url": "http://127.0.0.1:1/news/", "max_pages": 3})
    return Request(FEED, callback=spider.parse_feed, errback=spider.entry_failed, dont_filter=True,
                   meta={"source": "a", "listing": listing, "page": 1})


def test_a_claim_is_refused_while_its_owner_lives_and_granted_once_it_is_gone(redis_url: str) -> None:
    client = redis.Redis.from_url(redis_url)
    alive = Heartbeat(client, "t", "host:1:aa", interval=60, ttl=30)
    alive.start()
    first, second = Claims(client, "t", "host:1:aa", 60), Claims(client, "t", "host:2:bb", 60)
    assert first.claim("f1") and first.claim("f1"), "its own claim again: granted"
    assert not second.claim("f1")
    alive.stop()  # a clean close deletes the heartbeat: the claim is free at once
    assert second.claim("f1") and first.owner_of("f1") == "host:2:bb"
    assert 0 < client.ttl(first.key("f1")) <= 60


def test_a_killed_owner_loses_its_claims_when_its_heartbeat_expires(redis_url: str) -> None:
    client = redis.Redis.from_url(redis_url)
    killed = Heartbeat(client, "t", "host:1:aa", interval=60, ttl=1)
    killed.start()  # never stopped: as if SIGKILLed
    assert Claims(client, "t", "host:1:aa", 60).claim("f1")
    assert not Claims(client, "t", "host:2:bb", 60).claim("f1")
    time.sleep(1.2)
    assert Claims(client, "t", "host:2:bb", 60).claim("f1")


def test_two_processes_share_one_queue_and_never_schedule_one_request_twice(redis_url: str, tmp_path: Path) -> None:
    a, spider_a = process(redis_url, tmp_path)
    b, spider_b = process(redis_url, tmp_path)
    try:
        assert a.enqueue_request(feed(spider_a))
        assert not b.enqueue_request(feed(spider_b)), "a discovery request (dont_filter) is claimed too"
        assert a.enqueue_request(Request(ARTICLE, callback=spider_a.parse_article))
        assert not b.enqueue_request(Request(ARTICLE, callback=spider_b.parse_article))
        popped = [b.next_request(), b.next_request()]
        assert b.next_request() is None and not a.has_pending_requests()
        assert {request.url for request in popped if request} == {FEED, ARTICLE}
        got = next(request for request in popped if request and request.url == FEED)
        assert got.callback == spider_b.parse_feed and got.meta["listing"].max_pages == 3, "pickled and back"
        assert b.claims.owner_of(a.crawler.request_fingerprinter.fingerprint(got).hex()) == b.heartbeat.owner
        assert not b.enqueue_request(Request(ARTICLE, callback=spider_b.parse_article)), \
            "listed again to the process that popped it (its claim now): still fetched once"
        assert not b.enqueue_request(feed(spider_b))
    finally:
        a.close("finished")
        b.close("finished")


def test_retries_and_redirects_stay_with_the_process_that_took_them(redis_url: str, tmp_path: Path) -> None:
    a, spider = process(redis_url, tmp_path)
    b, _ = process(redis_url, tmp_path)
    try:
        retry = feed(spider).replace(meta={**feed(spider).meta, "retry_times": 1})
        assert a.enqueue_request(retry) and a.enqueue_request(retry.replace(meta={"redirect_times": 1}))
        assert b.next_request() is None, "not in the shared queue"
        assert a.next_request() is not None and a.next_request() is not None
    finally:
        a.close("finished")
        b.close("finished")


def test_an_idle_process_waits_for_a_busy_one_and_then_closes(redis_url: str, tmp_path: Path) -> None:
    a, _ = process(redis_url, tmp_path)
    b, _ = process(redis_url, tmp_path)
    try:
        with pytest.raises(DontCloseSpider):
            a.spider_idle()  # b is busy: it may still find pages
        b.spider_idle()  # a is idle now, b too: b may close
        a.spider_idle()
    finally:
        a.close("finished")
        b.close("finished")
    assert not redis.Redis.from_url(redis_url).keys("t:crawler:*"), "clean closes delete the heartbeats"


def test_an_unreachable_redis_is_a_state_error_naming_the_redacted_url(tmp_path: Path) -> None:
    with pytest.raises(StateError, match=r"redis://:\*\*\*@127\.0\.0\.1:1/0 cannot be reached") as caught:
        process("redis://:hunter2@127.0.0.1:1/0", tmp_path)
    assert "hunter2" not in str(caught.value)
