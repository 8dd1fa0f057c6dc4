"""Stories: near-duplicate copies of one article across sources (provisional SimHash version).

A pure module: the state store keeps signatures and bucket keys; this module says what they are.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from core.article import Article

NEAR_BITS = 6
BANDS = 7  # pigeonhole: two fingerprints within 6 bits share at least one of 7 bands exactly
_BAND_EDGES = [round(64 * i / BANDS) for i in range(BANDS + 1)]


@dataclass(frozen=True)
class StorySignature:
    simhash: int

    def dumps(self) -> str:
        return f"{self.simhash:016x}"

    @classmethod
    def loads(cls, text: str) -> StorySignature:
        return cls(int(text, 16))


def story_signature(article: Article) -> StorySignature | None:
    return StorySignature(int(article.fingerprint, 16)) if article.fingerprint else None


def band_keys(signature: StorySignature) -> list[int]:
    keys = []
    for band, (start, end) in enumerate(itertools.pairwise(_BAND_EDGES)):
        value = (signature.simhash >> (64 - end)) & ((1 << (end - start)) - 1)
        keys.append(band << 16 | value)
    return keys


def same_story(a: StorySignature, b: StorySignature) -> bool:
    return (a.simhash ^ b.simhash).bit_count() <= NEAR_BITS
