"""One cycle: crawl the enabled sources and index what is new, then deliver the due alerts.

Matching happens during the crawl (each stored article queues its alerts in the state store);
delivery follows the crawl, so copies of one story found in the same run go out as one message.
Pending alerts are delivered even when the crawl could not run (the index is down), and a run
that failed sends one summary to the `admin` channel. After the crawl each source's counters
are recorded and judged (marsad/health.py): a flagged source fails the run.

The state store is checked before anything else: a damaged file stops the run with one error.
A time budget (``max_minutes``) stops scheduling requests and lets the crawl finish what is in
flight; SIGTERM does the same (marsad/termination.py) and skips delivery.
"""

from __future__ import annotations

import logging
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any, TextIO

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
from indexer.state import RunRecord, SourceFlag
from indexer.state.factory import open_state
from indexer.storage.factory import open_storage
from indexer.storage.spool import Spool
from marsad.alerting import deliver_and_publish, notify_admin
from marsad.health import record_run, source_counters
from marsad.lock import run_lock
from marsad.termination import Termination, termination

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
    state_error: str | None = None  # the state store is damaged or unusable: nothing was crawled
    internal_errors: int = 0  # pages or articles whose processing raised (see the log); fetched again next run
    interrupted: str | None = None  # the signal (SIGTERM, SIGINT) that stopped the run half way
    time_budget: bool = False  # stopped scheduling at --max-minutes; the rest is crawled next run
    source_counters: dict[str, dict[str, int]] = field(default_factory=dict)  # marsad/sources/<name>/<counter>
    flags: list[dict[str, Any]] = field(default_factory=list)  # {source, reason, detail, new}

    @property
    def ok(self) -> bool:
        return not (self.failed_sources or self.storage_failed or self.storage_error or self.spooled
                    or self.crawl_error or self.delivery_failed or self.state_error or self.internal_errors
                    or self.interrupted or self.flags)

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "ok": self.ok}

    def add_flags(self, flags: list[SourceFlag], new: list[SourceFlag]) -> None:
        self.flags = [{"source": flag.source, "reason": flag.reason, "detail": flag.detail, "new": flag in new}
                      for flag in flags]

    def worth_reporting(self) -> bool:
        """A problem the admin has not heard of: anything but a flag an earlier run already raised."""
        return bool(self._run_problems()) or any(flag["new"] for flag in self.flags)

    def problems(self) -> list[str]:
        return self._run_problems() + [f"source flagged: {flag['source']}: {flag['detail']}" for flag in self.flags]

    def _run_problems(self) -> list[str]:
        found = [f"state store: {self.state_error}"] if self.state_error else []
        if self.interrupted:
            found.append(f"run interrupted by {self.interrupted}; the next run crawls the rest")
        found += [f"source failed: {name}" for name in self.failed_sources]
        if self.storage_error:
            found.append(f"index: {self.storage_error}")
        if self.spooled:
            found.append(f"{self.spooled} article(s) kept in the spool until the index is back")
        if self.crawl_error:
            found.append(f"crawl: {self.crawl_error}")
        if self.storage_failed:
            found.append(f"{self.storage_failed} article(s) not stored (fetched again next run)")
        if self.internal_errors:
            found.append(f"{self.internal_errors} page(s) or article(s) failed with an internal error (see the log); "
                         "fetched again next run")
        found += self.delivery_errors
        return found


@dataclass(frozen=True)
class CycleOptions:
    """How one cycle runs, beside the settings: what `marsad run`'s flags ask for."""

    alerts: bool = True
    source_names: list[str] | None = None
    log_level: str = "WARNING"
    max_minutes: float | None = None  # stop scheduling requests after this long (the run's start counts)
    progress: str = ""  # "bar", "lines" or "" (marsad/progress.py)
    stream: TextIO | None = None  # where the log channel prints its lines (None: stdout)


def run_cycle(settings: Settings, options: CycleOptions | None = None, now: datetime | None = None) -> CycleReport:
    """One cycle under the data folder's lock; raises ConfigError on bad config, LockedError if busy."""
    options = options or CycleOptions()
    sources = select_sources(load_sources(settings.sources_path), options.source_names)
    config = load_alert_config(settings.alerts_path) if options.alerts and settings.alerts_path.exists() else None
    if config is not None:
        protect_logs(config.secrets)
    started = time.monotonic()
    with run_lock(settings.lock_path), termination() as stop:
        report = checked_crawl(settings, sources, options, stop, started)
        if config is not None and not report.interrupted and not report.state_error:
            deliver_and_publish(settings, config, report, now, options.stream)
        report.interrupted = report.interrupted or stop.received
        if config is not None and not report.ok and report.worth_reporting() and not report.interrupted:
            notify_admin(settings, config, report)
    return report


