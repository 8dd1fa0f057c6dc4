"""An opt-in misbehaving portal on 127.0.0.4, beside the portal world (whose ground truth it leaves
alone): one source per kind of trouble, on three servers (ports) of that host.

    with PortalWorld() as world, TroubledWorld(victim=some_article_url) as trouble:
        config = world.sources_config()["sources"] + trouble.sources_config()
        trouble.troubles       # (source, counter, at least, a piece of the log line) per trouble
        trouble.stored_urls()  # the articles a correct crawler stores
        trouble.edit()         # the edited article changes, with a newer lastmod

Servers: "trouble" (most sources), "robots500" (its robots.txt answers 500) and "elsewhere"
(crawl-delay 1 and a ``Sitemap:`` line in robots.txt; also the target of a redirect to another
port). Dates are relative to when the world starts, so ``max_age`` applies as on a live site.
"""

from __future__ import annotations

import re
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from functools import cache, cached_property
from types import TracebackType
from typing import Any

from crawler.portalworld.common import Context, Response, html_page, not_found, text_response
from crawler.portalworld.server import PortalServer, RequestRecord
from crawler.portalworld.troubled_pages import (
    EDIT,
    STORIES,
    article_page,
    gzip_bomb,
    html,
    rss,
    sitemap_index,
    urlset,
    xml,
)
from crawler.portalworld.world import OFFSITE_HOST

TROUBLE_HOST = "127.0.0.4"
BIG = 20 * 1024 * 1024
BUDGET = ("budget-1", "budget-2", "budget-3")  # three articles for a source that may make three requests a run


@dataclass(frozen=True)
class Trouble:
    """What one misbehaving source must leave in a run: ``counter`` ≥ ``at_least`` in
    ``marsad/sources/<source>/…``, and a log line containing ``log``."""

    source: str
    counter: str
    at_least: int
    log: str


