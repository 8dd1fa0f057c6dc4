"""One article (``/article/<doc_id>``, the address alert messages link to): the clean text, its
names as links to filtered searches, dates in the reader's zone, the original, and the other
sources that told the same story."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse

from core.article import is_doc_id
from indexer.delivery.render import safe_href
from indexer.web.context import WebContext
from indexer.web.lookup import story_copies
from indexer.web.params import SearchParams
from indexer.web.routes.common import context
from indexer.web.views import article_date, entity_groups, moment, paragraphs, tag_links, value_label

router = APIRouter(include_in_schema=False)


@router.get("/article/{doc_id}", response_class=HTMLResponse)
def article_page(doc_id: str, request: Request, ctx: Annotated[WebContext, Depends(context)]) -> HTMLResponse:
    if not is_doc_id(doc_id):
        raise HTTPException(404, "no article with this id")
    zone = ctx.zone(request)
    with ctx.storage.session() as storage:
        article = storage.get(doc_id)
        if article is None:
            raise HTTPException(404, "no article with this id")
        copies = story_copies(storage, ctx.settings, article)
    return ctx.page(
        request, "article.html",
        article=article,
        original=safe_href(article.canonical_url),
        paragraphs=paragraphs(article.body),
        published=moment(article.published_at, zone),
        modified=moment(article.modified_at, zone) if article.modified_at != article.published_at else None,
        fetched=moment(article.fetched_at, zone),
        language=value_label("language", article.language) if article.language else None,
        entities=entity_groups(article),
        tags=tag_links(article),
        source_link=SearchParams(sources=(article.source,)).url(),
        section_link=SearchParams(sections=(article.section,)).url() if article.section else None,
        copies=[{"doc_id": copy.doc_id, "title": copy.title, "source": copy.source,
                 "url": safe_href(copy.canonical_url), "when": moment(article_date(copy), zone)}
                for copy in copies],
    )
