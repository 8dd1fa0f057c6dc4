"""What every Redis state component shares: the connection, its error guard, key names, time.

Every Redis error becomes a :class:`core.errors.StateError` that names the server by its redacted
URL (never a password) and says what was being done, so a Redis that went away stops the crawl
with one clear line instead of a traceback, and nothing is taken as saved that was not.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import redis
from redis.backoff import ExponentialBackoff
from redis.retry import Retry

from core.errors import StateError
from core.settings import redact_url

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
# A command that meets a dropped connection or a timeout is sent again RETRIES times (a Redis
# restart or failover blip): at worst (RETRIES + 1) x timeout before StateError. A write that
# did run before its answer was lost leaves the same data when repeated, except that start_run
# skips a run id, log_delivery and record_failure count twice, record_stored reports 0 new rows.
RETRIES = 2
LAYOUT_VERSION = "1"  # bump when the key layout changes; check() refuses data of another layout


def micros(moment: datetime) -> int:
    """Microseconds since 1970 in UTC: exact as a ZSET score (doubles hold integers up to 2**53)."""
    return (moment.astimezone(UTC) - EPOCH) // timedelta(microseconds=1)


def from_micros(value: float | int | str | bytes) -> datetime:
    return EPOCH + timedelta(microseconds=int(float(value)))


def ident(*parts: str) -> str:
    """An unambiguous name for a tuple (a hash field, a set member, the tail of a key name)."""
    return json.dumps(parts, ensure_ascii=False, separators=(",", ":"))


def text(value: bytes | str | None) -> str | None:
    if value is None:
        return None
    return value.decode("utf-8") if isinstance(value, bytes) else value


class Keys:
    """Key names: everything under ``<prefix>:state:`` (the crawl frontier has its own keys)."""

    def __init__(self, prefix: str) -> None:
        self.base = f"{prefix}:state:"

    def __call__(self, name: str) -> str:
        return self.base + name

    def outbox_row(self, row_id: str) -> str:
        return f"{self.base}outbox:row:{row_id}"

    def alert_story(self, rule: str, story_id: str) -> str:
        return f"{self.base}alert:story:{ident(rule, story_id)}"

    def alert_stories(self, rule: str) -> str:
        return f"{self.base}alert:stories:{rule}"

    def members(self, story_id: str) -> str:
        return f"{self.base}story:members:{story_id}"

    def deliveries(self, rule: str, channel: str, kind: str) -> str:
        return f"{self.base}delivery:{ident(rule, channel, kind)}"

    def run(self, run_id: int | str, part: str = "run") -> str:
        return f"{self.base}health:{part}:{run_id}"

    def page(self, url: str) -> str:
        return f"{self.base}page:{url}"

    def robots(self, origin: str) -> str:
        return f"{self.base}robots:{origin}"


class Connection:
    """One redis-py client (a connection pool) and the guard that turns its errors into StateError."""

    def __init__(self, url: str, prefix: str, timeout: float) -> None:
        if not prefix:
            raise StateError("the Redis key prefix must not be empty")
        self.where = f"Redis state store {redact_url(url)} (prefix {prefix!r})"
        self.timeout = timeout
        self.keys = Keys(prefix)
        self._secret = urlsplit(url).password
        # Typed Any: redis-py types each reply as the union of every shape a command can return
        # (bytes | str | list | tuple …); replies are converted where they are read instead.
        self.client: Any
        try:
            self.client = redis.Redis.from_url(
                url, socket_timeout=timeout, socket_connect_timeout=timeout,
                retry=Retry(ExponentialBackoff(cap=1.0, base=0.1), RETRIES),
            )
        except ValueError as exc:
            raise StateError(self._scrub(f"{self.where}: bad URL: {exc}")) from None

    def _scrub(self, message: str) -> str:
        return message.replace(self._secret, "***") if self._secret else message

    @contextmanager
    def guard(self, doing: str) -> Iterator[None]:
        try:
            yield
        except redis.AuthenticationError as exc:
            raise StateError(self._scrub(f"{self.where}: {doing} failed: Redis refused the credentials "
                                         f"({exc}); check the password in MARSAD_REDIS_URL")) from exc
        except redis.TimeoutError as exc:
            raise StateError(self._scrub(f"{self.where}: {doing} failed: no answer within "
                                         f"{self.timeout:g} s ({exc})")) from exc
        except redis.ConnectionError as exc:
            raise StateError(self._scrub(f"{self.where}: {doing} failed: cannot reach Redis ({exc}); "
                                         "is redis-server running there?")) from exc
        except redis.RedisError as exc:
            raise StateError(self._scrub(f"{self.where}: {doing} failed: {exc}")) from exc

    def close(self) -> None:
        self.client.close()
