"""What feeds and sitemaps list: article URLs with the dates they give, read without Scrapy."""

from __future__ import annotations

from crawler.discovery.dates import parse_listing_date
from crawler.discovery.feeds import parse_feed
from crawler.discovery.listed import DiscoveryError, Listed, Parsed
from crawler.discovery.sitemaps import parse_sitemap

__all__ = ["DiscoveryError", "Listed", "Parsed", "parse_feed", "parse_listing_date", "parse_sitemap"]
