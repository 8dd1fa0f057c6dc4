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

from functools import lru_cache

__all__ = ["ARTICLE_PREFIXES", "BARE_PREFIXES", "SUFFIXES", "is_arabic_word", "query_stems", "stem"]

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


_ARTICLE_SET = frozenset(ARTICLE_PREFIXES)
_BARE_SET = frozenset(BARE_PREFIXES)


def _strip_article(word: str) -> str | None:
    size = len(word)
    for length in (4, 3, 2):
        if word[:length] in _ARTICLE_SET and size - length >= _MIN_AFTER_ARTICLE:
            return word[length:]
    return None


def _stem_arabic(word: str) -> str:
    rest = _strip_article(word)
    if rest is not None:
        return _strip_suffixes(rest)
    size = len(word)
    for length in (2, 1):
        if word[:length] in _BARE_SET and size - length >= _MIN_AFTER_BARE:
            # The guard applies to what is left after the suffixes too: وزيره is not و+زير+ه.
            candidate = _strip_suffixes(word[length:])
            if len(candidate) >= _MIN_AFTER_BARE:
                return candidate
    return _strip_suffixes(word)


# SUFFIXES grouped by their last letter, order kept: a word is only tried against the few
# suffixes that can end it.
_SUFFIXES_BY_LAST: dict[str, tuple[tuple[str, int], ...]] = {
    last: tuple(entry for entry in SUFFIXES if entry[0][-1] == last) for last in {s[-1] for s, _ in SUFFIXES}
}


@lru_cache(maxsize=200_000)
def _strip_suffixes(word: str) -> str:
    for _ in range(_SUFFIX_ROUNDS):
        for suffix, keep in _SUFFIXES_BY_LAST.get(word[-1:], ()):
            if word.endswith(suffix) and len(word) - len(suffix) >= keep:
                word = word[: -len(suffix)]
                break
        else:
            return word
    return word


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Light stem of one *normalized* word; non-Arabic words (Latin, numbers) are returned as is."""
    if not is_arabic_word(word):
        return word
    return _stem_arabic(word)


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
    stems = {_stem_arabic(prefix + form) for form in forms for prefix in _QUERY_PREFIXES}
    stems.add(stem(word))
    return frozenset(stems)
