"""Bulk indexing into the real Elasticsearch 8.19 node: Marsad's store() against a raw `_bulk`
load of the same documents and against one request per document (what news-please does).

    .venv/bin/python bench/bench_bulk.py [--articles 5000] [--batch 100] [--runs 3]

Articles are built from the portal world's texts (paragraphs recombined, numbered so every one
is distinct). «Marsad» times `ElasticsearchStorage.store` batch by batch as the index pipeline
calls it: the analysis that builds each document (stems, normalized forms), streaming_bulk and
the refresh that makes the batch searchable. «raw _bulk» posts the very same documents, already
built, as NDJSON with the same batch size and the same refresh — the engine's own speed. «one
request per document» indexes them one by one. Each run uses a fresh index; the three paths take
turns run after run (a change in the machine's load hits them alike); medians of runs. The
benchmark's own CPU time per document (analysis, JSON, the client) is shown beside: unlike the
rates it hardly depends on what else loads the machine.
Elasticsearch is MARSAD_ES_URL (+ MARSAD_ES_USER/PASSWORD), else the node of scripts/elasticsearch.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core.article import Article
from crawler.portalworld import load_world_data
from indexer.storage.elastic import ElasticsearchStorage
from indexer.storage.es_mapping import to_document

ROOT = Path(__file__).resolve().parents[1]


def node() -> tuple[str, str | None, str | None]:
    if os.environ.get("MARSAD_ES_URL"):
        return os.environ["MARSAD_ES_URL"], os.environ.get("MARSAD_ES_USER"), os.environ.get("MARSAD_ES_PASSWORD")
    started = subprocess.run([ROOT / "scripts" / "elasticsearch", "start"], capture_output=True, text=True, check=True)
    password = subprocess.run([ROOT / "scripts" / "elasticsearch", "password"], capture_output=True, text=True,
                              check=True)
    return started.stdout.strip().splitlines()[-1], "marsad", password.stdout.strip()


def articles(count: int, seed: int = 3) -> list[Article]:
    records = load_world_data().articles
    paragraphs = [p for r in records for p in r.paragraphs if isinstance(p, str)]
    rng = random.Random(seed)
    made = []
    for number in range(count):
        record = records[number % len(records)]
        body = "\n\n".join(rng.sample(paragraphs, 5))
        url = f"http://bench.example/{record.portal}/{number}"
        made.append(Article(url=url, canonical_url=url, source=record.portal, title=f"{record.title} ({number})",
                            body=body, published_at=record.published, section=record.section, tags=list(record.tags)))
    return made


def timed(label: str, run: Callable[[str], None], storage: ElasticsearchStorage, count: int) -> tuple[float, float]:
    """(documents per second, this process's CPU ms per document) of one run into a fresh index."""
    index = f"marsad-bench-{uuid.uuid4().hex[:8]}"
    bench = ElasticsearchStorage(storage.url, index, user=storage._user, password=os.environ.get("_BENCH_PW"))
    try:
        start, cpu = time.perf_counter(), time.process_time()
        run(index)
        elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
        found = int(bench._es.count(index=index)["count"])
        assert found == count, f"{label}: {found} of {count} documents"
        return count / elapsed, cpu * 1000 / count
    finally:
        for name in bench._es.indices.get(index=f"{index}*").body:
            bench._es.indices.delete(index=name)
        bench.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    url, user, password = node()
    os.environ["_BENCH_PW"] = password or ""
    docs = articles(args.articles)
    probe = ElasticsearchStorage(url, f"marsad-bench-probe-{uuid.uuid4().hex[:6]}", user=user, password=password)
    es = probe._es
    built = [(a.doc_id, to_document(a)) for a in docs]

    def marsad(index: str) -> None:
        storage = ElasticsearchStorage(url, index, user=user, password=password)
        for start in range(0, len(docs), args.batch):
            storage.store(docs[start:start + args.batch])
        storage.close()

    def raw_bulk(index: str) -> None:
        ElasticsearchStorage(url, index, user=user, password=password).close()  # same mapping and alias
        for start in range(0, len(built), args.batch):
            lines: list[str] = []
            for doc_id, document in built[start:start + args.batch]:
                lines.append(json.dumps({"index": {"_index": index, "_id": doc_id}}))
                lines.append(json.dumps(document, ensure_ascii=False))
            answer: Any = es.bulk(operations="\n".join(lines) + "\n", refresh=True)
            assert not answer["errors"]

    def one_by_one(index: str) -> None:
        ElasticsearchStorage(url, index, user=user, password=password).close()
        for doc_id, document in built:
            es.index(index=index, id=doc_id, document=document)
        es.indices.refresh(index=index)

    paths: dict[str, Callable[[str], None]] = {
        "Marsad store() (analysis + streaming_bulk + refresh)": marsad,
        "raw _bulk NDJSON, documents prebuilt": raw_bulk,
        "one request per document": one_by_one,
    }
    rates: dict[str, list[float]] = {label: [] for label in paths}
    cpu: dict[str, list[float]] = {label: [] for label in paths}
    for _ in range(args.runs):  # the paths take turns, so a change in the machine's load hits them alike
        for label, run in paths.items():
            rate, cpu_ms = timed(label, run, probe, len(docs))
            rates[label].append(rate)
            cpu[label].append(cpu_ms)
    rows = [(label, statistics.median(values)) for label, values in rates.items()]
    for name in es.indices.get(index=f"{probe.index}*").body:
        es.indices.delete(index=name)
    probe.close()
    raw = rates["raw _bulk NDJSON, documents prebuilt"]
    print(f"\n{len(docs):,} articles, batches of {args.batch}, median of {args.runs} runs; × raw _bulk is the "
          "median of each run's ratio to the raw load of the same turn\n")
    print("| path | docs/s | × raw _bulk | client CPU ms/doc | runs, docs/s |\n|---|---:|---:|---:|---|")
    for label, rate in rows:
        ratio = statistics.median(mine / theirs for mine, theirs in zip(rates[label], raw, strict=True))
        print(f"| {label} | {rate:,.0f} | {ratio:.2f} | {statistics.median(cpu[label]):.3f} "
              f"| {', '.join(f'{r:,.0f}' for r in rates[label])} |")


if __name__ == "__main__":
    main()
