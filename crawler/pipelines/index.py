"""Store articles in the configured backend, in bulk batches.

Each item waits until its batch is confirmed by the index; only then is it passed on to the
alerts stage, which records it as stored together with its alerts. A storage failure fails the
batch's items (nothing is marked as saved, so the next run fetches them again) and is counted
so the run exits non-zero.
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from core.article import Article
from core.errors import StorageError
from core.settings import Settings, from_crawler_settings
from crawler.pipelines.batch import Batch
from indexer.storage.base import Storage
from indexer.storage.factory import open_storage

logger = logging.getLogger(__name__)


class IndexPipeline:
    def __init__(self, settings: Settings, crawler: Crawler | None = None, flush_seconds: float = 0.5) -> None:
        self.storage: Storage = open_storage(settings)
        self.crawler = crawler
        self.batch: Batch[Article] = Batch(settings.batch_size, flush_seconds, self._store)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> IndexPipeline:
        return cls(
            from_crawler_settings(crawler.settings),
            crawler,
            crawler.settings.getfloat("MARSAD_INDEX_FLUSH_SECONDS", 0.5),
        )

    async def process_item(self, item: Any) -> Any:
        if not isinstance(item, Article):
            return item
        try:
            await self.batch.join(item)
        except StorageError as exc:
            raise DropItem(f"{item.canonical_url} not stored: {exc}") from exc
        return item

    def _store(self, articles: list[Article]) -> None:
        try:
            report = self.storage.store(articles)
        except StorageError as exc:
            self._count("marsad/storage/failed_articles", len(articles))
            logger.error("index: %d article(s) not stored: %s", len(articles), exc)
            raise
        self._count("marsad/storage/created", report.created)
        self._count("marsad/storage/updated", report.updated)

    def close_spider(self) -> None:
        self.batch.flush()
        self.storage.close()

    def _count(self, key: str, count: int) -> None:
        if self.crawler is not None and self.crawler.stats is not None and count:
            self.crawler.stats.inc_value(key, count)
