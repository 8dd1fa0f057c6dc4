"""What only the Redis state store has to prove: several hosts at once, a server that goes away,
persistence, and keys that stay under their prefix. Behaviour shared with SQLite is tested by the
parametrized tests in test_indexer_state*.py. Every test talks to a real redis-server."""

from __future__ import annotations

import multiprocessing
import socket
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from multiprocessing.synchronize import Barrier
from pathlib import Path
from typing import Any

import pytest
import redis
from redis_servers import RedisServer
from test_indexer_state import signature

from core.errors import StateError
from core.settings import Settings
from crawler.portalworld.data import load_world_data
from indexer.state import AlertMatch, OutboxEntry, PageValidators, SourceFlag, StateStore, StoredArticle
from indexer.state.factory import open_state
from indexer.state.redis_state import RedisState
from indexer.stories import StorySignature, same_story

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
PAIRS = 20


def alert(rule: str, story: str, url: str) -> AlertMatch:
    entries = (OutboxEntry("mail", "immediate", NOW), OutboxEntry("log", "immediate", NOW))
    return AlertMatch(rule, story, {"title": url, "url": url}, entries)


def copies() -> list[tuple[StorySignature, StorySignature]]:
    """Pairs of near-identical bodies (the same paragraphs in another order), one pair per article."""
    records = [record for record in load_world_data().articles if len(record.paragraphs) >= 4][:PAIRS]
    pairs = []
    for record in records:
        paragraphs = [p for p in record.paragraphs if isinstance(p, str)]
        pairs.append((signature(paragraphs), signature(paragraphs[::-1])))
    assert len(pairs) == PAIRS and all(same_story(lead, copy) for lead, copy in pairs)
    return pairs


def assign_copies(url: str, host: str, signatures: list[StorySignature], barrier: Barrier, results: Any) -> None:
    state = RedisState(url)
    for n, found in enumerate(signatures):
        barrier.wait()  # both hosts assign their copy of story n at the same moment
        state.stories.assign(f"http://{host}/{n}", found)
    results.put((host, None))
    state.close()


def record_copies(url: str, host: str, same_article: bool, barrier: Barrier, results: Any) -> None:
    state = RedisState(url)
    queued = []
    for n in range(PAIRS):
        page = f"http://{'a' if same_article else host}/{n}"
        barrier.wait()
        queued.append(state.record_stored([StoredArticle(page, page, host, "h", (alert("r", f"s{n}", page),))], NOW))
    results.put((host, queued))
    state.close()


def two_hosts(target: Callable[..., None], args: Callable[[str], tuple[Any, ...]]) -> dict[str, Any]:
    """Run ``target(*args(host), barrier, results)`` in two processes, as two crawler hosts would."""
    context = multiprocessing.get_context("spawn")
    barrier, results = context.Barrier(2), context.Queue()
    processes = [context.Process(target=target, args=(*args(host), barrier, results)) for host in ("a", "b")]
    for process in processes:
        process.start()
    found = dict(results.get(timeout=120) for _ in processes)
    for process in processes:
        process.join(timeout=120)
        assert process.exitcode == 0
    return found


def test_two_hosts_assigning_copies_at_once_make_one_story(redis_url: str) -> None:
    pairs = copies()
    signatures = {"a": [lead for lead, _ in pairs], "b": [copy for _, copy in pairs]}
    two_hosts(assign_copies, lambda host: (redis_url, host, signatures[host]))
    state = RedisState(redis_url)
    for n in range(PAIRS):
        story = state.stories.story_of(f"http://a/{n}")
        assert story is not None and story == state.stories.story_of(f"http://b/{n}"), f"pair {n}"
        assert {f"http://a/{n}", f"http://b/{n}"} <= set(state.stories.members(story))


@pytest.mark.parametrize("same_article", [True, False], ids=["same-article", "two-copies"])
def test_two_hosts_recording_one_story_at_once_queue_its_alert_once(redis_url: str, same_article: bool) -> None:
    found = two_hosts(record_copies, lambda host: (redis_url, host, same_article))
    assert [found["a"][n] + found["b"][n] for n in range(PAIRS)] == [1] * PAIRS, "one new alert per story"
    state = RedisState(redis_url)
    assert len(state.outbox.pending()) == 2 * PAIRS  # (rule, story) on mail and log
    assert state.stored_count() == (PAIRS if same_article else 2 * PAIRS)
    assert len(state.outbox.story_matches("r", "s0")) == (1 if same_article else 2)


