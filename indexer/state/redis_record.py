"""Recording a batch of stored articles on Redis: one Lua script, one round trip, all or nothing.

The script marks the articles stored, keeps each (rule, article) match once and queues each
(rule, story, channel) outbox row once: a copy of a story that already alerted adds its match but
no row, exactly as the SQLite transaction does. Redis runs a script without interleaving another
client's commands, so two hosts recording copies of one story at the same moment queue its alert
once. A script that fails half way is not rolled back, so this one checks the type of every key it
will write before its first write (and the arguments are built, and must encode, before it runs).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from indexer.state.records import StoredArticle, utc_text
from indexer.state.redis_base import Connection, ident, micros
from indexer.state.redis_outbox import EXPECT_LUA, index_keys, row_id

HASHES = ("article:hash", "article:stored_at", "article:url", "article:source", "seen", "alert:payload")

RECORD_LUA = EXPECT_LUA + """
local a = cjson.decode(ARGV[1])
local b = a.base
local problem = wrong_type(a.expect)
if problem then return redis.error_reply(problem) end
local queued = 0
for _, art in ipairs(a.articles) do
  redis.call('HSET', b .. 'article:hash', art.c, art.h)
  redis.call('HSET', b .. 'article:stored_at', art.c, a.stamp)
  redis.call('HSETNX', b .. 'article:url', art.c, art.u)
  redis.call('HSETNX', b .. 'article:source', art.c, art.s)
  redis.call('HSETNX', b .. 'seen', art.u, art.c)
  redis.call('HSETNX', b .. 'seen', art.c, art.c)
  for _, m in ipairs(art.m) do
    if redis.call('HSETNX', b .. 'alert:payload', m.id, m.p) == 1 then
      redis.call('ZADD', m.story_key, a.stamp_us, art.c)
      redis.call('ZADD', m.stories_key, 'GT', a.first_us, m.story)  -- score -time: newest first, ties by id
      redis.call('ZADD', b .. 'alert:last', 'GT', a.stamp_us, m.rule)
    end
    local new = 0
    for _, e in ipairs(m.e) do
      local row = b .. 'outbox:row:' .. e.id
      if redis.call('EXISTS', row) == 0 then
        redis.call('HSET', row, 'rule', m.rule, 'story_id', m.story, 'channel', e.ch, 'kind', e.kind,
                   'status', 'pending', 'created_at', a.stamp, 'created_us', a.stamp_us,
                   'due_at', e.due, 'due_us', e.due_us, 'next_at', e.due, 'next_us', e.due_us, 'attempts', 0)
        redis.call('ZADD', b .. 'outbox:pending', a.stamp_us, e.id)  -- index_row for a new row, inlined
        redis.call('ZADD', b .. 'outbox:due', e.due_us, e.id)
        redis.call('HINCRBY', b .. 'outbox:count:pending', e.ch, 1)
        new = 1
      end
    end
    queued = queued + new
  end
end
return queued
"""


def record_args(conn: Connection, articles: Sequence[StoredArticle], stamp: str, stamp_us: int) -> str:
    """The script's one argument; raises (TypeError, ValueError) on a payload JSON cannot hold."""
    keys = conn.keys
    expect = {keys(name): "hash" for name in HASHES}
    expect |= {keys("alert:last"): "zset"} | dict(index_keys(conn))
    batch: list[dict[str, Any]] = []
    for article in articles:
        matches = []
        for match in article.matches:
            story_key, stories_key = keys.alert_story(match.rule, match.story_id), keys.alert_stories(match.rule)
            entries = [{"id": row_id(match.rule, match.story_id, entry.channel), "ch": entry.channel,
                        "kind": entry.kind, "due": utc_text(entry.due_at), "due_us": str(micros(entry.due_at))}
                       for entry in match.entries]
            expect |= {story_key: "zset", stories_key: "zset"}
            expect |= {keys.outbox_row(entry["id"]): "hash" for entry in entries}
            matches.append({"rule": match.rule, "story": match.story_id, "story_key": story_key,
                            "stories_key": stories_key, "id": ident(match.rule, article.canonical_url),
                            "p": json.dumps(match.payload, ensure_ascii=False), "e": entries})
        batch.append({"c": article.canonical_url, "u": article.url, "s": article.source,
                      "h": article.content_hash, "m": matches})
    return json.dumps({"base": keys.base, "stamp": stamp, "stamp_us": str(stamp_us), "first_us": str(-stamp_us),
                       "expect": list(expect.items()), "articles": batch}, ensure_ascii=False)
