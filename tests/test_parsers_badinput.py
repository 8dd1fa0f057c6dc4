"""Bad input: every unusable page raises ExtractionError naming the URL and the problem."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import pytest

from crawler.parsers.page import ExtractionError, PageInput, SourceInfo
from crawler.parsers.registry import parse_article

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
SOURCE = SourceInfo(name="test", timezone="Africa/Cairo")
URL = "https://portal.example/news/1"
PARAGRAPH = (
    "<p>أعلنت وزارة الاتصالات عن إطلاق خدمة رقمية جديدة للمواطنين في جميع المحافظات خلال الشهر المقبل.</p>"
)


def page(body: bytes, content_type: str = "text/html; charset=utf-8") -> PageInput:
    return PageInput(url=URL, body=body, headers={"content-type": content_type}, fetched_at=NOW)


@pytest.mark.parametrize(
    ("body", "content_type", "problem"),
    [
        (b"", "text/html", "empty response body"),
        (b"   \n ", "text/html", "empty response body"),
        (b"%PDF-1.7 binary", "application/pdf", "not an HTML page (content-type 'application/pdf')"),
        (b'{"a": 1}', "application/json", "not an HTML page (content-type 'application/json')"),
        (b"just some words, no markup at all", "", "body does not look like HTML"),
        (b"<html><body><div></div></body></html>", "text/html", "no title found (not an article page?)"),
        (b"<html><head><title>T</title></head><body></body></html>", "text/html", "no article text found"),
    ],
    ids=["empty", "blank", "pdf", "json", "plain-text", "no-title", "no-text"],
)
def test_unusable_pages_raise(body: bytes, content_type: str, problem: str) -> None:
    with pytest.raises(ExtractionError) as caught:
        parse_article(page(body, content_type), SOURCE)
    assert caught.value.url == URL
    assert caught.value.problem == problem
    assert str(caught.value) == f"{URL}: {problem}"


def test_too_large_page_is_refused() -> None:
    body = b"<html><body>" + b"<p>x</p>" * (17 * 1024 * 1024 // 8) + b"</body></html>"
    with pytest.raises(ExtractionError, match="response too large"):
        parse_article(page(body), SOURCE)


def test_ten_megabyte_page_is_parsed() -> None:
    filler = ("<div class='sidebar'><a href='/x'>رابط</a></div>" * 200_000).encode()
    body = b"<html><head><title>Big</title></head><body><h1>Big</h1>" + PARAGRAPH.encode() + filler
    assert len(body) > 10_000_000
    article = parse_article(page(body + b"</body></html>"), SOURCE)
    assert article.body.startswith("أعلنت وزارة الاتصالات")


def test_deeply_nested_markup() -> None:
    body = "<html><head><title>Deep</title></head><body><h1>Deep</h1>" + "<div>" * 5000 + PARAGRAPH
    article = parse_article(page((body + "</div>" * 5000 + "</body></html>").encode()), SOURCE)
    assert article.title == "Deep"


def test_broken_json_ld_is_logged_and_skipped(caplog: pytest.LogCaptureFixture) -> None:
    body = (
        '<html><head><script type="application/ld+json">{"@type": "NewsArticle", "headline": </script>'
        "<title>عنوان</title></head><body><h1>عنوان</h1>" + PARAGRAPH + "</body></html>"
    )
    with caplog.at_level(logging.WARNING):
        article = parse_article(page(body.encode()), SOURCE)
    assert article.title == "عنوان"
    messages = [record.getMessage() for record in caplog.records]
    assert any(URL in message and "broken JSON-LD" in message for message in messages)


@pytest.mark.parametrize(
    "date_text", ["2026-02-31T10:00:00+02:00", "3026-01-01T00:00:00Z", "31 شباط 2026", "not a date"]
)
def test_impossible_dates_give_null(date_text: str, caplog: pytest.LogCaptureFixture) -> None:
    body = (
        f'<html><head><meta property="article:published_time" content="{date_text}">'
        "<title>عنوان</title></head><body><h1>عنوان</h1>" + PARAGRAPH + "</body></html>"
    )
    with caplog.at_level(logging.DEBUG):
        article = parse_article(page(body.encode()), SOURCE)
    assert article.published_at is None
    assert any(URL in record.getMessage() and "date" in record.getMessage() for record in caplog.records)