def fill(state: RedisState) -> None:
    """Something in every kind of key the store writes."""
    lead, copy = copies()[0]
    story = state.stories.assign("http://a/1", lead, NOW)
    state.stories.assign("http://b/1", copy, NOW)
    state.record_stored([StoredArticle("http://a/1?x=1", "http://a/1", "a", "h1", (alert("r", story, "http://a/1"),)),
                         StoredArticle("http://b/1", "http://b/1", "b", "h2", (alert("r", story, "http://b/1"),))], NOW)
    state.outbox.mark_sent([("r", story, "mail")], NOW)
    state.outbox.record_failure([("r", story, "log")], "refused", NOW, give_up=True)
    state.outbox.log_delivery("mail", "r", "immediate", 1, NOW)
    state.mark_checked("http://a/1/amp/", "http://a/1", NOW)
    state.save_page_validators([PageValidators("http://a/feed/", "key", NOW, '"e"', None, "hash",
                                               (("http://a/s.xml", "2026-11-24"),))])
    state.save_robots_txt("http://a", b"User-agent: *\n", NOW)
    run = state.health.start_run(NOW)
    state.health.finish_run(run, NOW, "ok", {"a": {"new": 2}}, [SourceFlag("a", "silent", "quiet")])


def test_every_key_is_under_the_prefix_and_in_the_layout(redis_url: str) -> None:
    state = RedisState(redis_url, prefix="inst1")
    fill(state)
    names = [name.decode() for name in redis.Redis.from_url(redis_url).keys("*")]
    assert len(names) > 20 and all(name.startswith("inst1:state:") for name in names), names
    state.check()  # every key has the type the layout gives it, and no key is unknown to it


def test_two_prefixes_do_not_see_each_other(redis_url: str) -> None:
    first, second = RedisState(redis_url, prefix="first"), RedisState(redis_url, prefix="second")
    fill(first)
    assert second.stored_count() == 0 and not second.is_seen("http://a/1") and second.seen_at("http://a/1") is None
    assert second.stories.story_of("http://a/1") is None and second.outbox.pending() == []
    assert second.outbox.summary().counts == {} and second.outbox.last_matched() == {}
    assert second.health.runs_since(NOW - timedelta(days=1)) == [] and second.robots_txt("http://a") is None
    assert second.page_validators("http://a/feed/") is None
    second.record_stored([StoredArticle("http://a/1", "http://a/1", "a", "other")], NOW)
    assert first.stored_hash("http://a/1") == "h1" and second.stored_hash("http://a/1") == "other"
    assert first.health.start_run(NOW) == 2 and second.health.start_run(NOW) == 1


def test_the_data_survives_a_restart(redis_session: RedisServer, redis_url: str) -> None:
    state = RedisState(redis_url)
    fill(state)
    before = (state.outbox.summary(), state.stories.members(str(state.stories.story_of("http://a/1"))),
              state.health.runs_since(NOW - timedelta(days=1)), state.seen_at("http://a/1/amp/"))
    redis_session.stop()
    redis_session.start()
    # A crawler that stays up across the restart reconnects and loads its scripts again.
    state.record_stored([StoredArticle("http://c/1", "http://c/1", "c", "h3")], NOW)
    state.stories.assign("http://c/1", None, NOW)
    state.close()
    state = RedisState(redis_url)
    state.check()
    assert state.stored_hash("http://c/1") == "h3" and state.stories.story_of("http://c/1") is not None
    assert state.stored_hash("http://a/1") == "h1" and state.robots_txt("http://a") == (b"User-agent: *\n", NOW)
    after = (state.outbox.summary(), state.stories.members(str(state.stories.story_of("http://a/1"))),
             state.health.runs_since(NOW - timedelta(days=1)), state.seen_at("http://a/1/amp/"))
    assert after == before


def test_a_stopped_redis_is_a_state_error_that_names_it_without_the_password(redis_session: RedisServer,
                                                                             redis_url: str) -> None:
    secret_url = redis_url.replace("redis://", "redis://:hunter2-secret@")
    state = RedisState(redis_url)
    redis_session.stop()
    try:
        with pytest.raises(StateError) as opening:
            RedisState(secret_url, timeout=2)
        with pytest.raises(StateError, match="cannot reach Redis") as recording:
            state.record_stored([StoredArticle("http://a/1", "http://a/1", "a", "h")], NOW)
    finally:
        redis_session.start()
    message = str(opening.value)
    assert "hunter2" not in message and "redis://:***@127.0.0.1" in message and "cannot reach Redis" in message
    assert "hunter2" not in repr(opening.value.__cause__)
    assert redis_url in str(recording.value)
    assert RedisState(redis_url).stored_count() == 0, "nothing was taken as saved"


