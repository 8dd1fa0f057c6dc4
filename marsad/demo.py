"""`marsad demo`: the whole pipeline, offline, on the built-in portal world, in a temporary folder."""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import yaml

from core.settings import load_settings
from crawler.portalworld import PortalWorld
from indexer.delivery.log import read_alerts
from indexer.storage.base import SearchRequest
from indexer.storage.factory import open_storage
from marsad.cycle import run_cycle

DEMO_ALERTS = {"rules": [{"name": "azerbaijan", "query": "أذربيجان"}]}
DEMO_SETTINGS = {"crawl": {"download_delay": 0.05, "autothrottle": True}}


def write_demo_config(config_dir: Path, sources: dict[str, object]) -> None:
    config_dir.mkdir(parents=True, exist_ok=True)
    for name, data in (("sources.yaml", sources), ("alerts.yaml", DEMO_ALERTS), ("settings.yaml", DEMO_SETTINGS)):
        (config_dir / name).write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def run_demo(_cwd: Path) -> int:
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="marsad-demo-") as tmp, PortalWorld() as world:
        config_dir = Path(tmp) / "config"
        write_demo_config(config_dir, world.sources_config())
        settings = load_settings(env={"MARSAD_DATA_DIR": str(Path(tmp) / "data")}, config_dir=config_dir)
        print(f"Portal world: {', '.join(world.base_urls.values())}")
        print("Crawling (robots.txt obeyed, AutoThrottle on)…", flush=True)
        report = run_cycle(settings)
        print(f"\nStored {report.created} new article(s) from {len(report.sources)} portals; "
              f"{report.alerts} alert(s) raised.\n")
        print("Alerts:")
        for alert in read_alerts(settings.alerts_log_path):
            print(f"  [{alert['rule']}] {alert['title']}\n      {alert['canonical_url']}")
        storage = open_storage(settings)
        try:
            result = storage.search(SearchRequest(query="أذربيجان", limit=50))
        finally:
            storage.close()
        print(f"\nmarsad search أذربيجان → {result.total} result(s):")
        for hit in result.hits:
            when = hit.article.published_at.date().isoformat() if hit.article.published_at else "?"
            print(f"  {when}  {hit.article.source:<12} {hit.article.title}")
    print(f"\nDemo finished in {time.monotonic() - started:.1f}s.", file=sys.stderr)
    return 0 if report.ok else 1
