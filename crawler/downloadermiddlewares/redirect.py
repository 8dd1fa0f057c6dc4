"""Scrapy's redirect middlewares (HTTP 3xx and <meta refresh>), checked against the source.

A redirect of a source's request is followed only when :func:`crawler.policy.redirect_refusal`
finds nothing against it: it stays on the source's domains and port, does not loop, and an
article lands on a URL that matches ``article_pattern``. A refused redirect drops the request
with one log line naming both URLs (requests without a source, robots.txt, are left alone).
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy import Request
from scrapy.downloadermiddlewares.redirect import MetaRefreshMiddleware as ScrapyMetaRefreshMiddleware
from scrapy.downloadermiddlewares.redirect import RedirectMiddleware as ScrapyRedirectMiddleware
from scrapy.exceptions import IgnoreRequest

from crawler.counters import count, source_of
from crawler.policy import redirect_refusal

logger = logging.getLogger(__name__)
KIND = "marsad_kind"  # request meta: article, feed, sitemap or listing


class RedirectRefused(IgnoreRequest):
    """A redirect the source's policy refuses; already logged and counted."""


class _Policy:
    crawler: Any

    def _redirect(self, redirected: Request, request: Request, reason: Any) -> Request:
        source_name = source_of(request)
        sources = getattr(self.crawler.spider, "sources", {})
        if source_name in sources:
            chain = [*request.meta.get("redirect_urls", []), request.url]
            refusal = redirect_refusal(sources[source_name], request.meta.get(KIND, "article"), chain, redirected.url)
            if refusal is not None:
                counter = "redirect_loops" if refusal == "redirect loop" else "redirect_rejected"
                count(self.crawler.stats, source_name, counter)
                logger.warning("source %s: redirect from %s to %s refused: %s", source_name, request.url,
                               redirected.url, refusal)
                raise RedirectRefused(f"redirect from {request.url} to {redirected.url} refused: {refusal}")
        result: Request = super()._redirect(redirected, request, reason)  # type: ignore[misc]
        return result


class RedirectMiddleware(_Policy, ScrapyRedirectMiddleware):
    pass


class MetaRefreshMiddleware(_Policy, ScrapyMetaRefreshMiddleware):
    pass
