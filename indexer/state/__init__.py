"""The state store: which articles are stored, which stories they belong to, the alert outbox."""

from __future__ import annotations

from indexer.state.base import OutboxStore, State, StoryIndex
from indexer.state.records import AlertMatch, OutboxEntry, OutboxRow, OutboxSummary, PageValidators, StoredArticle
from indexer.state.store import StateStore

__all__ = [
    "AlertMatch", "OutboxEntry", "OutboxRow", "OutboxStore", "OutboxSummary", "PageValidators", "State",
    "StateStore", "StoredArticle", "StoryIndex",
]


def _conforms(store: StateStore) -> State:
    return store  # mypy checks here that the SQLite store implements the interface
