"""Search at scale: SQLite indexing speed as the index grows, and search latency on both backends.

    .venv/bin/python bench/bench_search.py [--size 100000] [--runs 3] [--repeat 5] [--rebuild]

Corpus: bench/search_corpus.py (the project's own texts recombined, CLDR territory names), ``--size``
articles plus 1,000 more for the last indexing window. Both indexes are built once and kept — the
SQLite file in data/bench/, the Elasticsearch index ``marsad-bench-search-<size>`` on the node of
``scripts/elasticsearch start`` (or MARSAD_ES_URL) — and reused while their counts match; building
is what the indexing table measures (``--rebuild`` builds again).

Indexing (SQLite): articles per second of storing 1,000 new articles (batches of 100, the
pipeline's default) when 1,000, 10,000 and ``--size`` are stored, and of storing again (replacing)
1,000 random stored ones with their text edited (a paragraph added: an unchanged article never
reaches the index, the dedup stage drops it); the first schema's writer (DELETE by an UNINDEXED
id, then INSERT) is timed at 1,000 and 10,000 stored in the same run, on a copy loaded without it.

Latency: each query of each type, ``--repeat`` times per run, SQLite and Elasticsearch one after the
other, 20 results a page, after one warm-up pass; p50 and p95 per type and backend in each run,
the median over ``--runs`` runs printed. The previous SQLite search (every candidate decoded and
matched, no LIMIT) is timed once on the single-term and phrase queries for comparison.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sqlite3
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import timedelta
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from search_corpus import NOW, corpus

from core.article import Article
from indexer.analysis import index_terms, norm_terms
from indexer.search.fts import fts_query
from indexer.search.plan import compile_plan
from indexer.storage import sqlite_columns
from indexer.storage.base import SearchRequest, Storage
from indexer.storage.elastic import ElasticsearchStorage
from indexer.storage.sqlite import SqliteStorage, dated_utc

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "elasticsearch"
BATCH = 100
WINDOW = 1_000
UPDATE_NOTE = "وقد جرى تحديث هذا الخبر بعد نشره بمعلومات إضافية من المصدر."


@dataclass(frozen=True)
class Case:
    kind: str
    request: SearchRequest


def cases() -> list[Case]:
    month, quarter = NOW - timedelta(days=30), NOW - timedelta(days=90)
    facets = {"facets": True, "histogram": True, "timezone": "Asia/Riyadh"}
    return [
        *(Case("single term", SearchRequest(q)) for q in ("الاتصالات", "أذربيجان", "السنغال", "الحوسبة")),
        *(Case("phrase", SearchRequest(q)) for q in ('"الذكاء الاصطناعي"', '"مراكز البيانات"', '"الجيل الخامس"',
                                                      '"وزارة الاتصالات"')),
        *(Case("boolean with exclusion", SearchRequest(q)) for q in (
            "الاتصالات -مصر", "(الحوسبة OR السحابية) -الاصطناعي", "أذربيجان -باكو", "البيانات مصر -السعودية")),
        *(Case("date filter", SearchRequest(q, since=since)) for q, since in (
            ("الاتصالات", month), ("أذربيجان", quarter), ('"الذكاء الاصطناعي"', month), ("", month))),
        *(Case("facets + histogram", SearchRequest(q, **facets)) for q in (  # type: ignore[arg-type]
            "الاتصالات", "أذربيجان", '"الذكاء الاصطناعي"', "")),
        *(Case("collapsed by story", SearchRequest(q, collapse=True)) for q in (
            "الاتصالات", "أذربيجان", '"مراكز البيانات"', "السنغال")),
    ]


# -- indexing --------------------------------------------------------------------------------------

def rate(store: Callable[[Sequence[Article]], object], articles: Sequence[Article]) -> float:
    started = time.perf_counter()
    for start in range(0, len(articles), BATCH):
        store(articles[start:start + BATCH])
    return len(articles) / (time.perf_counter() - started)


def build_sqlite(path: Path, articles: list[Article], size: int, runs: int) -> list[list[str]]:
    """Build the index from scratch; at 1,000, 10,000 and ``size`` stored, time ``runs`` windows of
    1,000 new articles (removed again after each) and of 1,000 stored ones stored again (replaced)."""
    path.unlink(missing_ok=True)
    storage = SqliteStorage(path)
    rng = random.Random(1)
    rows: list[list[str]] = []
    stored = 0
    started = time.perf_counter()
    for mark in sorted({1_000, 10_000, size}):
        rate(storage.store, articles[stored:mark])
        stored = mark
        window = articles[stored:stored + WINDOW]
        new = []
        for _ in range(runs):
            new.append(rate(storage.store, window))
            forget(storage, window)
        again = []
        for _ in range(runs):
            sample = rng.sample(articles[:stored], WINDOW)
            again.append(rate(storage.store, [edited(item) for item in sample]))
            storage.store(sample)  # the corpus' text again (not timed): both backends hold the same articles
        rows.append([f"{mark:,}", f"{statistics.median(new):,.0f}", f"{statistics.median(again):,.0f}"])
    rate(storage.store, articles[stored:stored + WINDOW])
    stored += WINDOW
    total = time.perf_counter() - started
    storage.close()
    rows.append([f"whole build ({stored:,}, windows included)", f"{stored / total:,.0f}", ""])
    return rows


def edited(article: Article) -> Article:
    """The article as its source updated it: one paragraph more."""
    return replace(article, body=f"{article.body}\n\n{UPDATE_NOTE}", content_hash="")


def forget(storage: SqliteStorage, articles: Sequence[Article]) -> None:
    """Remove articles the window stored (not timed): the next window stores them as new again."""
    db = storage._db
    with db:
        ids = [(article.doc_id,) for article in articles]
        numbers = [(n,) for (n,) in (db.execute("SELECT n FROM articles WHERE id = ?", i).fetchone() for i in ids)]
        for table in ("articles_fts WHERE rowid", "article_docs WHERE n", "article_entities WHERE n",
                      "articles WHERE n"):
            db.executemany(f"DELETE FROM {table} = ?", numbers)
        sqlite_columns.clear(db, [n for (n,) in numbers])


V1 = """
CREATE TABLE articles (id TEXT PRIMARY KEY, canonical_url TEXT NOT NULL, source TEXT NOT NULL,
                       dated_utc TEXT NOT NULL, doc TEXT NOT NULL, story_id TEXT);
