"""Crawl traffic on the portal world: what a cycle asks of the portals, unchanged and over a day.

    .venv/bin/python bench/bench_crawl.py [--cycles 72] [--skip-day]

1. Conditional GET, two ways, on the same three cycles (cold; unchanged; after one new article
   appears in techwave's feed): Marsad's validators kept in the state store, against Scrapy's
   HttpCacheMiddleware with RFC2616Policy on discovery requests only (articles carry
   ``dont_cache``). Requests, 304s, whether the new article was fetched, and what each keeps on
   disk between runs.
2. A steady-state day: cron every 24 h / ``--cycles`` (72: every 20 minutes). The day starts
   with half of the world's articles published and crawled (a warm-up run, not counted); the
   other half is published one by one across the day and three arabnet articles are edited (a
   newer lastmod in its news sitemap). Three crawlers run the same day, each on its own data
   folder: Marsad; Marsad as it was before conditional GETs ("old": validators off, robots.txt
   fetched every run); and a naive re-crawl (a fresh data folder every cycle: every discovery
   page and every article, every time). Requests and bytes served, counted by the portal
   servers themselves.
Every cycle is a real `marsad crawl` subprocess (no alerts) against the portals over HTTP.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from crawler.portalworld import PortalWorld
from crawler.portalworld.data import ArticleRecord, Block, WorldData, load_world_data

HTTPCACHE = {"HTTPCACHE_ENABLED": True, "HTTPCACHE_POLICY": "scrapy.extensions.httpcache.RFC2616Policy",
             "MARSAD_CONDITIONAL_GET": False}
FAST = {"download_delay": 0.0, "autothrottle": True}


@dataclass
class Cycle:
    requests: int = 0
    robots: int = 0
    not_modified: int = 0
    articles: int = 0
    bytes: int = 0
    paths: list[str] = field(default_factory=list)


def child(config: str, data: str, mode: str) -> None:
    """One crawl in this process (`--child`): Marsad's cycle, Scrapy settings adjusted for ``mode``."""
    from core.settings import load_settings
    from crawler.sources import load_sources, select_sources
    from marsad import cycle

    settings = load_settings(env={"MARSAD_DATA_DIR": data, "MARSAD_STORAGE_BACKEND": "sqlite"},
                             config_dir=Path(config))
    make = cycle.scrapy_settings

    def adjusted(*args: Any, **kwargs: Any) -> Any:
        values = make(*args, **kwargs)
        if mode == "httpcache":
            values.setdict({**HTTPCACHE, "HTTPCACHE_DIR": str(Path(data) / "httpcache")}, priority="cmdline")
        return values

    cycle.scrapy_settings = adjusted  # type: ignore[assignment]
    report = cycle.crawl_sources(settings, select_sources(load_sources(settings.sources_path), None), alerts=False,
                                 log_level="ERROR")
    print(json.dumps(report.to_dict(), ensure_ascii=False))


def crawl(world: PortalWorld, config: Path, data: Path, mode: str) -> tuple[Cycle, dict[str, Any]]:
    world.reset_requests()
    done = subprocess.run([sys.executable, __file__, "--child", str(config), str(data), mode],
                          capture_output=True, text=True, timeout=600)
    if done.returncode != 0:
        raise SystemExit(f"crawl failed ({mode}):\n{done.stderr[-3000:]}")
    report = json.loads(done.stdout.strip().splitlines()[-1])
    article_paths = {world.url_of(record).removeprefix(world.base_url(record.portal))
                     for record in [*world.data.articles, *world.data.private_pages]}
    cycle = Cycle()
    for record in world.request_log:
        if record.path == "/robots.txt":
            cycle.robots += 1
            continue
        cycle.requests += 1
        cycle.bytes += record.size
        cycle.not_modified += record.status == 304
        cycle.articles += record.path in article_paths
        cycle.paths.append(f"{record.portal}{record.path} {record.status}")
    return cycle, report


def write_config(folder: Path, world: PortalWorld, crawl: dict[str, Any]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "sources.yaml").write_text(yaml.safe_dump(world.sources_config(), allow_unicode=True), "utf-8")
    (folder / "settings.yaml").write_text(yaml.safe_dump({"crawl": crawl}), "utf-8")
    return folder


def subset(data: WorldData, articles: list[ArticleRecord]) -> WorldData:
    return WorldData(data.portals, tuple(articles), data.private_pages)


def kept_on_disk(data: Path, mode: str) -> int:
    if mode == "httpcache":
        return sum(path.stat().st_size for path in (data / "httpcache").rglob("*") if path.is_file())
    with sqlite3.connect(data / "state.sqlite") as db:
        rows = db.execute("SELECT COALESCE(SUM(LENGTH(url) + LENGTH(source_key) + LENGTH(COALESCE(etag, '')) + "
                          "LENGTH(COALESCE(last_modified, '')) + LENGTH(COALESCE(body_hash, '')) + "
                          "LENGTH(COALESCE(children, '')) + LENGTH(checked_at)), 0) FROM page_validators").fetchone()
    return int(rows[0])


