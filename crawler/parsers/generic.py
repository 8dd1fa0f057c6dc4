"""The generic article parser: JSON-LD → OpenGraph/meta/microdata → visible-text heuristics.

One typed method per :class:`~core.article.Article` field, named like the field. Which layer
supplied each value is recorded in :attr:`GenericParser.provenance` (the debug field).
Per-portal parsers subclass this and override single methods.
"""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime, timedelta
from functools import cached_property
from typing import Any, ClassVar
from urllib.parse import urljoin, urlsplit

import lxml.html

from core.article import Article, Entities
from crawler.parsers.content import body_paragraphs
from crawler.parsers.datelabels import DATELINE_CHARS, published_part, updated_part
from crawler.parsers.datesource import day_mentions, mentioned_dates, parse_date, zone
from crawler.parsers.document import Document, load_document
from crawler.parsers.entities import EntityExtractor, default_extractor
from crawler.parsers.fingerprint import simhash
from crawler.parsers.headline import (
    BYLINE_LINE,
    byline_texts,
    find_visible_title,
    headings,
    match_heading,
    page_elements,
    strip_site_name,
    title_parts,
    visible_date_texts,
)
from crawler.parsers.jsonld import article_object, json_ld_objects, text_value, text_values
from crawler.parsers.language import detect_language
from crawler.parsers.meta import MetaTags, collect_meta
from crawler.parsers.page import ExtractionError, PageInput, SourceInfo
from crawler.parsers.text import clean_line
from crawler.parsers.visible import breadcrumb_section, lead_image, tag_links
from crawler.urls import canonicalize_url

logger = logging.getLogger(__name__)

_BYLINE_PREFIX = re.compile(
    r"^(?:كتب(?:ت|ه|ها)?|بقلم|حوار|إعداد|اعداد|تقرير|متابعة|ترجمة|by|par)\s*[:：\-–]?\s*", re.I
)
_EARLIEST = datetime(1995, 1, 1, tzinfo=UTC)
_RENDER_TIME = timedelta(minutes=15)
_TITLE_SEPARATOR = re.compile(r"\s[-|–—]\s")
_PUBLISHED_META = (
    "article:published_time", "og:published_time", "itemprop:datepublished", "datepublished",
    "pubdate", "publishdate", "publish-date", "date", "dc.date", "dc.date.issued",
    "dcterms.created", "sailthru.date", "parsely-pub-date", "article.published",
)
_MODIFIED_META = (
    "article:modified_time", "og:updated_time", "itemprop:datemodified", "datemodified",
    "dcterms.modified", "last-modified",
)


