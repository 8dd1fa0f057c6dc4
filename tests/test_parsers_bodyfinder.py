"""The body finder on templates it was never told about: no known class names needed, a lead kept,
sibling blocks joined, a JSON-only article read, the fallback used when the page holds more text."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import lxml.html
import pytest

from crawler.parsers.blocks import page_blocks
from crawler.parsers.body import extract_body
from crawler.parsers.hints import NO_HINTS
from crawler.parsers.page import PageInput, SourceInfo
from crawler.parsers.registry import ParserRegistry, build_parser, explain_article, parse_article

NOW = datetime(2026, 11, 25, 6, 0, tzinfo=UTC)
SOURCE = SourceInfo("portal", "Asia/Amman", "ar")
TITLE = "الأردن يوصل الألياف الضوئية إلى مئات القرى قبل نهاية العام المقبل"
LEAD = "أعلنت الوزارة، الاثنين، خطة لإيصال شبكة الألياف الضوئية إلى 400 قرية في المحافظات قبل نهاية العام المقبل."
PARAS = [
    "وقالت الوزارة في بيان إن المرحلة الأولى تشمل 120 قرية في محافظات الشمال، على أن تبدأ الأعمال مطلع العام.",
    "وأوضحت أن المدارس والمراكز الصحية ستحصل على اتصال مجاني خلال السنوات الثلاث الأولى من تشغيل الشبكة.",
    "وبحسب الخطة، تتولى الحكومة تمويل البنية الأساسية، بينما تمد الشركات الكوابل وتشغل الشبكة لعشر سنوات.",
    "ويرى خبراء أن نجاح المشروع يتوقف على سرعة إصدار تصاريح الحفر من البلديات، وهي عقبة أخرت مشاريع سابقة.",
]
FURNITURE = """<div class="share-buttons"><a href="#">فيسبوك</a> <a href="#">تويتر</a></div>
<section class="related-posts"><h3>مقالات ذات صلة</h3><ul>
<li><a href="/a">أمنية تطلق خدمة الألياف المنزلية في أحياء جديدة</a></li>
<li><a href="/b">الحكومة تقر استراتيجية التحول الرقمي للأعوام المقبلة</a></li></ul></section>
<div id="comments" class="comments-area">
<p>نتمنى أن تصل الخدمة فعلاً إلى قرانا، فقد وعدونا بها منذ سنوات ولم يتغير شيء حتى الآن.</p></div>"""


def page(body: str, head: str = "", url: str = "https://portal.example/news/1") -> PageInput:
    html = (f'<html lang="ar"><head><meta charset="utf-8"><title>{TITLE} - البوابة</title>{head}</head>'
            f"<body><nav><a href='/'>الرئيسية</a></nav>{body}<footer>جميع الحقوق محفوظة</footer></body></html>")
    return PageInput(url, html.encode(), {"content-type": "text/html; charset=utf-8"}, NOW)


def paragraphs(items: list[str]) -> str:
    return "".join(f"<p>{text}</p>" for text in items)


def test_body_in_a_container_named_to_say_it_has_no_share_bar() -> None:
    """JNews wraps the article in «entry-content no-share»: a furniture word, negated. It used to be
    dropped whole («no article text found»)."""
    body = (f'<div class="jeg_inner_content"><h1 class="jeg_post_title">{TITLE}</h1>'
            f'<div class="entry-content no-share"><div class="content-inner">{paragraphs(PARAS)}</div></div>'
            f"{FURNITURE}</div>")
    assert parse_article(page(body), SOURCE).body == "\n\n".join(PARAS)


@pytest.mark.parametrize(
    "wrapper",
    ['<div class="x9f2">{}</div>', '<section class="gh-content gh-canvas">{}</section>',
     '<div class="article-body ad-free">{}</div>', '<div class="story" data-ad="no">{}</div>'],
    ids=["unknown-class", "ghost", "ad-free", "no-class-words"],
)
def test_body_found_by_its_text_whatever_the_container_is_called(wrapper: str) -> None:
    body = f"<div class='post'><h1>{TITLE}</h1>{wrapper.format(paragraphs(PARAS))}{FURNITURE}</div>"
    assert parse_article(page(body), SOURCE).body == "\n\n".join(PARAS)


@pytest.mark.parametrize(
    "lead",
    [f'<p class="article-excerpt">{LEAD}</p>', f'<div class="field--name-field-chapeau">{LEAD}</div>',
     f'<h2 class="entry-sub-title">{LEAD}</h2>', f"<p>{LEAD}</p>"],
    ids=["ghost-excerpt", "drupal-field", "jannah-subtitle", "unnamed-paragraph"],
)
def test_lead_before_the_body_container_is_kept(lead: str) -> None:
    """The article starts in a standfirst outside the body container: it used to start at the second paragraph."""
    body = (f"<article><header><h1>{TITLE}</h1>{lead}<div class='meta'><span class='author'>ليلى الحوراني</span>"
            f"<time datetime='2026-11-24T09:00:00+02:00'>24 نوفمبر 2026</time></div></header>"
            f"<div class='story-text'>{paragraphs(PARAS)}</div>{FURNITURE}</article>")
    assert parse_article(page(body), SOURCE).body.split("\n\n") == [LEAD, *PARAS]


def test_a_lead_repeated_as_the_first_paragraph_is_not_doubled() -> None:
    body = f"<h1>{TITLE}</h1><p class='lead'>{PARAS[0]}</p><div class='story-text'>{paragraphs(PARAS)}</div>"
    assert parse_article(page(body), SOURCE).body.split("\n\n") == PARAS


def test_article_continued_in_sibling_builder_blocks_is_read_whole() -> None:
    """Page builders put each run of paragraphs in its own widget, with images, headings and ads between."""
    widget = '<div class="pb-widget pb-text"><div class="pb-widget-container">{}</div></div>'
    body = (f"<div class='pb-column'><div class='pb-widget pb-title'><h1>{TITLE}</h1></div>"
            + widget.format(paragraphs(PARAS[:2]))
            + '<div class="pb-widget pb-image"><img src="/x.jpg"></div>'
            + '<div class="pb-widget pb-heading"><h2>شراكة مع القطاع الخاص</h2></div>'
            + widget.format(paragraphs(PARAS[2:3]))
            + '<div class="pb-widget pb-html"><div class="ad-slot">إعلان</div></div>'
            + "<section class='pb-inner'><div class='pb-col'><img src='/y.jpg'></div><div class='pb-col'>"
            + widget.format(paragraphs(PARAS[3:])) + "</div></section>"
            + FURNITURE + "</div>")
    assert parse_article(page(body), SOURCE).body.split("\n\n") == [*PARAS[:2], "شراكة مع القطاع الخاص", *PARAS[2:]]


def test_article_that_lives_only_in_next_data_behind_a_shell() -> None:
    data = {"props": {"pageProps": {"article": {
        "title": TITLE, "blocks": [{"type": "paragraph", "html": f"<b>{PARAS[0]}</b>"}, {"type": "ad"},
                                   {"type": "heading", "text": "شراكة مع القطاع الخاص"},
                                   *({"type": "paragraph", "html": text} for text in PARAS[1:])]},
        "related": [{"title": "خبر آخر", "summary": "ملخص قصير لخبر آخر لا علاقة له بهذا المقال إطلاقاً."}]}}}
    body = ('<div id="__next"><header>البوابة</header><div class="skeleton"></div></div>'
            f'<script id="__NEXT_DATA__" type="application/json">{json.dumps(data, ensure_ascii=False)}</script>')
    head = f'<meta property="og:title" content="{TITLE}">'
    article, provenance = explain_article(page(body, head), SOURCE)
    assert article.body.split("\n\n") == [PARAS[0], "شراكة مع القطاع الخاص", *PARAS[1:]]
    assert provenance["body"].startswith("json: __NEXT_DATA__")


def test_json_ld_article_body_when_the_page_shows_only_a_teaser() -> None:
    ld = {"@type": "NewsArticle", "headline": TITLE, "articleBody": "\n".join(PARAS)}
    head = f'<script type="application/ld+json">{json.dumps(ld, ensure_ascii=False)}</script>'
    body = f"<h1>{TITLE}</h1><p>{PARAS[0][:70]}…</p><a href='/subscribe'>اشترك لقراءة المزيد</a>"
    article, provenance = explain_article(page(body, head), SOURCE)
    assert article.body.split("\n\n") == PARAS
    assert provenance["body"] == "json: JSON-LD articleBody"


def test_fallback_fires_only_when_the_page_holds_far_more_text() -> None:
    root = lxml.html.document_fromstring(page(f"<h1>{TITLE}</h1><div class='t'>{paragraphs(PARAS)}</div>").body)
    result = extract_body(root, page_blocks(root, TITLE), url="https://portal.example/news/1", title=TITLE)
    assert (result.layer, result.fallback_fired) == ("dom", False)


def test_fallback_reads_the_page_when_the_own_finder_finds_nothing() -> None:
    """An article inside an ``<aside>`` (which Marsad never reads): the own finder keeps nothing,
    trafilatura's second opinion is taken and the layer says so."""
    body = f"<h1>{TITLE}</h1><aside class='story'>{paragraphs(PARAS)}</aside>"
    root = lxml.html.document_fromstring(page(body).body)
    result = extract_body(root, page_blocks(root, TITLE), url="https://portal.example/news/1", title=TITLE)
    assert result.fallback_fired
    assert result.layer == "trafilatura"
    assert all(any(text in line for line in result.paragraphs) for text in PARAS)


def test_generic_alone_needs_no_template_knowledge() -> None:
    """With every known class name switched off and no portal parser, the body is the same."""
    body = (f"<article><h1>{TITLE}</h1><p class='standfirst'>{LEAD}</p>"
            f"<div itemprop='articleBody' class='entry-content'>{paragraphs(PARAS)}</div>{FURNITURE}</article>")
    generic = build_parser(page(body), SOURCE, registry=ParserRegistry(), hints=NO_HINTS)
    assert generic.to_article().body.split("\n\n") == [LEAD, *PARAS]