class TroubledWorld:
    def __init__(self, victim: str = "http://127.0.0.1:1/", slow_seconds: float = 4.0) -> None:
        self.victim = victim  # another source's article, named as canonical by an attacker's page
        self.slow_seconds = slow_seconds  # longer than the crawl's download_timeout in tests
        self.now = datetime.now(UTC).replace(microsecond=0)
        self.edited: datetime | None = None
        self.hits: Counter[str] = Counter()
        self.request_log: list[RequestRecord] = []
        self.errors: list[str] = []
        self._lock = threading.Lock()
        self._servers = {name: PortalServer(_Site(name, self), TROUBLE_HOST, self._record, self._error)
                         for name in ("trouble", "robots500", "elsewhere")}
        self.base_urls: dict[str, str] = {}

    def start(self) -> TroubledWorld:
        for name, server in self._servers.items():
            self.base_urls[name] = server.bind()
        for name, server in self._servers.items():
            server.serve(Context(base_url=self.base_urls[name], offsite_url=f"http://{OFFSITE_HOST}:9/"))
        return self

    def stop(self) -> None:
        for server in self._servers.values():
            server.stop()

    def __enter__(self) -> TroubledWorld:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()

    def _record(self, record: RequestRecord) -> None:
        with self._lock:
            self.request_log.append(record)

    def _error(self, message: str) -> None:
        with self._lock:
            self.errors.append(message)

    def hit(self, key: str) -> int:
        """How many times ``key`` was asked for, this one included."""
        with self._lock:
            self.hits[key] += 1
            return self.hits[key]

    def edit(self) -> None:
        """The edited article gets a paragraph (mentioning أذربيجان) and a lastmod of now."""
        self.edited = datetime.now(UTC).replace(microsecond=0) + timedelta(seconds=1)

    @property
    def edited_at(self) -> datetime:
        return self.edited or self.now - timedelta(hours=2)

    def url(self, path: str, server: str = "trouble") -> str:
        return self.base_urls[server] + path

    # -- configuration and ground truth ----------------------------------------------------------
    def sources_config(self) -> list[dict[str, Any]]:
        base, robots500, elsewhere = (re.escape(self.base_urls[name]) for name in ("trouble", "robots500", "elsewhere"))

        def source(name: str, pattern: str, **entries: Any) -> dict[str, Any]:
            return {"name": name, "domains": [TROUBLE_HOST], "timezone": "Asia/Riyadh",
                    "article_pattern": f"^{pattern}$", **entries}

        return [
            source("flaky", rf"{base}/flaky/[a-z0-9-]+\.html", feeds=[self.url("/flaky/feed.xml")]),
            source("throttled", rf"{base}/throttled/[a-z0-9-]+\.html", feeds=[self.url("/throttled/feed.xml")]),
            source("slow", rf"{base}/slow/[a-z0-9-]+\.html", feeds=[self.url("/slow/feed.xml")]),
            source("redirects", rf"{base}/redirects/[a-z0-9-]+\.html", feeds=[self.url("/redirects/feed.xml")]),
            source("sitemaps", rf"{base}/(?:private/)?sm/[a-z0-9-]+\.html", sitemaps=[self.url("/sm/index.xml")]),
            source("canon", rf"{base}/canon/(?:amp/)?[a-z0-9-]+\.html", feeds=[self.url("/canon/feed.xml")]),
            source("broken", rf"{base}/broken/[a-z0-9-]+\.html", feeds=[self.url("/broken/feed.xml")]),
            source("paging", rf"{base}/paging/[a-z0-9-]+\.html",
                   listings=[{"url": self.url("/paging/list?page=1"), "max_pages": 3}]),
            source("big", rf"{base}/big/[a-z0-9-]+\.html", feeds=[self.url("/big/feed.xml")]),
            source("budget", rf"{base}/budget/[a-z0-9-]+\.html", feeds=[self.url("/budget/feed.xml")], page_budget=3),
            source("robots500", rf"{robots500}/r/[a-z0-9-]+\.html", feeds=[self.url("/feed.xml", "robots500")]),
            source("fromrobots", rf"{elsewhere}/s3/[a-z0-9-]+\.html", listings=[{"url": self.url("/list.html",
                                                                                                    "elsewhere")}]),
        ]

    def stored_urls(self) -> dict[str, str]:
        """Canonical URL → title of every article a correct crawler stores from this portal."""
        paths = {"/flaky/a1.html": "flaky", "/throttled/a1.html": "throttled", "/redirects/a1.html": "redirects",
                 "/sm/news.html": "news", "/sm/pages.html": "pages", "/sm/edited.html": "edited",
                 "/canon/a1.html": "attack", "/canon/a2.html": "offsite-og", "/canon/a3.html": "amp",
                 "/broken/a1.html": "broken", "/paging/a1.html": "paging", "/big/cp1256.html": "cp1256",
                 **{f"/budget/{key}.html": key for key in BUDGET}}
        stored = {self.url(path): STORIES[key].title for path, key in paths.items()}
        stored[self.url("/s3/a1.html", "elsewhere")] = STORIES["fromrobots"].title
        return stored

    def never_requested(self) -> list[str]:
        """Paths a correct crawler never asks for (robots-disallowed, refused redirect targets)."""
        return ["/private/sm/secret.html", "/redirects/not-an-article", "/r/a1.html", "/redirects/elsewhere.html"]

    @property
    def troubles(self) -> list[Trouble]:
        port = self.base_urls["trouble"]
        return [
            Trouble("flaky", "retries", 2, f"{port}/flaky/feed.xml answered 500; retry 1 of"),
            Trouble("flaky", "http_errors", 2, "answered 500; retry 2 of"),
            Trouble("throttled", "throttled", 1, f"{port}/throttled/feed.xml answered 429; retry 1 of"),
            Trouble("slow", "timeouts", 1, f"{port}/slow/a1.html timed out"),
            Trouble("slow", "fetch_failed", 1, f"cannot fetch {port}/slow/a1.html"),
            Trouble("redirects", "redirect_loops", 1, f"{port}/redirects/loop-b.html to {port}/redirects/loop-a.html "
                                                      "refused: redirect loop"),
            Trouble("redirects", "redirect_rejected", 3, f"to {self.url('/redirects/elsewhere.html', 'elsewhere')} "
                                                         "refused: another host or port"),
            Trouble("redirects", "redirect_rejected", 3, "refused: another host, off the source's domains"),
            Trouble("redirects", "redirect_rejected", 3, f"to {port}/redirects/not-an-article refused: the target "
                                                         "does not match"),
            Trouble("sitemaps", "sitemap_loops", 1, f"sitemap index {port}/sm/index.xml lists {port}/sm/index.xml, "
                                                    "already read"),
            Trouble("sitemaps", "skipped_old", 1, f"1 entries of {port}/sm/news.xml.gz dated before max_age"),
            Trouble("sitemaps", "robots_denied", 1, f"{port}/private/sm/secret.html not fetched: disallowed"),
            Trouble("canon", "canonical_rejected", 2, f"{port}/canon/a1.html names {self.victim} as its canonical "
                                                      "URL, ignored: it is on another site"),
            Trouble("broken", "invalid_xml", 1, f"{port}/broken/feed.xml: invalid feed XML"),
            Trouble("paging", "listing_depth_reached", 1, "stopped after max_pages=3 pages"),
            Trouble("budget", "budget_exhausted", 1, "source budget: page budget of 3 requests spent"),
            Trouble("budget", "deferred", 1, "the rest waits for the next run"),
            Trouble("big", "too_large", 2, "larger than max_page_bytes"),
            Trouble("big", "charset_undeclared", 1, f"{port}/big/cp1256.html declares no charset"),
            Trouble("robots500", "robots_unreachable", 1, f"robots.txt answered 500 on {self.base_urls['robots500']}"
                    .replace("http://", "")),
            Trouble("fromrobots", "sitemaps_from_robots", 1, "reading sitemap "
                                                             f"{self.url('/sitemap.xml', 'elsewhere')} named by"),
            Trouble("fromrobots", "crawl_delay", 1, f"robots.txt of {self.base_urls['elsewhere']} asks for a "
                    "crawl-delay of 1s".replace("http://", "")),
        ]


