"""The SQLite index's tables, and the migration of a file written by an older Marsad.

``articles.n`` is an INTEGER PRIMARY KEY (so VACUUM never renumbers it) and is the rowid of the
article's row in the FTS5 table: replacing an article deletes its FTS row by rowid, a b-tree
seek, where the first schema deleted by an UNINDEXED ``id`` column, a scan of the whole table.
The filter and facet values sit in columns of their own (entities in ``article_entities``), so
filters, facets and the histogram are SQL over indexed columns, never over decoded JSON.

The first schema (``articles.id`` TEXT PRIMARY KEY, ``articles_fts.id`` UNINDEXED, no ``n``) is
migrated on open in one transaction: rows and their FTS terms are copied as they are, the
filter columns read from the stored JSON. Other tables in the file are left alone.
"""

from __future__ import annotations

import sqlite3

ARTICLES = """
CREATE TABLE {name} (
    n INTEGER PRIMARY KEY,  -- rowid of the article's terms in articles_fts
    id TEXT NOT NULL UNIQUE,  -- Article.doc_id
    canonical_url TEXT NOT NULL,
    source TEXT NOT NULL,
    section TEXT,
    language TEXT,
    dated_utc TEXT NOT NULL,  -- published, else fetched, ISO 8601 in UTC; '' when undated
    story TEXT NOT NULL,  -- Article.story_id, else the article's own id
    doc TEXT NOT NULL  -- Article.to_dict() as JSON
)"""
FTS = """
CREATE VIRTUAL TABLE {name} USING fts5(
    title_terms, body_terms, title_norm, body_norm,
    tokenize = 'unicode61 remove_diacritics 0'
)"""
ENTITIES = """
CREATE TABLE IF NOT EXISTS article_entities (
    name TEXT NOT NULL,
    kind TEXT NOT NULL,  -- persons, organizations or locations
    n INTEGER NOT NULL,
    PRIMARY KEY (name, kind, n)
) WITHOUT ROWID"""
INDEXES = """
CREATE INDEX IF NOT EXISTS articles_dated ON articles (dated_utc);
CREATE INDEX IF NOT EXISTS articles_source ON articles (source, dated_utc);
CREATE INDEX IF NOT EXISTS articles_story ON articles (story);
CREATE INDEX IF NOT EXISTS article_entities_n ON article_entities (n);
"""
# The vocabulary, to drop query keys no article holds: per connection, nothing stored.
VOCABULARY = "CREATE VIRTUAL TABLE IF NOT EXISTS temp.articles_vocab USING fts5vocab(main, articles_fts, row)"

# Copy of a first-schema file. Entities come from the stored JSON, one row per name and kind.
MIGRATE_V1 = [
    ARTICLES.format(name="articles_v2"),
    """INSERT INTO articles_v2 (id, canonical_url, source, section, language, dated_utc, story, doc)
       SELECT id, canonical_url, source, json_extract(doc, '$.section'), json_extract(doc, '$.language'),
              dated_utc, COALESCE(json_extract(doc, '$.story_id'), id), doc
       FROM articles ORDER BY dated_utc, id""",
    FTS.format(name="articles_fts_v2"),
    """INSERT INTO articles_fts_v2 (rowid, title_terms, body_terms, title_norm, body_norm)
       SELECT a.n, f.title_terms, f.body_terms, f.title_norm, f.body_norm
       FROM articles_fts f JOIN articles_v2 a ON a.id = f.id""",
    "DROP TABLE articles",
    "DROP TABLE articles_fts",
    "ALTER TABLE articles_v2 RENAME TO articles",
    "ALTER TABLE articles_fts_v2 RENAME TO articles_fts",
    ENTITIES,
    """INSERT OR IGNORE INTO article_entities (name, kind, n)
       SELECT e.value, k.kind, a.n
       FROM articles a
       JOIN (SELECT 'persons' AS kind UNION ALL SELECT 'organizations' UNION ALL SELECT 'locations') k
       JOIN json_each(a.doc, '$.entities.' || k.kind) e
       WHERE e.type = 'text'""",
]


INDEX_NAMES = {"articles_dated", "articles_source", "articles_story", "article_entities_n"}


def prepare(db: sqlite3.Connection) -> None:
    """Create the tables, or bring an older file's up to date (in one write transaction, taken
    only when something is missing: opening an up-to-date file to search writes nothing)."""
    if not _up_to_date(db):
        db.execute("BEGIN IMMEDIATE")
        try:
            columns = {row[1] for row in db.execute("PRAGMA table_info(articles)")}
            if not columns:
                db.execute(ARTICLES.format(name="articles"))
                db.execute(FTS.format(name="articles_fts"))
            elif "n" not in columns:
                for statement in MIGRATE_V1:
                    db.execute(statement)
            db.execute(ENTITIES)
            for statement in INDEXES.split(";"):
                if statement.strip():
                    db.execute(statement)
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
    db.execute(VOCABULARY)


def _up_to_date(db: sqlite3.Connection) -> bool:
    names = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'index')")}
    if not names >= {"articles", "articles_fts", "article_entities", *INDEX_NAMES}:
        return False
    return "n" in {row[1] for row in db.execute("PRAGMA table_info(articles)")}
