"""`marsad sources`: each source's last run, its 7-day trend and its health, as a table or JSON."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo
from typing import Any

from core.settings import HealthSection
from indexer.state import HealthStore, RunRecord, SourceFlag
from marsad.health import duration, failure_share, history_window, judge, judged_counters

SPARKS = "▁▂▃▄▅▆▇█"


@dataclass
class SourceHealth:
    source: str
    last_run: RunRecord | None  # the latest finished run that crawled this source
    last_new: datetime | None  # when the latest run that found a new article started
    trend: list[tuple[date, int]] = field(default_factory=list)  # new articles per day, oldest first
    flags: list[SourceFlag] = field(default_factory=list)

    @property
    def counters(self) -> dict[str, int]:
        return self.last_run.counters.get(self.source, {}) if self.last_run else {}

    def to_dict(self) -> dict[str, Any]:
        run = self.last_run
        return {
            "source": self.source,
            "last_run": None if run is None else {
                "id": run.id, "started_at": run.started_at.isoformat(),
                "finished_at": run.finished_at.isoformat() if run.finished_at else None, "outcome": run.outcome},
            "counters": self.counters,
            "last_new_at": self.last_new.isoformat() if self.last_new else None,
            "trend": [{"date": day.isoformat(), "new": count} for day, count in self.trend],
            "status": "flagged" if self.flags else "ok" if run else "never run",
            "flags": [{"reason": flag.reason, "detail": flag.detail} for flag in self.flags],
        }


def source_health(health: HealthStore, sources: list[str], now: datetime, settings: HealthSection,
                  zone: tzinfo) -> tuple[list[SourceHealth], RunRecord | None]:
    """Every source's health now (flags judged at ``now``), and the latest run if it never finished."""
    runs = health.runs_since(now - history_window(settings), judged_counters(settings))
    finished = [run for run in runs if run.finished_at is not None]
    last = {source: next((run for run in reversed(finished) if source in run.counters), None) for source in sources}
    full = {}  # every counter of each source's last run (usually the latest run of all)
    if any(last.values()):
        full = {run.id: run for run in health.runs_since(min(run.started_at for run in last.values() if run))}
    found = []
    for source in sources:
        run = last[source]
        run = full[run.id] if run is not None else None
        entry = SourceHealth(source, run, health.last_with(source, "new"),
                             trend([r for r in finished if source in r.counters], source, now, settings.trend_days,
                                   zone))
        if run is not None:
            earlier = [other for other in finished if other.started_at <= run.started_at and other.id != run.id]
            entry.flags = judge(source, run, earlier, entry.last_new, now, settings)
        found.append(entry)
    unfinished = runs[-1] if runs and runs[-1].finished_at is None else None
    return found, unfinished


def trend(runs: list[RunRecord], source: str, now: datetime, days: int, zone: tzinfo) -> list[tuple[date, int]]:
    today = now.astimezone(zone).date()
    per_day = {today - timedelta(days=back): 0 for back in range(days - 1, -1, -1)}
    for run in runs:
        day = run.started_at.astimezone(zone).date()
        if day in per_day:
            per_day[day] += run.counters.get(source, {}).get("new", 0)
    return list(per_day.items())


def sparkline(counts: list[int]) -> str:
    top = max(counts, default=0)
    if top == 0:
        return "·" * len(counts)
    return "".join("·" if count == 0 else SPARKS[min(len(SPARKS) - 1, count * len(SPARKS) // (top + 1))]
                   for count in counts)


COLUMNS = ("source", "last run", "requests", "304", "found", "new", "updated", "failed", "http errors", "bytes",
           "last new", "new/7d", "trend", "status")


def table(entries: list[SourceHealth], now: datetime, zone: tzinfo, settings: HealthSection,
          unfinished: RunRecord | None) -> str:
    """The plain-text table: a header naming the zone, one row per source, aligned columns."""
    offset = now.astimezone(zone).strftime("%z")
    lines = [f"Sources at {now.astimezone(zone):%Y-%m-%d %H:%M}; times in {zone} (UTC{offset[:3]}:{offset[3:]}); "
             f"trend: new articles per day over the last {settings.trend_days} days, oldest first"]
    if unfinished is not None:
        lines.append(f"The run started {unfinished.started_at.astimezone(zone):%Y-%m-%d %H:%M} has not finished "
                     "(it is running now, or it was killed); its counters are not shown.")
    columns = list(COLUMNS)
    columns[11] = f"new/{settings.trend_days}d"
    rows = [columns] + [row(entry, now, zone, settings) for entry in entries]
    widths = [max(len(values[i]) for values in rows) for i in range(len(columns))]
    numeric = {2, 3, 4, 5, 6, 7, 8, 9, 11}
    for values in rows:
        cells = [value.rjust(width) if i in numeric else value.ljust(width)
                 for i, (value, width) in enumerate(zip(values, widths, strict=True))]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


def row(entry: SourceHealth, now: datetime, zone: tzinfo, settings: HealthSection) -> list[str]:
    run = entry.last_run
    if run is None:
        return [entry.source, "never", *[""] * 10, "", "never run"]
    counters = entry.counters
    failed, _pages = failure_share(counters, settings.failure_counters)
    status = "ok" if not entry.flags else "FLAGGED: " + "; ".join(flag.detail for flag in entry.flags)
    return [
        entry.source,
        f"{run.started_at.astimezone(zone):%m-%d %H:%M}" + ("" if run.outcome == "ok" else f" ({run.outcome})"),
        str(counters.get("requests", 0)), str(counters.get("not_modified", 0)), str(counters.get("discovered", 0)),
        str(counters.get("new", 0)), str(counters.get("updated", 0)), str(failed),
        str(counters.get("http_errors", 0)), size(counters.get("bytes", 0)),
        f"{duration(now - entry.last_new)} ago" if entry.last_new else "never",
        str(sum(count for _day, count in entry.trend)), sparkline([count for _day, count in entry.trend]),
        status,
    ]


def size(count: int) -> str:
    for unit, scale in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if count >= scale:
            return f"{count / scale:.1f} {unit}"
    return f"{count} B"
