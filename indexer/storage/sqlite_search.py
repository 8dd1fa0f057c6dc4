"""Search over the SQLite index: ranking and paging in SQL, counts over integer columns.

The page: without collapse, two statements — the count (from the FTS5 index alone when there is
no filter) and the page, by rank from the FTS5 index (``ORDER BY rank LIMIT``) or by date along
the ``articles_dated`` index, stopping at the page's last row. Collapsed, the matches are read in
page order (the same statements without LIMIT, one batch at a time) until the page holds
``limit`` stories, each article's story looked up in the columns. Facets, the histogram and the
stories are counted with numpy over the matches' article numbers
(:mod:`indexer.storage.sqlite_counts`, :mod:`indexer.storage.sqlite_columns`). Only the page's
articles are decoded, and the matcher runs on them for the highlights. A search reads one
snapshot of the file (one read transaction).

When the FTS5 expression is only a superset of the matches (see :mod:`indexer.search.fts`), the
candidates are confirmed with the matcher: all of them when there are at most ``RECHECK_LIMIT``
(the counts stay exact), else only as many, in page order, as it takes to fill the page; the
total, stories, facets and histogram are then counted over the candidates, upper bounds, and the
result says so (``total_exact`` False).
"""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Iterator
from datetime import datetime

import numpy as np

from core.article import Article
from core.errors import StorageError, UsageError
from indexer.search.hits import make_hit
from indexer.search.plan import SearchPlan, check_request, compile_plan
from indexer.storage.base import SearchHit, SearchRequest, SearchResult
from indexer.storage.sqlite_columns import Columns, Floats, Ints, load
from indexer.storage.sqlite_counts import facets, histogram, stories, story_members
from indexer.storage.sqlite_matches import Matches, matches_of

logger = logging.getLogger(__name__)

RECHECK_LIMIT = 2_000  # candidates confirmed one by one to keep the counts exact
_BATCH = 500  # rows read, or articles decoded, at a time
_Row = tuple[int, float]  # (n, score)


