"""The parser's two date fields, layer by layer: declared (JSON-LD, meta, ``<time>``) → printed near the
headline → a dateline opening the body → the URL path (the weakest: only when nothing else dates
the page). Kept apart from :mod:`generic` so the parser module stays readable; the generic parser
mixes these methods in.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta, tzinfo
from functools import cached_property
from typing import Any

import lxml.html

from crawler.parsers.blocks import PageBlocks
from crawler.parsers.datelabels import DATELINE_CHARS, published_part, updated_part
from crawler.parsers.datesource import day_mentions, parse_date
from crawler.parsers.headline import visible_date_texts
from crawler.parsers.jsonld import text_value
from crawler.parsers.meta import MetaTags
from crawler.parsers.page import PageInput
from crawler.parsers.urldate import url_date

logger = logging.getLogger(__name__)

_EARLIEST = datetime(1995, 1, 1, tzinfo=UTC)
_RENDER_TIME = timedelta(minutes=15)
_HEADER_ZONE = 12  # blocks between a headline and its body (byline, date, share bar, caption …)
_DATE_LINE = 100  # a line longer than this is text, not a date line
_ABOVE = 3  # lines looked at above a headline (or above a body that has no headline found)
_HEADER_DATE_LINE = 60  # a header's date line the body's container took in is short …
_DATE_SHARE = 0.35  # … and mostly the date
PUBLISHED_META = (
    "article:published_time", "og:published_time", "itemprop:datepublished", "datepublished",
    "pubdate", "publishdate", "publish-date", "date", "dc.date", "dc.date.issued",
    "dcterms.created", "sailthru.date", "parsely-pub-date", "article.published",
)
MODIFIED_META = (
    "article:modified_time", "og:updated_time", "itemprop:datemodified", "datemodified",
    "dcterms.modified", "last-modified",
)


class DateFields:
    """``published_at`` and ``modified_at`` for a parser that has a page, metadata and a headline."""

    page: PageInput
    tz: tzinfo
    ld: dict[str, Any]
    meta: MetaTags
    root: lxml.html.HtmlElement

    @property
    def _elements(self) -> list[lxml.html.HtmlElement]:
        raise NotImplementedError

    @property
    def _anchor(self) -> lxml.html.HtmlElement | None:
        raise NotImplementedError

    @property
    def _body_lines(self) -> list[str]:
        raise NotImplementedError

    @property
    def _blocks(self) -> PageBlocks:
        raise NotImplementedError

    def _won(self, field: str, origin: str) -> None:
        raise NotImplementedError

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

    @cached_property
    def _header_date(self) -> datetime | None:
        """A short line that is a date around the headline: between it and the body, else just above
        it (or, with no headline found, just above the body): the printed date of a template whose
        date element carries no name we know («<span class="x7">…</span>», a table cell)."""
        if not self._body_lines:
            return None
        blocks = self._blocks.blocks
        first = next((block.index for block in blocks if block.text == self._body_lines[0]), None)
        if first is None:
            return None
        anchor = self._anchor
        title = next((block.index for block in blocks if block.holder is anchor), None) if anchor is not None else None
        if title is not None and not 0 < first - title <= _HEADER_ZONE:
            return None
        if title is None:
            zone = list(reversed(blocks[max(0, first - _ABOVE):first]))
        else:
            zone = [*blocks[title + 1:first], *reversed(blocks[max(0, title - _ABOVE):title])]
        for block in zone:
            if block.length <= _DATE_LINE and block.link_share < 0.5:
                value = self._date(published_part(block.text), "line near the headline")
                if value is not None:
                    return value
        return None

    def _is_date_line(self, line: str) -> bool:
        """A short line that is mostly a day-precise date («الثلاثاء 24 نوفمبر 2026», «بواسطة سامي - 24/11/2026»)."""
        if len(line) > _HEADER_DATE_LINE:
            return False
        found = day_mentions(line, now=self.page.fetched_at, tz=self.tz)
        return bool(found) and sum(len(mention.text) for mention in found) >= len(line) * _DATE_SHARE

    @cached_property
    def _url_date(self) -> datetime | None:
        """The day in the URL path (``/2026/11/23/``) at midnight in the source's zone."""
        value = url_date(self.page.url, self.tz)
        if value is None or value < _EARLIEST or value > self.page.fetched_at + timedelta(days=1):
            return None
        return value

    def _declared_published(self) -> tuple[datetime | None, str]:
        declared = self._date(text_value(self.ld.get("datePublished")), "json-ld")
        if declared is not None:
            return declared, "json-ld datePublished"
        found = self.meta.first(*PUBLISHED_META)
        if found:
            declared = self._date(found[1], found[0])
            if declared is not None:
                return declared, found[0]
        for element in self.root.iter("time"):
            declared = self._date(element.get("datetime"), "time")
            if declared is not None:
                return declared, "<time datetime>"
        return None, ""

    def published_at(self) -> datetime | None:
        declared, origin = self._declared_published()
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
        for value, layer in ((declared, origin), (visible, "visible near headline"),
                             (self._header_date, "date line near the headline"),
                             (self._dateline_date, "dateline opening the body"), (self._url_date, "url path")):
            if value is not None:
                self._won("published_at", layer)
                return value
        return None

    def modified_at(self) -> datetime | None:
        value = self._date(text_value(self.ld.get("dateModified")), "json-ld")
        if value is not None:
            self._won("modified_at", "json-ld dateModified")
            return value
        found = self.meta.first(*MODIFIED_META)
        if found:
            value = self._date(found[1], found[0])
            if value is not None:
                self._won("modified_at", found[0])
                return value
        if self._visible_modified is not None:
            self._won("modified_at", "visible «updated» label")
        return self._visible_modified
