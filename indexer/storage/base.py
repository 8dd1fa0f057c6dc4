"""The storage interface every backend implements, and the search request/result types."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal, Protocol

from core.article import Article

Sort = Literal["relevance", "date"]
FACETS = ("source", "section", "language", "entity")  # the facet names a SearchResult may carry
FACET_SIZE = 20  # values per facet, most articles first
Segments = list[tuple[str, bool]]  # text cut into pieces, the matched words flagged


@dataclass(frozen=True)
class SearchRequest:
    """One page of results for a query in the rule language, with filters.

    ``query`` "" matches every article (browsing by filters). Filters combine with AND; values
    within one filter with OR. ``entities`` are canonical names of any kind (persons,
    organizations, locations). ``since``/``until`` bound the article's date (published, else
    fetched): ``since <= date < until``; an undated article passes neither. ``collapse`` gives one
    hit per story (its best article), the other copies counted. ``facets`` and ``histogram`` ask
    for counts over all matches, not only the page; the histogram's days are in ``timezone``.
    Sorting: relevance (ties: newer first), or date (newest first); then by canonical URL.
    """

    query: str
    sources: tuple[str, ...] = ()
    sections: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    entities: tuple[str, ...] = ()
    since: datetime | None = None
    until: datetime | None = None
    sort: Sort = "relevance"
    collapse: bool = False
    limit: int = 20
    offset: int = 0
    facets: bool = False
    histogram: bool = False
    timezone: str = "UTC"


@dataclass
class SearchHit:
    article: Article
    score: float = 0.0
    title_marks: Segments = field(default_factory=list)  # the title, matched words flagged ([] = none asked)
    snippet: Segments = field(default_factory=list)  # words around the first match in the body
    story_size: int = 1  # articles of this hit's story among the matches (collapse)
    story_sources: list[str] = field(default_factory=list)  # the other sources of the story (collapse)


@dataclass
class SearchResult:
    total: int  # matching articles (all of them, not only this page)
    hits: list[SearchHit] = field(default_factory=list)
    stories: int | None = None  # distinct stories among the matches, when collapsed
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)  # name → (value, count), most first
    histogram: list[tuple[date, int]] = field(default_factory=list)  # per day, oldest first, zero days included
    # False: total, stories, facets and histogram are upper bounds (SQLite, a query FTS5 can only
    # narrow to candidates and too many of them to confirm each; see indexer/storage/sqlite_search.py)
    total_exact: bool = True


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

    def get(self, doc_id: str) -> Article | None:
        """The stored article with this ``Article.doc_id``, by a key look-up; None when there is none
        (an id of another shape included: it is never sent to the engine)."""
        ...

    def get_many(self, doc_ids: Iterable[str]) -> dict[str, Article]:
        """The stored articles among ``doc_ids``, by id, in one look-up; ids not found are left out."""
        ...

    def iter_matching(self, query: str, since: datetime | None = None, match: str = "inflected") -> Iterator[Article]:
        """Every article the query matches (newer than ``since``), unranked: for backtests."""
        ...

    def count(self) -> int: ...

    def iter_articles(self) -> Iterator[Article]: ...

    def close(self) -> None: ...
