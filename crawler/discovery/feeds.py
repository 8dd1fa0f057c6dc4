"""RSS 0.9x/1.0/2.0 and Atom feeds: each entry's link, publication and update dates."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urljoin

from lxml import etree

from crawler.discovery.dates import parse_listing_date
from crawler.discovery.listed import DiscoveryError, Listed, Parsed
from crawler.discovery.xml import child_text, localname, read_xml

FEED_ROOTS = ("rss", "feed", "RDF")
PUBLISHED = ("published", "pubDate", "issued", "date")  # Atom, RSS, Atom 0.3, dc:date
MODIFIED = ("updated", "modified")  # Atom (and atom:updated in RSS), dc:modified / Atom 0.3


def parse_feed(body: bytes, base_url: str, timezone: str = "UTC") -> Parsed:
    """The feed's entries. Raises :class:`DiscoveryError` when it is no feed or unreadable."""
    root, problem = read_xml(body, "feed")
    return feed_entries(root, base_url, timezone, problem)


def feed_entries(root: etree._Element, base_url: str, timezone: str, problem: str | None = None) -> Parsed:
    if localname(root) not in FEED_ROOTS:
        raise DiscoveryError(f"not an RSS/Atom feed (root <{localname(root)}>)")
    parsed = Parsed("feed", problem=problem)
    for entry in root.iter("{*}item", "{*}entry"):
        link = entry_link(entry)
        if link:
            parsed.entries.append(Listed(
                urljoin(base_url, link),
                published=_first_date(entry, PUBLISHED, timezone),
                modified=_first_date(entry, MODIFIED, timezone),
            ))
    return parsed


def entry_link(entry: etree._Element) -> str | None:
    """The article's address: FeedBurner's origLink, Atom's alternate link, RSS <link>, a permalink guid."""
    original = child_text(entry, "origLink")
    if original:
        return original
    fallback = None
    for node in entry.iterchildren("{*}link"):
        href = (node.get("href") or "").strip()
        if href:
            if node.get("rel", "alternate") == "alternate":
                return str(href)
            continue
        if node.text and node.text.strip():
            fallback = fallback or str(node.text).strip()
    if fallback:
        return fallback
    for guid in entry.iterchildren("{*}guid", "{*}id"):
        text = (guid.text or "").strip()
        if text.startswith(("http://", "https://")) and guid.get("isPermaLink", "true") != "false":
            return str(text)
    return None


def _first_date(entry: etree._Element, names: tuple[str, ...], timezone: str) -> datetime | None:
    for name in names:
        for node in entry.iterchildren(f"{{*}}{name}"):
            date = parse_listing_date(node.text, timezone)
            if date is not None:
                return date
    return None
