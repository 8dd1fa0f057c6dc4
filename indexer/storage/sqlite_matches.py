"""The SQL of a search request's candidates in the SQLite index: the FTS5 expression and the filters."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime

from indexer.search.fts import fts_query
from indexer.search.plan import SearchPlan
from indexer.storage.base import SearchRequest

MATCH = "articles_fts MATCH ?"


@dataclass(frozen=True)
class Matches:
    """The candidates over ``articles a`` (``f`` the FTS table when there is a query)."""

    tables: str  # FROM …
    where: str  # … WHERE (never empty)
    params: list[object]
    fts: str | None  # the FTS5 expression, None for the empty query
    exact: bool  # the candidates are exactly the matches
    filtered: bool  # the request has filters

    @property
    def looked_up(self) -> str:
        """``where`` over ``articles a`` alone: the FTS matches as a list of rowids."""
        return self.where.replace(MATCH, f"a.n IN (SELECT rowid FROM articles_fts WHERE {MATCH})", 1)


def matches_of(db: sqlite3.Connection, plan: SearchPlan, request: SearchRequest) -> Matches:
    conditions, params = filters(request)
    if plan.query is None:
        return Matches("articles a", " AND ".join(conditions) or "1", params, None, True, bool(conditions))

    def known(keys: set[str]) -> set[str]:
        listed = sorted(keys)
        marks = ", ".join("?" for _ in listed)
        return {row[0] for row in db.execute(f"SELECT term FROM temp.articles_vocab WHERE term IN ({marks})", listed)}

    fts = fts_query(plan.query, known)
    return Matches("articles_fts f JOIN articles a ON a.n = f.rowid", " AND ".join([MATCH, *conditions]),
                   [fts.expression, *params], fts.expression, fts.exact, bool(conditions))


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
