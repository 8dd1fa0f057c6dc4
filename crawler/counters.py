"""Per-source counters in the Scrapy stats: ``marsad/sources/<source>/<counter>``.

Every component that sees something about a source counts it here, under the names listed in
:data:`SOURCE_COUNTERS`, so `marsad sources` and the health flags can read one run's numbers.
"""

from __future__ import annotations

from scrapy import Request
from scrapy.statscollectors import StatsCollector

SOURCE_COUNTERS = {
    "started": "the source was crawled in this run (1)",
    "requests": "requests that reached the downloader, retries included, robots.txt not",
    "responses": "responses received, of any status (every attempt)",
    "bytes": "bytes of response bodies as received (compressed when sent compressed)",
    "not_modified": "discovery pages answered 304 Not Modified",
    "unchanged_pages": "discovery pages downloaded whole but identical to the last read (server without validators)",
    "http_errors": "responses with a status of 400 or more (every attempt)",
    "retries": "requests retried after a 5xx, 429, timeout or connection error",
    "throttled": "429 answers, and 503s carrying Retry-After",
    "timeouts": "requests that took longer than download_timeout",
    "too_large": "responses over max_page_bytes, before or after decompression (gzip bombs)",
    "robots_denied": "requests robots.txt disallows",
    "robots_unreachable": "robots.txt answered 5xx/429 or failed: its host is treated as disallowed (RFC 9309)",
    "crawl_delay": "the robots.txt Crawl-delay applied, in seconds (a value, not a count)",
    "sitemaps_from_robots": "sitemaps found in robots.txt for a source that lists none",
    "discovered": "article URLs listed by its feeds, sitemaps and listings (once per run)",
    "skipped_seen": "listed articles already stored and not changed since",
    "skipped_old": "listed articles (or index children) dated older than max_age",
    "refetched": "stored articles fetched again because their listing date is newer",
    "dates_ignored": "feeds and sitemaps whose dates announce no edits (ahead of the clock, or one lastmod for all)",
    "new": "articles stored for the first time",
    "updated": "re-fetched articles whose content changed (the index entry is replaced)",
    "unchanged": "re-fetched articles whose content had not changed",
    "offsite": "URLs listed by feeds, sitemaps or pagination off the source's domains",
    "redirect_rejected": "redirects refused: another host or port, or an article URL failing article_pattern",
    "redirect_loops": "redirects that came back to a URL of their own chain",
    "canonical_rejected": "pages whose rel=canonical / og:url named another site or a non-article URL",
    "sitemap_loops": "sitemaps listed again by an index in the same run (an index that lists itself)",
    "listing_depth_reached": "listings that stopped at max_pages",
    "pagination_loops": "listing pages whose next page was already read in this run",
    "invalid_xml": "feeds and sitemaps that were not well-formed XML (recovered or not)",
    "charset_undeclared": "pages declaring no charset, decoded by their bytes",
    "budget_exhausted": "the page budget stopped the source (1); what is left waits for the next run",
    "deferred": "URLs not requested because the page budget was spent",
    "fetch_failed": "article requests that failed (after retries)",
    "parsed": "fetched articles the parser made an article of",
    "unparsable": "a feed, sitemap or listing that was fetched but could not be read (also counted as failed)",
    "failed": "a feed, sitemap or listing could not be fetched or read",
    "not_article": "fetched pages that are no article (redirect stubs, error pages, listings)",
    "item_errors": "articles a pipeline stage failed on with an unexpected error (fetched again next run)",
    "low_confidence": "articles stored with a low extraction confidence",
}


def source_key(source: str, counter: str) -> str:
    return f"marsad/sources/{source}/{counter}"


def count(stats: StatsCollector | None, source: str | None, counter: str, value: int = 1) -> None:
    if stats is not None and source:
        stats.inc_value(source_key(source, counter), value)


def source_of(request: Request | None) -> str | None:
    value = request.meta.get("source") if request is not None else None
    return value if isinstance(value, str) else None
