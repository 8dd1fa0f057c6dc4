"""Search over the SQLite index: ranking, paging, collapse and counts in SQL.

The matches of a request go into a temporary table once — the FTS5 expression (exact for most
queries, see :mod:`indexer.search.fts`) joined with the filters — and the total, the page, the
stories, the facets and the histogram are SQL over that table. Only the page's articles are
decoded, and the matcher runs on them for the highlights.

When the FTS5 expression is only a superset of the matches, the candidates are confirmed with the
matcher: all of them when there are at most ``RECHECK_LIMIT`` (the counts stay exact), else only
as many, in page order, as it takes to fill the page; the total, stories, facets and histogram are
then counted over the candidates, upper bounds, and the result says so (``total_exact`` False).
"""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime

from core.article import Article
from core.errors import StorageError, UsageError
from indexer.search.fts import fts_query
from indexer.search.hits import make_hit
from indexer.search.plan import SearchPlan, check_request, compile_plan
from indexer.storage.base import SearchHit, SearchRequest, SearchResult
from indexer.storage.sqlite_counts import count_facets, count_histogram, count_stories, story_members

logger = logging.getLogger(__name__)

RECHECK_LIMIT = 2_000  # candidates confirmed one by one to keep the counts exact
_BATCH = 500  # articles decoded per query when confirming candidates
HITS = "temp.search_hits"
_COLUMNS = "n, score, dated, url, story, source, section, language"
ORDER = {"relevance": "score, dated DESC, url", "date": "dated DESC, url"}


