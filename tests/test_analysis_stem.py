"""stem: the written-out fast version equals the stemmer's definition, word for word.

The reference below is the rule as the module docstring states it, written as plainly as
possible (and as the stemmer was written before it was tuned): one proclitic group, longest
first, with its guard, then up to three suffixes from the ordered table.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from indexer.analysis import stem
from indexer.analysis.stem import (
    ARTICLE_PREFIXES,
    BARE_PREFIXES,
    SUFFIXES,
    _strip_suffixes_cached,
    stem_uncached,
)


def reference_stem(word: str) -> str:
    if not (word and "\u0621" <= word[0] <= "\u06ff"):
        return word
    for length in (4, 3, 2):
        if word[:length] in ARTICLE_PREFIXES and len(word) - length >= 3:
            return reference_suffixes(word[length:])
    for length in (2, 1):
        if word[:length] in BARE_PREFIXES and len(word) - length >= 4:
            candidate = reference_suffixes(word[length:])
            if len(candidate) >= 4:
                return candidate
    return reference_suffixes(word)


def reference_suffixes(word: str) -> str:
    for _ in range(3):
        for suffix, keep in SUFFIXES:
            if word.endswith(suffix) and len(word) - len(suffix) >= keep:
                word = word[: -len(suffix)]
                break
        else:
            return word
    return word


# Words built from a proclitic (or none), a few letters and up to three suffixes, so that random
# words are dense with clitics and with guards just met and just missed.
LETTERS = st.sampled_from([*"والبكفلهمنيتاكءرسدع", "a", "5"])
WORDS = st.builds(
    lambda prefix, core, suffixes: prefix + core + "".join(suffixes),
    st.sampled_from(["", *ARTICLE_PREFIXES, *BARE_PREFIXES]),
    st.text(alphabet=LETTERS, max_size=5),
    st.lists(st.sampled_from([suffix for suffix, _ in SUFFIXES]), max_size=3),
)


@settings(max_examples=1500)
@given(WORDS)
def test_stem_equals_the_reference(word: str) -> None:
    assert stem_uncached(word) == stem(word) == reference_stem(word)


@settings(max_examples=1000)
@given(WORDS)
def test_query_expansion_stems_like_the_reference(word: str) -> None:
    # query_stems stems its generated forms through a cached suffix stripper
    assert stem_uncached(word, _strip_suffixes_cached) == reference_stem(word)
