"""The minimal search page: real HTTP on 127.0.0.1, hostile scraped text escaped."""

from __future__ import annotations

import json
import threading
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from core.article import Article
from core.settings import load_settings
from indexer.storage.sqlite import SqliteStorage
from indexer.web import make_server

HOSTILE = '<script>alert("x")</script> أذربيجان <img src=x onerror="document.title=\'pwned\'">'


@pytest.fixture
def page_url(tmp_path: Path) -> Iterator[str]:
    settings = load_settings(env={"MARSAD_DATA_DIR": str(tmp_path), "MARSAD_STORAGE_BACKEND": "sqlite"},
                             config_dir=tmp_path)
    storage = SqliteStorage(settings.sqlite_path)
    storage.store([
        Article(url="http://127.0.0.1/a/1", canonical_url='http://127.0.0.1/a/1?"><script>x</script>',
                source="techwave", title=HOSTILE, body="وزير الاتصالات يزور أذربيجان " + HOSTILE,
                published_at=datetime(2026, 11, 23, 10, tzinfo=UTC), fetched_at=datetime.now(UTC)),
    ])
    storage.close()
    server = make_server(settings, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def get(url: str) -> tuple[int, str, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.headers["Content-Type"], response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.headers["Content-Type"], error.read().decode("utf-8")


def test_search_page_finds_and_escapes(page_url: str) -> None:
    status, content_type, html = get(page_url + "/?q=" + urllib.parse.quote("بأذربيجان"))
    assert status == 200 and content_type.startswith("text/html")
    assert 'dir="rtl"' in html
    assert '<p id="count">1 نتيجة</p>' in html
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html


def test_query_is_escaped_in_the_form(page_url: str) -> None:
    _, _, html = get(page_url + "/?q=" + urllib.parse.quote('"><script>alert(1)</script>'))
    assert "<script>alert(1)</script>" not in html


def test_json_api_and_bad_query(page_url: str) -> None:
    status, content_type, body = get(page_url + "/api/search?q=" + urllib.parse.quote("أذربيجان"))
    assert status == 200 and content_type == "application/json"
    assert json.loads(body)["total"] == 1
    status, _, body = get(page_url + "/api/search?q=" + urllib.parse.quote('"غير مغلق'))
    assert status == 400 and "at character" in json.loads(body)["error"]


def test_unknown_path_is_404(page_url: str) -> None:
    assert get(page_url + "/admin")[0] == 404


def test_hostile_article_runs_no_script_in_a_real_browser(page_url: str, render_dom: Callable[[str], str]) -> None:
    dom = render_dom(page_url + "/?q=" + urllib.parse.quote("أذربيجان"))
    assert "<title>مرصد — بحث</title>" in dom, "a script from the scraped title changed the page"
    assert '<p id="count">1 نتيجة</p>' in dom
    assert "&lt;script&gt;alert(\"x\")&lt;/script&gt;" in dom
    assert "<img" not in dom
