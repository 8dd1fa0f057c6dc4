"""Helpers for the web page tests: a crawled portal world plus hostile articles, a storage that
answers with canned results, and an HTTP client that does not follow redirects."""

from __future__ import annotations

import http.client
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import yaml
from marsad_runs import AZERBAIJAN, run_marsad, write_config

from core.article import Article, Entities
from core.settings import Settings, load_settings
from indexer.storage.base import SearchRequest, SearchResult, StoreReport
from indexer.storage.factory import open_storage

if TYPE_CHECKING:
    from crawler.portalworld import PortalWorld

SECRET_PASSWORD = "S3CRET-PASS-4711"
SECRET_ES = "es-password-0815"
RULES = {"timezone": "Asia/Riyadh", "rules": [AZERBAIJAN, {"name": "spectrum", "query": "طيف"}]}
# The web server reads this alerts.yaml; its channels carry secrets it must never show (and an
# ${VARIABLE} it never needs: the page reads the rules, not the channels).
SERVED_ALERTS = {
    "timezone": "Asia/Riyadh",
    "channels": {
        "team-mail": f"mailtos://analyst:{SECRET_PASSWORD}@smtp.example.org?to=analysts@example.org",
        "ops-hook": "json://hooks.example.org/${MARSAD_TEST_HOOK_SECRET}",
    },
    "rules": [{**AZERBAIJAN, "channels": ["team-mail", "ops-hook"]},
              {"name": "spectrum", "query": "طيف", "channels": ["team-mail"]}],
}

PAYLOAD_TITLE = ('<script>window.__pwned="title";alert(1)</script>أذربيجان تختبر '
                 '<img src=x onerror="window.__pwned=\'img\'"> <a href="javascript:window.__pwned=1">رابط</a>')
PAYLOAD_BODY = ('أذربيجان <script>window.__pwned="body"</script>\n\n'
                '<svg onload="window.__pwned=\'svg\'"><a href="javascript:alert(2)">x</a></svg> '
                '"><img src=x onerror=alert(3)> javascript:alert(4)')
HOSTILE_URL = "javascript:window.__pwned='url'//http://127.0.0.1/hostile"


def hostile_articles() -> list[Article]:
    when = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)
    return [
        Article(url=HOSTILE_URL, canonical_url=HOSTILE_URL, source="techwave", title=PAYLOAD_TITLE,
                body=PAYLOAD_BODY, published_at=when, fetched_at=when, language="ar",
                section='<b onmouseover="window.__pwned=5">قسم</b>',
                tags=['javascript:alert(6)', '"><script>window.__pwned=7</script>'],
                entities=Entities(persons=['<img src=x onerror="window.__pwned=8">'],
                                  organizations=["javascript:alert(9)"], locations=["أذربيجان"])),
    ]


@dataclass
class Site:
    config_dir: Path
    data_dir: Path
    env: dict[str, str]

    def settings(self) -> Settings:
        return load_settings(env=self.env, config_dir=self.config_dir)


def build_site(root: Path, world: PortalWorld, env: dict[str, str] | None = None, alerts: bool = True) -> Site:
    """The portal world crawled (`marsad run`: index, stories, alerts, feeds), the hostile
    article added to the index, and the served alerts.yaml with secret-bearing channels."""
    env = env or {"MARSAD_DATA_DIR": str(root / "data"), "MARSAD_STORAGE_BACKEND": "sqlite"}
    config = write_config(root / "config", world, RULES)
    result = run_marsad(config, env, "run" if alerts else "crawl")
    assert result.returncode == 0, result.stderr
    site = Site(config, Path(env["MARSAD_DATA_DIR"]), env)
    storage = open_storage(site.settings())
    try:
        storage.store(hostile_articles())
    finally:
        storage.close()
    (config / "alerts.yaml").write_text(yaml.safe_dump(SERVED_ALERTS, allow_unicode=True), encoding="utf-8")
    return site


@dataclass
class Answer:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")

    def json(self) -> Any:
        return json.loads(self.body)


def fetch(url: str, headers: dict[str, str] | None = None, method: str = "GET", body: bytes | None = None,
          host: str | None = None) -> Answer:
    """One request; redirects are answers, not followed. ``host`` sends another Host header."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=60)
    try:
        connection.putrequest(method, parts.path + (f"?{parts.query}" if parts.query else ""), skip_host=True)
        connection.putheader("Host", host if host is not None else parts.netloc)
        for name, value in (headers or {}).items():
            connection.putheader(name, value)
        if body is not None:
            connection.putheader("Content-Length", str(len(body)))
        connection.endheaders(body)
        response = connection.getresponse()
        return Answer(response.status, response.headers, response.read())
    finally:
        connection.close()


@dataclass
class FakeStorage:
    """A Storage that answers every search with ``result`` and records the requests."""

    result: SearchResult
    articles: list[Article] = field(default_factory=list)
    requests: list[SearchRequest] = field(default_factory=list)
    name: str = "fake"

    def store(self, articles: Sequence[Article]) -> StoreReport:
        self.articles.extend(articles)
        return StoreReport(created=len(articles))

    def search(self, request: SearchRequest) -> SearchResult:
        self.requests.append(request)
        return self.result

    def get(self, doc_id: str) -> Article | None:
        return self.get_many([doc_id]).get(doc_id)

    def get_many(self, doc_ids: Iterable[str]) -> dict[str, Article]:
        wanted = set(doc_ids)
        return {article.doc_id: article for article in self.articles if article.doc_id in wanted}

    def iter_matching(self, query: str, since: datetime | None = None, match: str = "inflected") -> Iterator[Article]:
        return iter(self.articles)

    def count(self) -> int:
        return len(self.articles)

    def iter_articles(self) -> Iterator[Article]:
        return iter(self.articles)

    def close(self) -> None:
        pass


def days(*pairs: tuple[str, int]) -> list[tuple[date, int]]:
    return [(date.fromisoformat(day), count) for day, count in pairs]
