"""Helpers the route modules share: the context, and the search parameters from the address."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query, Request

from indexer.web.context import WebContext
from indexer.web.params import SearchParams


def context(request: Request) -> WebContext:
    ctx: WebContext = request.app.state.ctx
    return ctx


def search_params(
    q: Annotated[str, Query(description="a query in the rule language; empty: every article")] = "",
    source: Annotated[list[str] | None, Query(description="only these sources (repeatable, OR)")] = None,
    section: Annotated[list[str] | None, Query(description="only these sections (repeatable, OR)")] = None,
    language: Annotated[list[str] | None, Query(description="only these languages, e.g. ar (repeatable)")] = None,
    entity: Annotated[list[str] | None, Query(description="only articles naming one of these "
                                                         "(canonical person/organization/place names)")] = None,
    since: Annotated[str, Query(description="first day, YYYY-MM-DD (the reader's zone)")] = "",
    until: Annotated[str, Query(description="last day, YYYY-MM-DD (the reader's zone)")] = "",
    sort: Annotated[str, Query(description="relevance or date (default: relevance with a query, else date)")] = "",
    page: Annotated[str, Query(description="page number, from 1")] = "",
    copies: Annotated[str, Query(description="1: every copy of a story, not one hit per story")] = "",
) -> SearchParams:
    """Raises UsageError (answered with 400) when a value cannot be used."""
    return SearchParams.parse(q, source, section, language, entity, since, until, sort, page, copies)
