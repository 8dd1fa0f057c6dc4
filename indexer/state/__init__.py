"""The state store: which articles are stored, which stories they belong to, the alert outbox."""

from __future__ import annotations

from indexer.state.records import AlertMatch, OutboxEntry, OutboxRow, OutboxSummary, StoredArticle
from indexer.state.store import StateStore

__all__ = ["AlertMatch", "OutboxEntry", "OutboxRow", "OutboxSummary", "StateStore", "StoredArticle"]
