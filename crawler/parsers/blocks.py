"""One walk over a page's ``<body>``: its text as blocks (paragraph-like runs) with their evidence.

A block is the text between two block-level boundaries (``<p>``, ``<div>``, ``<br>``, headings …).
Each block knows the element that holds it, how much of it is link text, how many sentence marks
it has, how much of it is in the page's main script (Arabic letters on an Arabic page), and under
which furniture elements it sits (class words like ``share``/``comments`` mark those, see
:mod:`boilerplate`). Nothing is modified: scripts, navigation, figures and hidden elements are
skipped while walking, and so are inline elements marked as furniture. The body finder, the
page-type check and the confidence all read the blocks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import lxml.etree
import lxml.html

from crawler.parsers.boilerplate import dropped, furniture_kind, is_boilerplate_line
from crawler.parsers.text import clean_line

BLOCK_TAGS = frozenset(
    {
        "p", "div", "section", "article", "main", "blockquote", "pre", "ul", "ol", "li", "table",
        "tr", "td", "th", "tbody", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6",
        "header", "center", "address", "hr", "br", "form", "figure", "details", "summary",
    }
)
HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_MARK_CHARS = ".،,؛;؟?!:"  # sentence punctuation, counted with str.count (cheaper than a regex)
_ARABIC = re.compile(r"[\u0621-\u064a\u0671-\u06d3\u06fa-\u06ff]")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")
_SAMPLE = 2000  # characters of a page's text enough to tell its script
# A paragraph of running text: long enough, or a short sentence with a mark, and little link text.
GOOD_LENGTH = 80
SHORT_SENTENCE = 40
GOOD_LINK_SHARE = 0.3
LINK_LINE = 0.5  # more link text than this: a teaser, a menu, a tag list
HEADLINE_LINK = 20  # a link whose text is this long (and four words) reads as a headline
_RICH_BOX = 300
# Hard furniture with less text than this is skipped unread; a bigger one (a comment thread, or an
# article container a theme named oddly) is walked so that its text can still be weighed.
_BIG_FURNITURE = 2000
_MIN_MARKED = 25
_CARDS = 3
_PHRASE_SPAN = 120


@dataclass(eq=False, slots=True)
class Block:
    """One run of text and where it sits."""

    index: int
    text: str
    length: int
    links: int  # characters of link text
    holder: lxml.html.HtmlElement  # the innermost block-level element holding the text
    furniture: tuple[tuple[lxml.html.HtmlElement, str], ...]  # (element, "hard"|"soft"), outermost first
    marks: int = 0  # sentence punctuation
    script_share: float = 1.0  # share of letters in the page's main script
    kind: str = ""  # good | short | links | boiler | heading
    teaser: bool = False  # running text next to a headline link: a teaser of another article
    card: bool = False  # the one paragraph of a repeated card with a name/date line: a comment, a teaser

    @property
    def link_share(self) -> float:
        return min(1.0, self.links / len(self.text)) if self.text else 0.0

    @property
    def is_heading(self) -> bool:
        return self.holder.tag in HEADING_TAGS

    @property
    def in_furniture(self) -> bool:
        return bool(self.furniture)

    @property
    def hard_furniture(self) -> bool:
        return any(kind == "hard" for _element, kind in self.furniture)


@dataclass
class PageBlocks:
    """The blocks of a page in document order, the headline-like links, and the page's main script."""

    blocks: list[Block] = field(default_factory=list)
    headline_links: list[lxml.html.HtmlElement] = field(default_factory=list)  # outside furniture
    furniture_links: list[lxml.html.HtmlElement] = field(default_factory=list)  # headline links in furniture
    link_block: dict[lxml.html.HtmlElement, int] = field(default_factory=dict)  # headline link → its block
    arabic: bool = True  # the page's running text is mostly Arabic
    visible_chars: int = 0

    def good(self) -> list[Block]:
        """Running-text blocks outside hard furniture (comments, share bars, related lists …) and not teasers."""
        return [block for block in self.blocks
                if block.kind == "good" and not block.hard_furniture and not block.teaser and not block.card]


def _classify(block: Block) -> str:
    if block.holder.tag in HEADING_TAGS and block.link_share < LINK_LINE:
        return "heading"
    if block.link_share > LINK_LINE:
        return "links"
    if is_boilerplate_line(block.text[:_PHRASE_SPAN]):  # the phrases open a line
        return "boiler"
    long_enough = block.length >= GOOD_LENGTH or (block.length >= SHORT_SENTENCE and block.marks)
    if long_enough and block.link_share <= GOOD_LINK_SHARE and block.script_share >= 0.5:
        return "good"
    return "short"


