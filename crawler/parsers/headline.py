"""The headline and what sits near it: the chosen ``<h1>``, visible dates and bylines around it."""

from __future__ import annotations

import re
from collections.abc import Iterator

import lxml.etree
import lxml.html

from crawler.parsers.blocks import PageBlocks
from crawler.parsers.boilerplate import is_chrome
from crawler.parsers.text import clean_line

_SEPARATORS = re.compile(r"\s+(?:\||-|–|—|::|«|»|/)\s+")
_DATE_HINT = re.compile(r"date|time|publish|created|posted|updated|meta|datetime|writeby|info", re.I)
_INVISIBLE_MARKS = re.compile("[\u200b\u200e\u200f\ufeff]")
_BYLINE_HINT = re.compile(r"author|byline|writer|writeby|reporter|kateb|editor", re.I)
BYLINE_LINE = re.compile(
    r"^(?:كتب(?:ت|ه|ها)?|بقلم|حوار|إعداد|اعداد|متابعة|ترجمة)\s*[:：\-–]?\s*\S+(?:\s+\S+){0,4}$"
)
_PERSON = re.compile(r"\bperson\b", re.I)  # RDFa «typeof="schema:Person"» (Drupal's node author)
_AFTER_WINDOW = 400
_BEFORE_WINDOW = 80


def _norm(text: str) -> str:
    return clean_line(text).strip(" .:-|").lower()


def in_chrome(element: lxml.html.HtmlElement) -> bool:
    """Inside the page's header, menus, sidebars or hard furniture (not inside a builder's widget).
    A ``<header>`` outside any ``<article>``/``<main>`` is the site's header, whatever its class."""
    lineage = [element, *element.iterancestors()]
    if any(is_chrome(item) for item in lineage):
        return True
    tags = [item.tag for item in lineage]
    return "header" in tags and "article" not in tags and "main" not in tags


def headings(root: lxml.html.HtmlElement) -> list[lxml.html.HtmlElement]:
    """Visible ``<h1>`` elements in page order, furniture excluded."""
    found = []
    for element in root.iter("h1"):
        if not clean_line(element.text_content()):
            continue
        if in_chrome(element):
            continue
        found.append(element)
    return found


def strip_site_name(title: str, site_names: list[str]) -> str:
    """``"Headline - Site"`` → ``"Headline"`` when the dropped part names the site."""
    parts = _SEPARATORS.split(title)
    if len(parts) < 2:
        return title
    names = [_norm(name) for name in site_names if name]
    for index in (len(parts) - 1, 0):
        part = _norm(parts[index])
        if part and any(part == name or part in name or name in part for name in names):
            kept = parts[:index] if index else parts[1:]
            return clean_line(" - ".join(kept)) if len(kept) > 1 else clean_line(kept[0])
    if len(parts) >= 3:  # "Site - Section - Kind - Headline": the headline is the longest part
        return clean_line(max(parts, key=len))
    return title


def match_heading(
    candidates: list[lxml.html.HtmlElement], declared: list[str]
) -> lxml.html.HtmlElement | None:
    """The ``<h1>`` whose text equals or is contained in a declared title, else ``None``."""
    declared_norm = [_norm(text) for text in declared if text]
    for element in candidates:
        text = _norm(element.text_content())
        if any(text == value for value in declared_norm):
            return element
    for element in candidates:
        text = _norm(element.text_content())
        if len(text) > 10 and any(text in value for value in declared_norm):
            return element
    return None


def title_parts(*titles: str) -> list[str]:
    """Each declared title and each of its separator-delimited parts, longest first."""
    parts = {clean_line(piece) for title in titles if title for piece in (title, *_SEPARATORS.split(title))}
    return sorted((part for part in parts if len(part) >= 8), key=len, reverse=True)


def _compact(text: str) -> str:
    return _INVISIBLE_MARKS.sub("", "".join(text.split()))


def find_visible_title(
    root: lxml.html.HtmlElement, candidates: list[str]
) -> tuple[lxml.html.HtmlElement, str] | None:
    """The element whose whole text is one of ``candidates`` (ignoring spacing), and that text.

    Finds headlines in ``<td class=title>``/``<font>``/``<p>`` layouts without an ``<h1>``, also when
    a ``<br>`` splits them; the longest candidate wins.
    """
    wanted = {_compact(candidate): candidate for candidate in candidates}
    best: tuple[int, lxml.html.HtmlElement, str] | None = None
    body = root.find("body")
    for element in (body if body is not None else root).iter():
        own = _compact(element.text or "")
        if len(own) < 8 or not isinstance(element.tag, str) or element.tag in ("script", "style", "title"):
            continue
        for compact in wanted:
            longer = best is None or len(compact) > best[0]
            if longer and compact.startswith(own) and _compact(element.text_content()) == compact:
                if in_chrome(element):
                    continue  # the site's name in its header repeats a <title> that is only the site name
                best = (len(compact), element, clean_line(" ".join(element.itertext())))
    return (best[1], best[2]) if best else None


