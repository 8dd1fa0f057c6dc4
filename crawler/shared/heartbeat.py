"""Each shared crawler process's heartbeat: ``<prefix>:crawler:<owner>`` = ``busy`` or ``idle``.

A thread refreshes the key every ``interval`` seconds with a time to live of ``ttl`` seconds (a
thread, so a long parse in the reactor never lets it lapse); closing deletes it. A killed
process's key expires within ``ttl``: its claims are then free, and the processes waiting for it
to finish stop waiting.
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
import threading

import redis

logger = logging.getLogger(__name__)
BUSY, IDLE = "busy", "idle"


def new_owner() -> str:
    """An id no other process has, readable in logs: ``host:pid:random``."""
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"


class Heartbeat:
    def __init__(self, client: redis.Redis, prefix: str, owner: str, interval: float, ttl: int) -> None:
        self.client = client
        self.prefix = prefix
        self.owner = owner
        self.interval = interval
        self.ttl = ttl
        self.state = BUSY
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="marsad-heartbeat", daemon=True)

    @property
    def key(self) -> str:
        return f"{self.prefix}:crawler:{self.owner}"

    def start(self) -> None:
        self._beat()  # before the first claim: a claim whose owner has no heartbeat is free
        self._thread.start()

    def stop(self) -> None:
        """A clean close: the key goes at once, so this process's claims are free at once."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=self.interval + 5)
        self.client.delete(self.key)

    def set_state(self, state: str) -> None:
        if state != self.state:
            self.state = state
            self._beat()

    def others(self) -> dict[str, str]:
        """The other live processes and their state (busy or idle)."""
        keys = [key for key in self.client.scan_iter(match=f"{self.prefix}:crawler:*", count=100)
                if _text(key) != self.key]
        values = self.client.mget(keys) if keys else []
        start = len(self.prefix) + len(":crawler:")
        return {_text(key)[start:]: _text(value) for key, value in zip(keys, values, strict=True) if value is not None}

    def _beat(self) -> None:
        self.client.set(self.key, self.state, ex=self.ttl)

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                self._beat()
            except redis.RedisError as exc:  # keeps trying; if it lapses, others may take our claims
                logger.warning("shared crawl: heartbeat not refreshed: %s", exc)


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value
