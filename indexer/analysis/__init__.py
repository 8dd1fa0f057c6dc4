"""Marsad's one Arabic analyzer: normalization, tokenization, light stemming.

Alert matching, the SQLite FTS index and the Elasticsearch pre-analyzed fields all go through
this package, so a query finds the same articles everywhere.
"""

from __future__ import annotations

from indexer.analysis.normalize import normalize
from indexer.analysis.stem import query_stems, stem
from indexer.analysis.tokenize import Token, analyze_word, index_terms, norm_terms, tokenize

__all__ = [
    "Token",
    "analyze_word",
    "index_terms",
    "norm_terms",
    "normalize",
    "query_stems",
    "stem",
    "tokenize",
]
