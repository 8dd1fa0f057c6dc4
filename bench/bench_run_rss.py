"""A real `marsad run` over a scaled portal world: peak RSS and articles per minute.

    .venv/bin/python bench/bench_run_rss.py [--articles 10000] [--concurrency 16]

The three portals of the portal world serve ``--articles`` generated articles instead of their
32: each is built from the world's own texts recombined — sentences drawn from every article's
paragraphs, titles from their titles, a number making each one distinct — with dates, paths and
templates of its portal (techwave's RSS feed and arabnet's news sitemap list every article;
shamtech's listing is paged, with enough pages configured). Politeness is off (no delay, no
AutoThrottle, ``--concurrency`` requests per portal; robots.txt is still obeyed), the index is
SQLite, the azerbaijan rule raises alerts into the log channel. One run into an empty data folder,
measured by /usr/bin/time (maximum resident set size of the `marsad run` process; the portal
servers run in this process, not in the measured one).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from crawler.portalworld import PortalWorld, load_world_data
from crawler.portalworld.data import AZERBAIJAN_RE, PORTAL_NAMES, Block, WorldData
from indexer.state import StateStore

SENTENCE = re.compile(r"[^.،؟!]+[.؟!]?")


def scaled_world(count: int, seed: int = 10) -> WorldData:
    """``count`` distinct articles over the three portals, recombined from the world's texts."""
    base = load_world_data()
    rng = random.Random(seed)
    sentences = [s.strip() for a in base.articles for b in a.blocks if b.kind == "p"
                 for s in SENTENCE.findall(b.text) if len(s.strip()) > 40 and encodable(s)]
    titles = [a.title for a in base.articles if encodable(a.title)]  # shamtech serves windows-1256
    start = datetime(2026, 11, 25, 12, 0)
    articles = []
    for n in range(count):
        portal = PORTAL_NAMES[n % 3]
        spec = base.portals[portal]
        template = base.articles[n % len(base.articles)]
        published = (start - timedelta(minutes=7 * n)).replace(tzinfo=ZoneInfo(spec.timezone))
        paragraphs = tuple(Block("p", f"{' '.join(rng.sample(sentences, rng.randint(2, 4)))} ({n})")
                           for _ in range(rng.randint(4, 8)))
        title = f"{rng.choice(titles)} — {n}"
        text = " ".join([title, *(block.text for block in paragraphs)])
        articles.append(replace(
            template, id=f"bench-{n}", portal=portal, path=article_path(portal, n, published), title=title,
            published=published, modified=None, blocks=paragraphs, section=template.section if template.portal
            == portal else "", tags=(), mentions_azerbaijan=bool(AZERBAIJAN_RE.search(text)), syndicated_group=None,
        ))
    return WorldData(portals=base.portals, articles=tuple(articles), private_pages=base.private_pages)


def encodable(text: str) -> bool:
    try:
        text.encode("cp1256")
    except UnicodeEncodeError:
        return False
    return True


def article_path(portal: str, n: int, published: datetime) -> str:
    if portal == "techwave":
        return f"/{published:%Y/%m/%d}/bench-article-{n}/"
    if portal == "arabnet":
        return f"/news/{100000 + n}.html"
    return f"/article.php?id={100000 + n}"


def write_config(folder: Path, world: PortalWorld, count: int, concurrency: int) -> None:
    sources = world.sources_config()
    for source in sources["sources"]:
        for listing in source["listings"]:
            listing["max_pages"] = min(count, 1000)  # every page of every listing (the most sources.yaml allows)
        source["page_budget"] = 2 * count + 100  # the whole scaled world in one run (the default is 500 requests)
    settings = {"crawl": {"download_delay": 0.0, "autothrottle": False, "concurrent_requests_per_domain": concurrency},
                "alerts": {"retry_seconds": 0, "retry_pause_seconds": 0}}
    files = {"sources.yaml": sources, "settings.yaml": settings,
             "alerts.yaml": {"rules": [{"name": "azerbaijan", "query": "أذربيجان"}]}}
    folder.mkdir(parents=True)
    for name, data in files.items():
        (folder / name).write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def measure(count: int, concurrency: int) -> dict[str, object]:
    data = scaled_world(count)
    with tempfile.TemporaryDirectory(prefix="marsad-bench-") as tmp, PortalWorld(data) as world:
        config = Path(tmp) / "config"
        write_config(config, world, count, concurrency)
        command = ["/usr/bin/time", "-f", "RSS_KB=%M", sys.executable, "-m", "marsad.cli", "--config-dir",
                   str(config), "run", "--json"]
        started = time.monotonic()
        result = subprocess.run(command, capture_output=True, text=True, env={"MARSAD_DATA_DIR": f"{tmp}/data",
                                                                              "PATH": "/usr/bin:/bin"})
        seconds = time.monotonic() - started
        state = StateStore(Path(tmp) / "data" / "state.sqlite")
        checked = time.monotonic()
        state.check()  # what every run does first: SQLite's quick_check over the whole state store
        check_seconds = time.monotonic() - checked
        state_mb = state.path.stat().st_size / 1e6
        state.close()
    if not result.stdout.strip():
        raise SystemExit(f"the run printed no report (exit {result.returncode}):\n{result.stderr[-3000:]}")
    rss = int(re.findall(r"RSS_KB=(\d+)", result.stderr)[-1])
    report = json.loads(result.stdout.strip().splitlines()[-1])
    return {"articles": count, "exit": result.returncode, "stored": report["created"], "alerts": report["alerts"],
            "pages": report["pages_fetched"], "seconds": round(seconds, 1), "peak_rss_mb": round(rss / 1024, 1),
            "articles_per_minute": round(report["created"] / seconds * 60),
            "state_mb": round(state_mb, 1), "state_check_seconds": round(check_seconds, 3)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--concurrency", type=int, default=16, help="requests in flight per portal")
    args = parser.parse_args()
    print(json.dumps(measure(args.articles, args.concurrency)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