def conditional_get(root: Path) -> None:
    full = load_world_data()
    newest = max((a for a in full.articles if a.portal == "techwave"), key=lambda a: a.published)
    print("## 1. Conditional GET: Marsad's validators vs HttpCacheMiddleware + RFC2616Policy\n")
    print("| crawler | cycle | requests (not robots.txt) | 304 | articles fetched | new article fetched | "
          "kept on disk |\n|---|---|---|---|---|---|---|")
    for mode in ("marsad", "httpcache"):
        with PortalWorld(subset(full, [a for a in full.articles if a is not newest])) as world:
            config = write_config(root / f"cg-{mode}" / "config", world, FAST)
            data = root / f"cg-{mode}" / "data"
            for name in ("cold", "unchanged", "one new article"):
                if name == "one new article":
                    world.set_data(full)
                cycle, _ = crawl(world, config, data, mode)
                fetched = any(newest.path in path for path in cycle.paths) if name == "one new article" else "–"
                print(f"| {mode} | {name} | {cycle.requests} | {cycle.not_modified} | {cycle.articles} | {fetched} | "
                      f"{kept_on_disk(data, mode):,} B |")
                if name != "cold":
                    pages = [p for p in cycle.paths if not any(a in p for a in ("/20", ".html", "id="))]
                    print(f"|  |  | {'; '.join(pages)} | | | | |")
    print()


def edited(record: ArticleRecord) -> ArticleRecord:
    note = Block("p", "تحديث: أضيفت إلى الخبر تفاصيل جديدة بعد نشره، منها موعد بدء التنفيذ وقائمة المدن المشمولة.")
    return replace(record, blocks=(*record.blocks, note), modified=datetime.now(UTC))


def day(root: Path, cycles: int) -> None:
    full = load_world_data()
    ordered = sorted(full.articles, key=lambda a: a.published)
    start, later = ordered[: len(ordered) // 2], ordered[len(ordered) // 2:]
    publish_at = {round((i + 1) * cycles / (len(later) + 1)): record for i, record in enumerate(later)}
    to_edit = [a for a in start if a.portal == "arabnet"][:3]
    edit_at = {round((i + 1) * cycles / 4) + 1: record for i, record in enumerate(to_edit)}
    modes = {"marsad": FAST, "old": {**FAST, "conditional_get": False, "robots_cache_hours": 0}, "naive": FAST}
    totals = {mode: Cycle() for mode in modes}
    unchanged: dict[str, Cycle] = {}
    for mode, crawl_settings in modes.items():
        visible = list(start)
        with PortalWorld(subset(full, visible)) as world:
            config = write_config(root / f"day-{mode}" / "config", world, crawl_settings)
            crawl(world, config, root / f"day-{mode}" / "data-warm", mode)  # yesterday: state is warm
            for number in range(1, cycles + 1):
                if number in publish_at:
                    visible.append(publish_at[number])
                if number in edit_at:
                    visible = [edited(a) if a.id == edit_at[number].id else a for a in visible]
                world.set_data(subset(full, visible))
                data = root / f"day-{mode}" / (f"data-{number}" if mode == "naive" else "data-warm")
                cycle, _ = crawl(world, config, data, mode)
                if number == 1:
                    unchanged[mode] = cycle
                total = totals[mode]
                total.requests += cycle.requests + cycle.robots
                total.robots += cycle.robots
                total.not_modified += cycle.not_modified
                total.articles += cycle.articles
                total.bytes += cycle.bytes
    print(f"## 2. A steady-state day: {cycles} cycles, {len(later)} articles published, {len(to_edit)} edited\n")
    print("| crawler | requests per unchanged cycle (+ robots.txt) | requests per day | of which 304 | "
          "article fetches | robots.txt | bytes per day |\n|---|---|---|---|---|---|---|")
    for mode, total in totals.items():
        first = unchanged[mode]
        print(f"| {mode} | {first.requests} (+{first.robots}) | {total.requests:,} | {total.not_modified:,} | "
              f"{total.articles:,} | {total.robots} | {total.bytes:,} |")
    naive, marsad, old = totals["naive"], totals["marsad"], totals["old"]
    print(f"\nMarsad / naive re-crawl: requests {marsad.requests / naive.requests:.4f} "
          f"(1 : {naive.requests / marsad.requests:.0f}), bytes {marsad.bytes / naive.bytes:.4f}; "
          f"Marsad / old: requests {marsad.requests / old.requests:.2f}, bytes {marsad.bytes / old.bytes:.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cycles", type=int, default=72, help="cycles in the day (default 72: every 20 minutes)")
    parser.add_argument("--skip-day", action="store_true", help="only the conditional-GET comparison")
    parser.add_argument("--child", nargs=3, metavar=("CONFIG", "DATA", "MODE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    with tempfile.TemporaryDirectory() as tmp:
        conditional_get(Path(tmp))
        if not args.skip_day:
            day(Path(tmp), args.cycles)


if __name__ == "__main__":
    main()
