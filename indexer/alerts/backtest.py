"""What a rule would have matched in the index: counts per day and source, and the top stories.

Runs on either backend: the index narrows the candidates, the rule's own matcher (with its
source, section, entity and language filters) decides, exactly as live alerting would.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from core.article import Article
from indexer.alerts.matcher import RuleMatcher
from indexer.alerts.rules import Rule
from indexer.storage.base import Storage


@dataclass
class StoryCount:
    story_id: str
    title: str
    url: str
    first_seen: datetime | None
    articles: int = 0
    sources: Counter[str] = field(default_factory=Counter)


@dataclass
class Backtest:
    rule: str
    query: str
    since: datetime | None
    articles: int = 0
    per_day: Counter[date] = field(default_factory=Counter)
    per_source: Counter[str] = field(default_factory=Counter)
    stories: dict[str, StoryCount] = field(default_factory=dict)

    def top_stories(self, limit: int = 10) -> list[StoryCount]:
        return sorted(
            self.stories.values(),
            key=lambda s: (-s.articles, -len(s.sources), -(s.first_seen.timestamp() if s.first_seen else 0)),
        )[:limit]

    def to_dict(self, limit: int = 10) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "query": self.query,
            "since": self.since.isoformat() if self.since else None,
            "articles": self.articles,
            "stories": len(self.stories),
            "per_day": {day.isoformat(): count for day, count in sorted(self.per_day.items())},
            "per_source": dict(self.per_source.most_common()),
            "top_stories": [
                {"story_id": s.story_id, "title": s.title, "url": s.url, "articles": s.articles,
                 "sources": dict(s.sources), "first_seen": s.first_seen.isoformat() if s.first_seen else None}
                for s in self.top_stories(limit)
            ],
        }


def backtest(storage: Storage, rule: Rule, since: datetime | None, zone: ZoneInfo) -> Backtest:
    result = Backtest(rule=rule.name, query=rule.query_text, since=since)
    matcher = RuleMatcher([rule])
    for article in storage.iter_matching(rule.query_text, since, rule.match):
        if matcher.match_article(article):
            _count(result, article, zone)
    return result


def _count(result: Backtest, article: Article, zone: ZoneInfo) -> None:
    when = article.published_at or article.fetched_at
    result.articles += 1
    result.per_source[article.source] += 1
    if when is not None:
        result.per_day[when.astimezone(zone).date()] += 1
    story_id = article.story_id or article.doc_id
    story = result.stories.get(story_id)
    if story is None:
        story = result.stories[story_id] = StoryCount(story_id, article.title, article.canonical_url, when)
    elif when is not None and (story.first_seen is None or when < story.first_seen):
        story.title, story.url, story.first_seen = article.title, article.canonical_url, when
    story.articles += 1
    story.sources[article.source] += 1