def _hinted(element: lxml.html.HtmlElement, hint: re.Pattern[str]) -> bool:
    if element.tag == "time":
        return hint is _DATE_HINT
    attrs = " ".join(filter(None, (element.get("class"), element.get("id"), element.get("itemprop"))))
    return bool(attrs and hint.search(attrs))


def page_elements(root: lxml.html.HtmlElement) -> list[lxml.html.HtmlElement]:
    """The page's elements in document order (a parser lists them once; dates and bylines share it)."""
    return list(root.iter(lxml.etree.Element))


def _near(
    elements: list[lxml.html.HtmlElement], anchor: lxml.html.HtmlElement | None
) -> Iterator[lxml.html.HtmlElement]:
    """Elements after the anchor (closest first), then those before it (closest first)."""
    if anchor is None:
        yield from elements
        return
    try:
        position = elements.index(anchor)
    except ValueError:
        position = 0
    yield from elements[position + 1 : position + 1 + _AFTER_WINDOW]
    yield from reversed(elements[max(0, position - _BEFORE_WINDOW) : position])


def visible_date_texts(
    elements: list[lxml.html.HtmlElement], anchor: lxml.html.HtmlElement | None
) -> Iterator[str]:
    """Texts of date-looking elements near the headline, closest first (``datetime`` attrs too)."""
    for element in _near(elements, anchor):
        if not _hinted(element, _DATE_HINT):
            continue
        attribute = element.get("datetime") or element.get("content")
        if attribute:
            yield attribute
        text = clean_line(element.text_content())
        if 6 <= len(text) <= 120:
            yield text


def byline_texts(elements: list[lxml.html.HtmlElement], anchor: lxml.html.HtmlElement | None) -> Iterator[str]:
    """Byline-looking texts near the headline: by class/rel, or by a «بقلم:»/«كتب» prefix."""
    for element in _near(elements, anchor):
        person = _PERSON.search(element.get("typeof") or "")
        if _hinted(element, _BYLINE_HINT) or element.get("rel") == "author" or person:
            text = clean_line(element.text_content())
            if 2 <= len(text) <= 80:
                yield text
        elif element.text and BYLINE_LINE.match(clean_line(element.text)):
            yield clean_line(element.text)


_TITLE_NAME = re.compile(r"title|headline|heading|subject|onwan|3nwan", re.I)
_TITLE_WINDOW = 8


def _named_title(holder: lxml.html.HtmlElement, text: str) -> bool:
    """Whether the holder, or an element inside it that carries exactly ``text``, is named like a title."""
    for element in holder.iter():
        if not isinstance(element.tag, str):
            continue
        names = f"{element.get('class') or ''} {element.get('id') or ''}"
        if _TITLE_NAME.search(names) and clean_line(element.text_content()) == text:
            return True
    return False


def title_before(page: PageBlocks, body: list[str]) -> tuple[lxml.html.HtmlElement, str] | None:
    """A headline-sized line named like a title (``span#lblTitle``, ``td.NewsTitle``) shortly before
    the body: the title of pages that have no ``<h1>`` and declare none."""
    if not body:
        return None
    first = next((block.index for block in page.blocks if block.text == body[0]), None)
    if first is None:
        return None
    for block in reversed(page.blocks[max(0, first - _TITLE_WINDOW):first]):
        if block.in_furniture or block.link_share > 0.5 or not 10 <= block.length <= 200:
            continue
        if block.holder.tag in ("h2", "h3") or _named_title(block.holder, block.text):
            return block.holder, block.text
    return None


_HEADLINE_WORDS = 5  # a section name («أخبار الاتصالات») is shorter than a headline
_HEADLINE_GAP = 8  # blocks (byline, date, caption) allowed between the headline and the body


def headline_before_body(page: PageBlocks, anchor: lxml.html.HtmlElement | None, body: list[str]) -> bool:
    """Whether a headline-sized title element (five words or more) sits shortly before the body's first line."""
    if anchor is None or not body or len(clean_line(anchor.text_content()).split()) < _HEADLINE_WORDS:
        return False
    title = next((block.index for block in page.blocks if block.holder is anchor), None)
    first = next((block.index for block in page.blocks if block.text == body[0]), None)
    return title is not None and first is not None and 0 < first - title <= _HEADLINE_GAP
