"""The embedded default backend: one SQLite file with an FTS5 index of Marsad's analyzed terms.

Storing an article costs the same however many are stored: it is found by its id (a unique
index), its FTS row replaced by rowid (:mod:`indexer.storage.sqlite_schema`). Search ranks, pages
and counts in SQL (:mod:`indexer.storage.sqlite_search`).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path

from core.article import Article, is_doc_id
from core.errors import StorageError
from indexer.analysis import indexed_text
from indexer.storage import sqlite_columns
from indexer.storage.base import SearchRequest, SearchResult, StoreReport
from indexer.storage.sqlite_schema import prepare
from indexer.storage.sqlite_search import SqliteSearch

ENTITY_KINDS = ("persons", "organizations", "locations")
ARTICLE_COLUMNS = ("id", "canonical_url", "source", "section", "language", "dated_utc", "epoch", "story")
CACHE_KIB = 65_536  # page cache per connection
MMAP_BYTES = 1 << 30  # read the file through a memory map: no copy into the page cache
GET_CHUNK = 500  # ids per look-up statement (far below SQLite's limit on bound parameters)
# Articles by id: the unique index on articles.id, then article_docs by its INTEGER PRIMARY KEY.
GET_SQL = "SELECT a.id, d.doc FROM articles a JOIN article_docs d ON d.n = a.n WHERE a.id IN ({marks})"


class SqliteStorage:
    name = "sqlite"

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._codes = sqlite_columns.Codes()
        try:
            self._db = sqlite3.connect(path, timeout=30)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute(f"PRAGMA cache_size = -{CACHE_KIB}")  # the FTS index and the articles rows
            self._db.execute(f"PRAGMA mmap_size = {MMAP_BYTES}")
            prepare(self._db)
        except sqlite3.Error as exc:
            raise StorageError(f"cannot open the SQLite index {path}: {exc}") from exc

    def store(self, articles: Sequence[Article]) -> StoreReport:
        report = StoreReport()
        try:
            with self._db:
                values = []
                for article in articles:
                    n, story, created = self._upsert(article)
                    values.append(column_values(n, article, story))
                    if created:
                        report.created += 1
                    else:
                        report.updated += 1
                sqlite_columns.write(self._db, values, self._codes)
        except sqlite3.Error as exc:
            self._codes.forget()  # codes assigned in the rolled-back transaction are gone
            raise StorageError(f"SQLite index {self.path}: {exc}; the batch was rolled back") from exc
        return report

    def _upsert(self, article: Article) -> tuple[int, int, bool]:
        """Store one article: its number, its story's code, whether it is new. Every statement is
        an indexed look-up; a stored article's row and names are written only where they changed
        (an unchanged value left alone dirties no page of the table or its indexes)."""
        when = article.published_at or article.fetched_at
        story = self._story(article)
        values = (article.doc_id, article.canonical_url, article.source, article.section, article.language,
                  dated_utc(article), int(when.timestamp()) if when else None, story)
        names = {(name, kind) for kind in ENTITY_KINDS for name in getattr(article.entities, kind)}
        doc = json.dumps(article.to_dict(), ensure_ascii=False)
        row = self._db.execute(f"SELECT n, {', '.join(ARTICLE_COLUMNS)} FROM articles WHERE id = ?",
                               (article.doc_id,)).fetchone()
        if row is None:
            cursor = self._db.execute(f"INSERT INTO articles ({', '.join(ARTICLE_COLUMNS)}) "
                                      "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", values)
            n = int(cursor.lastrowid or 0)
            self._db.execute("INSERT INTO article_docs (n, doc) VALUES (?, ?)", (n, doc))
            stored_names: set[tuple[str, str]] = set()
        else:
            n = row[0]
            if tuple(row[1:]) != values:
                self._db.execute(f"UPDATE articles SET {' = ?, '.join(ARTICLE_COLUMNS)} = ? WHERE n = ?",
                                 (*values, n))
            self._db.execute("UPDATE article_docs SET doc = ? WHERE n = ?", (doc, n))
            self._db.execute("DELETE FROM articles_fts WHERE rowid = ?", (n,))
            stored_names = set(self._db.execute("SELECT name, kind FROM article_entities WHERE n = ?", (n,)))
            self._db.executemany("DELETE FROM article_entities WHERE name = ? AND kind = ? AND n = ?",
                                 [(name, kind, n) for name, kind in stored_names - names])
        title_terms, title_norm = indexed_text(article.title)
        body_terms, body_norm = indexed_text(article.body)
        self._db.execute(
            "INSERT INTO articles_fts (rowid, title_terms, body_terms, title_norm, body_norm) VALUES (?, ?, ?, ?, ?)",
            (n, title_terms, body_terms, title_norm, body_norm),
        )
        self._db.executemany("INSERT INTO article_entities (name, kind, n) VALUES (?, ?, ?)",
                             [(name, kind, n) for name, kind in names - stored_names])
        return n, story, row is None

    def _story(self, article: Article) -> int:
        """The code of the article's story (its story_id, else its own id), added when new."""
        story = article.story_id or article.doc_id
        self._db.execute("INSERT OR IGNORE INTO article_stories (story) VALUES (?)", (story,))
        return int(self._db.execute("SELECT code FROM article_stories WHERE story = ?", (story,)).fetchone()[0])

    def search(self, request: SearchRequest) -> SearchResult:
        return SqliteSearch(self._db).run(request)

    def get(self, doc_id: str) -> Article | None:
        return self.get_many([doc_id]).get(doc_id)

    def get_many(self, doc_ids: Iterable[str]) -> dict[str, Article]:
        wanted = list(dict.fromkeys(doc_id for doc_id in doc_ids if is_doc_id(doc_id)))
        found: dict[str, Article] = {}
        try:
            for start in range(0, len(wanted), GET_CHUNK):
                chunk = wanted[start:start + GET_CHUNK]
                for doc_id, doc in self._db.execute(GET_SQL.format(marks=", ".join("?" * len(chunk))), chunk):
                    found[doc_id] = Article.from_dict(json.loads(doc))
        except sqlite3.Error as exc:
            raise StorageError(f"SQLite index {self.path}: reading articles by id: {exc}") from exc
        return found

    def iter_matching(self, query: str, since: datetime | None = None, match: str = "inflected") -> Iterator[Article]:
        return SqliteSearch(self._db).iter_matching(query, since, match)

    def count(self) -> int:
        return int(self._db.execute("SELECT COUNT(*) FROM articles").fetchone()[0])

    def iter_articles(self) -> Iterator[Article]:
        for (doc,) in self._db.execute("SELECT d.doc FROM articles a JOIN article_docs d ON d.n = a.n "
                                       "ORDER BY a.dated_utc, a.n"):
            yield Article.from_dict(json.loads(doc))

    def close(self) -> None:
        self._db.close()


def column_values(n: int, article: Article, story: int) -> sqlite_columns.Values:
    when = article.published_at or article.fetched_at
    names = [name for kind in ENTITY_KINDS for name in dict.fromkeys(getattr(article.entities, kind))]
    return sqlite_columns.Values(n, article.source, article.section, article.language, story,
                                 int(when.timestamp()) if when else None, names)


def dated_utc(article: Article) -> str:
    when = article.published_at or article.fetched_at
    return when.astimezone(UTC).isoformat() if when is not None else ""
