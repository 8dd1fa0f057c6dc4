"""The web page's speed: time to first byte and full load of the search page.

    .venv/bin/python bench/bench_web.py [--copies 60] [--runs 20]

The portal world is crawled once (`marsad run`: real extraction, names, stories, alerts), then
its articles are copied ``--copies`` times under new URLs and dates (one story per copy group)
into a SQLite index, so the page searches a few thousand articles. `marsad serve` runs in its
own process, as a user runs it. Measured, median of ``--runs`` after two warm-up loads each:

1. Time to first byte over HTTP/1.1 (``http.client``, a new connection each time, as a browser
   opening the page): request sent → status line and headers read; and the whole HTML read.
2. Full load in headless Debian chromium (Playwright, ``executable_path``): the browser's own
   Navigation Timing — responseStart (its TTFB) and loadEventEnd (HTML, CSS, script, icon and the
   SVG chart done), from a fresh browser context each time (nothing cached).

Queries: a rare word, a common one, a common one with a source filter and a date range, and
the empty query (every article, newest first).
"""

from __future__ import annotations

import argparse
import http.client
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from marsad_runs import AZERBAIJAN, run_marsad, write_config

from core.settings import load_settings
from crawler.portalworld import PortalWorld
from indexer.storage.sqlite import SqliteStorage

QUERIES = {
    "rare word (أذربيجان)": "/?q=" + quote("أذربيجان"),
    "common word (الاتصالات)": "/?q=" + quote("الاتصالات"),
    "common + source + dates": "/?q=" + quote("الاتصالات") + "&source=techwave&since=2026-09-01&until=2026-11-30",
    "empty query (browse)": "/",
}
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--disable-quic", "--no-first-run"]


def build_index(root: Path, copies: int) -> tuple[Path, Path, int]:
    """Crawl the portal world, then copy its articles into a bigger index; returns config, data, count."""
    env = {"MARSAD_DATA_DIR": str(root / "data"), "MARSAD_STORAGE_BACKEND": "sqlite"}
    with PortalWorld() as world:
        config = write_config(root / "config", world, {"timezone": "Asia/Riyadh", "rules": [AZERBAIJAN]})
        result = run_marsad(config, env, "run")
        if result.returncode != 0:
            raise SystemExit(f"marsad run failed: {result.stderr[-2000:]}")
    storage = SqliteStorage(load_settings(env=env, config_dir=config).sqlite_path)
    try:
        originals = list(storage.iter_articles())
        for copy in range(1, copies):
            batch = []
            for article in originals:
                url = f"{article.canonical_url}{'&' if '?' in article.canonical_url else '?'}copy={copy}"
                shift = timedelta(days=copy)
                batch.append(replace(
                    article, url=url, canonical_url=url, content_hash="",
                    published_at=article.published_at - shift if article.published_at else None,
                    story_id=f"{article.story_id or article.doc_id}-{copy}",
                ))
            storage.store(batch)
        count = storage.count()
    finally:
        storage.close()
    return config, root / "data", count


def start_server(config: Path, data: Path) -> tuple[subprocess.Popen[str], str]:
    env = {**os.environ, "MARSAD_DATA_DIR": str(data), "MARSAD_STORAGE_BACKEND": "sqlite"}
    env.pop("MARSAD_WEB_TOKEN", None)
    process = subprocess.Popen([sys.executable, "-m", "marsad.cli", "--config-dir", str(config), "serve",
                                "--port", "0"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env)
    assert process.stdout is not None
    line = process.stdout.readline()
    if not line.startswith("Marsad web page on "):
        process.kill()
        raise SystemExit(f"marsad serve did not start: {line!r}")
    return process, line.split()[4].rstrip("/")


def http_times(url: str) -> tuple[float, float, int]:
    """(time to first byte, whole response, status) for one GET on a new connection."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=60)
    try:
        start = time.perf_counter()
        connection.request("GET", parts.path + (f"?{parts.query}" if parts.query else ""))
        response = connection.getresponse()
        first = time.perf_counter()
        response.read()
        return first - start, time.perf_counter() - start, response.status
    finally:
        connection.close()


def browser_times(url: str, runs: int) -> list[tuple[float, float]]:
    from playwright.sync_api import sync_playwright

    times = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            for attempt in range(runs + 2):
                context = browser.new_context(locale="ar", timezone_id="Asia/Riyadh")
                page = context.new_page()
                page.goto(url, wait_until="load")
                timing = page.evaluate("() => { const n = performance.getEntriesByType('navigation')[0];"
                                       " return [n.responseStart - n.requestStart, n.loadEventEnd - n.startTime]; }")
                context.close()
                if attempt >= 2:
                    times.append((timing[0] / 1000, timing[1] / 1000))
        finally:
            browser.close()
    return times


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--copies", type=int, default=60, help="copies of each crawled article (default 60)")
    parser.add_argument("--runs", type=int, default=20, help="measured loads per query (default 20)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        config, data, count = build_index(Path(tmp), args.copies)
        process, base = start_server(config, data)
        try:
            print(f"index: {count} articles (SQLite); medians of {args.runs} loads, in ms\n")
            print("| query | HTTP TTFB | HTTP whole HTML | HTML KiB | browser TTFB | browser full load |")
            print("|---|---:|---:|---:|---:|---:|")
            for label, path in QUERIES.items():
                http_runs = [http_times(base + path) for _ in range(args.runs + 2)][2:]
                if {status for _, _, status in http_runs} != {200}:
                    print(f"| {label} | (HTTP {sorted({s for _, _, s in http_runs})}) | | | | |")
                    continue
                size = len(http_get(base + path)) / 1024
                loads = browser_times(base + path, args.runs)
                print(f"| {label} | {ms(statistics.median(t for t, _, _ in http_runs))} "
                      f"| {ms(statistics.median(w for _, w, _ in http_runs))} | {size:.0f} "
                      f"| {ms(statistics.median(t for t, _ in loads))} "
                      f"| {ms(statistics.median(f for _, f in loads))} |")
            print("\nother pages over HTTP, TTFB ms:")
            for label, path in (("stylesheet", "/static/marsad.css"), ("alerts page", "/alerts"),
                                ("an article (the last in index order)", f"/article/{last_doc_id(data)}")):
                times = [http_times(base + path)[0] for _ in range(args.runs + 2)][2:]
                print(f"  {label}: {ms(statistics.median(times))}")
        finally:
            process.terminate()
            process.wait(timeout=30)


def last_doc_id(data: Path) -> str:
    """The article a scan of the index reaches last: the worst case of the article view before it
    read by id (``Storage.get``); now any article costs the same."""
    storage = SqliteStorage(data / "articles.sqlite")
    try:
        last = ""
        for article in storage.iter_articles():
            last = article.doc_id
        return last
    finally:
        storage.close()


def http_get(url: str) -> bytes:
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=60)
    try:
        connection.request("GET", parts.path + (f"?{parts.query}" if parts.query else ""))
        return connection.getresponse().read()
    finally:
        connection.close()


if __name__ == "__main__":
    main()
