"""One cycle: crawl the enabled sources and index what is new, then deliver the due alerts.

Matching happens during the crawl (each stored article queues its alerts in the state store);
delivery follows the crawl, so copies of one story found in the same run go out as one message.
Pending alerts are delivered even when the crawl could not run (the index is down), and a run
that failed sends one summary to the `admin` channel.
"""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings as ScrapySettings
from twisted.python.failure import Failure

from core.errors import StateError, StorageError
from core.settings import Settings
from crawler import settings as crawler_defaults
from crawler.sources import load_sources, select_sources
from crawler.spiders.portal import PortalSpider
from indexer.delivery.config import load_alert_config
from indexer.delivery.secrets import protect_logs
from indexer.state import StateStore
from indexer.storage.factory import open_storage
from indexer.storage.spool import Spool
from marsad.alerting import deliver_and_publish, notify_admin
from marsad.lock import run_lock

logger = logging.getLogger(__name__)


@dataclass
class CycleReport:
    sources: list[str]
    failed_sources: list[str] = field(default_factory=list)
    pages_fetched: int = 0
    articles_parsed: int = 0
    extraction_failed: int = 0
    fetch_failed: int = 0
    skipped_seen: int = 0
    unchanged: int = 0
    created: int = 0
    updated: int = 0
    storage_failed: int = 0
    storage_error: str | None = None
    spooled: int = 0  # articles kept in the spool because the index was down (indexed next run)
    unspooled: int = 0  # articles spooled by earlier runs, indexed at the start of this one
    crawl_error: str | None = None
    alerts: int = 0
    messages_sent: int = 0
    alerts_sent: int = 0
    delivery_failed: int = 0
    delivery_errors: list[str] = field(default_factory=list)
    not_article: int = 0  # pages skipped as redirect stubs, error pages, walls or listings
    low_confidence: int = 0  # articles stored whose extraction confidence is low
    not_article_by_source: dict[str, int] = field(default_factory=dict)
    low_confidence_by_source: dict[str, int] = field(default_factory=dict)
    # Every per-source counter of the run (crawler/counters.py): {source: {counter: value}}
    source_counters: dict[str, dict[str, int]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not (self.failed_sources or self.storage_failed or self.storage_error or self.spooled
                    or self.crawl_error or self.delivery_failed)

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "ok": self.ok}

    def problems(self) -> list[str]:
        found = [f"source failed: {name}" for name in self.failed_sources]
        if self.storage_error:
            found.append(f"index: {self.storage_error}")
        if self.spooled:
            found.append(f"{self.spooled} article(s) kept in the spool until the index is back")
        if self.crawl_error:
            found.append(f"crawl: {self.crawl_error}")
        if self.storage_failed:
            found.append(f"{self.storage_failed} article(s) not stored (fetched again next run)")
        found += self.delivery_errors
        return found


def run_cycle(settings: Settings, *, alerts: bool = True, source_names: list[str] | None = None,
              log_level: str = "WARNING", now: datetime | None = None) -> CycleReport:
    """One cycle under the data folder's lock; raises ConfigError on bad config, LockedError if busy."""
    sources = select_sources(load_sources(settings.sources_path), source_names)
    config = load_alert_config(settings.alerts_path) if alerts and settings.alerts_path.exists() else None
    if config is not None:
        protect_logs(config.secrets)
    with run_lock(settings.lock_path):
        report = crawl_sources(settings, sources, alerts=alerts, log_level=log_level)
        if config is not None:
            deliver_and_publish(settings, config, report, now)
            if not report.ok:
                notify_admin(settings, config, report)
    return report


def crawl_sources(settings: Settings, sources: list[Any], *, alerts: bool, log_level: str) -> CycleReport:
    names = [source.name for source in sources]
    try:
        StateStore(settings.state_path).close()  # a corrupt state store stops the run before any request
    except StateError as exc:
        logger.error("state: %s; nothing crawled (move the file aside to start afresh: every article is then "
                     "fetched and alerted again)", exc)
        return CycleReport(sources=names, crawl_error=str(exc))
    unspooled, storage_error = index_spool(settings)
    process = CrawlerProcess(scrapy_settings(settings, alerts=alerts, log_level=log_level))
    crawler = process.create_crawler(PortalSpider)
    failures: list[str] = []
    crawling = process.crawl(crawler, sources=sources)
    crawling.addErrback(_remember_failure, failures)
    process.start()
    stats: dict[str, Any] = crawler.stats.get_stats() if crawler.stats else {}
    report = report_from_stats(names, stats)
    report.unspooled = unspooled
    report.storage_error = storage_error or report.storage_error
    if failures:  # a component could not start (or the engine died): nothing can be trusted as done
        report.crawl_error = failures[0]
        logger.error("crawl failed: %s", failures[0])
    return report


