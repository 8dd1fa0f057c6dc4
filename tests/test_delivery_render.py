"""Messages as readers get them: escaped, RTL and bidi-safe HTML, Markdown and text."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from core.article import Article
from indexer.alerts.highlight import alert_payload, marked, snippet
from indexer.alerts.matcher import RuleMatcher
from indexer.alerts.rules import Rule
from indexer.delivery.message import Message, StoryAlert

HOSTILE = {
    "doc_id": "d1", "url": "http://a.example/1", "source": "techwave", "published_at": "2026-11-23T10:15:00+03:00",
    "title": "Azerbaijan و [تنبيه](javascript:x) <b>عريض</b>",
    "title_marks": [["Azerbaijan و [تنبيه](javascript:x) <b>عريض</b>", False]],
    "snippet": [["…قال الوزير إن ", False], ["أذربيجان", True], [" *شريك* مهم\x1b]0;x\x07…", False]],
}
COPY = {**HOSTILE, "url": "http://b.example/9", "source": "arabnet", "doc_id": "d2"}


def message(kind: str = "immediate") -> Message:
    return Message(rule="az", query="أذربيجان", kind=kind,  # type: ignore[arg-type]
                   stories=(StoryAlert("s1", (HOSTILE, COPY)),), timezone=ZoneInfo("Africa/Cairo"),
                   web_url="https://marsad.example.org/", created_at=datetime(2026, 11, 23, 8, tzinfo=UTC))


def test_html_is_rtl_escaped_and_bidi_isolated() -> None:
    html = message().html()
    assert '<html lang="ar" dir="rtl">' in html
    assert "&lt;b&gt;عريض&lt;/b&gt;" in html and "<b>" not in html
    assert ('<mark style="background:#fff1a8;color:inherit;padding:0 2px"><span style="display:none">«</span>'
            'أذربيجان<span style="display:none">»</span></mark>') in html
    assert '<h2 dir="auto"' in html and "<bdi>techwave</bdi>" in html and "<bdi>arabnet</bdi>" in html
    assert "(+1 مصدر آخر)" in html
    assert "23 نوفمبر 2026، 09:15 (Africa/Cairo)" in html, "published time in the reader's zone"
    assert 'href="https://marsad.example.org/article/d1"' in html
    assert "\x1b" not in html and "\\x1b" in html


def test_markdown_escapes_link_syntax_and_marks_matches() -> None:
    markdown = message().markdown()
    assert "](javascript:x)" not in markdown and r"\[تنبيه\]\(javascript:x\)" in markdown
    assert "**أذربيجان**" in markdown and r"\*شريك\*" in markdown
    assert "(http://a.example/1)" in markdown


def test_text_and_subject_are_single_safe_lines() -> None:
    text = message().text()
    assert "قال الوزير إن «أذربيجان» \\*شريك" not in text and "قال الوزير إن «أذربيجان» *شريك* مهم" in text
    assert "الخبر الأصلي: http://a.example/1" in text and "أيضاً في arabnet: http://b.example/9" in text
    subject = message().subject()
    assert subject.startswith("[مرصد] az: Azerbaijan و") and subject.endswith("(+1 مصدر آخر)")
    digest = message("digest").subject()
    assert digest == "[مرصد] az: ملخص — 1 خبر من 2 مصادر"


def test_payload_marks_title_and_snippet_around_the_first_body_match() -> None:
    body = ("مقدمة طويلة " * 30) + "ثم جاء ذكر أذربيجان في الفقرة، " + ("وتتمة طويلة " * 30)
    article = Article(url="http://x/1", canonical_url="http://x/1", source="x", title="لقاء مع أذربيجان", body=body)
    (match,) = RuleMatcher([Rule.from_query("az", "أذربيجان")]).match_article(article)
    payload = alert_payload(article, match)
    assert payload["title_marks"] == [("لقاء مع ", False), ("أذربيجان", True)]
    text = "".join(part for part, _ in payload["snippet"])
    assert text.startswith("…") and text.endswith("…") and "ذكر أذربيجان في" in text
    assert len(text) < 260
    assert marked("abc", [(1, 2)]) == [("a", False), ("b", True), ("c", False)]
    assert snippet("قصير", []) == [("قصير", False)]
