"""The embedded default backend: one SQLite file with an FTS5 index of Marsad's analyzed terms."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path

from core.article import Article
from core.errors import StorageError
from indexer.analysis import index_terms, norm_terms
from indexer.search.plan import SearchPlan, compile_plan
from indexer.storage.base import SearchHit, SearchRequest, SearchResult, StoreReport

SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (
    id TEXT PRIMARY KEY,
    canonical_url TEXT NOT NULL,
    source TEXT NOT NULL,
    dated_utc TEXT NOT NULL,
    doc TEXT NOT NULL,
    story_id TEXT
);
CREATE INDEX IF NOT EXISTS articles_source ON articles (source);
CREATE INDEX IF NOT EXISTS articles_dated ON articles (dated_utc);
CREATE VIRTUAL TABLE IF NOT EXISTS articles_fts USING fts5(
    id UNINDEXED, title_terms, body_terms, title_norm, body_norm,
    tokenize = 'unicode61 remove_diacritics 0'
);
"""


class SqliteStorage:
    name = "sqlite"

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        try:
            self._db = sqlite3.connect(path, timeout=30)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.executescript(SCHEMA)
            self._migrate()
        except sqlite3.Error as exc:
            raise StorageError(f"cannot open the SQLite index {path}: {exc}") from exc

    def _migrate(self) -> None:
        columns = {row[1] for row in self._db.execute("PRAGMA table_info(articles)")}
        if "story_id" not in columns:  # an index written before stories existed
            self._db.execute("ALTER TABLE articles ADD COLUMN story_id TEXT")
        self._db.execute("CREATE INDEX IF NOT EXISTS articles_story ON articles (story_id)")

    def store(self, articles: Sequence[Article]) -> StoreReport:
        report = StoreReport()
        try:
            with self._db:
                for article in articles:
                    existed = self._db.execute(
                        "SELECT 1 FROM articles WHERE id = ?", (article.doc_id,)
                    ).fetchone()
                    self._upsert(article)
                    if existed:
                        report.updated += 1
                    else:
                        report.created += 1
        except sqlite3.Error as exc:
            raise StorageError(f"SQLite index {self.path}: {exc}; the batch was rolled back") from exc
        return report

    def _upsert(self, article: Article) -> None:
        doc_id = article.doc_id
        self._db.execute(
            "INSERT INTO articles (id, canonical_url, source, dated_utc, doc, story_id) VALUES (?, ?, ?, ?, ?, ?) "
            "ON CONFLICT(id) DO UPDATE SET canonical_url = excluded.canonical_url, source = excluded.source, "
            "dated_utc = excluded.dated_utc, doc = excluded.doc, story_id = excluded.story_id",
            (doc_id, article.canonical_url, article.source, dated_utc(article),
             json.dumps(article.to_dict(), ensure_ascii=False), article.story_id),
        )
        self._db.execute("DELETE FROM articles_fts WHERE id = ?", (doc_id,))
        self._db.execute(
            "INSERT INTO articles_fts (id, title_terms, body_terms, title_norm, body_norm) VALUES (?, ?, ?, ?, ?)",
            (doc_id, " ".join(index_terms(article.title)), " ".join(index_terms(article.body)),
             " ".join(norm_terms(article.title)), " ".join(norm_terms(article.body))),
        )

    def search(self, request: SearchRequest) -> SearchResult:
        plan = compile_plan(request.query)
        matching = [article for article in self._candidates(plan, request) if plan.matches(article)]
        return SearchResult(total=len(matching), hits=[SearchHit(a) for a in matching[: request.limit]])

    def iter_matching(self, query: str, since: datetime | None = None, match: str = "inflected") -> Iterator[Article]:
        plan = compile_plan(query, match)
        for article in self._candidates(plan, SearchRequest(query=query, since=since)):
            if plan.matches(article):
                yield article

    def _candidates(self, plan: SearchPlan, request: SearchRequest) -> list[Article]:
        sql = ["SELECT a.doc FROM articles a"]
        params: list[object] = []
        where: list[str] = []
        if plan.fts is not None:
            sql.append("JOIN articles_fts f ON f.id = a.id")
            where.append("articles_fts MATCH ?")
            params.append(plan.fts)
        if request.sources:
            where.append(f"a.source IN ({', '.join('?' for _ in request.sources)})")
            params.extend(request.sources)
        if request.since is not None:
            where.append("a.dated_utc >= ?")
            params.append(request.since.astimezone(UTC).isoformat())
        if where:
            sql.append("WHERE " + " AND ".join(where))
        sql.append("ORDER BY " + ("f.rank, " if plan.fts is not None else "") + "a.dated_utc DESC")
        try:
            rows = self._db.execute(" ".join(sql), params).fetchall()
        except sqlite3.Error as exc:
            raise StorageError(f"SQLite search failed: {exc}") from exc
        return [Article.from_dict(json.loads(row[0])) for row in rows]

    def count(self) -> int:
        return int(self._db.execute("SELECT COUNT(*) FROM articles").fetchone()[0])

    def iter_articles(self) -> Iterator[Article]:
        for (doc,) in self._db.execute("SELECT doc FROM articles ORDER BY dated_utc"):
            yield Article.from_dict(json.loads(doc))

    def close(self) -> None:
        self._db.close()


def dated_utc(article: Article) -> str:
    when = article.published_at or article.fetched_at
    return when.astimezone(UTC).isoformat() if when is not None else ""
