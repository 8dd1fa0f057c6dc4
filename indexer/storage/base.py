"""The storage interface every backend implements, and the search request/result types."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from core.article import Article


@dataclass(frozen=True)
class SearchRequest:
    query: str
    sources: tuple[str, ...] = ()
    since: datetime | None = None
    limit: int = 20


@dataclass
class SearchHit:
    article: Article
    score: float = 0.0


@dataclass
class SearchResult:
    total: int
    hits: list[SearchHit] = field(default_factory=list)


@dataclass
class StoreReport:
    created: int = 0
    updated: int = 0

    def add(self, other: StoreReport) -> None:
        self.created += other.created
        self.updated += other.updated


class Storage(Protocol):
    """A place articles are indexed and searched. ``store`` raises StorageError, never half-succeeds
    silently: when it returns, every article in the batch is durably stored."""

    name: str

    def store(self, articles: Sequence[Article]) -> StoreReport: ...

    def search(self, request: SearchRequest) -> SearchResult: ...

    def iter_matching(self, query: str, since: datetime | None = None, match: str = "inflected") -> Iterator[Article]:
        """Every article the query matches (newer than ``since``), unranked: for backtests."""
        ...

    def count(self) -> int: ...

    def iter_articles(self) -> Iterator[Article]: ...

    def close(self) -> None: ...
