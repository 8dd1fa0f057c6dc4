"""Source health on Redis: runs in a ZSET by start time, each run's counters and flags in HASHes.

Counters stay generic as in SQLite: a field per (source, counter), so a counter the crawler starts
counting tomorrow is kept without a layout change. ``health:sources`` remembers every source that
ever counted, so reading only some counters of a month of runs asks for just those fields.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime

from indexer.state.records import Counters, RunRecord, SourceFlag, from_utc_text, utc_text
from indexer.state.redis_base import Connection, from_micros, ident, micros, text

PAGE = 256  # runs read per round trip when looking back for a counter

START_LUA = """
local a = cjson.decode(ARGV[1])
local found = redis.call('TYPE', a.runs)['ok']
if found ~= 'none' and found ~= 'zset' then return redis.error_reply('WRONGTYPE ' .. a.runs .. ' is a ' .. found) end
local id = redis.call('INCR', a.next)
redis.call('HSET', a.run .. id, 'started_at', a.started, 'outcome', 'running')
redis.call('ZADD', a.runs, a.started_us, id)
return id
"""

PRUNE_LUA = """
local a = cjson.decode(ARGV[1])
local ids = redis.call('ZRANGEBYSCORE', a.runs, '-inf', '(' .. a.before_us)
for _, id in ipairs(ids) do
  redis.call('DEL', a.run .. id, a.counters .. id, a.flags .. id)
  redis.call('ZREM', a.runs, id)
end
return #ids
"""


class RedisHealth:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn
        self._keys = conn.keys
        self._redis = conn.client
        self._start = conn.client.register_script(START_LUA)
        self._prune = conn.client.register_script(PRUNE_LUA)

    def _args(self, **args: str) -> str:
        return json.dumps({"runs": self._keys("health:runs"), "next": self._keys("health:next_run"),
                           "run": self._keys.run(""), "counters": self._keys.run("", "counters"),
                           "flags": self._keys.run("", "flags"), **args}, ensure_ascii=False)

    def start_run(self, started_at: datetime) -> int:
        with self._conn.guard("recording the run's start"):
            return int(self._start(args=[self._args(started=utc_text(started_at),
                                                    started_us=str(micros(started_at)))]))

    def finish_run(self, run_id: int, finished_at: datetime, outcome: str, counters: Counters,
                   flags: list[SourceFlag]) -> None:
        values = {ident(source, counter): value for source, per_source in counters.items()
                  for counter, value in per_source.items()}
        with self._conn.guard("recording source health"):
            pipe = self._redis.pipeline(transaction=True)
            pipe.hset(self._keys.run(run_id), mapping={"finished_at": utc_text(finished_at), "outcome": outcome})
            if values:
                pipe.hset(self._keys.run(run_id, "counters"), mapping=values)
                pipe.sadd(self._keys("health:sources"), *counters)
            if flags:
                pipe.hset(self._keys.run(run_id, "flags"),
                          mapping={ident(flag.source, flag.reason): flag.detail for flag in flags})
            pipe.execute()

    def runs_since(self, since: datetime, counters: Sequence[str] | None = None) -> list[RunRecord]:
        """Runs started at or after ``since``, oldest first, with their flags and their counters
        (only those named in ``counters``, when given: a month of runs is many fields)."""
        with self._conn.guard("reading source health"):
            pipe = self._redis.pipeline(transaction=False)
            pipe.zrangebyscore(self._keys("health:runs"), micros(since), "+inf")
            pipe.smembers(self._keys("health:sources"))
            ids, sources = pipe.execute()
            fields = [ident(str(text(source)), counter) for source in sorted(sources) for counter in counters or ()]
            pipe = self._redis.pipeline(transaction=False)
            for run_id in ids:
                pipe.hgetall(self._keys.run(str(text(run_id))))
                if counters is None:
                    pipe.hgetall(self._keys.run(str(text(run_id)), "counters"))
                elif fields:
                    pipe.hmget(self._keys.run(str(text(run_id)), "counters"), fields)
                pipe.hgetall(self._keys.run(str(text(run_id)), "flags"))
            replies = iter(pipe.execute())
        runs = []
        for run_id in ids:
            run = {key.decode(): value.decode("utf-8") for key, value in next(replies).items()}
            found = next(replies) if counters is None or fields else {}
            if not run:  # pruned by another host between the two round trips
                next(replies)
                continue
            found = found if isinstance(found, dict) else dict(zip(fields, found, strict=True))
            record = RunRecord(int(run_id), from_utc_text(run["started_at"]),
                               from_utc_text(run["finished_at"]) if run.get("finished_at") else None, run["outcome"])
            for field, value in found.items():
                if value is not None:
                    source, counter = _pair(field)
                    record.counters.setdefault(source, {})[counter] = int(value)
            flags = [SourceFlag(*_pair(field), str(text(detail))) for field, detail in next(replies).items()]
            record.flags = sorted(flags, key=lambda flag: (flag.source, flag.reason))
            runs.append(record)
        return sorted(runs, key=lambda run: (run.started_at, run.id))

    def last_with(self, source: str, counter: str) -> datetime | None:
        """When the latest run started in which ``source`` counted ``counter`` above zero."""
        field = ident(source, counter)
        start = 0
        with self._conn.guard("reading source health"):
            while page := self._redis.zrevrange(self._keys("health:runs"), start, start + PAGE - 1, withscores=True):
                pipe = self._redis.pipeline(transaction=False)
                for run_id, _ in page:
                    pipe.hget(self._keys.run(str(text(run_id)), "counters"), field)
                for (_, score), value in zip(page, pipe.execute(), strict=True):
                    if value is not None and int(value) > 0:
                        return from_micros(score)
                start += PAGE
        return None

    def prune(self, before: datetime) -> int:
        """Forget runs started before ``before``; how many."""
        with self._conn.guard("pruning source health"):
            return int(self._prune(args=[self._args(before_us=str(micros(before)))]))


def _pair(field: bytes | str) -> tuple[str, str]:
    first, second = json.loads(str(text(field)))
    return str(first), str(second)
