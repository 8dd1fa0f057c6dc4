"""The state store's tables. Created on open; each statement is safe to run on an existing file."""

from __future__ import annotations

SCHEMA = """
CREATE TABLE IF NOT EXISTS stored_articles (
    canonical_url TEXT PRIMARY KEY,
    url TEXT NOT NULL,
    source TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    stored_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS seen_urls (
    url TEXT PRIMARY KEY,
    canonical_url TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS stories (
    canonical_url TEXT PRIMARY KEY,
    story_id TEXT NOT NULL,
    signature TEXT,
    joined_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS stories_by_story ON stories (story_id);
CREATE TABLE IF NOT EXISTS story_keys (
    key INTEGER NOT NULL,
    canonical_url TEXT NOT NULL,
    PRIMARY KEY (key, canonical_url)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS alert_matches (
    rule TEXT NOT NULL,
    canonical_url TEXT NOT NULL,
    story_id TEXT NOT NULL,
    source TEXT NOT NULL,
    matched_at TEXT NOT NULL,
    payload TEXT NOT NULL,
    PRIMARY KEY (rule, canonical_url)
);
CREATE INDEX IF NOT EXISTS alert_matches_by_story ON alert_matches (rule, story_id);
CREATE INDEX IF NOT EXISTS alert_matches_by_time ON alert_matches (rule, matched_at);
CREATE TABLE IF NOT EXISTS outbox (
    rule TEXT NOT NULL,
    story_id TEXT NOT NULL,
    channel TEXT NOT NULL,
    kind TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending',
    created_at TEXT NOT NULL,
    due_at TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    last_error TEXT,
    sent_at TEXT,
    PRIMARY KEY (rule, story_id, channel)
);
CREATE INDEX IF NOT EXISTS outbox_due ON outbox (status, due_at);
CREATE TABLE IF NOT EXISTS deliveries (
    id INTEGER PRIMARY KEY,
    channel TEXT NOT NULL,
    rule TEXT NOT NULL,
    kind TEXT NOT NULL,
    stories INTEGER NOT NULL,
    sent_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS deliveries_recent ON deliveries (rule, channel, sent_at);
CREATE TABLE IF NOT EXISTS article_checks (
    canonical_url TEXT PRIMARY KEY,
    checked_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS page_validators (
    url TEXT PRIMARY KEY,
    source_key TEXT NOT NULL,
    etag TEXT,
    last_modified TEXT,
    body_hash TEXT,
    children TEXT,
    checked_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS robots_txt (
    origin TEXT PRIMARY KEY,
    body BLOB NOT NULL,
    fetched_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    outcome TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS runs_by_time ON runs (started_at);
CREATE TABLE IF NOT EXISTS source_counters (
    run_id INTEGER NOT NULL,
    source TEXT NOT NULL,
    counter TEXT NOT NULL,
    value INTEGER NOT NULL,
    PRIMARY KEY (run_id, source, counter)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS source_counters_by_source ON source_counters (source, counter, run_id);
CREATE TABLE IF NOT EXISTS source_flags (
    run_id INTEGER NOT NULL,
    source TEXT NOT NULL,
    reason TEXT NOT NULL,
    detail TEXT NOT NULL,
    PRIMARY KEY (run_id, source, reason)
) WITHOUT ROWID;
"""
