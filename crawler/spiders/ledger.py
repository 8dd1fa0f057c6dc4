"""Which discovery pages (feeds, sitemaps, listing pages) were read this run, and whether
everything they led to was handled — so their validators may be saved for a conditional GET.

A page's validators (ETag, Last-Modified, body hash) are saved only when the run finished, the
page was read, and nothing it led to went wrong: no article fetch failed for a reason that may
pass (a timeout, a 5xx), no article failed to be stored, the page budget did not cut its source
short, and no page after it (the next listing page, a sitemap index's child) went wrong. Otherwise
the next run reads it in full again and retries what was missed: a 304 never hides an article.

Shared crawl (several processes, one queue: crawler/shared/): what a page led to may be popped
and fetched by another process, whose outcome this one never learns. So, in shared mode, a page is
saved only when every article request it led to was answered *in this process* (fetched, or
failed and judged here) and every discovery page it led to (the next listing page, a sitemap
index's child) was read here. A page whose articles another process fetched is read in full by
the next run, which then finds them stored and requests none of them: that read is saved. The
cost is one full read of a page after it changed, never an article missed, also when a process
is killed. A page first opened by another process and popped here is adopted: read here, saved
here by the same rule.
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
    answered: bool = False


class DiscoveryLedger:
    def __init__(self, state: State, conditional: bool = True, shared: bool = False) -> None:
        self.state = state
        self.conditional = conditional
        self.shared = shared
        self.pages: dict[str, Page] = {}
        self._expected: dict[str, list[str]] = {}  # shared: article key → the pages listing it, until answered here

    def open(self, url: str, source: str, source_key: str, parent: str | None) -> dict[str, str]:
        """Register a discovery request; the conditional headers to send with it."""
        previous = self._previous(url, source_key)
        self.pages[url] = Page(url, source, parent, previous)
        if not (self.conditional and previous):
            return {}
        headers = {}
        if previous.etag:
            headers["If-None-Match"] = previous.etag
        if previous.last_modified:
            headers["If-Modified-Since"] = previous.last_modified
        return headers

    def _previous(self, url: str, source_key: str) -> PageValidators | None:
        previous = self.state.page_validators(url)
        if previous is not None and previous.source_key != source_key:
            return None  # the source's configuration changed since: read it in full
        return previous

    def adopt(self, url: str, source: str, source_key: str) -> None:
        """A page another process asked for and this one popped (shared crawl): read here."""
        if url not in self.pages:
            self.pages[url] = Page(url, source, None, self._previous(url, source_key))

    def expect(self, key: str, listed_by: list[str]) -> None:
        """Shared crawl: an article request for ``key`` was sent; ``listed_by`` are the pages listing it."""
        if self.shared:
            self._expected[key] = listed_by

    def handled(self, key: str | None) -> None:
        """The article request for ``key`` was answered in this process (fetched, or failed here)."""
        if key is not None:
            self._expected.pop(key, None)

    def answered(self, url: str, status: int, headers: Mapping[str, str], body: bytes, source_key: str) -> bool:
        """Record the answer; True when the page is as it was when last read whole (a 304, or the
        same body again), so nothing it lists needs looking at. Never True with conditional GETs
        off: every page is then read in full, as a crawler without validators would."""
        page = self.pages[url]
        page.answered = True
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
        if self.shared:
            self._not_handled_here()
        rows = [page.fresh for page in self.pages.values() if page.fresh is not None and not page.dirty]
        if rows:
            self.state.save_page_validators(rows)
        return len(rows)

    def _not_handled_here(self) -> None:
        """Shared crawl: pages whose articles or sub-pages another process took are not saved."""
        for page in list(self.pages.values()):
            if not page.answered:
                self.dirty(page.parent)
        for listed_by in self._expected.values():
            for url in listed_by:
                self.dirty(url)