CREATE VIRTUAL TABLE articles_fts USING fts5(id UNINDEXED, title_terms, body_terms, title_norm, body_norm,
                                             tokenize = 'unicode61 remove_diacritics 0');
"""


def v1_store(db: sqlite3.Connection, articles: Sequence[Article], delete: bool = True) -> None:
    """The first schema's store(): INSERT … ON CONFLICT, DELETE FROM articles_fts WHERE id = ?, INSERT."""
    with db:
        for item in articles:
            db.execute("INSERT INTO articles VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET "
                       "doc = excluded.doc", (item.doc_id, item.canonical_url, item.source, dated_utc(item),
                        json.dumps(item.to_dict(), ensure_ascii=False), item.story_id))
            if delete:
                db.execute("DELETE FROM articles_fts WHERE id = ?", (item.doc_id,))
            db.execute("INSERT INTO articles_fts VALUES (?, ?, ?, ?, ?)", (
                item.doc_id, " ".join(index_terms(item.title)), " ".join(index_terms(item.body)),
                " ".join(norm_terms(item.title)), " ".join(norm_terms(item.body))))


def previous_indexing(folder: Path, articles: list[Article], runs: int) -> list[list[str]]:
    rows = []
    for mark in (1_000, 10_000):
        path = folder / "v1.sqlite"
        path.unlink(missing_ok=True)
        db = sqlite3.connect(path)
        db.executescript(V1)
        v1_store(db, articles[:mark], delete=False)  # loading without the scan: only the windows are timed
        window = articles[mark:mark + WINDOW // 5]
        new = statistics.median(rate(partial(v1_store, db), window) for _ in range(runs))  # replaced after the first
        db.close()
        rows.append([f"{mark:,} (first schema)", f"{new:,.0f}", ""])
    (folder / "v1.sqlite").unlink(missing_ok=True)
    return rows


def open_elastic(size: int) -> ElasticsearchStorage:
    url = os.environ.get("MARSAD_ES_URL")
    index = f"marsad-bench-search-{size}"
    if url:
        return ElasticsearchStorage(url, index, 300, user=os.environ.get("MARSAD_ES_USER"),
                                    password=os.environ.get("MARSAD_ES_PASSWORD"),
                                    api_key=os.environ.get("MARSAD_ES_API_KEY"))
    started = subprocess.run([SCRIPT, "start"], capture_output=True, text=True, timeout=900, check=False)
    if started.returncode != 0:
        sys.exit(f"scripts/elasticsearch start failed:\n{started.stderr}")
    password = subprocess.run([SCRIPT, "password"], capture_output=True, text=True, timeout=60, check=True)
    return ElasticsearchStorage(started.stdout.strip().splitlines()[-1], index, 300, user="marsad",
                                password=password.stdout.strip())


def build_elastic(size: int, articles: list[Article]) -> float:
    """Index ``articles`` into a new index (batches of 500); articles per second."""
    storage = open_elastic(size)
    storage._es.indices.delete(index=storage.index, ignore_unavailable=True)
    storage.close()
    storage = open_elastic(size)
    started = time.perf_counter()
    for start in range(0, len(articles), 500):
        storage.store(articles[start:start + 500])
    elapsed = time.perf_counter() - started
    storage.close()
    return len(articles) / elapsed


# -- latency ---------------------------------------------------------------------------------------

def timed_search(storage: Storage, request: SearchRequest) -> tuple[float, int]:
    started = time.perf_counter()
    result = storage.search(request)
    return (time.perf_counter() - started) * 1_000, result.total


def latency(backends: dict[str, Storage], args: argparse.Namespace) -> list[list[str]]:
    all_cases = cases()
    totals: dict[tuple[str, str], list[int]] = {}
    for case in all_cases:  # warm-up, and the numbers of matches
        for name, storage in backends.items():
            totals.setdefault((case.kind, name), []).append(timed_search(storage, case.request)[1])
    runs: list[dict[tuple[str, str], list[float]]] = []
    for _ in range(args.runs):
        samples: dict[tuple[str, str], list[float]] = {}
        for _ in range(args.repeat):
            for case in all_cases:
                for name, storage in backends.items():
                    samples.setdefault((case.kind, name), []).append(timed_search(storage, case.request)[0])
        runs.append(samples)
    rows = []
    for kind in dict.fromkeys(case.kind for case in all_cases):
        for name in backends:
            p50 = statistics.median(statistics.median(run[(kind, name)]) for run in runs)
            p95 = statistics.median(percentile(run[(kind, name)], 95) for run in runs)
            matches = totals[(kind, name)]
            rows.append([kind, name, f"{min(matches):,}–{max(matches):,}", f"{p50:,.0f}", f"{p95:,.0f}"])
    return rows


def percentile(values: list[float], share: int) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share / 100 * (len(ordered) - 1)))]


