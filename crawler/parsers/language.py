"""Language identification for ar / en / fr (and a few neighbours) without a model download.

Arabic script decides Arabic (Persian/Urdu letters aside); Latin-script text is told apart by
stop-word hits, which is reliable on news paragraphs of a sentence or more.
"""

from __future__ import annotations

import re

_LETTER = re.compile(r"[^\W\d_]", re.UNICODE)
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_ARABIC = re.compile(r"[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")
_PERSIAN_ONLY = re.compile(r"[\u067e\u0686\u0698\u06af]")


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_STOPWORDS: dict[str, frozenset[str]] = {
    "en": _words("the of and to in is that for on with as was by at from it be this are an or which have"),
    "fr": _words("le la les de des du et en un une est que qui dans pour sur au aux par pas plus sont avec"),
    "es": _words("el los las del y en que por con para una es se al como"),
    "de": _words("der die das und ist nicht mit den von zu ein eine im auf für"),
}
_MIN_LETTERS = 20


def _count(pattern: re.Pattern[str], text: str) -> int:
    """Number of matches, without building a list of them (subn only counts)."""
    return pattern.subn("", text)[1]


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of ``text`` or ``None`` when there is too little text to tell."""
    sample = text[:5000]
    letters = _count(_LETTER, sample)
    if letters < _MIN_LETTERS:
        return None
    arabic = _count(_ARABIC, sample)
    if arabic / letters > 0.5:
        persian = _count(_PERSIAN_ONLY, sample)
        return "fa" if persian / arabic > 0.02 else "ar"
    tokens = [token.lower() for token in _WORD.findall(sample)]
    hits = {code: sum(1 for token in tokens if token in words) for code, words in _STOPWORDS.items()}
    code, best = max(hits.items(), key=lambda item: item[1])
    return code if best >= 2 else None
