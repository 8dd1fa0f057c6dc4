"""The SQLite backend's own guarantees: an older file migrates on open, storing and reading by id cost
the same at any size, and a search decodes and matches only the page it shows.

Costs are counted, never timed: SQLite's progress handler counts virtual-machine steps, and the
articles a search decodes are counted through ``Article.from_dict``.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from core.article import Article, Entities
from indexer.analysis import index_terms, norm_terms
from indexer.storage import sqlite_search
from indexer.storage.base import SearchRequest
from indexer.storage.sqlite import GET_SQL, SqliteStorage

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
TOPICS = ["أذربيجان", "الاتصالات", "البيانات", "الذكاء الاصطناعي", "الجيل الخامس", "الأمن السيبراني"]

# The first schema and its writer, as Marsad wrote them before the search issue.
V1_SCHEMA = """
CREATE TABLE articles (id TEXT PRIMARY KEY, canonical_url TEXT NOT NULL, source TEXT NOT NULL,
                       dated_utc TEXT NOT NULL, doc TEXT NOT NULL);
CREATE INDEX articles_source ON articles (source);
CREATE INDEX articles_dated ON articles (dated_utc);
CREATE VIRTUAL TABLE articles_fts USING fts5(id UNINDEXED, title_terms, body_terms, title_norm, body_norm,
                                             tokenize = 'unicode61 remove_diacritics 0');
CREATE TABLE spool (id INTEGER PRIMARY KEY, payload TEXT);  -- another component's table in the same file
INSERT INTO spool (payload) VALUES ('kept');
"""


def article(n: int, body: str = "", source: str = "techwave", story: str | None = None,
            persons: tuple[str, ...] = ()) -> Article:
    topic = TOPICS[n % len(TOPICS)]
    return Article(
        url=f"http://127.0.0.1/a/{n}", canonical_url=f"http://127.0.0.1/a/{n}", source=source,
        title=f"خبر رقم {n} عن {topic}", body=body or f"تفاصيل الخبر {n} حول {topic} في المنطقة.",
        published_at=NOW - timedelta(hours=n), fetched_at=NOW, language="ar", section="أخبار",
        story_id=story, entities=Entities(persons=list(persons)),
    )


def write_v1(path: Path, articles: list[Article]) -> None:
    db = sqlite3.connect(path)
    db.executescript(V1_SCHEMA)
    for item in articles:
        when = item.published_at.astimezone(UTC).isoformat() if item.published_at else ""
        doc = json.dumps(item.to_dict(), ensure_ascii=False)
        row = (item.doc_id, item.canonical_url, item.source, when, doc)
        db.execute("INSERT INTO articles VALUES (?, ?, ?, ?, ?)", row)
        db.execute("INSERT INTO articles_fts VALUES (?, ?, ?, ?, ?)", (
            item.doc_id, " ".join(index_terms(item.title)), " ".join(index_terms(item.body)),
            " ".join(norm_terms(item.title)), " ".join(norm_terms(item.body))))
    db.commit()
    db.close()


def test_a_first_schema_file_is_migrated_on_open(tmp_path: Path) -> None:
    path = tmp_path / "articles.sqlite"
    old = [article(1, story="s1", persons=("عمرو طلعت",)), article(2, source="arabnet", story="s1"), article(3)]
    write_v1(path, old)
    storage = SqliteStorage(path)
    try:
        assert storage.count() == 3
        result = storage.search(SearchRequest(query="", collapse=True, facets=True, histogram=True))
        assert (result.total, result.stories, result.histogram) == (3, 2, [(NOW.date(), 3)])
        assert result.facets["entity"] == [("عمرو طلعت", 1)]
        [hit] = storage.search(SearchRequest(query="خبر", entities=("عمرو طلعت",))).hits
        assert hit.article.canonical_url == old[0].canonical_url and hit.title_marks[0] == ("خبر", True)
        assert storage.store([article(3), article(4)]).created == 1  # replacing a migrated row finds it
        assert storage.count() == 4
    finally:
        storage.close()
    db = sqlite3.connect(path)
    assert db.execute("SELECT payload FROM spool").fetchall() == [("kept",)]
    assert db.execute("SELECT count(*) FROM articles_fts").fetchone() == (4,)
    db.close()
    SqliteStorage(path).close()  # opening an up-to-date file again changes nothing


def sqlite_steps(storage: SqliteStorage, action: Callable[[], object]) -> int:
    """Virtual-machine steps SQLite runs while ``action`` works on the storage."""
    db: sqlite3.Connection = storage._db
    counted = [0]

    def tick() -> int:
        counted[0] += 1
        return 0

    db.set_progress_handler(tick, 1)
    try:
        action()
    finally:
        db.set_progress_handler(None, 1)
    return counted[0]


def steps_to_store(storage: SqliteStorage, item: Article) -> int:
    """Steps to store (here: replace) one article."""
    return sqlite_steps(storage, lambda: storage.store([item]))


def test_storing_costs_the_same_with_ten_times_more_stored(tmp_path: Path) -> None:
    """The first schema deleted an article's FTS row by an unindexed column: a scan of every row."""
    storage = SqliteStorage(tmp_path / "articles.sqlite")
    try:
        storage.store([article(n) for n in range(1_000)])
        small = steps_to_store(storage, article(500))
        storage.store([article(n) for n in range(1_000, 10_000)])
        large = steps_to_store(storage, article(500))
    finally:
        storage.close()
    assert large < 1.2 * small, f"{small} steps at 1,000 articles, {large} at 10,000"


