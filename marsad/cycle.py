"""One crawl cycle: crawl the enabled sources, index what is new, raise alerts."""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass, field
from typing import Any

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings as ScrapySettings

from core.settings import Settings
from crawler import settings as crawler_defaults
from crawler.sources import load_sources, select_sources
from crawler.spiders.portal import PortalSpider
from indexer.storage.factory import open_storage
from marsad.lock import run_lock


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
    alerts: int = 0
    not_article: int = 0  # pages skipped as redirect stubs, error pages, walls or listings
    low_confidence: int = 0  # articles stored whose extraction confidence is low
    not_article_by_source: dict[str, int] = field(default_factory=dict)
    low_confidence_by_source: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.failed_sources and not self.storage_failed

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "ok": self.ok}


def run_cycle(settings: Settings, *, alerts: bool = True, source_names: list[str] | None = None,
              log_level: str = "WARNING") -> CycleReport:
    """Crawl under the data folder's lock; raises ConfigError on bad config, LockedError if busy."""
    sources = select_sources(load_sources(settings.sources_path), source_names)
    if alerts and settings.alerts_path.exists():
        from indexer.alerts.rules import load_rules

        load_rules(settings.alerts_path)  # fail on a bad rules file before fetching anything
    open_storage(settings).close()  # an unreachable index fails the run before anything is fetched
    with run_lock(settings.lock_path):
        process = CrawlerProcess(scrapy_settings(settings, alerts=alerts, log_level=log_level))
        crawler = process.create_crawler(PortalSpider)
        process.crawl(crawler, sources=sources)
        process.start()
        stats: dict[str, Any] = crawler.stats.get_stats() if crawler.stats else {}
    return report_from_stats([s.name for s in sources], stats)


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
            "RETRY_TIMES": crawl.retry_times,
            "USER_AGENT": crawl.user_agent,
            "LOG_LEVEL": log_level,
            "LOG_INSTALL_ROOT_HANDLER": False,  # the marsad CLI owns the root handler (stderr)
            "MARSAD_SETTINGS": settings,
            "ITEM_PIPELINES": pipelines(alerts),
            "MARSAD_ALERT_ENABLED": alerts,
        },
        priority="cmdline",
    )
    return values


def pipelines(alerts: bool) -> dict[str, int]:
    """dedup → index → alerts; `marsad crawl` leaves the alerts stage out."""
    chosen = dict(crawler_defaults.ITEM_PIPELINES)
    if not alerts:
        chosen.pop("crawler.pipelines.alerts.AlertsPipeline")
    return chosen


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
        alerts=stat("marsad/alerts/raised"),
        not_article=stat("marsad/articles/not_article"),
        low_confidence=stat("marsad/articles/low_confidence"),
        not_article_by_source={name: stat(f"marsad/sources/{name}/not_article") for name in sources
                               if stat(f"marsad/sources/{name}/not_article")},
        low_confidence_by_source={name: stat(f"marsad/sources/{name}/low_confidence") for name in sources
                                  if stat(f"marsad/sources/{name}/low_confidence")},
    )
