"""The one state store: which articles were stored and which alerts were raised.

A small SQLite file in the data folder. Rows are written only after the index confirmed the
article, so a crash between fetch and index means the article is fetched again, never lost.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS stored_articles (
    canonical_url TEXT PRIMARY KEY,
    url TEXT NOT NULL,
    source TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    stored_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS seen_urls (
    url TEXT PRIMARY KEY,
    canonical_url TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS alerts_raised (
    rule TEXT NOT NULL,
    canonical_url TEXT NOT NULL,
    raised_at TEXT NOT NULL,
    PRIMARY KEY (rule, canonical_url)
);
"""


class StateStore:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._db = sqlite3.connect(path, timeout=30)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.executescript(SCHEMA)

    def close(self) -> None:
        self._db.close()

    def is_seen(self, url: str) -> bool:
        """True when this URL (as linked, or canonical) already led to a stored article."""
        row = self._db.execute(
            "SELECT 1 FROM seen_urls WHERE url = ? UNION SELECT 1 FROM stored_articles WHERE canonical_url = ?",
            (url, url),
        ).fetchone()
        return row is not None

    def stored_hash(self, canonical_url: str) -> str | None:
        row = self._db.execute(
            "SELECT content_hash FROM stored_articles WHERE canonical_url = ?", (canonical_url,)
        ).fetchone()
        return str(row[0]) if row else None

    def mark_stored(self, rows: Iterable[tuple[str, str, str, str]]) -> None:
        """Record (url, canonical_url, source, content_hash) of articles the index confirmed."""
        now = _now()
        with self._db:
            for url, canonical_url, source, content_hash in rows:
                self._db.execute(
                    "INSERT INTO stored_articles VALUES (?, ?, ?, ?, ?) ON CONFLICT(canonical_url) "
                    "DO UPDATE SET content_hash = excluded.content_hash, stored_at = excluded.stored_at",
                    (canonical_url, url, source, content_hash, now),
                )
                for seen in {url, canonical_url}:
                    self._db.execute("INSERT OR IGNORE INTO seen_urls VALUES (?, ?)", (seen, canonical_url))

    def raise_alert_once(self, rule: str, canonical_url: str, deliver: Callable[[], None]) -> bool:
        """Run ``deliver`` unless ``rule`` already fired on this article; True if it ran.

        The row is committed only after ``deliver`` returned, so a failed delivery is retried
        by the next run (at-least-once), and a delivered alert is never raised twice.
        """
        with self._db:
            cursor = self._db.execute(
                "INSERT OR IGNORE INTO alerts_raised VALUES (?, ?, ?)", (rule, canonical_url, _now())
            )
            if cursor.rowcount != 1:
                return False
            deliver()
        return True

    def stored_count(self) -> int:
        return int(self._db.execute("SELECT COUNT(*) FROM stored_articles").fetchone()[0])


def _now() -> str:
    return datetime.now(UTC).isoformat()
