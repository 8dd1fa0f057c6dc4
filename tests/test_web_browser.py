"""The web page in headless Debian chromium, driven by Playwright (``executable_path``, never a
downloaded browser): search, filter by source, open an article, the chart, a hostile article that
runs no script, the page at 360 px, and times in the browser's zone. Screenshots are saved in
``test-output/web/`` for a person to look at."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import pytest
from web_support import HOSTILE_URL, Site

from core.article import doc_id_of
from core.settings import PROJECT_ROOT
from indexer.web import WebServer

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
SHOTS = PROJECT_ROOT / "test-output" / "web"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--disable-quic", "--no-first-run"]


@pytest.fixture(scope="module")
def site_url(web_site: Site) -> Iterator[str]:
    with WebServer(web_site.settings(), clock=lambda: NOW) as server:
        yield server.url


@pytest.fixture(scope="module")
def browser(chromium: str) -> Iterator[Browser]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ar", timezone_id="Asia/Riyadh")
    opened = context.new_page()
    yield opened
    context.close()


def shot(page: Page, name: str) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 0
    return path


def test_search_filter_by_source_and_open_an_article(page: Page, site_url: str) -> None:
    page.goto(site_url + "/")
    page.fill('input[name="q"]', "أذربيجان")
    page.press('input[name="q"]', "Enter")
    page.wait_for_url("**/?q=*")
    hits = page.locator("#results > li.hit")
    assert hits.count() > 1
    assert "قصة" in page.inner_text("#count")
    shot(page, "search")

    page.click("#facet-source a:has-text('arabnet')")
    page.wait_for_url("**source=arabnet*")
    sources = page.locator(".hit .meta .source").all_inner_texts()
    assert sources and set(sources) == {"arabnet"}
    assert "arabnet" in page.inner_text(".active-filters")
    shot(page, "search-arabnet")

    title = page.locator(".hit .title a").first.inner_text()
    page.locator(".hit .title a").first.click()
    page.wait_for_url("**/article/*")
    assert page.inner_text("article h1") == title
    assert page.locator("article .body p").count() > 1
    assert page.locator("p.original a").get_attribute("rel") == "noopener noreferrer nofollow"
    shot(page, "article")

    page.locator("#entities a").first.click()
    page.wait_for_url("**entity=*")
    assert page.locator("#results > li.hit").count() >= 1


def test_the_chart_is_drawn(page: Page, site_url: str) -> None:
    page.goto(f"{site_url}/?q={quote('أذربيجان')}")
    chart = page.locator("#chart svg")
    box = chart.bounding_box()
    assert box is not None and box["width"] > 300 and box["height"] > 50
    bars = page.locator("#chart rect.bar")
    assert bars.count() >= 2
    heights = [float(bars.nth(i).get_attribute("height") or 0) for i in range(bars.count())]
    assert max(heights) > min(heights) > 0
    SHOTS.mkdir(parents=True, exist_ok=True)
    chart.screenshot(path=str(SHOTS / "chart.png"))


def test_a_hostile_article_runs_no_script(page: Page, site_url: str) -> None:
    dialogs: list[str] = []
    console: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.on("console", lambda message: console.append(message.text))
    for path in (f"/?q={quote('أذربيجان تختبر')}&copies=1", f"/article/{doc_id_of(HOSTILE_URL)}"):
        page.goto(site_url + path)
        page.wait_for_load_state("load")
        for element in page.locator("h1, h2, .meta bdi, .chips a").all()[:20]:
            element.hover()
        state: dict[str, Any] = page.evaluate(
            "() => ({pwned: window.__pwned === undefined ? null : String(window.__pwned),"
            " scripts: [...document.scripts].map(s => s.src),"
            " images: document.images.length,"
            " handlers: document.querySelectorAll('[onerror],[onload],[onmouseover]').length,"
            " jsLinks: [...document.links].filter(a => a.protocol === 'javascript:').length})"
        )
        assert state == {"pwned": None, "scripts": [site_url + "/static/zone.js"], "images": 0, "handlers": 0,
                         "jsLinks": 0}, path
    assert "window.__pwned" in page.inner_text("article h1"), "the payload is shown as text"
    page.locator("p.original a").click()
    assert page.evaluate("window.__pwned === undefined")
    shot(page, "hostile-article")
    assert dialogs == []
    assert not [line for line in console if "Content Security Policy" in line], console


def test_the_page_at_360_px_stays_usable(browser: Browser, site_url: str) -> None:
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="ar", is_mobile=True,
                                  has_touch=True, device_scale_factor=2)
    page = context.new_page()
    try:
        for path in (f"/?q={quote('أذربيجان')}", f"/article/{doc_id_of(HOSTILE_URL)}", "/alerts", "/help"):
            page.goto(site_url + path)
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 360, f"{path} scrolls sideways ({width} px)"
        page.goto(f"{site_url}/?q={quote('أذربيجان')}")
        query_box = page.locator('input[name="q"]').bounding_box()
        assert query_box is not None and query_box["x"] >= 0 and query_box["x"] + query_box["width"] <= 360
        assert query_box["width"] > 150, "the query box keeps a usable width"
        first = page.locator(".hit .title a").first.bounding_box()
        assert first is not None and first["x"] + first["width"] <= 360
        shot(page, "search-360px")
        page.fill('input[name="q"]', "طيف")
        page.press('input[name="q"]', "Enter")
        page.wait_for_url("**q=%D8%B7%D9%8A%D9%81*")
        assert page.locator("#results > li.hit").count() >= 1
        page.locator("#facet-source a").first.tap()
        page.wait_for_url("**source=*")
        assert page.locator("#results > li.hit").count() >= 1
    finally:
        context.close()


def test_times_follow_the_browsers_zone(browser: Browser, site_url: str) -> None:
    context = browser.new_context(timezone_id="America/New_York", locale="ar")
    page = context.new_page()
    try:
        url = f"{site_url}/article/{doc_id_of(HOSTILE_URL)}"
        page.goto(url)  # the first page is in the configured zone; its script tells the server the browser's
        assert "(Asia/Riyadh)" in page.inner_text(".dates")
        page.goto(url)
        assert "(America/New_York)" in page.inner_text(".dates")
        assert "9 نوفمبر" not in page.inner_text(".dates") and "20 نوفمبر 2026، 04:30" in page.inner_text(".dates")
    finally:
        context.close()
