"""The search page and /api/search over a storage with canned answers: what the page makes of
facets, the histogram, stories and highlights, whatever the backend (the real backends are in
test_web_pages.py and the browser tests)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import parse_qsl, quote, urlsplit

import pytest
from lxml import html as lxml_html
from web_support import FakeStorage, days, fetch

from core.article import Article
from core.settings import load_settings
from indexer.storage.base import SearchHit, SearchResult
from indexer.web import WebServer


def article(n: int, source: str, title: str = "عنوان") -> Article:
    when = datetime(2026, 11, n, 9, tzinfo=UTC)
    return Article(url=f"http://127.0.0.1/a/{n}", canonical_url=f"http://127.0.0.1/a/{n}", source=source, title=title,
                   body="نص المقال " * 40, published_at=when, fetched_at=when, section="اتصالات", language="ar")


RESULT = SearchResult(
    total=45,
    stories=41,
    hits=[SearchHit(article(3, "techwave"), 2.0, title_marks=[("مصر و", False), ("أذربيجان", True)],
                    snippet=[("… وزير ", False), ("أذربيجان", True), (" …", False)], story_size=3,
                    story_sources=["arabnet", "shamtech"]),
          SearchHit(article(4, "arabnet", "Latin title, then عربي"), 1.0)],
    facets={"source": [("techwave", 30), ("arabnet", 10), ("shamtech", 5)], "language": [("ar", 44), ("en", 1)],
            "entity": [("عمرو طلعت", 7)]},
    histogram=days(("2026-11-01", 3), ("2026-11-03", 6)),
)


@pytest.fixture
def fake() -> FakeStorage:
    return FakeStorage(RESULT)


@pytest.fixture
def url(tmp_path: Path, fake: FakeStorage) -> Iterator[str]:
    settings = load_settings(env={"MARSAD_DATA_DIR": str(tmp_path / "data"), "MARSAD_STORAGE_BACKEND": "sqlite"},
                             config_dir=tmp_path)
    with WebServer(settings, storage_factory=lambda: fake) as server:
        yield server.url


def page_of(url: str) -> lxml_html.HtmlElement:
    answer = fetch(url)
    assert answer.status == 200, answer.text
    return lxml_html.fromstring(answer.text)


def test_the_request_asks_for_facets_histogram_and_stories(url: str, fake: FakeStorage) -> None:
    page_of(f"{url}/?q={quote('أذربيجان')}&source=techwave&since=2026-11-01&page=2&tz=Asia/Riyadh")
    (request,) = fake.requests
    assert request.query == "أذربيجان" and request.sources == ("techwave",)
    assert request.facets and request.histogram and request.collapse
    assert request.timezone == "Asia/Riyadh" and request.since is not None and request.since.utcoffset() is not None
    assert (request.offset, request.limit, request.sort) == (20, 20, "relevance")


def test_hits_show_marks_and_the_other_sources_of_the_story(url: str) -> None:
    page = page_of(f"{url}/?q=x")
    assert page.get_element_by_id("count").text_content() == "45 نتيجة في 41 قصة"
    first, second = page.cssselect("#results > li.hit")
    assert [m.text_content() for m in first.cssselect(".title mark")] == ["أذربيجان"]
    assert [m.text_content() for m in first.cssselect(".snippet mark")] == ["أذربيجان"]
    others = first.cssselect(".others")[0]
    assert others.text_content() == "(+2 مصادر أخرى): arabnet، shamtech"
    assert [b.text_content() for b in others.cssselect("bdi")] == ["arabnet", "shamtech"]
    assert not second.cssselect(".others") and second.cssselect(".title")[0].get("dir") == "auto"
    assert second.cssselect(".snippet")[0].text_content().startswith("نص المقال"), "no snippet: the opening"


def test_upper_bounds_are_said_to_be_upper_bounds(url: str, fake: FakeStorage) -> None:
    fake.result = SearchResult(total=5000, total_exact=False, stories=4000, hits=[])
    page = page_of(f"{url}/?q=x")
    assert page.get_element_by_id("count").text_content() == "حتى 5000 نتيجة في 4000 قصة"
    assert page.cssselect(".approx")
    assert fetch(f"{url}/api/search?q=x").json()["total_exact"] is False


def test_facets_link_to_toggled_filters(url: str) -> None:
    page = page_of(f"{url}/?q=x&source=techwave")
    links = {a.text_content(): a.get("href") for a in page.cssselect("#facet-source a")}
    assert parse_qsl(urlsplit(links["techwave"]).query) == [("q", "x")], "an active value removes itself"
    assert parse_qsl(urlsplit(links["arabnet"]).query) == [("q", "x"), ("source", "techwave"), ("source", "arabnet")]
    assert page.cssselect("#facet-source li.active a")[0].text_content() == "techwave"
    assert [a.text_content() for a in page.cssselect("#facet-language a")] == ["العربية (ar)", "الإنجليزية (en)"]
    entity = page.cssselect("#facet-entity a")[0].get("href")
    assert parse_qsl(urlsplit(entity).query) == [("q", "x"), ("source", "techwave"), ("entity", "عمرو طلعت")]
    assert [(i.get("name"), i.get("value")) for i in page.cssselect('form.search input[type="hidden"]')] == [
        ("source", "techwave")], "a new query keeps the filters"


def test_an_active_filter_the_counts_no_longer_name_stays_listed(url: str) -> None:
    page = page_of(f"{url}/?q=x&section=" + quote("فضاء"))
    assert [a.text_content() for a in page.cssselect("#facet-section a")] == ["فضاء"]
    assert page.cssselect(".active-filters a")[0].text_content().strip() == "القسم: فضاء ✕"


def test_the_chart_has_a_bar_per_day_linking_to_that_day(url: str) -> None:
    page = page_of(f"{url}/?q=x")
    bars = page.cssselect("#chart svg a")
    assert [parse_qsl(urlsplit(a.get("href")).query) for a in bars] == [
        [("q", "x"), ("since", "2026-11-01"), ("until", "2026-11-01")],
        [("q", "x"), ("since", "2026-11-03"), ("until", "2026-11-03")],
    ]
    assert [a.cssselect("title")[0].text for a in bars] == ["1 نوفمبر 2026: 3", "3 نوفمبر 2026: 6"]
    assert "3 أيام" in page.cssselect("#chart figcaption")[0].text_content()


def test_paging_links(url: str) -> None:
    page = page_of(f"{url}/?q=x&page=2")
    assert page.cssselect(".pager span")[0].text_content() == "صفحة 2 من 3", "41 stories, 20 a page"
    assert dict(parse_qsl(urlsplit(page.cssselect('.pager a[rel="prev"]')[0].get("href")).query)) == {"q": "x"}
    assert dict(parse_qsl(urlsplit(page.cssselect('.pager a[rel="next"]')[0].get("href")).query))["page"] == "3"
    assert page.cssselect("#results")[0].get("start") == "21"


def test_api_search_carries_the_same_answer(url: str, fake: FakeStorage) -> None:
    answer = fetch(f"{url}/api/search?q=x&per_page=5&tz=UTC")
    assert answer.status == 200 and answer.headers["Content-Type"] == "application/json"
    data = answer.json()
    assert (data["total"], data["stories"], data["per_page"], data["timezone"]) == (45, 41, 5, "UTC")
    assert fake.requests[-1].limit == 5
    hit = data["hits"][0]
    assert hit["article"]["doc_id"] == RESULT.hits[0].article.doc_id
    assert hit["title_marks"] == [{"text": "مصر و", "match": False}, {"text": "أذربيجان", "match": True}]
    assert hit["story_size"] == 3 and hit["story_sources"] == ["arabnet", "shamtech"]
    assert data["facets"]["source"][0] == {"value": "techwave", "count": 30}
    assert data["histogram"] == [{"day": "2026-11-01", "count": 3}, {"day": "2026-11-03", "count": 6}]
    assert fetch(f"{url}/api/search?per_page=0").status == 422
    bad = fetch(f"{url}/api/search?since=yesterday")
    assert bad.status == 400 and "'since' must be a date" in bad.json()["error"]


def test_openapi_describes_the_json_api_only(url: str) -> None:
    spec = fetch(url + "/api/openapi.json").json()
    assert spec["openapi"].startswith("3.")
    assert set(spec["paths"]) == {"/api/search", "/api/articles/{doc_id}", "/api/alerts"}
    parameters = {p["name"] for p in spec["paths"]["/api/search"]["get"]["parameters"]}
    assert {"q", "source", "section", "language", "entity", "since", "until", "sort", "page", "per_page"} <= parameters
    assert "503" in spec["paths"]["/api/search"]["get"]["responses"]
    assert fetch(url + "/docs").status == 404, "no documentation page pulling scripts from a CDN"
