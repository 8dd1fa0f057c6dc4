"""Dates in URL paths: the weakest date layer, in the source's zone, never over a printed date."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from crawler.parsers.page import PageInput, SourceInfo
from crawler.parsers.registry import explain_article
from crawler.parsers.urldate import url_date

CAIRO = ZoneInfo("Africa/Cairo")
NOW = datetime(2026, 11, 25, 6, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("url", "day"),
    [
        ("https://portal.example/2026/11/23/fiber-villages/", "2026-11-23"),
        ("https://www.portal.example/story/2013/8/3/slug/1234567", "2013-08-03"),
        ("https://portal.example/2013/tech/8/3/", "2013-08-03"),
        ("https://portal.example/news/20261123/item", "2026-11-23"),
        ("https://portal.example/a-2026-11-23-b.html", "2026-11-23"),
        ("https://portal.example/archive?date=2026-11-23", "2026-11-23"),
        ("https://portal.example/2026/11/slug/", None),  # a month is no day
        ("https://portal.example/2026/02/30/x", None),
        ("https://portal.example/archives/31877", None),
        ("https://portal.example/ar/2020/11/2338761/", None),
    ],
)
def test_url_date(url: str, day: str | None) -> None:
    found = url_date(url, CAIRO)
    if day is None:
        assert found is None
        return
    assert found is not None and found.tzinfo is not None
    assert found == datetime.fromisoformat(f"{day}T00:00:00").replace(tzinfo=CAIRO)


def explain(body: str, url: str) -> tuple:
    html = (f'<html lang="ar"><head><meta charset="utf-8"><title>خبر</title></head><body><h1>الهيئة تطلق منصة '
            f"موحدة للشكاوى في كل المحافظات</h1>{body}<p>أعلنت الهيئة إطلاق منصة موحدة لتلقي شكاوى المشتركين في "
            "جميع المحافظات، على أن تعمل على مدار الساعة طوال أيام الأسبوع.</p></body></html>")
    page = PageInput(url, html.encode(), {"content-type": "text/html"}, NOW)
    return explain_article(page, SourceInfo("portal", "Africa/Cairo", "ar"))


def test_a_page_with_no_other_date_takes_the_url_day_in_the_sources_zone() -> None:
    article, provenance = explain("", "https://portal.example/2026/11/23/complaints-platform/")
    assert article.published_at == datetime(2026, 11, 23, tzinfo=CAIRO)
    assert article.published_at.utcoffset() is not None
    assert provenance["published_at"] == "url path"
    assert "publication date only from the URL" in article.confidence_reasons


def test_a_printed_date_beats_the_url() -> None:
    article, provenance = explain('<span class="date">24 نوفمبر 2026</span>',
                                  "https://portal.example/2026/11/23/complaints-platform/")
    assert article.published_at == datetime(2026, 11, 24, tzinfo=CAIRO)
    assert provenance["published_at"] != "url path"


def test_a_date_line_with_no_known_name_beats_the_url() -> None:
    """A template whose date element has a class nobody knows still prints a date under the headline."""
    article, provenance = explain('<div class="x7f"><span class="q2">بواسطة سامي</span> <span class="q3">'
                                  "الثلاثاء 24 نوفمبر 2026</span></div>",
                                  "https://portal.example/2026/11/23/complaints-platform/")
    assert article.published_at == datetime(2026, 11, 24, tzinfo=CAIRO)
    assert provenance["published_at"] == "date line near the headline"
