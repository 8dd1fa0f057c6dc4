"""The one state store: stored articles, stories and the alert outbox, in one SQLite file.

An article is recorded as stored only after the index confirmed it, and in the same transaction
as the alerts it raised (the outbox rows), so a crash can neither lose an alert nor mark an
article stored whose alerts were never queued. WAL with ``synchronous=NORMAL``: a killed process
loses nothing committed; a power cut may lose the last commits, which the next run redoes.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from core.errors import StateError
from indexer.state.health import Health
from indexer.state.outbox import Outbox
from indexer.state.records import PageValidators, StoredArticle, from_utc_text, utc_text
from indexer.state.schema import SCHEMA
from indexer.state.stories import Stories
from indexer.state.validators import ValidatorStore


class StateStore:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        try:
            self._db = sqlite3.connect(path, timeout=30)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.executescript(SCHEMA)
        except sqlite3.DatabaseError as exc:
            raise StateError(f"state store {path} cannot be used: {exc}") from exc
        self.stories = Stories(self._db)
        self.outbox = Outbox(self._db)
        self._validators = ValidatorStore(self._db)
        self.health = Health(self._db, str(path))

    def close(self) -> None:
        self._db.close()

    def check(self) -> None:
        """Read every page once (SQLite's quick_check); a damaged file raises StateError.

        Opening a damaged file often succeeds, and lookups then fail one by one in the middle of a
        crawl; `marsad run` checks first, so a damaged store stops the run with one clear error.
        """
        try:
            problems = [str(row[0]) for row in self._db.execute("PRAGMA quick_check(5)")]
        except sqlite3.DatabaseError as exc:
            problems = [str(exc)]
        if problems != ["ok"]:
            raise StateError(f"state store {self.path} is damaged ({'; '.join(problems)}); restore it from a backup, "
                             "or move it aside to start afresh (every article is then fetched and alerted again)")

    @contextmanager
    def _guard(self, doing: str) -> Iterator[None]:
        try:
            yield
        except sqlite3.DatabaseError as exc:
            raise StateError(f"state store {self.path}: {doing} failed: {exc}") from exc

    def is_seen(self, url: str) -> bool:
        """True when this URL (as linked, or canonical) already led to a stored article."""
        with self._guard("lookup"):
            row = self._db.execute(
                "SELECT 1 FROM seen_urls WHERE url = ? UNION SELECT 1 FROM stored_articles WHERE canonical_url = ?",
                (url, url),
            ).fetchone()
        return row is not None

    def seen_at(self, url: str) -> datetime | None:
        """When this URL (as linked, or canonical) last led to a fetched, stored article: stored,
        or found unchanged. None when it never did."""
        with self._guard("lookup"):
            row = self._db.execute(
                "SELECT MAX(a.stored_at, COALESCE(c.checked_at, '')) FROM stored_articles a "
                "LEFT JOIN article_checks c ON c.canonical_url = a.canonical_url "
                "WHERE a.canonical_url = ? OR a.canonical_url = (SELECT canonical_url FROM seen_urls WHERE url = ?)",
                (url, url),
            ).fetchone()
        return from_utc_text(row[0]) if row and row[0] else None

    def mark_checked(self, url: str, canonical_url: str, now: datetime | None = None) -> None:
        """A stored article was fetched again and found unchanged: remember when (and the URL that led to it)."""
        with self._guard("recording a check"), self._db:
            self._db.execute("INSERT OR REPLACE INTO article_checks VALUES (?, ?)",
                             (canonical_url, utc_text(now or datetime.now(UTC))))
            self._db.execute("INSERT OR IGNORE INTO seen_urls VALUES (?, ?)", (url, canonical_url))

    def page_validators(self, url: str) -> PageValidators | None:
        with self._guard("lookup"):
            return self._validators.get(url)

    def save_page_validators(self, rows: Sequence[PageValidators]) -> None:
        with self._guard("saving page validators"):
            self._validators.save(rows)

    def robots_txt(self, origin: str) -> tuple[bytes, datetime] | None:
        """The robots.txt last read from ``origin`` (``scheme://host:port``) and when, or None."""
        with self._guard("lookup"):
            row = self._db.execute("SELECT body, fetched_at FROM robots_txt WHERE origin = ?", (origin,)).fetchone()
        return (bytes(row[0]), from_utc_text(row[1])) if row else None

    def save_robots_txt(self, origin: str, body: bytes, now: datetime | None = None) -> None:
        with self._guard("saving robots.txt"), self._db:
            self._db.execute("INSERT OR REPLACE INTO robots_txt VALUES (?, ?, ?)",
                             (origin, body, utc_text(now or datetime.now(UTC))))

    def stored_hash(self, canonical_url: str) -> str | None:
        with self._guard("lookup"):
            row = self._db.execute(
                "SELECT content_hash FROM stored_articles WHERE canonical_url = ?", (canonical_url,)
            ).fetchone()
        return str(row[0]) if row else None

    def mark_stored(self, rows: Iterable[tuple[str, str, str, str]]) -> None:
        """Record (url, canonical_url, source, content_hash) of articles the index confirmed."""
        self.record_stored([StoredArticle(*row) for row in rows])

    def record_stored(self, articles: Sequence[StoredArticle], now: datetime | None = None) -> int:
        """Mark ``articles`` stored and queue their alerts in one transaction.

        Returns how many (rule, story, channel) outbox rows are new: a copy of a story that
        already alerted adds its match (it shows in digests and feeds) but no new row.
        """
        stamp = utc_text(now or datetime.now(UTC))
        queued = 0
        with self._guard("recording stored articles"), self._db:
            for article in articles:
                self._db.execute(
                    "INSERT INTO stored_articles VALUES (?, ?, ?, ?, ?) ON CONFLICT(canonical_url) "
                    "DO UPDATE SET content_hash = excluded.content_hash, stored_at = excluded.stored_at",
                    (article.canonical_url, article.url, article.source, article.content_hash, stamp),
                )
                for seen in {article.url, article.canonical_url}:
                    self._db.execute("INSERT OR IGNORE INTO seen_urls VALUES (?, ?)", (seen, article.canonical_url))
                for match in article.matches:
                    self._db.execute(
                        "INSERT OR IGNORE INTO alert_matches VALUES (?, ?, ?, ?, ?, ?)",
                        (match.rule, article.canonical_url, match.story_id, article.source, stamp,
                         json.dumps(match.payload, ensure_ascii=False)),
                    )
                    queued += self.outbox.enqueue(match, stamp)
        return queued

    def stored_count(self) -> int:
        with self._guard("count"):
            return int(self._db.execute("SELECT COUNT(*) FROM stored_articles").fetchone()[0])
