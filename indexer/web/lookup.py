"""The other copies of an article's story.

The story's members come from the state store, which records every stored article's story
(``indexer/state/stories.py``) whatever the backend; the articles themselves from the backend, by
id in one look-up (``Storage.get_many``).
"""

from __future__ import annotations

from core.article import Article, doc_id_of
from core.settings import Settings
from indexer.state.factory import has_state, open_state
from indexer.storage.base import Storage


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
    found = storage.get_many(ids)
    return [found[doc_id] for doc_id in ids if doc_id in found]
