"""The generic article parser: JSON-LD → OpenGraph/meta/microdata → visible-text heuristics.

One typed method per :class:`~core.article.Article` field, named like the field. Which layer
supplied each value is recorded in :attr:`GenericParser.provenance` (the debug field).
Per-portal parsers subclass this and override single methods. Before any field is read,
:meth:`GenericParser.page_type` decides whether the page is an article at all; the dates live in
:mod:`dated`, the body layers in :mod:`body`, the confidence in :mod:`confidence`.
"""

from __future__ import annotations

import logging
import re
from datetime import datetime
from functools import cached_property
from typing import Any, ClassVar
from urllib.parse import urljoin, urlsplit

import lxml.html

from core.article import Article, Entities
from crawler.parsers.blocks import PageBlocks, page_blocks
from crawler.parsers.body import BodyResult, extract_body
from crawler.parsers.confidence import Signals, assess
from crawler.parsers.dated import DateFields
from crawler.parsers.datesource import mentioned_dates, zone
from crawler.parsers.document import Document, load_document
from crawler.parsers.entities import EntityExtractor, default_extractor
from crawler.parsers.fingerprint import simhash
from crawler.parsers.headline import (
    BYLINE_LINE,
    byline_texts,
    find_visible_title,
    headings,
    headline_before_body,
    match_heading,
    page_elements,
    strip_site_name,
    title_before,
    title_parts,
)
from crawler.parsers.hints import ALL_HINTS, TemplateHints
from crawler.parsers.jsonld import article_object, json_ld_objects, text_value, text_values
from crawler.parsers.language import detect_language
from crawler.parsers.meta import MetaTags, collect_meta
from crawler.parsers.page import ExtractionError, NotAnArticle, PageInput, SourceInfo
from crawler.parsers.pagetype import PageFacts, PageVerdict, classify
from crawler.parsers.text import clean_line, strip_controls
from crawler.parsers.visible import breadcrumb_section, lead_image, tag_links
from crawler.urls import canonicalize_url

logger = logging.getLogger(__name__)

_BYLINE_PREFIX = re.compile(
    r"^(?:كتب(?:ت|ه|ها)?|بقلم|حوار|إعداد|اعداد|تقرير|متابعة|ترجمة|by|par)\s*[:：\-–]?\s*", re.I
)
_TITLE_SEPARATOR = re.compile(r"\s[-|–—]\s")


