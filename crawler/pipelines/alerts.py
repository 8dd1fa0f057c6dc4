"""Match each stored article against the alert rules and record it, with its alerts, at once.

The article's "stored" mark and its outbox rows are written in one state transaction per
batch, so a crash between indexing and alerting cannot lose an alert: an article whose mark is
missing is fetched and matched again next run. Matching runs on a worker thread, so a long
hostile page does not stall the crawl. With alerts off (`marsad crawl`) articles are recorded
without matching. Delivery is a separate step after the crawl (indexer/delivery/deliver.py).
"""

from __future__ import annotations

import asyncio
import logging
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from core.article import Article
from core.errors import StateError
from core.settings import Settings, from_crawler_settings
from crawler.pipelines.batch import Batch
from indexer.alerts.highlight import alert_payload
from indexer.alerts.matcher import RuleMatch, RuleMatcher
from indexer.delivery.config import AlertConfig, load_alert_config
from indexer.delivery.schedule import entry_for
from indexer.state import AlertMatch, StoredArticle
from indexer.state.factory import open_state

logger = logging.getLogger(__name__)


class AlertsPipeline:
    def __init__(self, settings: Settings, crawler: Crawler | None = None, *, match: bool = True,
                 flush_seconds: float = 0.5) -> None:
        self.config: AlertConfig | None = None
        if match and settings.alerts_path.exists():
            self.config = load_alert_config(settings.alerts_path)
        self.matcher = RuleMatcher(self.config.rules) if self.config and self.config.rules else None
        self.state = open_state(settings)
        self.crawler = crawler
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="marsad-match")
        self.batch: Batch[StoredArticle] = Batch(settings.batch_size, flush_seconds, self._record_batch)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> AlertsPipeline:
        return cls(
            from_crawler_settings(crawler.settings),
            crawler,
            match=crawler.settings.getbool("MARSAD_ALERT_ENABLED", True),
            flush_seconds=crawler.settings.getfloat("MARSAD_INDEX_FLUSH_SECONDS", 0.5),
        )

    async def process_item(self, item: Any) -> Any:
        if not isinstance(item, Article):
            return item
        loop = asyncio.get_running_loop()
        matches = await loop.run_in_executor(self._executor, self._match, item) if self.matcher else []
        try:
            await self.batch.join(self._record(item, matches))
        except StateError as exc:
            raise DropItem(f"{item.canonical_url} stored in the index but not recorded: {exc}") from exc
        return item

    def _match(self, article: Article) -> list[RuleMatch]:
        assert self.matcher is not None
        return self.matcher.match_article(article)

    def _record(self, article: Article, matches: list[RuleMatch]) -> StoredArticle:
        alerts = alert_matches(self.config, article, matches) if self.config else ()
        return StoredArticle(article.url, article.canonical_url, article.source, article.content_hash, alerts)

    def _record_batch(self, records: list[StoredArticle]) -> None:
        try:
            queued = self.state.record_stored(records)
        except StateError as exc:
            self._count("marsad/storage/failed_articles", len(records))
            logger.error("state: %d stored article(s) not recorded (fetched again next run): %s", len(records), exc)
            raise
        self._count("marsad/alerts/raised", queued)

    def close_spider(self) -> None:
        self.batch.flush()
        self._executor.shutdown(wait=True)
        self.state.close()

    def _count(self, key: str, count: int) -> None:
        if self.crawler is not None and self.crawler.stats is not None and count:
            self.crawler.stats.inc_value(key, count)


def alert_matches(config: AlertConfig, article: Article, matches: list[RuleMatch],
                  now: datetime | None = None) -> tuple[AlertMatch, ...]:
    """The alerts ``matches`` raise: per rule, the story and where and when it is due."""
    now = now or datetime.now(UTC)
    story = article.story_id or article.doc_id
    alerts = []
    for match in matches:
        rule = config.rule(match.rule)
        if rule is not None:
            entries = tuple(entry_for(route, config.channels[route.channel].timezone, now) for route in rule.routes)
            alerts.append(AlertMatch(rule.name, story, alert_payload(article, match), entries))
    return tuple(alerts)
