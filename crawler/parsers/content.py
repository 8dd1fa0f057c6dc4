"""Body text helpers for parsers that know where their article is (per-portal parsers), and the
one-call body of a whole page. The work is done by :mod:`blocks` (the walk) and :mod:`bodyfinder`
(where the body is); this module keeps the two small entry points the parsers use.
"""

from __future__ import annotations

import lxml.html

from crawler.parsers.blocks import page_blocks
from crawler.parsers.body import clean_paragraphs
from crawler.parsers.bodyfinder import find_body


def paragraphs(container: lxml.html.HtmlElement) -> list[tuple[str, float]]:
    """The container's text as ``(paragraph, link share)``: blocks and ``<br>`` break lines;
    furniture inside it (share bars, ads, related lists) is left out."""
    return [(block.text, block.link_share) for block in page_blocks(container).blocks if not block.furniture]


def body_paragraphs(root: lxml.html.HtmlElement, title: str = "") -> list[str]:
    """Article paragraphs of a whole page, without furniture, the repeated headline and duplicates."""
    return clean_paragraphs(find_body(page_blocks(root, title)).paragraphs, title)
