"""Story membership on Redis, safe when several hosts assign copies of one story at once.

:meth:`RedisStories.assign` is optimistic: one script reads the article's LSH buckets and every
candidate in them (story, signature, join time); Python decides with :func:`same_story` (one
definition of "same story" for both stores); a second script writes the article into its story
only if none of those buckets changed in between, else the read is done again. Two hosts storing
syndicated copies at the same moment thus end with one story: the second commit finds a bucket
the first one filled, re-reads, sees the first copy and joins its story.

A bucket (``story:bands`` field = band key) holds a small JSON array of canonical URLs: a HASH
field per bucket rather than a SET per bucket, because every article has 16 band keys and a key
per bucket would cost ~16 keys of overhead per article.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime

from core.errors import StateError
from indexer.state.records import utc_text
from indexer.state.redis_base import Connection, micros, text
from indexer.stories import StorySignature, band_keys, same_story

ATTEMPTS = 50  # optimistic rounds before giving up (each lost round means another host just wrote)

READ_LUA = """
local a = cjson.decode(ARGV[1])
local b = a.base
local known = redis.call('HGET', b .. 'story:of', a.url)
if known then return {known} end
local out = {''}
for _, key in ipairs(a.bands) do
  table.insert(out, redis.call('HGET', b .. 'story:bands', key) or '')
end
local seen = {}
for i = 2, #out do
  if out[i] ~= '' then
    for _, url in ipairs(cjson.decode(out[i])) do
      if not seen[url] then
        seen[url] = true
        table.insert(out, url)
        table.insert(out, redis.call('HGET', b .. 'story:of', url) or '')
        table.insert(out, redis.call('HGET', b .. 'story:sig', url) or '')
        table.insert(out, redis.call('HGET', b .. 'story:joined', url) or '')
      end
    end
  end
end
return out
"""

COMMIT_LUA = """
local a = cjson.decode(ARGV[1])
local b = a.base
for _, pair in ipairs({{'story:of', 'hash'}, {'story:sig', 'hash'}, {'story:joined', 'hash'},
                       {'story:bands', 'hash'}}) do
  local found = redis.call('TYPE', b .. pair[1])['ok']
  if found ~= 'none' and found ~= pair[2] then
    return redis.error_reply('WRONGTYPE ' .. b .. pair[1] .. ' is a ' .. found .. '; nothing was written')
  end
end
local known = redis.call('HGET', b .. 'story:of', a.url)
if known then return known end
for i, key in ipairs(a.bands) do
  if (redis.call('HGET', b .. 'story:bands', key) or '') ~= a.seen[i] then return false end
end
redis.call('HSET', b .. 'story:of', a.url, a.story)
redis.call('HSET', b .. 'story:joined', a.url, a.joined)
if a.sig ~= cjson.null then redis.call('HSET', b .. 'story:sig', a.url, a.sig) end
redis.call('ZADD', a.members, a.joined_us, a.url)
for i, key in ipairs(a.bands) do
  local urls = {}
  if a.seen[i] ~= '' then urls = cjson.decode(a.seen[i]) end
  table.insert(urls, a.url)
  redis.call('HSET', b .. 'story:bands', key, cjson.encode(urls))
end
return a.story
"""


class RedisStories:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn
        self._keys = conn.keys
        self._read = conn.client.register_script(READ_LUA)
        self._commit = conn.client.register_script(COMMIT_LUA)

    def story_of(self, canonical_url: str) -> str | None:
        with self._conn.guard("reading stories"):
            return text(self._conn.client.hget(self._keys("story:of"), canonical_url))

    def assign(self, canonical_url: str, signature: StorySignature | None, now: datetime | None = None) -> str:
        """The story of this article: its own if known, else the oldest story it duplicates,
        else a new story led by it. Written at once, so the next copy (on any host) finds it."""
        joined = now or datetime.now(UTC)
        bands = [str(key) for key in band_keys(signature)] if signature is not None else []
        base = {"base": self._keys.base, "url": canonical_url, "bands": bands}
        for _ in range(ATTEMPTS):
            with self._conn.guard("reading stories"):
                found = [text(value) or "" for value in self._read(args=[json.dumps(base, ensure_ascii=False)])]
            if found[0]:
                return found[0]
            seen, candidates = found[1:1 + len(bands)], found[1 + len(bands):]
            story_id = self._find(signature, candidates) if signature is not None else None
            story_id = story_id or hashlib.sha1(canonical_url.encode("utf-8")).hexdigest()
            commit = {**base, "seen": seen, "story": story_id, "members": self._keys.members(story_id),
                      "sig": signature.dumps() if signature else None, "joined": utc_text(joined),
                      "joined_us": str(micros(joined))}
            with self._conn.guard("assigning a story"):
                result = self._commit(args=[json.dumps(commit, ensure_ascii=False)])
            if result is not None:
                return str(text(result))
        raise StateError(f"{self._conn.where}: could not assign {canonical_url} to a story: its buckets changed "
                         f"{ATTEMPTS} times in a row while other hosts wrote")

    @staticmethod
    def _find(signature: StorySignature, candidates: list[str]) -> str | None:
        """The oldest candidate story whose stored signature is the same story (candidates come
        as url, story_id, signature, joined_at; in bucket order, which breaks ties of join time)."""
        rows = [candidates[i:i + 4] for i in range(0, len(candidates), 4)]
        for _, story_id, stored, _ in sorted(rows, key=lambda row: row[3]):
            try:
                other = StorySignature.loads(stored) if stored else None
            except ValueError:  # a signature of an older kind: not comparable, skip it
                continue
            if other is not None and same_story(signature, other):
                return story_id
        return None

    def members(self, story_id: str) -> list[str]:
        with self._conn.guard("reading stories"):
            return [str(text(url)) for url in self._conn.client.zrange(self._keys.members(story_id), 0, -1)]