def index_spool(settings: Settings) -> tuple[int, str | None]:
    """Index what earlier runs spooled while the index was down; (articles indexed, the error if down)."""
    spool = Spool(settings.spool_dir)
    try:
        storage = open_storage(settings)
    except StorageError as exc:
        logger.error("index: %s; this run keeps new articles in %s", exc, spool.directory)
        return 0, str(exc)
    indexed = 0
    try:
        for path in spool.files():
            batch = list(spool.read(path))
            if batch:
                storage.store(batch)
            spool.remove(path)
            indexed += len(batch)
    except StorageError as exc:
        logger.error("index: %s; %d spooled article(s) wait for the next run", exc, spool.count())
        return indexed, str(exc)
    finally:
        storage.close()
    if indexed:
        logger.info("index: %d spooled article(s) indexed", indexed)
    return indexed, None


def _remember_failure(failure: Failure, failures: list[str]) -> None:
    failures.append(f"{failure.type.__name__ if failure.type else 'error'}: {failure.getErrorMessage()}")


def scrapy_settings(settings: Settings, *, alerts: bool, log_level: str) -> ScrapySettings:
    values = ScrapySettings()
    values.setmodule(crawler_defaults, priority="project")
    crawl = settings.crawl
    values.setdict(
        {
            "AUTOTHROTTLE_ENABLED": crawl.autothrottle,
            "AUTOTHROTTLE_START_DELAY": max(crawl.download_delay, 0.01),
            "CONCURRENT_REQUESTS_PER_DOMAIN": crawl.concurrent_requests_per_domain,
            "DOWNLOAD_DELAY": crawl.download_delay,
            "DOWNLOAD_MAXSIZE": crawl.max_page_bytes,
            "DOWNLOAD_TIMEOUT": crawl.download_timeout,
            "REDIRECT_MAX_TIMES": crawl.max_redirects,
            "RETRY_TIMES": crawl.retry_times,
            "USER_AGENT": crawl.full_user_agent(),
            "MARSAD_CONDITIONAL_GET": crawl.conditional_get,
            "MARSAD_RETRY_BACKOFF_SECONDS": crawl.retry_backoff_seconds,
            "MARSAD_RETRY_MAX_WAIT_SECONDS": crawl.retry_max_wait_seconds,
            "MARSAD_ROBOTS_CACHE_HOURS": crawl.robots_cache_hours,
            "MARSAD_ROBOTS_MAX_CRAWL_DELAY": crawl.max_crawl_delay,
            "LOG_LEVEL": log_level,
            "LOG_INSTALL_ROOT_HANDLER": False,  # the marsad CLI owns the root handler (stderr)
            "MARSAD_SETTINGS": settings,
            "MARSAD_ALERT_ENABLED": alerts,
        },
        priority="cmdline",
    )
    return values


def report_from_stats(sources: list[str], stats: dict[str, Any]) -> CycleReport:
    def stat(key: str) -> int:
        return int(stats.get(key, 0))

    logging.getLogger(__name__).debug("crawl stats: %s", stats)
    return CycleReport(
        sources=sources,
        failed_sources=[name for name in sources if stat(f"marsad/sources/{name}/failed")],
        pages_fetched=stat("downloader/response_count"),
        articles_parsed=stat("marsad/articles/parsed"),
        extraction_failed=stat("marsad/articles/extraction_failed"),
        fetch_failed=stat("marsad/articles/fetch_failed"),
        skipped_seen=stat("marsad/articles/skipped_seen"),
        unchanged=stat("marsad/articles/unchanged"),
        created=stat("marsad/storage/created"),
        updated=stat("marsad/storage/updated"),
        storage_failed=stat("marsad/storage/failed_articles"),
        spooled=stat("marsad/storage/spooled"),
        storage_error=stats.get("marsad/storage/error"),
        alerts=stat("marsad/alerts/raised"),
        not_article=stat("marsad/articles/not_article"),
        low_confidence=stat("marsad/articles/low_confidence"),
        not_article_by_source={name: stat(f"marsad/sources/{name}/not_article") for name in sources
                               if stat(f"marsad/sources/{name}/not_article")},
        low_confidence_by_source={name: stat(f"marsad/sources/{name}/low_confidence") for name in sources
                                  if stat(f"marsad/sources/{name}/low_confidence")},
        source_counters=source_counters(sources, stats),
    )


def source_counters(sources: list[str], stats: dict[str, Any]) -> dict[str, dict[str, int]]:
    """``marsad/sources/<name>/<counter>`` stats as {name: {counter: value}}."""
    found: dict[str, dict[str, int]] = {name: {} for name in sources}
    for key, value in stats.items():
        parts = key.split("/")
        if len(parts) == 4 and parts[:2] == ["marsad", "sources"] and parts[2] in found:
            found[parts[2]][parts[3]] = int(value)
    return found

