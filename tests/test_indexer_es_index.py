"""The Elasticsearch index layout on a real node: template, versioned index behind an alias,
a client-side reindex that swaps the alias atomically while searches keep working."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from es_nodes import EsNode

from core.article import Article
from indexer.storage.base import SearchRequest
from indexer.storage.es_index import MAPPING_VERSION, versioned_name
from indexer.storage.es_mapping import MAPPINGS
from marsad.cli import main


def article(number: int) -> Article:
    url = f"http://techwave.example/{number}"
    return Article(url=url, canonical_url=url, source="techwave", title=f"أذربيجان والتحول الرقمي {number}",
                   body=f"خبر رقم {number} عن التعاون الرقمي مع أذربيجان في الاتصالات.",
                   published_at=datetime(2026, 11, 1 + number % 28, tzinfo=UTC))


def test_a_new_index_is_a_versioned_index_behind_the_alias(es_node: EsNode, es_index: str) -> None:
    storage = es_node.storage(es_index)
    client = es_node.client()
    try:
        assert storage.concrete_index == versioned_name(es_index) == f"{es_index}-v{MAPPING_VERSION}"
        assert set(client.indices.get_alias(name=es_index).body) == {storage.concrete_index}
        template = client.indices.get_index_template(name=f"{es_index}-template").body["index_templates"][0]
        assert template["index_template"]["index_patterns"] == [f"{es_index}-v*"]
        assert storage.store([article(1)]).created == 1
        assert storage.search(SearchRequest(query="أذربيجان")).total == 1
    finally:
        storage.close()
        client.close()


def test_reindex_swaps_the_alias_while_searches_keep_answering(es_node: EsNode, es_index: str) -> None:
    storage = es_node.storage(es_index)
    client = es_node.client()
    try:
        storage.store([article(n) for n in range(1_200)])
        before = storage.concrete_index
        seen: list[int] = []

        def search_meanwhile(copied: int) -> None:  # called while the copy is half done
            seen.append(storage.search(SearchRequest(query="أذربيجان", limit=1)).total)

        report = storage.reindex(progress=search_meanwhile)
        assert report.documents == 1_200 and report.source == before and report.target != before
        assert seen and set(seen) == {1_200}, "searches answered in full during the reindex"
        assert set(client.indices.get_alias(name=es_index).body) == {report.target}
        assert not client.indices.exists(index=before), "the old index is removed"
        assert storage.search(SearchRequest(query="أذربيجان")).total == 1_200
        assert storage.store([article(5_000)]).created == 1, "writes go to the new index"
        assert client.count(index=report.target)["count"] == 1_201
    finally:
        storage.close()
        client.close()


def test_a_plain_index_from_an_older_marsad_is_migrated(es_node: EsNode, es_index: str,
                                                       capsys: pytest.CaptureFixture[str],
                                                       monkeypatch: pytest.MonkeyPatch, tmp_path: object) -> None:
    client = es_node.client()
    legacy = {**MAPPINGS, "properties": {k: v for k, v in MAPPINGS["properties"].items() if k != "story_id"}}
    client.indices.create(index=es_index, mappings=legacy, settings={"number_of_shards": 1, "number_of_replicas": 0})
    client.close()
    storage = es_node.storage(es_index)
    try:
        assert storage.concrete_index == es_index, "the old plain index keeps working"
        storage.store([article(n) for n in range(10)])
    finally:
        storage.close()
    for name, value in es_node.env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("MARSAD_ES_INDEX", es_index)
    monkeypatch.setenv("MARSAD_DATA_DIR", str(tmp_path))
    assert main(["reindex"]) == 0
    out = capsys.readouterr().out
    assert f"10 documents copied from {es_index} to {versioned_name(es_index)}" in out
    client = es_node.client()
    try:
        assert set(client.indices.get_alias(name=es_index).body) == {versioned_name(es_index)}
        assert client.count(index=es_index)["count"] == 10
    finally:
        client.close()


def test_reindex_on_sqlite_is_a_usage_error(tmp_path: object, monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("MARSAD_STORAGE_BACKEND", "sqlite")
    monkeypatch.setenv("MARSAD_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("MARSAD_ES_URL", raising=False)
    assert main(["reindex"]) == 2
    assert "Elasticsearch" in capsys.readouterr().err