class _Site:
    """One server of the misbehaving portal: routes by path, answers 404 otherwise."""

    def __init__(self, name: str, world: TroubledWorld) -> None:
        self.name = f"troubled-{name}"
        self.world = world
        self._build = _ROUTES[name]

    @cached_property
    def routes(self) -> dict[str, Callable[[Context], Response]]:
        """Built on the first request, when every server's port is known."""
        return self._build(self.world)

    def handle(self, path: str, query: dict[str, list[str]], ctx: Context) -> Response:
        if path == "/paging/list" and self.name == "troubled-trouble":
            return _listing_page(self.world, int((query.get("page") or ["1"])[0] or 1))
        route = self.routes.get(path)
        return route(ctx) if route is not None else not_found("troubled")


def _article(world: TroubledWorld, key: str, **options: Any) -> Callable[[Context], Response]:
    def answer(ctx: Context) -> Response:
        return html(article_page(STORIES[key], world.now - timedelta(days=1), **options))
    return answer


def _trouble_routes(w: TroubledWorld) -> dict[str, Callable[[Context], Response]]:
    day = w.now - timedelta(days=1)

    def flaky_feed(ctx: Context) -> Response:
        if w.hit("flaky/feed") <= 2:
            return html_page("<h1>500 Internal Server Error</h1>", status=500)
        return xml(rss([(w.url("/flaky/a1.html"), day)]))

    def throttled_feed(ctx: Context) -> Response:
        if w.hit("throttled/feed") == 1:
            return Response(429, b"slow down", "text/plain", {"Retry-After": "1"})
        return xml(rss([(w.url("/throttled/a1.html"), day)]))

    def slow(ctx: Context) -> Response:
        time.sleep(w.slow_seconds)
        return _article(w, "flaky")(ctx)

    def redirect(target: str, status: int = 302) -> Callable[[Context], Response]:
        return lambda ctx: Response(status, b"", "text/html", {"Location": target}, validators=False)

    def edited(ctx: Context) -> Response:
        return html(article_page(STORIES["edited"], day, extra=(EDIT,) if w.edited else ()))

    def pages_sitemap(ctx: Context) -> Response:
        return xml(urlset([(w.url("/sm/pages.html"), day, None), (w.url("/sm/edited.html"), w.edited_at, None),
                           (w.url("/private/sm/secret.html"), day, None)]))

    canonical = f'<link rel="canonical" href="{w.victim}">'
    offsite_og = f'<meta property="og:url" content="http://{OFFSITE_HOST}:9/canon/a2.html">'
    amp_canonical = f'<link rel="canonical" href="{w.url("/canon/a3.html")}">'
    redirects = ["/redirects/old-a1.html", "/redirects/loop-a.html", "/redirects/to-other-port.html",
                 "/redirects/to-other-host.html", "/redirects/to-non-article.html"]
    return {
        "/robots.txt": lambda ctx: text_response("User-agent: *\nDisallow: /private/\n", "text/plain"),
        "/flaky/feed.xml": flaky_feed, "/flaky/a1.html": _article(w, "flaky"),
        "/throttled/feed.xml": throttled_feed, "/throttled/a1.html": _article(w, "throttled"),
        "/slow/feed.xml": lambda ctx: xml(rss([(w.url("/slow/a1.html"), day)])), "/slow/a1.html": slow,
        "/redirects/feed.xml": lambda ctx: xml(rss([(w.url(path), day) for path in redirects])),
        "/redirects/old-a1.html": redirect(w.url("/redirects/a1.html"), 301),
        "/redirects/a1.html": _article(w, "redirects"),
        "/redirects/loop-a.html": redirect(w.url("/redirects/loop-b.html")),
        "/redirects/loop-b.html": redirect(w.url("/redirects/loop-a.html")),
        "/redirects/to-other-port.html": redirect(w.url("/redirects/elsewhere.html", "elsewhere")),
        "/redirects/to-other-host.html": redirect(f"http://{OFFSITE_HOST}:9/redirects/a1.html"),
        "/redirects/to-non-article.html": redirect(w.url("/redirects/not-an-article")),
        "/sm/index.xml": lambda ctx: xml(sitemap_index([w.url(p) for p in ("/sm/index.xml", "/sm/news.xml.gz",
                                                                            "/sm/pages.xml")])),
        "/sm/news.xml.gz": lambda ctx: xml(urlset([(w.url("/sm/news.html"), None, day),
                                                   (w.url("/sm/old.html"), None, w.now - timedelta(days=30))]),
                                           gzipped=True),
        "/sm/pages.xml": pages_sitemap,
        "/sm/news.html": _article(w, "news"), "/sm/old.html": _article(w, "old"),
        "/sm/pages.html": _article(w, "pages"), "/sm/edited.html": edited,
        "/private/sm/secret.html": _article(w, "secret"),
        "/canon/feed.xml": lambda ctx: xml(rss([(w.url(p), day) for p in ("/canon/a1.html", "/canon/a2.html",
                                                                           "/canon/amp/a3.html")])),
        "/canon/a1.html": _article(w, "attack", head=canonical),
        "/canon/a2.html": _article(w, "offsite-og", head=offsite_og),
        "/canon/amp/a3.html": _article(w, "amp", head=amp_canonical),
        "/canon/a3.html": _article(w, "amp", head=amp_canonical),
        "/broken/feed.xml": lambda ctx: xml(rss([(w.url("/broken/a1.html"), day)], "أخبار & تقنية").replace(
            b"&amp;", b"&").replace(b"</channel></rss>", b"<item><title>unclosed</title>")),
        "/broken/a1.html": _article(w, "broken"),
        "/paging/a1.html": _article(w, "paging"),
        "/budget/feed.xml": lambda ctx: xml(rss([(w.url(f"/budget/{key}.html"), day) for key in BUDGET])),
        **{f"/budget/{key}.html": _article(w, key) for key in BUDGET},
        "/big/feed.xml": lambda ctx: xml(rss([(w.url(p), day) for p in ("/big/huge.html", "/big/bomb.html",
                                                                         "/big/cp1256.html")])),
        "/big/huge.html": lambda ctx: html(b"<html><body>" + b"x" * BIG + b"</body></html>"),
        "/big/bomb.html": lambda ctx: Response(200, _bomb(), "text/html; charset=utf-8", {"Content-Encoding": "gzip"}),
        "/big/cp1256.html": lambda ctx: html(article_page(STORIES["cp1256"], day, charset=None), charset=None),
    }


