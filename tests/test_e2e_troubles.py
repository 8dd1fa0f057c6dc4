"""The portal world beside a misbehaving portal (crawler/portalworld/troubled.py), crawled by real
`marsad run` subprocesses three times: first as found, then after an article was edited, then
unchanged. Each trouble leaves its counter and its log line; the portal world is crawled as if
nothing were wrong; every run ends in bounded time."""

from __future__ import annotations

import shutil
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
import yaml
from marsad_runs import AZERBAIJAN, last_json, mentioning, run_marsad, syndicated_pairs, write_config

from core.settings import load_settings
from crawler.portalworld.troubled import TroubledWorld
from crawler.portalworld.troubled_pages import EDIT
from indexer.delivery.log import read_alerts
from indexer.storage.factory import open_storage

if TYPE_CHECKING:
    from core.article import Article
    from crawler.portalworld import PortalWorld

FIVE_G = {"name": "fiveg", "query": '"الجيل الخامس"'}
SETTINGS = {"crawl": {"download_delay": 0.0, "autothrottle": True, "download_timeout": 2, "retry_times": 2,
                      "retry_backoff_seconds": 0.2, "retry_max_wait_seconds": 5},
            "alerts": {"retry_seconds": 0, "retry_pause_seconds": 0}}
TROUBLED = ("flaky", "throttled", "slow", "redirects", "sitemaps", "canon", "broken", "paging", "big", "budget",
            "robots500", "fromrobots")
RUN_BOUND_SECONDS = 150  # a run that hangs on a trouble would take far longer (timeouts × retries × pages)


@dataclass
class Run:
    code: int
    report: dict[str, Any]
    log: str
    seconds: float
    main_requests: list[tuple[str, str, int]] = field(default_factory=list)
    trouble_requests: list[tuple[str, str, int]] = field(default_factory=list)


@dataclass
class Cycles:
    world: PortalWorld
    trouble: TroubledWorld
    data: Path
    config: Path
    runs: list[Run] = field(default_factory=list)

    def stored(self) -> dict[str, Article]:
        storage = open_storage(load_settings(env={"MARSAD_DATA_DIR": str(self.data)}, config_dir=self.config))
        try:
            return {article.canonical_url: article for article in storage.iter_articles()}
        finally:
            storage.close()

    def alerts(self, rule: str) -> Counter[str]:
        return Counter(url for alert in read_alerts(self.data / "alerts.jsonl") if alert["rule"] == rule
                       for url in alert["urls"])


def crawl(cycles: Cycles) -> Run:
    cycles.world.reset_requests()
    seen = len(cycles.trouble.request_log)
    env = {"MARSAD_DATA_DIR": str(cycles.data), "MARSAD_STORAGE_BACKEND": "sqlite"}
    started = time.monotonic()
    result = run_marsad(cycles.config, env, "-v", "run", "--json", timeout=RUN_BOUND_SECONDS * 2)
    run = Run(result.returncode, last_json(result.stdout), result.stderr, time.monotonic() - started)
    run.main_requests = [(r.portal, r.path, r.status) for r in cycles.world.request_log]
    run.trouble_requests = [(r.portal, r.path, r.status) for r in cycles.trouble.request_log[seen:]]
    return run


@pytest.fixture(scope="module")
def cycles(tmp_path_factory: pytest.TempPathFactory, portal_world: PortalWorld) -> Iterator[Cycles]:
    world = portal_world
    victim = next(a["canonical_url"] for a in world.expected_articles() if a["mentions_azerbaijan"])
    tmp = tmp_path_factory.mktemp("troubles")
    with TroubledWorld(victim=victim, slow_seconds=4.0) as trouble:
        config = write_config(tmp / "config", world, {"rules": [AZERBAIJAN, FIVE_G]}, SETTINGS)
        sources = world.sources_config()["sources"] + trouble.sources_config()
        (config / "sources.yaml").write_text(yaml.safe_dump({"sources": sources}, allow_unicode=True),
                                             encoding="utf-8")
        cycles = Cycles(world, trouble, tmp / "data", config)
        cycles.runs.append(crawl(cycles))
        trouble.edit()
        cycles.runs.append(crawl(cycles))
        cycles.runs.append(crawl(cycles))
        yield cycles
    shutil.rmtree(tmp, ignore_errors=True)


@pytest.mark.slow
@pytest.mark.parametrize("source", TROUBLED)
def test_each_trouble_leaves_its_counter_and_log_line(cycles: Cycles, source: str) -> None:
    first = cycles.runs[0]
    counters = first.report["source_counters"][source]
    troubles = [t for t in cycles.trouble.troubles if t.source == source]
    assert troubles, f"no trouble declared for {source}"
    for trouble in troubles:
        assert counters.get(trouble.counter, 0) >= trouble.at_least, (trouble, counters)
        assert trouble.log in first.log, f"{source}: no log line containing {trouble.log!r}"
    assert "Traceback" not in first.log


