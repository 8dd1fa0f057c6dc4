"""Story membership in the state store: which stored copies tell the same story.

The first article of a story is its lead and gives the story its id (the lead's document id);
a later near-duplicate (same bucket key, then :func:`indexer.stories.same_story`) joins it. An
article keeps its story when it is fetched again or edited.
"""

from __future__ import annotations

import hashlib
import sqlite3
from datetime import UTC, datetime

from indexer.state.records import utc_text
from indexer.stories import StorySignature, band_keys, same_story


class Stories:
    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def story_of(self, canonical_url: str) -> str | None:
        row = self._db.execute("SELECT story_id FROM stories WHERE canonical_url = ?", (canonical_url,)).fetchone()
        return str(row[0]) if row else None

    def assign(self, canonical_url: str, signature: StorySignature | None, now: datetime | None = None) -> str:
        """The story of this article: its own if known, else the oldest story it duplicates,
        else a new story led by it. Committed at once, so the next copy in this run finds it."""
        known = self.story_of(canonical_url)
        if known is not None:
            return known
        story_id = self._find(signature) if signature is not None else None
        story_id = story_id or hashlib.sha1(canonical_url.encode("utf-8")).hexdigest()
        with self._db:
            self._db.execute(
                "INSERT OR IGNORE INTO stories VALUES (?, ?, ?, ?)",
                (canonical_url, story_id, signature.dumps() if signature else None, utc_text(now or datetime.now(UTC))),
            )
            if signature is not None:
                self._db.executemany(
                    "INSERT OR IGNORE INTO story_keys VALUES (?, ?)",
                    [(key, canonical_url) for key in band_keys(signature)],
                )
        return story_id

    def _find(self, signature: StorySignature) -> str | None:
        keys = band_keys(signature)
        rows = self._db.execute(
            "SELECT s.story_id, s.signature FROM stories s WHERE s.canonical_url IN "
            f"(SELECT canonical_url FROM story_keys WHERE key IN ({', '.join('?' for _ in keys)})) "
            "ORDER BY s.joined_at",
            keys,
        ).fetchall()
        for story_id, stored in rows:
            try:
                other = StorySignature.loads(stored) if stored else None
            except ValueError:  # a signature of an older kind: not comparable, skip it
                continue
            if other is not None and same_story(signature, other):
                return str(story_id)
        return None

    def members(self, story_id: str) -> list[str]:
        rows = self._db.execute(
            "SELECT canonical_url FROM stories WHERE story_id = ? ORDER BY joined_at, canonical_url", (story_id,)
        ).fetchall()
        return [str(row[0]) for row in rows]
