"""The dedup stage: an unchanged re-fetch is remembered as checked; an edit goes on with modified_at."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from scrapy.exceptions import DropItem

from core.article import Article
from core.settings import Settings
from crawler.pipelines.dedup import DedupPipeline
from indexer.state import StateStore, StoredArticle

FETCHED = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


def article(body: str, url: str = "http://a/1/amp/") -> Article:
    return Article(url=url, canonical_url="http://a/1", source="a", title="عنوان", body=body, fetched_at=FETCHED)


def test_unchanged_and_edited_articles(tmp_path: Path) -> None:
    settings = Settings(config_dir=tmp_path, data_dir=tmp_path)
    state = StateStore(settings.state_path)
    first = article("نص أول")
    state.record_stored([StoredArticle("http://a/1", "http://a/1", "a", first.content_hash)])
    state.close()
    with pytest.raises(DropItem, match="same content"):
        DedupPipeline(settings).process_item(article("نص أول"))
    state = StateStore(settings.state_path)
    assert state.seen_at("http://a/1/amp/") is not None, "the URL that led to it is known now"
    edited = DedupPipeline(settings).process_item(article("نص معدل"))
    assert edited.modified_at == FETCHED and edited.modified_at.tzinfo is not None
    assert edited.story_id is not None
