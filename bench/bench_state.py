"""The state store on SQLite vs on Redis: the calls a crawl makes per article and per batch.

    .venv/bin/python bench/bench_state.py [--rounds 3] [--batches 15] [--batch 100] [--lookups 2000]

Starts Debian's redis-server on a free loopback port (append-only, fsync every second, as the
tests run it) and a SQLite file in a temporary folder (WAL, synchronous=NORMAL). Each batch is
``--batch`` new articles, each matching one rule on two channels, a third of them copies of an
earlier story (a match, no new alert). Each round starts both stores empty, SQLite then Redis, so
a busy machine slows both alike. Prints the median over rounds of each round's median (per
batch or per call) and, for Redis,
the requests sent (round trips), counted at the socket. Loopback hides network latency: on a
LAN add round trips x RTT to the Redis column.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

import redis
from redis_servers import redis_server

from core.article import Article
from crawler.portalworld.data import load_world_data
from indexer.state import AlertMatch, OutboxEntry, State, StateStore, StoredArticle
from indexer.state.redis_state import RedisState
from indexer.stories import StorySignature, story_signature

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


class RoundTrips:
    """Counts requests written to Redis sockets (a pipeline or a script call is one)."""

    def __init__(self) -> None:
        self.count = 0
        self._original = redis.connection.Connection.send_packed_command
        counter = self

        def counting(connection: Any, command: Any, check_health: bool = True) -> None:
            counter.count += 1
            counter._original(connection, command, check_health)

        redis.connection.Connection.send_packed_command = counting  # type: ignore[method-assign]


def batch(number: int, size: int) -> list[StoredArticle]:
    articles = []
    for n in range(size):
        url = f"http://portal{n % 7}.example/{number}/{n}"
        story = f"story-{number}-{n - n % 3}"  # every third article leads, the next two are copies
        entries = (OutboxEntry("mail", "immediate", NOW), OutboxEntry("log", "immediate", NOW))
        match = AlertMatch("fiveg", story, {"title": f"عنوان {n}", "url": url, "source": "portal"}, entries)
        articles.append(StoredArticle(url + "?utm_source=rss", url, f"portal{n % 7}", f"{number:08x}{n:08x}",
                                      (match,)))
    return articles


def signatures(count: int) -> list[StorySignature]:
    records = load_world_data().articles
    found = []
    for n in range(count):
        paragraphs = [p for p in records[n % len(records)].paragraphs if isinstance(p, str)]
        body = "\n\n".join(paragraphs[n // len(records) % len(paragraphs):] + paragraphs)
        signature = story_signature(Article(url="http://x/", canonical_url="http://x/", source="x", title="t",
                                            body=body))
        if signature is not None:
            found.append(signature)
    return found


def timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def measure(state: State, args: argparse.Namespace, trips: RoundTrips, sigs: list[StorySignature]) -> dict[str, Any]:
    rows: dict[str, Any] = {}
    record, counts = [], []
    for number in range(args.batches):
        articles = batch(number, args.batch)
        before = trips.count
        record.append(timed(lambda articles=articles, number=number: state.record_stored(
            articles, NOW + timedelta(minutes=number))))
        counts.append(trips.count - before)
    rows["record_stored, one batch"] = (statistics.median(record) * 1e3, "ms", statistics.median(counts))
    urls = [f"http://portal{n % 7}.example/{n % args.batches}/{n % args.batch}" for n in range(args.lookups)]
    for name, call in (("is_seen", state.is_seen), ("stored_hash", state.stored_hash), ("seen_at", state.seen_at)):
        before = trips.count
        times = [timed(lambda url=url, call=call: call(url)) for url in urls]
        rows[f"{name}, one URL"] = (statistics.median(times) * 1e6, "µs", (trips.count - before) / len(urls))
    before = trips.count
    times = [timed(lambda n=n, sig=sig: state.stories.assign(f"http://story.example/{n}", sig, NOW))
             for n, sig in enumerate(sigs)]
    rows["stories.assign, one article"] = (statistics.median(times) * 1e6, "µs", (trips.count - before) / len(sigs))
    before = trips.count
    due = [timed(lambda: state.outbox.due(NOW)) for _ in range(5)]
    rows[f"outbox.due ({len(state.outbox.due(NOW))} rows)"] = (statistics.median(due) * 1e3, "ms",
                                                                (trips.count - before) / 5)
    before = trips.count
    checks = [timed(state.check) for _ in range(3)]
    rows["check()"] = (statistics.median(checks) * 1e3, "ms", (trips.count - before) / 3)
    return rows


def median_rows(rounds: list[dict[str, Any]]) -> dict[str, Any]:
    return {name: (statistics.median(found[name][0] for found in rounds), unit, trips)
            for name, (_, unit, trips) in rounds[0].items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=3, help="fresh stores measured, one after the other")
    parser.add_argument("--batches", type=int, default=15, help="batches recorded per round")
    parser.add_argument("--batch", type=int, default=100, help="articles per batch")
    parser.add_argument("--lookups", type=int, default=2000, help="URLs looked up per lookup call")
    args = parser.parse_args()
    trips = RoundTrips()
    sigs = signatures(200)
    rounds: list[tuple[dict[str, Any], dict[str, Any]]] = []
    with tempfile.TemporaryDirectory() as tmp, redis_server(Path(tmp) / "redis") as server:
        for number in range(args.rounds):
            sqlite_round = measure(StateStore(Path(tmp) / f"state{number}.sqlite"), args, trips, sigs)
            rounds.append((sqlite_round, measure(RedisState(server.url, prefix=f"bench{number}"), args, trips, sigs)))
    sqlite, shared = (median_rows([pair[side] for pair in rounds]) for side in (0, 1))
    print(f"{'call':38} {'SQLite':>12} {'Redis':>12} {'Redis round trips':>18}")
    for name, (value, unit, _) in sqlite.items():
        key = next(other for other in shared if other.split(" (")[0] == name.split(" (")[0])
        redis_value, _, redis_trips = shared[key]
        print(f"{name:38} {value:9.2f} {unit:2} {redis_value:9.2f} {unit:2} {redis_trips:18.2f}")
    print(f"\nmedians of {args.rounds} rounds, each {args.batches} batches of {args.batch} articles "
          f"(1 match on 2 channels each), {args.lookups} lookups, {len(sigs)} story assignments; Redis on loopback")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
