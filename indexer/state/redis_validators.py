"""Validators of discovery pages (feeds, sitemaps, listings) on Redis: one HASH per page URL.

Same rules as indexer/state/validators.py: saved only once everything a page listed was handled.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from indexer.state.records import PageValidators, from_utc_text, utc_text
from indexer.state.redis_base import Connection


class RedisValidators:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def get(self, url: str) -> PageValidators | None:
        found = self._conn.client.hgetall(self._conn.keys.page(url))
        if not found:
            return None
        row = {key.decode(): value.decode("utf-8") for key, value in found.items()}
        return PageValidators(
            url, row["source_key"], from_utc_text(row["checked_at"]), row.get("etag"), row.get("last_modified"),
            row.get("body_hash"),
            tuple((str(child), lastmod) for child, lastmod in json.loads(row.get("children") or "[]")),
        )

    def save(self, rows: Sequence[PageValidators]) -> None:
        """Replace each page's validators (a field now None is removed, as SQLite's REPLACE does)."""
        pipe = self._conn.client.pipeline(transaction=True)
        for row in rows:
            fields = {"source_key": row.source_key, "checked_at": utc_text(row.checked_at), "etag": row.etag,
                      "last_modified": row.last_modified, "body_hash": row.body_hash,
                      "children": json.dumps(row.children) if row.children else None}
            key = self._conn.keys.page(row.url)
            pipe.delete(key)
            pipe.hset(key, mapping={name: value for name, value in fields.items() if value is not None})
        pipe.execute()
