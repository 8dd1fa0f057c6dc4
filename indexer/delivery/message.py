"""A message to one channel: one story (immediate) or a rule's digest of stories.

Each story lists every source that carried it, lead copy first, so copies of a syndicated
story found in one run go out as one message naming all of them.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from indexer.delivery.render import render, subject
from indexer.state.records import Kind


@dataclass(frozen=True)
class StoryAlert:
    story_id: str
    articles: tuple[dict[str, Any], ...]  # alert payloads (indexer.alerts.highlight), lead first

    @property
    def lead(self) -> dict[str, Any]:
        return self.articles[0]

    @property
    def sources(self) -> list[str]:
        return list(dict.fromkeys(str(article["source"]) for article in self.articles))

    @property
    def published(self) -> datetime | None:
        raw = self.lead.get("published_at")
        return datetime.fromisoformat(raw) if raw else None


@dataclass(frozen=True)
class Message:
    rule: str
    query: str
    kind: Kind
    stories: tuple[StoryAlert, ...]
    timezone: ZoneInfo = field(default_factory=lambda: ZoneInfo("UTC"))
    web_url: str | None = None
    created_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    note: str | None = None  # a test message or an admin summary says what it is here
    details: tuple[str, ...] = ()  # lines under the note (the admin summary's problems)

    def source_counts(self) -> Counter[str]:
        return Counter(str(article["source"]) for story in self.stories for article in story.articles)

    def subject(self) -> str:
        return subject(self)

    def html(self) -> str:
        return render(self, "message.html")

    def text(self) -> str:
        return render(self, "message.txt")

    def markdown(self) -> str:
        return render(self, "message.md")

    def records(self) -> list[dict[str, Any]]:
        """One JSON-ready record per story, for the ``log`` channel's alerts.jsonl."""
        return [
            {
                "rule": self.rule,
                "kind": self.kind,
                "raised_at": self.created_at.isoformat(),
                "story_id": story.story_id,
                "canonical_url": story.lead["url"],
                "title": story.lead["title"],
                "source": story.lead["source"],
                "sources": story.sources,
                "urls": [article["url"] for article in story.articles],
                "published_at": story.lead.get("published_at"),
                "snippet": "".join(text for text, _hit in story.lead.get("snippet", [])),
                "matched": sorted({text for a in story.articles for text, hit in a.get("snippet", []) if hit}),
            }
            for story in self.stories
        ]
