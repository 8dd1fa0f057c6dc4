"""Source health in the state store: per run, per source, every counter the crawl counted.

A run is a row written when it starts (outcome ``running``, so a killed run stays visible) and
finished with its counters and flags in one transaction. Counters are generic (source, counter,
value) rows: a counter the crawler starts counting tomorrow is kept without a schema change.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime

from core.errors import StateError
from indexer.state.records import Counters, RunRecord, SourceFlag, from_utc_text, utc_text


class Health:
    def __init__(self, db: sqlite3.Connection, where: str) -> None:
        self._db = db
        self._where = where

    @contextmanager
    def _guard(self, doing: str) -> Iterator[None]:
        try:
            yield
        except sqlite3.DatabaseError as exc:
            raise StateError(f"state store {self._where}: {doing} failed: {exc}") from exc

    def start_run(self, started_at: datetime) -> int:
        with self._guard("recording the run's start"), self._db:
            cursor = self._db.execute("INSERT INTO runs (started_at, outcome) VALUES (?, 'running')",
                                      (utc_text(started_at),))
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    def finish_run(self, run_id: int, finished_at: datetime, outcome: str, counters: Counters,
                   flags: list[SourceFlag]) -> None:
        with self._guard("recording source health"), self._db:
            self._db.execute("UPDATE runs SET finished_at = ?, outcome = ? WHERE id = ?",
                             (utc_text(finished_at), outcome, run_id))
            self._db.executemany(
                "INSERT OR REPLACE INTO source_counters VALUES (?, ?, ?, ?)",
                [(run_id, source, counter, value) for source, values in counters.items()
                 for counter, value in values.items()],
            )
            self._db.executemany("INSERT OR REPLACE INTO source_flags VALUES (?, ?, ?, ?)",
                                 [(run_id, flag.source, flag.reason, flag.detail) for flag in flags])

    def runs_since(self, since: datetime, counters: Sequence[str] | None = None) -> list[RunRecord]:
        """Runs started at or after ``since``, oldest first, with their flags and their counters
        (only those named in ``counters``, when given: a month of runs is many rows)."""
        stamp = utc_text(since)
        only = "" if counters is None else f" AND c.counter IN ({', '.join('?' for _ in counters)})"
        with self._guard("reading source health"):
            runs = {
                run_id: RunRecord(run_id, from_utc_text(started), from_utc_text(finished) if finished else None,
                                  outcome)
                for run_id, started, finished, outcome in self._db.execute(
                    "SELECT id, started_at, finished_at, outcome FROM runs WHERE started_at >= ? "
                    "ORDER BY started_at, id", (stamp,))
            }
            for run_id, source, counter, value in self._db.execute(
                "SELECT c.run_id, c.source, c.counter, c.value FROM source_counters c "
                "JOIN runs r ON r.id = c.run_id WHERE r.started_at >= ?" + only, (stamp, *(counters or ()))
            ):
                runs[run_id].counters.setdefault(source, {})[counter] = int(value)
            for run_id, source, reason, detail in self._db.execute(
                "SELECT f.run_id, f.source, f.reason, f.detail FROM source_flags f "
                "JOIN runs r ON r.id = f.run_id WHERE r.started_at >= ? ORDER BY f.source, f.reason", (stamp,)
            ):
                runs[run_id].flags.append(SourceFlag(source, reason, detail))
        return list(runs.values())

    def last_with(self, source: str, counter: str) -> datetime | None:
        """When the latest run started in which ``source`` counted ``counter`` above zero."""
        with self._guard("reading source health"):
            row = self._db.execute(
                "SELECT MAX(r.started_at) FROM source_counters c JOIN runs r ON r.id = c.run_id "
                "WHERE c.source = ? AND c.counter = ? AND c.value > 0", (source, counter)
            ).fetchone()
        return from_utc_text(row[0]) if row and row[0] else None

    def prune(self, before: datetime) -> int:
        """Forget runs started before ``before``; how many."""
        stamp = utc_text(before)
        with self._guard("pruning source health"), self._db:
            old = "SELECT id FROM runs WHERE started_at < ?"
            self._db.execute(f"DELETE FROM source_counters WHERE run_id IN ({old})", (stamp,))
            self._db.execute(f"DELETE FROM source_flags WHERE run_id IN ({old})", (stamp,))
            return self._db.execute("DELETE FROM runs WHERE started_at < ?", (stamp,)).rowcount
