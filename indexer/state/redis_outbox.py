"""The alert outbox on Redis: one HASH per (rule, story, channel) row, ZSETs to find rows by state.

Rows are created by :meth:`RedisState.record_stored` (one Lua script with the stored mark). Each
change of state here is one Lua script too, so a row and its indexes never disagree, whatever
another host does at the same moment. The indexes (see the key layout in redis_state.py):
``outbox:pending`` and ``outbox:failed`` by creation time, ``outbox:due`` (pending rows only) by
the later of due time and next attempt, and ``outbox:count:<status>`` counts per channel.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Sequence
from datetime import datetime
from typing import Any, get_args

from indexer.state.records import Kind, OutboxRow, OutboxSummary, utc_text
from indexer.state.redis_base import Connection, from_micros, ident, micros, text

Key = tuple[str, str, str]  # (rule, story_id, channel)
STATUSES = ("pending", "sent", "failed")
ROW_FIELDS = ("rule", "story_id", "channel", "kind", "status", "created_us", "due_us", "attempts", "last_error")

# Lua: bring a row's indexes in line with its fields (``old`` = its status before, false if new).
# Scores are passed on as the strings stored: Lua would print a number of 16 digits as 1.7e+15.
INDEX_ROW_LUA = """
local function index_row(b, id, old)
  local f = redis.call('HMGET', b .. 'outbox:row:' .. id, 'status', 'channel', 'created_us', 'due_us', 'next_us')
  local status = f[1]
  if old ~= status then
    if old then redis.call('HINCRBY', b .. 'outbox:count:' .. old, f[2], -1) end
    redis.call('HINCRBY', b .. 'outbox:count:' .. status, f[2], 1)
  end
  redis.call('ZREM', b .. 'outbox:pending', id)
  redis.call('ZREM', b .. 'outbox:failed', id)
  redis.call('ZREM', b .. 'outbox:due', id)
  if status ~= 'sent' then redis.call('ZADD', b .. 'outbox:' .. status, f[3], id) end
  if status == 'pending' then
    local at = f[4]
    if tonumber(f[5]) > tonumber(at) then at = f[5] end
    redis.call('ZADD', b .. 'outbox:due', at, id)
  end
end
"""

# Lua: refuse before the first write when a key has the wrong type, so a script is all or nothing.
EXPECT_LUA = """
local function wrong_type(expect)
  for _, pair in ipairs(expect) do
    local found = redis.call('TYPE', pair[1])['ok']
    if found ~= 'none' and found ~= pair[2] then
      return 'WRONGTYPE ' .. pair[1] .. ' is a ' .. found .. ', expected a ' .. pair[2] .. '; nothing was written'
    end
  end
  return nil
end
"""

UPDATE_LUA = INDEX_ROW_LUA + EXPECT_LUA + """
local a = cjson.decode(ARGV[1])
local b = a.base
local ids = a.ids
if a.op == 'retry' then
  ids = {}
  for _, index in ipairs({'pending', 'failed'}) do
    for _, id in ipairs(redis.call('ZRANGE', b .. 'outbox:' .. index, 0, -1)) do table.insert(ids, id) end
  end
end
local expect = a.expect
for _, id in ipairs(ids) do table.insert(expect, {b .. 'outbox:row:' .. id, 'hash'}) end
local problem = wrong_type(expect)
if problem then return redis.error_reply(problem) end
local changed = 0
for _, id in ipairs(ids) do
  local row = b .. 'outbox:row:' .. id
  local old = redis.call('HGET', row, 'status')
  if old and (a.channel == cjson.null or redis.call('HGET', row, 'channel') == a.channel) then
    if a.op == 'sent' then
      redis.call('HSET', row, 'status', 'sent', 'sent_at', a.at)
      redis.call('HDEL', row, 'last_error')
    elseif a.op == 'failure' then
      redis.call('HINCRBY', row, 'attempts', 1)
      redis.call('HSET', row, 'last_error', a.error, 'next_at', a.at, 'next_us', a.at_us, 'status', a.status)
    elseif a.op == 'reschedule' then
      redis.call('HSET', row, 'kind', a.kind, 'due_at', a.at, 'due_us', a.at_us)
      if tonumber(redis.call('HGET', row, 'next_us')) < tonumber(a.at_us) then
        redis.call('HSET', row, 'next_at', a.at, 'next_us', a.at_us)
      end
    elseif a.op == 'retry' then
      redis.call('HSET', row, 'status', 'pending', 'attempts', 0, 'next_at', a.at, 'next_us', a.at_us)
    end
    index_row(b, id, old)
    changed = changed + 1
  end
