"""What the state store keeps: stored articles with their alert matches, and outbox rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

Kind = Literal["immediate", "digest"]
Status = Literal["pending", "sent", "failed"]


def utc_text(moment: datetime) -> str:
    """A sortable UTC timestamp (fixed width, so SQLite compares them as text)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def from_utc_text(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)


@dataclass(frozen=True)
class OutboxEntry:
    """Where one alert goes: a channel, and when (``due_at``) in which kind of message."""

    channel: str
    kind: Kind
    due_at: datetime


@dataclass(frozen=True)
class AlertMatch:
    """One rule matched one stored article; ``payload`` is what a message needs to show it."""

    rule: str
    story_id: str
    payload: dict[str, Any]
    entries: tuple[OutboxEntry, ...]


@dataclass(frozen=True)
class StoredArticle:
    """An article the index confirmed, with the alerts it raised (recorded in one transaction)."""

    url: str
    canonical_url: str
    source: str
    content_hash: str
    matches: tuple[AlertMatch, ...] = ()


@dataclass(frozen=True)
class PageValidators:
    """What a feed, sitemap or listing page answered when it was last read in full and all it
    listed was handled: the validators for a conditional GET next time (``etag``,
    ``last_modified``), the body's hash (for servers without validators), a sitemap index's
    children with their lastmod, and which source configuration read it (``source_key``)."""

    url: str
    source_key: str
    checked_at: datetime
    etag: str | None = None
    last_modified: str | None = None
    body_hash: str | None = None
    children: tuple[tuple[str, str | None], ...] = ()


@dataclass(frozen=True)
class OutboxRow:
    rule: str
    story_id: str
    channel: str
    kind: Kind
    status: Status
    created_at: datetime
    due_at: datetime
    attempts: int
    last_error: str | None = None

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.rule, self.story_id, self.channel)


@dataclass
class OutboxSummary:
    """Counts per channel and status, and the rows that gave up (``marsad alerts status``)."""

    counts: dict[tuple[str, str], int] = field(default_factory=dict)  # (channel, status) → rows
    failed: list[OutboxRow] = field(default_factory=list)
    oldest_pending: datetime | None = None


Counters = dict[str, dict[str, int]]  # source → counter → value, as one run counted them


@dataclass(frozen=True)
class SourceFlag:
    """Why a source looks unwell after a run: ``reason`` is silent, extraction or entry."""

    source: str
    reason: str
    detail: str


@dataclass
class RunRecord:
    """One `marsad run`: when, how it ended (running = never finished: killed), what each source counted."""

    id: int
    started_at: datetime
    finished_at: datetime | None
    outcome: str  # running, ok, failed, interrupted, time_budget
    counters: Counters = field(default_factory=dict)
    flags: list[SourceFlag] = field(default_factory=list)
