"""Main-content detection and body text: find the article container, then write its paragraphs.

The tree is never modified: furniture subtrees (see :mod:`boilerplate`) are skipped while walking.
Scoring is readability-style: every text block scores its parent fully and its grandparent by
half; Arabic and Latin commas, text length and link density decide. Known article containers
(``itemprop=articleBody``, ``entry-content`` …) win when they hold enough text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import lxml.etree
import lxml.html

from crawler.parsers.boilerplate import is_boilerplate_line, is_furniture
from crawler.parsers.text import clean_line

BLOCK_TAGS = frozenset(
    {
        "p", "div", "section", "article", "main", "blockquote", "pre", "ul", "ol", "li", "table",
        "tr", "td", "th", "tbody", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6",
        "header", "center", "address", "hr", "br",
    }
)
_CANDIDATE_TAGS = frozenset({"div", "section", "article", "main", "td", "p", "body", "span", "font"})
_KNOWN_BODY_CLASSES = frozenset(
    {"entry-content", "article-body", "article-content", "post-content", "story-body"}
)
# The attributes that may mark an article body; the class test is refined in Python (one cheap
# pass in libxml2 instead of a normalize-space() per element and class name).
_KNOWN_BODY_ATTRIBUTES = lxml.etree.XPath(
    "//@itemprop[. = 'articleBody'] | //@class["
    + " or ".join(f"contains(., '{name}')" for name in sorted(_KNOWN_BODY_CLASSES))
    + "]"
)
_XML_SPACE = re.compile(r"[ \t\r\n]+")  # what XPath's normalize-space() splits on
_CONTAINER_TAGS = frozenset({"div", "section", "article", "main", "td", "body"})
_MIN_BLOCK = 25
_LINK_LINE = 0.8  # a paragraph that is (almost) all link text is a teaser, not article text
_KNOWN_BODY_MIN = 150
_COMMAS = re.compile(r"[,،؛.]")


def content_walk(root: lxml.html.HtmlElement) -> Iterator[tuple[str, lxml.html.HtmlElement]]:
    """``("start"|"end", element)`` events in document order, furniture subtrees skipped."""
    walker = lxml.etree.iterwalk(root, events=("start", "end"))
    for event, element in walker:
        if event == "start" and element is not root and is_furniture(element):
            walker.skip_subtree()
            yield "skip", element
            continue
        yield event, element


def _own_text(element: lxml.html.HtmlElement) -> tuple[int, int]:
    """Length of the text an element holds itself (its text, inline children, tails) and of links."""
    total = len((element.text or "").strip())
    links = 0
    for child in element:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag and tag not in BLOCK_TAGS and not is_furniture(child):
            inner = len(child.text_content().strip())
            total += inner
            if tag == "a":
                links += inner
        total += len((child.tail or "").strip())
    return total, links


def _known_bodies(root: lxml.html.HtmlElement) -> list[lxml.html.HtmlElement]:
    """Containers portals mark as the article body (``itemprop=articleBody``, known classes), in page order."""
    found: list[lxml.html.HtmlElement] = []
    for value in _KNOWN_BODY_ATTRIBUTES(root):
        if value.attrname == "class" and _KNOWN_BODY_CLASSES.isdisjoint(_XML_SPACE.split(value)):
            continue  # «article-body-wide»: contains a name without being that class
        element = value.getparent()
        if element not in found:
            found.append(element)
    return found


def find_container(root: lxml.html.HtmlElement) -> lxml.html.HtmlElement:
    """The element that holds the article text (falls back to ``<body>``)."""
    for element in _known_bodies(root):
        if len(element.text_content().strip()) >= _KNOWN_BODY_MIN and not is_furniture(element):
            return element
    scores: dict[lxml.html.HtmlElement, float] = {}
    for event, element in content_walk(root):
        if event != "start" or not isinstance(element.tag, str):
            continue
        length, link_length = _own_text(element)
        if length < _MIN_BLOCK:
            continue
        text = element.text or ""
        score = 1.0 + min(length / 100.0, 3.0) + len(_COMMAS.findall(text))
        share = 1.0 - (link_length / length)
        holder = element if element.tag in _CONTAINER_TAGS else element.getparent()
        for target, weight in ((holder, 1.0), (_parent(holder), 0.5)):
            if target is not None and target.tag in _CANDIDATE_TAGS:
                scores[target] = scores.get(target, 0.0) + score * weight * share
    if not scores:
        body = root.find("body")
        return body if body is not None else root
    return max(scores, key=lambda element: scores[element])


def _parent(element: lxml.html.HtmlElement | None) -> lxml.html.HtmlElement | None:
    return element.getparent() if element is not None else None


def paragraphs(container: lxml.html.HtmlElement) -> list[tuple[str, float]]:
    """The container's text as ``(paragraph, link share)``: blocks and ``<br>`` break lines."""
    result: list[tuple[str, float]] = []
    buffer: list[str] = []
    linked: list[str] = []
    in_link = 0

    def add(text: str | None) -> None:
        if text:
            buffer.append(text)
            if in_link:
                linked.append(text)

    def flush() -> None:
        line = clean_line("".join(buffer))
        link_length = len(clean_line("".join(linked)))
        buffer.clear()
        linked.clear()
        if line:
            result.append((line, min(1.0, link_length / len(line))))

    for event, element in content_walk(container):
        tag = element.tag if isinstance(element.tag, str) else ""
        if event == "skip":
            if tag in BLOCK_TAGS or tag in ("figure", "aside", "nav", "form", "footer"):
                flush()
            if element is not container:
                add(element.tail)
            continue
        if event == "start":
            if tag in BLOCK_TAGS:
                flush()
            in_link += tag == "a"
            add(element.text)
        else:
            in_link -= tag == "a"
            if tag in BLOCK_TAGS:
                flush()
            if element is not container:
                add(element.tail)
    flush()
    return result


def body_paragraphs(root: lxml.html.HtmlElement, title: str = "") -> list[str]:
    """Article paragraphs with furniture lines, the repeated headline and duplicates removed."""
    container = find_container(root)
    kept: list[str] = []
    seen: set[str] = set()
    for line, link_share in paragraphs(container):
        if line in seen or line == title or is_boilerplate_line(line) or link_share > _LINK_LINE:
            continue
        seen.add(line)
        kept.append(line)
    return kept
