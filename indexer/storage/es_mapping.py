"""The Elasticsearch document and mapping of an Article.

Search runs on Marsad's own analysis: each text field's pre-analyzed terms are in ``*_terms``
(stems) and ``*_norm`` (normalized forms), whitespace-tokenised, so alerts, SQLite and
Elasticsearch agree. Facets are keyword fields; ``article`` keeps the whole Article unindexed.
"""

from __future__ import annotations

from typing import Any

from core.article import Article
from indexer.analysis import indexed_text
from indexer.storage.sqlite import dated_utc

KEYWORD = {"type": "keyword"}
TERMS = {"type": "text", "analyzer": "whitespace", "norms": False}
MAPPINGS: dict[str, Any] = {
    "dynamic": "strict",
    "properties": {
        "url": KEYWORD,
        "canonical_url": KEYWORD,
        "source": KEYWORD,
        "title": {"type": "text"},
        "body": {"type": "text"},
        "title_terms": TERMS,
        "body_terms": TERMS,
        "title_norm": TERMS,
        "body_norm": TERMS,
        "author": {"type": "text", "fields": {"raw": KEYWORD}},
        "published_at": {"type": "date"},
        "modified_at": {"type": "date"},
        "fetched_at": {"type": "date"},
        "dated_at": {"type": "date"},
        "language": KEYWORD,
        "section": KEYWORD,
        "tags": KEYWORD,
        "image": {"type": "keyword", "index": False},
        "entities": {
            "properties": {"persons": KEYWORD, "organizations": KEYWORD, "locations": KEYWORD}
        },
        "content_hash": KEYWORD,
        "fingerprint": KEYWORD,  # SimHash hex of the body
        "story_id": KEYWORD,  # syndicated copies share it (the lead copy's id)
        "dates_mentioned": KEYWORD,
        "confidence": {"type": "float"},
        "confidence_reasons": KEYWORD,
        "article": {"type": "object", "enabled": False},
    },
}


def to_document(article: Article) -> dict[str, Any]:
    data = article.to_dict()
    title_terms, title_norm = indexed_text(article.title)
    body_terms, body_norm = indexed_text(article.body)
    return {
        **{key: data[key] for key in (
            "url", "canonical_url", "source", "title", "body", "author", "published_at", "modified_at",
            "fetched_at", "language", "section", "tags", "image", "entities", "content_hash", "fingerprint",
            "dates_mentioned", "story_id", "confidence", "confidence_reasons",
        )},
        "dated_at": dated_utc(article) or None,
        "title_terms": title_terms,
        "body_terms": body_terms,
        "title_norm": title_norm,
        "body_norm": body_norm,
        "article": data,
    }
