"""``<meta>``, ``<link>`` and microdata: the page's declared metadata, gathered in one pass."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import lxml.html

from crawler.parsers.text import decode_entities

_CONTENT_ATTRS = ("content", "datetime", "href", "src")


@dataclass
class MetaTags:
    """Declared values by lower-case key (``og:title``, ``article:published_time``, ``author`` …).

    Microdata ``itemprop`` values are stored under ``itemprop:<name>``; links by ``link:<rel>``.
    Character references a site escaped twice (``&amp;quot;``) are decoded on the way in.
    """

    values: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))

    def first(self, *keys: str) -> tuple[str, str] | None:
        """``(key, value)`` for the first key that has a non-empty value."""
        for key in keys:
            for value in self.values.get(key, ()):
                if value.strip():
                    return key, value.strip()
        return None

    def all(self, *keys: str) -> list[str]:
        return [value.strip() for key in keys for value in self.values.get(key, ()) if value.strip()]


def _itemprop_value(element: lxml.html.HtmlElement) -> str:
    for attr in _CONTENT_ATTRS:
        value = element.get(attr)
        if value:
            return str(value)
    return str(element.text_content())


def collect_meta(root: lxml.html.HtmlElement) -> MetaTags:
    tags = MetaTags()
    for element in root.iter("meta", "link"):
        if element.tag == "meta":
            content = element.get("content")
            if content is None:
                continue
            for attr in ("property", "name", "itemprop", "http-equiv"):
                key = element.get(attr)
                if key:
                    tags.values[key.strip().lower()].append(decode_entities(content))
        else:
            href = element.get("href")
            for rel in (element.get("rel") or "").lower().split():
                if href:
                    tags.values[f"link:{rel}"].append(decode_entities(href))
    for element in root.xpath("//*[@itemprop][not(self::meta)]"):
        for name in (element.get("itemprop") or "").split():
            tags.values[f"itemprop:{name.lower()}"].append(decode_entities(_itemprop_value(element)))
    return tags
