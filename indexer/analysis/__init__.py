"""Marsad's one Arabic analyzer: normalization, tokenization, light stemming.

Alert matching, the SQLite FTS index and the Elasticsearch pre-analyzed fields all go through
this package, so a query finds the same articles everywhere.
"""

from __future__ import annotations

import importlib
import pkgutil

from indexer.analysis.normalize import normalize
from indexer.analysis.stem import query_stems, stem
from indexer.analysis.tokenize import Token, analyze_word, index_terms, indexed_text, norm_terms, tokenize

__all__ = [
    "Token",
    "analyze_word",
    "caches",
    "clear_caches",
    "index_terms",
    "indexed_text",
    "norm_terms",
    "normalize",
    "query_stems",
    "stem",
    "tokenize",
]


def caches() -> list[object]:
    """Every per-word cache (functools cache) of the analyzer's modules, found by looking."""
    modules = [importlib.import_module(f"{__name__}.{info.name}") for info in pkgutil.iter_modules(__path__)]
    found = {id(value): value for module in modules for value in vars(module).values() if hasattr(value, "cache_clear")}
    return list(found.values())


def clear_caches() -> None:
    """Empty every per-word cache, so the next words are analyzed as if seen for the first time
    (the benchmarks' "cold" passes)."""
    for cache in caches():
        cache.cache_clear()  # type: ignore[attr-defined]
