"""Kill drills: `marsad run` is SIGKILLed at several points — as it begins, once articles are
stored, after the crawl, while delivering (found by polling the real state store) — then run
again. Every alert of a clean run arrives, and once; every article is indexed once."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from marsad_runs import (
    AZERBAIJAN,
    SLOW_CRAWL,
    count_rows,
    marsad_command,
    mentioning,
    run_marsad,
    syndicated_pairs,
    write_config,
)

from core.settings import load_settings
from indexer.delivery.log import read_alerts
from indexer.storage.factory import open_storage
from marsad.sinks import WebhookSink

if TYPE_CHECKING:
    from crawler.portalworld import PortalWorld


def kill_when(command: list[str], env: dict[str, str], db: Path, sql: str, at_least: int,
              timeout: float = 120) -> int:
    """Start the command, SIGKILL it once ``sql`` counts ``at_least`` rows; the count at the kill."""
    process = subprocess.Popen(command, env={**os.environ, **env}, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            seen = count_rows(db, sql)
            if seen >= at_least:
                process.send_signal(signal.SIGKILL)
                process.wait(30)
                return seen
            if process.poll() is not None:
                pytest.fail(f"the run ended (code {process.returncode}) before {at_least} rows: {sql}")
            time.sleep(0.005)
        pytest.fail(f"timed out waiting for {at_least} rows: {sql}")
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(30)
    return 0


@pytest.mark.slow
@pytest.mark.parametrize("stored_before_kill", [1, 9, 21])
def test_sigkill_while_crawling_loses_and_repeats_nothing(tmp_path: Path, portal_world: PortalWorld,
                                                          stored_before_kill: int) -> None:
    world = portal_world
    with WebhookSink("127.0.0.5") as hook:
        config = write_config(tmp_path / "config", world,
                              {"channels": {"hook": hook.url()},
                               "rules": [{**AZERBAIJAN, "channels": ["hook", "log"]}]},
                              SLOW_CRAWL)
        env = {"MARSAD_DATA_DIR": str(tmp_path / "data")}
        state = tmp_path / "data" / "state.sqlite"
        killed_at = kill_when(marsad_command(config, "run"), env, state, "SELECT COUNT(*) FROM stored_articles",
                              stored_before_kill)
        assert stored_before_kill <= killed_at < len(world.expected_articles()), "killed mid-crawl"
        rerun = run_marsad(config, env, "run", "--json")
        assert rerun.returncode == 0, rerun.stderr

        stories = len(mentioning(world)) - len(syndicated_pairs(world))
        titles = Counter(post["title"] for post in hook.received())
        assert len(titles) == stories and set(titles.values()) == {1}, "every alert once on the webhook"
        logged = read_alerts(tmp_path / "data" / "alerts.jsonl")
        assert Counter(tuple(sorted(a["urls"])) for a in logged).most_common(1)[0][1] == 1
        assert {url for alert in logged for url in alert["urls"]} == mentioning(world)

        storage = open_storage(load_settings(env=env, config_dir=config))
        try:
            stored = [article.canonical_url for article in storage.iter_articles()]
        finally:
            storage.close()
        assert sorted(stored) == sorted(a["canonical_url"] for a in world.expected_articles())


@pytest.mark.slow
def test_sigkill_while_delivering_repeats_at_most_the_message_in_flight(tmp_path: Path,
                                                                        portal_world: PortalWorld) -> None:
    world = portal_world
    with WebhookSink("127.0.0.5", delay=0.4) as hook:  # a slow service: delivery takes seconds
        config = write_config(tmp_path / "config", world,
                              {"channels": {"hook": hook.url()}, "rules": [{**AZERBAIJAN, "channels": ["hook"]}]})
        env = {"MARSAD_DATA_DIR": str(tmp_path / "data")}
        state = tmp_path / "data" / "state.sqlite"
        kill_when(marsad_command(config, "run"), env, state, "SELECT COUNT(*) FROM deliveries", 2)
        time.sleep(0.5)  # let the request in flight reach the sink
        delivered_before = len(hook.received())
        rerun = run_marsad(config, env, "run", "--json")
        assert rerun.returncode == 0, rerun.stderr
        stories = len(mentioning(world)) - len(syndicated_pairs(world))
        titles = Counter(post["title"] for post in hook.received())
        assert len(titles) == stories, "every alert arrives"
        repeated = sum(n - 1 for n in titles.values())
        assert repeated <= 1, "at most the one message sent but not yet recorded is repeated"
        assert delivered_before >= 2


@pytest.mark.slow
@pytest.mark.parametrize(("point", "sql", "unfinished"), [
    ("when the run has just begun", "SELECT COUNT(*) FROM runs", 1),
    ("after the crawl, before delivery", "SELECT COUNT(*) FROM runs WHERE finished_at IS NOT NULL", 0),
])
def test_sigkill_at_the_run_boundaries_loses_and_repeats_nothing(tmp_path: Path, portal_world: PortalWorld,
                                                                 point: str, sql: str, unfinished: int) -> None:
    world = portal_world
    with WebhookSink("127.0.0.5", delay=0.2) as hook:
        config = write_config(tmp_path / "config", world,
                              {"channels": {"hook": hook.url()}, "rules": [{**AZERBAIJAN, "channels": ["hook"]}]},
                              SLOW_CRAWL)
        env = {"MARSAD_DATA_DIR": str(tmp_path / "data")}
        state = tmp_path / "data" / "state.sqlite"
        kill_when(marsad_command(config, "run"), env, state, sql, 1)
        assert count_rows(state, "SELECT COUNT(*) FROM deliveries") == 0, f"killed {point}"
        rerun = run_marsad(config, env, "run", "--json")
        assert rerun.returncode == 0, rerun.stderr  # the killed run's lock died with it
        stories = len(mentioning(world)) - len(syndicated_pairs(world))
        titles = Counter(post["title"] for post in hook.received())
        assert len(titles) == stories and set(titles.values()) == {1}, "every alert once"
        storage = open_storage(load_settings(env=env, config_dir=config))
        try:
            stored = [article.canonical_url for article in storage.iter_articles()]
        finally:
            storage.close()
        assert sorted(stored) == sorted(a["canonical_url"] for a in world.expected_articles())
        assert count_rows(state, "SELECT COUNT(*) FROM runs WHERE outcome = 'running'") == unfinished, \
            "a run killed before its health was recorded shows as unfinished"
