"""The local portal world: three synthetic Arabic ICT portals on three loopback hosts.

    with PortalWorld() as world:
        world.base_urls["techwave"]      # "http://127.0.0.1:40123"
        world.sources_config()           # dict in the config/sources.yaml schema
        world.expected_articles()        # ground truth per article
        world.requests                   # [(portal, path), ...] of every request served

A fourth server on 127.0.0.9 ("offsite") stands for foreign hosts that pages link to; a crawler that
follows only configured domains never appears in its log.
"""

from __future__ import annotations

import re
import threading
from datetime import datetime
from types import TracebackType
from typing import Any, TypedDict
from urllib.parse import urlsplit

from crawler.portalworld.common import DISALLOWED_PATH, Context, Portal, Response, esc, html_page
from crawler.portalworld.data import PORTAL_NAMES, ArticleRecord, WorldData, load_world_data
from crawler.portalworld.render_arabnet import ArabnetPortal
from crawler.portalworld.render_shamtech import ShamtechPortal
from crawler.portalworld.render_techwave import TechwavePortal
from crawler.portalworld.server import PortalServer, RequestRecord

OFFSITE_HOST = "127.0.0.9"


class ExpectedArticle(TypedDict):
    """Ground truth for one article, as a correct crawler + parser should produce it."""

    id: str
    portal: str
    canonical_url: str
    title: str
    author: str
    published: datetime
    modified: datetime | None
    section: str
    tags: list[str]
    image: str
    paragraphs: list[str]
    body: str
    mentions_azerbaijan: bool
    syndicated_group: str | None


class OffsitePortal:
    """Stands for every host outside the configured domains; any path answers 200."""

    name = "offsite"

    def handle(self, path: str, query: dict[str, list[str]], ctx: Context) -> Response:
        return html_page(f"<html><body><h1>موقع خارجي</h1><p>{esc(path)}</p></body></html>")


