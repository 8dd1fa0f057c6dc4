"""Which URLs a source may lead to: a declared canonical URL, the target of a redirect.

A page is trusted about its own site only: a ``rel=canonical`` or ``og:url`` on another
registered domain, off the source's domains, or failing its ``article_pattern`` is ignored (else
one portal's page could overwrite another portal's article in the index). A redirect may not
leave the source's domains, change port on the same host, loop, or — for an article — land on a
URL that fails ``article_pattern``.
"""

from __future__ import annotations

from crawler.sources import Source
from crawler.urls import DEFAULT_PORTS, canonicalize_url, host_of, port_of, same_site


def canonical_refusal(declared: str, page_url: str, source: Source) -> str | None:
    """Why the page at ``page_url`` may not name ``declared`` as its canonical URL, or None."""
    if declared == canonicalize_url(page_url):
        return None
    if not same_site(declared, page_url):
        return "it is on another site"
    if not source.allows(declared):
        return f"it is off the source's domains {source.domains}"
    if not source.is_article_url(declared):
        return "it does not match the source's article_pattern"
    return None


def redirect_refusal(source: Source, kind: str, chain: list[str], target: str) -> str | None:
    """Why a request of ``kind`` (article, feed, sitemap, listing) that went through ``chain``
    (the original URL first) may not be redirected to ``target``, or None."""
    canonical = canonicalize_url(target)
    if canonical in {canonicalize_url(url) for url in chain}:
        return "redirect loop"
    if not source.allows(target):
        return "another host, off the source's domains"
    previous = chain[-1]
    if not _same_origin_or_upgrade(previous, target):
        return "another host or port"
    if kind == "article" and not source.is_article_url(canonical):
        return "the target does not match the source's article_pattern"
    return None


def _same_origin_or_upgrade(previous: str, target: str) -> bool:
    """Same host and port, http → https on default ports, or another host of the same site on
    a default port (``example.com`` → ``www.example.com``)."""
    before, after = port_of(previous), port_of(target)
    if host_of(previous) == host_of(target):
        return before == after or (before in DEFAULT_PORTS.values() and after in DEFAULT_PORTS.values())
    return same_site(previous, target) and after in DEFAULT_PORTS.values()
