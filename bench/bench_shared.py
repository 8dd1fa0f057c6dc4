"""Articles per minute end to end: one `marsad run` alone vs two sharing one Redis and one index.

    .venv/bin/python bench/bench_shared.py [--articles 2000] [--repeats 3] [--concurrency 16]

The portal world scaled as bench/bench_run_rss.py scales it (its generator: the world's texts
recombined into ``--articles`` distinct articles over the three portals; each source's page budget
raised to fetch them all in one run), politeness off (no delay,
no AutoThrottle, ``--concurrency`` requests in flight per portal and process; robots.txt obeyed),
the azerbaijan rule alerting into the log channel. Three set-ups, each run ``--repeats`` times
from empty (fresh data folders, an emptied Redis, a new index), in turn (one of each per repeat,
so a machine that gets busier slows them alike), median reported:

- one process, the single-machine default: SQLite state store, SQLite index;
- one process on the shared engines: Redis (Debian's redis-server, append-only, fsync every second,
  on loopback: frontier, claims, state) and the two-node Elasticsearch 8.19 cluster of
  ``scripts/elasticsearch --cluster 2`` (one index);
- two processes started together on those same engines, each with its own data folder.

Wall time runs from starting the first process to the end of the last (Python start-up, the
crawl, delivering every alert). Every run is checked: the articles created add up to
``--articles`` (and, on Elasticsearch, the index holds exactly that many). Everything — the portal
servers (in this process), Redis, both Elasticsearch nodes and the crawlers — shares this
machine's cores.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_run_rss import scaled_world, write_config
from es_nodes import EsNode, script
from redis_servers import RedisServer, redis_server

from crawler.portalworld import PortalWorld

SETUPS = [("1 process", "SQLite state + SQLite index", 1, False),
          ("1 process", "Redis + 2-node ES cluster", 1, True),
          ("2 processes", "Redis + 2-node ES cluster", 2, True)]


@contextmanager
def es_cluster() -> Iterator[EsNode]:
    """The two-node cluster of scripts/elasticsearch, started if needed (and then stopped at the end)."""
    was_running = script("8", "--cluster", "2", "status").returncode == 0
    started = script("8", "--cluster", "2", "start")
    if started.returncode != 0:
        sys.exit(f"scripts/elasticsearch --cluster 2 start failed:\n{started.stderr}")
    password = script("8", "--cluster", "2", "password").stdout.strip()
    try:
        yield EsNode("cluster-2", started.stdout.strip().splitlines()[-1], "marsad", password)
    finally:
        if not was_running:
            script("8", "--cluster", "2", "stop", timeout=180)


def one_round(world: PortalWorld, config: Path, work: Path, processes: int, shared: bool, redis: RedisServer,
              cluster: EsNode, index: str) -> dict[str, Any]:
    redis.flush()
    shutil.rmtree(work, ignore_errors=True)
    base = {"PATH": os.environ.get("PATH", "/usr/bin:/bin")}
    if shared:
        base |= {**cluster.env, "MARSAD_ES_INDEX": index, "MARSAD_REDIS_URL": redis.url}
    command = [sys.executable, "-m", "marsad.cli", "--config-dir", str(config), "run", "--json"]
    hosts = [work / f"host-{n}" for n in range(processes)]
    for host in hosts:
        host.mkdir(parents=True)
    started = time.monotonic()
    # Output goes to files: the log channel prints every alert, and a pipe nobody reads while the
    # other process is waited for would stall the one holding the delivery lock.
    files = [((host / "stdout").open("wb"), (host / "stderr").open("wb")) for host in hosts]
    running = [subprocess.Popen(command, env={**base, "MARSAD_DATA_DIR": str(host)}, stdout=out, stderr=err)
               for host, (out, err) in zip(hosts, files, strict=True)]
    for process in running:
        process.wait()
    for out, err in files:
        out.close()
        err.close()
    seconds = time.monotonic() - started
    reports = []
    for process, host in zip(running, hosts, strict=True):
        out = (host / "stdout").read_text(encoding="utf-8")
        if process.returncode != 0 or not out.strip():
            err = (host / "stderr").read_text(encoding="utf-8", errors="replace")
            raise SystemExit(f"a run failed (exit {process.returncode}):\n{err[-3000:]}")
        reports.append(json.loads(out.strip().splitlines()[-1]))
    created = sum(report["created"] for report in reports)
    in_index = cluster.count_documents(index) if shared else created
    return {"seconds": seconds, "created": created, "in_index": in_index,
            "pages": sum(report["pages_fetched"] for report in reports),
            "split": [report["created"] for report in reports]}


def unbudgeted(path: Path, articles: int) -> None:
    """Every source may make enough requests to fetch the whole scaled world in one run."""
    sources = yaml.safe_load(path.read_text(encoding="utf-8"))
    for source in sources["sources"]:
        source["page_budget"] = 2 * articles + 100
    path.write_text(yaml.safe_dump(sources, allow_unicode=True, sort_keys=False), encoding="utf-8")


def surprises(world: PortalWorld, cluster: EsNode, index: str) -> str:
    """What the index holds beyond the world's articles, and which it misses (to say what went wrong)."""
    client = cluster.client()
    try:
        client.indices.refresh(index=index)
        hits = client.search(index=index, size=10_000, source=["canonical_url", "url", "source"])["hits"]["hits"]
    finally:
        client.close()
    expected = {article["canonical_url"] for article in world.expected_articles()}
    indexed = [hit["_source"] for hit in hits]
    extra = [doc for doc in indexed if doc["canonical_url"] not in expected]
    missing = expected - {doc["canonical_url"] for doc in indexed}
    return f"(not expected: {extra[:5]}; missing: {sorted(missing)[:5]})"


