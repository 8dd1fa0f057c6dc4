"""Helpers for tests that run `marsad` as cron does: a config folder for the portal world and
the command in a subprocess (so a run can be killed)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

if TYPE_CHECKING:
    from crawler.portalworld import PortalWorld

AZERBAIJAN = {"name": "azerbaijan", "query": "أذربيجان"}
FAST_CRAWL = {"crawl": {"download_delay": 0.0, "autothrottle": True},
              "alerts": {"retry_seconds": 0, "retry_pause_seconds": 0}}


def write_config(config_dir: Path, world: PortalWorld, alerts: dict[str, Any] | None = None,
                 settings: dict[str, Any] | None = None) -> Path:
    config_dir.mkdir(parents=True, exist_ok=True)
    files = {
        "sources.yaml": world.sources_config(),
        "alerts.yaml": alerts if alerts is not None else {"rules": [AZERBAIJAN]},
        "settings.yaml": settings if settings is not None else FAST_CRAWL,
    }
    for name, data in files.items():
        (config_dir / name).write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return config_dir


def marsad_command(config_dir: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "marsad.cli", "--config-dir", str(config_dir), *args]


def run_marsad(config_dir: Path, env: dict[str, str], *args: str, timeout: float = 300
               ) -> subprocess.CompletedProcess[str]:
    return subprocess.run(marsad_command(config_dir, *args), capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, **env})


def last_json(output: str) -> Any:
    return json.loads(output.strip().splitlines()[-1])


def mentioning(world: PortalWorld) -> set[str]:
    return {article["canonical_url"] for article in world.expected_articles() if article["mentions_azerbaijan"]}


def syndicated_pairs(world: PortalWorld) -> list[set[str]]:
    groups: dict[str, set[str]] = {}
    for article in world.expected_articles():
        if article["syndicated_group"]:
            groups.setdefault(article["syndicated_group"], set()).add(article["canonical_url"])
    return [urls for urls in groups.values() if len(urls) == 2]


# One request at a time, small batches: slow enough to be caught mid-crawl by a signal.
SLOW_CRAWL = {"crawl": {"download_delay": 0.05, "autothrottle": False, "concurrent_requests_per_domain": 1},
              "storage": {"batch_size": 4},
              "alerts": {"retry_seconds": 0, "retry_pause_seconds": 0}}


def count_rows(db: Path, sql: str) -> int:
    """``sql``'s count in a SQLite file being written by a run (0 before its tables exist)."""
    import sqlite3

    if not db.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as connection:
            return int(connection.execute(sql).fetchone()[0])
    except sqlite3.OperationalError:  # the tables are not created yet
        return 0


def start_marsad(config_dir: Path, env: dict[str, str], *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(marsad_command(config_dir, *args), env={**os.environ, **env}, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def wait_for_rows(process: subprocess.Popen[str], db: Path, sql: str, at_least: int, timeout: float = 120) -> int:
    """Poll until ``sql`` counts ``at_least`` rows while the run goes on; the count then."""
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        seen = count_rows(db, sql)
        if seen >= at_least:
            return seen
        if process.poll() is not None:
            raise AssertionError(f"the run ended (code {process.returncode}) before {at_least} rows: {sql}")
        time.sleep(0.005)
    raise AssertionError(f"timed out waiting for {at_least} rows: {sql}")


def damage_sqlite(path: Path) -> None:
    """Zero one page in the middle of a SQLite file: it still opens, lookups then fail."""
    import sqlite3

    with sqlite3.connect(path) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = bytearray(path.read_bytes())
    page = len(data) // 4096 // 2
    data[page * 4096:(page + 1) * 4096] = bytes(4096)
    path.write_bytes(bytes(data))
