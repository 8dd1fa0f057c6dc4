"""Month-name tables, built once at import from Babel CLDR, hijridate and the variants file."""

from __future__ import annotations

import re

from babel import Locale
from hijridate.locales import ArabicLocale, EnglishLocale

from .normalize import alternation, fold_word
from .vocab import VOCABULARY

# Arabic locales whose CLDR data spell the Gregorian months differently: Egyptian/Gulf (يناير),
# Levantine/Iraqi (كانون الثاني), Algerian/Tunisian (جانفي), Moroccan (يوليوز), Mauritanian (أغشت).
ARABIC_LOCALES = ("ar", "ar_EG", "ar_SA", "ar_SY", "ar_IQ", "ar_LB", "ar_JO", "ar_PS",
                  "ar_DZ", "ar_TN", "ar_MA", "ar_LY", "ar_MR")
_CONTEXTS = ("format", "stand-alone")
_WIDTHS = ("wide", "abbreviated")


def _cldr_months(locale_names: tuple[str, ...]) -> dict[str, int]:
    table: dict[str, int] = {}
    for name in locale_names:
        months = Locale.parse(name).months
        for context in _CONTEXTS:
            for width in _WIDTHS:
                for number, word in months[context][width].items():
                    table.setdefault(fold_word(word), int(number))
    return table


def _add_variants(table: dict[str, int], variants: dict[int, list[str]]) -> dict[str, int]:
    for number, words in variants.items():
        for word in words:
            table.setdefault(fold_word(word), number)
    return table


def _hijri_months() -> dict[str, int]:
    table: dict[str, int] = {}
    for locale in (ArabicLocale, EnglishLocale):
        for index, word in enumerate(locale.month_names, start=1):
            table.setdefault(fold_word(word), index)
    return _add_variants(table, VOCABULARY.hijri_month_variants)


#: folded Arabic Gregorian month name -> month number (every regional family)
ARABIC_MONTHS: dict[str, int] = _add_variants(_cldr_months(ARABIC_LOCALES),
                                              VOCABULARY.gregorian_month_variants)
#: folded English month name (wide and abbreviated) -> month number
ENGLISH_MONTHS: dict[str, int] = _add_variants(_cldr_months(("en",)), VOCABULARY.english_month_variants)
#: every Gregorian month spelling
GREGORIAN_MONTHS: dict[str, int] = {**ENGLISH_MONTHS, **ARABIC_MONTHS}
#: folded Hijri month name -> month number
HIJRI_MONTHS: dict[str, int] = _hijri_months()

# A month word must not be glued to other letters, except one Arabic proclitic (و, ب, ل, ف) in front.
_BEFORE = r"(?<![^\W\d_])(?:[وبلف](?=[^\W\d_]))?"
_AFTER = r"(?![^\W\d_])"

GREGORIAN_MONTH_RE = f"{_BEFORE}(?:{alternation(list(GREGORIAN_MONTHS))}){_AFTER}\\.?"
HIJRI_MONTH_RE = f"{_BEFORE}(?:{alternation(list(HIJRI_MONTHS))}){_AFTER}"

_STRIP_RE = re.compile(r"^[وبلف](?=\S)|\.$")
_SPACES_RE = re.compile(r"\s+")


def _lookup(table: dict[str, int], word: str) -> int | None:
    key = _SPACES_RE.sub(" ", word.strip())
    if key in table:
        return table[key]
    return table.get(_STRIP_RE.sub("", key).strip())


def gregorian_month(word: str) -> int | None:
    """Month number of a folded Gregorian month word (with or without proclitic), else None."""
    return _lookup(GREGORIAN_MONTHS, word)


def hijri_month(word: str) -> int | None:
    """Month number of a folded Hijri month word, else None."""
    return _lookup(HIJRI_MONTHS, word)
