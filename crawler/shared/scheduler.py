"""The shared scheduler: scrapy-redis's scheduler and priority queue, with claims for duplicates.

What a process discovers goes to the shared queue once claimed (claims.py): articles, and the
discovery requests (feeds, sitemaps, listings) too, although the spider sends those with
``dont_filter`` — otherwise every process would read every feed. Retries and redirects are work
this process already took: they go to a local queue, unclaimed (an article's redirect target is
claimed, so two processes never fetch one page through two links). A request popped from the
shared queue becomes this process's claim.

A process whose queues are empty does not close while another live process is busy: that one may
still discover pages for everyone. It closes when the shared queue is empty and every other
process is idle (or gone). Closing keeps the queue (``SCHEDULER_PERSIST``) and deletes the
heartbeat, which frees this process's claims.
"""

from __future__ import annotations

import heapq
import itertools
import logging
from typing import TYPE_CHECKING, Any

import redis
from scrapy import Request, signals
from scrapy.exceptions import DontCloseSpider
from scrapy.utils.misc import load_object
from scrapy_redis.scheduler import Scheduler

from core.errors import StateError
from core.settings import from_crawler_settings, redact_url
from crawler.shared.claims import Claims
from crawler.shared.heartbeat import BUSY, IDLE, Heartbeat, new_owner

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)
QUEUE_CLASS = "scrapy_redis.queue.PriorityQueue"


class SharedScheduler(Scheduler):  # type: ignore[misc]  # scrapy-redis has no type hints
    def __init__(self, crawler: Crawler, client: redis.Redis, prefix: str, claims: Claims,
                 heartbeat: Heartbeat) -> None:
        super().__init__(client, persist=True, flush_on_start=False, queue_key=f"{prefix}:requests",
                         queue_cls=QUEUE_CLASS, dupefilter=claims)
        self.crawler = crawler
        self.stats = crawler.stats
        self.claims = claims
        self.heartbeat = heartbeat
        self._local: list[tuple[int, int, Request]] = []  # (-priority, order, request): retries, redirects
        self._order = itertools.count()
        self._seen: set[str] = set()  # fingerprints this process scheduled or popped (what RFPDupeFilter keeps)
        self._waiting_for: frozenset[str] = frozenset()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        settings = from_crawler_settings(crawler.settings)
        if settings.redis_url is None:
            raise StateError("the shared scheduler needs MARSAD_REDIS_URL (or shared.redis_url in settings.yaml)")
        client = redis.Redis.from_url(settings.redis_url, socket_connect_timeout=10, socket_timeout=30,
                                      health_check_interval=30)
        try:
            client.ping()
        except redis.RedisError as exc:
            raise StateError(f"Redis at {redact_url(settings.redis_url)} cannot be reached: {exc}") from exc
        owner = new_owner()
        prefix = settings.redis_prefix
        values = crawler.settings
        claims = Claims(client, prefix, owner, int(values.getfloat("MARSAD_SHARED_CLAIM_HOURS", 24) * 3600))
        heartbeat = Heartbeat(client, prefix, owner, values.getfloat("MARSAD_SHARED_HEARTBEAT_SECONDS", 3.0),
                              values.getint("MARSAD_SHARED_HEARTBEAT_TTL", 15))
        scheduler = cls(crawler, client, prefix, claims, heartbeat)
        crawler.signals.connect(scheduler.spider_idle, signal=signals.spider_idle)
        return scheduler

    def open(self, spider: Any) -> None:
        """scrapy-redis's open without its Spider.log call (deprecated in Scrapy 2.19) and its filter."""
        self.spider = spider
        self.queue = load_object(self.queue_cls)(server=self.server, spider=spider, key=self.queue_key,
                                                 serializer=self.serializer)
        self.heartbeat.start()
        logger.info("shared crawl: process %s on %s (%d request(s) waiting in the shared queue)",
                    self.heartbeat.owner, self.queue_key, len(self.queue))

    def close(self, reason: str) -> None:
        try:
            self.heartbeat.stop()
            left = len(self.queue)
        except redis.RedisError as exc:  # the heartbeat then expires by itself, freeing the claims
            logger.warning("shared crawl: Redis unreachable while closing (%s); this process's claims are free "
                           "once its heartbeat expires", exc)
            return
        if left:
            logger.info("shared crawl: %d request(s) left in the shared queue for the other processes or the next run",
                        left)

    def enqueue_request(self, request: Request) -> bool:
        fingerprint = self.crawler.request_fingerprinter.fingerprint(request).hex()
        held = "retry_times" in request.meta or "redirect_times" in request.meta
        if not (held and request.dont_filter):  # a retry, or a discovery page's redirect: already ours
            if fingerprint in self._seen:
                self._count("duplicates")
                return False
            if not self.claims.claim(fingerprint):
                self._count("claimed_elsewhere")
                logger.debug("shared crawl: %s is claimed by another process", request.url)
                return False
        self._seen.add(fingerprint)
        if held:
            heapq.heappush(self._local, (-request.priority, next(self._order), request))
        else:
            self.queue.push(request)
            self._count("enqueued")
        return True

    def next_request(self) -> Request | None:
        if self._local:
            return heapq.heappop(self._local)[2]
        request: Request | None = self.queue.pop()
        if request is None:
            return None
        fingerprint = self.crawler.request_fingerprinter.fingerprint(request).hex()
        self.claims.take(fingerprint)
        self._seen.add(fingerprint)  # found again by this process's spider later: not fetched twice
        self.heartbeat.set_state(BUSY)
        self._count("dequeued")
        return request

    def has_pending_requests(self) -> bool:
        return bool(self._local) or len(self.queue) > 0

    def __len__(self) -> int:
        return len(self._local) + len(self.queue)

    def spider_idle(self) -> None:
        """Nothing to do here: close unless the queue refilled or another process is still busy."""
        self.heartbeat.set_state(IDLE)
        if self.has_pending_requests():
            raise DontCloseSpider
        busy = frozenset(owner for owner, state in self.heartbeat.others().items() if state == BUSY)
        if busy:
            if busy != self._waiting_for:
                logger.info("shared crawl: waiting for %d busy process(es) that may still find pages: %s",
                            len(busy), ", ".join(sorted(busy)))
            self._waiting_for = busy
            raise DontCloseSpider

    def _count(self, what: str) -> None:
        if self.stats is not None:
            self.stats.inc_value(f"marsad/shared/{what}")