class SqliteSearch:
    """One search on one connection (its temporary table is dropped when done)."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def run(self, request: SearchRequest) -> SearchResult:
        zone = check_request(request)
        plan = compile_plan(request.query)
        self._execute(f"DROP TABLE IF EXISTS {HITS}")
        try:
            exact = self._fill(plan, request)
            result = self._page(plan, request) if exact else self._page_unconfirmed(plan, request)
            result.total_exact = exact
            if request.collapse:
                result.stories = count_stories(self.db, HITS)
            if request.facets:
                result.facets = count_facets(self.db, HITS)
            if request.histogram:
                result.histogram = count_histogram(self.db, HITS, zone)
            return result
        except sqlite3.Error as exc:
            raise _error(exc, request.query) from exc
        finally:
            self._execute(f"DROP TABLE IF EXISTS {HITS}")

    def iter_matching(self, query: str, since: datetime | None, match: str) -> Iterator[Article]:
        """Every match newer than ``since``, in storage order, read in batches (streaming)."""
        plan = compile_plan(query, match)
        select, params, _ = self._select(plan, SearchRequest(query=query, since=since), "a.doc")
        last = 0
        while True:
            try:
                rows = self.db.execute(f"{select} AND a.n > ? ORDER BY a.n LIMIT {_BATCH}", (*params, last)).fetchall()
            except sqlite3.Error as exc:
                raise _error(exc, query) from exc
            for n, doc in rows:
                article = Article.from_dict(json.loads(doc))
                if plan.matches(article):
                    yield article
                last = n
            if len(rows) < _BATCH:
                return

    # -- matches -------------------------------------------------------------------------

    def _select(self, plan: SearchPlan, request: SearchRequest, columns: str) -> tuple[str, list[object], bool]:
        """``SELECT a.n, <columns> FROM … WHERE …`` of the candidates (no ORDER BY), its
        parameters, and whether the candidates are exactly the matches."""
        where, params = filters(request)
        exact = True
        if plan.query is None:
            sql = f"SELECT a.n, {columns} FROM articles a WHERE 1"
        else:
            fts = fts_query(plan.query, self._known)
            exact = fts.exact
            sql = (f"SELECT a.n, {columns} FROM articles_fts f JOIN articles a ON a.n = f.rowid "
                   "WHERE articles_fts MATCH ?")
            params.insert(0, fts.expression)
        return sql + "".join(f" AND {condition}" for condition in where), params, exact

    def _fill(self, plan: SearchPlan, request: SearchRequest) -> bool:
        """Fill the hits table with the matches (or the candidates); True when they are exact."""
        score = "0.0" if plan.query is None else "f.rank"
        select, params, exact = self._select(
            plan, request, f"{score}, a.dated_utc, a.canonical_url, a.story, a.source, a.section, a.language"
        )
        self._execute(f"CREATE TEMP TABLE search_hits ({_COLUMNS})")
        self._execute(f"INSERT INTO {HITS} ({_COLUMNS}) {select}", params)
        if exact:
            return True
        (candidates,) = self._execute(f"SELECT count(*) FROM {HITS}").fetchone()
        if candidates > RECHECK_LIMIT:
            return False
        listed = [row[0] for row in self._execute(f"SELECT n FROM {HITS}")]
        rejected = [(n,) for n, article in self._articles(listed) if not plan.matches(article)]
        self.db.executemany(f"DELETE FROM {HITS} WHERE n = ?", rejected)
        return True

    def _known(self, keys: set[str]) -> set[str]:
        listed = sorted(keys)
        marks = ", ".join("?" for _ in listed)
        rows = self._execute(f"SELECT term FROM temp.articles_vocab WHERE term IN ({marks})", listed)
        return {row[0] for row in rows}

    # -- the page ------------------------------------------------------------------------

    def _page(self, plan: SearchPlan, request: SearchRequest) -> SearchResult:
        (total,) = self._execute(f"SELECT count(*) FROM {HITS}").fetchone()
        order = ORDER[request.sort]
        if request.collapse:
            sql = (f"SELECT n, score, size FROM (SELECT n, score, dated, url, row_number() OVER (PARTITION BY "
                   f"story ORDER BY {order}) AS k, count(*) OVER (PARTITION BY story) AS size FROM {HITS}) "
                   f"WHERE k = 1 ORDER BY {order} LIMIT ? OFFSET ?")
        else:
            sql = f"SELECT n, score, 1 FROM {HITS} ORDER BY {order} LIMIT ? OFFSET ?"
        page = {n: (score, size) for n, score, size in self._execute(sql, (request.limit, request.offset))}
        hits = []
        for n, article in self._articles(list(page)):
            score, size = page[n]
            hit = make_hit(plan, article, -float(score), size)
            if hit is None:
                logger.warning("the SQLite index and the matcher disagree on %s for %r: left out of the page",
                               article.canonical_url, request.query)
                continue
            hits.append(hit)
        if request.collapse:
            self._add_story_sources(hits, sizes=False)
        return SearchResult(total=total, hits=hits)

    def _page_unconfirmed(self, plan: SearchPlan, request: SearchRequest) -> SearchResult:
        """Too many candidates to confirm them all: confirm them in page order until the page is full."""
        (total,) = self._execute(f"SELECT count(*) FROM {HITS}").fetchone()
        wanted = request.offset + request.limit
        found: list[SearchHit] = []
        stories: set[str] = set()
        ordered = self.db.execute(f"SELECT n, score FROM {HITS} ORDER BY {ORDER[request.sort]}")
        while len(found) < wanted and (rows := ordered.fetchmany(_BATCH)):
            scores = dict(rows)
            for n, article in self._articles(list(scores)):
                hit = make_hit(plan, article, -float(scores[n]), 1)
                if hit is None or (request.collapse and story_of(article) in stories):
                    continue
                stories.add(story_of(article))
                found.append(hit)
                if len(found) == wanted:
                    break
        hits = found[request.offset:]
        if request.collapse:
            self._add_story_sources(hits, sizes=True)
        return SearchResult(total=total, hits=hits)

    def _add_story_sources(self, hits: list[SearchHit], sizes: bool) -> None:
        """The other sources of each hit's story among the matches (and its size, if asked)."""
        members = story_members(self.db, HITS, [story_of(hit.article) for hit in hits])
        for hit in hits:
            story = members.get(story_of(hit.article), {})
            hit.story_sources = sorted(set(story) - {hit.article.source})
            if sizes:
                hit.story_size = max(1, sum(story.values()))

    def _articles(self, listed: list[int]) -> Iterator[tuple[int, Article]]:
        """The articles numbered ``listed``, in that order, decoded in batches."""
        for start in range(0, len(listed), _BATCH):
            batch = listed[start:start + _BATCH]
            marks = ", ".join("?" for _ in batch)
            docs = dict(self._execute(f"SELECT n, doc FROM articles WHERE n IN ({marks})", batch).fetchall())
            for n in batch:
                yield n, Article.from_dict(json.loads(docs[n]))

    def _execute(self, sql: str, params: object = ()) -> sqlite3.Cursor:
        return self.db.execute(sql, params)  # type: ignore[arg-type]


def story_of(article: Article) -> str:
    return article.story_id or article.doc_id


def filters(request: SearchRequest) -> tuple[list[str], list[object]]:
    """SQL conditions on ``articles a`` for the request's filters, and their parameters."""
    where: list[str] = []
    params: list[object] = []
    for column, values in (("a.source", request.sources), ("a.section", request.sections),
                           ("a.language", request.languages)):
        if values:
            where.append(f"{column} IN ({', '.join('?' for _ in values)})")
            params.extend(values)
    if request.entities:
        marks = ", ".join("?" for _ in request.entities)
        where.append(f"a.n IN (SELECT n FROM article_entities WHERE name IN ({marks}))")
        params.extend(request.entities)
    if request.since is not None:
        where.append("a.dated_utc >= ?")
        params.append(utc_text(request.since))
    if request.until is not None:
        where.append("a.dated_utc != '' AND a.dated_utc < ?")
        params.append(utc_text(request.until))
    return where, params


def utc_text(when: datetime) -> str:
    """A datetime as the stored ``dated_utc`` text, so the two compare as strings."""
    return when.astimezone(UTC).isoformat()


def _error(exc: sqlite3.Error, query: str) -> Exception:
    """An FTS5 error is about the query (UsageError); any other is the index's (StorageError)."""
    message = str(exc)
    if message.startswith("fts5:"):
        return UsageError(f"search query {query!r} is more than the SQLite index can run ({message})")
    return StorageError(f"SQLite search failed: {message}")