def _listing_page(w: TroubledWorld, page: int) -> Response:
    """Infinite pagination: every page has a next one."""
    body = (f'<html lang="ar"><head><meta charset="utf-8"><title>أخبار - صفحة {page}</title></head><body>'
            f'<ul><li><a href="/paging/a1.html">{STORIES["paging"].title}</a></li></ul>'
            f'<a rel="next" href="/paging/list?page={page + 1}">التالي</a></body></html>')
    return replace(html(body.encode()), validators=False)  # a server without ETag or Last-Modified


def _robots500_routes(w: TroubledWorld) -> dict[str, Callable[[Context], Response]]:
    return {
        "/robots.txt": lambda ctx: html_page("<h1>500</h1>", status=500),
        "/feed.xml": lambda ctx: xml(rss([(w.url("/r/a1.html", "robots500"), w.now)])),
        "/r/a1.html": _article(w, "robots"),
    }


def _elsewhere_routes(w: TroubledWorld) -> dict[str, Callable[[Context], Response]]:
    def robots(ctx: Context) -> Response:
        return text_response(f"User-agent: *\nCrawl-delay: 1\n\nSitemap: {ctx.base_url}/sitemap.xml\n", "text/plain")

    return {
        "/robots.txt": robots,
        "/list.html": lambda ctx: html('<html><body><p>لا أخبار هنا</p></body></html>'.encode()),
        "/sitemap.xml": lambda ctx: xml(urlset([(w.url("/s3/a1.html", "elsewhere"), w.now, None)])),
        "/s3/a1.html": _article(w, "fromrobots"),
        "/redirects/elsewhere.html": _article(w, "flaky"),
    }


_ROUTES = {"trouble": _trouble_routes, "robots500": _robots500_routes, "elsewhere": _elsewhere_routes}


@cache
def _bomb() -> bytes:
    return gzip_bomb(64 * 1024 * 1024)
