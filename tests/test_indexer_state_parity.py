"""SQLite and Redis state stores side by side: the same random sequence of calls, the same answers.

The parametrized tests in test_indexer_state*.py hold each store to hand-written assertions; this
one drives both through a few hundred seeded calls (batches with copies and edits, sends,
failures, quiet hours, retries, checks, runs) and compares every read after each call, order
included (ties of time are broken by key in both stores).
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from indexer.state import AlertMatch, OutboxEntry, SourceFlag, State, StateStore, StoredArticle
from indexer.state.redis_state import RedisState

START = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
RULES, STORIES, CHANNELS = ("fiveg", "أذربيجان", "cloud"), ("s1", "s2", "s3", "s4"), ("mail", "log", "hook")
URLS = [f"http://{host}/{n}" for host in ("a", "b") for n in range(6)]
SHORT = [f"http://t.co/{n}" for n in range(3)]  # a linked URL that may lead to different articles


def random_article(rng: random.Random, now: datetime) -> StoredArticle:
    url = rng.choice(URLS)
    matches = []
    for rule in rng.sample(RULES, rng.randint(0, 2)):
        channels = rng.sample(CHANNELS, rng.randint(1, 2))
        kind = rng.choice(("immediate", "digest"))
        entries = tuple(OutboxEntry(channel, kind, now + timedelta(minutes=rng.choice((0, 30, 90))))
                        for channel in channels)
        matches.append(AlertMatch(rule, rng.choice(STORIES), {"title": f"{rule} {url}", "url": url}, entries))
    linked = rng.choice((url, url + "?utm_source=x", rng.choice(SHORT)))
    return StoredArticle(linked, url, url.split("/")[2], f"h{rng.randint(1, 3)}", tuple(matches))


def act(state: State, rng: random.Random, step: int, now: datetime) -> Any:
    """One call chosen by ``step``'s draw (both stores get the same draws); returns its answer."""
    keys = [(rule, story, channel) for rule in RULES for story in STORIES for channel in CHANNELS]
    choice = rng.randrange(10)
    if choice < 4:
        return state.record_stored([random_article(rng, now) for _ in range(rng.randint(1, 4))], now)
    if choice == 4:
        state.outbox.mark_sent(rng.sample(keys, 6), now)
    elif choice == 5:
        state.outbox.record_failure(rng.sample(keys, 6), f"error {step}", now + timedelta(minutes=rng.choice((-5, 20))),
                                    give_up=rng.random() < 0.4)
    elif choice == 6:
        state.outbox.reschedule(rng.sample(keys, 6), rng.choice(("immediate", "digest")),
                                now + timedelta(minutes=rng.choice((-10, 45))))
    elif choice == 7:
        return state.outbox.retry_failed(now, rng.choice((None, "mail")))
    elif choice == 8:
        state.outbox.log_delivery(rng.choice(CHANNELS), rng.choice(RULES), rng.choice(("immediate", "digest")),
                                  rng.randint(1, 3), now)
    else:
        url = rng.choice(URLS)
        state.mark_checked(url + "/amp/", url, now)
    return None


def reads(state: State, now: datetime) -> dict[str, Any]:
    summary = state.outbox.summary()
    return {
        "due": state.outbox.due(now), "due_later": state.outbox.due(now + timedelta(hours=1)),
        "pending": state.outbox.pending(), "counts": summary.counts, "failed": summary.failed,
        "oldest": summary.oldest_pending, "last": state.outbox.last_matched(),
        "matches": {(rule, story): state.outbox.story_matches(rule, story) for rule in RULES for story in STORIES},
        "recent": {(rule, limit): state.outbox.recent_stories(rule, limit) for rule in RULES for limit in (3, 0, -1)},
        "sent": [state.outbox.sent_since(rule, channel, now - timedelta(minutes=30), kind)
                 for rule in RULES for channel in CHANNELS for kind in (None, "immediate", "digest")],
        "urls": [(state.is_seen(url), state.seen_at(url), state.stored_hash(url)) for url in URLS]
                + [(state.is_seen(url + "/amp/"), state.seen_at(url + "/amp/")) for url in URLS]
                + [(state.is_seen(url), state.seen_at(url)) for url in SHORT],
        "count": state.stored_count(),
    }


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_same_calls_give_the_same_answers(seed: int, tmp_path: Path, redis_url: str) -> None:
    sqlite, shared = StateStore(tmp_path / "state.sqlite"), RedisState(redis_url)
    draws = [random.Random(seed), random.Random(seed)]
    now = START
    for step in range(150):
        now += timedelta(minutes=random.Random(seed * 1000 + step).choice((0, 1, 7, 25)))
        answers = [act(store, rng, step, now) for store, rng in zip((sqlite, shared), draws, strict=True)]
        assert answers[0] == answers[1], f"step {step}"
        assert reads(sqlite, now) == reads(shared, now), f"after step {step}"
    sqlite.close()
    shared.close()


def test_health_gives_the_same_answers(tmp_path: Path, redis_url: str) -> None:
    stores: list[State] = [StateStore(tmp_path / "state.sqlite"), RedisState(redis_url)]
    rng = random.Random(5)
    plan = []
    for k in range(40):
        started = START - timedelta(hours=6 * (40 - k)) + timedelta(minutes=rng.choice((0, 0, 3)))
        counters = {source: {counter: rng.randint(0, 2) for counter in rng.sample(("new", "requests", "parsed"), 2)}
                    for source in rng.sample(("techwave", "arabnet", "aitnews"), rng.randint(0, 3))}
        flags = [SourceFlag(source, "silent", f"run {k}") for source in counters if rng.random() < 0.2]
        plan.append((started, rng.random() < 0.1, rng.choice(("ok", "failed")), counters, flags))
    for store in stores:
        for started, killed, outcome, counters, flags in plan:
            run = store.health.start_run(started)
            if not killed:
                store.health.finish_run(run, started + timedelta(minutes=2), outcome, counters, flags)

    def health(store: State) -> Any:
        since = START - timedelta(days=6)
        return (store.health.runs_since(since), store.health.runs_since(since, ["new", "parsed"]),
                store.health.runs_since(since, []),
                [store.health.last_with(source, counter) for source in ("techwave", "arabnet", "aitnews", "gone")
                 for counter in ("new", "requests", "parsed")])

    assert health(stores[0]) == health(stores[1])
    assert stores[0].health.prune(START - timedelta(days=4)) == stores[1].health.prune(START - timedelta(days=4))
    assert health(stores[0]) == health(stores[1])
    for store in stores:
        store.close()
