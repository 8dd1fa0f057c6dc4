"""Boilerplate rules: which elements and which lines are site furniture, not the article.

Element rules look at tag names and at class/id/role tokens; line rules know the Arabic (and
English/French) phrases that portals put around articles — «اقرأ أيضاً», «تابعونا على», …
"""

from __future__ import annotations

import itertools
import re
from functools import lru_cache

import lxml.html

from indexer.analysis.charmap import CharMap

DROP_TAGS = frozenset(
    {
        "script", "style", "noscript", "iframe", "nav", "footer", "aside", "button",
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
# Soft words that name the page's chrome (not a small box inside the content): a headline inside
# them is the site's name, not the article's title.
CHROME_TOKENS = frozenset(
    {
        "header", "masthead", "logo", "banner", "nav", "navbar", "navigation", "menu", "footer",
        "sidebar", "side", "toolbar", "complementary", "contentinfo",
    }
)
_BIG_TEXT = 1500
# A <form> is a search box, a comment or newsletter form, unless it wraps the page (ASP.NET WebForms).
_BIG_FORM = 1000
# «no-share», «with-share», «ad-free»: a class that names furniture in order to say it is absent.
_NEGATING_BEFORE = frozenset({"no", "has", "with", "without"})
_NEGATING_AFTER = frozenset({"free"})
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
# A line that is only an ad label («- إعلان -», «Advertisement»).
_LABEL_LINE = re.compile(
    r"^\W*(?:إعلان|اعلان|إعلانات|اعلانات|advertisement|advertising|publicité|ad)\W*$", re.IGNORECASE
)
_TANWEEN = CharMap(dict.fromkeys(map(ord, "\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652")))


@lru_cache(maxsize=1 << 14)
def _tokens(class_: str | None, id_: str | None, role: str | None) -> tuple[str, ...]:
    """Class/id/role words. A furniture word negated inside its name («no-share», «ad-free») is left
    out; a soft word counts only at either end of a class name («sidebar-widget», «widget_text»), not
    in the middle of a builder's compound («elementor-widget-container»). Cached: templates repeat
    the same class strings on every card and every page."""
    tokens: list[str] = []
    for attribute, raw in (("class", class_), ("id", id_), ("role", role)):
        if not raw:
            continue
        for name in raw.lower().split():
            parts = _TOKENS.findall(name)
            last = len(parts) - 1
            for index, part in enumerate(parts):
                if part in HARD_TOKENS and (
                    (index and parts[index - 1] in _NEGATING_BEFORE)
                    or (index < last and parts[index + 1] in _NEGATING_AFTER)
                ):
                    continue
                if part in SOFT_TOKENS and 0 < index < last and attribute == "class":
                    continue
                tokens.append(part)
    return tuple(tokens)


@lru_cache(maxsize=1 << 14)
def _verdict(class_: str | None, id_: str | None, role: str | None) -> str | None:
    """``"hard"``, ``"soft"`` (pending the element's size) or ``None`` for one attribute triple."""
    tokens = _tokens(class_, id_, role)
    if not tokens:
        return None
    if any(token in HARD_TOKENS for token in tokens) or any(
        pair in BOILERPLATE_PAIRS for pair in itertools.pairwise(tokens)
    ):
        return "hard"
    if any(token in CONTENT_TOKENS for token in tokens):
        return None
    return "soft" if any(token in SOFT_TOKENS for token in tokens) else None


def dropped(element: lxml.html.HtmlElement) -> bool:
    """True for what never holds article text: scripts, navigation, asides, figures, hidden elements, forms."""
    tag = element.tag
    if not isinstance(tag, str):
        return True  # comments and processing instructions
    if tag in DROP_TAGS:
        return True
    if tag == "form":
        return len(element.text_content()) < _BIG_FORM
    names = element.keys()
    if not names or tag in ("body", "html"):
        return False  # most elements: no attribute, nothing to look at
    if "hidden" in names or element.get("aria-hidden") == "true":
        return True
    style = element.get("style")
    if style and ("none" in style or "hidden" in style):
        style = style.replace(" ", "").lower()
        return "display:none" in style or "visibility:hidden" in style
    return False


def furniture_kind(element: lxml.html.HtmlElement) -> str | None:
    """``"hard"`` (share bars, comments, related lists, ads), ``"soft"`` (small sidebars, bylines,
    captions …) or ``None``, by the element's class, id and role words."""
    if element.tag in ("body", "html", "article", "main", "h1") or not element.keys():
        return None
    kind = _verdict(element.get("class"), element.get("id"), element.get("role"))
    if kind == "soft" and len(element.text_content()) >= _BIG_TEXT:
        return None
    return kind


def is_chrome(element: lxml.html.HtmlElement) -> bool:
    """Page chrome around the content: dropped tags, hard furniture, and headers, menus, sidebars.
    Unlike :func:`is_furniture`, a builder's «widget» or a «meta» box is not chrome."""
    kind = None if dropped(element) else furniture_kind(element)
    if dropped(element) or kind == "hard":
        return True
    return kind == "soft" and not CHROME_TOKENS.isdisjoint(
        _tokens(element.get("class"), element.get("id"), element.get("role"))
    )


def is_furniture(element: lxml.html.HtmlElement) -> bool:
    """True when the element is site furniture by its tag, class, id, role or hidden state."""
    return dropped(element) or furniture_kind(element) is not None


def is_boilerplate_line(line: str) -> bool:
    """True for a paragraph that is a known furniture phrase («اقرأ أيضاً: …», «© 2026 …»)."""
    line = _TANWEEN(line)
    return bool(_PHRASE_LINE.match(line) or _LABEL_LINE.match(line))
