"""Source health at scale: judging a run, and `marsad sources`, over a month of 15-minute runs.

    .venv/bin/python bench/bench_health.py [--runs 2880] [--sources 20]

Seeds a fresh state store with ``--runs`` finished runs 15 minutes apart, each with 15 counters
for each of ``--sources`` sources (random small values), then times what every `marsad run` does
after its crawl (read the history, judge each source) and what `marsad sources` does. Medians of 5.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core.settings import HealthSection
from indexer.state import RunRecord, StateStore
from marsad.health import earlier_runs, judge_run
from marsad.sources_report import source_health

COUNTERS = ("started", "requests", "responses", "bytes", "discovered", "parsed", "new", "updated", "unchanged",
            "not_modified", "http_errors", "fetch_failed", "low_confidence", "not_article", "extraction_failed")
NOW = datetime(2026, 11, 25, tzinfo=UTC)


def seed(state: StateStore, runs: int, names: list[str]) -> None:
    rng = random.Random(10)
    for k in range(runs):
        started = NOW - timedelta(minutes=15 * (runs - k))
        run = state.health.start_run(started)
        counters = {name: {counter: rng.randint(0, 3) for counter in COUNTERS} for name in names}
        state.health.finish_run(run, started + timedelta(minutes=2), "ok", counters, [])


def median_seconds(action: object, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()  # type: ignore[operator]
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=2880, help="runs in the history (2880 = 30 days every 15 min)")
    parser.add_argument("--sources", type=int, default=20)
    args = parser.parse_args()
    names = [f"source{n}" for n in range(args.sources)]
    settings = HealthSection()
    with tempfile.TemporaryDirectory() as tmp:
        state = StateStore(Path(tmp) / "state.sqlite")
        seed(state, args.runs, names)
        current = RunRecord(state.health.start_run(NOW), NOW, NOW, "ok",
                            {name: dict.fromkeys(COUNTERS, 1) for name in names})

        def judge() -> None:
            judge_run(state.health, current, earlier_runs(state.health, current, NOW, settings), NOW, settings)

        result = {"runs": args.runs, "sources": args.sources, "counter_rows": args.runs * args.sources * len(COUNTERS),
                  "state_mb": round((Path(tmp) / "state.sqlite").stat().st_size / 1e6, 1),
                  "judge_run_seconds": round(median_seconds(judge), 3),
                  "marsad_sources_seconds": round(median_seconds(
                      lambda: source_health(state.health, names, NOW, settings, ZoneInfo("UTC"))), 3)}
        state.close()
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
