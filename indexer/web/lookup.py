"""One article by its document id, and the other copies of its story.

The backends' Storage interface has no lookup by id yet: when a backend offers ``get(doc_id)``
it is used, else the articles are scanned (fine for a small index; a stopgap until both
backends have ``get``). The copies of a story come from the state store, which records every
stored article's story (``indexer/state/stories.py``), whatever the backend.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from typing import Any

from core.article import Article
from core.settings import Settings
from indexer.state.factory import has_state, open_state
from indexer.storage.base import Storage

DOC_ID = re.compile(r"^[0-9a-f]{40}$")


def doc_id_of(canonical_url: str) -> str:
    return hashlib.sha1(canonical_url.encode("utf-8")).hexdigest()


def get_articles(storage: Storage, doc_ids: Iterable[str]) -> dict[str, Article]:
    wanted = {doc_id for doc_id in doc_ids if DOC_ID.match(doc_id)}
    if not wanted:
        return {}
    getter: Any = getattr(storage, "get", None)
    if callable(getter):
        found = {doc_id: getter(doc_id) for doc_id in wanted}
        return {doc_id: article for doc_id, article in found.items() if isinstance(article, Article)}
    articles: dict[str, Article] = {}
    for article in storage.iter_articles():
        if article.doc_id in wanted:
            articles[article.doc_id] = article
            if len(articles) == len(wanted):
                break
    return articles


def get_article(storage: Storage, doc_id: str) -> Article | None:
    return get_articles(storage, [doc_id]).get(doc_id)


def story_copies(storage: Storage, settings: Settings, article: Article) -> list[Article]:
    """The story's other stored copies, in the order they joined it (none when there is no state)."""
    if not article.story_id or not has_state(settings):
        return []
    state = open_state(settings)
    try:
        urls = state.stories.members(article.story_id)
    finally:
        state.close()
    ids = [doc_id_of(url) for url in urls if url != article.canonical_url]
    found = get_articles(storage, ids)
    return [found[doc_id] for doc_id in ids if doc_id in found]
