"""Claims: which process is working on which request, as a duplicate filter for the shared frontier.

Scrapy-redis's own filter is a set of fingerprints kept forever: a process killed mid-run would
leave its unfinished URLs marked seen (never fetched again), and a process that flushes it at the
end would disturb the others. A claim instead names its owner and is granted, atomically (one Lua
script), when the key is free, already this process's, or held by a process whose heartbeat has
expired (killed, or ended). The script reads the heartbeat key of the current owner, a key it is
not given: fine on one Redis server (or a primary with replicas), not on Redis Cluster.
"""

from __future__ import annotations

from typing import Any

import redis

CLAIM = """
local owner = redis.call('GET', KEYS[1])
if owner and owner ~= ARGV[1] and redis.call('EXISTS', ARGV[3] .. owner) == 1 then
  return 0
end
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
return 1
"""


class Claims:
    def __init__(self, client: redis.Redis, prefix: str, owner: str, ttl_seconds: int) -> None:
        self.client = client
        self.prefix = prefix
        self.owner = owner
        self.ttl_seconds = ttl_seconds
        self._claim: Any = client.register_script(CLAIM)

    def key(self, fingerprint: str) -> str:
        return f"{self.prefix}:claim:{fingerprint}"

    def claim(self, fingerprint: str) -> bool:
        """True when this process may schedule the request: nobody live is working on it."""
        granted = self._claim(keys=[self.key(fingerprint)],
                              args=[self.owner, self.ttl_seconds, f"{self.prefix}:crawler:"])
        return bool(granted)

    def take(self, fingerprint: str) -> None:
        """This process popped the request: the claim is now its own (its heartbeat guards it)."""
        self.client.set(self.key(fingerprint), self.owner, ex=self.ttl_seconds)

    def owner_of(self, fingerprint: str) -> str | None:
        value = self.client.get(self.key(fingerprint))
        return value.decode() if isinstance(value, bytes) else value
