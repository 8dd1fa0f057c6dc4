"""Sitemaps as sitemaps.org and Google News define them: XML url sets and indexes (gzipped or
not), news:publication_date, and the plain-text and RSS/Atom forms the protocol also allows."""

from __future__ import annotations

from urllib.parse import urljoin

from crawler.discovery.dates import parse_listing_date
from crawler.discovery.feeds import FEED_ROOTS, feed_entries
from crawler.discovery.listed import DiscoveryError, Listed, Parsed
from crawler.discovery.xml import GZIP_MAGIC, child_text, gunzip, localname, read_xml

MAX_TEXT_LINES = 50_000  # the protocol's limit per sitemap


def parse_sitemap(body: bytes, base_url: str, timezone: str = "UTC", max_size: int = 50 * 1024 * 1024) -> Parsed:
    """The sitemap's entries. Raises :class:`DiscoveryError` when it cannot be read."""
    if body.startswith(GZIP_MAGIC):
        body = gunzip(body, max_size)
    if body.lstrip()[:1] != b"<":
        return _text_sitemap(body, base_url)
    root, problem = read_xml(body, "sitemap")
    kind = localname(root)
    if kind in FEED_ROOTS:
        return feed_entries(root, base_url, timezone, problem)
    if kind not in ("urlset", "sitemapindex"):
        raise DiscoveryError(f"not a sitemap (root <{kind}>)")
    parsed = Parsed("urlset" if kind == "urlset" else "sitemapindex", problem=problem)
    for entry in root.iterchildren("{*}url", "{*}sitemap"):
        loc = child_text(entry, "loc")
        if loc:
            parsed.entries.append(Listed(
                urljoin(base_url, loc),
                published=parse_listing_date(child_text(entry, "publication_date"), timezone),
                modified=parse_listing_date(child_text(entry, "lastmod"), timezone),
            ))
    return parsed


def _text_sitemap(body: bytes, base_url: str) -> Parsed:
    lines = body.decode("utf-8", errors="replace").splitlines()[:MAX_TEXT_LINES]
    urls = [line.strip() for line in lines if line.strip().startswith(("http://", "https://"))]
    if not urls:
        raise DiscoveryError("not a sitemap (neither XML nor a list of URLs)")
    return Parsed("urlset", [Listed(urljoin(base_url, url)) for url in urls])
