"""Hosts sharing one Redis deliver alerts one at a time (marsad/lock.py, delivery_lock)."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
import redis

from core.errors import StateError
from core.settings import Settings
from marsad.lock import delivery_lock


def host(tmp_path: Path, redis_url: str | None) -> Settings:
    return Settings(config_dir=tmp_path, data_dir=tmp_path / "data", redis_url=redis_url, redis_prefix="t")


def test_one_host_needs_no_lock(tmp_path: Path) -> None:
    with delivery_lock(host(tmp_path, None)), delivery_lock(host(tmp_path, None)):
        pass


def test_the_second_host_waits_for_the_first_then_delivers(tmp_path: Path, redis_url: str) -> None:
    order: list[str] = []
    first_in = threading.Event()

    def first() -> None:
        with delivery_lock(host(tmp_path, redis_url), lapse=0.6):
            first_in.set()
            time.sleep(1.5)  # longer than the lapse: the holder renews it while it works
            order.append("first done")

    worker = threading.Thread(target=first)
    worker.start()
    first_in.wait(5)
    with delivery_lock(host(tmp_path, redis_url), wait=10):
        order.append("second in")
    worker.join()
    assert order == ["first done", "second in"]
    assert not redis.Redis.from_url(redis_url).exists("t:lock:delivery")


def test_a_killed_holders_lock_lapses(tmp_path: Path, redis_url: str) -> None:
    redis.Redis.from_url(redis_url).set("t:lock:delivery", "killed-host-token", px=800)  # held, never renewed
    started = time.monotonic()
    with delivery_lock(host(tmp_path, redis_url), wait=10):
        assert 0.5 < time.monotonic() - started < 5


def test_a_host_that_waits_too_long_leaves_the_alerts_queued(tmp_path: Path, redis_url: str) -> None:
    redis.Redis.from_url(redis_url).set("t:lock:delivery", "busy-host-token", ex=30)
    with pytest.raises(StateError, match="stay queued"), delivery_lock(host(tmp_path, redis_url), wait=0.3):
        pass


def test_an_unreachable_redis_names_the_redacted_url(tmp_path: Path) -> None:
    with pytest.raises(StateError, match=r"redis://:\*\*\*@127\.0\.0\.1:1/0") as caught, \
            delivery_lock(host(tmp_path, "redis://:hunter2@127.0.0.1:1/0")):
        pass
    assert "hunter2" not in str(caught.value)