def checked_crawl(settings: Settings, sources: list[Any], options: CycleOptions, stop: Termination,
                  started: float) -> CycleReport:
    """Check the state store, crawl, record each source's health; a damaged store crawls nothing."""
    names = [source.name for source in sources]
    started_at = datetime.now(UTC)
    state = None
    try:
        state = open_state(settings)
        state.check()
        run_id = state.health.start_run(started_at)
    except StateError as exc:
        logger.error("state: %s; nothing crawled (a damaged SQLite file: move it aside to start afresh, "
                     "every article is then fetched and alerted again)", exc)
        return CycleReport(sources=names, state_error=str(exc))
    finally:
        if state is not None:
            state.close()
    report = crawl_sources(settings, sources, options, stop, started)
    outcome = ("interrupted" if report.interrupted else "time_budget" if report.time_budget
               else "ok" if report.ok else "failed")
    record = RunRecord(run_id, started_at, datetime.now(UTC), outcome, report.source_counters)
    try:
        state = open_state(settings)
        try:
            flags, new = record_run(state.health, record, settings.health)
        finally:
            state.close()
    except StateError as exc:
        logger.error("source health not recorded: %s", exc)
        report.state_error = str(exc)
        return report
    for flag in flags:
        logger.error("source %s flagged: %s", flag.source, flag.detail)
    report.add_flags(flags, new)
    return report


def crawl_sources(settings: Settings, sources: list[Any], options: CycleOptions, stop: Termination,
                  started: float) -> CycleReport:
    names = [source.name for source in sources]
    unspooled, storage_error = index_spool(settings)
    if stop.received:  # asked to stop before the crawl began
        report = CycleReport(sources=names, unspooled=unspooled, storage_error=storage_error)
        report.interrupted = stop.received
        return report
    budget = None if options.max_minutes is None else max(options.max_minutes * 60 - (time.monotonic() - started), 1)
    process = CrawlerProcess(scrapy_settings(settings, alerts=options.alerts, log_level=options.log_level,
                                             budget_seconds=budget, progress=options.progress))
    crawler = process.create_crawler(PortalSpider)
    failures: list[str] = []
    crawling = process.crawl(crawler, sources=sources)
    crawling.addErrback(_remember_failure, failures)
    with stop.on_first(lambda: _stop_crawl(process)):
        process.start(install_signal_handlers=False)
    stats: dict[str, Any] = crawler.stats.get_stats() if crawler.stats else {}
    report = report_from_stats(names, stats)
    report.unspooled = unspooled
    report.storage_error = storage_error or report.storage_error
    report.interrupted = stop.received
    if failures:  # a component could not start (or the engine died): nothing can be trusted as done
        report.crawl_error = failures[0]
        logger.error("crawl failed: %s", failures[0])
    return report


def _stop_crawl(process: CrawlerProcess) -> None:
    """From the signal handler: have the reactor stop the crawl gracefully (in-flight work finishes)."""
    from twisted.internet import reactor

    def stop() -> None:
        logger.warning("stopping: finishing the pages and articles in flight (a second signal stops at once)")
        process.stop()

    reactor.callFromThread(stop)


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


def scrapy_settings(settings: Settings, *, alerts: bool, log_level: str, budget_seconds: float | None = None,
                    progress: str = "") -> ScrapySettings:
    values = ScrapySettings()
    values.setmodule(crawler_defaults, priority="project")
    if progress:
        values.set("EXTENSIONS", {**values.getdict("EXTENSIONS"), "marsad.progress.Progress": 900}, priority="project")
    if settings.shared:  # one frontier and one duplicate filter for every host (crawler/shared/)
        values.set("SCHEDULER", "crawler.shared.scheduler.SharedScheduler", priority="project")
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
            "MARSAD_PROGRESS": progress,
            "CLOSESPIDER_TIMEOUT": budget_seconds or 0,
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
        internal_errors=stat("spider_exceptions/count") + stat("marsad/errors/items"),
        time_budget=stats.get("finish_reason") == "closespider_timeout",
        source_counters=source_counters(stats, sources),
        not_article=stat("marsad/articles/not_article"),
        low_confidence=stat("marsad/articles/low_confidence"),
        not_article_by_source={name: stat(f"marsad/sources/{name}/not_article") for name in sources
                               if stat(f"marsad/sources/{name}/not_article")},
        low_confidence_by_source={name: stat(f"marsad/sources/{name}/low_confidence") for name in sources
                                  if stat(f"marsad/sources/{name}/low_confidence")},
    )


