"""JSON-LD: find the article object among the page's ``ld+json`` blocks, tolerating broken JSON."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from typing import Any

import lxml.html

from crawler.parsers.text import decode_entities

logger = logging.getLogger(__name__)

ARTICLE_TYPES = (
    "newsarticle",
    "reportagenewsarticle",
    "analysisnewsarticle",
    "backgroundnewsarticle",
    "opinionnewsarticle",
    "reviewnewsarticle",
    "article",
    "blogposting",
    "report",
)
_TRAILING_COMMA = re.compile(r",\s*([}\]])")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_MAX_NODES = 5000


def _loads(raw: str) -> Any:
    text = raw.strip().removeprefix("<![CDATA[").removesuffix("]]>").strip().rstrip(";")
    try:
        return json.loads(text, strict=False)
    except json.JSONDecodeError:
        repaired = _TRAILING_COMMA.sub(r"\1", _CONTROL.sub(" ", text))
        return json.loads(repaired, strict=False)


def _walk(data: Any) -> Iterator[dict[str, Any]]:
    """Every JSON object in ``data`` that has an ``@type`` (flattening lists and ``@graph``)."""
    stack = [data]
    seen = 0
    while stack and seen < _MAX_NODES:
        item = stack.pop()
        seen += 1
        if isinstance(item, list):
            stack.extend(reversed(item))
        elif isinstance(item, dict):
            if "@type" in item:
                yield item
            graph = item.get("@graph")
            if graph is not None:
                stack.append(graph)
            main = item.get("mainEntity")
            if isinstance(main, dict | list):
                stack.append(main)


def _types(obj: dict[str, Any]) -> list[str]:
    raw = obj.get("@type")
    values = raw if isinstance(raw, list) else [raw]
    return [str(value).lower().rsplit("/", 1)[-1] for value in values if value]


def json_ld_objects(root: lxml.html.HtmlElement, url: str = "") -> list[dict[str, Any]]:
    """All typed JSON-LD objects, in page order; broken blocks are logged and skipped."""
    objects: list[dict[str, Any]] = []
    for script in root.iter("script"):
        if "ld+json" not in (script.get("type") or "").lower():
            continue
        raw = script.text_content()
        if not raw or not raw.strip():
            continue
        try:
            data = _loads(raw)
        except (json.JSONDecodeError, RecursionError) as error:
            logger.warning("%s: broken JSON-LD block skipped (%s)", url or "page", error)
            continue
        objects.extend(_walk(data))
    return objects


def article_object(objects: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The most specific article-typed object (NewsArticle beats Article beats BlogPosting)."""
    best: tuple[int, dict[str, Any]] | None = None
    for obj in objects:
        for kind in _types(obj):
            if kind in ARTICLE_TYPES:
                rank = ARTICLE_TYPES.index(kind)
                if best is None or rank < best[0]:
                    best = (rank, obj)
    return best[1] if best else None


def text_value(value: Any, depth: int = 0) -> str | None:
    """A plain string from a JSON-LD value that may be a string, a list, or a ``{name: …}`` object.

    HTML character references inside the JSON string (``&quot;``, ``&amp;quot;``) are decoded.
    """
    if depth > 8:
        return None
    if isinstance(value, str):
        return decode_entities(value).strip() or None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, list):
        for item in value:
            found = text_value(item, depth + 1)
            if found:
                return found
        return None
    if isinstance(value, dict):
        for key in ("name", "@value", "url", "@id"):
            found = text_value(value.get(key), depth + 1)
            if found:
                return found
    return None


def text_values(value: Any, depth: int = 0) -> list[str]:
    """Every string in a JSON-LD value that may be a list, a comma-separated string or objects."""
    if isinstance(value, str):
        return [part.strip() for part in re.split(r"[,،]", decode_entities(value)) if part.strip()]
    if isinstance(value, list) and depth < 8:
        return [text for item in value for text in text_values(item, depth + 1)]
    single = text_value(value)
    return [single] if single else []