class GenericParser:
    """Extracts an :class:`Article` from any news page."""

    VERSION: ClassVar[str] = "generic-1"
    def __init__(
        self,
        page: PageInput,
        source: SourceInfo,
        document: Document | None = None,
        extractor: EntityExtractor | None = None,
    ) -> None:
        """``extractor`` plugs in other entity taggers (default: the shared rule-based one)."""
        self.page = page
        self.entity_extractor = extractor
        self.source = source
        self.document = document or load_document(page)
        self.root: lxml.html.HtmlElement = self.document.root
        self.meta: MetaTags = collect_meta(self.root)
        self.ld: dict[str, Any] = article_object(json_ld_objects(self.root, page.url)) or {}
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

    def _date(self, text: str | None, origin: str) -> datetime | None:
        if not text:
            return None
        value = parse_date(text, now=self.page.fetched_at, tz=self.tz)
        if value is None:
            logger.debug("%s: unparseable date %r from %s", self.page.url, text, origin)
            return None
        if value < _EARLIEST or value > self.page.fetched_at + timedelta(days=1):
            logger.warning("%s: impossible date %s from %s ignored", self.page.url, value.isoformat(), origin)
            return None
        return value

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
    def _body_lines(self) -> list[str]:
        return body_paragraphs(self.root, title=self.title())

    @cached_property
    def _visible_date(self) -> datetime | None:
        for text in visible_date_texts(self._elements, self._anchor):
            value = self._date(published_part(text), "visible")
            if value is not None:
                return value
        return None

    @cached_property
    def _visible_modified(self) -> datetime | None:
        for text in visible_date_texts(self._elements, self._anchor):
            updated = updated_part(text)
            if updated:
                return self._date(updated, "visible update")
        return None

    @cached_property
    def _dateline_date(self) -> datetime | None:
        """A day-precise date opening the first paragraph («القاهرة في 23 نوفمبر 2026 -»)."""
        if not self._body_lines:
            return None
        head = self._body_lines[0][:DATELINE_CHARS]
        found = day_mentions(head, now=self.page.fetched_at, tz=self.tz)
        return self._date(found[0].text, "dateline") if found else None

    # -- fields --------------------------------------------------------------------------

    def title(self) -> str:
        heading = self._heading
        declared_titles = [self._ld("headline") or "", *self.meta.all("og:title", "twitter:title")]
        if heading is not None and match_heading([heading], [*declared_titles, self._html_title]) is not None:
            self._won("title", "h1 (matches declared title)")
            return clean_line(heading.text_content())
        headline = self._ld("headline")
        if headline:
            self._won("title", "json-ld headline")
            return clean_line(headline)
        if self._visible_title is not None:
            self._won("title", "visible text matching a declared title")
            return self._visible_title[1]
        sites = self._site_names
        declared = self.meta.first("og:title", "twitter:title", "itemprop:headline")
        if declared:
            self._won("title", declared[0])
            return strip_site_name(clean_line(declared[1]), sites)
        if heading is not None:
            self._won("title", "h1")
            return clean_line(heading.text_content())
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

    def body(self) -> str:
        lines = self._body_lines
        if lines and BYLINE_LINE.match(lines[0]):
            lines = lines[1:]  # «حوار: آسيا العتروس» heads the text but is the byline
        self._won("body", "dom")
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
        if self._body_lines and BYLINE_LINE.match(self._body_lines[0]):
            self._won("author", "byline line heading the body")
            return clean_line(_BYLINE_PREFIX.sub("", self._body_lines[0]))
        for text in byline_texts(self._elements, self._anchor):
            name = clean_line(_BYLINE_PREFIX.sub("", text))
            if name and len(name.split()) <= 6:
                self._won("author", "visible byline")
                return name
        return None

    def published_at(self) -> datetime | None:
        declared = self._date(self._ld("datePublished"), "json-ld")
        origin = "json-ld datePublished"
        if declared is None:
            found = self.meta.first(*_PUBLISHED_META)
            if found:
                declared, origin = self._date(found[1], found[0]), found[0]
        if declared is None:
            for element in self.root.iter("time"):
                declared = self._date(element.get("datetime"), "time")
                if declared is not None:
                    origin = "<time datetime>"
                    break
        visible = self._visible_date
        if (
            declared is not None
            and visible is not None
            and declared.utcoffset() == timedelta(0)
            and declared.replace(tzinfo=None) == visible.replace(tzinfo=None, second=declared.second)
        ):
            # A local wall-clock time labelled "Z": the visible text names the real zone.
            self._won("published_at", f"visible (beats {origin} mislabelled as UTC)")
            return visible.replace(second=declared.second, microsecond=0)
        if (
            declared is not None
            and visible is not None
            and abs(self.page.fetched_at - declared) < _RENDER_TIME
            and visible.date() < declared.date()
        ):
            # A declared date minutes before the fetch, days after the printed one: render time.
            self._won("published_at", f"visible (beats {origin} ≈ fetch time)")
            return visible
        if declared is not None:
            self._won("published_at", origin)
            return declared
        if visible is not None:
            self._won("published_at", "visible near headline")
            return visible
        if self._dateline_date is not None:
            self._won("published_at", "dateline opening the body")
        return self._dateline_date

    def modified_at(self) -> datetime | None:
        value = self._date(self._ld("dateModified"), "json-ld")
        if value is not None:
            self._won("modified_at", "json-ld dateModified")
            return value
        found = self.meta.first(*_MODIFIED_META)
        if found:
            value = self._date(found[1], found[0])
            if value is not None:
                self._won("modified_at", found[0])
                return value
        if self._visible_modified is not None:
            self._won("modified_at", "visible «updated» label")
        return self._visible_modified

    def language(self) -> str | None:
        detected = detect_language(self._text or self.title())
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
        crumb = breadcrumb_section(self.root, self.title())
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
        title = self.title()
        cleaned = (clean_line(value) for value in values)
        return list(dict.fromkeys(value for value in cleaned if value and value != title))

    def image(self) -> str | None:
        found = self.meta.first("og:image", "og:image:url", "twitter:image")
        raw = found[1] if found else text_value(self.ld.get("image"))
        if not raw:
            raw = lead_image(self._elements, self._anchor)
        return urljoin(self.page.url, raw) if raw else None

    def entities(self) -> Entities:
        extractor = self.entity_extractor or default_extractor()
        return extractor.extract(f"{self.title()}\n{self._text}")

    def fingerprint(self) -> str | None:
        return simhash(self._text)

    def dates_mentioned(self) -> list[str]:
        return mentioned_dates(self._text, now=self.page.fetched_at, tz=self.tz)

    # -- assembly ------------------------------------------------------------------------

    @cached_property
    def _text(self) -> str:
        """The body as :meth:`body` (or a portal's override) returns it, computed once."""
        return self.body()

    def _modified_after(self, published: datetime | None) -> datetime | None:
        """``modified_at`` only when it says something: a copy of the publication time is dropped."""
        modified = self.modified_at()
        return None if modified is not None and modified == published else modified

    def to_article(self) -> Article:
        title = self.title()
        published = self.published_at()
        body = self._text
        if not body:
            raise ExtractionError(self.page.url, "no article text found")
        return Article(
            url=self.page.url,
            canonical_url=self.canonical_url(),
            source=self.source.name,
            title=title,
            body=body,
            author=self.author(),
            published_at=published,
            modified_at=self._modified_after(published),
            language=self.language(),
            section=self.section(),
            tags=self.tags(),
            image=self.image(),
            entities=self.entities(),
            fetched_at=self.page.fetched_at,
            fingerprint=self.fingerprint(),
            dates_mentioned=self.dates_mentioned(),
        )