class SqliteSearch:
    """One search on one connection."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db
        self._ranks: tuple[Ints, Floats] | None = None  # every candidate's (n, rank), when by rank alone

    def run(self, request: SearchRequest) -> SearchResult:
        zone = check_request(request)
        plan = compile_plan(request.query)
        began = not self.db.in_transaction
        if began:
            self.db.execute("BEGIN")
        try:
            matches = matches_of(self.db, plan, request)
            counted = request.collapse or request.facets or request.histogram
            if matches.exact and not request.collapse:
                result = self._page_alone(plan, request, matches)
            columns = load(self.db) if counted or not matches.exact else None
            if columns is not None:
                members, exact = self._members(plan, matches, columns)
                if request.collapse or not matches.exact:
                    result = self._streamed_page(plan, request, matches, columns, members, exact)
                result.total, result.total_exact = len(members), exact
                if request.collapse:
                    result.stories = stories(columns, members)
                if request.facets:
                    result.facets = facets(self.db, columns, members)
                if request.histogram:
                    result.histogram = histogram(columns, members, zone)
            return result
        except sqlite3.Error as exc:
            raise _error(exc, request.query) from exc
        finally:
            if began:
                self.db.commit()  # ends the read snapshot; nothing was written

    def iter_matching(self, query: str, since: datetime | None, match: str) -> Iterator[Article]:
        """Every match newer than ``since``, in storage order, read in batches (streaming)."""
        plan = compile_plan(query, match)
        try:
            matches = matches_of(self.db, plan, SearchRequest(query=query, since=since))
        except sqlite3.Error as exc:
            raise _error(exc, query) from exc
        last = 0
        while True:
            sql = (f"SELECT a.n, d.doc FROM {matches.tables} JOIN article_docs d ON d.n = a.n "
                   f"WHERE {matches.where} AND a.n > ? ORDER BY a.n LIMIT {_BATCH}")
            try:
                rows = self.db.execute(sql, (*matches.params, last)).fetchall()
            except sqlite3.Error as exc:
                raise _error(exc, query) from exc
            for n, doc in rows:
                article = Article.from_dict(json.loads(doc))
                if plan.matches(article):
                    yield article
                last = n
            if len(rows) < _BATCH:
                return

    # -- the page of an exact, uncollapsed search ------------------------------------------

    def _page_alone(self, plan: SearchPlan, request: SearchRequest, matches: Matches) -> SearchResult:
        wanted = request.offset + request.limit
        if _by_rank_alone(request, matches):
            numbers, ranks = self._ranked(matches)
            total = len(numbers)
            if wanted < total:  # the first ``wanted`` and every candidate tied with the last of them
                chosen = np.flatnonzero(ranks <= np.partition(ranks, wanted - 1)[wanted - 1])
            else:
                chosen = np.arange(total)
            rows = list(self._untie(_rows(numbers, ranks, chosen[np.argsort(ranks[chosen], kind="stable")])))
        else:
            total = self._one(f"SELECT count(*) FROM {matches.tables} WHERE {matches.where}", matches.params)
            sql, params = self._order(request, matches)
            rows = self.db.execute(f"{sql} LIMIT ?", (*params, wanted)).fetchall()
        page = rows[request.offset:wanted]
        return SearchResult(total=total, hits=[hit for _, hit in self._hits(plan, request, page)])

    def _ranked(self, matches: Matches) -> tuple[Ints, Floats]:
        """Every candidate's number and rank, in one pass over the FTS5 index (read once a search).
        FTS5 computes the rank of every match whatever the LIMIT; reading them all unsorted and
        choosing the page with numpy spares its sorter, the count and a second pass for the
        matches' numbers (facets, stories)."""
        if self._ranks is None:
            rows = self.db.execute("SELECT rowid, rank FROM articles_fts WHERE articles_fts MATCH ?",
                                   (matches.fts,)).fetchall()
            both = np.fromiter(rows, dtype=[("n", np.int64), ("rank", np.float64)], count=len(rows))
            self._ranks = (both["n"], both["rank"])
        return self._ranks

    def _stream(self, request: SearchRequest, matches: Matches) -> Iterator[_Row]:
        """Every candidate in page order, read one batch at a time."""
        if _by_rank_alone(request, matches):
            numbers, ranks = self._ranked(matches)
            return self._untie(_rows(numbers, ranks, np.argsort(ranks, kind="stable")))
        sql, params = self._order(request, matches)
        cursor = self.db.execute(sql, params)

        def rows() -> Iterator[_Row]:
            while batch := cursor.fetchmany(_BATCH):
                yield from batch

        return rows()

    def _order(self, request: SearchRequest, matches: Matches) -> tuple[str, list[object]]:
        """The candidates in page order when not by rank alone (:meth:`_ranked`): by date along
        articles_dated (the FTS matches looked up, not scored), or joined with the filters and
        sorted in full."""
        if request.sort == "date" or matches.fts is None:
            return (f"SELECT a.n, 0.0 FROM articles a INDEXED BY articles_dated WHERE {matches.looked_up} "
                    "ORDER BY a.dated_utc DESC, a.canonical_url"), matches.params
        return (f"SELECT a.n, f.rank FROM {matches.tables} WHERE {matches.where} "
                "ORDER BY f.rank, a.dated_utc DESC, a.canonical_url"), matches.params

    def _untie(self, rows: Iterator[_Row]) -> Iterator[_Row]:
        """Rows ordered by rank, with each run of equal ranks ordered newest first, then by URL."""
        tied: list[_Row] = []
        for row in rows:
            if tied and row[1] != tied[-1][1]:
                yield from self._untied(tied)
                tied = []
            tied.append(row)
        yield from self._untied(tied)

    def _untied(self, tied: list[_Row]) -> list[_Row]:
        """Rows of equal rank, newest first, then by URL."""
        if len(tied) < 2:
            return tied
        marks = ", ".join("?" for _ in tied)
        keys = {n: (dated, url) for n, dated, url in self.db.execute(
            f"SELECT n, dated_utc, canonical_url FROM articles WHERE n IN ({marks})", [n for n, _ in tied])}
        tied = sorted(tied, key=lambda row: keys[row[0]][1])
        return sorted(tied, key=lambda row: keys[row[0]][0], reverse=True)

    # -- the matches, as article numbers, and the pages read from them -----------------------

    def _members(self, plan: SearchPlan, matches: Matches, columns: Columns) -> tuple[Ints, bool]:
        """The matches' article numbers, and whether they are exact (not unconfirmed candidates)."""
        if matches.fts is None and not matches.filtered:
            return columns.present, True
        if matches.fts is not None and not matches.filtered:
            members = np.sort(self._ranked(matches)[0], kind="stable")  # radix sort; FTS5 gives rowid order
        else:
            (listed,) = self.db.execute(f"SELECT group_concat(a.n) FROM {matches.tables} WHERE {matches.where}",
                                        matches.params).fetchone()
            members = np.sort(np.array(listed.split(",") if listed else [], dtype=np.int64))
        if matches.exact or len(members) > RECHECK_LIMIT:
            return members, matches.exact
        confirmed = [n for n, article in self._articles(members.tolist()) if plan.matches(article)]
        return np.array(confirmed, dtype=np.int64), True

    def _streamed_page(self, plan: SearchPlan, request: SearchRequest, matches: Matches, columns: Columns,
                       members: Ints, exact: bool) -> SearchResult:
        """The page read in page order: one hit per story when collapsing; candidates not among
        ``members`` skipped, and confirmed one by one when ``exact`` is False."""
        wanted = request.offset + request.limit
        inside = set(members.tolist()) if exact and not matches.exact else None
        seen: set[int] = set()
        found: list[tuple[int, SearchHit]] = []
        pending: list[_Row] = []
        for row in self._stream(request, matches):
            story = int(columns.story[row[0]])
            if (inside is not None and row[0] not in inside) or (request.collapse and story in seen):
                continue
            if exact:
                seen.add(story)
                pending.append(row)
                if len(pending) == wanted:
                    break
                continue
            for n, hit in self._hits(plan, request, [row], confirming=True):
                seen.add(int(columns.story[n]))
                found.append((n, hit))
            if len(found) == wanted:
                break
        page = self._hits(plan, request, pending[request.offset:]) if exact else found[request.offset:]
        if request.collapse:
            chosen = [int(columns.story[n]) for n, _ in page]
            counts = story_members(self.db, columns, members, chosen)
            for (_, hit), story in zip(page, chosen, strict=True):
                hit.story_size = max(1, sum(counts.get(story, {}).values()))
                hit.story_sources = sorted(set(counts.get(story, {})) - {hit.article.source})
        return SearchResult(total=len(members), hits=[hit for _, hit in page])

    # -- hits ------------------------------------------------------------------------------

    def _hits(self, plan: SearchPlan, request: SearchRequest, rows: list[_Row],
              confirming: bool = False) -> list[tuple[int, SearchHit]]:
        """Hits of ``rows`` in order; an article the query does not match is left out (expected
        when ``confirming`` candidates, else the index and the matcher disagree: logged)."""
        hits = []
        scores = dict(rows)
        for n, article in self._articles(list(scores)):
            hit = make_hit(plan, article, -float(scores[n]))
            if hit is None:
                if not confirming:
                    logger.warning("the SQLite index and the matcher disagree on %s for %r: left out of the page",
                                   article.canonical_url, request.query)
                continue
            hits.append((n, hit))
        return hits

    def _articles(self, listed: list[int]) -> Iterator[tuple[int, Article]]:
        """The articles numbered ``listed``, in that order, decoded in batches."""
        for start in range(0, len(listed), _BATCH):
            batch = listed[start:start + _BATCH]
            marks = ", ".join("?" for _ in batch)
            docs = dict(self.db.execute(f"SELECT n, doc FROM article_docs WHERE n IN ({marks})", batch).fetchall())
            for n in batch:
                yield n, Article.from_dict(json.loads(docs[n]))

    def _one(self, sql: str, params: tuple[object, ...] | list[object] = ()) -> int:
        return int(self.db.execute(sql, params).fetchone()[0])


def _by_rank_alone(request: SearchRequest, matches: Matches) -> bool:
    """Page order is the FTS5 rank with nothing to join (ties ordered by ``_untie``)."""
    return request.sort == "relevance" and matches.fts is not None and not matches.filtered


def _rows(numbers: Ints, ranks: Floats, order: Ints) -> Iterator[_Row]:
    for i in order.tolist():
        yield int(numbers[i]), float(ranks[i])


def _error(exc: sqlite3.Error, query: str) -> Exception:
    """An FTS5 error is about the query (UsageError); any other is the index's (StorageError)."""
    message = str(exc)
    if message.startswith("fts5:"):
        return UsageError(f"search query {query!r} is more than the SQLite index can run ({message})")
    return StorageError(f"SQLite search failed: {message}")
