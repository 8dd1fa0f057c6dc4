"""A lock file so two `marsad run`s on one data folder never overlap (cron safety); with several
hosts sharing one Redis, a lock there so they deliver alerts one at a time."""

from __future__ import annotations

import fcntl
import logging
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import redis

from core.errors import LockedError, StateError
from core.settings import Settings, redact_url

logger = logging.getLogger(__name__)


@contextmanager
def run_lock(path: Path) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise LockedError(f"another marsad run ({holder(fd)}) holds {path}; try again when it ends") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()} {datetime.now(UTC):%Y-%m-%dT%H:%M:%SZ}".encode(), 0)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock, also when the process is killed


def holder(fd: int) -> str:
    """«pid 123, started 2026-11-25T09:00:00Z» from the lock file (older files hold only the pid)."""
    pid, _, started = os.pread(fd, 64, 0).decode(errors="replace").strip().partition(" ")
    return f"pid {pid or 'unknown'}" + (f", started {started}" if started else "")


DELIVERY_LOCK_SECONDS = 60.0  # the delivery lock lapses this long after its holder stopped renewing it (killed)
DELIVERY_WAIT_SECONDS = 600.0  # a host waits this long for another host's delivery to finish


@contextmanager
def delivery_lock(settings: Settings, lapse: float = DELIVERY_LOCK_SECONDS,
                  wait: float = DELIVERY_WAIT_SECONDS) -> Iterator[None]:
    """Several hosts sharing one Redis deliver one at a time (``<prefix>:lock:delivery``), so two
    hosts finishing together never both send one outbox row: the second waits, then sends what is
    still due. The holder renews the lock while it works; a killed holder's lock lapses after
    ``lapse`` seconds. One host (SQLite state): nothing to share, no lock."""
    if settings.redis_url is None:
        yield
        return
    where = redact_url(settings.redis_url)
    client = redis.Redis.from_url(settings.redis_url, socket_connect_timeout=10, socket_timeout=30)
    lock = client.lock(f"{settings.redis_prefix}:lock:delivery", timeout=lapse, blocking_timeout=wait,
                       thread_local=False)
    try:
        if not lock.acquire():
            raise StateError(f"another host has held the delivery lock in Redis at {where} for over {wait:.0f}s; "
                             "the alerts stay queued for the next run")
    except redis.RedisError as exc:
        raise StateError(f"Redis at {where}: the delivery lock cannot be taken: {exc}") from exc
    stop = threading.Event()
    keeper = threading.Thread(target=_renew, args=(lock, lapse, stop), name="marsad-delivery-lock", daemon=True)
    keeper.start()
    try:
        yield
    finally:
        stop.set()
        keeper.join()
        try:
            lock.release()
        except redis.RedisError as exc:  # it lapsed (the host stalled): another host may be delivering now
            logger.warning("alerts: the delivery lock in Redis at %s was lost before its release: %s", where, exc)
        client.close()


def _renew(lock: Any, lapse: float, stop: threading.Event) -> None:
    while not stop.wait(lapse / 3):
        try:
            lock.extend(lapse, replace_ttl=True)
        except redis.RedisError as exc:  # lapsed, or Redis is away: logged, tried again
            logger.warning("alerts: the delivery lock could not be renewed: %s", exc)
