"""Source health in the state store: runs with generic (source, counter, value) rows, and the
check that finds a damaged file before a run trusts it. Tests taking ``state`` or ``open_state`` run
on SQLite and on Redis (tests/conftest.py); Redis's own check is in test_indexer_state_redis.py."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from marsad_runs import damage_sqlite

from core.errors import StateError
from indexer.state import SourceFlag, State, StateStore

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


def test_a_run_keeps_any_counter_and_its_flags(open_state: Callable[[], State]) -> None:
    state = open_state()
    run = state.health.start_run(NOW)
    (started,) = state.health.runs_since(NOW - timedelta(days=1))
    assert started.outcome == "running" and started.finished_at is None, "a killed run stays visible"
    counters = {"techwave": {"requests": 12, "new": 3, "a_counter_from_tomorrow": 7}, "arabnet": {"started": 1}}
    flag = SourceFlag("arabnet", "entry", "1 feed/sitemap/listing page(s) did not parse")
    state.health.finish_run(run, NOW + timedelta(minutes=2), "failed", counters, [flag])
    state.close()

    state = open_state()
    (record,) = state.health.runs_since(NOW - timedelta(days=1))
    assert record.counters == counters
    assert record.flags == [flag]
    assert record.outcome == "failed" and record.finished_at == NOW + timedelta(minutes=2)
    assert record.started_at.tzinfo is not None
    (some,) = state.health.runs_since(NOW - timedelta(days=1), ["new", "started"])
    assert some.counters == {"techwave": {"new": 3}, "arabnet": {"started": 1}}, "only the counters asked for"
    state.close()


def test_last_with_and_prune(state: State) -> None:
    for days_ago, new in ((40, 2), (10, 1), (1, 0)):
        started = NOW - timedelta(days=days_ago)
        run = state.health.start_run(started)
        state.health.finish_run(run, started, "ok", {"techwave": {"new": new}}, [])
    assert state.health.last_with("techwave", "new") == NOW - timedelta(days=10)
    assert state.health.last_with("arabnet", "new") is None
    assert state.health.prune(NOW - timedelta(days=30)) == 1
    assert [run.started_at for run in state.health.runs_since(NOW - timedelta(days=365))] == [
        NOW - timedelta(days=10), NOW - timedelta(days=1)]


def test_check_finds_a_damaged_store_that_still_opens(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite"
    state = StateStore(path)
    state.mark_stored([(f"http://a/{n}", f"http://a/{n}", "a", "h" * 40) for n in range(3000)])
    state.check()  # a sound store passes
    state.close()
    damage_sqlite(path)
    state = StateStore(path)  # opening alone does not notice
    with pytest.raises(StateError, match="is damaged"):
        state.check()
    state.close()