class GenericParser(DateFields):
    """Extracts an :class:`Article` from any news page."""

    VERSION: ClassVar[str] = "generic-1"

    def __init__(
        self,
        page: PageInput,
        source: SourceInfo,
        document: Document | None = None,
        extractor: EntityExtractor | None = None,
        hints: TemplateHints = ALL_HINTS,
    ) -> None:
        """``extractor`` plugs in other entity taggers (default: the shared rule-based one);
        ``hints`` are the template names the body finder may use as a bonus (all by default)."""
        self.page = page
        self.entity_extractor = extractor
        self.source = source
        self.hints = hints
        self.document = document or load_document(page)
        self.root: lxml.html.HtmlElement = self.document.root
        self.meta: MetaTags = collect_meta(self.root)
        objects = json_ld_objects(self.root, page.url)
        self.ld_types = frozenset(str(kind).lower().rsplit("/", 1)[-1] for obj in objects
                                  for kind in (obj["@type"] if isinstance(obj["@type"], list) else [obj["@type"]]))
        self.ld: dict[str, Any] = article_object(objects) or {}
        self.tz = zone(source.timezone)
        self.provenance: dict[str, str] = {"parser": self.VERSION, "encoding": self.document.encoding}

    @classmethod
    def applies_to(cls, document: Document) -> bool:
        """Whether this parser (version) understands the page's layout; the generic one always does."""
        return True

    # -- helpers -------------------------------------------------------------------------

    def _won(self, field: str, origin: str) -> None:
        self.provenance[field] = origin

    def _ld(self, key: str) -> str | None:
        return text_value(self.ld.get(key))

    @cached_property
    def _heading(self) -> lxml.html.HtmlElement | None:
        candidates = headings(self.root)
        declared = [self._ld("headline") or "", *self.meta.all("og:title", "twitter:title"), self._html_title]
        matched = match_heading(candidates, declared)
        if matched is not None:
            return matched
        return candidates[0] if candidates else None

    @cached_property
    def _visible_title(self) -> tuple[lxml.html.HtmlElement, str] | None:
        declared = [*self.meta.all("og:title", "twitter:title", "itemprop:headline"), self._html_title]
        return find_visible_title(self.root, title_parts(*declared))

    @cached_property
    def _anchor(self) -> lxml.html.HtmlElement | None:
        """Where the headline sits on the page: dates and bylines are searched around it."""
        if self._heading is not None:
            return self._heading
        return self._visible_title[0] if self._visible_title is not None else None

    @cached_property
    def _elements(self) -> list[lxml.html.HtmlElement]:
        return page_elements(self.root)

    @cached_property
    def _html_title(self) -> str:
        element = self.root.find(".//title")
        return clean_line(element.text_content()) if element is not None else ""

    @cached_property
    def _site_names(self) -> list[str]:
        host = (urlsplit(self.page.url).hostname or "").removeprefix("www.")
        publisher = text_value(self.ld.get("publisher"))
        names = [*self.meta.all("og:site_name", "application-name"), self.source.name, host]
        # «headline - Site Name»: the <title>'s last segment names the site.
        segments = _TITLE_SEPARATOR.split(self._html_title or "")
        suffix = segments[-1].strip() if len(segments) > 1 else ""
        return [name for name in (*names, publisher, suffix) if name]

    def _is_site_name(self, text: str) -> bool:
        lowered = text.lower().replace(" ", "")
        return any(
            lowered == name.lower().replace(" ", "") or lowered in name.lower().replace(" ", "")
            for name in self._site_names
        )

    @cached_property
    def _declared_title(self) -> str:
        """The headline as far as the page declares or shows it; "" when only <title> would say."""
        heading = self._heading
        declared = [self._ld("headline") or "", *self.meta.all("og:title", "twitter:title")]
        if heading is not None and match_heading([heading], [*declared, self._html_title]) is not None:
            return clean_line(heading.text_content())
        if self._visible_title is not None:
            return self._visible_title[1]
        return ""

    @cached_property
    def _blocks(self) -> PageBlocks:
        return page_blocks(self.root, self._declared_title)

    @cached_property
    def _body(self) -> BodyResult:
        description = self.meta.first("og:description", "description", "twitter:description")
        heading = clean_line(self._heading.text_content()) if self._heading is not None else ""
        result = extract_body(
            self.root, self._blocks, url=self.page.url, title=self._declared_title or heading or self._html_title,
            title_element=self._anchor, ld_body=self._ld("articleBody"),
            description=description[1] if description else self._ld("description"), hints=self.hints,
        )
        if result.fallback_fired:
            self._won("fallback", "fired, " + ("taken" if result.layer == "trafilatura" else "own body kept"))
        return result

    @cached_property
    def _body_lines(self) -> list[str]:
        """The body's lines, without the date lines of a header that the body's container included."""
        lines = self._body.paragraphs
        while len(lines) > 1 and self._is_date_line(lines[0]):
            lines = lines[1:]
        return lines

    @cached_property
    def _title_before(self) -> tuple[lxml.html.HtmlElement, str] | None:
        """A line named like a title just before the body, for pages with no ``<h1>`` or declared title."""
        if self._anchor is not None or self._ld("headline") or self.meta.first("og:title", "twitter:title"):
            return None
        return title_before(self._blocks, self._body.paragraphs)

    # -- fields --------------------------------------------------------------------------

    def title(self) -> str:
        heading = self._heading
        declared_titles = [self._ld("headline") or "", *self.meta.all("og:title", "twitter:title")]
        if heading is not None and match_heading([heading], [*declared_titles, self._html_title]) is not None:
            self._won("title", "h1 (matches declared title)")
            return clean_line(heading.text_content())
        sites = self._site_names
        headline = self._ld("headline")
        if headline:
            self._won("title", "json-ld headline")
            return strip_site_name(clean_line(headline), sites)
        if self._visible_title is not None:
            self._won("title", "visible text matching a declared title")
            return self._visible_title[1]
        declared = self.meta.first("og:title", "twitter:title", "itemprop:headline")
        if declared:
            self._won("title", declared[0])
            return strip_site_name(clean_line(declared[1]), sites)
        if heading is not None:
            self._won("title", "h1")
            return clean_line(heading.text_content())
        if self._title_before is not None:
            self._won("title", "text before the body")
            return self._title_before[1]
        if self._html_title:
            self._won("title", "<title>")
            return strip_site_name(self._html_title, sites)
        raise ExtractionError(self.page.url, "no title found (not an article page?)")

    def canonical_url(self) -> str:
        for origin, value in (("link rel=canonical", self.meta.first("link:canonical")),
                              ("og:url", self.meta.first("og:url")), ("json-ld url", ("", self._ld("url")))):
            if value and value[1]:
                absolute = urljoin(self.page.url, value[1].strip())
                if absolute.startswith(("http://", "https://")):
                    self._won("canonical_url", origin)
                    return canonicalize_url(absolute)
        self._won("canonical_url", "page url")
        return canonicalize_url(self.page.url)

    @cached_property
    def _byline_line(self) -> int | None:
        """Where a byline line («حوار: آسيا العتروس») heads the body: first, or right after the lead."""
        return next((index for index, line in enumerate(self._body_lines[:2]) if BYLINE_LINE.match(line)), None)

    def body(self) -> str:
        lines = self._body_lines
        if self._byline_line is not None:
            lines = lines[:self._byline_line] + lines[self._byline_line + 1:]  # the byline is no text
        self._won("body", f"{self._body.layer}: {self._body.origin}")
        return "\n\n".join(lines)

    def author(self) -> str | None:
        names = text_values(self.ld.get("author"))
        names = [name for name in names if not name.startswith("http") and not self._is_site_name(name)]
        if names:
            self._won("author", "json-ld author")
            return ", ".join(dict.fromkeys(clean_line(name) for name in names))
        declared = self.meta.first("author", "article:author", "itemprop:author", "dc.creator")
        if declared and not declared[1].startswith("http") and not self._is_site_name(declared[1]):
            self._won("author", declared[0])
            return clean_line(declared[1])
        if self._byline_line is not None:
            self._won("author", "byline line heading the body")
            return clean_line(_BYLINE_PREFIX.sub("", self._body_lines[self._byline_line]))
        for text in byline_texts(self._elements, self._anchor):
            name = clean_line(_BYLINE_PREFIX.sub("", text))
            if name and len(name.split()) <= 6:
                self._won("author", "visible byline")
                return name
        return None

    def language(self) -> str | None:
        detected = detect_language(self._text or self._title)
        if detected:
            self._won("language", "detected")
            return detected
        declared = self.root.get("lang") or self.source.language
        self._won("language", "declared")
        return declared.split("-")[0].lower() if declared else None

    def section(self) -> str | None:
        value = self._ld("articleSection")
        if value:
            self._won("section", "json-ld articleSection")
            return clean_line(value)
        found = self.meta.first("article:section", "itemprop:articlesection")
        if found:
            self._won("section", found[0])
            return clean_line(found[1])
        crumb = breadcrumb_section(self.root, self._title)
        if crumb:
            self._won("section", "breadcrumb")
        return crumb

    def tags(self) -> list[str]:
        values = text_values(self.ld.get("keywords"))
        for keys in (("article:tag",), ("news_keywords", "keywords")):
            if not values:
                values = [part for raw in self.meta.all(*keys) for part in text_values(raw)]
        if not values:
            values = tag_links(self.root)
        title = self._title
        cleaned = (clean_line(value) for value in values)
        return list(dict.fromkeys(value for value in cleaned if value and value != title))

    def image(self) -> str | None:
        found = self.meta.first("og:image", "og:image:url", "twitter:image")
        raw = found[1] if found else text_value(self.ld.get("image"))
        if not raw:
            anchor = self._anchor if self._anchor is not None else (self._title_before or (None, ""))[0]
            raw = lead_image(self._elements, anchor)
        return urljoin(self.page.url, raw) if raw else None

    def entities(self) -> Entities:
        extractor = self.entity_extractor or default_extractor()
        return extractor.extract(f"{self._title}\n{self._text}")

    def fingerprint(self) -> str | None:
        return simhash(self._text)

    def dates_mentioned(self) -> list[str]:
        return mentioned_dates(self._text, now=self.page.fetched_at, tz=self.tz)

    # -- assembly ------------------------------------------------------------------------

    @cached_property
    def _title(self) -> str:
        """The title as :meth:`title` (or a portal's override) returns it, computed once."""
        return self.title()

    @cached_property
    def _text(self) -> str:
        """The body as :meth:`body` (or a portal's override) returns it, computed once."""
        return self.body()

    def _modified_after(self, published: datetime | None) -> datetime | None:
        """``modified_at`` only when it says something: a copy of the publication time is dropped."""
        modified = self.modified_at()
        return None if modified is not None and modified == published else modified

    def page_type(self) -> PageVerdict:
        """Article, or which kind of non-article (redirect, error, wall, listing) and why."""
        return self._verdict

    @cached_property
    def _verdict(self) -> PageVerdict:
        facts = PageFacts(self.page.url, self.root, self.meta, self.ld_types, self._blocks, self._body.region,
                          self._body.chars, self._html_title, tuple(self._body.paragraphs),
                          headline_before_body(self._blocks, self._anchor, self._body_lines))
        verdict = classify(facts)
        self._won("page_type", verdict.kind + (f": {verdict.reason}" if verdict.reason else ""))
        return verdict

    def confidence(self, published: datetime | None, language: str | None) -> tuple[float, list[str]]:
        """How sure this extraction is (0–1), and the reasons it is less than sure."""
        signals = Signals(
            body_layer=self._body.layer if self.provenance.get("body", "").startswith(self._body.layer) else "dom",
            body_chars=self._body.chars if self._text else 0, page_chars=self._body.page_chars,
            title_origin=self.provenance.get("title", ""),
            date_origin=self.provenance.get("published_at") if published is not None else None,
            doubts=self._verdict.doubts, language=language, expected_language=self.source.language,
        )
        value, reasons = assess(signals)
        self._won("confidence", f"{value:.2f}" + (f" ({'; '.join(reasons)})" if reasons else ""))
        return value, reasons

    def to_article(self) -> Article:
        verdict = self.page_type()
        if not verdict.is_article:
            raise NotAnArticle(self.page.url, verdict.kind, verdict.reason)
        title = strip_controls(self._title)  # the text helpers strip them; a portal's override may not
        published = self.published_at()
        body = strip_controls(self._text)
        if not body:
            raise ExtractionError(self.page.url, "no article text found")
        language = self.language()
        confidence, reasons = self.confidence(published, language)
        return Article(
            url=self.page.url,
            canonical_url=self.canonical_url(),
            source=self.source.name,
            title=title,
            body=body,
            author=strip_controls(author) if (author := self.author()) else author,
            published_at=published,
            modified_at=self._modified_after(published),
            language=language,
            section=strip_controls(section) if (section := self.section()) else section,
            tags=[strip_controls(tag) for tag in self.tags()],
            image=self.image(),
            entities=self.entities(),
            fetched_at=self.page.fetched_at,
            fingerprint=self.fingerprint(),
            dates_mentioned=self.dates_mentioned(),
            confidence=confidence,
            confidence_reasons=reasons,
        )
