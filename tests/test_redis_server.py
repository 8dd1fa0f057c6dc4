"""The Redis the shared-crawl tests use is real: Debian's redis-server, append-only, on loopback."""

from __future__ import annotations

import redis
from redis_servers import RedisServer


def test_the_server_answers_and_keeps_its_data_across_a_restart(redis_session: RedisServer, redis_url: str) -> None:
    client = redis.Redis.from_url(redis_url)
    client.set("marsad:test", "قيمة")
    redis_session.stop()
    redis_session.start()
    assert redis.Redis.from_url(redis_url).get("marsad:test") == "قيمة".encode()
