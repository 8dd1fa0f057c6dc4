"""Stories: near-duplicate articles from different sources share one story.

An article's :class:`StorySignature` is a MinHash of its body: 128 values over the set of word
3-grams of the analyzed body (the words :func:`crawler.parsers.fingerprint.analyze` gives the
SimHash fingerprint), plus the size of that set. Two articles are the same story when the share
of equal MinHash values — the estimated Jaccard similarity of their 3-gram sets — is at least
``SAME_STORY_JACCARD``.

Candidates are found without comparing every pair (LSH): :func:`band_keys` gives 16 integers per
article, one per band of 2 MinHash values. Two articles share at least one key with probability
1 - (1 - J²)¹⁶ for Jaccard J: 0.48 at 0.2, 0.78 at 0.3, 0.94 at 0.4, 0.99 at 0.5, 0.014 at 0.03.
A same-story pair missed by the keys is usually still joined through another copy of the story.

Why MinHash and not the SimHash fingerprint is measured in ``bench/bench_stories.py``
(BENCHMARKS.md, «Story grouping»): on news-length bodies a new lead moves the SimHash by 5-17
bits, a dropped last paragraph by 6-13 and combined rewrites by up to 26, while pigeonhole keys
for a 15-bit threshold already make two thirds of unrelated pairs candidates.

Pure module: no database, no Scrapy. MinHash values come from ``datasketch`` with its scheme and
seed pinned, since stored signatures must stay comparable across releases.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from functools import cache
from hashlib import blake2b

import numpy as np
from datasketch import MinHash

from core.article import Article
from crawler.parsers.fingerprint import analyze

NUM_PERM = 128  # MinHash values per article (4 bytes each)
SHINGLE = 3  # word 3-grams: rewrites keep them, different stories on one topic share almost none
MIN_WORDS = 40  # shorter bodies get no signature: too few 3-grams to tell stories apart
SAME_STORY_JACCARD = 0.2  # measured: copies vs their original ≥ 0.28, other stories ≤ 0.15
BANDS = 16  # band keys per article
ROWS = 2  # MinHash values per band
SCHEME = "affine32"  # datasketch's permutation scheme (its default since 2.0), pinned
SEED = 1
# Prefix of the stored text. Bump it when NUM_PERM, SHINGLE, SCHEME, SEED or the analysis change:
# old signatures are then not comparable. A change of BANDS or ROWS only needs the stored keys
# recomputed from the stored signatures; a change of SAME_STORY_JACCARD or MIN_WORDS needs nothing.
VERSION = "m1"
_BAND_SHIFT = 59  # key = band number in the top bits (4 of 63) | 59 bits of the band's hash


@dataclass(frozen=True)
class StorySignature:
    """What is stored per article to compare it later: MinHash values and the 3-gram count."""

    values: bytes  # NUM_PERM unsigned 32-bit MinHash values, big-endian
    shingles: int  # size of the 3-gram set: with it, containment can be estimated later without re-signing

    def __post_init__(self) -> None:
        if len(self.values) != 4 * NUM_PERM:
            raise ValueError(f"StorySignature needs {NUM_PERM} 4-byte values, got {len(self.values)} bytes")
        if self.shingles < 1:
            raise ValueError(f"StorySignature.shingles must be positive, got {self.shingles}")

    def dumps(self) -> str:
        """Compact text for a SQLite column or an ES keyword: ``m1:<shingles>:<base64 values>``."""
        return f"{VERSION}:{self.shingles}:{base64.b64encode(self.values).decode('ascii')}"

    @classmethod
    def loads(cls, text: str) -> StorySignature:
        """Parse :meth:`dumps` output; ``ValueError`` for anything else, or another version's text."""
        version, _, rest = text.partition(":")
        count, _, encoded = rest.partition(":")
        if version != VERSION or not (count.isascii() and count.isdigit()) or not encoded:
            raise ValueError(f"not a {VERSION} story signature: {text[:40]!r}")
        try:
            values = base64.b64decode(encoded, validate=True)
        except ValueError as error:
            raise ValueError(f"story signature has bad base64: {text[:40]!r}") from error
        return cls(values, int(count))


def story_signature(article: Article) -> StorySignature | None:
    """The article body's signature, or ``None`` when the body has fewer than MIN_WORDS words."""
    words = analyze(article.body)
    if len(words) < MIN_WORDS:
        return None
    grams = {" ".join(words[i:i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)}
    minhash = MinHash(num_perm=NUM_PERM, seed=SEED, permutations=_permutations(), scheme=SCHEME)
    minhash.update_batch([gram.encode("utf-8") for gram in grams])
    return StorySignature(minhash.hashvalues.astype(">u4").tobytes(), len(grams))


@cache
def _permutations() -> np.ndarray:
    """datasketch draws the permutations from ``SEED``; draw them once, not per article."""
    permutations: np.ndarray = MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME).permutations
    return permutations


def band_keys(signature: StorySignature) -> list[int]:
    """One key per band of ROWS values: the band number in bits 59-62, a hash of the band below.

    Keys are non-negative and below 2**63, so they fit SQLite INTEGER and an ES ``long``.
    """
    width = 4 * ROWS
    keys = []
    for band in range(BANDS):
        chunk = signature.values[band * width:(band + 1) * width]
        digest = int.from_bytes(blake2b(chunk, digest_size=8).digest(), "big")
        keys.append(band << _BAND_SHIFT | digest >> (64 - _BAND_SHIFT))
    return keys


def jaccard(a: StorySignature, b: StorySignature) -> float:
    """Estimated Jaccard similarity of the two 3-gram sets: the share of equal MinHash values."""
    equal = np.frombuffer(a.values, dtype=">u4") == np.frombuffer(b.values, dtype=">u4")
    return float(np.count_nonzero(equal)) / NUM_PERM


def same_story(a: StorySignature, b: StorySignature) -> bool:
    """The exact check on two candidates (articles that share a band key)."""
    return jaccard(a, b) >= SAME_STORY_JACCARD
