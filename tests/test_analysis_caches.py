"""clear_caches: every per-word cache of the analyzer is found and emptied (benchmarks' cold runs)."""

from __future__ import annotations

from typing import Any

from indexer.analysis import analyze_word, caches, clear_caches, query_stems, stem


def test_clear_caches_empties_every_cache() -> None:
    analyze_word("والشركات")
    stem("شركه")
    query_stems("شركه")
    found: list[Any] = caches()
    assert {cache.__name__ for cache in found} >= {"analyze_word", "stem", "query_stems", "_strip_suffixes"}
    assert all(cache.cache_info().currsize > 0 for cache in found)
    clear_caches()
    assert all(cache.cache_info().currsize == 0 for cache in found)
