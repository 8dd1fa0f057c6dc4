"""Source health: judge each source after a run from its own history in the state store.

Three flags, thresholds in ``health:`` of settings.yaml (core.settings.HealthSection):

- ``silent``: no new article for longer than ``silence_factor`` × the source's usual gap between
  runs that found new articles (the median over ``cadence_days``), and never before
  ``min_silence_hours``; judged once ``cadence_min_gaps`` gaps are known.
- ``extraction``: the share of article pages that failed (``failure_counters`` over those plus
  ``parsed``) is ``failure_jump`` above the source's share over ``failure_baseline_days`` — a redesign.
- ``entry``: a feed, sitemap or listing page did not parse, or could not be fetched, this run.

Counters are read by name from the generic (run, source, counter, value) rows, so counters the
crawler adds later are stored and shown without a change here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from itertools import pairwise
from statistics import median
from typing import Any

from core.settings import HealthSection
from indexer.state import HealthStore, RunRecord, SourceFlag

SOURCE_PREFIX = "marsad/sources/"


def source_counters(stats: Mapping[str, Any], sources: Iterable[str]) -> dict[str, dict[str, int]]:
    """Every ``marsad/sources/<name>/<counter>`` of a crawl's stats, per source (each crawled source
    present, even when it counted nothing)."""
    counters: dict[str, dict[str, int]] = {name: {} for name in sources}
    for key, value in stats.items():
        if not key.startswith(SOURCE_PREFIX) or isinstance(value, bool) or not isinstance(value, int | float):
            continue
        name, _, counter = key[len(SOURCE_PREFIX):].partition("/")
        if name and counter:
            counters.setdefault(name, {})[counter] = int(value)
    return counters


def usual_gap(runs: list[RunRecord], source: str, min_gaps: int) -> timedelta | None:
    """The median time between runs that found new articles of ``source`` (None: too few yet)."""
    times = [run.started_at for run in runs if run.counters.get(source, {}).get("new", 0) > 0]
    gaps = [(later - earlier).total_seconds() for earlier, later in pairwise(times)]
    return timedelta(seconds=median(gaps)) if len(gaps) >= min_gaps else None


def silence_flag(source: str, usual: timedelta | None, last_new: datetime | None, now: datetime,
                 settings: HealthSection) -> SourceFlag | None:
    if usual is None or last_new is None:
        return None
    limit = max(usual * settings.silence_factor, timedelta(hours=settings.min_silence_hours))
    silent = now - last_new
    if silent <= limit:
        return None
    return SourceFlag(source, "silent", f"no new article for {duration(silent)} (usually one every {duration(usual)}; "
                                        f"flagged after {duration(limit)})")


def failure_share(counters: Mapping[str, int], failure_counters: list[str]) -> tuple[int, int]:
    """(failed pages, article pages read): the failures plus the pages parsed."""
    failed = sum(counters.get(name, 0) for name in failure_counters)
    return failed, failed + counters.get("parsed", 0)


def extraction_flag(source: str, current: Mapping[str, int], baseline: list[RunRecord],
                    settings: HealthSection) -> SourceFlag | None:
    failed, pages = failure_share(current, settings.failure_counters)
    if pages < settings.failure_min_pages:
        return None
    usual_failed = usual_pages = 0
    for run in baseline:
        run_failed, run_pages = failure_share(run.counters.get(source, {}), settings.failure_counters)
        usual_failed += run_failed
        usual_pages += run_pages
    if usual_pages < settings.failure_min_pages:
        return None  # no baseline yet
    share, usual = failed / pages, usual_failed / usual_pages
    if share - usual < settings.failure_jump:
        return None
    detail = f"{failed} of {pages} article pages failed ({share:.0%}; usually {usual:.0%}) — a redesign?"
    return SourceFlag(source, "extraction", detail)


def entry_flag(source: str, current: Mapping[str, int]) -> SourceFlag | None:
    unparsable = current.get("unparsable", 0)
    unreachable = max(current.get("failed", 0) - unparsable, 0)
    parts = ([f"{unparsable} feed/sitemap/listing page(s) did not parse"] if unparsable else []) + (
        [f"{unreachable} feed/sitemap/listing page(s) could not be fetched"] if unreachable else [])
    return SourceFlag(source, "entry", "; ".join(parts)) if parts else None


def judge(source: str, current: RunRecord, history: list[RunRecord], last_new: datetime | None, now: datetime,
          settings: HealthSection) -> list[SourceFlag]:
    """The flags of ``source`` after ``current`` (its counters), given the finished runs before it."""
    counters = current.counters.get(source, {})
    if counters.get("new", 0) > 0:
        last_new = current.started_at
    cadence_start = now - timedelta(days=settings.cadence_days)
    cadence_runs = [run for run in [*history, current] if run.started_at >= cadence_start]
    baseline_start = current.started_at - timedelta(days=settings.failure_baseline_days)
    baseline = [run for run in history if run.started_at >= baseline_start and source in run.counters]
    found = (silence_flag(source, usual_gap(cadence_runs, source, settings.cadence_min_gaps), last_new, now, settings),
             extraction_flag(source, counters, baseline, settings),
             entry_flag(source, counters))
    return [flag for flag in found if flag is not None]


def history_window(settings: HealthSection) -> timedelta:
    return timedelta(days=max(settings.cadence_days, settings.failure_baseline_days, settings.trend_days))


def judged_counters(settings: HealthSection) -> list[str]:
    """The counters judging reads from earlier runs (``started``: the source was crawled)."""
    return sorted({"started", "new", "parsed", *settings.failure_counters})


def earlier_runs(health: HealthStore, current: RunRecord, now: datetime, settings: HealthSection) -> list[RunRecord]:
    """The finished runs before ``current`` within the history health looks at, oldest first."""
    return [run for run in health.runs_since(now - history_window(settings), judged_counters(settings))
            if run.id != current.id and run.finished_at is not None and run.started_at <= current.started_at]


def judge_run(health: HealthStore, current: RunRecord, history: list[RunRecord], now: datetime,
              settings: HealthSection) -> list[SourceFlag]:
    """Flags for every source ``current`` crawled, against the finished runs before it."""
    flags: list[SourceFlag] = []
    for source in sorted(current.counters):
        flags += judge(source, current, history, health.last_with(source, "new"), now, settings)
    return flags


def record_run(health: HealthStore, current: RunRecord, settings: HealthSection
               ) -> tuple[list[SourceFlag], list[SourceFlag]]:
    """Judge ``current`` (finished: its counters and outcome set), store it with its flags and
    forget runs older than ``keep_days``; (every flag, the flags the previous run did not have)."""
    assert current.finished_at is not None
    now = current.finished_at
    history = earlier_runs(health, current, now, settings)
    flags = judge_run(health, current, history, now, settings)
    health.finish_run(current.id, now, current.outcome, current.counters, flags)
    health.prune(now - timedelta(days=settings.keep_days))
    return flags, [flag for flag in flags if not repeated(flag, history)]


def repeated(flag: SourceFlag, history: list[RunRecord]) -> bool:
    """True when the last earlier run that crawled the flag's source had the same flag."""
    for run in reversed(history):
        if flag.source in run.counters:
            return any((old.source, old.reason) == (flag.source, flag.reason) for old in run.flags)
    return False


def duration(delta: timedelta) -> str:
    """A short human duration: 45 min, 7 h, 3 d 4 h."""
    minutes = int(delta.total_seconds() // 60)
    if minutes < 120:
        return f"{minutes} min"
    hours = minutes // 60
    if hours < 48:
        return f"{hours} h"
    days, rest = divmod(hours, 24)
    return f"{days} d {rest} h" if rest else f"{days} d"
