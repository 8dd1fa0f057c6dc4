"""Store articles in the configured backend, in bulk batches.

Each item waits until its batch is confirmed; only then is it passed on to the alerts stage,
which records it as stored together with its alerts. When the index is down (unreachable at the
start, or failing a batch) the rest of the run's batches go to the durable spool in the data
folder instead: they count as stored (their alerts go out), the run exits 1 naming the cause, and
the next run indexes the spool first. Only when the spool cannot be written either are the items
failed (nothing marked as saved: the next run fetches them again).
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
from indexer.storage.spool import Spool

logger = logging.getLogger(__name__)


class IndexPipeline:
    def __init__(self, settings: Settings, crawler: Crawler | None = None, flush_seconds: float = 0.5) -> None:
        self.crawler = crawler
        self.spool = Spool(settings.spool_dir)
        self.storage: Storage | None = None
        try:
            self.storage = open_storage(settings)
        except StorageError as exc:
            self._down(exc)
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
        if self.storage is not None:
            try:
                report = self.storage.store(articles)
            except StorageError as exc:
                self._down(exc)
            else:
                self._count("marsad/storage/created", report.created)
                self._count("marsad/storage/updated", report.updated)
                return
        try:
            self.spool.append(articles)
        except OSError as exc:
            self._count("marsad/storage/failed_articles", len(articles))
            logger.error("index: %d article(s) not stored: the index is down and the spool %s cannot be written "
                         "(%s); they are fetched again next run", len(articles), self.spool.directory,
                         exc.strerror or exc)
            raise StorageError(f"index down and spool unwritable: {exc.strerror or exc}") from exc
        self._count("marsad/storage/spooled", len(articles))

    def _down(self, exc: StorageError) -> None:
        """The index failed: the rest of this run's batches go to the spool."""
        if self.storage is not None:
            self.storage.close()
            self.storage = None
        logger.error("index: %s; new articles are kept in %s and indexed on the next run", exc, self.spool.directory)
        if self.crawler is not None and self.crawler.stats is not None:
            self.crawler.stats.set_value("marsad/storage/error", str(exc))

    def close_spider(self) -> None:
        self.batch.flush()
        if self.storage is not None:
            self.storage.close()

    def _count(self, key: str, count: int) -> None:
        if self.crawler is not None and self.crawler.stats is not None and count:
            self.crawler.stats.inc_value(key, count)
