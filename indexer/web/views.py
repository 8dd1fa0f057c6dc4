"""What the templates show of articles, hits and facets: plain values, every scraped string left
for Jinja2 to escape, links to originals kept only when they are http(s)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

from babel import Locale

from core.article import Article
from indexer.delivery.render import local_time, others_text, safe_href
from indexer.storage.base import SearchHit, SearchResult, Segments
from indexer.web.params import SearchParams

SNIPPET_CHARS = 240
FACET_LABELS = {"source": "المصدر", "section": "القسم", "language": "اللغة", "entity": "الأسماء"}
ENTITY_LABELS = {"persons": "أشخاص", "organizations": "مؤسسات", "locations": "أماكن"}


@dataclass(frozen=True)
class Moment:
    iso: str  # for <time datetime>
    text: str  # «23 نوفمبر 2026، 10:15 (Asia/Riyadh)»


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int
    active: bool
    href: str


def moment(value: datetime | None, zone: ZoneInfo) -> Moment | None:
    return Moment(value.isoformat(), local_time(value, zone)) if value is not None else None


def article_date(article: Article) -> datetime | None:
    return article.published_at or article.fetched_at


def hit_view(hit: SearchHit, zone: ZoneInfo, params: SearchParams) -> dict[str, Any]:
    article = hit.article
    others = [source for source in hit.story_sources if source != article.source]
    return {
        "doc_id": article.doc_id,
        "title": hit.title_marks or [(article.title, False)],
        "snippet": hit.snippet or opening(article.body),
        "source": article.source,
        "source_href": params.toggled("source", article.source).url() if not params.has("source", article.source)
        else None,
        "section": article.section,
        "when": moment(article_date(article), zone),
        "url": safe_href(article.canonical_url),
        "story_size": hit.story_size,
        "others": others,
        "others_text": others_text(max(len(others), hit.story_size - 1)),
    }


def opening(body: str) -> Segments:
    text = " ".join(body.split())
    if len(text) <= SNIPPET_CHARS:
        return [(text, False)]
    return [(text[:SNIPPET_CHARS].rsplit(" ", 1)[0] + " …", False)]


def facet_views(result: SearchResult, params: SearchParams) -> list[dict[str, Any]]:
    """Each facet the backend counted, its values linking to the search with that filter toggled;
    active filters stay listed even when the page's counts no longer name them."""
    views = []
    for name, label in FACET_LABELS.items():
        counted = result.facets.get(name, [])
        values = [FacetValue(value, value_label(name, value), count, params.has(name, value),
                             params.toggled(name, value).url()) for value, count in counted]
        listed = {value for value, _ in counted}
        values += [FacetValue(value, value_label(name, value), 0, True, params.toggled(name, value).url())
                   for facet, value in params.filters() if facet == name and value not in listed]
        if values:
            views.append({"name": name, "label": label, "entries": values})
    return views


def value_label(facet: str, value: str) -> str:
    if facet == "language":
        return language_name(value)
    return value


@cache
def language_name(code: str) -> str:
    name = Locale("ar").languages.get(code.split("-")[0].lower())
    return f"{name} ({code})" if name else code


def paragraphs(body: str) -> list[str]:
    return [" ".join(block.split()) for block in body.split("\n\n") if block.strip()]


def entity_groups(article: Article) -> list[dict[str, Any]]:
    groups = []
    for kind, label in ENTITY_LABELS.items():
        names = list(dict.fromkeys(getattr(article.entities, kind)))
        if names:
            groups.append({"label": label, "names": [
                {"name": name, "href": SearchParams(entities=(name,)).url()} for name in names
            ]})
    return groups


def tag_links(article: Article) -> list[dict[str, str]]:
    """Tags link to a phrase search; a tag a phrase cannot hold (a quote) is shown unlinked."""
    return [{"name": tag, "href": SearchParams(q=f'"{tag}"').url() if '"' not in tag else ""}
            for tag in dict.fromkeys(article.tags) if tag.strip()]
