"""Layered metadata: JSON-LD → OpenGraph/meta → microdata/<time> → visible text, with provenance."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from core.article import Article
from crawler.parsers.page import PageInput, SourceInfo
from crawler.parsers.registry import explain_article

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
SOURCE = SourceInfo(name="portal", timezone="Africa/Cairo")
BODY = (
    "<p>أعلنت الهيئة الوطنية لتنظيم الاتصالات عن خطة لتوسيع شبكات الألياف الضوئية في المحافظات خلال عامين.</p>"
    "<p>وأوضحت الهيئة أن الخطة تشمل ربط المدارس والمستشفيات بالشبكة الجديدة بحلول نهاية العام المقبل.</p>"
)


def explain(head: str, body: str = BODY, url: str = "https://portal.example/n/1?utm_source=fb") -> tuple:
    html = f"<html><head>{head}</head><body><h1>عنوان الخبر الرئيسي اليوم</h1>{body}</body></html>"
    page = PageInput(url=url, body=html.encode(), headers={"content-type": "text/html"}, fetched_at=NOW)
    return explain_article(page, SOURCE)


def ld(data: object) -> str:
    return f'<script type="application/ld+json">{json.dumps(data, ensure_ascii=False)}</script>'


def test_json_ld_graph_beats_opengraph_and_says_so() -> None:
    head = ld({"@graph": [{"@type": "WebPage"}, {"@type": "ReportageNewsArticle",
                                                 "datePublished": "2026-11-20T10:00:00+02:00",
                                                 "author": {"@type": "Person", "name": "سارة علي"}}]})
    head += '<meta property="article:published_time" content="2026-11-19T08:00:00+00:00">'
    article, provenance = explain(head)
    assert article.published_at == datetime.fromisoformat("2026-11-20T10:00:00+02:00")
    assert article.published_at is not None and article.published_at.tzinfo is not None
    assert provenance["published_at"] == "json-ld datePublished"
    assert article.author == "سارة علي"
    assert provenance["author"] == "json-ld author"


def test_news_article_preferred_over_plain_article() -> None:
    head = ld([{"@type": "Article", "datePublished": "2026-01-01T00:00:00Z"},
               {"@type": "NewsArticle", "datePublished": "2026-11-21T09:00:00+03:00"}])
    article, _ = explain(head)
    assert article.published_at == datetime.fromisoformat("2026-11-21T09:00:00+03:00")


def test_meta_local_time_labelled_utc_is_corrected_by_visible_text() -> None:
    head = '<meta property="article:published_time" content="2026-11-22T09:23:13Z">'
    body = '<span class="newsStoryDate">الأحد، 22 نوفمبر 2026 09:23 ص</span>' + BODY
    article, provenance = explain(head, body)
    assert article.published_at == datetime.fromisoformat("2026-11-22T09:23:13+02:00")
    assert article.published_at is not None and article.published_at.tzinfo is not None
    assert provenance["published_at"].startswith("visible")


def test_true_utc_meta_kept_when_visible_time_differs() -> None:
    head = '<meta property="article:published_time" content="2026-11-22T07:23:13Z">'
    body = '<span class="date">الأحد، 22 نوفمبر 2026 09:23 ص</span>' + BODY
    article, provenance = explain(head, body)
    assert article.published_at == datetime(2026, 11, 22, 7, 23, 13, tzinfo=UTC)
    assert provenance["published_at"] == "article:published_time"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ('<time datetime="2026-11-18T14:00:00+02:00">18 نوفمبر</time>', "2026-11-18T14:00:00+02:00"),
        ('<span itemprop="datePublished" content="2026-11-17T08:00:00+02:00">17 نوفمبر</span>',
         "2026-11-17T08:00:00+02:00"),
        ('<div class="post-date">الثلاثاء 17 تشرين الثاني 2026</div>', "2026-11-17T00:00:00+02:00"),
    ],
    ids=["time-element", "microdata", "visible-levantine"],
)
def test_lower_layers_when_no_json_ld(body: str, expected: str) -> None:
    article, _ = explain("", body + BODY)
    assert article.published_at == datetime.fromisoformat(expected)
    assert article.published_at is not None and article.published_at.tzinfo is not None


def test_copyright_footer_is_not_the_date() -> None:
    body = BODY + '<div class="footer-date">© 2003 - 2026 جميع الحقوق محفوظة</div>'
    article, _ = explain("", body)
    assert article.published_at is None


@pytest.mark.parametrize(
    ("head", "canonical", "origin"),
    [
        ('<link rel="canonical" href="/n/1?utm_medium=x&amp;id=7">', "https://portal.example/n/1?id=7",
         "link rel=canonical"),
        ('<meta property="og:url" content="https://portal.example/n/1?fbclid=zz">', "https://portal.example/n/1",
         "og:url"),
        ("", "https://portal.example/n/1", "page url"),
    ],
    ids=["relative-canonical", "og-url", "page-url"],
)
def test_canonical_url_without_tracking(head: str, canonical: str, origin: str) -> None:
    article, provenance = explain(head)
    assert article.canonical_url == canonical
    assert provenance["canonical_url"] == origin


def test_site_name_is_not_the_author_and_title_suffix_is_dropped() -> None:
    head = ('<meta name="author" content="بوابة الرقمنة"><meta property="og:site_name" content="بوابة الرقمنة">'
            '<meta property="og:title" content="الهيئة تطلق خطة الألياف الجديدة - بوابة الرقمنة">')
    html_body = BODY
    page_html = f"<html><head>{head}</head><body>{html_body}</body></html>"
    page = PageInput("https://portal.example/n/2", page_html.encode(), {"content-type": "text/html"}, NOW)
    article, provenance = explain_article(page, SOURCE)
    assert article.title == "الهيئة تطلق خطة الألياف الجديدة"
    assert article.author is None
    assert provenance["title"] == "og:title"


@pytest.mark.parametrize(
    "head",
    [
        '<meta property="og:title" content="&amp;quot;سدايا&amp;quot; تطلق منصة التدريب - بوابة التقنية">'
        '<meta property="og:site_name" content="بوابة التقنية">',
        ld({"@type": "NewsArticle", "headline": "&quot;سدايا&quot; تطلق منصة التدريب",
            "publisher": {"@type": "Organization", "name": "بوابة التقنية"}}),
        ld({"@type": "NewsArticle", "headline": "&amp;quot;سدايا&amp;quot; تطلق منصة التدريب - بوابة التقنية"})
        + '<meta property="og:site_name" content="بوابة التقنية">',
    ],
    ids=["og-title-escaped-twice", "json-ld-escaped-in-json", "json-ld-twice-with-site-suffix"],
)
def test_entities_escaped_twice_are_decoded_and_the_site_suffix_dropped(head: str) -> None:
    """A title printed as «&quot;سدايا&quot; …» or carrying « - Site» is not the headline."""
    page_html = f"<html><head>{head}</head><body>{BODY}</body></html>"
    page = PageInput("https://portal.example/n/3", page_html.encode(), {"content-type": "text/html"}, NOW)
    article, _ = explain_article(page, SOURCE)
    assert article.title == '"سدايا" تطلق منصة التدريب'


def test_article_carries_its_confidence_through_to_dict_and_back() -> None:
    article, provenance = explain("")
    assert article.confidence is not None and 0 <= article.confidence <= 1
    assert "no publication date" in article.confidence_reasons
    assert provenance["confidence"].startswith(f"{article.confidence:.2f}")
    data = article.to_dict()
    assert data["confidence"] == article.confidence and data["confidence_reasons"] == article.confidence_reasons
    assert Article.from_dict(data) == article


def test_language_detected_not_declared() -> None:
    article, provenance = explain('<meta http-equiv="content-language" content="en">')
    assert article.language == "ar"
    assert provenance["language"] == "detected"


@pytest.mark.parametrize(
    ("head", "author"),
    [
        ('<title>عنوان الخبر الرئيسي اليوم - بوابة الخبر</title><meta name="author" content="بوابة الخبر">', None),
        ('<title>عنوان الخبر الرئيسي اليوم | بوابة الخبر</title><meta name="author" content="منى حسن">', "منى حسن"),
    ],
    ids=["outlet-named-in-title-is-no-author", "real-author-kept"],
)
def test_outlet_name_is_not_an_author(head: str, author: str | None) -> None:
    article, _ = explain(head)
    assert article.author == author


@pytest.mark.parametrize(
    ("head", "body", "published", "modified"),
    [
        ("", '<div class="meta">نشر في: 20 نوفمبر 2026 10:00 ص | آخر تحديث: 22 نوفمبر 2026 02:00 م</div>' + BODY,
         "2026-11-20T10:00:00+02:00", "2026-11-22T14:00:00+02:00"),
        ("", '<div class="meta">آخر تحديث: 22 نوفمبر 2026 02:00 م - تاريخ النشر: 20 نوفمبر 2026 10:00 ص</div>' + BODY,
         "2026-11-20T10:00:00+02:00", "2026-11-22T14:00:00+02:00"),
        ("", "<p>القاهرة في 23 نوفمبر 2026 (أ ش أ) - أعلن الجهاز عن خطة جديدة لتوسيع شبكات الألياف الضوئية.</p>" + BODY,
         "2026-11-23T00:00:00+02:00", None),
        ('<meta name="date" content="2026-11-25T11:58:00Z">', '<span class="date">الاثنين 23 نوفمبر 2026</span>' + BODY,
         "2026-11-23T00:00:00+02:00", None),
    ],
    ids=["published-then-updated", "updated-then-published", "dateline-in-first-paragraph",
         "meta-date-is-render-time"],
)
def test_visible_date_traps(head: str, body: str, published: str, modified: str | None) -> None:
    article, _ = explain(head, body)
    assert article.published_at is not None and article.published_at.tzinfo is not None
    assert article.published_at.isoformat() == published
    assert (article.modified_at.isoformat() if article.modified_at else None) == modified
