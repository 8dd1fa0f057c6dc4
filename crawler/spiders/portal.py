"""One generic, config-driven spider: discovers article URLs from feeds, sitemaps and listings.

It only routes requests; fields are extracted by the page objects in crawler/parsers, feeds and
sitemaps are read by crawler/discovery. Discovery pages are requested conditionally (their saved
validators, see ledger.py); an article already stored is fetched again only when its feed or
sitemap dates it later than our last fetch.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from typing import Any

from scrapy import Request, Spider, signals
from scrapy.http import Response, TextResponse
from scrapy.linkextractors import LinkExtractor

from core.errors import StateError
from core.settings import from_crawler_settings
from crawler.counters import count
from crawler.discovery import DiscoveryError, Listed, Parsed, parse_feed, parse_listing_date, parse_sitemap
from crawler.downloadermiddlewares.redirect import KIND
from crawler.parsers.confidence import LOW_CONFIDENCE
from crawler.parsers.encoding import declared_encodings
from crawler.parsers.page import ExtractionError, NotAnArticle, PageInput, SourceInfo
from crawler.parsers.registry import parse_article
from crawler.policy import canonical_refusal
from crawler.sources import Listing, Source, load_sources, select_sources
from crawler.spiders.editdates import AHEAD, EditDates, edit_dates
from crawler.spiders.failures import LISTED, PAGE_URL, FailureHandlers
from crawler.spiders.ledger import DiscoveryLedger
from crawler.spiders.listings import find_next_page
from crawler.urls import article_key, canonicalize_url, origin_of
from indexer.state.factory import open_state

logger = logging.getLogger(__name__)

MAX_SITEMAP_DEPTH = 3  # an index of indexes of sitemaps; deeper nesting is not followed


class PortalSpider(FailureHandlers, Spider):
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
        self.state = open_state(settings)
        self.ledger = DiscoveryLedger(self.state, self.crawler.settings.getbool("MARSAD_CONDITIONAL_GET", True),
                                      shared=settings.shared)
        self._keys = {source.name: source.fingerprint() for source in sources}
        self._budget = {source.name: source.page_budget for source in sources}
        self._listed_by: dict[str, list[str]] = {}  # article key → the discovery pages that listed it
        self._from_robots: set[tuple[str, str]] = set()  # (source, origin) whose robots.txt was looked at
        for signal, handler in ((signals.item_dropped, self.item_dropped), (signals.item_error, self.item_error),
                                (signals.spider_error, self.spider_error), (signals.robots_parsed, self.robots_parsed)):
            self.crawler.signals.connect(handler, signal=signal)
        for source in sources:
            count(self.crawler.stats, source.name, "started")
            entries: list[tuple[str, Any, str, dict[str, Any]]] = [
                (url, self.parse_feed, "feed", {}) for url in source.feeds]
            entries += [(url, self.parse_sitemap, "sitemap", {"depth": 0}) for url in source.sitemaps]
            entries += [(item.url, self.parse_listing, "listing", {"listing": item, "page": 1})
                        for item in source.listings]
            for url, callback, kind, meta in entries:
                request = self._discovery(url, source, callback, kind, None, **meta)
                if request is not None:
                    yield request

    def closed(self, reason: str) -> None:
        state = getattr(self, "state", None)
        if state is None:
            return
        try:
            if reason == "finished":
                saved = self.ledger.commit()
                logger.debug("page validators saved for %d discovery page(s)", saved)
        except StateError as exc:
            logger.error("state: page validators not saved (the next run reads every page in full): %s", exc)
        finally:
            state.close()

    # -- discovery -------------------------------------------------------------------------------
    def _discovery(self, url: str, source: Source, callback: Any, kind: str, parent: str | None,
                   **meta: Any) -> Request | None:
        if url in self.ledger.pages or not self._spend(source):
            return None
        headers = self.ledger.open(url, source.name, self._keys[source.name], parent)
        return Request(url, callback=callback, errback=self.entry_failed, headers=headers, dont_filter=True,
                       meta={"source": source.name, KIND: kind, PAGE_URL: url, "handle_httpstatus_list": [304],
                             **meta})

    def _spend(self, source: Source) -> bool:
        """One request of the source's page budget; False (logged once, counted) when it is spent."""
        if self._budget[source.name] > 0:
            self._budget[source.name] -= 1
            return True
        if self._budget[source.name] == 0:
            self._budget[source.name] = -1
            count(self.crawler.stats, source.name, "budget_exhausted")
            logger.warning("source %s: page budget of %d requests spent; the rest waits for the next run",
                           source.name, source.page_budget)
        count(self.crawler.stats, source.name, "deferred")
        self.ledger.dirty_source(source.name)
        return False

    def _source(self, response: Response) -> Source | None:
        """The source a response belongs to; None (logged) when this process does not crawl it: in a
        shared crawl, a request another host queued for a source missing from this sources.yaml."""
        source = self.sources.get(response.meta["source"])
        if source is None:
            self.crawler.stats.inc_value("marsad/shared/unknown_source")
            logger.error("source %s is not in %s's sources: %s not handled here (every host must crawl the same "
                         "sources.yaml)", response.meta["source"], self.name, response.url)
        return source

    def _unchanged(self, response: Response, source: Source) -> bool:
        """True when the page is as it was last read whole (counted): nothing to look at."""
        self.ledger.adopt(response.meta[PAGE_URL], source.name, self._keys[source.name])
        headers = {key.decode("latin-1").lower(): b", ".join(values).decode("latin-1")
                   for key, values in response.headers.items() if values}
        same = self.ledger.answered(response.meta[PAGE_URL], response.status, headers, response.body,
                                    self._keys[source.name])
        if same and response.status != 304:
            count(self.crawler.stats, source.name, "unchanged_pages")
        return same

    def parse_feed(self, response: Response) -> Iterator[Request]:
        source = self._source(response)
        if source is None:
            return
        if self._unchanged(response, source):
            return
        try:
            parsed = parse_feed(response.body, response.url, source.timezone)
        except DiscoveryError as exc:
            self._source_broken(source, response, str(exc))
            return
        self._note_problem(source, response, parsed)
        dates = self._edit_dates(source, parsed, response)
        yield from self._articles(source, parsed.entries, response, "feed", dates)

    def parse_sitemap(self, response: Response) -> Iterator[Request]:
        source = self._source(response)
        if source is None:
            return
        url = response.meta[PAGE_URL]
        if self._unchanged(response, source):
            children = self.ledger.children(url)
            entries = [Listed(child, modified=parse_listing_date(lastmod)) for child, lastmod in children]
            yield from self._sitemap_children(source, entries, response)
            return
        try:
            parsed = parse_sitemap(response.body, response.url, source.timezone,
                                   self.crawler.settings.getint("DOWNLOAD_MAXSIZE"))
        except DiscoveryError as exc:
            self._source_broken(source, response, str(exc))
            return
        self._note_problem(source, response, parsed)
        if parsed.kind == "sitemapindex":
            self.ledger.set_children(url, tuple((entry.url, entry.modified.isoformat() if entry.modified else None)
                                                for entry in parsed.entries))
            yield from self._sitemap_children(source, parsed.entries, response)
            return
        dates = self._edit_dates(source, parsed, response)
        yield from self._articles(source, parsed.entries, response, "sitemap", dates)

    def _edit_dates(self, source: Source, parsed: Parsed, response: Response) -> EditDates:
        """Which of the listing's dates may announce an edit (logged and counted when not all)."""
        dates, why = edit_dates(parsed, datetime.now(UTC))
        if why is not None:
            count(self.crawler.stats, source.name, "dates_ignored")
            logger.info("source %s: %s %s: not taken as edits", source.name, response.url, why)
        return dates

    def _sitemap_children(self, source: Source, entries: list[Listed], response: Response) -> Iterator[Request]:
        depth = int(response.meta.get("depth", 0)) + 1
        parent = response.meta[PAGE_URL]
        oldest = datetime.now(UTC) - source.max_age if source.max_age else None
        for entry in entries:
            url = canonicalize_url(entry.url)
            if not source.allows(url):
                self._offsite(source, parent, url)
            elif url in self.ledger.pages:
                count(self.crawler.stats, source.name, "sitemap_loops")
                logger.warning("source %s: sitemap index %s lists %s, already read in this run: skipped",
                               source.name, parent, url)
            elif depth > MAX_SITEMAP_DEPTH:
                logger.warning("source %s: sitemap %s nested deeper than %d indexes: skipped",
                               source.name, url, MAX_SITEMAP_DEPTH)
            elif oldest and entry.modified and entry.modified < oldest:
                count(self.crawler.stats, source.name, "skipped_old")
            elif not self._unchanged_since(source, url, entry.modified):
                request = self._discovery(url, source, self.parse_sitemap, "sitemap", parent, depth=depth)
                if request is not None:
                    yield request

    def _unchanged_since(self, source: Source, url: str, lastmod: datetime | None) -> bool:
        """A child sitemap whose lastmod is older than our last clean read of it needs no request."""
        if lastmod is None or not self.ledger.conditional:
            return False
        saved = self.state.page_validators(url)
        return saved is not None and saved.source_key == self._keys[source.name] and lastmod <= saved.checked_at

    def parse_listing(self, response: Response) -> Iterator[Request]:
        source = self._source(response)
        if source is None:
            return
        listing: Listing = response.meta["listing"]
        if self._unchanged(response, source):
            return
        if not isinstance(response, TextResponse):
            self._source_broken(source, response, "listing page is not HTML")
            return
        links = [Listed(link.url) for link in LinkExtractor(unique=True).extract_links(response)]
        yield from self._articles(source, links, response, "listing")
        page = int(response.meta["page"])
        next_url = find_next_page(response)
        if not next_url:
            return
        next_url = canonicalize_url(next_url)
        via = response.meta[PAGE_URL]
        if not source.allows(next_url):
            self._offsite(source, via, next_url)
        elif next_url in self.ledger.pages:
            count(self.crawler.stats, source.name, "pagination_loops")
            logger.warning("source %s: listing page %s leads back to %s: pagination stopped",
                           source.name, response.url, next_url)
        elif page >= listing.max_pages:
            count(self.crawler.stats, source.name, "listing_depth_reached")
            logger.info("source %s: listing %s stopped after max_pages=%d pages", source.name, listing.url, page)
        else:
            request = self._discovery(next_url, source, self.parse_listing, "listing", via, listing=listing,
                                      page=page + 1)
            if request is not None:
                yield request

    def _articles(self, source: Source, entries: list[Listed], response: Response, kind: str,
                  dates: EditDates = "none") -> Iterator[Request]:
        """Requests for the listed article URLs that are new, or stored but listed as changed since."""
        via = response.meta[PAGE_URL]
        now = datetime.now(UTC)
        oldest = now - source.max_age if source.max_age else None
        old = 0
        for entry in entries:
            url = canonicalize_url(entry.url)
            if not source.allows(url):
                if kind != "listing":  # listings link everywhere (share buttons, partners): not news
                    self._offsite(source, via, url)
                continue
            if not source.is_article_url(url):
                continue
            if oldest and entry.dated and entry.dated < oldest:
                old += 1
                continue
            key = article_key(url)
            if key in self._listed_by:
                self._listed_by[key].append(via)
                continue
            self._listed_by[key] = [via]
            count(self.crawler.stats, source.name, "discovered")
            changed = entry.changed if dates == "all" else entry.published if dates == "published" else None
            refetch = self._refetch(source, url, changed, now)
            if refetch is None or not self._spend(source):
                continue
            self.ledger.expect(key, self._listed_by[key])
            yield Request(url, callback=self.parse_article, errback=self.article_failed,
                          meta={"source": source.name, KIND: "article", "via": via, "refetch": refetch, LISTED: key,
                                "listed_changed": changed.isoformat() if refetch and changed else None,
                                "dont_cache": True})  # were Scrapy's HTTP cache on: discovery pages only
        if old:
            count(self.crawler.stats, source.name, "skipped_old", old)
            logger.info("source %s: %d entries of %s dated before max_age (%g days): skipped", source.name, old, via,
                        source.max_age_days)

    def _refetch(self, source: Source, url: str, changed: datetime | None, now: datetime) -> bool | None:
        """False: never fetched; True: stored, but listed as changed since; None: nothing to fetch."""
        seen = self.state.seen_at(url)
        if seen is None:
            return False
        if changed is not None and seen < changed <= now + AHEAD:
            count(self.crawler.stats, source.name, "refetched")
            logger.info("source %s: %s is listed as changed at %s, after our fetch at %s: fetched again",
                        source.name, url, changed.isoformat(), seen.isoformat())
            return True
        count(self.crawler.stats, source.name, "skipped_seen")
        self.crawler.stats.inc_value("marsad/articles/skipped_seen")
        return None

    def robots_parsed(self, robotparser: Any, request: Request) -> None:
        """A source that lists no sitemap reads those named (``Sitemap:``) by the robots.txt of the
        hosts its feeds and listings are on."""
        origin = origin_of(canonicalize_url(request.url))
        found = list(getattr(getattr(robotparser, "rp", None), "sitemaps", None) or [])
        for source in self.sources.values():
            if source.sitemaps or (source.name, origin) in self._from_robots:
                continue
            if origin not in {origin_of(canonicalize_url(url)) for url in source.start_urls()}:
                continue
            self._from_robots.add((source.name, origin))
            for url in (canonicalize_url(url) for url in found):
                if not source.allows(url):
                    self._offsite(source, f"{origin}/robots.txt", url)
                else:
                    sitemap = self._discovery(url, source, self.parse_sitemap, "sitemap", None, depth=0)
                    if sitemap is not None:
                        count(self.crawler.stats, source.name, "sitemaps_from_robots")
                        logger.info("source %s: reading sitemap %s named by robots.txt", source.name, url)
                        self.crawler.engine.crawl(sitemap)

    # -- articles --------------------------------------------------------------------------------
    def parse_article(self, response: Response) -> Iterator[Any]:
        self.ledger.handled(response.meta.get(LISTED))
        source = self._source(response)
        if source is None:
            return
        page = PageInput(
            url=response.url,
            body=response.body,
            headers={
                key.decode("latin-1").lower(): b", ".join(values).decode("latin-1")
                for key, values in response.headers.items()
            },
            fetched_at=datetime.now(UTC),
        )
        self._check_charset(source, page)
        info = SourceInfo(name=source.name, timezone=source.timezone, language=source.language)
        stats = self.crawler.stats
        try:
            article = parse_article(page, info)
        except NotAnArticle as exc:
            stats.inc_value("marsad/articles/not_article")
            count(stats, source.name, "not_article")
            logger.warning("source %s: skipped %s: %s", source.name, response.url, exc.problem)
            return
        except ExtractionError as exc:
            stats.inc_value("marsad/articles/extraction_failed")
            stats.inc_value(f"marsad/sources/{source.name}/extraction_failed")
            logger.warning("source %s: skipped %s: %s", source.name, response.url, exc.problem)
            return
        stats.inc_value("marsad/articles/parsed")
        count(stats, source.name, "parsed")
        refusal = canonical_refusal(article.canonical_url, response.url, source)
        if refusal is not None:
            count(stats, source.name, "canonical_rejected")
            logger.warning("source %s: %s names %s as its canonical URL, ignored: %s", source.name, response.url,
                           article.canonical_url, refusal)
            article.canonical_url = canonicalize_url(response.url)
        listed_changed = response.meta.get("listed_changed")
        if response.meta.get("refetch") and article.modified_at is None and listed_changed:
            article.modified_at = datetime.fromisoformat(listed_changed)
        if article.confidence is not None and article.confidence < LOW_CONFIDENCE:
            stats.inc_value("marsad/articles/low_confidence")
            count(stats, source.name, "low_confidence")
            logger.info("source %s: low extraction confidence %.2f for %s: %s", source.name, article.confidence,
                        response.url, "; ".join(article.confidence_reasons))
        yield article

    def _check_charset(self, source: Source, page: PageInput) -> None:
        if not declared_encodings(page.body, page.header("content-type")) and not page.body.isascii():
            count(self.crawler.stats, source.name, "charset_undeclared")
            logger.info("source %s: %s declares no charset; decoded by its bytes", source.name, page.url)
