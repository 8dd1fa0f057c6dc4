"""A lock file so two `marsad run`s on one data folder never overlap (cron safety)."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from core.errors import LockedError


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
