"""End to end on real components: the portal world over HTTP → `marsad run` → SQLite or a real
Elasticsearch node → alerts → `marsad search`, run twice."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
import yaml

from core.settings import load_settings
from crawler.parsers.fingerprint import is_near_duplicate
from indexer.delivery.log import read_alerts
from indexer.storage.factory import open_storage

if TYPE_CHECKING:
    from crawler.portalworld import PortalWorld

ALERTS = {"rules": [{"name": "azerbaijan", "query": "أذربيجان"}]}


def write_config(config_dir: Path, world: PortalWorld) -> None:
    config_dir.mkdir(parents=True)
    files = {
        "sources.yaml": world.sources_config(),
        "alerts.yaml": ALERTS,
        "settings.yaml": {"crawl": {"download_delay": 0.0, "autothrottle": True}},
    }
    for name, data in files.items():
        (config_dir / name).write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def marsad(config_dir: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "marsad.cli", "--config-dir", str(config_dir), *args],
        capture_output=True, text=True, timeout=300, env={**os.environ, **env},
    )


def article_paths(world: PortalWorld) -> Counter[str]:
    expected = {a["canonical_url"] for a in world.expected_articles()}
    return Counter(url for url in world.requested_urls() if url in expected)


@pytest.fixture(params=["sqlite", "elasticsearch"])
def backend_env(request: pytest.FixtureRequest, tmp_path: Path) -> dict[str, str]:
    env = {"MARSAD_DATA_DIR": str(tmp_path / "data")}
    if request.param == "elasticsearch":
        env.update(request.getfixturevalue("es_env"))  # MARSAD_ES_URL, MARSAD_ES_USER, MARSAD_ES_PASSWORD
        env["MARSAD_ES_INDEX"] = request.getfixturevalue("es_index")
    else:
        env["MARSAD_STORAGE_BACKEND"] = "sqlite"
    return env


@pytest.mark.slow
def test_two_cycles_index_once_alert_once_and_search(
    tmp_path: Path, portal_world: PortalWorld, backend_env: dict[str, str]
) -> None:
    world = portal_world
    world.reset_requests()
    config_dir = tmp_path / "config"
    write_config(config_dir, world)
    expected = {a["canonical_url"]: a for a in world.expected_articles()}
    mentioning = {url for url, a in expected.items() if a["mentions_azerbaijan"]}

    first = marsad(config_dir, backend_env, "run", "--json")
    assert first.returncode == 0, first.stderr
    printed = first.stdout + first.stderr
    report = json.loads(first.stdout.strip().splitlines()[-1])
    assert report["created"] == len(expected)
    assert report["failed_sources"] == []

    settings = load_settings(env=backend_env, config_dir=config_dir)
    storage = open_storage(settings)
    try:
        stored = {article.canonical_url: article for article in storage.iter_articles()}
    finally:
        storage.close()
    assert set(stored) == set(expected)
    for url, article in stored.items():
        assert article.title == expected[url]["title"]
        assert article.published_at is not None and article.published_at.tzinfo is not None
        assert article.published_at == expected[url]["published"]

    groups: dict[str, list[str]] = {}
    for url, truth in expected.items():
        if truth["syndicated_group"]:
            groups.setdefault(truth["syndicated_group"], []).append(url)
    pairs = [urls for urls in groups.values() if len(urls) == 2]
    assert pairs, "the portal world has a syndicated pair"
    for first, second in pairs:
        fingerprints = stored[first].fingerprint, stored[second].fingerprint
        assert None not in fingerprints and is_near_duplicate(*fingerprints)
        assert stored[first].story_id is not None and stored[first].story_id == stored[second].story_id
    syndicated = {url for urls in pairs for url in urls}
    others = [a.story_id for url, a in stored.items() if url not in syndicated]
    assert len(set(others)) == len(others), "unrelated articles are stories of their own"

    alerts = [alert for alert in read_alerts(settings.alerts_log_path) if alert["rule"] == "azerbaijan"]
    fired = Counter(url for alert in alerts for url in alert["urls"])
    assert set(fired) == mentioning
    assert all(count == 1 for count in fired.values())
    for first, second in pairs:
        both = [alert for alert in alerts if first in alert["urls"]]
        assert len(both) == 1 and set(both[0]["urls"]) == {first, second}, "one alert per story"
        assert set(both[0]["sources"]) == {stored[first].source, stored[second].source}
    assert report["alerts"] == len(alerts) == len(mentioning) - len(pairs)
    assert all(count == 1 for count in article_paths(world).values())

    second = marsad(config_dir, backend_env, "run", "--json")
    assert second.returncode == 0, second.stderr
    printed += second.stdout + second.stderr
    again = json.loads(second.stdout.strip().splitlines()[-1])
    assert (again["created"], again["updated"], again["alerts"]) == (0, 0, 0)
    assert all(count == 1 for count in article_paths(world).values()), "an article was fetched twice"
    assert len(read_alerts(settings.alerts_log_path)) == len(alerts)

    found = marsad(config_dir, backend_env, "search", "أذربيجان", "--json", "--limit", "100", "--no-collapse")
    assert found.returncode == 0, found.stderr
    assert {hit["article"]["canonical_url"] for hit in json.loads(found.stdout)["hits"]} == mentioning
    collapsed = json.loads(marsad(config_dir, backend_env, "search", "أذربيجان", "--json", "--limit", "100").stdout)
    assert collapsed["stories"] == len(collapsed["hits"]) == len(mentioning) - len(pairs), "one hit per story"
    assert sum(hit["story_size"] for hit in collapsed["hits"]) == len(mentioning)
    password = backend_env.get("MARSAD_ES_PASSWORD")
    assert not password or password not in printed + found.stdout + found.stderr, "the ES password was printed"


@pytest.mark.slow
def test_crawler_obeys_robots_and_stays_on_configured_domains(
    tmp_path: Path, portal_world: PortalWorld
) -> None:
    world = portal_world
    world.reset_requests()
    config_dir = tmp_path / "config"
    write_config(config_dir, world)
    result = marsad(config_dir, {"MARSAD_DATA_DIR": str(tmp_path / "data")}, "crawl", "--json")
    assert result.returncode == 0, result.stderr
    requested = world.requested_urls()
    assert requested, "the crawler fetched nothing"
    assert not [url for url in requested if world.is_disallowed(url)]
    assert not [url for url in requested if world.is_offsite(url)]
    assert json.loads(result.stdout.strip().splitlines()[-1])["alerts"] == 0


@pytest.mark.parametrize("feed_path", ["/no-such-feed.xml", "/robots.txt"], ids=["http-404", "not-xml"])
def test_failed_source_exits_1_and_keeps_the_others(
    tmp_path: Path, portal_world: PortalWorld, feed_path: str
) -> None:
    config_dir = tmp_path / "config"
    write_config(config_dir, portal_world)
    sources: dict[str, Any] = yaml.safe_load((config_dir / "sources.yaml").read_text(encoding="utf-8"))
    first = sources["sources"][0]
    assert first["feeds"], "the first portal is the one with a feed"
    first["feeds"] = [first["feeds"][0].rsplit("/", 2)[0] + feed_path]
    (config_dir / "sources.yaml").write_text(yaml.safe_dump(sources, allow_unicode=True), encoding="utf-8")
    result = marsad(config_dir, {"MARSAD_DATA_DIR": str(tmp_path / "data")}, "crawl", "--json")
    assert result.returncode == 1
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["failed_sources"] == [first["name"]]
    assert report["created"] > 0
    assert first["feeds"][0] in result.stderr, "the log names the URL that failed"


def test_unreachable_elasticsearch_fails_the_run_and_loses_nothing(tmp_path: Path, portal_world: PortalWorld) -> None:
    config_dir = tmp_path / "config"
    write_config(config_dir, portal_world)
    env = {"MARSAD_DATA_DIR": str(tmp_path / "data"), "MARSAD_ES_URL": "http://127.0.0.1:9"}
    result = marsad(config_dir, env, "run")
    assert result.returncode == 1
    assert "unreachable" in result.stderr and "127.0.0.1:9" in result.stderr
    again = marsad(config_dir, {"MARSAD_DATA_DIR": str(tmp_path / "data")}, "run", "--json")
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout.strip().splitlines()[-1])["created"] == len(portal_world.expected_articles())
