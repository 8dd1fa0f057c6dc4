"""What `marsad search` prints: a readable table, or JSON.

Scraped text is hostile: every piece of it goes through :func:`core.terminal.printable` (control
characters shown as visible escapes), and the JSON has every control character escaped
(``json.dumps`` leaves DEL and the C1 controls raw when ``ensure_ascii`` is off).
"""

from __future__ import annotations

import json
import re
from datetime import tzinfo
from typing import Any

from core.article import Article
from core.terminal import printable
from indexer.storage.base import SearchHit, SearchRequest, SearchResult, Segments

_RAW_CONTROLS = re.compile("[\x7f-\x9f]")
HISTOGRAM_BAR = 40  # characters of the longest bar


def to_json(request: SearchRequest, result: SearchResult) -> str:
    data: dict[str, Any] = {
        "query": request.query,
        "total": result.total,
        "total_exact": result.total_exact,
        "offset": request.offset,
        "limit": request.limit,
        "sort": request.sort,
        "hits": [hit_json(hit, request.collapse) for hit in result.hits],
    }
    if request.collapse:
        data["stories"] = result.stories
    if request.facets:
        data["facets"] = {name: [{"value": value, "count": count} for value, count in values]
                          for name, values in result.facets.items()}
    if request.histogram:
        data["histogram"] = {"timezone": request.timezone,
                             "days": [{"day": day.isoformat(), "count": count} for day, count in result.histogram]}
    text = json.dumps(data, ensure_ascii=False, indent=2)
    return _RAW_CONTROLS.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


def hit_json(hit: SearchHit, collapse: bool) -> dict[str, Any]:
    data: dict[str, Any] = {
        "article": hit.article.to_dict(),
        "score": hit.score,
        "title_marks": [{"text": text, "match": match} for text, match in hit.title_marks],
        "snippet": [{"text": text, "match": match} for text, match in hit.snippet],
    }
    if collapse:
        data["story_size"] = hit.story_size
        data["story_sources"] = hit.story_sources
    return data


def to_table(request: SearchRequest, result: SearchResult, zone: tzinfo) -> list[str]:
    lines = [summary(request, result)]
    width = max((len(printable(hit.article.source)) for hit in result.hits), default=0)
    for number, hit in enumerate(result.hits, start=request.offset + 1):
        article = hit.article
        title = printable(marks(hit.title_marks) or article.title)
        if request.collapse and hit.story_sources:
            title += f"  (+{len(hit.story_sources)} مصادر أخرى: {printable('، '.join(hit.story_sources))})"
        lines.append("")
        lines.append(f"{number:>3}. {when(article, zone)}  {printable(article.source):<{width}}  {title}")
        if hit.snippet:
            lines.append(f"     {printable(marks(hit.snippet))}")
        lines.append(f"     {printable(article.canonical_url)}")
    if request.facets:
        lines += ["", "facets:"]
        for name, values in result.facets.items():
            shown = " · ".join(f"{printable(value)} {count}" for value, count in values) or "—"
            lines.append(f"  {name}: {shown}")
    if request.histogram:
        lines += ["", f"per day ({request.timezone}):"]
        most = max((count for _, count in result.histogram), default=0)
        for day, count in result.histogram:
            bar = "#" * (round(HISTOGRAM_BAR * count / most) if most else 0)
            lines.append(f"  {day.isoformat()}  {count:>6}  {bar}")
    return lines


def summary(request: SearchRequest, result: SearchResult) -> str:
    query = f"«{printable(request.query)}»" if request.query.strip() else "every article"
    total = f"{result.total}" if result.total_exact else f"at most {result.total}"
    stories = f" in {result.stories} stories" if request.collapse and result.stories is not None else ""
    shown = (f"; showing {request.offset + 1}–{request.offset + len(result.hits)}" if result.hits
             else "; nothing on this page" if result.total else "")
    return f"{query}: {total} article(s){stories}{shown}, by {request.sort}"


def marks(segments: Segments) -> str:
    """The segments as one line, the matched words in «guillemets»."""
    return "".join(f"«{text}»" if match else text for text, match in segments).replace("\n", " ")


def when(article: Article, zone: tzinfo) -> str:
    moment = article.published_at or article.fetched_at
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M") if moment else "undated".ljust(16)