def test_a_refused_password_is_a_state_error_without_it(redis_session: RedisServer, redis_url: str) -> None:
    admin = redis_session.client()
    admin.config_set("requirepass", "the-right-one")
    try:
        wrong = redis_url.replace("redis://", "redis://:not-the-right-one@")
        with pytest.raises(StateError, match="refused the credentials") as error:
            RedisState(wrong)
        assert "not-the-right-one" not in str(error.value)
        with pytest.raises(StateError, match="refused the credentials"):
            RedisState(redis_url)  # no password where one is required
    finally:
        redis.Redis.from_url(redis_url, password="the-right-one").config_set("requirepass", "")


def test_a_server_that_never_answers_is_a_state_error() -> None:
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        with pytest.raises(StateError, match=r"no answer within 0\.3 s"):
            RedisState(f"redis://127.0.0.1:{silent.getsockname()[1]}/0", timeout=0.3)


def test_check_finds_a_key_of_the_wrong_type_and_nothing_is_half_written(redis_url: str) -> None:
    state = RedisState(redis_url)
    fill(state)
    client = redis.Redis.from_url(redis_url)
    client.set("marsad:frontier:requests", "not ours: other components keep their keys beside the state")
    state.check()
    client.set("marsad:state:outbox:row:" + '["q","s9","mail"]', "overwritten by hand")
    with pytest.raises(StateError, match=r"outbox:row:\[\"q\",\"s9\",\"mail\"\]' is a string, expected a hash"):
        state.check()
    batch = [StoredArticle("http://c/1", "http://c/1", "c", "h"),
             StoredArticle("http://c/2", "http://c/2", "c", "h", (alert("q", "s9", "http://c/2"),))]
    with pytest.raises(StateError, match="WRONGTYPE"):
        state.record_stored(batch, NOW)
    assert not state.is_seen("http://c/1") and state.stored_count() == 2, "nothing of the batch was kept"
    client.delete("marsad:state:outbox:row:" + '["q","s9","mail"]')
    client.set("marsad:state:seen", "x")
    with pytest.raises(StateError, match="WRONGTYPE"):
        state.is_seen("http://a/1")
    client.set("marsad:state:junk", "x")
    with pytest.raises(StateError, match=r"'marsad:state:junk' is not a key.*'marsad:state:seen' is a string"):
        state.check()


def test_check_refuses_another_key_layout(redis_url: str) -> None:
    state = RedisState(redis_url)
    redis.Redis.from_url(redis_url).set("marsad:state:version", "99")
    with pytest.raises(StateError, match="key layout 99"):
        state.check()


def test_a_batch_is_one_round_trip_and_lookups_are_one_each(redis_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    state = RedisState(redis_url)
    batch = [StoredArticle(f"http://a/{n}", f"http://a/{n}", "a", "h", (alert("r", f"s{n}", f"http://a/{n}"),))
             for n in range(100)]
    state.record_stored(batch[:1], NOW)  # loads the script once
    sent: list[object] = []
    original = redis.connection.Connection.send_packed_command

    def counting(self: redis.connection.Connection, command: object, check_health: bool = True) -> None:
        sent.append(command)
        original(self, command, check_health)

    monkeypatch.setattr(redis.connection.Connection, "send_packed_command", counting)
    assert state.record_stored(batch, NOW) == 99
    assert state.is_seen("http://a/5") and state.stored_hash("http://a/5") == "h"
    assert len(sent) == 3


def test_open_state_takes_redis_when_a_url_is_set(redis_url: str, tmp_path: Path) -> None:
    shared = open_state(Settings(config_dir=tmp_path, data_dir=tmp_path, redis_url=redis_url, redis_prefix="site2"))
    assert isinstance(shared, RedisState)
    shared.record_stored([StoredArticle("http://a/1", "http://a/1", "a", "h")], NOW)
    assert redis.Redis.from_url(redis_url).hget("site2:state:article:hash", "http://a/1") == b"h"
    alone = open_state(Settings(config_dir=tmp_path, data_dir=tmp_path))
    assert isinstance(alone, StateStore) and alone.stored_count() == 0 and alone.path.parent == tmp_path
