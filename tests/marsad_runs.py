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
