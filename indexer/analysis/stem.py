"""Clitic-aware light stemming of normalized Arabic words.

:func:`stem` works on the output of :func:`~indexer.analysis.normalize.normalize` (ة is already
ه, ى is ي, every hamza carrier is ء). It removes

1. at most one proclitic group, longest first: the article with its prepositions and
   conjunctions (وبال, فبال, وكال, فكال, ولل, فلل, وال, فال, بال, كال, لل, ال), or, failing that,
   a bare conjunction/preposition (وب, وك, ول, فب, فك, فل, و, ف, ب, ك, ل);
2. then, up to three times, one suffix: an enclitic pronoun (هما هم هن ها كم نا ه ك), a
   plural/dual ending (ات ان ين ون) or a nisba ending (ييه يين يون يات يه يا ي).

Guards keep the stemmer light: after the article at least 3 letters remain; after a bare
proclitic at least 4, counted once the suffixes are gone too (so وزير and وزيرة stay وزير and are
never زير; لبنان loses its ل because بنان still has four letters); after a plural/dual ending
or ك at least 4, after any other suffix at least 3. A stem therefore never has fewer than 3
letters unless the word itself is shorter.

The guards make the stemmer miss some forms of short words (وبحث is not reduced to بحث). Alert
matching and search do not depend on the stemmer alone: :func:`query_stems` generates the
regular inflected forms of a query word and collects *their* stems, so a short word is still
found behind any clitic while an unrelated word that merely contains its letters is not.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

__all__ = [
    "ARTICLE_PREFIXES", "BARE_PREFIXES", "SUFFIXES", "is_arabic_word", "query_stems", "stem", "stem_uncached",
]

ARTICLE_PREFIXES = ("وبال", "فبال", "وكال", "فكال", "ولل", "فلل", "وال", "فال", "بال", "كال", "لل", "ال")
BARE_PREFIXES = ("وب", "وك", "ول", "فب", "فك", "فل", "و", "ف", "ب", "ك", "ل")

# (suffix, letters that must remain), longest first.
SUFFIXES: tuple[tuple[str, int], ...] = (
    ("ييه", 3), ("يين", 3), ("يون", 3), ("يات", 3), ("هما", 3),
    ("يه", 3), ("يا", 3), ("هم", 3), ("هن", 3), ("ها", 3), ("كم", 3), ("نا", 3),
    ("ات", 4), ("ان", 4), ("ين", 4), ("ون", 4),
    ("ي", 3), ("ه", 3), ("ك", 4),
)
_MIN_AFTER_ARTICLE = 3
_MIN_AFTER_BARE = 4
_SUFFIX_ROUNDS = 3

# Forms used to expand a query word (see query_stems). Proclitic forms are all the prefixes the
# stemmer knows plus the empty one; suffix forms are the endings above plus the accusative
# tanween alef and pronouns after a plural ending.
_QUERY_PREFIXES = ("", *ARTICLE_PREFIXES, *BARE_PREFIXES)
_PRONOUNS = ("ه", "ها", "هم", "هما", "هن", "ك", "كم", "نا", "ي")
_QUERY_SUFFIXES = ("", "ا", *_PRONOUNS, "ي", "يه", "يا", "يين", "يون", "يات", "ييه")
# Plural/dual endings only on bases of 4+ letters, like the stemmer's guard (مصران is not مصر).
_QUERY_PLURAL_SUFFIXES = (
    "ان", "ين", "ون", "ات",
    *("ات" + p for p in _PRONOUNS if p != "ي"),
    *("ين" + p for p in ("ه", "ها", "هم")),
)


def is_arabic_word(word: str) -> bool:
    """True when ``word`` starts with a letter of the Arabic block (after normalization)."""
    return bool(word) and "\u0621" <= word[0] <= "\u06ff"


# The prefixes by length: once the guard has made sure the word is long enough, only a prefix of
# the length sliced off can equal the slice. The tests are written out rather than looped over:
# every new word of an article is stemmed, and the loops made that ≈ 20 % slower.
_ARTICLE_4, _ARTICLE_3, _ARTICLE_2 = (frozenset(p for p in ARTICLE_PREFIXES if len(p) == n) for n in (4, 3, 2))
_BARE_2, _BARE_1 = (frozenset(p for p in BARE_PREFIXES if len(p) == n) for n in (2, 1))
assert {len(p) for p in ARTICLE_PREFIXES} == {4, 3, 2} and {len(p) for p in BARE_PREFIXES} == {2, 1}
_PREFIX_INITIALS = frozenset(prefix[0] for prefix in ARTICLE_PREFIXES + BARE_PREFIXES)


# SUFFIXES grouped by their last letter, order kept: a word is only tried against the few
# suffixes that can end it. Each entry is (suffix, its length, the word length it needs).
_SUFFIXES_BY_LAST: dict[str, tuple[tuple[str, int, int], ...]] = {
    last: tuple((suffix, len(suffix), len(suffix) + keep) for suffix, keep in SUFFIXES if suffix[-1] == last)
    for last in {suffix[-1] for suffix, _ in SUFFIXES}
}


def _strip_suffixes(word: str) -> str:
    candidates = _SUFFIXES_BY_LAST.get(word[-1:])
    rounds = _SUFFIX_ROUNDS
    while candidates is not None:
        for suffix, size, needed in candidates:
            if len(word) >= needed and word.endswith(suffix):
                word = word[:-size]
                break
        else:
            return word
        rounds -= 1
        if not rounds:
            return word
        candidates = _SUFFIXES_BY_LAST.get(word[-1:])
    return word


# query_stems stems thousands of generated forms per query word, and those share their stems
# minus prefix: it uses this cached copy. A text word is stemmed once (its caller caches it).
_strip_suffixes_cached = lru_cache(maxsize=200_000)(_strip_suffixes)


def stem_uncached(word: str, strip: Callable[[str], str] = _strip_suffixes) -> str:
    """:func:`stem` without its cache, for a caller that caches the result itself. ``strip`` is
    the suffix stripper (query_stems passes the cached one)."""
    first = word[:1]
    if not "\u0621" <= first <= "\u06ff":  # not Arabic (is_arabic_word, inlined)
        return word
    if first not in _PREFIX_INITIALS:  # a third of all words
        return strip(word)
    size = len(word)
    # The article with its prepositions, longest first.
    if size >= 4 + _MIN_AFTER_ARTICLE and word[:4] in _ARTICLE_4:
        return strip(word[4:])
    if size >= 3 + _MIN_AFTER_ARTICLE and word[:3] in _ARTICLE_3:
        return strip(word[3:])
    if size >= 2 + _MIN_AFTER_ARTICLE and word[:2] in _ARTICLE_2:
        return strip(word[2:])
    # A bare proclitic; the guard applies to what is left after the suffixes too: وزيره is not و+زير+ه.
    if size >= 2 + _MIN_AFTER_BARE and word[:2] in _BARE_2:
        candidate = strip(word[2:])
        if len(candidate) >= _MIN_AFTER_BARE:
            return candidate
    if size >= 1 + _MIN_AFTER_BARE and first in _BARE_1:
        candidate = strip(word[1:])
        if len(candidate) >= _MIN_AFTER_BARE:
            return candidate
    return strip(word)


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Light stem of one *normalized* word; non-Arabic words (Latin, numbers) are returned as is."""
    return stem_uncached(word)