end
return changed
"""


def row_id(rule: str, story_id: str, channel: str) -> str:
    return ident(rule, story_id, channel)


def index_keys(conn: Connection) -> list[tuple[str, str]]:
    """The outbox's own keys with their types, for a script's up-front type check."""
    keys = conn.keys
    return ([(keys(f"outbox:{name}"), "zset") for name in ("pending", "failed", "due")]
            + [(keys(f"outbox:count:{status}"), "hash") for status in STATUSES])


class RedisOutbox:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn
        self._keys = conn.keys
        self._redis = conn.client
        self._update = conn.client.register_script(UPDATE_LUA)

    def _rows(self, ids: Sequence[bytes | str]) -> list[OutboxRow]:
        pipe = self._redis.pipeline(transaction=False)
        for row in ids:
            pipe.hmget(self._keys.outbox_row(str(text(row))), ROW_FIELDS)
        rows = [_row(values) for values in pipe.execute() if values[0] is not None]
        return sorted(rows, key=lambda row: (row.created_at, *row.key))  # SQLite's ORDER BY

    def due(self, now: datetime) -> list[OutboxRow]:
        with self._conn.guard("reading the outbox"):
            ids = self._redis.zrangebyscore(self._keys("outbox:due"), "-inf", micros(now))
            rows = self._rows(ids)
        return rows

    def pending(self) -> list[OutboxRow]:
        with self._conn.guard("reading the outbox"):
            return self._rows(self._redis.zrange(self._keys("outbox:pending"), 0, -1))

    def story_matches(self, rule: str, story_id: str) -> list[dict[str, Any]]:
        """The payloads of every article of the story the rule matched, oldest first."""
        with self._conn.guard("reading alert matches"):
            return self._story_matches([(rule, story_id)])[0]

    def _story_matches(self, stories: Sequence[tuple[str, str]]) -> list[list[dict[str, Any]]]:
        pipe = self._redis.pipeline(transaction=False)
        for rule, story_id in stories:
            pipe.zrange(self._keys.alert_story(rule, story_id), 0, -1, withscores=True)
        members = pipe.execute()
        fields = [ident(rule, str(text(url))) for (rule, _), found in zip(stories, members, strict=True)
                  for url, _ in found]
        payloads = iter(self._redis.hmget(self._keys("alert:payload"), fields) if fields else [])
        return [[{**json.loads(str(text(next(payloads)))), "matched_at": from_micros(score).isoformat()}
                 for _, score in found] for found in members]

    def recent_stories(self, rule: str, limit: int) -> list[tuple[str, list[dict[str, Any]]]]:
        """The rule's newest stories (by first match), each with its matched articles."""
        if limit == 0:
            return []
        with self._conn.guard("reading alert matches"):  # a negative limit is no limit, as in SQLite
            found = self._redis.zrange(self._keys.alert_stories(rule), 0, limit - 1 if limit > 0 else -1)
            story_ids = [str(text(story)) for story in found]
            matches = self._story_matches([(rule, story_id) for story_id in story_ids])
        return list(zip(story_ids, matches, strict=True))

    def last_matched(self) -> dict[str, datetime]:
        with self._conn.guard("reading alert matches"):
            found = self._redis.zrange(self._keys("alert:last"), 0, -1, withscores=True)
        return {str(text(rule)): from_micros(score) for rule, score in found}

    def _change(self, doing: str, op: str, keys: Sequence[Key], **args: Any) -> int:
        payload = {"op": op, "base": self._keys.base, "ids": [row_id(*key) for key in keys],
                   "expect": index_keys(self._conn), "channel": None, **args}
        with self._conn.guard(doing):
            return int(self._update(args=[json.dumps(payload, ensure_ascii=False)]))

    def mark_sent(self, keys: Sequence[Key], now: datetime) -> None:
        self._change("marking alerts sent", "sent", keys, at=utc_text(now))

    def record_failure(self, keys: Sequence[Key], error: str, retry_at: datetime, give_up: bool) -> None:
        self._change("recording a failed delivery", "failure", keys, error=error, at=utc_text(retry_at),
                     at_us=str(micros(retry_at)), status="failed" if give_up else "pending")

    def reschedule(self, keys: Sequence[Key], kind: Kind, due_at: datetime) -> None:
        """Hold rows until ``due_at`` (quiet hours) or fold them into a digest (over the hourly cap)."""
        self._change("rescheduling alerts", "reschedule", keys, kind=kind, at=utc_text(due_at),
                     at_us=str(micros(due_at)))

    def retry_failed(self, now: datetime, channel: str | None = None) -> int:
        """Put rows that gave up (or wait for a later attempt) back in the queue, due now."""
        return self._change("retrying failed alerts", "retry", [], at=utc_text(now), at_us=str(micros(now)),
                            channel=channel)

    def log_delivery(self, channel: str, rule: str, kind: Kind, stories: int, now: datetime) -> None:
        member = ident(utc_text(now), str(stories), secrets.token_hex(8))  # unique: one member per message
        with self._conn.guard("logging a delivery"):
            self._redis.zadd(self._keys.deliveries(rule, channel, kind), {member: micros(now)})

    def sent_since(self, rule: str, channel: str, since: datetime, kind: Kind | None = None) -> int:
        """Messages (of ``kind``) sent for this rule on this channel since ``since`` (the hourly cap)."""
        kinds = get_args(Kind) if kind is None else (kind,)
        with self._conn.guard("reading the delivery log"):
            pipe = self._redis.pipeline(transaction=False)
            for each in kinds:
                pipe.zcount(self._keys.deliveries(rule, channel, each), micros(since), "+inf")
            return sum(int(count) for count in pipe.execute())

    def summary(self) -> OutboxSummary:
        summary = OutboxSummary()
        with self._conn.guard("reading the outbox"):
            pipe = self._redis.pipeline(transaction=False)
            for status in STATUSES:
                pipe.hgetall(self._keys(f"outbox:count:{status}"))
            pipe.zrange(self._keys("outbox:failed"), 0, -1)
            pipe.zrange(self._keys("outbox:pending"), 0, 0, withscores=True)
            *counts, failed, oldest = pipe.execute()
            summary.failed = self._rows(failed)
        for status, per_channel in zip(STATUSES, counts, strict=True):
            for channel, count in per_channel.items():
                if int(count) > 0:
                    summary.counts[(str(text(channel)), status)] = int(count)
        summary.oldest_pending = from_micros(oldest[0][1]) if oldest else None
        return summary


def _row(values: list[bytes | None]) -> OutboxRow:
    rule, story_id, channel, kind, status, created_us, due_us, attempts, last_error = (text(value) for value in values)
    return OutboxRow(
        rule=str(rule), story_id=str(story_id), channel=str(channel), kind=kind,  # type: ignore[arg-type]
        status=status, created_at=from_micros(str(created_us)), due_at=from_micros(str(due_us)),  # type: ignore[arg-type]
        attempts=int(str(attempts)), last_error=last_error,
    )
