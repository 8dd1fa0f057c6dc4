"""The JSON API's answers (``/api``), as pydantic models: FastAPI derives the OpenAPI description
(``/api/openapi.json``) from them."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, Field

from core.article import Article
from indexer.storage.base import SearchHit, SearchResult


class Error(BaseModel):
    error: str = Field(description="what went wrong, for a person")


class Segment(BaseModel):
    text: str
    match: bool = Field(description="true for a word the query matched")


class ArticleSummary(BaseModel):
    doc_id: str = Field(description="the id of /api/articles/{doc_id} and /article/{doc_id}")
    url: str
    source: str
    title: str
    section: str | None
    language: str | None
    published_at: datetime | None
    fetched_at: datetime | None
    story_id: str | None

    @classmethod
    def of(cls, article: Article) -> ArticleSummary:
        return cls(doc_id=article.doc_id, url=article.canonical_url, source=article.source, title=article.title,
                   section=article.section, language=article.language, published_at=article.published_at,
                   fetched_at=article.fetched_at, story_id=article.story_id)


class Hit(BaseModel):
    article: ArticleSummary
    score: float
    title_marks: list[Segment] = Field(description="the title cut at the matched words")
    snippet: list[Segment] = Field(description="words around the first match in the body")
    story_size: int = Field(description="articles of this hit's story among the matches")
    story_sources: list[str] = Field(description="the story's other sources (one hit per story)")

    @classmethod
    def of(cls, hit: SearchHit) -> Hit:
        return cls(article=ArticleSummary.of(hit.article), score=hit.score,
                   title_marks=[Segment(text=text, match=match) for text, match in hit.title_marks],
                   snippet=[Segment(text=text, match=match) for text, match in hit.snippet],
                   story_size=hit.story_size, story_sources=hit.story_sources)


class FacetCount(BaseModel):
    value: str
    count: int


class DayCount(BaseModel):
    day: date
    count: int


class SearchAnswer(BaseModel):
    query: str
    total: int = Field(description="matching articles, all pages")
    total_exact: bool = Field(description="false: total, stories, facets and histogram are upper bounds")
    stories: int | None = Field(description="distinct stories among the matches (one hit per story)")
    page: int
    per_page: int
    timezone: str = Field(description="the zone of the histogram's days and of since/until")
    hits: list[Hit]
    facets: dict[str, list[FacetCount]] = Field(description="source, section, language, entity: most first")
    histogram: list[DayCount] = Field(description="matching articles per day, oldest first")

    @classmethod
    def of(cls, result: SearchResult, query: str, page: int, per_page: int, timezone: str) -> SearchAnswer:
        return cls(query=query, total=result.total, total_exact=result.total_exact, stories=result.stories,
                   page=page, per_page=per_page,
                   timezone=timezone, hits=[Hit.of(hit) for hit in result.hits],
                   facets={name: [FacetCount(value=v, count=c) for v, c in values]
                           for name, values in result.facets.items()},
                   histogram=[DayCount(day=day, count=count) for day, count in result.histogram])


class Entities(BaseModel):
    persons: list[str]
    organizations: list[str]
    locations: list[str]


class ArticleAnswer(ArticleSummary):
    author: str | None
    modified_at: datetime | None
    tags: list[str]
    body: str = Field(description="plain text, paragraphs separated by a blank line")
    entities: Entities
    story_copies: list[ArticleSummary] = Field(description="the same story from other sources")

    @classmethod
    def full(cls, article: Article, copies: list[Article]) -> ArticleAnswer:
        summary: dict[str, Any] = ArticleSummary.of(article).model_dump()
        return cls(**summary, author=article.author, modified_at=article.modified_at, tags=article.tags,
                   body=article.body, entities=Entities(**vars(article.entities)),
                   story_copies=[ArticleSummary.of(copy) for copy in copies])


class RecentAlert(BaseModel):
    story_id: str
    doc_id: str
    title: str
    source: str
    url: str
    matched_at: datetime | None
    sources: list[str]


class RuleAnswer(BaseModel):
    name: str
    query: str
    filters: dict[str, str]
    channels: list[str] = Field(description="channel names (their addresses are never shown)")
    articles_30d: int = Field(description="articles the rule matches in the index over the last 30 days")
    stories_30d: int
    recent: list[RecentAlert] = Field(description="the newest alerted stories, newest first")
    feed: str | None = Field(description="the rule's Atom feed, when written")


class AlertsAnswer(BaseModel):
    timezone: str
    rules: list[RuleAnswer]
