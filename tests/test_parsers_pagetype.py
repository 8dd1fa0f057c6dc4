"""Page type before extraction: redirect stubs, error pages, walls and listings are refused with a
one-line reason; articles (short ones, digests, pages with cookie banners) are not."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from crawler.parsers.page import ExtractionError, PageInput, SourceInfo
from crawler.parsers.registry import parse_article

NOW = datetime(2026, 11, 25, 6, 0, tzinfo=UTC)
SOURCE = SourceInfo("portal", "Africa/Cairo", "ar")
TITLE = "الهيئة تطلق منصة موحدة لشكاوى المشتركين في كل المحافظات"
PARAS = [
    "أعلنت الهيئة العامة للاتصالات اليوم إطلاق منصة موحدة لتلقي شكاوى المشتركين في جميع المحافظات، تعمل طوال اليوم.",
    "وأوضحت الهيئة أن المنصة تتيح متابعة الشكوى إلكترونياً حتى إغلاقها، مع إشعار المشترك برسالة نصية عند كل خطوة.",
    "وتأتي الخطوة ضمن خطة لتحسين جودة الخدمة تمتد حتى نهاية العام المقبل، وفق بيان الهيئة الصادر صباح اليوم.",
]
ROWS = [
    ("منصة جديدة لحجز مواعيد الجوازات إلكترونياً في كل المحافظات",
     "تتيح المنصة حجز موعد لتجديد الجواز دون طوابير، وتعمل على الهاتف."),
    ("شركة محلية تطلق خدمة دفع الفواتير عبر الرسائل القصيرة",
     "يدفع المشترك فواتير الكهرباء برسالة فيها رقم العداد والمبلغ المطلوب."),
    ("جامعة حكومية تفتتح مختبراً للأمن السيبراني بتمويل أوروبي",
     "يضم المختبر أجهزة محاكاة للهجمات، ويستقبل طلاب الدراسات العليا."),
    ("تراجع أسعار الهواتف الذكية في السوق المحلية هذا الموسم",
     "يعزو التجار التراجع إلى انخفاض الرسوم، وزيادة المعروض من الطرازات."),
    ("إطلاق تطبيق حكومي لتتبع شحنات البريد السريع داخل البلاد",
     "يعرض التطبيق مسار الشحنة لحظة بلحظة، ويرسل إشعاراً عند وصولها."),
]


def parse(html: str, url: str = "https://portal.example/news/2026/123") -> str:
    """«article» or the refusal's one line."""
    page = PageInput(url, html.encode(), {"content-type": "text/html; charset=utf-8"}, NOW)
    try:
        parse_article(page, SOURCE)
    except ExtractionError as refused:
        return refused.problem
    return "article"


def document(body: str, head: str = "", body_class: str = "") -> str:
    return (f'<html lang="ar"><head><meta charset="utf-8"><title>{TITLE}</title>{head}</head>'
            f'<body class="{body_class}">{body}</body></html>')


ARTICLE = f"<h1>{TITLE}</h1><div class='story'>{''.join(f'<p>{text}</p>' for text in PARAS)}</div>"
TEASERS = "".join(f'<li><h3><a href="/n/{n}">{title}</a></h3><p>{text}</p></li>'
                  for n, (title, text) in enumerate(ROWS))
TABLE = "".join(f"<tr><td><a href=/n/{n}>{title}</a></td></tr><tr><td>{text}</td></tr>"
                for n, (title, text) in enumerate(ROWS))
LINKS = "".join(f"<li><a href=/n/{n}>{title}</a></li>" for n, (title, _text) in enumerate(ROWS))


@pytest.mark.parametrize(
    ("html", "kind"),
    [
        ('<head><title>Object moved</title></head><body><h1>Object Moved</h1>This object may be found '
         '<a HREF="/News/Details.aspx?id=7">here</a>.</body>', "redirect"),
        ('<html><head><meta http-equiv="refresh" content="0; url=https://portal.example/a/1"><title>جار التحويل'
         '</title></head><body><p>جار تحويلك. إذا لم يتم التحويل <a href="/a/1">اضغط هنا</a>.</p></body></html>',
         "redirect"),
        (document("<h1>404</h1><p>عذراً، الصفحة التي تبحث عنها غير موجودة أو ربما تم نقلها.</p>",
                  body_class="error404"), "error"),
        (document("<h2>جار التحقق من أنك لست روبوتاً. قد يستغرق ذلك بضع ثوان.</h2>"
                  "<noscript>يرجى تفعيل JavaScript في متصفحك للمتابعة.</noscript>"), "wall"),
        (document("<div id='app'></div><noscript>You need to enable JavaScript to run this app.</noscript>"), "wall"),
        (document("<div class='cmp'><h1>نحن نهتم بخصوصيتك</h1><p>نستخدم ملفات تعريف الارتباط لتخزين المعلومات "
                  "على جهازك، لعرض إعلانات ومحتوى مخصص وقياس الأداء.</p><button>قبول الكل</button></div>"), "wall"),
        (document(f"<h1>أخبار الاتصالات</h1><ul>{TEASERS}</ul>", body_class="archive category"), "listing"),
        (document(f"<h1>أخبار</h1><ul>{TEASERS}</ul>"), "listing"),
        (document(f"<table>{TABLE}</table>"), "listing"),
    ],
    ids=["iis-object-moved", "meta-refresh", "soft-404", "bot-check", "empty-app-shell", "cookie-wall",
         "category-archive", "teaser-list", "flat-table-listing"],
)
def test_non_article_is_refused_with_a_one_line_reason(html: str, kind: str) -> None:
    problem = parse(html)
    assert problem.startswith(f"not an article ({kind}): ")
    assert "\n" not in problem


def test_home_page_url_with_teasers_is_a_listing() -> None:
    assert parse(document(f"<ul>{TEASERS}</ul>", '<meta property="og:type" content="website">'),
                 url="https://portal.example/").startswith("not an article (listing)")


@pytest.mark.parametrize(
    "html",
    [
        document(ARTICLE),
        document(f"<h1>{TITLE}</h1><p>{PARAS[0]}</p>"),  # a one-paragraph brief
        document(ARTICLE + "<div id='cookie-notice'><p>نستخدم ملفات تعريف الارتباط لتحسين تجربتك. بمتابعة التصفح "
                 "فإنك توافق على ذلك.</p></div><noscript>Please enable JavaScript to view the comments.</noscript>"),
        document(f"<h1>{TITLE}</h1><div class='story'>"
                 + "".join(f"<p><a href='/n/{n}'>{title}</a>: {text}</p>" for n, (title, text) in enumerate(ROWS))
                 + "</div>"),  # a digest: each paragraph opens with a linked headline
        document(ARTICLE + f"<ul class='links'>{LINKS}</ul>"),
        document(ARTICLE + "<div class='more'>" + TEASERS + "</div>",
                 '<meta property="og:type" content="article">'),  # related teasers under the article
    ],
    ids=["article", "brief", "cookie-banner-and-disqus-note", "digest", "related-links-after", "related-teasers-after"],
)
def test_articles_are_not_refused(html: str) -> None:
    assert parse(html) == "article"
