"""Shared fixtures: the real Elasticsearch node, the portal world, temporary config folders."""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from es_nodes import EsNode, external_node, script_cluster, script_node
from redis_servers import RedisServer, redis_server

if TYPE_CHECKING:
    from web_support import Site

    from crawler.portalworld import PortalWorld
    from indexer.state import State
    from marsad.sinks import SmtpSink, WebhookSink


@pytest.fixture(scope="session")
def es_node() -> Iterator[EsNode]:
    """Elasticsearch 8.19 from scripts/elasticsearch (security on), or the cluster MARSAD_ES_URL names
    (with MARSAD_ES_USER/MARSAD_ES_PASSWORD or MARSAD_ES_API_KEY). Never skips: fails loudly."""
    external = external_node()
    if external is not None:
        yield external
        return
    with script_node("8") as node:
        yield node


@pytest.fixture(scope="session")
def es9_node() -> Iterator[EsNode]:
    """Elasticsearch 9.x from scripts/elasticsearch --version 9 (on a JDK 21+), security on."""
    with script_node("9") as node:
        yield node


@pytest.fixture(scope="session")
def es_cluster() -> Iterator[EsNode]:
    """Two Elasticsearch 8.19 nodes in one cluster on loopback (scripts/elasticsearch --cluster 2), security
    on, for the shared crawl. Never skips: fails loudly."""
    with script_cluster(2) as cluster:
        yield cluster


@pytest.fixture(scope="session")
def es_url(es_node: EsNode) -> str:
    return es_node.url


@pytest.fixture(scope="session")
def es_env(es_node: EsNode) -> dict[str, str]:
    """MARSAD_ES_URL and the credentials, for `marsad` subprocesses."""
    return es_node.env


@pytest.fixture
def es_index(es_node: EsNode) -> Iterator[str]:
    """A fresh index name on the 8.19 node for one test, deleted afterwards."""
    with es_node.fresh_index() as name:
        yield name


@pytest.fixture(scope="session")
def redis_session(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    """Debian's redis-server on a free loopback port, for the whole session. Never skips."""
    with redis_server(tmp_path_factory.mktemp("redis")) as server:
        yield server


@pytest.fixture
def redis_url(redis_session: RedisServer) -> Iterator[str]:
    """An empty Redis for one test (flushed before and after)."""
    redis_session.flush()
    yield redis_session.url
    redis_session.flush()


@pytest.fixture(scope="session")
def portal_world() -> Iterator[PortalWorld]:
    from crawler.portalworld import PortalWorld

    with PortalWorld() as world:
        yield world


@pytest.fixture(scope="session")
def web_site(portal_world: PortalWorld, tmp_path_factory: pytest.TempPathFactory) -> Site:
    """The portal world crawled into SQLite by `marsad run` (stories, alerts, feeds), plus a hostile
    article, with an alerts.yaml whose channels carry secrets (tests/web_support.py)."""
    from web_support import build_site

    return build_site(tmp_path_factory.mktemp("web-site"), portal_world)


@pytest.fixture(scope="session")
def chromium() -> str:
    """Debian's chromium, installed by `./setup.sh --with-browser`. Never skips: fails loudly."""
    import shutil

    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        pytest.fail("chromium is not installed: run ./setup.sh --with-browser (as root)", pytrace=False)
    return path


@pytest.fixture
def render_dom(chromium: str, tmp_path: Path) -> Callable[[str], str]:
    """Load a URL in headless chromium and return the DOM after its scripts ran."""

    def render(url: str) -> str:
        result = subprocess.run(
            [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={tmp_path / 'chromium-profile'}", "--dump-dom", url],
            capture_output=True, text=True, timeout=60,
        )
        if result.returncode != 0:
            pytest.fail(f"chromium failed on {url}: {result.stderr[-2000:]}", pytrace=False)
        return result.stdout

    return render


@pytest.fixture
def smtp_sink() -> Iterator[SmtpSink]:
    """A real SMTP server (aiosmtpd) on 127.0.0.1 that keeps what it receives."""
    from marsad.sinks import SmtpSink

    with SmtpSink() as sink:
        yield sink


@pytest.fixture
def webhook_sink() -> Iterator[WebhookSink]:
    """A real HTTP server on 127.0.0.5 recording the JSON posts of Apprise's json:// channel."""
    from marsad.sinks import WebhookSink

    with WebhookSink("127.0.0.5") as sink:
        yield sink


@pytest.fixture(params=["sqlite", "redis"])
def open_state(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Callable[[], State]]:
    """Opens the state store under test, each call a new handle on the same data: a SQLite file, or
    an empty Redis (the state tests run on both, so the two stores are held to the same assertions)."""
    from indexer.state.redis_state import RedisState
    from indexer.state.store import StateStore

    opened: list[State] = []
    url = request.getfixturevalue("redis_url") if request.param == "redis" else ""

    def open_one() -> State:
        store: State = RedisState(url) if url else StateStore(tmp_path / "state.sqlite")
        opened.append(store)
        return store

    yield open_one
    for store in opened:
        store.close()


@pytest.fixture
def state(open_state: Callable[[], State]) -> State:
    return open_state()
