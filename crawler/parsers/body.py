"""The article body, layer by layer: the page's own DOM first, then the JSON it ships, then trafilatura.

1. ``dom``: :func:`bodyfinder.find_body` on the page's blocks (plus the lead before the body).
2. ``json``: when the DOM body is thin, the article text inside ``__NEXT_DATA__`` and similar
   scripts (:mod:`jsonbody`), or the JSON-LD ``articleBody`` — taken only when clearly richer.
3. ``trafilatura``: when all of the above are empty, or hold far less running text than the page
   shows outside its furniture, trafilatura reads a copy of the tree; its text is taken when it is
   clearly richer. How often this fires is measured by bench/extract_eval.py.
4. ``description``: a page declared as an article whose text no layer finds keeps its declared
   description, so the article (title, date, URL) is not lost; its confidence says so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import lxml.html

from crawler.parsers.blocks import PageBlocks
from crawler.parsers.bodyfinder import BodyRegion, find_body
from crawler.parsers.boilerplate import is_boilerplate_line
from crawler.parsers.fallback import trafilatura_paragraphs
from crawler.parsers.hints import ALL_HINTS, TemplateHints
from crawler.parsers.jsonbody import MIN_SCRIPT, json_body
from crawler.parsers.text import clean_line

_MARKS = re.compile(r"[.،,؛؟?!]")
_WORDLESS = re.compile(r"^[\W_]*$")  # «💡», «***», «—»
_THIN_CHARS = 1000  # a DOM body shorter than this may hide a fuller text in the page's JSON
_RICHER = 1.5  # another layer replaces the current body when it has this much more running text …
_RICHER_BY = 200  # … and at least this many characters more
_MISSING = 500  # the fallback fires when the page shows this much running text the body lacks …
_COVERED = 0.6  # … and the body holds less than this share of it
_MIN_DESCRIPTION = 40


def running_chars(lines: list[str]) -> int:
    """Characters of running text (long lines, or short sentences) in ``lines``."""
    return sum(len(line) for line in lines if len(line) >= 80 or (len(line) >= 40 and _MARKS.search(line)))


@dataclass
class BodyResult:
    paragraphs: list[str] = field(default_factory=list)
    layer: str = "dom"  # dom | json | trafilatura | description
    origin: str = ""  # a note for --explain
    region: BodyRegion = field(default_factory=BodyRegion)
    page_chars: int = 0  # running text the page shows outside furniture
    fallback_fired: bool = False

    @property
    def chars(self) -> int:
        return running_chars(self.paragraphs)


def clean_paragraphs(lines: list[str], title: str) -> list[str]:
    """Lines without the repeated headline, boilerplate phrases and duplicates."""
    kept: list[str] = []
    seen: set[str] = {clean_line(title)} if title else set()
    for line in lines:
        if line in seen or is_boilerplate_line(line) or _WORDLESS.match(line):
            continue
        seen.add(line)
        kept.append(line)
    return kept


def _richer(candidate: int, current: int) -> bool:
    return candidate > current * _RICHER and candidate >= current + _RICHER_BY


def _has_big_script(root: lxml.html.HtmlElement) -> bool:
    return any(len(script.text or "") >= MIN_SCRIPT and "ld+json" not in (script.get("type") or "")
               for script in root.iter("script"))


def extract_body(
    root: lxml.html.HtmlElement,
    page: PageBlocks,
    *,
    url: str,
    title: str,
    title_element: lxml.html.HtmlElement | None = None,
    ld_body: str | None = None,
    description: str | None = None,
    hints: TemplateHints = ALL_HINTS,
) -> BodyResult:
    region = find_body(page, title=title_element, hints=hints)
    result = BodyResult(clean_paragraphs(region.paragraphs, title), "dom", "density-scored block"
                        + (" + lead" if region.lead else "") + (" (known body class)" if region.known else ""),
                        region, sum(block.length for block in page.good()))
    if result.chars < _THIN_CHARS and _has_big_script(root):
        found = json_body(root, title)
        if found is not None and _richer(found.good_chars, result.chars):
            result.paragraphs, result.layer = clean_paragraphs(found.paragraphs, title), "json"
            result.origin = found.origin
    if ld_body and _richer(running_chars(ld_body.splitlines()), result.chars):
        lines = [clean_line(line) for line in ld_body.splitlines()]
        result.paragraphs, result.layer = clean_paragraphs([line for line in lines if line], title), "json"
        result.origin = "JSON-LD articleBody"
    missing = result.page_chars - result.chars
    if not result.paragraphs or (missing >= _MISSING and result.chars < result.page_chars * _COVERED):
        result.fallback_fired = True
        other = clean_paragraphs(trafilatura_paragraphs(root, url), title)
        if other and (not result.paragraphs or _richer(running_chars(other), result.chars)):
            result.origin = f"trafilatura (own finder: {result.chars} of ≈{result.page_chars} characters)"
            result.paragraphs, result.layer = other, "trafilatura"
    if not result.paragraphs and description and len(description) >= _MIN_DESCRIPTION:
        result.paragraphs, result.layer = [clean_line(description)], "description"
        result.origin = "declared description"
    return result
