"""Is this page an article? Redirect stubs, error pages, walls and listings are told apart first.

Each verdict rests on two kinds of evidence that must agree: what the page says about itself
(its ``<title>``, ``<body>`` classes, ``og:type``, JSON-LD type, URL) and what its text looks like
(running text in the main block, headline links among it). An article is never rejected on a
declaration alone: a page with real running text stays an article unless its main block is a
column of teasers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import lxml.html

from crawler.parsers.blocks import PageBlocks
from crawler.parsers.bodyfinder import BodyRegion, led_rows
from crawler.parsers.meta import MetaTags
from crawler.parsers.text import clean_line

_REDIRECT_WORDS = re.compile(
    r"object moved|document moved|moved permanently|moved temporarily|302 found|301 moved|\bredirect|"
    r"جار[يٍ]? (?:ال)?تحويل|يتم تحويلك|إعادة توجيه|اعادة توجيه",
    re.I,
)
_ERROR_WORDS = re.compile(
    r"\b404\b|not found|page introuvable|(?:الصفحة|الصفحه|الرابط).{0,20}غير موجود|لم يتم العثور|"
    r"الصفحة المطلوبة غير|خطأ 404|\berror\b|server error|حدث خطأ",
    re.I,
)
_WALL_WORDS = re.compile(
    r"enable javascript|javascript is (?:required|disabled)|turn on javascript|"
    r"(?:تفعيل|تمكين|شغل|تشغيل)\s+(?:ال)?(?:جافا ?سكري?بت|javascript)|checking your browser|just a moment|"
    r"verify you are (?:a )?human|are you a robot|لست روبوت|captcha|ddos protection|attention required|"
    r"access denied|please enable cookies|ملفات تعريف الارتباط|cookies? (?:policy|consent|settings)|"
    r"(?:accept|قبول) (?:all|جميع|كل)",
    re.I,
)
_LISTING_CLASSES = frozenset(
    {
        "home", "blog", "archive", "category", "tag", "search", "search-results", "paged", "author",
        "tag-template", "home-template", "author-template", "path-frontpage", "page-taxonomy-term",
        "front", "frontpage", "page-home", "taxonomy", "term",
    }
)
_ERROR_CLASSES = frozenset({"error404", "error-404", "page-404", "not-found", "notfound", "error-page"})
_ARTICLE_CLASSES = frozenset({"single", "single-post", "post-template", "node-type-article", "page-node-type-article"})
_LISTING_TYPES = frozenset({"collectionpage", "itemlist", "searchresultspage", "series", "profilepage"})
_LISTING_PATH = re.compile(r"/(?:tags?|category|categories|section|sections|topics?|authors?|archive|search|label)/"
                           r"|/page/\d+/?$", re.I)
_MIN_ARTICLE = 300  # running text an article has even when it is a short brief
_STUB_TEXT = 600
_TEASER_LINKS = 4
_MANY_LINKS = 12


@dataclass(frozen=True)
class PageVerdict:
    """``kind``: article, redirect, error, wall or listing; ``reason``: one line; ``doubts``: signals
    that did not reject an article but lower the confidence in it."""

    kind: str
    reason: str = ""
    doubts: tuple[str, ...] = field(default_factory=tuple)

    @property
    def is_article(self) -> bool:
        return self.kind == "article"


@dataclass(frozen=True)
class PageFacts:
    """What the classifier looks at, gathered by the parser."""

    url: str
    root: lxml.html.HtmlElement
    meta: MetaTags
    ld_types: frozenset[str]  # lower-case @type values of every JSON-LD object
    blocks: PageBlocks
    body: BodyRegion
    body_chars: int  # running text of the body the parser would store (any layer)
    html_title: str
    body_lines: tuple[str, ...] = ()  # the body the parser would store
    headline_before_body: bool = False  # a headline-sized title sits right before the body


def _headings(facts: PageFacts) -> list[str]:
    body = facts.root.find("body")
    found = [] if body is None else [clean_line(element.text_content()) for element in body.iter("h1", "h2")][:3]
    return [text for text in (facts.html_title, *found) if text]


def _redirect(facts: PageFacts) -> PageVerdict | None:
    refresh = facts.meta.first("refresh")
    target = refresh[1].split("=", 1)[-1].strip(" '\"") if refresh and "=" in refresh[1] else ""
    small = facts.body_chars < _MIN_ARTICLE and facts.blocks.visible_chars < _STUB_TEXT
    if target and small:
        return PageVerdict("redirect", f"redirect stub (meta refresh to {target})")
    words = next((text for text in _headings(facts) if _REDIRECT_WORDS.search(text)), None)
    if words and small:
        link = facts.root.find(".//body//a[@href]")
        where = f" to {link.get('href')}" if link is not None else ""
        return PageVerdict("redirect", f"redirect stub («{words[:60]}»){where}")
    return None


def _error(facts: PageFacts, classes: set[str]) -> PageVerdict | None:
    words = next((text for text in _headings(facts) if _ERROR_WORDS.search(text)), None)
    declared_error = not classes.isdisjoint(_ERROR_CLASSES)
    if (declared_error or words) and facts.body_chars < _STUB_TEXT:
        return PageVerdict("error", f"error page («{(words or 'error404')[:60]}»)")
    return None


def _wall(facts: PageFacts) -> PageVerdict | None:
    """A JavaScript, bot-check or cookie wall: the page's few words are about the wall itself.

    Only the main block and the headings are read, and the whole page (``<noscript>`` included) only
    when there is no running text at all: a cookie banner or a «please enable JavaScript to view the
    comments» note beside a short article is no wall.
    """
    if facts.body_chars >= _MIN_ARTICLE * 2:
        return None
    texts = [*facts.body_lines, *_headings(facts)]
    if facts.body_chars == 0:
        texts.append(facts.root.text_content())
    found = next((match for match in map(_WALL_WORDS.search, texts) if match), None)
    if found is None:
        return None
    kind = "cookie-consent" if re.search(r"cookie|تعريف الارتباط", found.group(0), re.I) else "JavaScript/bot-check"
    return PageVerdict("wall", f"{kind} wall («{found.group(0)}»), {facts.body_chars} characters of text")


def _listing(facts: PageFacts, classes: set[str]) -> PageVerdict | None:
    body, links = facts.body, len(facts.blocks.headline_links)
    og_type = (facts.meta.first("og:type") or ("", ""))[1].lower()
    declared_article = bool(facts.ld_types & {"newsarticle", "article", "blogposting", "reportagenewsarticle"}) or (
        og_type == "article" or facts.meta.first("article:published_time") is not None
    ) or not classes.isdisjoint(_ARTICLE_CLASSES)
    path = urlsplit(facts.url).path
    listing_signs = [sign for sign, present in (
        ("listing <body> class", not classes.isdisjoint(_LISTING_CLASSES)),
        ("JSON-LD " + "/".join(sorted(facts.ld_types & _LISTING_TYPES)), bool(facts.ld_types & _LISTING_TYPES)),
        ("home page URL", path in ("", "/") or re.fullmatch(r"/[a-z]{2}/?", path) is not None),
        ("listing URL", bool(_LISTING_PATH.search(path))),
    ) if present]
    rows = max(body.teasers, body.led)
    teasers = rows >= _TEASER_LINKS and rows * 2 >= max(1, body.good_blocks)
    own_text = sum(block.length for block in facts.blocks.good())  # running text that is no teaser
    if teasers and not (declared_article and own_text >= _MIN_ARTICLE):
        return PageVerdict("listing", f"listing: {rows} teasers (headline link + excerpt) among {body.good_blocks} "
                                      "paragraphs in the main block"
                                      + (f"; {', '.join(listing_signs)}" if listing_signs else ""))
    if declared_article and facts.body_chars >= _MIN_ARTICLE:
        return None
    rows, row_chars = led_rows(facts.blocks)
    page_text = sum(block.length for block in facts.blocks.blocks if block.kind == "good" and not block.furniture)
    if (rows > _TEASER_LINKS and row_chars >= page_text * 0.6 and not declared_article
            and not facts.headline_before_body):
        return PageVerdict("listing", f"listing: {rows} teasers (headline link + excerpt) make up most of the "
                                      "page's running text")
    if listing_signs and (facts.body_chars < 4 * _MIN_ARTICLE or links >= _MANY_LINKS) and not declared_article:
        return PageVerdict("listing", f"listing: {', '.join(listing_signs)}; {links} headline links, "
                                      f"{facts.body_chars} characters of running text")
    if links >= _MANY_LINKS and facts.body_chars < _MIN_ARTICLE:
        return PageVerdict("listing", f"listing: {links} headline links, {facts.body_chars} characters of running text")
    return None


def classify(facts: PageFacts) -> PageVerdict:
    """The page's kind, decided before its fields are extracted."""
    body = facts.root.find("body")
    classes = set((body.get("class") or "").lower().split()) if body is not None else set()
    for check in (_redirect(facts), _error(facts, classes), _wall(facts), _listing(facts, classes)):
        if check is not None:
            return check
    doubts = []
    rows = max(facts.body.teasers, facts.body.led)
    if rows >= 2:
        doubts.append(f"{rows} teasers of other articles inside the main block")
    return PageVerdict("article", doubts=tuple(doubts))
