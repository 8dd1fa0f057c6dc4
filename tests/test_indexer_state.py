"""The state store: stored articles and once-only alerts."""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer.state import StateStore


def test_mark_stored_and_seen(tmp_path: Path) -> None:
    state = StateStore(tmp_path / "state.sqlite")
    assert not state.is_seen("http://a/1")
    state.mark_stored([("http://a/1?utm_source=x", "http://a/1", "a", "h1")])
    assert state.is_seen("http://a/1")
    assert state.is_seen("http://a/1?utm_source=x")
    assert state.stored_hash("http://a/1") == "h1"
    state.mark_stored([("http://a/1", "http://a/1", "a", "h2")])
    assert state.stored_hash("http://a/1") == "h2"
    assert state.stored_count() == 1


def test_alert_raised_once(tmp_path: Path) -> None:
    state = StateStore(tmp_path / "state.sqlite")
    delivered: list[str] = []
    assert state.raise_alert_once("r", "http://a/1", lambda: delivered.append("x"))
    assert not state.raise_alert_once("r", "http://a/1", lambda: delivered.append("y"))
    assert state.raise_alert_once("other", "http://a/1", lambda: delivered.append("z"))
    assert delivered == ["x", "z"]


def test_failed_delivery_is_retried(tmp_path: Path) -> None:
    state = StateStore(tmp_path / "state.sqlite")

    def broken() -> None:
        raise OSError("disk full")

    with pytest.raises(OSError):
        state.raise_alert_once("r", "http://a/1", broken)
    delivered: list[str] = []
    assert state.raise_alert_once("r", "http://a/1", lambda: delivered.append("x"))
    assert delivered == ["x"]
