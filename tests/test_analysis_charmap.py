"""CharMap: the same result as ``str.translate`` with the same table, on any text."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indexer.analysis.charmap import CharMap

TABLE: dict[int, str | None] = {ord("أ"): "ا", ord("ة"): "ه", ord("\u064b"): None, ord("\u200f"): None, ord("٣"): "3"}
ALPHABET = "أاةه\u064b\u200f٣3 بx\n"


@settings(max_examples=300)
@given(st.text(alphabet=ALPHABET) | st.text())
def test_same_as_translate(text: str) -> None:
    assert CharMap(TABLE)(text) == text.translate(TABLE)


def test_replacement_with_a_mapped_character_is_refused() -> None:
    with pytest.raises(ValueError, match="contains a mapped character"):
        CharMap({ord("a"): "b", ord("b"): "c"})
