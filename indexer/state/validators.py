"""Validators of discovery pages (feeds, sitemaps, listings) for conditional GETs.

Saved only once everything a page listed was handled (see crawler/spiders/ledger.py), so a 304
never hides an article that a killed or failed run left unfetched.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence

from indexer.state.records import PageValidators, from_utc_text, utc_text


class ValidatorStore:
    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def get(self, url: str) -> PageValidators | None:
        row = self._db.execute(
            "SELECT url, source_key, checked_at, etag, last_modified, body_hash, children "
            "FROM page_validators WHERE url = ?", (url,),
        ).fetchone()
        if row is None:
            return None
        url, source_key, checked_at, etag, last_modified, body_hash, children = row
        return PageValidators(
            url, source_key, from_utc_text(checked_at), etag, last_modified, body_hash,
            tuple((str(child), lastmod) for child, lastmod in json.loads(children or "[]")),
        )

    def save(self, rows: Sequence[PageValidators]) -> None:
        with self._db:
            self._db.executemany(
                "INSERT OR REPLACE INTO page_validators VALUES (?, ?, ?, ?, ?, ?, ?)",
                [(row.url, row.source_key, row.etag, row.last_modified, row.body_hash,
                  json.dumps(row.children) if row.children else None, utc_text(row.checked_at)) for row in rows],
            )

    def count(self) -> int:
        return int(self._db.execute("SELECT COUNT(*) FROM page_validators").fetchone()[0])
