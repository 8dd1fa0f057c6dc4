"""Source health end to end: real `marsad run`s against the portal world record each source's
counters; a silent source and a feed that stops parsing are flagged, fail the run and reach the
admin channel once."""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
import yaml
from marsad_runs import AZERBAIJAN, last_json, run_marsad, write_config

from indexer.state import StateStore
from marsad.sinks import WebhookSink

if TYPE_CHECKING:
    from crawler.portalworld import PortalWorld


def sources_json(config: Path, env: dict[str, str]) -> dict[str, dict[str, Any]]:
    result = run_marsad(config, env, "sources", "--json")
    assert result.returncode == 0, result.stderr
    return {entry["source"]: entry for entry in json.loads(result.stdout)}


@pytest.mark.slow
def test_every_run_records_each_sources_counters(tmp_path: Path, portal_world: PortalWorld) -> None:
    config = write_config(tmp_path / "config", portal_world)
    env = {"MARSAD_DATA_DIR": str(tmp_path / "data")}
    first = run_marsad(config, env, "run", "--json")
    assert first.returncode == 0, first.stderr
    expected = Counter(article["portal"] for article in portal_world.expected_articles())
    report = last_json(first.stdout)
    assert {name: counters["new"] for name, counters in report["source_counters"].items()} == expected
    health = sources_json(config, env)
    for name, count in expected.items():
        counters = health[name]["counters"]
        assert counters["new"] == counters["parsed"] == count
        assert counters["discovered"] >= count and counters["requests"] > count and counters["bytes"] > 10_000
        assert health[name]["status"] == "ok" and health[name]["last_run"]["outcome"] == "ok"
        assert sum(day["new"] for day in health[name]["trend"]) == count

    second = run_marsad(config, env, "run", "--json")
    assert second.returncode == 0, second.stderr
    health = sources_json(config, env)
    assert all(health[name]["counters"].get("new", 0) == 0 for name in expected)
    assert all(sum(day["new"] for day in health[name]["trend"]) == count for name, count in expected.items())


def seed_silence(state_path: Path, world: PortalWorld, silent_days: int) -> None:
    """techwave found new articles every 6 h for a week, until ``silent_days`` ago; every article it
    serves now is already stored."""
    state = StateStore(state_path)
    state.mark_stored([(a["canonical_url"], a["canonical_url"], "techwave", "old")
                       for a in world.expected_articles() if a["portal"] == "techwave"])
    now = datetime.now(UTC)
    for hours in range((silent_days + 7) * 24, silent_days * 24 - 1, -6):
        started = now - timedelta(hours=hours)
        run = state.health.start_run(started)
        state.health.finish_run(run, started + timedelta(minutes=2), "ok",
                                {"techwave": {"new": 2, "parsed": 2, "requests": 3}}, [])
    state.close()


@pytest.mark.slow
def test_a_silent_source_fails_the_run_and_the_admin_hears_it_once(tmp_path: Path, portal_world: PortalWorld,
                                                                   webhook_sink: WebhookSink) -> None:
    config = write_config(tmp_path / "config", portal_world,
                          {"channels": {"admin": webhook_sink.url("admin")}, "rules": [AZERBAIJAN]})
    env = {"MARSAD_DATA_DIR": str(tmp_path / "data")}
    seed_silence(tmp_path / "data" / "state.sqlite", portal_world, silent_days=3)
    first = run_marsad(config, env, "run", "--json")
    assert first.returncode == 1, "a flagged source fails the run"
    report = last_json(first.stdout)
    assert report["failed_sources"] == [] and report["created"] > 0
    (flag,) = report["flags"]
    assert flag["source"] == "techwave" and flag["reason"] == "silent" and flag["new"]
    assert flag["detail"].startswith("no new article for 3 d") and "usually one every 6 h" in flag["detail"]
    (summary,) = webhook_sink.received()
    assert summary["path"] == "/admin" and "source flagged: techwave: no new article for 3 d" in summary["message"]

    again = run_marsad(config, env, "run")
    assert again.returncode == 1, "still flagged, still failing"
    assert "FLAGGED techwave: no new article for 3 d" in again.stdout
    assert len(webhook_sink.received()) == 1, "the admin is told when the flag appears, not every run"
    assert sources_json(config, env)["techwave"]["status"] == "flagged"


@pytest.mark.slow
def test_a_feed_that_stops_parsing_is_flagged(tmp_path: Path, portal_world: PortalWorld) -> None:
    config = write_config(tmp_path / "config", portal_world)
    env = {"MARSAD_DATA_DIR": str(tmp_path / "data")}
    assert run_marsad(config, env, "run", "--source", "techwave").returncode == 0
    sources = yaml.safe_load((config / "sources.yaml").read_text(encoding="utf-8"))
    sources["sources"][0]["feeds"] = [portal_world.base_url("techwave") + "/"]  # the home page: HTML, not a feed
    (config / "sources.yaml").write_text(yaml.safe_dump(sources, allow_unicode=True), encoding="utf-8")
    broken = run_marsad(config, env, "run", "--source", "techwave")
    assert broken.returncode == 1
    assert "FLAGGED techwave: 1 feed/sitemap/listing page(s) did not parse" in broken.stdout
    techwave = sources_json(config, env)["techwave"]
    assert techwave["status"] == "flagged" and techwave["flags"][0]["reason"] == "entry"
    assert techwave["last_run"]["outcome"] == "failed" and techwave["counters"]["unparsable"] == 1