class _Walker:
    """The state of one walk: the text gathered since the last boundary, open links and furniture."""

    def __init__(self, body: lxml.html.HtmlElement) -> None:
        self.body = body
        self.result = PageBlocks()
        self.pieces: list[str] = []
        self.linked: list[str] = []
        self.anchors: list[list[str]] = []
        self.holders: list[lxml.html.HtmlElement] = [body]
        self.furniture: list[tuple[lxml.html.HtmlElement, str]] = []

    def add(self, text: str | None) -> None:
        if text and (self.pieces or not text.isspace()):
            self.pieces.append(text)
            if self.anchors:
                self.linked.append(text)
                for anchor in self.anchors:
                    anchor.append(text)

    def flush(self) -> None:
        if not self.pieces:
            return
        line = clean_line("".join(self.pieces))
        links = len(clean_line("".join(self.linked))) if self.linked else 0
        self.pieces.clear()
        self.linked.clear()
        if line:
            blocks = self.result.blocks
            blocks.append(Block(len(blocks), line, len(line), links, self.holders[-1], tuple(self.furniture)))

    def walk(self) -> PageBlocks:
        """One pass of lxml's iterwalk; the per-element work is inlined (this loop is the hot path)."""
        walker = lxml.etree.iterwalk(self.body, events=("start", "end"))
        body, result, add, flush = self.body, self.result, self.add, self.flush
        holders, furniture, anchors = self.holders, self.furniture, self.anchors
        skipped: lxml.html.HtmlElement | None = None
        for event, element in walker:
            if element is skipped:  # iterwalk still reports the end of a skipped element
                skipped = None
                continue
            tag = element.tag if isinstance(element.tag, str) else ""
            block = tag in BLOCK_TAGS
            if element is body:
                if event == "start":
                    add(element.text)
                continue
            if event == "start":
                if dropped(element) or (not block and furniture_kind(element)):
                    walker.skip_subtree()
                    skipped = element
                    if block:
                        flush()
                    add(element.tail)
                    continue
                if block:
                    kind = furniture_kind(element)
                    if kind == "hard" and len(element.text_content()) < _BIG_FURNITURE:
                        walker.skip_subtree()  # a share bar, a related list, an ad: nothing to weigh
                        skipped = element
                        flush()
                        add(element.tail)
                        continue
                    flush()
                    holders.append(element)
                    if kind:
                        furniture.append((element, kind))
                elif tag == "a":
                    anchors.append([])
                add(element.text)
                continue
            if tag == "a" and anchors:
                self.link_ended(element, "".join(anchors.pop()).strip())
            if block:
                flush()
                holders.pop()
            if furniture and furniture[-1][0] is element:
                furniture.pop()
            add(element.tail)
        flush()
        return result

    def link_ended(self, element: lxml.html.HtmlElement, text: str) -> None:
        if len(text) >= HEADLINE_LINK and len(text.split()) >= 4:
            (self.result.furniture_links if self.furniture else self.result.headline_links).append(element)
            blocks = len(self.result.blocks)
            self.result.link_block[element] = blocks if self.pieces else blocks - 1


def page_blocks(root: lxml.html.HtmlElement, title: str = "") -> PageBlocks:
    """The blocks of ``root``'s ``<body>`` (or of ``root`` itself), classified; ``title`` is the
    headline, so that a link to the article itself is not read as a teaser."""
    body = root.find("body")
    result = _Walker(body if body is not None else root).walk()
    result.visible_chars = sum(block.length for block in result.blocks)
    sample = "".join(block.text for block in result.blocks if block.length >= SHORT_SENTENCE)[:_SAMPLE]
    # Latin letters are few on an Arabic page, and counting the few is cheap.
    latin = len(_LATIN.findall(sample))
    result.arabic = bool(_ARABIC.search(sample)) and latin < 0.5 * (len(sample) - sample.count(" "))
    for block in result.blocks:
        if block.length >= _MIN_MARKED:  # marks and script only weigh on blocks long enough to score
            text = block.text
            block.marks = sum(map(text.count, _MARK_CHARS))
        if result.arabic and block.length >= SHORT_SENTENCE:
            # Latin letters are few on an Arabic page: counting them is the cheap way to the share.
            latin = len(_LATIN.findall(block.text)) if _LATIN.search(block.text) else 0
            if latin:
                letters = block.length - block.text.count(" ")
                block.script_share = max(0.0, 1.0 - latin / letters) if letters else 0.0
        block.kind = _classify(block)
    lineages = [_lineage(block.holder, 4) for block in result.blocks]
    good: dict[lxml.html.HtmlElement, int] = {}
    other: dict[lxml.html.HtmlElement, int] = {}
    for block, lineage in zip(result.blocks, lineages, strict=True):
        counts = good if block.kind == "good" else other
        for ancestor in lineage:
            counts[ancestor] = counts.get(ancestor, 0) + 1
    _mark_teasers(result, clean_line(title), lineages, good)
    _mark_cards(result, lineages, good, other)
    _unflag_rich_boxes(result)
    return result


