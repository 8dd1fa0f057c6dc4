"""The story-grouping evaluation set: the portal world, our own same-topic stories, rewritten copies.

Ground truth: a copy belongs to its base's story; portal-world articles share a story only through
``syndicated_group``; every other article is its own story. Texts of the copies come from
``tests/fixtures/stories/rewrites.yaml`` (written for Marsad) and the portal world's YAML.
"""

from __future__ import annotations

import random
import re
import zlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import yaml

from crawler.portalworld.data import AZERBAIJAN_RE, load_world_data

REWRITES = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "stories" / "rewrites.yaml"
REWORD_SHARE = 0.2  # share of sentences that get one or two synonym swaps
_SENTENCE_END = re.compile(r"(?<=[.!؟])\s+")


@dataclass(frozen=True)
class Doc:
    """One article of the evaluation set; ``blocks`` are (kind, text), kind "p" or "h"."""

    id: str
    story: str
    kind: str  # "original" for portal-world and own articles, else the rewrite, e.g. "lead+reorder"
    title: str
    blocks: tuple[tuple[str, str], ...]

    @property
    def body(self) -> str:
        return "\n\n".join(text for _, text in self.blocks)

    @property
    def azerbaijan(self) -> bool:
        return bool(AZERBAIJAN_RE.search(f"{self.title} {self.body}"))


