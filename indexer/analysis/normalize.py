"""Arabic (and Latin) orthographic normalization.

One function, :func:`normalize`, folds the spelling variants that Arabic news text shows in
practice so that alert matching, the SQLite index and the Elasticsearch pre-analyzed fields all
compare the same thing:

* NFKC first, so presentation forms (ﻻ, ﺃ …) become ordinary letters;
* alef forms أ إ آ ٱ (and a bare alef + combining hamza/madda) → ا;
* ى → ي and ة → ه (the usual final-letter confusions);
* hamza carriers ؤ ئ and the standalone ء → one letter, ء. Egyptian portals write مسئول and
  شئون where others write مسؤول and شؤون; mapping every carrier to the same letter makes those
  equal, while keeping the hamza keeps ذكاء and فضاء apart from ذكا / فضا. Unlike ؤ→و / ئ→ي this
  also keeps a nisba on a hamza stem regular: الفضائية → فضاءيه → stem فضاء.
* harakat, shadda, sukun, superscript alef, Quranic marks, loose combining hamza: removed;
* tatweel (ـ): removed;
* Persian/Urdu letters ی ک ە ۀ ھ → ي ك ه ه ه, and the transliteration letters ڤ→ف, ڨ→ق, گ→ك,
  پ→ب, چ→ج (فودافون / ڤودافون);
* Arabic-Indic (٠-٩) and Persian (۰-۹) digits → ASCII;
* bidi and zero-width controls (LRM, RLM, ALM, ZWSP, ZWNJ, ZWJ, LRE…PDI, BOM): removed;
* Latin: Unicode case folding.

``normalize(normalize(x)) == normalize(x)`` for every string (a property test checks it).
"""

from __future__ import annotations

import re
import unicodedata

from indexer.analysis.charmap import CharMap

__all__ = ["ARABIC_MARKS", "ZERO_WIDTH", "normalize"]

# Combining marks that carry no letter identity in Arabic script (harakat, shadda, sukun,
# superscript alef, Quranic annotation signs, loose combining hamza/madda).
ARABIC_MARKS = (
    "".join(chr(c) for c in range(0x0610, 0x061B))
    + "".join(chr(c) for c in range(0x064B, 0x0660))
    + "\u0670"
    + "".join(chr(c) for c in range(0x06D6, 0x06DD))
    + "".join(chr(c) for c in range(0x06DF, 0x06E5))
    + "\u06e7\u06e8"
    + "".join(chr(c) for c in range(0x06EA, 0x06EE))
    + "".join(chr(c) for c in range(0x08D3, 0x0900) if c != 0x08E2)
)
TATWEEL = "\u0640"
# Bidi controls and zero-width characters.
ZERO_WIDTH = (
    "\u200b\u200c\u200d\u200e\u200f\u061c\u2060\ufeff"
    + "".join(chr(c) for c in range(0x202A, 0x202F))
    + "".join(chr(c) for c in range(0x2066, 0x206A))
)

_LETTERS = {
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ٲ": "ا", "ٳ": "ا",
    "ى": "ي", "ی": "ي", "ې": "ي", "ۍ": "ي", "ێ": "ي",
    "ة": "ه", "ە": "ه", "ۀ": "ه", "ھ": "ه", "ہ": "ه", "ۃ": "ه",
    "ؤ": "ء", "ئ": "ء", "ٵ": "ء", "ٶ": "ء", "ٸ": "ء",
    "ک": "ك", "ڪ": "ك", "گ": "ك",
    "ڤ": "ف", "ڨ": "ق", "پ": "ب", "چ": "ج",
}
_TABLE: dict[int, str | None] = {ord(src): dst for src, dst in _LETTERS.items()}
_TABLE.update({0x0660 + i: str(i) for i in range(10)})
_TABLE.update({0x06F0 + i: str(i) for i in range(10)})
_TABLE.update({ord(ch): None for ch in ARABIC_MARKS + TATWEEL + ZERO_WIDTH})

_TRANSLATE = CharMap(_TABLE)
_MAX_PASSES = 4


def _one_pass(text: str) -> str:
    return _TRANSLATE(unicodedata.normalize("NFKC", text).casefold())


# Base Arabic letters the table leaves alone: a word made only of them is already normalized
# (NFKC and case folding do not touch them), which is most words of a news text.
_PLAIN_ARABIC = re.compile(
    "[" + "".join(chr(c) for c in range(0x0621, 0x064B) if c not in _TABLE and chr(c) != TATWEEL) + "]+"
)
# Most other words add only letters the table maps (أ ة ى ؤ …), tatweel, harakat (U+064B–U+0652)
# or a superscript alef. Nothing composes with those under NFKC (the composing marks, madda and
# hamza above/below U+0653–U+0655, are left out) and case folding ignores them, so the table alone
# normalizes such a word: ``str.translate`` with these entries of it, no NFKC, one pass. The
# table is a list indexed by code point (twice as fast as a dict for ``translate``).
_SIMPLE_ARABIC_CODES = [*range(0x0621, 0x0653), 0x0670]
_SIMPLE_ARABIC = re.compile("[" + "".join(chr(c) for c in _SIMPLE_ARABIC_CODES) + "]+")
_SIMPLE_TABLE: list[int | str | None] = list(range(max(_SIMPLE_ARABIC_CODES) + 1))
for _code in _SIMPLE_ARABIC_CODES:
    if _code in _TABLE:
        _SIMPLE_TABLE[_code] = _TABLE[_code]


def normalize(text: str) -> str:
    """Fold ``text`` to Marsad's canonical spelling (see the module docstring). Idempotent."""
    if text.isascii():
        return text.lower()
    if _PLAIN_ARABIC.fullmatch(text):
        return text
    if _SIMPLE_ARABIC.fullmatch(text):
        return text.translate(_SIMPLE_TABLE)
    return _normalize_slowly(text)


def _normalize_slowly(text: str) -> str:
    """The general case: NFKC, case folding and the table, repeated until nothing changes."""
    result = _one_pass(text)
    # Removing a mark can bring a base letter next to a combining character that NFKC then
    # composes (or case folding can expand); repeat until nothing changes. One extra pass is
    # the rule, the loop only runs again on contrived input.
    for _ in range(_MAX_PASSES):
        again = _one_pass(result)
        if again == result:
            return result
        result = again
    return result
