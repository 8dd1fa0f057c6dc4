"""Match every newly stored article against the alert rules; raise each alert once."""

from __future__ import annotations

from functools import partial
from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from core.article import Article
from core.settings import Settings, from_crawler_settings
from indexer.alerts.matcher import RuleMatcher
from indexer.alerts.rules import load_rules
from indexer.delivery.log import AlertLog, AlertRecord
from indexer.state import StateStore


class AlertsPipeline:
    def __init__(self, settings: Settings, crawler: Crawler | None = None) -> None:
        rules = load_rules(settings.alerts_path) if settings.alerts_path.exists() else []
        if not rules:
            raise NotConfigured("no alert rules")
        self.matcher = RuleMatcher(rules)
        self.state = StateStore(settings.state_path)
        self.log = AlertLog(settings.alerts_log_path)
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> AlertsPipeline:
        if not crawler.settings.getbool("MARSAD_ALERT_ENABLED", True):
            raise NotConfigured("alerts disabled for this run")
        return cls(from_crawler_settings(crawler.settings), crawler)

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, Article):
            return item
        for match in self.matcher.match_article(item):
            spans = [(start, end, field) for field, found in match.spans_by_field.items() for start, end in found]
            record = AlertRecord(match.rule, item, spans)
            raised = self.state.raise_alert_once(match.rule, item.canonical_url, partial(self.log.deliver, record))
            if raised and self.crawler is not None and self.crawler.stats is not None:
                self.crawler.stats.inc_value("marsad/alerts/raised")
        return item

    def close_spider(self) -> None:
        self.state.close()
