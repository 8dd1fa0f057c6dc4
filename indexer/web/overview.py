"""The alerts page's data, shared with ``/api/alerts``: each rule with its filters and channel
names (never a channel's address), its newest alerted stories and its last-30-days count."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from core.settings import Settings
from indexer.alerts.backtest import backtest
from indexer.alerts.rules import Rule
from indexer.state.factory import has_state, open_state
from indexer.storage.base import Storage

PERIOD_DAYS = 30
RECENT_STORIES = 5


@dataclass
class RecentAlert:
    story_id: str
    doc_id: str
    title: str
    source: str
    url: str
    matched_at: datetime | None
    sources: list[str] = field(default_factory=list)  # every source of the story's matched copies


@dataclass
class RuleOverview:
    rule: Rule
    channels: list[str]
    articles_30d: int
    stories_30d: int
    recent: list[RecentAlert]
    feed: bool  # data/feeds/<rule>.atom exists

    @property
    def filters(self) -> list[tuple[str, str]]:
        found = [("sources", ", ".join(sorted(self.rule.sources)))] if self.rule.sources else []
        found += [("sections", ", ".join(sorted(self.rule.sections)))] if self.rule.sections else []
        found += [(kind, ", ".join(sorted(names))) for kind, names in self.rule.entities.items() if names]
        found += [("language", self.rule.language)] if self.rule.language else []
        found += [("match", self.rule.match)] if self.rule.match != "inflected" else []
        return found


def overview(rules: list[Rule], storage: Storage, settings: Settings, feeds_dir: Path, zone: ZoneInfo,
             now: datetime) -> list[RuleOverview]:
    since = now - timedelta(days=PERIOD_DAYS)
    recent = recent_alerts([rule.name for rule in rules], settings)
    views = []
    for rule in rules:
        counted = backtest(storage, rule, since, zone)
        views.append(RuleOverview(
            rule=rule,
            channels=list(dict.fromkeys(route.channel for route in rule.routes)),
            articles_30d=counted.articles,
            stories_30d=len(counted.stories),
            recent=recent.get(rule.name, []),
            feed=(feeds_dir / f"{rule.name}.atom").is_file(),
        ))
    return views


def recent_alerts(rules: list[str], settings: Settings) -> dict[str, list[RecentAlert]]:
    if not has_state(settings):
        return {}
    state = open_state(settings)
    try:
        return {rule: [_alert(story_id, payloads) for story_id, payloads in
                       state.outbox.recent_stories(rule, RECENT_STORIES) if payloads]
                for rule in rules}
    finally:
        state.close()


def _alert(story_id: str, payloads: list[dict[str, Any]]) -> RecentAlert:
    lead = payloads[0]
    matched = lead.get("matched_at")
    return RecentAlert(
        story_id=story_id, doc_id=str(lead.get("doc_id", "")), title=str(lead.get("title", "")),
        source=str(lead.get("source", "")), url=str(lead.get("url", "")),
        matched_at=datetime.fromisoformat(matched) if matched else None,
        sources=list(dict.fromkeys(str(p.get("source", "")) for p in payloads)),
    )
