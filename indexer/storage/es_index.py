"""Marsad's index in Elasticsearch: an index template, versioned indices behind an alias.

Readers and writers use the alias (``marsad-articles``); it points to one concrete index
(``marsad-articles-v2``). A new mapping or a new analysis gets a new version, built by
:func:`reindex` next to the old one and swapped in atomically, so searches keep working while it
runs. ``_reindex`` is not in every distribution (nor painless), so the copy is client-side:
scan the old index, rebuild each document from the stored Article, bulk into the new one.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from elasticsearch import BadRequestError, Elasticsearch, helpers

from core.article import Article
from indexer.storage.es_mapping import MAPPINGS, to_document

logger = logging.getLogger(__name__)

MAPPING_VERSION = 2  # bump when MAPPINGS or the analysis change so that old documents must be rebuilt
INDEX_SETTINGS: dict[str, Any] = {"number_of_shards": 1, "number_of_replicas": 0, "refresh_interval": "1s"}


def versioned_name(alias: str, version: int = MAPPING_VERSION) -> str:
    return f"{alias}-v{version}"


def put_template(es: Elasticsearch, alias: str) -> None:
    """Every ``<alias>-v*`` index gets Marsad's settings and mapping, however it is created."""
    es.indices.put_index_template(
        name=f"{alias}-template",
        index_patterns=[f"{alias}-v*"],
        template={"settings": INDEX_SETTINGS, "mappings": MAPPINGS},
        priority=100,
        meta={"managed_by": "marsad", "mapping_version": MAPPING_VERSION},
    )


def current_index(es: Elasticsearch, alias: str) -> str | None:
    """The concrete index behind ``alias`` (or ``alias`` itself when an older Marsad made a plain index)."""
    if es.indices.exists_alias(name=alias):
        targets = sorted(str(name) for name in es.indices.get_alias(name=alias).body)
        return targets[-1]
    if es.indices.exists(index=alias):
        return alias
    return None


def ensure_index(es: Elasticsearch, alias: str) -> str:
    """The concrete index to use, creating the template and the first version when none exists."""
    put_template(es, alias)
    found = current_index(es, alias)
    if found is not None:
        if found == alias or found != versioned_name(alias):
            logger.warning("Elasticsearch index %s is not the current layout (%s): run `marsad reindex` to "
                           "rebuild it; searching and indexing keep working meanwhile", found, versioned_name(alias))
        return found
    name = versioned_name(alias)
    try:
        es.indices.create(index=name, aliases={alias: {"is_write_index": True}})
    except BadRequestError as exc:
        if exc.error != "resource_already_exists_exception":  # another process created it first: fine
            raise
    return name


@dataclass
class ReindexReport:
    source: str
    target: str
    documents: int
    seconds: float


def reindex(es: Elasticsearch, alias: str, *, keep_old: bool = False, chunk: int = 500,
            progress: Callable[[int], None] | None = None) -> ReindexReport:
    """Build the current version of the index from the old one, then point the alias at it."""
    started = datetime.now(UTC)
    put_template(es, alias)
    source = current_index(es, alias)
    if source is None:
        raise LookupError(f"there is no index {alias} to rebuild")
    target = versioned_name(alias)
    if target == source or es.indices.exists(index=target):
        target = f"{target}-{started:%Y%m%d%H%M%S}"
    es.indices.create(index=target)
    copied = 0
    for ok, _item in helpers.streaming_bulk(es, _rebuilt(es, source, target), chunk_size=chunk, max_retries=5,
                                           initial_backoff=1, raise_on_error=True):
        copied += ok
        if progress is not None and copied % chunk == 0:
            progress(copied)
    es.indices.refresh(index=target)
    expected = int(es.count(index=source)["count"])
    found = int(es.count(index=target)["count"])
    if found != expected:
        es.indices.delete(index=target, ignore_unavailable=True)
        raise RuntimeError(f"reindex copied {found} of {expected} documents; the alias was left on {source}")
    es.indices.update_aliases(actions=_swap(alias, source, target))
    if source != alias and not keep_old:
        es.indices.delete(index=source)
    seconds = (datetime.now(UTC) - started).total_seconds()
    return ReindexReport(source=source, target=target, documents=copied, seconds=seconds)


def _rebuilt(es: Elasticsearch, source: str, target: str) -> Iterator[dict[str, Any]]:
    for hit in helpers.scan(es, index=source, query={"query": {"match_all": {}}, "_source": ["article"]}):
        article = Article.from_dict(hit["_source"]["article"])
        yield {"_op_type": "index", "_index": target, "_id": hit["_id"], "_source": to_document(article)}


def _swap(alias: str, source: str, target: str) -> list[dict[str, Any]]:
    """One atomic alias update: readers see the old index, then the new one, never neither."""
    add = {"add": {"index": target, "alias": alias, "is_write_index": True}}
    if source == alias:  # a plain index by an older Marsad holds the name: it goes in the same step
        return [add, {"remove_index": {"index": source}}]
    return [{"remove": {"index": source, "alias": alias}}, add]
