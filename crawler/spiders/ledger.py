"""Which discovery pages (feeds, sitemaps, listing pages) were read this run, and whether
everything they led to was handled — so their validators may be saved for a conditional GET.

A page's validators (ETag, Last-Modified, body hash) are saved only when the run finished, the
page was read, and nothing it led to went wrong: no article fetch failed for a reason that may
pass (a timeout, a 5xx), no article failed to be stored, the page budget did not cut its source
short, and no page after it (the next listing page, a sitemap index's child) went wrong. Otherwise
the next run reads it in full again and retries what was missed: a 304 never hides an article.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from indexer.state import PageValidators, State


@dataclass
class Page:
    url: str
    source: str
    parent: str | None
    previous: PageValidators | None
    fresh: PageValidators | None = None
    dirty: bool = False


class DiscoveryLedger:
    def __init__(self, state: State, conditional: bool = True) -> None:
        self.state = state
        self.conditional = conditional
        self.pages: dict[str, Page] = {}

    def open(self, url: str, source: str, source_key: str, parent: str | None) -> dict[str, str]:
        """Register a discovery request; the conditional headers to send with it."""
        previous = self.state.page_validators(url)
        if previous is not None and previous.source_key != source_key:
            previous = None  # the source's configuration changed since: read it in full
        self.pages[url] = Page(url, source, parent, previous)
        if not (self.conditional and previous):
            return {}
        headers = {}
        if previous.etag:
            headers["If-None-Match"] = previous.etag
        if previous.last_modified:
            headers["If-Modified-Since"] = previous.last_modified
        return headers

    def answered(self, url: str, status: int, headers: Mapping[str, str], body: bytes, source_key: str) -> bool:
        """Record the answer; True when the page is as it was when last read whole (a 304, or the
        same body again), so nothing it lists needs looking at. Never True with conditional GETs
        off: every page is then read in full, as a crawler without validators would."""
        page = self.pages[url]
        now = datetime.now(UTC)
        if status == 304:
            if page.previous is not None:
                page.fresh = PageValidators(**{**page.previous.__dict__, "checked_at": now})
            return True
        digest = hashlib.sha256(body).hexdigest()
        page.fresh = PageValidators(url, source_key, now, headers.get("etag") or None,
                                    headers.get("last-modified") or None, digest)
        return self.conditional and page.previous is not None and page.previous.body_hash == digest

    def children(self, url: str) -> tuple[tuple[str, str | None], ...]:
        """A sitemap index's children as saved when it was last read whole."""
        page = self.pages[url]
        source = page.fresh or page.previous
        return source.children if source else ()

    def set_children(self, url: str, children: tuple[tuple[str, str | None], ...]) -> None:
        page = self.pages[url]
        if page.fresh is not None:
            page.fresh = PageValidators(**{**page.fresh.__dict__, "children": children})

    def dirty(self, url: str | None) -> None:
        """Something ``url`` led to went wrong: neither it nor the pages that led to it are saved."""
        while url is not None and url in self.pages:
            page = self.pages[url]
            page.dirty = True
            url = page.parent

    def dirty_source(self, source: str) -> None:
        for page in self.pages.values():
            if page.source == source:
                page.dirty = True

    def commit(self) -> int:
        """Save the validators of every clean page read this run; how many."""
        rows = [page.fresh for page in self.pages.values() if page.fresh is not None and not page.dirty]
        if rows:
            self.state.save_page_validators(rows)
        return len(rows)