@pytest.mark.slow
def test_the_portal_world_is_crawled_as_if_nothing_were_wrong(cycles: Cycles) -> None:
    first = cycles.runs[0]
    assert first.code == 1 and first.report["failed_sources"] == ["robots500"], first.report["failed_sources"]
    assert all(run.seconds < RUN_BOUND_SECONDS for run in cycles.runs), [run.seconds for run in cycles.runs]
    stored = cycles.stored()
    world = cycles.world
    for expected in world.expected_articles():
        assert stored[expected["canonical_url"]].title == expected["title"], "a portal-world article was changed"
    wanted = cycles.trouble.stored_urls()
    assert {url: stored[url].title for url in wanted if url in stored} == wanted
    assert len(stored) == len(world.expected_articles()) + len(wanted), "nothing else was stored"
    fired = cycles.alerts("azerbaijan")
    assert set(fired) == mentioning(world) | {cycles.trouble.url("/sm/edited.html")}
    assert all(count == 1 for count in fired.values())
    titles = {alert["title"] for alert in read_alerts(cycles.data / "alerts.jsonl")}
    assert not any("مختلق" in title for title in titles), "an alert carries the attacker's title"
    requested = [f"{portal} {path}" for run in cycles.runs for portal, path, _ in run.main_requests]
    assert not [r for r in requested if r.startswith("offsite") or "/private/" in r]
    paths = {path for run in cycles.runs for _, path, _ in run.trouble_requests}
    assert not paths & set(cycles.trouble.never_requested())
    assert cycles.trouble.errors == [] and world.errors == []
    assert len(mentioning(world)) - len(syndicated_pairs(world)) + 1 == len(
        {tuple(sorted(a["urls"])) for a in read_alerts(cycles.data / "alerts.jsonl") if a["rule"] == "azerbaijan"})


@pytest.mark.slow
def test_an_edited_article_replaces_its_index_entry_and_alerts_a_new_rule_once(cycles: Cycles) -> None:
    edited_url = cycles.trouble.url("/sm/edited.html")
    second = cycles.runs[1]
    counters = second.report["source_counters"]["sitemaps"]
    assert (counters.get("refetched"), counters.get("updated")) == (1, 1), counters
    assert f"{edited_url} is listed as changed at" in second.log
    assert ("troubled-trouble", "/sm/edited.html", 200) in second.trouble_requests
    article = cycles.stored()[edited_url]
    assert EDIT in article.body
    assert article.modified_at is not None and article.modified_at.tzinfo is not None
    assert cycles.alerts("fiveg")[edited_url] == 1, "the rule that matched the first version does not alert again"
    assert cycles.alerts("azerbaijan")[edited_url] == 1, "the rule the edit made match alerts, once"
    third = cycles.runs[2]
    assert (third.report["created"], third.report["updated"], third.report["alerts"]) == (0, 0, 0)
    assert not third.report["source_counters"]["sitemaps"].get("refetched")


@pytest.mark.slow
def test_an_unchanged_cycle_is_answered_by_304s_and_fetches_no_article(cycles: Cycles) -> None:
    sources = cycles.world.sources_config()["sources"]
    entry_points = sum(len(s["feeds"]) + len(s["sitemaps"]) + len(s["listings"]) for s in sources)
    for run in cycles.runs[1:]:
        assert len(run.main_requests) == entry_points, run.main_requests  # robots.txt comes from the state store
        assert {status for _, _, status in run.main_requests} == {304}
    steady = [(path, status) for _, path, status in cycles.runs[2].trouble_requests]
    articles = [path for path, status in steady if path.endswith(".html") and status == 200
                and not path.startswith(("/slow/", "/list"))]
    assert articles == [], "only articles that failed for a passing reason are fetched again"
    paging = cycles.runs[2].report["source_counters"]["paging"]
    assert paging.get("unchanged_pages") == 1 and paging.get("requests") == 1, "no validators: the body hash stops it"
    budget = [run.report["source_counters"]["budget"] for run in cycles.runs]
    assert [b.get("new", 0) for b in budget] == [2, 1, 0], "what the budget left is fetched by the next run"
    assert budget[2].get("not_modified") == 1


def test_a_corrupt_state_database_stops_the_run_before_any_request(tmp_path: Path, portal_world: PortalWorld) -> None:
    config = write_config(tmp_path / "config", portal_world)
    state = tmp_path / "data" / "state.sqlite"
    state.parent.mkdir()
    garbage = b"this is not a SQLite database, but it is where the state store should be" * 100
    state.write_bytes(garbage)
    portal_world.reset_requests()
    result = run_marsad(config, {"MARSAD_DATA_DIR": str(tmp_path / "data")}, "run", "--json")
    assert result.returncode == 1
    report = last_json(result.stdout)
    assert "file is not a database" in report["state_error"] and report["created"] == 0
    assert f"state store {state} cannot be used" in result.stderr and "nothing crawled" in result.stderr
    assert "Traceback" not in result.stderr
    assert portal_world.requested_urls() == []
    assert state.read_bytes() == garbage, "the broken file is left as it was, for the operator"
