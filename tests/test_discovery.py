"""Feeds and sitemaps as portals write them: links, dates (always timezone-aware), broken XML, gzip."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime, timedelta, timezone

import pytest

from crawler.discovery import DiscoveryError, parse_feed, parse_listing_date, parse_sitemap

RIYADH = timezone(timedelta(hours=3))


@pytest.mark.parametrize(("text", "expected"), [
    ("2026-11-23T10:15:00+03:00", datetime(2026, 11, 23, 10, 15, tzinfo=RIYADH)),
    ("2026-11-23T07:15:00Z", datetime(2026, 11, 23, 7, 15, tzinfo=UTC)),
    ("Mon, 23 Nov 2026 10:15:00 +0300", datetime(2026, 11, 23, 10, 15, tzinfo=RIYADH)),
    ("Mon, 23 Nov 2026 07:15:00 GMT", datetime(2026, 11, 23, 7, 15, tzinfo=UTC)),
    ("2026-11-23", datetime(2026, 11, 23, 0, 0, tzinfo=RIYADH)),  # the source's zone
    ("2026-11-23 10:15:00", datetime(2026, 11, 23, 10, 15, tzinfo=RIYADH)),
])
def test_listing_dates_are_aware(text: str, expected: datetime) -> None:
    parsed = parse_listing_date(text, "Asia/Riyadh")
    assert parsed == expected and parsed is not None and parsed.tzinfo is not None


@pytest.mark.parametrize("text", ["", "   ", "yesterday", "2026-13-45", None])
def test_no_date(text: str | None) -> None:
    assert parse_listing_date(text) is None


def test_rss_items_with_publication_and_update_dates() -> None:
    feed = b"""<?xml version="1.0"?><rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"
      xmlns:feedburner="http://rssnamespace.org/feedburner/ext/1.0"><channel>
      <item><link>/news/1?utm_source=rss</link><pubDate>Mon, 23 Nov 2026 10:15:00 +0300</pubDate>
        <atom:updated>2026-11-24T09:00:00+03:00</atom:updated></item>
      <item><link>http://fb.example/x</link><feedburner:origLink>http://example.com/news/2</feedburner:origLink></item>
      <item><guid>http://example.com/news/3</guid></item>
      <item><guid isPermaLink="false">http://example.com/?p=4</guid></item>
    </channel></rss>"""
    parsed = parse_feed(feed, "http://example.com/feed/", "Asia/Riyadh")
    assert parsed.problem is None
    assert [entry.url for entry in parsed.entries] == [
        "http://example.com/news/1?utm_source=rss", "http://example.com/news/2", "http://example.com/news/3"]
    first = parsed.entries[0]
    assert first.published == datetime(2026, 11, 23, 10, 15, tzinfo=RIYADH)
    assert first.changed == datetime(2026, 11, 24, 9, 0, tzinfo=RIYADH)


def test_atom_entries_take_the_alternate_link() -> None:
    feed = b"""<feed xmlns="http://www.w3.org/2005/Atom"><entry><link rel="edit" href="/edit/1"/>
      <link rel="alternate" href="/news/1"/><published>2026-11-22T10:00:00Z</published>
      <updated>2026-11-23T10:00:00Z</updated></entry></feed>"""
    entry = parse_feed(feed, "http://example.com/").entries[0]
    assert entry.url == "http://example.com/news/1"
    assert entry.dated == datetime(2026, 11, 22, 10, tzinfo=UTC)
    assert entry.changed == datetime(2026, 11, 23, 10, tzinfo=UTC)


def test_broken_feed_xml_is_recovered_and_said_so() -> None:
    feed = b"<rss><channel><title>a & b</title><item><link>http://example.com/1</link></item><item><title>x"
    parsed = parse_feed(feed, "http://example.com/")
    assert [entry.url for entry in parsed.entries] == ["http://example.com/1"]
    assert parsed.problem is not None and parsed.problem.startswith("invalid feed XML")


@pytest.mark.parametrize(("body", "problem"), [
    (b"<html><body>not a feed</body></html>", "not an RSS/Atom feed (root <html>)"),
    (b"\x00\x01 binary", "invalid feed XML"),
])
def test_not_a_feed(body: bytes, problem: str) -> None:
    with pytest.raises(DiscoveryError, match=problem.replace("(", r"\(").replace(")", r"\)")):
        parse_feed(body, "http://example.com/")


def test_news_sitemap_dates() -> None:
    body = b"""<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
      xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"><url><loc>http://example.com/n/1</loc>
      <lastmod>2026-11-24</lastmod><news:news><news:publication_date>2026-11-23T10:15:00+02:00</news:publication_date>
      </news:news></url></urlset>"""
    parsed = parse_sitemap(body, "http://example.com/sitemap.xml", "Africa/Cairo")
    entry = parsed.entries[0]
    assert parsed.kind == "urlset" and entry.url == "http://example.com/n/1"
    assert entry.published == datetime(2026, 11, 23, 10, 15, tzinfo=timezone(timedelta(hours=2)))
    assert entry.modified is not None and entry.modified.tzinfo is not None and entry.dated == entry.published


def test_gzipped_sitemap_index() -> None:
    body = gzip.compress(b'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap>'
                         b"<loc>/news.xml</loc><lastmod>2026-11-23T00:00:00Z</lastmod></sitemap></sitemapindex>")
    parsed = parse_sitemap(body, "http://example.com/index.xml.gz")
    assert parsed.kind == "sitemapindex"
    assert [(e.url, e.modified) for e in parsed.entries] == [
        ("http://example.com/news.xml", datetime(2026, 11, 23, tzinfo=UTC))]


def test_a_gzip_bomb_is_refused() -> None:
    bomb = gzip.compress(b"<" + b" " * 5_000_000)
    with pytest.raises(DiscoveryError, match="grows past 1000000 bytes"):
        parse_sitemap(bomb, "http://example.com/s.xml.gz", max_size=1_000_000)


def test_text_and_rss_sitemaps() -> None:
    text = parse_sitemap(b"http://example.com/1\n\nhttp://example.com/2\n", "http://example.com/s.txt")
    assert [e.url for e in text.entries] == ["http://example.com/1", "http://example.com/2"]
    rss = parse_sitemap(b"<rss><channel><item><link>http://example.com/3</link></item></channel></rss>", "http://x/")
    assert [e.url for e in rss.entries] == ["http://example.com/3"]
    with pytest.raises(DiscoveryError, match="neither XML nor a list of URLs"):
        parse_sitemap(b"hello", "http://example.com/s.txt")


def test_entities_are_not_expanded() -> None:
    body = (b'<?xml version="1.0"?><!DOCTYPE u [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            b'<urlset><url><loc>http://example.com/&x;</loc></url></urlset>')
    parsed = parse_sitemap(body, "http://example.com/")
    assert all("root:" not in entry.url for entry in parsed.entries)
