"""Visible-text fallbacks for section, tags and image when a page declares none of them."""

from __future__ import annotations

import re

import lxml.html
from lxml.etree import XPath

from crawler.parsers.boilerplate import is_furniture
from crawler.parsers.text import clean_line

_BREADCRUMB = XPath(
    "//body//*[contains(@class, 'readcrumb') or contains(@class, 'readCrumb') or contains(@class, 'path')"
    " or contains(@class, 'Path') or @itemtype='https://schema.org/BreadcrumbList']"
)
# «path», «pathway», «PathCell» as a class of its own (not «path-node» on Drupal's <body>, not «xpath-x»).
_PATH_CLASS = re.compile(r"(?:^|\s)(?:[a-z]+[-_])?path(?:way|cell|bar)?(?:$|\s)", re.I)
_TAG_BOX = XPath(
    "//*[contains(@class, 'tags') or contains(@class, 'keywords') or contains(@class, 'post-tags')][.//a]"
)
_REL_TAG = XPath("//body//a[@rel='tag']")
_HOME = frozenset({"الرئيسية", "الصفحة الرئيسية", "home", "accueil", "أخبار", "news"})
_NOT_PHOTO = re.compile(r"logo|icon|avatar|sprite|pixel|banner|(?<![a-z])ads?[/_.-]|blank|spacer|\.gif$|\.svg$", re.I)
_AFTER_HEADLINE = 60


def breadcrumb_section(root: lxml.html.HtmlElement, title: str) -> str | None:
    """The last breadcrumb step that is neither «الرئيسية» nor the headline itself."""
    for crumb in _BREADCRUMB(root):
        classes = crumb.get("class") or ""
        if "breadcrumb" not in classes.lower() and not crumb.get("itemtype") and not _PATH_CLASS.search(classes):
            continue
        steps = [clean_line(element.text_content()) for element in crumb.iter("a", "span", "li")]
        steps = [step for step in steps if step and len(step) < 40 and step.lower() not in _HOME and step != title]
        if steps:
            return steps[-1]
    return None


def tag_links(root: lxml.html.HtmlElement) -> list[str]:
    """Link texts of the page's tag box («news-tags», «post-tags» …), else of its ``rel="tag"`` links
    (WordPress, Blogger; ``rel="category tag"`` names the section, not a tag)."""
    for box in _TAG_BOX(root):
        texts = [clean_line(link.text_content()) for link in box.iter("a")]
        texts = [text for text in texts if text and len(text) < 60]
        if texts:
            return texts
    texts = [clean_line(link.text_content()) for link in _REL_TAG(root)]
    return list(dict.fromkeys(text for text in texts if text and len(text) < 60))


def lead_image(elements: list[lxml.html.HtmlElement], anchor: lxml.html.HtmlElement | None) -> str | None:
    """The first photo after the headline (not a logo, icon, ad or inline data URI)."""
    if anchor is None:
        return None
    try:
        start = elements.index(anchor)
    except ValueError:
        return None
    for element in elements[start + 1 : start + 1 + _AFTER_HEADLINE]:
        if element.tag != "img":
            continue
        source = (element.get("src") or element.get("data-src") or "").strip()
        if not source or source.startswith("data:") or _NOT_PHOTO.search(source):
            continue
        if any(is_furniture(ancestor) for ancestor in element.iterancestors()):
            continue
        return source
    return None