def _suffix_bases(core: str) -> set[str]:
    """Forms of ``core`` that suffixes attach to: ه→ت before a suffix, a final ا / يا dropped
    before a nisba (فرنسا → فرنسي, تركيا → تركي)."""
    bases = {core}
    if core.endswith("ه") and len(core) > 2:
        bases.add(core[:-1] + "ت")
        bases.add(core[:-1])
    if core.endswith("يا") and len(core) > 4:
        bases.add(core[:-2])
    elif core.endswith("ا") and len(core) > 3:
        bases.add(core[:-1])
    return bases


@lru_cache(maxsize=100_000)
def query_stems(word: str) -> frozenset[str]:
    """Every stem a regular inflected form of the normalized query word ``word`` can have.

    The forms are generated (proclitics × suffixes, on the word with and without its article)
    and each one is stemmed with :func:`stem`, so a text token matches the query word exactly
    when its stem is in this set. Used by the alert matcher and the search backends alike.
    """
    if not is_arabic_word(word):
        return frozenset({word})
    cores = {word}
    for prefix in ("ال",):
        if word.startswith(prefix) and len(word) - len(prefix) >= 2:
            cores.add(word[len(prefix):])
    forms: set[str] = set()
    for core in cores:
        for base in _suffix_bases(core):
            forms.update(base + suffix for suffix in _QUERY_SUFFIXES)
            if len(base) >= _MIN_AFTER_BARE:
                forms.update(base + suffix for suffix in _QUERY_PLURAL_SUFFIXES)
        if core.endswith("ه") and len(core) > 2:  # شركه → شركات, شركاتها
            forms.update(core[:-1] + suffix for suffix in _QUERY_PLURAL_SUFFIXES if suffix[:2] == "ات")
        forms.add(core)
    stems = {stem_uncached(prefix + form, _strip_suffixes_cached) for form in forms for prefix in _QUERY_PREFIXES}
    stems.add(stem(word))
    return frozenset(stems)
