"""Article text that lives only in a page's JSON: ``__NEXT_DATA__``, Arc's ``Fusion.globalContent``,
``window.__INITIAL_STATE__`` … behind a server-rendered shell that shows little or nothing.

No schema is assumed. Every string in the JSON is read (HTML strings are split into their
paragraphs); strings are grouped by the list they belong to (``article.blocks[*]``), and the group
with the most running text wins, preferring groups next to the page's headline when the JSON
holds it. That finds ``body: "<p>…</p>"``, ``blocks: [{type, html}]`` and
``content_elements: [{type, content}]`` alike.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import lxml.etree
import lxml.html

from crawler.parsers.text import clean_line

logger = logging.getLogger(__name__)

MIN_SCRIPT = 400  # a script shorter than this cannot hold an article
_STATE_ASSIGNMENT = re.compile(
    r"(?:window\.|Fusion\.)(?:__NEXT_DATA__|__NUXT_DATA__|__INITIAL_STATE__|__PRELOADED_STATE__|"
    r"__APOLLO_STATE__|__INITIAL_DATA__|__DATA__|globalContent)\s*=\s*(?=[{\[])"
)
_HTML = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(?:\s[^<>]*)?/?>")
_MARKS = re.compile(r"[.،,؛؟?!]")
_MAX_NODES = 20000
_GOOD = 60


@dataclass
class JsonBody:
    paragraphs: list[str]
    good_chars: int
    origin: str  # which script held it («__NEXT_DATA__», «Fusion.globalContent» …)


def _documents(root: lxml.html.HtmlElement) -> Iterator[tuple[str, Any]]:
    """(origin, parsed JSON) for each JSON script and each known state assignment in an inline script."""
    for script in root.iter("script"):
        kind = (script.get("type") or "").lower()
        text = script.text or ""
        if len(text) < MIN_SCRIPT or "ld+json" in kind:
            continue
        origin = script.get("id") or kind or "script"
        try:
            if "json" in kind:
                yield origin, json.loads(text)
                continue
            for match in _STATE_ASSIGNMENT.finditer(text):
                value, _end = json.JSONDecoder().raw_decode(text, match.end())
                yield match.group(0).split("=")[0].strip(), value
        except (ValueError, RecursionError) as error:
            logger.debug("unreadable JSON in <script %s>: %s", origin, error)


def _texts(value: str) -> list[str]:
    """The paragraphs of one JSON string: split when it is HTML, whole otherwise."""
    if _HTML.search(value):
        try:
            fragment = lxml.html.fragment_fromstring(value, create_parent="div")
        except (lxml.etree.ParserError, ValueError):
            return []
        lines: list[str] = []
        for element in fragment.iter("p", "h2", "h3", "h4", "li", "blockquote"):
            if element.getparent() is fragment or element.tag == "p":
                line = clean_line(element.text_content())
                if line:
                    lines.append(line)
        if not lines:
            lines = [clean_line(fragment.text_content())]
        return [line for line in lines if line]
    line = clean_line(value)
    if " " not in line or line.startswith(("http://", "https://", "/")) or len(line) < 2:
        return []  # ids, slugs, URLs, type names
    return [line]


def _groups(data: Any) -> dict[str, list[str]]:
    """Texts by the list (or object) path they sit under, in JSON order."""
    groups: dict[str, list[str]] = {}
    stack: list[tuple[Any, str, str]] = [(data, "", "")]
    seen = 0
    while stack and seen < _MAX_NODES:
        value, path, group = stack.pop()
        seen += 1
        if isinstance(value, dict):
            for key in reversed(list(value)):
                stack.append((value[key], f"{path}.{key}", group or f"{path}.{key}"))
        elif isinstance(value, list):
            for item in reversed(value):
                stack.append((item, f"{path}[*]", f"{path}[*]"))
        elif isinstance(value, str) and len(value) > 1:
            texts = _texts(value)
            if texts:
                key = group if "[*]" in group else path
                groups.setdefault(key, []).extend(texts)
    return groups


def _good(lines: list[str]) -> int:
    return sum(len(line) for line in lines if len(line) >= _GOOD and _MARKS.search(line))


def json_body(root: lxml.html.HtmlElement, title: str = "") -> JsonBody | None:
    """The richest run of article text in the page's JSON, or ``None``."""
    best: tuple[int, JsonBody] | None = None
    wanted = clean_line(title)
    for origin, data in _documents(root):
        groups = _groups(data)
        prefixes = [key.rsplit(".", 1)[0] + "." for key, lines in groups.items() if wanted and wanted in lines]
        for key, lines in groups.items():
            good = _good(lines)
            score = good * (2 if any(key.startswith(prefix) for prefix in prefixes) else 1)
            if good and (best is None or score > best[0]):
                best = (score, JsonBody([line for line in lines if line != wanted], good, origin))
    return best[1] if best else None
