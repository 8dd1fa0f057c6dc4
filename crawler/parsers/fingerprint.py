"""Near-duplicate fingerprints: a 64-bit SimHash over shingles of the analyzed body.

Syndicated copies of one story (same agency text, different portal furniture or a changed
sentence) land within a few bits of each other; unrelated stories are ~32 bits apart.
"""

from __future__ import annotations

import re
from collections import Counter
from hashlib import blake2b
from itertools import pairwise

from indexer.analysis import normalize

BITS = 64
SHINGLE = 2  # word pairs: on news-length texts, copies stay within ~3 bits, other stories ~20 apart
NEAR_DUPLICATE_BITS = 6  # at most this many differing bits: the same story
# A word (a run of [^\W_]) without the article and its clitics when two more letters follow.
_WORD = re.compile(r"(?<![^\W_])(?:(?:وال|بال|فال|كال|لل|ال)(?=[^\W_]{2}))?([^\W_]+)")
# _BIT_SET[j] maps a byte to 1 when its bit j (0 = most significant) is set, else to 0.
_BIT_SET = [bytes((value >> (7 - bit)) & 1 for value in range(256)) for bit in range(8)]


def analyze(text: str) -> list[str]:
    """Normalized words with the article and its clitics dropped («والاتصالات» → «اتصالات»)."""
    return _WORD.findall(normalize(text))


def simhash(text: str) -> str | None:
    """The body's SimHash as 16 hex digits, or ``None`` for texts too short to fingerprint."""
    words = analyze(text)
    if len(words) < SHINGLE:
        return None
    shingles = Counter(map(" ".join, pairwise(words)))
    # One row of 8 digest bytes per shingle occurrence; byte column i holds hash bits 63-8i … 56-8i.
    rows = b"".join(blake2b(shingle.encode("utf-8"), digest_size=8).digest() * count
                    for shingle, count in shingles.items())
    half = len(rows) // 8 / 2
    value = 0
    for position in range(BITS // 8):
        column = rows[position::8]
        for table in _BIT_SET:  # a bit is set when most weighted shingles have it
            value = value << 1 | (column.translate(table).count(1) > half)
    return f"{value:016x}"


def hamming(first: str, second: str) -> int:
    """Number of differing bits between two fingerprints."""
    return (int(first, 16) ^ int(second, 16)).bit_count()


def is_near_duplicate(first: str, second: str, max_bits: int = NEAR_DUPLICATE_BITS) -> bool:
    return hamming(first, second) <= max_bits
