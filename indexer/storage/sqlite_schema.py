"""The SQLite index's tables, and the migration of a file written by an older Marsad.

``articles.n`` is an INTEGER PRIMARY KEY (so VACUUM never renumbers it) and is the rowid of the
article's row in the FTS5 table: replacing an article deletes its FTS row by rowid, a b-tree
seek, where the first schema deleted by an UNINDEXED ``id`` column, a scan of the whole table.
The filter and facet values sit in columns of their own (entities in ``article_entities``, the
story as a small integer from ``article_stories``, the date also as Unix seconds), so filters,
facets and the histogram are SQL over narrow rows and indexes, never over decoded JSON; the
stored Article (JSON) is in ``article_docs``, read only for the page shown.

The first schema (``articles.id`` TEXT PRIMARY KEY, ``articles_fts.id`` UNINDEXED, no ``n``) is
migrated on open in one transaction: rows and their FTS terms are copied as they are, the
filter columns read from the stored JSON. Other tables in the file are left alone.
"""

from __future__ import annotations

import sqlite3

from indexer.storage import sqlite_columns

ARTICLES = """
CREATE TABLE {name} (
    n INTEGER PRIMARY KEY,  -- rowid of the article's terms in articles_fts
    id TEXT NOT NULL UNIQUE,  -- Article.doc_id
    canonical_url TEXT NOT NULL,
    source TEXT NOT NULL,
    section TEXT,
    language TEXT,
    dated_utc TEXT NOT NULL,  -- published, else fetched, ISO 8601 in UTC; '' when undated
    epoch INTEGER,  -- the same instant in Unix seconds; NULL when undated
    story INTEGER NOT NULL  -- article_stories.code of Article.story_id, else of the article's own id
)"""
STORIES = """
CREATE TABLE IF NOT EXISTS article_stories (
    code INTEGER PRIMARY KEY,
    story TEXT NOT NULL UNIQUE
)"""
DOCS = """
CREATE TABLE IF NOT EXISTS article_docs (
    n INTEGER PRIMARY KEY,
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
INDEXES = [
    "CREATE INDEX IF NOT EXISTS articles_dated ON articles (dated_utc DESC, canonical_url)",
    "CREATE INDEX IF NOT EXISTS articles_source ON articles (source, dated_utc)",
    "CREATE INDEX IF NOT EXISTS articles_section ON articles (section)",
    "CREATE INDEX IF NOT EXISTS articles_language ON articles (language)",
    "CREATE INDEX IF NOT EXISTS articles_story ON articles (story)",
    "CREATE INDEX IF NOT EXISTS article_entities_n ON article_entities (n)",
]
INDEX_NAMES = {statement.split()[5] for statement in INDEXES}
# The vocabulary, to drop query keys no article holds: per connection, nothing stored.
VOCABULARY = "CREATE VIRTUAL TABLE IF NOT EXISTS temp.articles_vocab USING fts5vocab(main, articles_fts, row)"

# Copy of a first-schema file. Entities come from the stored JSON, one row per name and kind.
_OLD_STORY = "COALESCE(json_extract(doc, '$.story_id'), id)"
MIGRATE_V1 = [
    ARTICLES.format(name="articles_v2"),
    STORIES,
    f"INSERT OR IGNORE INTO article_stories (story) SELECT {_OLD_STORY} FROM articles ORDER BY dated_utc, id",
    """INSERT INTO articles_v2 (id, canonical_url, source, section, language, dated_utc, epoch, story)
       SELECT o.id, o.canonical_url, o.source, json_extract(o.doc, '$.section'), json_extract(o.doc, '$.language'),
              o.dated_utc, unixepoch(NULLIF(substr(o.dated_utc, 1, 19), '')), s.code
       FROM articles o JOIN article_stories s ON s.story = COALESCE(json_extract(o.doc, '$.story_id'), o.id)
       ORDER BY o.dated_utc, o.id""",
    DOCS,
    "INSERT INTO article_docs (n, doc) SELECT a.n, o.doc FROM articles_v2 a JOIN articles o ON o.id = a.id",
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
       FROM article_docs a
       JOIN (SELECT 'persons' AS kind UNION ALL SELECT 'organizations' UNION ALL SELECT 'locations') k
       JOIN json_each(a.doc, '$.entities.' || k.kind) e
       WHERE e.type = 'text'""",
]


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
            for statement in (STORIES, DOCS, ENTITIES, *INDEXES, *sqlite_columns.SCHEMA):
                db.execute(statement)
            if "n" not in columns and columns:
                fill_columns(db)
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
    db.execute(VOCABULARY)


def fill_columns(db: sqlite3.Connection) -> None:
    """Write the integer columns of every article (a migrated file has none yet)."""
    entities: dict[int, list[str]] = {}
    for n, name in db.execute("SELECT n, name FROM article_entities ORDER BY n, CASE kind WHEN 'persons' THEN 0 "
                              "WHEN 'organizations' THEN 1 ELSE 2 END"):
        entities.setdefault(n, []).append(name)
    rows = [sqlite_columns.Values(n, source, section, language, story, epoch, entities.get(n, []))
            for n, source, section, language, story, epoch in db.execute(
                "SELECT n, source, section, language, story, epoch FROM articles")]
    sqlite_columns.write(db, rows, sqlite_columns.Codes())


def _up_to_date(db: sqlite3.Connection) -> bool:
    names = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'index')")}
    tables = {"articles", "article_docs", "article_stories", "articles_fts", "article_entities", "article_columns",
              "facet_values"}
    if not names >= {*tables, *INDEX_NAMES}:
        return False
    return "n" in {row[1] for row in db.execute("PRAGMA table_info(articles)")}
