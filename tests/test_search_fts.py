"""The FTS5 expression of a query: exact where flagged exact, a superset otherwise, on a real index.

The parity articles are stored in a SQLite index; each query's expression is run on its FTS5
table alone (no filters, no confirmation by the matcher) and compared with the matcher.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_search_parity import ARTICLES, QUERIES

from indexer.alerts import Rule, RuleMatcher, parse_query
from indexer.search.fts import MAX_EXPANSION, fts_query
from indexer.storage.sqlite import SqliteStorage


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Iterator[sqlite3.Connection]:
    path = Path(tmp_path_factory.mktemp("fts")) / "articles.sqlite"
    storage = SqliteStorage(path)
    storage.store(ARTICLES)
    storage.close()
    db = sqlite3.connect(path)
    db.execute("CREATE VIRTUAL TABLE temp.vocab USING fts5vocab(main, articles_fts, row)")
    yield db
    db.close()


def known(db: sqlite3.Connection) -> object:
    def lookup(keys: set[str]) -> set[str]:
        listed = sorted(keys)
        rows = db.execute(f"SELECT term FROM temp.vocab WHERE term IN ({', '.join('?' for _ in listed)})", listed)
        return {row[0] for row in rows}

    return lookup


def fts_urls(db: sqlite3.Connection, query: str) -> tuple[set[str], bool]:
    translated = fts_query(parse_query(query), known(db))  # type: ignore[arg-type]
    rows = db.execute("SELECT a.canonical_url FROM articles_fts f JOIN articles a ON a.n = f.rowid "
                      "WHERE articles_fts MATCH ?", (translated.expression,))
    return {row[0] for row in rows}, translated.exact


def matched(query: str) -> set[str]:
    matcher = RuleMatcher([Rule.from_query("fts", query)])
    return {article.canonical_url for article in ARTICLES if matcher.match_article(article)}


@pytest.mark.parametrize("query", QUERIES)
def test_exact_expressions_match_what_the_matcher_matches(index: sqlite3.Connection, query: str) -> None:
    found, exact = fts_urls(index, query)
    wanted = matched(query)
    if exact:
        assert found == wanted, f"missed {sorted(wanted - found)}, extra {sorted(found - wanted)}"
    else:
        assert found >= wanted, f"a superset misses {sorted(wanted - found)}"


@pytest.mark.parametrize(
    ("query", "exact"),
    [
        ("أذربيجان", True),
        ("مصر OR أذربيجان -وفد", True),
        ('"الذكاء الاصطناعي"', True),  # keys the index does not hold are dropped before the product
        ('="الذكاء الاصطناعي"', True),
        ("وزير NEAR/3 أذربيجان", True),
        ('(مصر OR تونس) NEAR/4 "الذكاء الاصطناعي"', True),
        ("أذربيجان -(مصر OR تونس)", True),
        ('"=الذكاء الاصطناعي"', True),  # «=» inside quotes is no marker: one kind
        ("=الوزير NEAR/2 سفير", False),  # exact and inflected words in one NEAR
        ("مصر NEAR/5 مصر", False),  # the two sides may be the same token
        ("وزير NEAR/1 الاتصالات NEAR/3 مصر", False),  # a NEAR inside a NEAR
        ("أذربيجان -(مصر NEAR/5 مصر)", False),  # the exclusion of a superset is left out
    ],
)
def test_which_queries_are_exact(index: sqlite3.Connection, query: str, exact: bool) -> None:
    found, flagged = fts_urls(index, query)
    assert flagged is exact
    if exact:
        assert found == matched(query)
    else:
        assert found >= matched(query)


def test_a_phrase_with_too_many_combinations_is_a_superset(index: sqlite3.Connection) -> None:
    """Every key of every word present (an index holding them all), the product above the cap."""
    query = parse_query('"الشركة الوزير البيانات"')
    every = fts_query(query, lambda keys: keys)
    assert not every.exact and every.expression.count("NEAR") == 0 and " AND " in every.expression
    assert fts_query(query, known(index)).exact  # on the real vocabulary only a few keys are held
    assert MAX_EXPANSION < 8 * 10 * 9


def test_keys_are_quoted_never_raw_query_text(index: sqlite3.Connection) -> None:
    expression = fts_query(parse_query('"} NEAR( x" OR a*'), lambda keys: keys).expression
    assert "NEAR(" not in expression and "*" not in expression
    index.execute("SELECT count(*) FROM articles_fts WHERE articles_fts MATCH ?", (expression,)).fetchone()
