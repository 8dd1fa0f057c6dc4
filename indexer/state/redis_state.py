"""The state store on Redis, shared by every crawler host: the same behaviour as the SQLite
:class:`indexer.state.store.StateStore`, proven by the same tests (tests/test_indexer_state*.py).

Key layout. Every key is under ``<prefix>:state:`` (``marsad:state:`` by default), so several
installations share one Redis by prefix, and the crawl frontier keeps its own keys beside these.
``<id>`` below is a compact JSON array, e.g. ``["fiveg","3f2a…","mail"]``: unambiguous whatever
a rule, story or channel name contains. Times are stored as the SQLite store's UTC text and, where
something is ordered or ranged by time, as a ZSET score in microseconds since 1970 (exact).

==================================  ======  ==============================================
key (after ``<prefix>:state:``)     type    content
==================================  ======  ==============================================
version                             string  key layout version (check() refuses another)
article:hash                        hash    canonical URL → content hash (stored_hash, count)
article:stored_at / checked_at      hash    canonical URL → when stored / last found unchanged
article:url / article:source        hash    canonical URL → the URL and source first stored
seen                                hash    any URL that led to an article → canonical URL
story:of / story:sig / story:joined hash    canonical URL → story id / signature / join time
story:bands                         hash    LSH band key → JSON array of canonical URLs
story:members:<story id>            zset    canonical URL, score = join time
alert:payload                       hash    <id rule, canonical URL> → the match's JSON payload
alert:story:<id rule, story>        zset    canonical URLs the rule matched, score = match time
alert:stories:<rule>                zset    story ids, score = minus the first match time
alert:last                          zset    rule, score = latest match time
outbox:row:<id rule, story, chan>   hash    one outbox row (rule … attempts, last_error, sent_at)
outbox:pending / outbox:failed      zset    row ids by creation time
outbox:due                          zset    pending row ids by max(due time, next attempt)
outbox:count:<status>               hash    channel → rows in that status
delivery:<id rule, channel, kind>   zset    one member per message sent, score = send time
page:<url>                          hash    a discovery page's validators (etag, lastmod …)
robots:<origin>                     hash    robots.txt body and fetched_at
health:next_run                     string  the last run id given out
health:runs                         zset    run ids by start time
health:run:<run id>                 hash    started_at, finished_at, outcome
health:counters:<run id>            hash    <id source, counter> → value
health:flags:<run id>               hash    <id source, reason> → detail
health:sources                      set     every source that counted something
==================================  ======  ==============================================

Atomicity. What SQLite does in one transaction is one Lua script here (record_stored; each
outbox change; story assignment's commit; a run's start; pruning) or a MULTI/EXEC pipeline
(mark_checked, finish_run, saving validators). Scripts check key types before their first
write, since Redis does not roll a failed script back. Scripts name keys built from their JSON
argument, which a single Redis (or a replicated one) allows; Redis Cluster is not supported.
Persistence is the server's: run Redis with ``appendonly yes`` (the tests do) so a restart keeps
what was acknowledged. Redis 6.2 or newer is needed (ZADD GT/LT); check() says so on an older one.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime

from core.errors import StateError
from indexer.state.records import PageValidators, StoredArticle, from_utc_text, utc_text
from indexer.state.redis_base import LAYOUT_VERSION, Connection, micros, text
from indexer.state.redis_check import problems
from indexer.state.redis_health import RedisHealth
from indexer.state.redis_outbox import RedisOutbox
from indexer.state.redis_record import RECORD_LUA, record_args
from indexer.state.redis_stories import RedisStories
from indexer.state.redis_validators import RedisValidators

SEEN_AT_LUA = """
local a = cjson.decode(ARGV[1])
local best = false
local function consider(url)
  local stored = redis.call('HGET', a.stored_at, url)
  if not stored then return end
  local checked = redis.call('HGET', a.checked_at, url)
  if checked and checked > stored then stored = checked end
  if not best or stored > best then best = stored end