class PortalWorld:
    """Starts the three portal servers (and the off-site trap) and knows their ground truth."""

    def __init__(self, data: WorldData | None = None) -> None:
        self.data = data or load_world_data()
        self.requests: list[tuple[str, str]] = []
        self.request_log: list[RequestRecord] = []
        self.errors: list[str] = []
        self._lock = threading.Lock()
        portals: list[tuple[Portal, str]] = [
            *((portal, self.data.portals[portal.name].host) for portal in _portals(self.data)),
            (OffsitePortal(), OFFSITE_HOST),
        ]
        self._servers = {p.name: PortalServer(p, host, self._record, self._error) for p, host in portals}
        self.base_urls: dict[str, str] = {}

    # -- lifecycle -----------------------------------------------------------------------------
    def start(self) -> PortalWorld:
        if self.base_urls:
            raise RuntimeError("PortalWorld is already running")
        try:
            for name, server in self._servers.items():
                self.base_urls[name] = server.bind()
            offsite = self.base_urls["offsite"]
            for name, server in self._servers.items():
                server.serve(Context(base_url=self.base_urls[name], offsite_url=offsite))
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        for server in self._servers.values():
            server.stop()
        self.base_urls = {}

    def __enter__(self) -> PortalWorld:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def set_data(self, data: WorldData) -> None:
        """Serve ``data`` from now on, on the same addresses: articles published, edited, removed.
        (The hosts of the portals must stay the same.)"""
        self.data = data
        for portal in _portals(data):
            self._servers[portal.name].swap(portal)

    # -- request log ---------------------------------------------------------------------------
    def _record(self, record: RequestRecord) -> None:
        with self._lock:
            self.requests.append((record.portal, record.path))
            self.request_log.append(record)

    def _error(self, message: str) -> None:
        with self._lock:
            self.errors.append(message)

    def fetched(self, portal: str) -> list[str]:
        """Paths (with query strings) requested from one portal, in order."""
        with self._lock:
            return [path for name, path in self.requests if name == portal]

    def requested_urls(self) -> list[str]:
        """Absolute URLs of every request served (off-site trap included), in order."""
        with self._lock:
            served = list(self.requests)
        return [self.base_url(portal) + path for portal, path in served]

    def reset_requests(self) -> None:
        with self._lock:
            self.requests.clear()
            self.request_log.clear()

    def is_offsite(self, url: str) -> bool:
        """True when ``url`` is on none of the three portals' hosts (e.g. the 127.0.0.9 trap)."""
        host = urlsplit(url).hostname
        return host not in {spec.host for spec in self.data.portals.values()}

    def is_disallowed(self, url: str) -> bool:
        """True when robots.txt of the portal serving ``url`` forbids it."""
        return not self.is_offsite(url) and urlsplit(url).path.startswith(DISALLOWED_PATH)

    # -- URLs and ground truth -----------------------------------------------------------------
    def base_url(self, portal: str) -> str:
        if portal not in self.base_urls:
            raise RuntimeError(f"PortalWorld is not running (or no portal named {portal!r})")
        return self.base_urls[portal]

    @property
    def offsite_url(self) -> str:
        return self.base_url("offsite")

    def url_of(self, record: ArticleRecord) -> str:
        return self.base_url(record.portal) + record.path

    def private_urls(self) -> dict[str, str]:
        """Per portal, the robots-disallowed article-looking URL that pages link to."""
        return {name: self.url_of(self.data.private_of(name)) for name in PORTAL_NAMES}

    def expected_articles(self) -> list[ExpectedArticle]:
        return [self._expected(record) for record in self.data.articles]

    def _expected(self, record: ArticleRecord) -> ExpectedArticle:
        return ExpectedArticle(
            id=record.id,
            portal=record.portal,
            canonical_url=self.url_of(record),
            title=record.title,
            author=record.author,
            published=record.published,
            modified=record.modified,
            section=record.section,
            tags=list(record.tags),
            image=self.base_url(record.portal) + record.image,
            paragraphs=record.paragraphs,
            body=record.body,
            mentions_azerbaijan=record.mentions_azerbaijan,
            syndicated_group=record.syndicated_group,
        )

    def sources_config(self) -> dict[str, Any]:
        """The world as a ``config/sources.yaml`` mapping (ports are those of this run).

        ``article_pattern`` is anchored and matches the full *canonical* URL (tracking parameters such
        as the feed's ``utm_*`` removed first). It deliberately also matches the robots-disallowed
        ``/private/`` pages, so only robots.txt keeps a crawler out of them. ``max_age_days`` is
        off: the world is an archive of November 2026, crawled whole whatever today's date.
        """
        techwave, arabnet, shamtech = (self.base_url(name) for name in PORTAL_NAMES)
        return {
            "sources": [
                self._source(
                    "techwave", feeds=[f"{techwave}/feed/"], pattern=r"(?:private/)?\d{4}/\d{2}/\d{2}/[a-z0-9-]+/"
                ),
                self._source(
                    "arabnet",
                    sitemaps=[f"{arabnet}/news-sitemap.xml"],
                    listings=[{"url": f"{arabnet}/news/", "max_pages": 5}],
                    pattern=r"(?:private/)?news/\d+\.html",
                ),
                self._source(
                    "shamtech",
                    listings=[{"url": f"{shamtech}/index.php?cat=tech", "max_pages": 5}],
                    pattern=r"(?:private/)?article\.php\?id=\d+",
                ),
            ]
        }

    def _source(
        self,
        name: str,
        pattern: str,
        feeds: list[str] | None = None,
        sitemaps: list[str] | None = None,
        listings: list[dict[str, Any]] | None = None,
    ) -> dict[str, Any]:
        spec = self.data.portals[name]
        return {
            "name": name,
            "enabled": True,
            "domains": [spec.host],
            "timezone": spec.timezone,
            "language": "ar",
            "feeds": feeds or [],
            "sitemaps": sitemaps or [],
            "listings": listings or [],
            "article_pattern": "^" + re.escape(self.base_url(name) + "/") + pattern + "$",
            "max_age_days": None,
        }


def _portals(data: WorldData) -> list[Portal]:
    return [TechwavePortal(data), ArabnetPortal(data), ShamtechPortal(data)]
