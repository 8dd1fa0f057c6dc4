"""The JSON API under /api, described at /api/openapi.json. Errors are ``{"error": ...}``:
400 for a query or parameter that cannot be used, 404, 503 when the index is unavailable."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request

from core.article import is_doc_id
from indexer.web.context import WebContext
from indexer.web.lookup import story_copies
from indexer.web.overview import overview
from indexer.web.params import SearchParams
from indexer.web.routes.common import context, search_params
from indexer.web.schemas import AlertsAnswer, ArticleAnswer, Error, RecentAlert, RuleAnswer, SearchAnswer

ERRORS: dict[int | str, dict[str, Any]] = {400: {"model": Error}, 401: {"model": Error}, 503: {"model": Error}}
router = APIRouter(prefix="/api", responses=ERRORS)


@router.get("/search", response_model=SearchAnswer, summary="Search the index")
def search(request: Request, ctx: Annotated[WebContext, Depends(context)],
           params: Annotated[SearchParams, Depends(search_params)],
           per_page: Annotated[int, Query(ge=1, le=100, description="hits per page")] = 20) -> SearchAnswer:
    """Hits of one page (one per story unless ``copies=1``), with facets and the per-day histogram
    over every match."""
    zone = ctx.zone(request)
    with ctx.storage.session() as storage:
        result = storage.search(params.request(zone, per_page))
    return SearchAnswer.of(result, params.q, params.page, per_page, zone.key)


@router.get("/articles/{doc_id}", response_model=ArticleAnswer, responses={404: {"model": Error}},
            summary="One article")
def article(doc_id: str, ctx: Annotated[WebContext, Depends(context)]) -> ArticleAnswer:
    """The article with its clean text, names, and the other copies of its story."""
    if not is_doc_id(doc_id):
        raise HTTPException(404, "no article with this id")
    with ctx.storage.session() as storage:
        found = storage.get(doc_id)
        if found is None:
            raise HTTPException(404, "no article with this id")
        copies = story_copies(storage, ctx.settings, found)
    return ArticleAnswer.full(found, copies)


@router.get("/alerts", response_model=AlertsAnswer, summary="Alert rules and their recent alerts")
def alerts(request: Request, ctx: Annotated[WebContext, Depends(context)]) -> AlertsAnswer:
    """Every rule with its channel names, its newest alerted stories and its last-30-days count."""
    zone = ctx.zone(request)
    rules = ctx.rules()
    with ctx.storage.session() as storage:
        views = overview(rules.rules, storage, ctx.settings, ctx.settings.feeds_dir, zone,
                         ctx.clock())
    return AlertsAnswer(timezone=zone.key, rules=[
        RuleAnswer(name=view.rule.name, query=view.rule.query_text, filters=dict(view.filters),
                   channels=view.channels, articles_30d=view.articles_30d, stories_30d=view.stories_30d,
                   recent=[RecentAlert(**vars(alert)) for alert in view.recent],
                   feed=f"/feeds/{view.rule.name}.atom" if view.feed else None)
        for view in views
    ])
