"""The pages over a real index (the portal world crawled by `marsad run`, plus a hostile article),
served by uvicorn on 127.0.0.1 and read over HTTP: search, article, alerts, help, errors."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from html import unescape
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, quote, urlsplit

import pytest
from lxml import html as lxml_html
from web_support import HOSTILE_URL, SECRET_PASSWORD, Site, fetch

from core.article import doc_id_of
from indexer.web import WebServer

if TYPE_CHECKING:
    from crawler.portalworld import PortalWorld

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
AZ = quote("أذربيجان")


@pytest.fixture(scope="module")
def site_url(web_site: Site) -> Iterator[str]:
    with WebServer(web_site.settings(), clock=lambda: NOW) as server:
        yield server.url


def tree(text: str) -> lxml_html.HtmlElement:
    return lxml_html.fromstring(text)


def story_pair(world: PortalWorld) -> list[str]:
    return sorted(a["canonical_url"] for a in world.expected_articles() if a["syndicated_group"])


def test_search_page_is_arabic_rtl_and_finds_the_articles(site_url: str, portal_world: PortalWorld) -> None:
    answer = fetch(f"{site_url}/?q={AZ}&copies=1")
    assert answer.status == 200 and answer.headers["Content-Type"] == "text/html; charset=utf-8"
    page = tree(answer.text)
    assert page.get("lang") == "ar" and page.get("dir") == "rtl"
    expected = sum(1 for a in portal_world.expected_articles() if a["mentions_azerbaijan"]) + 1  # + the hostile one
    assert page.get_element_by_id("count").text_content().startswith(f"{expected} نتيجة")
    assert len(page.cssselect("#results > li.hit")) == expected
    assert page.cssselect('a[href="/help"]'), "a link to the syntax help"
    query_box = page.cssselect('input[name="q"]')[0]
    assert query_box.get("value") == "أذربيجان" and query_box.get("dir") == "auto"
    for title in page.cssselect(".hit .title"):
        assert title.get("dir") == "auto", "scraped titles take their own direction (bidi)"
    assert page.cssselect(".hit .meta bdi"), "source names are isolated (bidi)"


def test_results_are_grouped_by_story_with_highlights(site_url: str, portal_world: PortalWorld) -> None:
    page = tree(fetch(f"{site_url}/?q={AZ}").text)
    pair = story_pair(portal_world)
    hits = page.cssselect("#results > li.hit")
    originals = [hit.cssselect("a.original")[0].get("href") for hit in hits]
    assert len([url for url in originals if url in pair]) == 1, "one hit for the syndicated story"
    (grouped,) = [hit for hit in hits if hit.cssselect("a.original")[0].get("href") in pair]
    assert "+1 مصدر آخر" in grouped.cssselect(".others")[0].text_content()
    assert "في" in page.get_element_by_id("count").text_content() and "قصة" in page.get_element_by_id(
        "count").text_content()
    marks = [mark.text_content() for mark in page.cssselect(".hit mark")]
    assert marks and all(re.search("[أا]ذربيجان", mark) for mark in marks), marks


def test_facets_filter_by_source_and_the_chart_has_a_bar_per_day(site_url: str, portal_world: PortalWorld) -> None:
    page = tree(fetch(f"{site_url}/?q={AZ}&copies=1").text)
    sources = {link.text_content(): link.get("href") for link in page.cssselect("#facet-source a")}
    assert set(sources) == {"techwave", "arabnet", "shamtech"}
    assert dict(parse_qsl(urlsplit(sources["arabnet"]).query)) == {"q": "أذربيجان", "source": "arabnet",
                                                                   "copies": "1"}
    filtered = tree(fetch(site_url + unescape(sources["arabnet"])).text)
    expected = sum(1 for a in portal_world.expected_articles() if a["mentions_azerbaijan"] and a["portal"] == "arabnet")
    assert filtered.get_element_by_id("count").text_content().startswith(f"{expected} نتيجة")
    assert {hit.text_content().strip() for hit in filtered.cssselect(".hit .meta .source")} == {"arabnet"}
    assert [li.text_content().strip() for li in filtered.cssselect(".active-filters li")] == ["المصدر: arabnet ✕"]
    bars = page.cssselect("#chart svg rect.bar")
    assert bars and all(bar.cssselect("title") for bar in bars)
    day_link = bars[0].getparent().get("href")
    assert {"since", "until"} <= dict(parse_qsl(urlsplit(day_link).query)).keys()


def test_paging_and_sorting_links(site_url: str) -> None:
    page = tree(fetch(f"{site_url}/?sort=date").text)
    assert page.cssselect("#results > li.hit"), "an empty query browses everything, newest first"
    assert fetch(f"{site_url}/?page=2").status == 200
    assert fetch(f"{site_url}/?page=0").status == 400


def test_hostile_article_is_escaped_everywhere(site_url: str) -> None:
    for path in (f"/?q={AZ}&copies=1", f"/article/{doc_id_of(HOSTILE_URL)}", "/?entity=" + quote("أذربيجان")):
        text = fetch(site_url + path).text
        page = tree(text)
        assert [script.get("src") for script in page.iter("script")] == ["/static/zone.js"], path
        assert not page.cssselect("img, svg[onload], [onerror], [onload], [onmouseover]"), path
        assert "javascript:" not in "".join(a.get("href", "") for a in page.iter("a")), path
        assert "&lt;script&gt;" in text, path
    article = tree(fetch(f"{site_url}/article/{doc_id_of(HOSTILE_URL)}").text)
    assert article.cssselect("p.original a")[0].get("href") == "#", "a javascript: URL is no link"


def test_article_view(site_url: str, portal_world: PortalWorld) -> None:
    pair = story_pair(portal_world)
    record = next(a for a in portal_world.expected_articles() if a["canonical_url"] == pair[0])
    answer = fetch(f"{site_url}/article/{doc_id_of(pair[0])}")
    assert answer.status == 200
    page = tree(answer.text)
    assert page.cssselect("article h1")[0].text_content() == record["title"]
    paragraphs = [p.text_content() for p in page.cssselect("article .body p")]
    assert paragraphs == [" ".join(p.split()) for p in record["paragraphs"]]
    assert page.cssselect("p.original a")[0].get("href") == pair[0]
    assert "noreferrer" in page.cssselect("p.original a")[0].get("rel")
    published = record["published"].astimezone(UTC).astimezone()
    stamp = page.cssselect(".dates time")[0]
    assert datetime.fromisoformat(stamp.get("datetime")) == published
    assert stamp.text_content().endswith("(Asia/Riyadh)"), "the readers' zone of alerts.yaml"
    copies = page.cssselect("#copies li a[href^='/article/']")
    assert [a.get("href") for a in copies] == [f"/article/{doc_id_of(pair[1])}"], "the story's other source"
    people = {a.text_content(): a.get("href") for a in page.cssselect("#entities a")}
    assert people and all(dict(parse_qsl(urlsplit(href).query)).keys() == {"entity"} for href in people.values())
    name, href = next(iter(people.items()))
    filtered = tree(fetch(site_url + href).text)
    assert filtered.cssselect(".active-filters li")[0].text_content().strip() == f"الأسماء: {name} ✕"


def test_dates_follow_the_readers_zone(site_url: str, portal_world: PortalWorld) -> None:
    url = f"{site_url}/article/{doc_id_of(story_pair(portal_world)[0])}"
    utc = tree(fetch(url + "?tz=UTC").text).cssselect(".dates time")[0].text_content()
    cairo = tree(fetch(url, {"Cookie": "marsad_tz=Africa/Cairo"}).text).cssselect(".dates time")[0].text_content()
    bogus = tree(fetch(url + "?tz=../../etc/passwd").text).cssselect(".dates time")[0].text_content()
    assert utc.endswith("(UTC)") and cairo.endswith("(Africa/Cairo)") and bogus.endswith("(Asia/Riyadh)")


def test_alerts_page_lists_rules_recent_alerts_and_30_day_counts(site_url: str, portal_world: PortalWorld) -> None:
    page = tree(fetch(site_url + "/alerts").text)
    since = NOW - timedelta(days=30)
    truth = [a for a in portal_world.expected_articles() if a["mentions_azerbaijan"] and a["published"] >= since]
    azerbaijan = page.get_element_by_id("rule-azerbaijan")
    assert azerbaijan.cssselect(".articles-30d")[0].text_content() == str(len(truth) + 1)  # + the hostile one
    assert [chip.text_content() for chip in azerbaijan.cssselect(".channels .chip")] == ["team-mail", "ops-hook"]
    recent = azerbaijan.cssselect(".recent li a")
    assert len(recent) == 5 and all(a.get("href").startswith("/article/") for a in recent)
    assert azerbaijan.cssselect('a[href="/feeds/azerbaijan.atom"]')
    spectrum = page.get_element_by_id("rule-spectrum")
    assert spectrum.cssselect(".articles-30d")[0].text_content() == "1"


@pytest.mark.parametrize("path", ["/alerts", "/api/alerts", "/api/openapi.json", "/", "/help"])
def test_no_secret_on_any_page(site_url: str, path: str) -> None:
    text = fetch(site_url + path).text
    for secret in (SECRET_PASSWORD, "smtp.example.org", "hooks.example.org", "mailtos", "MARSAD_TEST_HOOK_SECRET"):
        assert secret not in text, (path, secret)


def test_bad_query_is_a_readable_400(site_url: str) -> None:
    answer = fetch(site_url + "/?q=" + quote('"غير مغلق <b>'))
    assert answer.status == 400
    page = tree(answer.text)
    assert page.cssselect("h1")[0].text_content() == "لا يمكن تنفيذ هذا البحث"
    assert "at character" in page.cssselect(".detail")[0].text_content()
    assert page.cssselect('input[name="q"]')[0].get("value") == '"غير مغلق <b>'
    assert "<b>" not in answer.text


@pytest.mark.parametrize("path", ["/article/" + "0" * 40, "/article/../../etc/passwd", "/article/xyz", "/admin"])
def test_unknown_pages_are_404(site_url: str, path: str) -> None:
    answer = fetch(site_url + path)
    assert answer.status == 404 and "الصفحة غير موجودة" in answer.text


def test_help_page_explains_the_syntax(site_url: str) -> None:
    page = tree(fetch(site_url + "/help").text)
    examples = [code.text_content() for code in page.cssselect("table.syntax code")]
    assert {"مصر OR السعودية", '"الذكاء الاصطناعي"', "طيف NEAR/3 مزاد", "=مصر"} <= set(examples)


def test_api_article_and_alerts(site_url: str, portal_world: PortalWorld) -> None:
    pair = story_pair(portal_world)
    answer = fetch(f"{site_url}/api/articles/{doc_id_of(pair[0])}")
    assert answer.status == 200
    data = answer.json()
    assert data["url"] == pair[0] and data["body"] and data["entities"]["persons"]
    assert [copy["url"] for copy in data["story_copies"]] == [pair[1]]
    assert datetime.fromisoformat(data["published_at"]).tzinfo is not None
    missing = fetch(f"{site_url}/api/articles/{'0' * 40}")
    assert missing.status == 404 and missing.json() == {"error": "no article with this id"}
    alerts = fetch(f"{site_url}/api/alerts").json()
    assert alerts["timezone"] == "Asia/Riyadh"
    rules = {rule["name"]: rule for rule in alerts["rules"]}
    assert rules["azerbaijan"]["channels"] == ["team-mail", "ops-hook"]
    assert rules["spectrum"]["articles_30d"] == 1 and rules["spectrum"]["feed"] == "/feeds/spectrum.atom"
    assert len(rules["azerbaijan"]["recent"]) == 5
