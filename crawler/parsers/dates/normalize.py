"""Fold Arabic text into one canonical spelling so that one regex matches every variant.

Folding maps Arabic-Indic (٠-٩) and Persian (۰-۹) digits to ASCII, hamza forms of alef to ا,
ى to ي, ة to ه, ڤ to ف, Arabic punctuation and odd spaces/dashes to ASCII, and Latin capitals to
lower case; it deletes diacritics, tatweel and bidi marks. Character offsets into the original text
are kept so that mentions found in the folded text can be reported against the original.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_ONE_TO_ONE: dict[str, str] = {
    **{chr(0x0660 + i): str(i) for i in range(10)},  # Arabic-Indic digits
    **{chr(0x06F0 + i): str(i) for i in range(10)},  # Persian / Urdu digits
    **{chr(c): chr(c + 32) for c in range(ord("A"), ord("Z") + 1)},
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ٲ": "ا", "ٳ": "ا",
    "ى": "ي", "ی": "ي", "ې": "ي",
    "ة": "ه", "ۀ": "ه", "ە": "ه",
    "ڤ": "ف", "ڥ": "ف", "ڨ": "ق", "ک": "ك", "گ": "ك",
    "ؤ": "و", "ئ": "ي",
    "٫": ".", "٬": ",", "،": ",", "؛": ";", "؟": "?", "؍": "/", "٪": "%",
    "\u00a0": " ", "\u2007": " ", "\u2009": " ", "\u200a": " ", "\u202f": " ", "\u3000": " ",
    "\t": " ", "\r": " ", "\n": " ",
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-",
    "\u2212": "-", "\ufe63": "-", "\uff0d": "-", "\uff0b": "+",
}
_TABLE = str.maketrans(_ONE_TO_ONE)

# Characters dropped while folding: harakat and Quranic marks, superscript alef, tatweel,
# zero-width and bidi control characters, soft hyphen, byte-order mark.
_DROPPED_RANGES = ((0x064B, 0x065F), (0x0670, 0x0670), (0x06D6, 0x06ED), (0x0640, 0x0640),
                   (0x200B, 0x200F), (0x061C, 0x061C), (0x202A, 0x202E), (0x2066, 0x2069),
                   (0x00AD, 0x00AD), (0xFEFF, 0xFEFF))
_DROPPED_CHARS = frozenset(chr(c) for low, high in _DROPPED_RANGES for c in range(low, high + 1))
_DROPPED_RE = re.compile("[" + "".join(re.escape(c) for c in sorted(_DROPPED_CHARS)) + "]+")

_DIGITS_TABLE = str.maketrans({k: v for k, v in _ONE_TO_ONE.items() if v.isdigit()})


@dataclass(frozen=True, slots=True)
class Folded:
    """Folded text plus, when characters were dropped, each folded char's original offset."""

    text: str
    offsets: tuple[int, ...] | None
    original_length: int

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a [start, end) span of the folded text back to the original text.

        Dropped marks right after the span (the tatweel of «هـ», the tanween of «مساءً») belong to it.
        """
        if self.offsets is None:
            return start, end
        o_start = self.offsets[start] if start < len(self.offsets) else self.original_length
        o_end = self.offsets[end] if end < len(self.offsets) else self.original_length
        return o_start, max(o_start, o_end)


def fold(text: str) -> Folded:
    """Fold ``text`` (see module doc); length-preserving unless marks had to be dropped."""
    folded = text.translate(_TABLE)
    if _DROPPED_RE.search(folded) is None:
        return Folded(folded, None, len(text))
    kept: list[int] = []
    previous = 0
    for match in _DROPPED_RE.finditer(folded):  # offsets between dropped runs, copied in C
        kept.extend(range(previous, match.start()))
        previous = match.end()
    kept.extend(range(previous, len(folded)))
    return Folded(_DROPPED_RE.sub("", folded), tuple(kept), len(text))


def fold_word(word: str) -> str:
    """Fold a vocabulary word and collapse its inner whitespace to single spaces."""
    return " ".join(fold(word).text.split())


def ascii_digits(text: str) -> str:
    """Only replace Arabic-Indic and Persian digits by ASCII ones."""
    return text.translate(_DIGITS_TABLE)


def alternation(words: set[str] | list[str]) -> str:
    """A regex alternation of folded words, longest first, inner spaces matching any whitespace."""
    parts = sorted({w for w in words if w}, key=lambda w: (-len(w), w))
    return "|".join(r"\s+".join(re.escape(p) for p in w.split(" ")) for w in parts)
