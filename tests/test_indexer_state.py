"""The state store: stored articles, stories and the alert outbox. Each test that takes ``state`` or
``open_state`` runs twice, on a real SQLite file and on a real Redis (tests/conftest.py)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from core.article import Article
from core.errors import StateError
from crawler.portalworld.data import load_world_data
from indexer.state import AlertMatch, OutboxEntry, State, StateStore, StoredArticle
from indexer.stories import StorySignature, story_signature

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


def stored(url: str, *matches: AlertMatch, source: str = "a") -> StoredArticle:
    return StoredArticle(url, url, source, "hash-" + url, matches)


def match(rule: str, story: str, *channels: str, kind: str = "immediate", due: datetime = NOW) -> AlertMatch:
    entries = tuple(OutboxEntry(channel, kind, due) for channel in channels)  # type: ignore[arg-type]
    return AlertMatch(rule, story, {"title": f"{rule} {story}", "url": story, "source": "a"}, entries)


def test_mark_stored_and_seen(state: State) -> None:
    assert not state.is_seen("http://a/1")
    state.mark_stored([("http://a/1?utm_source=x", "http://a/1", "a", "h1")])
    assert state.is_seen("http://a/1")
    assert state.is_seen("http://a/1?utm_source=x")
    assert state.stored_hash("http://a/1") == "h1"
    state.mark_stored([("http://a/1", "http://a/1", "a", "h2")])
    assert state.stored_hash("http://a/1") == "h2"
    assert state.stored_count() == 1


def test_an_alert_is_queued_once_per_rule_story_and_channel(state: State) -> None:
    assert state.record_stored([stored("http://a/1", match("r", "s1", "mail", "log"))], NOW) == 1
    # A copy of the same story on another source: its match is kept, no new alert.
    assert state.record_stored([stored("http://b/1", match("r", "s1", "mail", "log"), source="b")], NOW) == 0
    # The same article fetched again (an edit) raises nothing new either.
    assert state.record_stored([stored("http://a/1", match("r", "s1", "mail", "log"))], NOW) == 0
    assert state.record_stored([stored("http://a/2", match("r", "s2", "mail"), match("q", "s2", "mail"))], NOW) == 2
    due = state.outbox.due(NOW)
    assert sorted(row.key for row in due) == [
        ("q", "s2", "mail"), ("r", "s1", "log"), ("r", "s1", "mail"), ("r", "s2", "mail"),
    ]
    assert [a["url"] for a in state.outbox.story_matches("r", "s1")] == ["s1", "s1"]
    assert state.stored_count() == 3


def test_stored_mark_and_alerts_are_one_transaction(state: State) -> None:
    broken = stored("http://a/1", AlertMatch("r", "s1", {"not json": {1, 2}}, (OutboxEntry("mail", "immediate", NOW),)))
    with pytest.raises(TypeError):
        state.record_stored([stored("http://a/0"), broken], NOW)
    assert state.stored_count() == 0 and not state.is_seen("http://a/0"), "nothing of the batch was kept"
    assert state.outbox.pending() == []


def test_due_sent_failed_and_retried(state: State) -> None:
    later = NOW + timedelta(hours=1)
    state.record_stored([stored("http://a/1", match("r", "s1", "mail")),
                         stored("http://a/2", match("r", "s2", "mail", kind="digest", due=later))], NOW)
    assert [row.story_id for row in state.outbox.due(NOW)] == ["s1"]
    assert {row.story_id for row in state.outbox.due(later)} == {"s1", "s2"}
    key = ("r", "s1", "mail")
    state.outbox.record_failure([key], "connection refused", NOW + timedelta(minutes=1), give_up=False)
    assert state.outbox.due(NOW) == [], "a failed row waits for its next attempt"
    retried = state.outbox.due(NOW + timedelta(minutes=1))
    assert retried[0].attempts == 1 and retried[0].last_error == "connection refused"
    state.outbox.record_failure([key], "still refused", NOW, give_up=True)
    summary = state.outbox.summary()
    assert [row.key for row in summary.failed] == [key]
    assert summary.counts[("mail", "failed")] == 1
    assert state.outbox.retry_failed(NOW) == 2  # the failed row and the digest waiting for its time
    state.outbox.mark_sent([key], NOW)
    assert [row.story_id for row in state.outbox.due(later)] == ["s2"]
    state.outbox.log_delivery("mail", "r", "immediate", 1, NOW)
    assert state.outbox.sent_since("r", "mail", NOW - timedelta(hours=1), "immediate") == 1
    assert state.outbox.sent_since("r", "mail", NOW - timedelta(hours=1), "digest") == 0


def signature(paragraphs: list[str]) -> StorySignature:
    article = Article(url="http://x/", canonical_url="http://x/", source="x", title="t", body="\n\n".join(paragraphs))
    found = story_signature(article)
    assert found is not None
    return found


def test_stories_lead_and_copies(state: State) -> None:
    records = [record for record in load_world_data().articles if len(record.paragraphs) >= 4]
    paragraphs = [p for p in records[0].paragraphs if isinstance(p, str)]
    lead = signature(paragraphs)
    copy = signature(paragraphs[1:] + paragraphs[:1])  # paragraphs reordered
    other = signature([p for p in records[1].paragraphs if isinstance(p, str)])
    first = state.stories.assign("http://a/1", lead)
    assert state.stories.assign("http://b/9", copy) == first
    assert state.stories.assign("http://c/3", other) != first
    assert state.stories.assign("http://a/1", other) == first, "an article keeps its story"
    assert state.stories.assign("http://d/4", None) not in (first, state.stories.story_of("http://c/3"))
    assert state.stories.members(first) == ["http://a/1", "http://b/9"]


def test_a_corrupt_state_file_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StateError, match=r"state\.sqlite"):
        StateStore(path)


def test_concurrent_connections_see_each_other(open_state: Callable[[], State]) -> None:
    first, second = open_state(), open_state()
    first.record_stored([stored("http://a/1", match("r", "s1", "mail"))], NOW)
    assert [row.key for row in second.outbox.due(NOW)] == [("r", "s1", "mail")]
    assert second.stored_hash("http://a/1") == "hash-http://a/1"


def test_sqlite_runs_in_wal_mode(tmp_path: Path) -> None:
    StateStore(tmp_path / "s.sqlite").close()
    assert sqlite3.connect(tmp_path / "s.sqlite").execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_seen_at_follows_stores_and_checks(state: State) -> None:
    assert state.seen_at("http://a/1") is None
    state.record_stored([StoredArticle("http://a/1?utm_source=x", "http://a/1", "a", "h1")], NOW)
    assert state.seen_at("http://a/1") == state.seen_at("http://a/1?utm_source=x") == NOW
    later = NOW + timedelta(hours=2)
    state.mark_checked("http://a/1/amp/", "http://a/1", later)  # fetched again (by its AMP URL), unchanged
    assert state.seen_at("http://a/1") == state.seen_at("http://a/1/amp/") == later
    seen = state.seen_at("http://a/1")
    assert seen is not None and seen.tzinfo is not None


def test_page_validators_and_robots_txt_round_trip(state: State) -> None:
    from indexer.state import PageValidators

    row = PageValidators("http://a/feed/", "key", NOW, '"e1"', "Mon, 23 Nov 2026 10:00:00 GMT", "hash",
                         (("http://a/s1.xml", None),))
    state.save_page_validators([row])
    assert state.page_validators("http://a/feed/") == row
    assert state.page_validators("http://a/other/") is None
    assert state.robots_txt("http://a") is None
    state.save_robots_txt("http://a", b"User-agent: *\nDisallow: /private/\n", NOW)
    assert state.robots_txt("http://a") == (b"User-agent: *\nDisallow: /private/\n", NOW)


def test_an_edited_article_alerts_a_newly_matching_rule_once_and_an_old_one_never(state: State) -> None:
    url = "http://a/1"
    assert state.record_stored([StoredArticle(url, url, "a", "v1", (match("fiveg", "s1", "log"),))], NOW) == 1
    edited = (match("fiveg", "s1", "log"), match("azerbaijan", "s1", "log"))
    assert state.record_stored([StoredArticle(url, url, "a", "v2", edited)], NOW) == 1, "only the new rule"
    assert state.stored_hash(url) == "v2" and state.stored_count() == 1
    assert state.record_stored([StoredArticle(url, url, "a", "v3", edited)], NOW) == 0, "edited again: nothing"
    assert sorted(row.rule for row in state.outbox.due(NOW)) == ["azerbaijan", "fiveg"]


def test_ties_of_time_are_ordered_by_key(state: State) -> None:
    """Both stores break ties the same way (SQLite left them to the query plan before Redis came)."""
    state.record_stored([stored("http://a/1", match("r", "s2", "mail", "log"), match("q", "s9", "mail")),
                         stored("http://a/2", match("r", "s1", "mail"))], NOW)
    expected = [("q", "s9", "mail"), ("r", "s1", "mail"), ("r", "s2", "log"), ("r", "s2", "mail")]
    assert [row.key for row in state.outbox.pending()] == [row.key for row in state.outbox.due(NOW)] == expected
    assert [story for story, _ in state.outbox.recent_stories("r", 5)] == ["s1", "s2"]
    assert [story for story, _ in state.outbox.recent_stories("r", 1)] == ["s1"]
    paragraphs = [p for p in load_world_data().articles[0].paragraphs if isinstance(p, str)]
    lead = state.stories.assign("http://c/9", signature(paragraphs), NOW)
    assert state.stories.assign("http://b/9", signature(paragraphs[::-1]), NOW) == lead
    assert state.stories.members(lead) == ["http://b/9", "http://c/9"], "joined at the same time: by URL"
