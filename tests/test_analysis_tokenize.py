"""TOKEN_RE: the tuned pattern finds exactly the tokens of the plain one it replaced; the one-pass
indexed_text stores exactly index_terms and norm_terms."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from indexer.analysis.tokenize import (
    _AR_JOIN,
    _AR_LETTER,
    _AR_TRAIL,
    _NOT_OTHER,
    TOKEN_RE,
    index_terms,
    indexed_text,
    norm_terms,
)

# An Arabic token: a letter, then (joiners, letter) repeated, then trailing marks.
PLAIN_TOKEN_RE = re.compile(f"[{_AR_LETTER}](?:[{_AR_JOIN}]*[{_AR_LETTER}])*[{_AR_TRAIL}]*|[^{_NOT_OTHER}]+")

CHARACTERS = (
    st.characters(min_codepoint=0x0600, max_codepoint=0x06FF)
    | st.sampled_from(["\u0640", "\u200c", "\u200d", "\u200f", " ", ".", "a", "Z", "5", "_", "\ufefb", "\u08d3"])
)


@settings(max_examples=1000)
@given(st.text(alphabet=CHARACTERS))
def test_token_spans_equal_the_plain_pattern(text: str) -> None:
    assert [m.span() for m in TOKEN_RE.finditer(text)] == [m.span() for m in PLAIN_TOKEN_RE.finditer(text)]


@settings(max_examples=500)
@given(st.lists(st.text(alphabet=CHARACTERS) | st.sampled_from(["وال", "ات", "ية", "5G", "أإآ", "x" * 300]))
       .map("".join))
def test_indexed_text_is_index_terms_and_norm_terms(text: str) -> None:
    assert indexed_text(text) == (" ".join(index_terms(text)), " ".join(norm_terms(text)))
