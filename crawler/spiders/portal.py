"""One generic, config-driven spider: discovers article URLs from feeds, sitemaps and listings.

It only routes requests; fields are extracted by the page objects in crawler/parsers.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from typing import Any

from lxml import etree
from scrapy import Request, Spider
from scrapy.http import Response, TextResponse
from scrapy.linkextractors import LinkExtractor
from scrapy.utils.sitemap import Sitemap
from twisted.python.failure import Failure

from core.settings import from_crawler_settings
from crawler.parsers.confidence import LOW_CONFIDENCE
from crawler.parsers.page import ExtractionError, NotAnArticle, PageInput, SourceInfo
from crawler.parsers.registry import parse_article
from crawler.sources import Listing, Source, load_sources, select_sources
from crawler.urls import canonicalize_url
from indexer.state import StateStore

logger = logging.getLogger(__name__)

NEXT_PAGE_TEXTS = ("التالي", "التالية", "الصفحة التالية", "next", "›", "»", "older")


class PortalSpider(Spider):
    name = "portal"

    def __init__(self, sources: list[Source] | None = None, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._given_sources = sources
        if sources is not None:  # known before spider_opened, so Scrapy's OffsiteMiddleware uses them too
            self.allowed_domains = sorted({domain for source in sources for domain in source.domains})

    async def start(self) -> AsyncIterator[Request]:
        settings = from_crawler_settings(self.crawler.settings)
        sources = self._given_sources
        if sources is None:
            names = self.crawler.settings.getlist("MARSAD_SOURCES")
            sources = select_sources(load_sources(settings.sources_path), names)
        self.sources = {source.name: source for source in sources}
        self.allowed_domains = sorted({domain for source in sources for domain in source.domains})
        self.state = StateStore(settings.state_path)
        for source in sources:
            self.crawler.stats.inc_value(f"marsad/sources/{source.name}/started")
            for url in source.feeds:
                yield self._entry(url, source, self.parse_feed)
            for url in source.sitemaps:
                yield self._entry(url, source, self.parse_sitemap)
            for listing in source.listings:
                yield self._entry(listing.url, source, self.parse_listing, listing=listing, page=1)

    def closed(self, reason: str) -> None:
        state = getattr(self, "state", None)
        if state is not None:
            state.close()

    def _entry(self, url: str, source: Source, callback: Any, **meta: Any) -> Request:
        return Request(
            url,
            callback=callback,
            errback=self.entry_failed,
            meta={"source": source.name, **meta},
            dont_filter=True,
        )

    def entry_failed(self, failure: Failure) -> None:
        request = failure.request  # type: ignore[attr-defined]
        source = request.meta["source"]
        self.crawler.stats.inc_value(f"marsad/sources/{source}/failed")
        logger.error("source %s: cannot fetch %s: %s", source, request.url, failure.getErrorMessage())

    def article_failed(self, failure: Failure) -> None:
        request = failure.request  # type: ignore[attr-defined]
        self.crawler.stats.inc_value("marsad/articles/fetch_failed")
        self.crawler.stats.inc_value(f"marsad/sources/{request.meta['source']}/fetch_failed")
        logger.warning("source %s: cannot fetch %s: %s", request.meta["source"], request.url,
                       failure.getErrorMessage())

    def parse_feed(self, response: Response) -> Iterator[Request]:
        source = self.sources[response.meta["source"]]
        try:
            root = etree.fromstring(response.body, parser=etree.XMLParser(recover=False, resolve_entities=False))
        except etree.XMLSyntaxError as exc:
            self._source_broken(source, response.url, f"invalid feed XML: {exc}")
            return
        if etree.QName(root).localname not in ("rss", "feed", "RDF"):
            self._source_broken(source, response.url, f"not an RSS/Atom feed (root <{etree.QName(root).localname}>)")
            return
        links = [
            (node.text or node.get("href") or "").strip()
            for node in root.iter("{*}link")
            if node.getparent() is not None and etree.QName(node.getparent()).localname in ("item", "entry")
        ]
        yield from self._article_requests(source, [response.urljoin(link) for link in links if link])

    def parse_sitemap(self, response: Response) -> Iterator[Request]:
        source = self.sources[response.meta["source"]]
        try:
            sitemap = Sitemap(response.body)
        except (etree.XMLSyntaxError, ValueError) as exc:
            self._source_broken(source, response.url, f"invalid sitemap XML: {exc}")
            return
        locations = [entry["loc"] for entry in sitemap if entry.get("loc")]
        if sitemap.type == "sitemapindex":
            for loc in locations:
                if source.allows(loc):
                    yield self._entry(loc, source, self.parse_sitemap)
            return
        yield from self._article_requests(source, locations)

    def parse_listing(self, response: Response) -> Iterator[Request]:
        source = self.sources[response.meta["source"]]
        listing: Listing = response.meta["listing"]
        if not isinstance(response, TextResponse):
            self._source_broken(source, response.url, "listing page is not HTML")
            return
        links = [link.url for link in LinkExtractor(unique=True).extract_links(response)]
        yield from self._article_requests(source, links)
        page = int(response.meta["page"])
        next_url = find_next_page(response)
        if next_url and page < listing.max_pages and source.allows(next_url):
            yield self._entry(next_url, source, self.parse_listing, listing=listing, page=page + 1)

    def _article_requests(self, source: Source, urls: list[str]) -> Iterator[Request]:
        stats = self.crawler.stats
        for url in urls:
            canonical = canonicalize_url(url)
            if not source.is_article_url(canonical):
                continue
            stats.inc_value(f"marsad/sources/{source.name}/discovered")
            if self.state.is_seen(canonical):
                stats.inc_value("marsad/articles/skipped_seen")
                continue
            yield Request(canonical, callback=self.parse_article, errback=self.article_failed,
                          meta={"source": source.name})

    def parse_article(self, response: Response) -> Iterator[Any]:
        source = self.sources[response.meta["source"]]
        page = PageInput(
            url=response.url,
            body=response.body,
            headers={
                key.decode("latin-1").lower(): b", ".join(values).decode("latin-1")
                for key, values in response.headers.items()
            },
            fetched_at=datetime.now(UTC),
        )
        info = SourceInfo(name=source.name, timezone=source.timezone, language=source.language)
        stats = self.crawler.stats
        try:
            article = parse_article(page, info)
        except NotAnArticle as exc:
            stats.inc_value("marsad/articles/not_article")
            stats.inc_value(f"marsad/sources/{source.name}/not_article")
            logger.warning("source %s: skipped %s: %s", source.name, response.url, exc.problem)
            return
        except ExtractionError as exc:
            stats.inc_value("marsad/articles/extraction_failed")
            stats.inc_value(f"marsad/sources/{source.name}/extraction_failed")
            logger.warning("source %s: skipped %s: %s", source.name, response.url, exc.problem)
            return
        stats.inc_value("marsad/articles/parsed")
        stats.inc_value(f"marsad/sources/{source.name}/parsed")
        if article.confidence is not None and article.confidence < LOW_CONFIDENCE:
            stats.inc_value("marsad/articles/low_confidence")
            stats.inc_value(f"marsad/sources/{source.name}/low_confidence")
            logger.info("source %s: low extraction confidence %.2f for %s: %s", source.name, article.confidence,
                        response.url, "; ".join(article.confidence_reasons))
        yield article

    def _source_broken(self, source: Source, url: str, problem: str) -> None:
        self.crawler.stats.inc_value(f"marsad/sources/{source.name}/failed")
        self.crawler.stats.inc_value(f"marsad/sources/{source.name}/unparsable")
        logger.error("source %s: %s: %s", source.name, url, problem)


def find_next_page(response: Response) -> str | None:
    """The listing's next page: rel=next, else a link whose text says next."""
    href = response.css('link[rel="next"]::attr(href), a[rel="next"]::attr(href)').get()
    if href:
        return response.urljoin(href)
    for anchor in response.css("a"):
        text = " ".join(anchor.css("::text").getall()).strip().lower()
        if text and any(marker in text for marker in NEXT_PAGE_TEXTS):
            target = anchor.attrib.get("href")
            if target:
                return response.urljoin(target)
    return None
