"""Boilerplate rules: which elements and which lines are site furniture, not the article.

Element rules look at tag names and at class/id/role tokens; line rules know the Arabic (and
English/French) phrases that portals put around articles — «اقرأ أيضاً», «تابعونا على», …
"""

from __future__ import annotations

import itertools
import re

import lxml.html

from indexer.analysis.charmap import CharMap

DROP_TAGS = frozenset(
    {
        "script", "style", "noscript", "iframe", "form", "nav", "footer", "aside", "button",
        "select", "input", "textarea", "svg", "canvas", "object", "embed", "template", "video",
        "audio", "figure", "figcaption", "head", "ins", "dialog", "menu", "label",
    }
)
_TOKENS = re.compile(r"[a-z0-9]+")
# Whole tokens of class/id/role values that always mark furniture.
HARD_TOKENS = frozenset(
    {
        "share", "sharing", "social", "sharethis", "addthis", "related", "comment", "comments",
        "newsletter", "subscribe", "subscription", "ad", "ads", "advert", "advertisement",
        "adsbygoogle", "breadcrumb", "breadcrumbs", "ticker", "breaking", "mostread", "outbrain",
        "taboola", "cookie", "cookies", "modal", "popup", "gpt", "dfp", "sponsored", "readalso",
        "recommended", "copyright", "tags", "keywords",
    }
)
# Tokens that usually mark furniture, unless the element also looks like the article.
SOFT_TOKENS = frozenset(
    {
        "banner", "sidebar", "widget", "widgets", "popular", "trending", "footer", "nav",
        "navbar", "navigation", "menu", "tag", "print", "rating", "pagination", "pager",
        "login", "search", "readmore", "more", "latest", "weather", "calendar", "promo",
        "author", "byline", "meta", "date", "time", "caption", "photo", "gallery", "video",
        "header", "masthead", "logo", "toolbar", "follow", "complementary", "contentinfo",
        "side", "links",
    }
)
_BIG_TEXT = 1500
# Two-token phrases (class "most-read", "read-also", "post-tags" …) that are furniture.
BOILERPLATE_PAIRS = frozenset(
    {("most", "read"), ("read", "also"), ("see", "also"), ("more", "news"), ("post", "tags")}
)
# Tokens that mark the article itself: an element carrying one is never furniture.
CONTENT_TOKENS = frozenset(
    {
        "articlebody", "article", "content", "entry", "story", "post", "body", "text",
        "main", "news", "details", "detail", "newsstory",
    }
)

_PHRASES = (
    r"اقرأ أيضا", r"إقرأ أيضا", r"اقرا ايضا", r"اقرأ ايضا", r"إقرأ ايضا", r"اقرأ المزيد",
    r"شاهد أيضا", r"شاهد ايضا", r"طالع أيضا", r"تابعونا", r"تابعوا\s+(?:على|عبر|آخر|اخر|أخبار|اخبار|\S+\s+على)",
    r"تابعنا على", r"سجل في قائمتنا البريدية", r"اشترك(?:وا)? (?:في|ب)\S*\s*(?:النشرة|نشرت|قائمة|قناة|خدمة)",
    r"اشترك الآن", r"للاشتراك في", r"المصدر\s*:",
    r"مواضيع ذات صلة", r"أخبار ذات صلة", r"اخبار ذات صلة", r"الأكثر قراءة", r"الاكثر قراءة",
    r"اضغط هنا", r"حمل تطبيق", r"حمّل تطبيق", r"جميع الحقوق محفوظة", r"كل الحقوق محفوظة",
    r"شارك(?:وا)? (?:هذا|الخبر|المقال)", r"للمزيد من الأخبار", r"رابط مختصر", r"الرابط المختصر",
    r"read also", r"read more", r"follow us", r"subscribe", r"all rights reserved",
    r"lire aussi", r"suivez-nous", r"share this", r"tous droits réservés", r"©", r"copyright",
)
_PHRASE_LINE = re.compile(r"^\W*(?:" + "|".join(_PHRASES) + ")", re.IGNORECASE)
_TANWEEN = CharMap(dict.fromkeys(map(ord, "\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652")))


def _tokens(element: lxml.html.HtmlElement) -> list[str]:
    raw = " ".join(filter(None, (element.get("class"), element.get("id"), element.get("role"))))
    return _TOKENS.findall(raw.lower())


def is_furniture(element: lxml.html.HtmlElement) -> bool:
    """True when the element is site furniture by its tag, class, id, role or hidden state."""
    tag = element.tag
    if not isinstance(tag, str):
        return True  # comments and processing instructions
    if tag in DROP_TAGS:
        return True
    if tag in ("body", "html", "article", "main", "h1"):
        return False
    names = element.keys()
    if not names:
        return False  # most elements: no attribute, nothing to look at
    if "hidden" in names or element.get("aria-hidden") == "true":
        return True
    style = (element.get("style") or "").replace(" ", "").lower()
    if "display:none" in style or "visibility:hidden" in style:
        return True
    tokens = _tokens(element)
    if not tokens:
        return False
    if any(token in HARD_TOKENS for token in tokens) or any(
        pair in BOILERPLATE_PAIRS for pair in itertools.pairwise(tokens)
    ):
        return True
    if any(token in CONTENT_TOKENS for token in tokens):
        return False
    if any(token in SOFT_TOKENS for token in tokens):
        return len(element.text_content()) < _BIG_TEXT
    return False


def is_boilerplate_line(line: str) -> bool:
    """True for a paragraph that is a known furniture phrase («اقرأ أيضاً: …», «© 2026 …»)."""
    return bool(_PHRASE_LINE.match(_TANWEEN(line)))
