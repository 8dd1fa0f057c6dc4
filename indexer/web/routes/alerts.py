"""The alerts page (``/alerts``): the rules, their recent alerts and last-30-days counts."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from indexer.delivery.render import safe_href
from indexer.web.context import WebContext
from indexer.web.overview import PERIOD_DAYS, overview
from indexer.web.params import SearchParams
from indexer.web.routes.common import context
from indexer.web.views import moment

router = APIRouter(include_in_schema=False)


@router.get("/alerts", response_class=HTMLResponse)
def alerts_page(request: Request, ctx: Annotated[WebContext, Depends(context)]) -> HTMLResponse:
    zone = ctx.zone(request)
    rules = ctx.rules()
    with ctx.storage.session() as storage:
        views = overview(rules.rules, storage, ctx.settings, ctx.settings.feeds_dir, zone,
                         ctx.clock())
    return ctx.page(
        request, "alerts.html",
        config_error=ctx.scrub(rules.error) if rules.error else None,
        period=PERIOD_DAYS,
        rules=[{
            "name": view.rule.name,
            "query": view.rule.query_text,
            "search": SearchParams(q=view.rule.query_text, sources=tuple(sorted(view.rule.sources))).url(),
            "filters": view.filters,
            "channels": view.channels,
            "articles": view.articles_30d,
            "stories": view.stories_30d,
            "feed": f"/feeds/{view.rule.name}.atom" if view.feed else None,
            "recent": [{"doc_id": alert.doc_id, "title": alert.title, "source": alert.source,
                        "url": safe_href(alert.url), "when": moment(alert.matched_at, zone),
                        "others": [s for s in alert.sources if s != alert.source]} for alert in view.recent],
        } for view in views],
    )
