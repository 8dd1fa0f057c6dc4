"""The embedded default backend: one SQLite file with an FTS5 index of Marsad's analyzed terms.

Storing an article costs the same however many are stored: it is found by its id (a unique
index), its FTS row replaced by rowid (:mod:`indexer.storage.sqlite_schema`). Search ranks, pages
and counts in SQL (:mod:`indexer.storage.sqlite_search`).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path

from core.article import Article
from core.errors import StorageError
from indexer.analysis import index_terms, norm_terms
from indexer.storage.base import SearchRequest, SearchResult, StoreReport
from indexer.storage.sqlite_schema import prepare
from indexer.storage.sqlite_search import SqliteSearch

ENTITY_KINDS = ("persons", "organizations", "locations")


class SqliteStorage:
    name = "sqlite"

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        try:
            self._db = sqlite3.connect(path, timeout=30)
            self._db.execute("PRAGMA journal_mode=WAL")
            prepare(self._db)
        except sqlite3.Error as exc:
            raise StorageError(f"cannot open the SQLite index {path}: {exc}") from exc

    def store(self, articles: Sequence[Article]) -> StoreReport:
        report = StoreReport()
        try:
            with self._db:
                for article in articles:
                    if self._upsert(article):
                        report.created += 1
                    else:
                        report.updated += 1
        except sqlite3.Error as exc:
            raise StorageError(f"SQLite index {self.path}: {exc}; the batch was rolled back") from exc
        return report

    def _upsert(self, article: Article) -> bool:
        """Store one article; True when it is new. Every statement is an indexed look-up."""
        values = (article.doc_id, article.canonical_url, article.source, article.section, article.language,
                  dated_utc(article), article.story_id or article.doc_id,
                  json.dumps(article.to_dict(), ensure_ascii=False))
        row = self._db.execute("SELECT n FROM articles WHERE id = ?", (article.doc_id,)).fetchone()
        if row is None:
            cursor = self._db.execute(
                "INSERT INTO articles (id, canonical_url, source, section, language, dated_utc, story, doc) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", values)
            n = cursor.lastrowid
        else:
            n = row[0]
            self._db.execute(
                "UPDATE articles SET id = ?, canonical_url = ?, source = ?, section = ?, language = ?, "
                "dated_utc = ?, story = ?, doc = ? WHERE n = ?", (*values, n))
            self._db.execute("DELETE FROM articles_fts WHERE rowid = ?", (n,))
            self._db.execute("DELETE FROM article_entities WHERE n = ?", (n,))
        self._db.execute(
            "INSERT INTO articles_fts (rowid, title_terms, body_terms, title_norm, body_norm) VALUES (?, ?, ?, ?, ?)",
            (n, " ".join(index_terms(article.title)), " ".join(index_terms(article.body)),
             " ".join(norm_terms(article.title)), " ".join(norm_terms(article.body))),
        )
        self._db.executemany(
            "INSERT OR IGNORE INTO article_entities (name, kind, n) VALUES (?, ?, ?)",
            [(name, kind, n) for kind in ENTITY_KINDS for name in getattr(article.entities, kind)],
        )
        return row is None

    def search(self, request: SearchRequest) -> SearchResult:
        return SqliteSearch(self._db).run(request)

    def iter_matching(self, query: str, since: datetime | None = None, match: str = "inflected") -> Iterator[Article]:
        return SqliteSearch(self._db).iter_matching(query, since, match)

    def count(self) -> int:
        return int(self._db.execute("SELECT COUNT(*) FROM articles").fetchone()[0])

    def iter_articles(self) -> Iterator[Article]:
        for (doc,) in self._db.execute("SELECT doc FROM articles ORDER BY dated_utc, n"):
            yield Article.from_dict(json.loads(doc))

    def close(self) -> None:
        self._db.close()


def dated_utc(article: Article) -> str:
    when = article.published_at or article.fetched_at
    return when.astimezone(UTC).isoformat() if when is not None else ""
