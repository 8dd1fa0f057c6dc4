"""The search page (``/``): the query box, filters and facets, the per-day chart and the results,
one per story with its matched words marked; and the query syntax help (``/help``)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from indexer.web.chart import day_chart
from indexer.web.context import WebContext
from indexer.web.params import SearchParams
from indexer.web.routes.common import context, search_params
from indexer.web.views import FACET_LABELS, facet_views, hit_view, value_label

PER_PAGE = 20
router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
def search_page(request: Request, ctx: Annotated[WebContext, Depends(context)],
                params: Annotated[SearchParams, Depends(search_params)]) -> HTMLResponse:
    zone = ctx.zone(request)
    with ctx.storage.session() as storage:
        result = storage.search(params.request(zone, PER_PAGE))

    def day_link(day: date) -> str:
        return params.changed(since=day, until=day).url()

    pages = max(1, -(-(result.stories if params.collapse and result.stories is not None else result.total)
                     // PER_PAGE))
    return ctx.page(
        request, "search.html",
        params=params,
        result=result,
        hits=[hit_view(hit, zone, params) for hit in result.hits],
        facets=facet_views(result, params),
        active=[{"label": FACET_LABELS[name], "value": value_label(name, value),
                 "href": params.toggled(name, value).url()} for name, value in params.filters()],
        chart=day_chart(result.histogram, day_link),
        page=params.page,
        first=(params.page - 1) * PER_PAGE + 1,
        pages=pages,
        previous=params.changed(page=params.page - 1).url() if params.page > 1 else None,
        next=params.changed(page=params.page + 1).url() if params.page < pages else None,
        sort_links={key: params.changed(sort=key).url() for key in ("relevance", "date")},
        copies_link=params.changed(collapse=not params.collapse).url(),
        clear_dates=params.changed(since=None, until=None).url() if params.since or params.until else None,
    )


@router.get("/help", response_class=HTMLResponse)
def help_page(request: Request, ctx: Annotated[WebContext, Depends(context)]) -> HTMLResponse:
    return ctx.page(request, "help.html")
