"""The state store: which articles are stored, which stories they belong to, the alert outbox."""

from __future__ import annotations

from indexer.state.base import HealthStore, OutboxStore, State, StoryIndex
from indexer.state.records import (
    AlertMatch,
    Counters,
    OutboxEntry,
    OutboxRow,
    OutboxSummary,
    PageValidators,
    RunRecord,
    SourceFlag,
    StoredArticle,
)
from indexer.state.store import StateStore

__all__ = [
    "AlertMatch", "Counters", "HealthStore", "OutboxEntry", "OutboxRow", "OutboxStore", "OutboxSummary",
    "PageValidators", "RunRecord", "SourceFlag", "State", "StateStore", "StoredArticle", "StoryIndex",
]


def _conforms(store: StateStore) -> State:
    return store  # mypy checks here that the SQLite store implements the interface
