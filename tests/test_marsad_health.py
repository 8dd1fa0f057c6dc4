"""Judging a source after a run from its own history: silence beyond its cadence, a jump in
extraction failures, entry pages that fail. A frozen now; no clock is read."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from core.settings import HealthSection
from indexer.state import RunRecord, SourceFlag, StateStore
from marsad.health import duration, judge, record_run, repeated, source_counters, usual_gap

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
SETTINGS = HealthSection()


def run(run_id: int, hours_ago: float, **counters: int) -> RunRecord:
    started = NOW - timedelta(hours=hours_ago)
    return RunRecord(run_id, started, started + timedelta(minutes=1), "ok", {"techwave": dict(counters)})


def every(hours: float, count: int, start_hours_ago: float, **counters: int) -> list[RunRecord]:
    """``count`` runs ``hours`` apart, the newest ``start_hours_ago``, oldest first."""
    return [run(n, start_hours_ago + hours * (count - 1 - n), **counters) for n in range(count)]


def test_source_counters_takes_every_counter_of_every_source() -> None:
    stats = {"marsad/sources/techwave/requests": 12, "marsad/sources/techwave/not_modified": 4,
             "marsad/sources/techwave/http_errors/404": 1, "marsad/storage/created": 9,
             "finish_reason": "finished", "marsad/sources/arabnet/bytes": 2048.0}
    assert source_counters(stats, ["techwave", "arabnet", "shamtech"]) == {
        "techwave": {"requests": 12, "not_modified": 4, "http_errors/404": 1},
        "arabnet": {"bytes": 2048},
        "shamtech": {},
    }


def test_usual_gap_is_the_median_gap_between_runs_with_new_articles() -> None:
    history = [*every(6, 8, 12, new=2), run(99, 1, new=0)]
    assert usual_gap(history, "techwave", min_gaps=5) == timedelta(hours=6)
    assert usual_gap(history[:5], "techwave", min_gaps=5) is None, "too few gaps to judge yet"


def test_a_source_silent_for_longer_than_its_cadence_is_flagged() -> None:
    history = every(12, 10, 72, new=3)  # a new article every 12 h until 72 h ago
    current = run(100, 0, new=0, parsed=0)
    (flag,) = judge("techwave", current, history, NOW - timedelta(hours=72), NOW, SETTINGS)
    assert flag.reason == "silent"
    assert flag.detail == "no new article for 3 d (usually one every 12 h; flagged after 36 h)"


def test_a_short_silence_of_a_busy_source_is_not_flagged_before_the_floor() -> None:
    history = every(1, 30, 20, new=1)  # hourly until 20 h ago: 3 × 1 h would flag, the 24 h floor does not
    assert judge("techwave", run(100, 0), history, NOW - timedelta(hours=20), NOW, SETTINGS) == []
    (flag,) = judge("techwave", run(100, 0), history, NOW - timedelta(hours=30), NOW, SETTINGS)
    assert flag.reason == "silent" and "flagged after 24 h" in flag.detail


def test_a_run_with_new_articles_is_never_silent() -> None:
    history = every(12, 10, 72, new=3)
    assert judge("techwave", run(100, 0, new=1), history, NOW - timedelta(hours=72), NOW, SETTINGS) == []


def test_an_extraction_failure_jump_is_flagged_against_the_sources_baseline() -> None:
    history = every(6, 20, 6, new=5, parsed=19, extraction_failed=1)  # usually 5 % fail
    redesign = run(100, 0, new=2, parsed=4, extraction_failed=10, not_article=6)
    (flag,) = judge("techwave", redesign, history, NOW, NOW, SETTINGS)
    assert flag.reason == "extraction"
    assert flag.detail == "16 of 20 article pages failed (80%; usually 5%) — a redesign?"
    usual = run(100, 0, new=5, parsed=18, extraction_failed=2)
    assert judge("techwave", usual, history, NOW, NOW, SETTINGS) == []


def test_no_failure_judgement_without_enough_pages_or_a_baseline() -> None:
    history = every(6, 20, 6, new=5, parsed=19, extraction_failed=1)
    assert judge("techwave", run(100, 0, new=1, extraction_failed=3), history, NOW, NOW, SETTINGS) == [], \
        "3 pages are too few to judge"
    assert judge("techwave", run(100, 0, new=1, parsed=2, extraction_failed=8), [], NOW, NOW, SETTINGS) == [], \
        "a first run has no baseline"


def test_failure_counters_are_a_setting() -> None:
    history = every(6, 20, 6, new=5, parsed=20)
    current = run(100, 0, new=5, parsed=20, low_confidence=15)
    assert judge("techwave", current, history, NOW, NOW, SETTINGS) == []
    strict = HealthSection(failure_counters=["extraction_failed", "low_confidence"])
    (flag,) = judge("techwave", current, history, NOW, NOW, strict)
    assert flag.reason == "extraction"


def test_entry_pages_that_do_not_parse_or_cannot_be_fetched_are_flagged() -> None:
    (flag,) = judge("techwave", run(100, 0, failed=3, unparsable=1), [], None, NOW, SETTINGS)
    assert flag == SourceFlag("techwave", "entry", "1 feed/sitemap/listing page(s) did not parse; "
                                                   "2 feed/sitemap/listing page(s) could not be fetched")


def test_record_run_stores_flags_and_tells_which_are_new(tmp_path: Path) -> None:
    state = StateStore(tmp_path / "state.sqlite")
    results = []
    for hours_ago in (2, 1, 0):
        started = NOW - timedelta(hours=hours_ago)
        run_id = state.health.start_run(started)
        current = RunRecord(run_id, started, started + timedelta(minutes=1), "failed",
                            {"techwave": {"started": 1, "failed": 1, "unparsable": 1}})
        results.append(record_run(state.health, current, SETTINGS))
    first, second, _third = results
    assert first[1] == first[0] and len(first[0]) == 1, "a flag is new the first time"
    assert second[0] == first[0] and second[1] == [], "and not again while it lasts"
    assert repeated(first[0][0], state.health.runs_since(NOW - timedelta(days=1)))
    state.close()


@pytest.mark.parametrize(("delta", "text"), [(timedelta(minutes=45), "45 min"), (timedelta(hours=7), "7 h"),
                                             (timedelta(hours=76), "3 d 4 h"), (timedelta(days=3), "3 d")])
def test_duration(delta: timedelta, text: str) -> None:
    assert duration(delta) == text


def test_health_settings_are_validated() -> None:
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match="keep_days"):
        HealthSection(keep_days=7, cadence_days=30)
    with pytest.raises(ValidationError):
        HealthSection(failure_jump=0)
