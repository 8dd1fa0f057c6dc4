"""A search as the page's address carries it: the query, the filters, the dates, sort and page.

The same parameters serve the HTML page and ``/api/search``; every link the page makes (a facet
value, a chart bar, the next page) is this address with one thing changed.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from typing import Literal, cast
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from core.errors import UsageError
from indexer.storage.base import SearchRequest, Sort

MAX_QUERY_CHARS = 500
MAX_VALUES = 20  # per filter
MAX_PAGE = 500
FILTERS = {"source": "sources", "section": "sections", "language": "languages", "entity": "entities"}
Facet = Literal["source", "section", "language", "entity"]


@dataclass(frozen=True)
class SearchParams:
    q: str = ""
    sources: tuple[str, ...] = ()
    sections: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    entities: tuple[str, ...] = ()
    since: date | None = None
    until: date | None = None
    sort: Sort | None = None  # None: relevance with a query, newest first without
    page: int = 1
    collapse: bool = True

    @classmethod
    def parse(cls, q: str = "", source: list[str] | None = None, section: list[str] | None = None,
              language: list[str] | None = None, entity: list[str] | None = None, since: str = "",
              until: str = "", sort: str = "", page: str = "", copies: str = "") -> SearchParams:
        """Raises UsageError with a message for the reader."""
        q = q.strip()
        if len(q) > MAX_QUERY_CHARS:
            raise UsageError(f"the query is longer than {MAX_QUERY_CHARS} characters")
        if sort not in ("", "relevance", "date"):
            raise UsageError(f"sort must be 'relevance' or 'date', not {sort!r}")
        params = cls(
            q=q,
            sources=_values(source, "source"),
            sections=_values(section, "section"),
            languages=_values(language, "language"),
            entities=_values(entity, "entity"),
            since=_day(since, "since"),
            until=_day(until, "until"),
            sort=cast(Sort, sort) if sort else None,
            page=_page(page),
            collapse=copies not in ("1", "on", "true"),
        )
        if params.since and params.until and params.since > params.until:
            raise UsageError("'since' is after 'until'")
        return params

    @property
    def effective_sort(self) -> Sort:
        return self.sort or ("relevance" if self.q else "date")

    def request(self, zone: ZoneInfo, per_page: int, *, facets: bool = True, histogram: bool = True) -> SearchRequest:
        return SearchRequest(
            query=self.q, sources=self.sources, sections=self.sections, languages=self.languages,
            entities=self.entities,
            since=datetime.combine(self.since, time.min, tzinfo=zone) if self.since else None,
            # the request's ``until`` is exclusive: the day after the last day, at midnight
            until=datetime.combine(self.until + timedelta(days=1), time.min, tzinfo=zone) if self.until else None,
            sort=self.effective_sort, collapse=self.collapse, limit=per_page,
            offset=(self.page - 1) * per_page, facets=facets, histogram=histogram, timezone=zone.key,
        )

    def items(self) -> list[tuple[str, str]]:
        """The address's query parameters, in a stable order."""
        items: list[tuple[str, str]] = [("q", self.q)] if self.q else []
        for name, attribute in FILTERS.items():
            items += [(name, value) for value in getattr(self, attribute)]
        items += [("since", self.since.isoformat())] if self.since else []
        items += [("until", self.until.isoformat())] if self.until else []
        items += [("sort", self.sort)] if self.sort else []
        items += [("copies", "1")] if not self.collapse else []
        items += [("page", str(self.page))] if self.page > 1 else []
        return items

    def url(self, path: str = "/") -> str:
        query = urlencode(self.items())
        return f"{path}?{query}" if query else path

    def changed(self, **changes: object) -> SearchParams:
        """A copy with ``changes``; back to the first page unless ``page`` is one of them."""
        return replace(self, **{"page": 1, **changes})  # type: ignore[arg-type]

    def has(self, facet: str, value: str) -> bool:
        return value in getattr(self, FILTERS[facet])

    def toggled(self, facet: str, value: str) -> SearchParams:
        """With ``value`` added to the ``facet`` filter, or removed when it is there."""
        attribute = FILTERS[facet]
        current: tuple[str, ...] = getattr(self, attribute)
        values = tuple(v for v in current if v != value) if value in current else (*current, value)
        return self.changed(**{attribute: values})

    def filters(self) -> list[tuple[str, str]]:
        """Every active filter value as (facet, value)."""
        return [(name, value) for name, attribute in FILTERS.items() for value in getattr(self, attribute)]

    def hidden_fields(self) -> list[tuple[str, str]]:
        """What the search form carries over when the query changes (filters, dates, options)."""
        return [(name, value) for name, value in self.items() if name not in ("q", "page")]

    @property
    def is_empty(self) -> bool:
        return not self.q and not self.filters() and not self.since and not self.until


def _values(values: list[str] | None, name: str) -> tuple[str, ...]:
    cleaned = tuple(dict.fromkeys(v.strip() for v in values or () if v.strip()))
    if len(cleaned) > MAX_VALUES:
        raise UsageError(f"at most {MAX_VALUES} values of '{name}'")
    return cleaned


def _day(value: str, name: str) -> date | None:
    if not value.strip():
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise UsageError(f"'{name}' must be a date like 2026-11-23, not {value!r}") from None


def _page(value: str) -> int:
    if not value.strip():
        return 1
    if not value.strip().isdigit() or not 1 <= int(value) <= MAX_PAGE:
        raise UsageError(f"'page' must be a number from 1 to {MAX_PAGE}")
    return int(value)