end
consider(a.url)
local canonical = redis.call('HGET', a.seen, a.url)
if canonical then consider(canonical) end
return best
"""


class RedisState:
    """The state store in a Redis shared by crawler hosts (``redis://[:password@]host:port/db``)."""

    def __init__(self, url: str, *, prefix: str = "marsad", timeout: float = 10.0) -> None:
        self._conn = Connection(url, prefix, timeout)
        self.where = self._conn.where
        self._keys = self._conn.keys
        self._redis = self._conn.client
        with self._conn.guard("connecting"):
            self._redis.set(self._keys("version"), LAYOUT_VERSION, nx=True)
        self.stories = RedisStories(self._conn)
        self.outbox = RedisOutbox(self._conn)
        self.health = RedisHealth(self._conn)
        self._validators = RedisValidators(self._conn)
        self._record = self._redis.register_script(RECORD_LUA)
        self._seen_at = self._redis.register_script(SEEN_AT_LUA)

    def close(self) -> None:
        self._conn.close()

    def check(self) -> None:
        """Ping Redis and visit every key under the prefix; an unusable store raises StateError."""
        with self._conn.guard("checking the store"):
            found = problems(self._conn)
        if found:
            raise StateError(f"{self.where} is not usable: {'; '.join(found)}. Restore it from a backup (or an "
                             "append-only file), or delete the keys named to start them afresh")

    def is_seen(self, url: str) -> bool:
        """True when this URL (as linked, or canonical) already led to a stored article.

        One HEXISTS: record_stored puts every canonical URL in ``seen`` too."""
        with self._conn.guard("lookup"):
            return bool(self._redis.hexists(self._keys("seen"), url))

    def seen_at(self, url: str) -> datetime | None:
        """When this URL (as linked, or canonical) last led to a fetched, stored article: stored,
        or found unchanged. None when it never did."""
        args = {"url": url, "seen": self._keys("seen"), "stored_at": self._keys("article:stored_at"),
                "checked_at": self._keys("article:checked_at")}
        with self._conn.guard("lookup"):
            found = text(self._seen_at(args=[json.dumps(args, ensure_ascii=False)]))
        return from_utc_text(found) if found else None

    def mark_checked(self, url: str, canonical_url: str, now: datetime | None = None) -> None:
        """A stored article was fetched again and found unchanged: remember when (and the URL that led to it)."""
        with self._conn.guard("recording a check"):
            pipe = self._redis.pipeline(transaction=True)
            pipe.hset(self._keys("article:checked_at"), canonical_url, utc_text(now or datetime.now(UTC)))
            pipe.hsetnx(self._keys("seen"), url, canonical_url)
            pipe.execute()

    def page_validators(self, url: str) -> PageValidators | None:
        with self._conn.guard("lookup"):
            return self._validators.get(url)

    def save_page_validators(self, rows: Sequence[PageValidators]) -> None:
        with self._conn.guard("saving page validators"):
            self._validators.save(rows)

    def robots_txt(self, origin: str) -> tuple[bytes, datetime] | None:
        """The robots.txt last read from ``origin`` (``scheme://host:port``) and when, or None."""
        with self._conn.guard("lookup"):
            body, fetched_at = self._redis.hmget(self._keys.robots(origin), ["body", "fetched_at"])
        return (bytes(body), from_utc_text(fetched_at.decode())) if body is not None and fetched_at else None

    def save_robots_txt(self, origin: str, body: bytes, now: datetime | None = None) -> None:
        with self._conn.guard("saving robots.txt"):
            self._redis.hset(self._keys.robots(origin),
                             mapping={"body": body, "fetched_at": utc_text(now or datetime.now(UTC))})

    def stored_hash(self, canonical_url: str) -> str | None:
        with self._conn.guard("lookup"):
            return text(self._redis.hget(self._keys("article:hash"), canonical_url))

    def mark_stored(self, rows: Iterable[tuple[str, str, str, str]]) -> None:
        """Record (url, canonical_url, source, content_hash) of articles the index confirmed."""
        self.record_stored([StoredArticle(*row) for row in rows])

    def record_stored(self, articles: Sequence[StoredArticle], now: datetime | None = None) -> int:
        """Mark ``articles`` stored and queue their alerts in one script (one round trip).

        Returns how many (rule, story, channel) outbox rows are new: a copy of a story that
        already alerted adds its match (it shows in digests and feeds) but no new row.
        """
        moment = now or datetime.now(UTC)
        if not articles:
            return 0
        argument = record_args(self._conn, articles, utc_text(moment), micros(moment))
        with self._conn.guard("recording stored articles"):
            return int(self._record(args=[argument]))

    def stored_count(self) -> int:
        with self._conn.guard("count"):
            return int(self._redis.hlen(self._keys("article:hash")))
