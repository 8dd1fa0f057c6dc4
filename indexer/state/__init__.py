"""The state store: which articles are stored, which stories they belong to, the alert outbox.

SQLite on one machine (StateStore), Redis shared by several hosts (redis_state.RedisState, imported
only when used: see factory.open_state)."""

from __future__ import annotations

from typing import TYPE_CHECKING

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

if TYPE_CHECKING:
    from indexer.state.redis_state import RedisState

__all__ = [
    "AlertMatch", "Counters", "HealthStore", "OutboxEntry", "OutboxRow", "OutboxStore", "OutboxSummary",
    "PageValidators", "RunRecord", "SourceFlag", "State", "StateStore", "StoredArticle", "StoryIndex",
]


def _conforms(store: StateStore, shared: RedisState) -> tuple[State, State]:
    return store, shared  # mypy checks here that both stores implement the interface
