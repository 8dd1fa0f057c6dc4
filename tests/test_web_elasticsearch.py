"""The web page over a real Elasticsearch node (8.19, security on): the same pages as on SQLite,
and neither the node's password nor anything else secret on any of them."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import TYPE_CHECKING
from urllib.parse import quote

import pytest
from es_nodes import EsNode
from lxml import html as lxml_html
from web_support import HOSTILE_URL, SECRET_PASSWORD, build_site, fetch

from core.article import doc_id_of
from indexer.web import WebServer

if TYPE_CHECKING:
    from crawler.portalworld import PortalWorld

pytestmark = pytest.mark.elasticsearch
NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def es_site_url(es_node: EsNode, portal_world: PortalWorld, tmp_path_factory: pytest.TempPathFactory
                ) -> Iterator[str]:
    root = tmp_path_factory.mktemp("web-es")
    with es_node.fresh_index() as index:
        env = {"MARSAD_DATA_DIR": str(root / "data"), **es_node.env, "MARSAD_ES_INDEX": index}
        site = build_site(root, portal_world, env)
        with WebServer(site.settings(), clock=lambda: NOW) as server:
            yield server.url


def test_search_article_and_alerts_pages(es_site_url: str, portal_world: PortalWorld) -> None:
    page = lxml_html.fromstring(fetch(f"{es_site_url}/?q={quote('أذربيجان')}&copies=1").text)
    expected = sum(1 for a in portal_world.expected_articles() if a["mentions_azerbaijan"]) + 1
    assert page.get_element_by_id("count").text_content().startswith(f"{expected} نتيجة")
    pair = sorted(a["canonical_url"] for a in portal_world.expected_articles() if a["syndicated_group"])
    article = lxml_html.fromstring(fetch(f"{es_site_url}/article/{doc_id_of(pair[0])}").text)
    assert [a.get("href") for a in article.cssselect("#copies li a[href^='/article/']")] == [
        f"/article/{doc_id_of(pair[1])}"]
    hostile = fetch(f"{es_site_url}/article/{doc_id_of(HOSTILE_URL)}")
    assert hostile.status == 200 and "&lt;script&gt;" in hostile.text and "<script>window" not in hostile.text
    alerts = lxml_html.fromstring(fetch(f"{es_site_url}/alerts").text)
    assert alerts.get_element_by_id("rule-spectrum").cssselect(".articles-30d")[0].text_content() == "1"


@pytest.mark.parametrize("path", ["/", "/?q=x", "/alerts", "/api/alerts", "/api/search?q=x", "/api/openapi.json",
                                  "/?q=%22"])
def test_no_secret_on_any_page(es_site_url: str, es_node: EsNode, path: str) -> None:
    text = fetch(es_site_url + path).text
    secrets = [value for value in (es_node.env.get("MARSAD_ES_PASSWORD"), es_node.env.get("MARSAD_ES_API_KEY"),
                                   SECRET_PASSWORD) if value]
    assert secrets and not [secret for secret in secrets if secret in text]
