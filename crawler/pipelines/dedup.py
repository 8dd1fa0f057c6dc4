"""Drop articles already stored with the same content, and repeats within one crawl; give each
article its story (near-duplicate copies across sources share one).

An article fetched again whose content is unchanged is remembered as checked (so the same
listing date does not fetch it again); one whose content changed goes on to replace its index
entry, with ``modified_at`` set (the page's own date, else when the change was seen).

Per source it counts ``new`` and ``updated`` articles once the article has passed every stage
(Scrapy's item_scraped: indexed or spooled, and recorded), so one that failed to be stored is not
counted."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from core.article import Article
from core.settings import Settings, from_crawler_settings
from indexer.state.factory import open_state
from indexer.stories import story_signature


class DedupPipeline:
    def __init__(self, settings: Settings, crawler: Crawler | None = None) -> None:
        self.state = open_state(settings)
        self.crawler = crawler
        self._seen_this_run: set[str] = set()
        self._kind: dict[str, str] = {}  # canonical URL → new | updated, until the item is stored

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DedupPipeline:
        pipeline = cls(from_crawler_settings(crawler.settings), crawler)
        crawler.signals.connect(pipeline.item_scraped, signal=signals.item_scraped)
        return pipeline

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, Article):
            return item
        if item.canonical_url in self._seen_this_run:
            self._count("marsad/articles/duplicate_in_run")
            raise DropItem(f"{item.canonical_url} already collected in this run")
        self._seen_this_run.add(item.canonical_url)
        stored = self.state.stored_hash(item.canonical_url)
        if stored == item.content_hash:
            self._count("marsad/articles/unchanged")
            self._count(f"marsad/sources/{item.source}/unchanged")
            self.state.mark_checked(item.url, item.canonical_url)
            raise DropItem(f"{item.canonical_url} is already stored with the same content")
        self._kind[item.canonical_url] = "new" if stored is None else "updated"
        if stored is not None and item.modified_at is None:
            item.modified_at = item.fetched_at or datetime.now(UTC)
        item.story_id = self.state.stories.assign(item.canonical_url, story_signature(item))
        return item

    def item_scraped(self, item: Any) -> None:
        """The article passed every stage: count it for its source."""
        if isinstance(item, Article):
            kind = self._kind.pop(item.canonical_url, None)
            if kind is not None:
                self._count(f"marsad/sources/{item.source}/{kind}")

    def close_spider(self) -> None:
        self.state.close()

    def _count(self, key: str) -> None:
        if self.crawler is not None and self.crawler.stats is not None:
            self.crawler.stats.inc_value(key)