@contextmanager
def engines(tmp: Path) -> Iterator[tuple[RedisServer, EsNode]]:
    with redis_server(tmp / "redis") as redis, es_cluster() as cluster:
        yield redis, cluster


def measure(articles: int, repeats: int, concurrency: int, setups: list[int]) -> list[dict[str, Any]]:
    """Each repeat runs every set-up once, in turn, so a machine that gets busier slows them alike."""
    chosen = [SETUPS[n - 1] for n in setups]
    rounds: dict[int, list[dict[str, Any]]] = {n: [] for n in range(len(chosen))}
    with tempfile.TemporaryDirectory(prefix="marsad-bench-shared-") as tmp, \
            PortalWorld(scaled_world(articles)) as world, engines(Path(tmp)) as (redis, cluster):
        config = Path(tmp) / "config"
        write_config(config, world, articles, concurrency)
        unbudgeted(config / "sources.yaml", articles)
        for _ in range(repeats):
            for n, (label, engine, processes, shared) in enumerate(chosen):
                with cluster.fresh_index("marsad-bench-shared") as index:
                    result = one_round(world, config, Path(tmp) / "work", processes, shared, redis, cluster, index)
                    if result["created"] != articles or result["in_index"] != articles:
                        found = surprises(world, cluster, index) if shared else ""
                        raise SystemExit(f"{label}, {engine}: {result['created']} created, {result['in_index']} in "
                                         f"the index, expected {articles} {found}")
                result["load"] = round(os.getloadavg()[0], 1)
                rounds[n].append(result)
                print(json.dumps({"setup": f"{label}, {engine}", **result}), file=sys.stderr)
    rows = []
    for n, (label, engine, _processes, _shared) in enumerate(chosen):
        seconds = statistics.median(r["seconds"] for r in rounds[n])
        rows.append({"setup": label, "engines": engine, "articles": articles, "runs": repeats,
                     "median_seconds": round(seconds, 1), "articles_per_minute": round(articles / seconds * 60),
                     "spread_seconds": [round(min(r["seconds"] for r in rounds[n]), 1),
                                        round(max(r["seconds"] for r in rounds[n]), 1)],
                     "split": [r["split"] for r in rounds[n]], "load": [r["load"] for r in rounds[n]]})
    return rows


def table(rows: list[dict[str, Any]]) -> str:
    lines = ["| set-up | engines | articles | runs | median wall time | articles/min | min–max |",
             "|---|---|---:|---:|---:|---:|---:|"]
    for row in rows:
        low, high = row["spread_seconds"]
        lines.append(f"| {row['setup']} | {row['engines']} | {row['articles']:,} | {row['runs']} | "
                     f"{row['median_seconds']} s | {row['articles_per_minute']:,} | {low}–{high} s |")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--concurrency", type=int, default=16, help="requests in flight per portal and process")
    parser.add_argument("--setups", type=int, nargs="+", default=[1, 2, 3], help="which set-ups (1-3) to run")
    args = parser.parse_args()
    rows = measure(args.articles, args.repeats, args.concurrency, args.setups)
    print(table(rows))
    print(json.dumps(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
