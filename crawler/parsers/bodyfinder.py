"""Find the article body without knowing the template: score blocks by their text, pick the subtree.

1. Every block of running text scores its container (fully), the container's parent (half) and
   grandparent (a quarter), readability-style: length, sentence marks (، . ؟), share of the page's
   script, minus link text. A container's score is then scaled down by its link density; a known
   body class (see :mod:`hints`) multiplies it, but nothing requires one.
2. The best container grows into its ancestors while what they add is mostly running text: page
   builders split one article over sibling blocks, and those come back together this way.
3. A lead (standfirst) sitting between the headline and the body joins the body.
4. Paragraphs are the region's blocks minus furniture, link lines and boilerplate phrases; outside
   the best container only running text and the subheadings before it are taken.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import lxml.html

from crawler.parsers.blocks import GOOD_LENGTH, Block, PageBlocks
from crawler.parsers.hints import ALL_HINTS, TemplateHints, looks_like_lead

_CONTAINER_TAGS = frozenset({"div", "section", "article", "main", "td", "body", "form", "span", "font", "center"})
_WEIGHTS = (1.0, 0.5, 0.25)
_MIN_BLOCK = 25
_MAX_MARKS = 8
_FURNITURE_WEIGHT = {"hard": 0.1, "soft": 0.3}
_TEASER_WEIGHT = 0.25
_KNOWN_BONUS = 1.5
_GROW_LEVELS = 5
_GROW_BAD_RATIO = 1.0  # an ancestor joins when what it adds has no more stray text than running text
_LINK_LINE_WEIGHT = 0.25  # link lists and teasers sit next to every article and never leak into the body
_LINK_LINE = 0.8
_LEAD_WINDOW = 10  # blocks looked at, backwards, for a lead before the body
_LEAD_MIN = 40
_LED_WINDOW = 2  # blocks (a date, a byline) allowed between a row's headline link and its excerpt


@dataclass
class BodyRegion:
    """Where the body is and what it says."""

    paragraphs: list[str] = field(default_factory=list)
    container: lxml.html.HtmlElement | None = None  # the best-scoring element
    region: lxml.html.HtmlElement | None = None  # the container after growing
    lead: bool = False  # a lead before the body was added
    headline_links: int = 0  # headline-like links inside the region
    teasers: int = 0  # paragraphs inside the region that are teasers of other articles (a listing's)
    led: int = 0  # paragraphs inside the region that follow a headline link of their own (a listing's rows)
    good_blocks: int = 0
    good_chars: int = 0  # running text in the region
    known: bool = False  # the container carries a known body class


def _block_score(block: Block) -> float:
    if block.kind in ("links", "boiler", "heading") or block.length < _MIN_BLOCK:
        return 0.0
    base = 1.0 + min(block.length / 100.0, 3.0) + min(block.marks, _MAX_MARKS)
    weight = (1.0 - block.link_share) * block.script_share * (_TEASER_WEIGHT if block.teaser else 1.0)
    for _element, kind in block.furniture:
        weight *= _FURNITURE_WEIGHT[kind]
    return base * weight


def _container(block: Block) -> lxml.html.HtmlElement | None:
    holder = block.holder
    return holder if holder.tag in _CONTAINER_TAGS else holder.getparent()


@dataclass
class _Totals:
    score: float = 0.0
    chars: int = 0
    links: int = 0
    good: int = 0  # running-text characters outside furniture
    bad: float = 0.0  # link lines, boilerplate and stray short lines outside furniture


def _totals(page: PageBlocks) -> tuple[dict[lxml.html.HtmlElement, _Totals], list[lxml.html.HtmlElement]]:
    """Per element: the readability score and the character counts of the blocks below it."""
    totals: dict[lxml.html.HtmlElement, _Totals] = {}
    scored: list[lxml.html.HtmlElement] = []
    for block in page.blocks:
        score = _block_score(block)
        if score:
            target = _container(block)
            for weight in _WEIGHTS:
                if target is None:
                    break
                entry = totals.get(target)
                if entry is None:
                    entry = totals[target] = _Totals()
                if not entry.score:
                    scored.append(target)
                entry.score += score * weight
                target = target.getparent()
        good = block.kind == "good" and not block.furniture and not block.teaser and not block.card
        bad = 0.0 if block.furniture or block.kind in ("good", "heading") else float(block.length)
        if block.teaser or block.card:
            bad = block.length * _LINK_LINE_WEIGHT
        if block.kind == "short":
            bad *= 0.5
        element: lxml.html.HtmlElement | None = block.holder
        while element is not None:
            entry = totals.get(element)
            if entry is None:
                entry = totals[element] = _Totals()
            entry.chars += block.length
            entry.links += block.links
            entry.good += block.length if good else 0
            entry.bad += bad
            element = element.getparent()
    return totals, scored


def _best(totals: dict[lxml.html.HtmlElement, _Totals], scored: list[lxml.html.HtmlElement],
          hints: TemplateHints) -> lxml.html.HtmlElement | None:
    best: tuple[float, lxml.html.HtmlElement] | None = None
    for element in scored:
        entry = totals[element]
        if element.tag in ("html",):
            continue
        value = entry.score * (1.0 - entry.links / entry.chars if entry.chars else 1.0)
        if hints.is_known_body(element):
            value *= _KNOWN_BONUS
        if best is None or value > best[0]:
            best = (value, element)
    return best[1] if best else None


def _grow(container: lxml.html.HtmlElement, totals: dict[lxml.html.HtmlElement, _Totals]) -> lxml.html.HtmlElement:
    """Climb while each ancestor adds running text and little else (sibling paragraph blocks)."""
    region = container
    candidate = container.getparent()
    for _ in range(_GROW_LEVELS):
        if candidate is None or candidate.tag in ("body", "html"):
            break
        inner, outer = totals[region], totals[candidate]
        added_good, added_bad = outer.good - inner.good, outer.bad - inner.bad
        if added_good >= GOOD_LENGTH and added_bad <= added_good * _GROW_BAD_RATIO:
            region = candidate
        elif added_good or added_bad > 0:
            break
        candidate = candidate.getparent()
    return region


def _inside(element: lxml.html.HtmlElement, ancestor: lxml.html.HtmlElement) -> bool:
    return element is ancestor or any(parent is ancestor for parent in element.iterancestors())


def _dropped_in(block: Block, region: lxml.html.HtmlElement, in_core: bool) -> bool:
    """Furniture below the region's root is dropped; a region that is itself inside furniture
    (a mislabelled article container) keeps its text. Inside the best container, running text and
    subheadings survive soft furniture (a builder's widget, a small wrapper)."""
    for element, kind in block.furniture:
        if element is not region and _inside(element, region):
            return not (kind == "soft" and (block.kind == "heading" or (in_core and block.kind == "good")))
    return False


def _keep(page: PageBlocks, region: lxml.html.HtmlElement, core: lxml.html.HtmlElement,
          title: lxml.html.HtmlElement | None) -> list[Block]:
    """The region's article blocks: everything in the core container that is not furniture, link
    lines or boilerplate; outside it only running text. A subheading stays when text follows it,
    not when a list of links does (a box title)."""
    members = set(region.iter())
    core_members = members if core is region else set(core.iter())
    kept: list[Block] = []
    pending: list[Block] = []
    for block in page.blocks:
        if block.holder not in members or block.holder is title:
            continue
        in_core = block.holder in core_members
        if _dropped_in(block, region, in_core) or block.kind == "boiler":
            continue
        if block.link_share > _LINK_LINE:
            pending.clear()
        elif block.kind == "heading":
            pending.append(block)
        elif in_core or (block.kind == "good" and not block.teaser and not block.card):
            kept.extend(pending)
            pending.clear()
            kept.append(block)
        else:
            pending.clear()
    return kept


def _lead(page: PageBlocks, first: Block, title: lxml.html.HtmlElement | None) -> Block | None:
    """A standfirst between the headline and the body's first block: the nearest sentence-like block."""
    start = max(0, first.index - _LEAD_WINDOW)
    for block in reversed(page.blocks[start:first.index]):
        if title is not None and (block.holder is title or _inside(block.holder, title)):
            return None
        if block.kind in ("links", "boiler") or block.length < _LEAD_MIN or block.link_share > 0.2:
            continue
        if any(kind == "hard" for _element, kind in block.furniture):
            continue
        parent = block.holder.getparent()
        named = looks_like_lead(block.holder) or (parent is not None and looks_like_lead(parent))
        sentence = block.marks > 0 and block.script_share >= 0.5 and block.length >= 60
        if block.furniture and not named:
            continue
        if named or (sentence and title is not None):
            return block
    return None


def led_rows(page: PageBlocks, region: lxml.html.HtmlElement | None = None) -> tuple[int, int]:
    """``(paragraphs, characters)`` that come right after a headline link standing on its own line,
    in ``region`` or on the whole page: a listing's rows («<a>headline</a> · date · excerpt»),
    however flat its markup. Related links clustered at the end of an article lead nothing; a
    link inside a paragraph is no row."""
    link_lines = {index for index in page.link_block.values() if 0 <= index < len(page.blocks)}
    members = set(region.iter()) if region is not None else None
    led, chars, since_link = 0, 0, _LED_WINDOW + 1
    for block in page.blocks:
        if (members is not None and block.holder not in members) or block.furniture:
            continue
        if block.index in link_lines and block.kind != "good":
            since_link = 0
        elif block.kind == "good":
            if since_link <= _LED_WINDOW:
                led += 1
                chars += block.length
            since_link = _LED_WINDOW + 1
        else:
            since_link += 1
    return led, chars


def find_body(page: PageBlocks, *, title: lxml.html.HtmlElement | None = None,
              hints: TemplateHints = ALL_HINTS) -> BodyRegion:
    """The article body of a page whose blocks are ``page``; ``title`` is the headline element."""
    totals, scored = _totals(page)
    container = _best(totals, scored, hints)
    if container is None:
        return BodyRegion()
    region = _grow(container, totals)
    blocks = _keep(page, region, container, title)
    if not blocks:
        return BodyRegion(container=container, region=region)
    lead = _lead(page, blocks[0], title)
    if lead is not None and lead not in blocks:
        blocks.insert(0, lead)
    headline_links = sum(1 for link in page.headline_links if _inside(link, region))
    teasers = sum(1 for block in page.blocks if block.teaser and not block.furniture and _inside(block.holder, region))
    led = led_rows(page, region)[0]
    good = [block for block in blocks if block.kind == "good"]
    return BodyRegion(
        paragraphs=[block.text for block in blocks],
        container=container,
        region=region,
        lead=lead is not None,
        headline_links=headline_links,
        teasers=teasers,
        led=led,
        good_blocks=len(good),
        good_chars=sum(block.length for block in good),
        known=hints.is_known_body(container),
    )