def steps_to_get(storage: SqliteStorage, doc_ids: list[str]) -> int:
    def get() -> None:
        assert len(storage.get_many(doc_ids)) == len(doc_ids)

    return sqlite_steps(storage, get)


def test_reading_by_id_is_a_key_look_up(tmp_path: Path) -> None:
    """The article view's look-up: the unique index on the id, then the document by its rowid."""
    storage = SqliteStorage(tmp_path / "articles.sqlite")
    try:
        plan = [row[3] for row in storage._db.execute("EXPLAIN QUERY PLAN " + GET_SQL.format(marks="?, ?"),
                                                       ["0" * 40, "1" * 40])]
        assert plan and all(step.startswith("SEARCH") for step in plan), plan
        storage.store([article(n) for n in range(200)])
        wanted = [article(n).doc_id for n in (7, 150, 199)]
        small = steps_to_get(storage, wanted)
        storage.store([article(n) for n in range(200, 4_000)])
        large = steps_to_get(storage, wanted)
    finally:
        storage.close()
    assert large < 1.2 * small, f"{small} steps at 200 articles, {large} at 4,000"


def counting_decodes(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    decoded = [0]
    original: Callable[[dict[str, object]], Article] = Article.from_dict

    def from_dict(data: dict[str, object]) -> Article:
        decoded[0] += 1
        return original(data)

    monkeypatch.setattr(Article, "from_dict", staticmethod(from_dict))
    return decoded


@pytest.mark.parametrize("sort", ["relevance", "date"])
def test_a_search_decodes_only_the_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sort: str) -> None:
    storage = SqliteStorage(tmp_path / "articles.sqlite")
    try:
        storage.store([article(n, story=f"s{n % 500}") for n in range(1_200)])
        decoded = counting_decodes(monkeypatch)
        result = storage.search(SearchRequest(query="خبر", sort=sort, limit=20, offset=40, facets=True,  # type: ignore[arg-type]
                                              histogram=True, collapse=True))
    finally:
        storage.close()
    assert (result.total, result.stories, len(result.hits), decoded[0]) == (1_200, 500, 20, 20)
    assert all(hit.story_size == 3 for hit in result.hits)


def test_too_many_candidates_to_confirm_gives_upper_bounds_and_an_exact_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """«مصر NEAR/0 مصر» (two sides that may be one token) is a superset in FTS5: «مصر» anywhere."""
    monkeypatch.setattr(sqlite_search, "RECHECK_LIMIT", 5)
    twice = [article(n, body=f"قالت مصر مصر في الخبر {n}.") for n in range(4)]
    once = [article(n, body=f"قالت مصر في الخبر {n}.") for n in range(4, 12)]
    storage = SqliteStorage(tmp_path / "articles.sqlite")
    try:
        storage.store(twice + once)
        result = storage.search(SearchRequest(query="مصر NEAR/0 مصر", limit=3, collapse=True, facets=True))
        under = storage.search(SearchRequest(query="مصر NEAR/0 مصر", sources=("techwave",), limit=3))
        monkeypatch.setattr(sqlite_search, "RECHECK_LIMIT", 100)
        exact = storage.search(SearchRequest(query="مصر NEAR/0 مصر", limit=3, facets=True))
    finally:
        storage.close()
    assert (result.total, result.total_exact, result.stories) == (12, False, 12)
    assert [hit.article.canonical_url for hit in result.hits] == [a.canonical_url for a in twice[:3]]
    assert result.facets["source"] == [("techwave", 12)]
    assert (under.total, under.total_exact) == (12, False)
    assert (exact.total, exact.total_exact, exact.facets["source"]) == (4, True, [("techwave", 4)])