def _lineage(element: lxml.html.HtmlElement, size: int) -> list[lxml.html.HtmlElement]:
    """``element`` and its ancestors, ``size`` elements at most."""
    found: list[lxml.html.HtmlElement] = []
    current: lxml.html.HtmlElement | None = element
    while current is not None and len(found) < size:
        found.append(current)
        current = current.getparent()
    return found


def _mark_teasers(page: PageBlocks, title: str, lineages: list[list[lxml.html.HtmlElement]],
                  counts: dict[lxml.html.HtmlElement, int]) -> None:
    """Running text that shares a small unit (a card, a list item) with a headline link is a teaser.

    The unit is the link's highest ancestor (three levels at most) that holds one paragraph at most.
    A paragraph that contains the link itself is no teaser (a digest's «<a>headline</a> and more»).
    ``counts`` holds the paragraphs under each element of the blocks' ``lineages``.
    """
    units: dict[lxml.html.HtmlElement, int] = {}
    for link in (*page.headline_links, *page.furniture_links):
        if title and clean_line(link.text_content()) == title:
            continue
        unit = None
        for ancestor in _lineage(link, 4)[1:]:
            if counts.get(ancestor, 0) > 1 or ancestor.tag in ("body", "html"):
                break
            unit = ancestor
        if unit is not None and counts.get(unit, 0):
            units[unit] = page.link_block.get(link, -1)
    if units:
        for block, lineage in zip(page.blocks, lineages, strict=True):
            if block.kind != "good":
                continue
            for ancestor in lineage:
                if ancestor in units and units[ancestor] != block.index:
                    block.teaser = True
                    break


def _mark_cards(page: PageBlocks, lineages: list[list[lxml.html.HtmlElement]],
                good: dict[lxml.html.HtmlElement, int], other: dict[lxml.html.HtmlElement, int]) -> None:
    """The paragraph of a card repeated three times or more beside its siblings (same tag and class),
    where each card holds one paragraph and a short line (a name, a date): readers' comments and
    teasers without a headline link. An article's own paragraphs carry no name line each."""
    repeats: dict[lxml.html.HtmlElement, dict[tuple[str, str], int]] = {}
    for block, lineage in zip(page.blocks, lineages, strict=True):
        if block.kind != "good":
            continue
        for card in lineage:
            if good.get(card, 0) != 1 or not other.get(card, 0):
                continue
            parent = card.getparent()
            if parent is None:
                break
            if parent not in repeats:
                seen: dict[tuple[str, str], int] = {}
                for child in parent:
                    if isinstance(child.tag, str):
                        key = (child.tag, child.get("class") or "")
                        seen[key] = seen.get(key, 0) + 1
                repeats[parent] = seen
            if repeats[parent].get((card.tag, card.get("class") or ""), 0) >= _CARDS:
                block.card = True
                break


def _unflag_rich_boxes(page: PageBlocks) -> None:
    """A "soft" box (a sidebar, a widget, a meta line) is small by definition: one holding several
    paragraphs of running text (not teasers) is the article in a builder's or a blog's wrapper."""
    blocks = page.blocks
    good: dict[lxml.html.HtmlElement, list[int]] = {}
    for block in blocks:
        if block.kind == "good" and not block.teaser and not block.card:
            for element, kind in block.furniture:
                if kind == "soft":
                    counts = good.setdefault(element, [0, 0])
                    counts[0] += 1
                    counts[1] += block.length
    rich = {element for element, (count, chars) in good.items() if count >= 2 and chars >= _RICH_BOX}
    if rich:
        for block in blocks:
            if block.furniture:
                block.furniture = tuple(entry for entry in block.furniture if entry[0] not in rich)
