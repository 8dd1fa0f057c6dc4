"""Near-duplicate fingerprints: a 64-bit SimHash over shingles of the analyzed body.

Syndicated copies of one story (same agency text, different portal furniture or a changed
sentence) land within a few bits of each other; unrelated stories are ~32 bits apart.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter

from indexer.analysis import normalize

BITS = 64
SHINGLE = 2  # word pairs: on news-length texts, copies stay within ~3 bits, other stories ~20 apart
NEAR_DUPLICATE_BITS = 6  # at most this many differing bits: the same story
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_CLITIC_ARTICLE = re.compile(r"^(?:وال|بال|فال|كال|لل|ال)(?=\w{2,})")


def analyze(text: str) -> list[str]:
    """Normalized words with the article and its clitics dropped («والاتصالات» → «اتصالات»)."""
    return [_CLITIC_ARTICLE.sub("", word) for word in _WORD.findall(normalize(text))]


def _hash(shingle: str) -> int:
    return int.from_bytes(hashlib.blake2b(shingle.encode("utf-8"), digest_size=8).digest(), "big")


def simhash(text: str) -> str | None:
    """The body's SimHash as 16 hex digits, or ``None`` for texts too short to fingerprint."""
    words = analyze(text)
    if len(words) < SHINGLE:
        return None
    shingles = Counter(" ".join(words[i : i + SHINGLE]) for i in range(len(words) - SHINGLE + 1))
    rows: list[str] = []
    for shingle, count in shingles.items():
        rows.extend([f"{_hash(shingle):064b}"] * count)
    half = len(rows) / 2
    # Column i of the bit strings is bit 63-i; a bit is set when most weighted shingles have it.
    bits = "".join("1" if column.count("1") > half else "0" for column in map("".join, zip(*rows, strict=True)))
    return f"{int(bits, 2):016x}"


def hamming(first: str, second: str) -> int:
    """Number of differing bits between two fingerprints."""
    return (int(first, 16) ^ int(second, 16)).bit_count()


def is_near_duplicate(first: str, second: str, max_bits: int = NEAR_DUPLICATE_BITS) -> bool:
    return hamming(first, second) <= max_bits
