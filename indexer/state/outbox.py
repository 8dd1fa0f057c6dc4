"""The alert outbox: one row per (rule, story, channel), sent exactly once.

Rows are queued with the article's stored mark (see :meth:`StateStore.record_stored`); the
delivery step reads the due ones, sends, and records the result row by row, so a crash between
a send and its record can repeat at most that one message.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from indexer.state.records import AlertMatch, Kind, OutboxRow, OutboxSummary, from_utc_text, utc_text

Key = tuple[str, str, str]  # (rule, story_id, channel)
_COLUMNS = "rule, story_id, channel, kind, status, created_at, due_at, attempts, last_error"


class Outbox:
    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def enqueue(self, match: AlertMatch, stamp: str) -> int:
        """Queue ``match`` on each of its channels (inside the caller's transaction); 1 when
        this (rule, story) is new to at least one channel, else 0."""
        new = 0
        for entry in match.entries:
            due = utc_text(entry.due_at)
            cursor = self._db.execute(
                "INSERT OR IGNORE INTO outbox (rule, story_id, channel, kind, created_at, due_at, next_attempt_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (match.rule, match.story_id, entry.channel, entry.kind, stamp, due, due),
            )
            new = new or cursor.rowcount
        return 1 if new else 0

    def due(self, now: datetime) -> list[OutboxRow]:
        stamp = utc_text(now)
        rows = self._db.execute(
            f"SELECT {_COLUMNS} FROM outbox WHERE status = 'pending' AND due_at <= ? AND next_attempt_at <= ? "
            "ORDER BY created_at, rule, story_id, channel",
            (stamp, stamp),
        ).fetchall()
        return [_row(values) for values in rows]

    def pending(self) -> list[OutboxRow]:
        rows = self._db.execute(
            f"SELECT {_COLUMNS} FROM outbox WHERE status = 'pending' ORDER BY created_at, rule, story_id, channel"
        ).fetchall()
        return [_row(values) for values in rows]

    def story_matches(self, rule: str, story_id: str) -> list[dict[str, Any]]:
        """The payloads of every article of the story the rule matched, oldest first."""
        rows = self._db.execute(
            "SELECT payload, matched_at FROM alert_matches WHERE rule = ? AND story_id = ? "
            "ORDER BY matched_at, canonical_url",
            (rule, story_id),
        ).fetchall()
        return [{**json.loads(payload), "matched_at": from_utc_text(stamp).isoformat()} for payload, stamp in rows]

    def recent_stories(self, rule: str, limit: int) -> list[tuple[str, list[dict[str, Any]]]]:
        """The rule's newest stories (by first match; story id breaks ties), each with its matched articles."""
        rows = self._db.execute(
            "SELECT story_id FROM alert_matches WHERE rule = ? GROUP BY story_id "
            "ORDER BY MIN(matched_at) DESC, story_id LIMIT ?",
            (rule, limit),
        ).fetchall()
        return [(str(story_id), self.story_matches(rule, str(story_id))) for (story_id,) in rows]

    def last_matched(self) -> dict[str, datetime]:
        rows = self._db.execute("SELECT rule, MAX(matched_at) FROM alert_matches GROUP BY rule").fetchall()
        return {str(rule): from_utc_text(stamp) for rule, stamp in rows}

    def mark_sent(self, keys: Sequence[Key], now: datetime) -> None:
        with self._db:
            self._db.executemany(
                "UPDATE outbox SET status = 'sent', sent_at = ?, last_error = NULL "
                "WHERE rule = ? AND story_id = ? AND channel = ?",
                [(utc_text(now), *key) for key in keys],
            )

    def record_failure(self, keys: Sequence[Key], error: str, retry_at: datetime, give_up: bool) -> None:
        with self._db:
            self._db.executemany(
                "UPDATE outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ?, status = ? "
                "WHERE rule = ? AND story_id = ? AND channel = ?",
                [(error, utc_text(retry_at), "failed" if give_up else "pending", *key) for key in keys],
            )

    def reschedule(self, keys: Sequence[Key], kind: Kind, due_at: datetime) -> None:
        """Hold rows until ``due_at`` (quiet hours) or fold them into a digest (over the hourly cap)."""
        stamp = utc_text(due_at)
        with self._db:
            self._db.executemany(
                "UPDATE outbox SET kind = ?, due_at = ?, next_attempt_at = MAX(next_attempt_at, ?) "
                "WHERE rule = ? AND story_id = ? AND channel = ?",
                [(kind, stamp, stamp, *key) for key in keys],
            )

    def log_delivery(self, channel: str, rule: str, kind: Kind, stories: int, now: datetime) -> None:
        with self._db:
            self._db.execute(
                "INSERT INTO deliveries (channel, rule, kind, stories, sent_at) VALUES (?, ?, ?, ?, ?)",
                (channel, rule, kind, stories, utc_text(now)),
            )

    def sent_since(self, rule: str, channel: str, since: datetime, kind: Kind | None = None) -> int:
        """Messages (of ``kind``) sent for this rule on this channel since ``since`` (the hourly cap)."""
        row = self._db.execute(
            "SELECT COUNT(*) FROM deliveries "
            "WHERE rule = ? AND channel = ? AND sent_at >= ? AND (? IS NULL OR kind = ?)",
            (rule, channel, utc_text(since), kind, kind),
        ).fetchone()
        return int(row[0])

    def retry_failed(self, now: datetime, channel: str | None = None) -> int:
        """Put rows that gave up (or wait for a later attempt) back in the queue, due now."""
        stamp = utc_text(now)
        with self._db:
            cursor = self._db.execute(
                "UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = ? "
                "WHERE status != 'sent' AND (? IS NULL OR channel = ?)",
                (stamp, channel, channel),
            )
        return cursor.rowcount

    def summary(self) -> OutboxSummary:
        summary = OutboxSummary()
        for channel, status, count in self._db.execute(
            "SELECT channel, status, COUNT(*) FROM outbox GROUP BY channel, status"
        ):
            summary.counts[(str(channel), str(status))] = int(count)
        failed = self._db.execute(f"SELECT {_COLUMNS} FROM outbox WHERE status = 'failed' "
                                 "ORDER BY created_at, rule, story_id, channel")
        summary.failed = [_row(values) for values in failed]
        oldest = self._db.execute("SELECT MIN(created_at) FROM outbox WHERE status = 'pending'").fetchone()[0]
        summary.oldest_pending = from_utc_text(oldest) if oldest else None
        return summary


def _row(values: tuple[Any, ...]) -> OutboxRow:
    rule, story_id, channel, kind, status, created_at, due_at, attempts, last_error = values
    return OutboxRow(
        rule=rule, story_id=story_id, channel=channel, kind=kind, status=status,
        created_at=from_utc_text(created_at), due_at=from_utc_text(due_at), attempts=int(attempts),
        last_error=last_error,
    )