@dataclass(frozen=True)
class Rewriter:
    """Applies the rewrites of one base article; ``rng`` makes every copy reproducible."""

    new_lead: str
    new_headline: str
    read_also: str  # the headline of another article, for the «اقرأ أيضاً» line
    synonyms: tuple[tuple[str, str], ...]
    boilerplate: dict[str, str]
    rng: random.Random

    def apply(self, doc: Doc, steps: str) -> Doc:
        for step in steps.split("+"):
            doc = getattr(self, step.replace("-", "_"))(doc)
        return replace(doc, kind=steps, id=f"{doc.id}~{steps}")

    def reorder(self, doc: Doc) -> Doc:
        blocks = list(doc.blocks)
        while blocks == list(doc.blocks):
            self.rng.shuffle(blocks)
        return replace(doc, blocks=tuple(blocks))

    def lead(self, doc: Doc) -> Doc:
        first = next(i for i, (kind, _) in enumerate(doc.blocks) if kind == "p")
        blocks = list(doc.blocks)
        blocks[first] = ("p", self.new_lead)
        return replace(doc, blocks=tuple(blocks))

    def headline(self, doc: Doc) -> Doc:
        return replace(doc, title=self.new_headline)

    def drop_last(self, doc: Doc) -> Doc:
        return replace(doc, blocks=doc.blocks[:-1])

    def short(self, doc: Doc) -> Doc:
        """A shortened version: the first half of the blocks (rounded up)."""
        return replace(doc, blocks=doc.blocks[:(len(doc.blocks) + 1) // 2])

    def no_subheads(self, doc: Doc) -> Doc:
        return replace(doc, blocks=tuple(block for block in doc.blocks if block[0] == "p"))

    def agency(self, doc: Doc) -> Doc:
        """«(وكالات) - » before the lead, an «اقرأ أيضاً» line after it, a credit line at the end."""
        (kind, first), *rest = doc.blocks
        lines = self.boilerplate
        blocks = [(kind, lines["agency_prefix"] + first), ("p", lines["read_also"] + self.read_also),
                  *rest, ("p", lines["credit"])]
        return replace(doc, blocks=tuple(blocks))

    def reword(self, doc: Doc) -> Doc:
        """One or two synonym swaps in ~20 % of the sentences (those that have a listed word)."""
        sentences = [(b, s) for b, (_, text) in enumerate(doc.blocks) for s in _SENTENCE_END.split(text)]
        wanted = max(1, round(REWORD_SHARE * len(sentences)))
        candidates = [i for i, (_, sentence) in enumerate(sentences) if self._swap(sentence) != sentence]
        chosen = set(self.rng.sample(candidates, min(wanted, len(candidates))))
        texts: dict[int, list[str]] = {}
        for i, (b, sentence) in enumerate(sentences):
            texts.setdefault(b, []).append(self._swap(sentence) if i in chosen else sentence)
        return replace(doc, blocks=tuple((kind, " ".join(texts[b])) for b, (kind, _) in enumerate(doc.blocks)))

    def reword_all(self, doc: Doc) -> Doc:
        """A heavier paraphrase: one or two synonym swaps in every sentence that has a listed word."""
        return replace(doc, blocks=tuple((kind, " ".join(map(self._swap, _SENTENCE_END.split(text))))
                                         for kind, text in doc.blocks))

    def _swap(self, sentence: str, most: int = 2) -> str:
        done = 0
        for word, other in self.synonyms:
            pattern = re.compile(rf"(?<![^\W_]){re.escape(word)}(?![^\W_])")
            if done < most and pattern.search(sentence):
                sentence = pattern.sub(other, sentence, count=1)
                done += 1
        return sentence


# Each copy of a base applies these rewrites in order (the lead is replaced before reordering).
VARIANTS = (
    "reorder", "lead", "headline", "drop-last", "no-subheads", "agency", "reword", "reword-all", "short",
    "lead+headline+reword", "reorder+drop-last+agency", "lead+drop-last+agency",
    "lead+reorder+drop-last+agency+reword+headline+no-subheads",
)


def load_rewrites(path: Path = REWRITES) -> dict[str, Any]:
    with path.open(encoding="utf-8") as handle:
        data: dict[str, Any] = yaml.safe_load(handle)
    return data


def originals(rewrites: dict[str, Any]) -> list[Doc]:
    """The portal world's published articles and our own same-topic stories, unchanged."""
    world = load_world_data()
    docs = [Doc(a.id, a.syndicated_group or a.id, "original", a.title,
                tuple((block.kind, block.text) for block in a.blocks)) for a in world.articles]
    docs += [Doc(s["id"], s["id"], "original", s["title"], tuple(("p", text) for text in s["paragraphs"]))
             for s in rewrites["stories"]]
    return docs


def copies(docs: list[Doc], rewrites: dict[str, Any], variants: tuple[str, ...] = VARIANTS) -> Iterator[Doc]:
    """Every variant of every base article, each in the base's story."""
    by_id = {doc.id: doc for doc in docs}
    bases = list(rewrites["bases"])
    for position, base_id in enumerate(bases):
        texts = rewrites["bases"][base_id]
        other = by_id[bases[(position + 1) % len(bases)]].title
        for steps in variants:
            rng = random.Random(zlib.crc32(f"{base_id}/{steps}".encode()))
            rewriter = Rewriter(texts["lead"], texts["headline"], other, tuple(map(tuple, rewrites["synonyms"])),
                                rewrites["boilerplate"], rng)
            yield rewriter.apply(by_id[base_id], steps)


def evaluation_set(variants: tuple[str, ...] = VARIANTS) -> list[Doc]:
    rewrites = load_rewrites()
    docs = originals(rewrites)
    return docs + list(copies(docs, rewrites, variants))


def pairs(items: Sequence[object]) -> Iterator[tuple[int, int]]:
    """Every index pair i < j."""
    for i in range(len(items)):
        for j in range(i + 1, len(items)):
            yield i, j


def describe(docs: list[Doc], show: Callable[[str], None] = print) -> None:
    stories = {doc.story for doc in docs}
    positives = sum(docs[i].story == docs[j].story for i, j in pairs(docs))
    hard = sum(docs[i].story != docs[j].story and docs[i].azerbaijan and docs[j].azerbaijan for i, j in pairs(docs))
    show(f"{len(docs)} articles, {len(stories)} stories, {positives} same-story pairs, "
         f"{hard} different-story pairs that both name Azerbaijan")
