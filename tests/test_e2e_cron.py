"""Cron safety on a real `marsad run` subprocess against the portal world: SIGTERM, a time budget,
--quiet, a damaged state store. Each interrupted run is followed by one that completes the work."""

from __future__ import annotations

import signal
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from marsad_runs import (
    AZERBAIJAN,
    SLOW_CRAWL,
    count_rows,
    damage_sqlite,
    last_json,
    mentioning,
    run_marsad,
    start_marsad,
    syndicated_pairs,
    wait_for_rows,
    write_config,
)

from core.settings import load_settings
from indexer.storage.factory import open_storage
from marsad.sinks import WebhookSink

if TYPE_CHECKING:
    from crawler.portalworld import PortalWorld

STORED = "SELECT COUNT(*) FROM stored_articles"


def indexed(config: Path, env: dict[str, str]) -> list[str]:
    storage = open_storage(load_settings(env=env, config_dir=config))
    try:
        return sorted(article.canonical_url for article in storage.iter_articles())
    finally:
        storage.close()


def assert_complete(world: PortalWorld, config: Path, env: dict[str, str], hook: WebhookSink) -> None:
    """Every article indexed once, every alert delivered once."""
    assert indexed(config, env) == sorted(a["canonical_url"] for a in world.expected_articles())
    titles = Counter(post["title"] for post in hook.received())
    assert len(titles) == len(mentioning(world)) - len(syndicated_pairs(world)), "every alert arrives"
    assert set(titles.values()) == {1}, "and once"


@pytest.mark.slow
def test_sigterm_finishes_in_flight_work_exits_1_and_the_next_run_completes(tmp_path: Path,
                                                                           portal_world: PortalWorld) -> None:
    with WebhookSink("127.0.0.5") as hook:
        config = write_config(tmp_path / "config", portal_world,
                              {"channels": {"hook": hook.url()}, "rules": [{**AZERBAIJAN, "channels": ["hook"]}]},
                              SLOW_CRAWL)
        env = {"MARSAD_DATA_DIR": str(tmp_path / "data")}
        state = tmp_path / "data" / "state.sqlite"
        process = start_marsad(config, env, "run")
        try:
            wait_for_rows(process, state, STORED, 5)
            process.send_signal(signal.SIGTERM)
            out, err = process.communicate(timeout=120)
        finally:
            if process.poll() is None:
                process.kill()
                process.wait(30)
        assert process.returncode == 1, (out, err)
        assert "INTERRUPTED by SIGTERM" in out.strip().splitlines()[-1]
        stored = count_rows(state, STORED)
        assert 5 <= stored < len(portal_world.expected_articles()), "stopped half way"
        assert len(indexed(config, env)) == stored, "the batches in flight were indexed and recorded, no more"
        assert count_rows(state, "SELECT COUNT(*) FROM outbox WHERE status = 'pending'") > 0
        assert hook.received() == [], "an interrupted run does not deliver: its alerts wait in the outbox"
        assert count_rows(state, "SELECT COUNT(*) FROM runs WHERE outcome = 'interrupted'") == 1

        rerun = run_marsad(config, env, "run", "--json")  # the lock was released
        assert rerun.returncode == 0, rerun.stderr
        assert last_json(rerun.stdout)["created"] == len(portal_world.expected_articles()) - stored
        assert_complete(portal_world, config, env, hook)


@pytest.mark.slow
def test_max_minutes_stops_scheduling_at_the_budget_and_the_next_run_crawls_the_rest(
        tmp_path: Path, portal_world: PortalWorld) -> None:
    with WebhookSink("127.0.0.5") as hook:
        config = write_config(tmp_path / "config", portal_world,
                              {"channels": {"hook": hook.url()}, "rules": [{**AZERBAIJAN, "channels": ["hook"]}]},
                              {**SLOW_CRAWL, "crawl": {**SLOW_CRAWL["crawl"], "download_delay": 0.3}})
        env = {"MARSAD_DATA_DIR": str(tmp_path / "data")}
        budget = run_marsad(config, env, "run", "--max-minutes", "0.02")  # 1.2 s of a crawl that needs over 4
        assert budget.returncode == 0, budget.stderr
        assert budget.stdout.strip().endswith("stopped at the time budget (the rest is crawled next run)")
        first = count_rows(tmp_path / "data" / "state.sqlite", STORED)
        assert first < len(portal_world.expected_articles())
        assert len(indexed(config, env)) == first
        rest = run_marsad(config, env, "run", "--json")
        assert rest.returncode == 0, rest.stderr
        assert not last_json(rest.stdout)["time_budget"]
        assert_complete(portal_world, config, env, hook)


@pytest.mark.slow
def test_quiet_prints_nothing_unless_something_failed(tmp_path: Path, portal_world: PortalWorld) -> None:
    config = write_config(tmp_path / "config", portal_world)  # the log channel prints each alert on stdout
    env = {"MARSAD_DATA_DIR": str(tmp_path / "data")}
    quiet = run_marsad(config, env, "run", "--quiet", "--source", "techwave")
    assert quiet.returncode == 0 and (quiet.stdout, quiet.stderr) == ("", "")
    sources = (config / "sources.yaml").read_text(encoding="utf-8")
    (config / "sources.yaml").write_text(sources.replace("/feed/", "/no-such-feed.xml"), encoding="utf-8")
    failed = run_marsad(config, env, "run", "--quiet", "--source", "techwave")
    assert failed.returncode == 1
    assert failed.stdout.startswith("sources: 1 (1 failed: techwave; 1 flagged)")
    assert "no-such-feed.xml" in failed.stderr


@pytest.mark.slow
def test_a_damaged_state_store_is_a_clear_error_and_tells_the_admin(tmp_path: Path, portal_world: PortalWorld,
                                                                   webhook_sink: WebhookSink) -> None:
    config = write_config(tmp_path / "config", portal_world,
                          {"channels": {"admin": webhook_sink.url("admin")}, "rules": [AZERBAIJAN]})
    env = {"MARSAD_DATA_DIR": str(tmp_path / "data")}
    assert run_marsad(config, env, "run").returncode == 0
    damage_sqlite(tmp_path / "data" / "state.sqlite")
    damaged = run_marsad(config, env, "run")
    assert damaged.returncode == 1
    assert damaged.stdout.startswith("STATE STORE UNUSABLE: state store ")
    assert "is damaged" in damaged.stdout and "0 failed" not in damaged.stdout
    assert "restore it from a backup" in damaged.stderr
    (summary,) = webhook_sink.received()
    assert summary["path"] == "/admin" and "state store" in summary["message"]