def previous_search(storage: SqliteStorage, query: str) -> float:
    """The first search(): every candidate of the FTS5 expression decoded and matched, no LIMIT."""
    plan = compile_plan(query)
    assert plan.query is not None
    db = storage._db
    expression = fts_query(plan.query, lambda keys: keys).expression
    started = time.perf_counter()
    rows = db.execute("SELECT d.doc FROM articles a JOIN articles_fts f ON f.rowid = a.n JOIN article_docs d "
                      "ON d.n = a.n WHERE articles_fts MATCH ? ORDER BY f.rank, a.dated_utc DESC",
                      (expression,)).fetchall()
    matching = [a for a in (Article.from_dict(json.loads(doc)) for (doc,) in rows) if plan.matches(a)]
    assert matching is not None
    return (time.perf_counter() - started) * 1_000


def table(header: list[str], rows: list[list[str]]) -> None:
    print("| " + " | ".join(header) + " |")
    print("|" + "|".join("---" if i == 0 else "---:" for i in range(len(header))) + "|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    print()


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=5, help="searches per query and backend in a run")
    parser.add_argument("--rebuild", action="store_true", help="build both indexes again")
    parser.add_argument("--no-elasticsearch", action="store_true")
    args = parser.parse_args()
    folder = ROOT / "data" / "bench"
    folder.mkdir(parents=True, exist_ok=True)
    if args.size < 10_000 + 2 * WINDOW:
        parser.error("--size must be at least 12,000")
    articles = list(corpus(args.size + WINDOW))
    path = folder / f"search-{args.size}.sqlite"
    expected = len(articles)  # the build stores them all: the windows follow each other
    if args.rebuild or not path.exists() or SqliteStorage(path).count() != expected:
        print(f"SQLite indexing, articles/s ({args.size:,} + windows of {WINDOW:,}, batches of {BATCH})\n")
        rows = build_sqlite(path, articles, args.size, args.runs)
        rows += previous_indexing(folder, articles, args.runs)
        table(["stored", "new articles/s", "replaced articles/s"], rows)
    backends: dict[str, Storage] = {"sqlite": SqliteStorage(path)}
    if not args.no_elasticsearch:
        elastic = open_elastic(args.size)
        if args.rebuild or elastic.count() != expected:
            elastic.close()
            print(f"Elasticsearch indexing (store(), batches of 500): {build_elastic(args.size, articles):,.0f} "
                  "articles/s\n")
            elastic = open_elastic(args.size)
        backends["elasticsearch"] = elastic
    print(f"Search latency, ms ({expected:,} articles, 20 per page; median of {args.runs} runs of "
          f"{args.repeat} searches per query)\n")
    table(["query type", "backend", "matches", "p50", "p95"], latency(backends, args))
    sqlite = backends["sqlite"]
    assert isinstance(sqlite, SqliteStorage)
    rows = [[query, f"{timed_search(sqlite, SearchRequest(query))[0]:,.0f}", f"{previous_search(sqlite, query):,.0f}"]
            for query in ("الاتصالات", '"الذكاء الاصطناعي"')]
    table(["query", "SQLite search ms", "previous search() ms"], rows)
    for storage in backends.values():
        storage.close()


if __name__ == "__main__":
    main()
