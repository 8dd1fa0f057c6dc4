"""Tokens for entity matching: surface text (marks stripped), normalized form, clitic variants."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from indexer.analysis import normalize
from indexer.analysis.charmap import CharMap

_TOKEN = re.compile(r"[^\W_]+(?:&[^\W_]*)?|&|[^\w\s]", re.UNICODE)
_MARKS = "".join(chr(code) for code in (*range(0x064B, 0x0660), 0x0670, 0x0640))
_STRIP_MARKS = CharMap(dict.fromkeys(map(ord, _MARKS)))
_CONJUNCTIONS = ("و", "ف")
_PREPOSITIONS = ("ب", "ل", "ك")


@cache
def norm(word: str) -> str:
    """The normalized form of one word (cached: news text repeats its words)."""
    return normalize(word)


@dataclass(frozen=True)
class Token:
    text: str  # as written, harakat and tatweel removed
    norm: str
    is_word: bool


@lru_cache(maxsize=1 << 17)
def _token(surface: str) -> Token:
    """The (immutable, so shared) token for one surface form."""
    return Token(surface, norm(surface), surface[0].isalnum())


def tokenize(text: str) -> list[Token]:
    return list(map(_token, _TOKEN.findall(_STRIP_MARKS(text))))


@cache
def clitic_variants(form: str) -> tuple[str, ...]:
    """A normalized word and its readings without a leading و/ف and ب/ل/ك («وبالقاهرة» → «القاهرة»).

    «لل…» also reads as «ال…» («للاتصالات» → «الاتصالات»). «ك» is stripped only before four
    letters or more: «كابل» (a cable) is no «ك» + «أبل».
    """
    variants = [form]
    stems = [form]
    if len(form) > 2 and form[0] in _CONJUNCTIONS:
        stems.append(form[1:])
    for stem in list(stems):
        if len(stem) > 3 and stem.startswith("لل"):
            stems.append("ا" + stem[1:])
        if len(stem) > 2 and stem[0] in _PREPOSITIONS and (stem[0] != "ك" or len(stem) > 4):
            stems.append(stem[1:])
    for stem in stems:
        if stem not in variants:
            variants.append(stem)
    return tuple(variants)


@cache
def is_definite(form: str) -> bool:
    """Whether a normalized word carries the article (ال…, وال…, بال…, لل…)."""
    return any(variant.startswith("ال") and len(variant) > 3 for variant in clitic_variants(form))
