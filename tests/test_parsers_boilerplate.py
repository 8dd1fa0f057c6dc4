"""Boilerplate: furniture elements and phrases go, article text (first, last, subheadings) stays."""

from __future__ import annotations

import lxml.html
import pytest

from crawler.parsers.boilerplate import is_boilerplate_line, is_furniture
from crawler.parsers.content import body_paragraphs

FIRST = "أعلنت الهيئة العامة للاتصالات إطلاق منصة موحدة لتلقي شكاوى المشتركين في جميع المحافظات، تعمل على مدار الساعة."
MIDDLE = "وأوضحت الهيئة أن المنصة تتيح متابعة الشكوى إلكترونياً حتى إغلاقها، مع إشعار المشترك برسالة نصية عند كل خطوة."
LAST = "وتأتي الخطوة ضمن خطة لتحسين جودة الخدمة تمتد حتى نهاية العام المقبل، وفق بيان الهيئة الصادر اليوم."


@pytest.mark.parametrize(
    ("line", "furniture"),
    [
        ("اقرأ أيضاً: الجيل الخامس يصل إلى المدن الصغيرة", True),
        ("إقرأ ايضا.. تفاصيل الخطة", True),
        ("تابعونا على فيسبوك وتويتر", True),
        ("تابعوا على تويتر آخر الأخبار", True),
        ("سجل في قائمتنا البريدية لتصلك آخر الأخبار", True),
        ("اشترك في النشرة البريدية", True),
        ("المصدر: وكالة الأنباء", True),
        ("جميع الحقوق محفوظة © 2026", True),
        ("Read also: 5G in Cairo", True),
        ("اشترك في المؤتمر أكثر من 500 خبير من عشرين دولة", False),
        ("تابعوا الوزير في جولته الميدانية حيث افتتح المركز", False),
        ("وقال المصدر إن الخطة جاهزة", False),
    ],
)
def test_boilerplate_lines(line: str, furniture: bool) -> None:
    assert is_boilerplate_line(line) is furniture


@pytest.mark.parametrize(
    ("html", "furniture"),
    [
        ('<div class="share-bar"></div>', True),
        ('<section class="related-posts"></section>', True),
        ('<div class="mostRead"></div>', True),
        ('<div class="most-read"></div>', True),
        ('<div id="comments"></div>', True),
        ('<div class="newsletter-box"></div>', True),
        ('<div class="entry-content has-sidebar"></div>', False),
        ('<div class="sidebar">' + "نص طويل " * 300 + "</div>", False),  # too much text to be a sidebar
        ('<div style="display: none">x</div>', True),
        ("<nav></nav>", True),
        ('<article class="post"></article>', False),
    ],
)
def test_furniture_elements(html: str, furniture: bool) -> None:
    assert is_furniture(lxml.html.fragment_fromstring(html)) is furniture


def test_first_last_and_subheadings_survive() -> None:
    html = f"""<html><body><div class="ticker"><a href="/1">عاجل: خبر آخر تماماً عن موضوع مختلف</a></div>
    <div class="story"><h1>عنوان</h1><p>{FIRST}</p><h2>منصة موحدة</h2><p>{MIDDLE}</p>
    <p>اقرأ أيضاً: <a href="/2">خبر ذو صلة</a></p><div class="social-share">شارك</div><p>{LAST}</p></div>
    <footer><p>جميع الحقوق محفوظة</p></footer></body></html>"""
    assert body_paragraphs(lxml.html.document_fromstring(html), title="عنوان") == [FIRST, "منصة موحدة", MIDDLE, LAST]


def test_br_separated_body() -> None:
    cell = f"<td class='content'>{FIRST}<br><br>{MIDDLE}<br>{LAST}</td>"
    html = f"<html><body><table><tr><td>قائمة</td>{cell}</tr></table></body></html>"
    assert body_paragraphs(lxml.html.document_fromstring(html)) == [FIRST, MIDDLE, LAST]
