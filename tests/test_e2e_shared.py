"""Two hosts, one crawl: two `marsad run` processes, each with its own data folder (lock, spool, log),
sharing one Redis (Debian's redis-server: frontier, claims, state) and one two-node Elasticsearch
cluster on loopback. Every article is fetched once in total, indexed once, alerted once — the same
emails as one process sends alone — also when one of the two is SIGKILLed mid-crawl and run again."""

from __future__ import annotations

import html
import os
import re
import signal
import subprocess
import time
from collections import Counter
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
import redis
from es_nodes import EsNode
from marsad_runs import AZERBAIJAN, FAST_CRAWL, SLOW_CRAWL, last_json, marsad_command, mentioning, write_config

from marsad.sinks import SmtpSink

if TYPE_CHECKING:
    from crawler.portalworld import PortalWorld

pytestmark = [pytest.mark.slow, pytest.mark.elasticsearch]
HREF = re.compile(r'href="([^"]+)"')


@pytest.fixture
def cluster_index(es_cluster: EsNode) -> Iterator[str]:
    with es_cluster.fresh_index("marsad-shared") as name:
        yield name


@pytest.fixture(scope="module")
def one_process_alerts(portal_world: PortalWorld, tmp_path_factory: pytest.TempPathFactory) -> Counter[frozenset[str]]:
    """The emails one process alone (SQLite, no Redis) sends for the portal world: the articles each links."""
    folder = tmp_path_factory.mktemp("one-process")
    with SmtpSink() as sink:
        config = host_config(folder / "config", portal_world, sink, "alone", FAST_CRAWL)
        result = subprocess.run(marsad_command(config, "run", "--json"), capture_output=True, text=True, timeout=300,
                                env={**os.environ, "MARSAD_DATA_DIR": str(folder / "data")})
        assert result.returncode == 0, result.stderr
        return emails(sink, last_json(result.stdout)["messages_sent"], mentioning(portal_world))


def host_config(folder: Path, world: PortalWorld, sink: SmtpSink, host: str, crawl: dict[str, Any]) -> Path:
    """One host's config folder; its User-Agent names the host, so the portals' logs tell the hosts apart."""
    settings = {**crawl, "crawl": {**crawl["crawl"], "user_agent": f"Marsad/0.1 ({host})"}}
    alerts = {"channels": {"mail": {"url": sink.url(), "throttle": 0}}, "rules": [{**AZERBAIJAN, "channels": ["mail"]}]}
    return write_config(folder, world, alerts, settings)


def emails(sink: SmtpSink, count: int, urls: set[str]) -> Counter[frozenset[str]]:
    """Each email received, as the set of matching articles it links to."""
    messages = sink.wait_for(count)
    time.sleep(0.5)  # nothing more arrives
    assert len(sink.received()) == len(messages) == count
    return Counter(frozenset(linked(message, urls)) for message in messages)


def linked(message: EmailMessage, urls: set[str]) -> set[str]:
    body = message.get_body(("html",))
    assert body is not None
    return {html.unescape(href) for href in HREF.findall(str(body.get_content()))} & urls


def shared_env(tmp_path: Path, host: str, redis_url: str, cluster: EsNode, index: str) -> dict[str, str]:
    return {**os.environ, **cluster.env, "MARSAD_ES_INDEX": index, "MARSAD_REDIS_URL": redis_url,
            "MARSAD_DATA_DIR": str(tmp_path / host / "data")}


def start(config: Path, env: dict[str, str]) -> subprocess.Popen[bytes]:
    """`marsad run --json` in the background, its output in files beside its data folder (a pipe
    nobody reads while the other host is waited for could stall the host holding the delivery lock)."""
    folder = Path(env["MARSAD_DATA_DIR"]).parent
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "stdout").open("wb") as out, (folder / "stderr").open("wb") as err:
        return subprocess.Popen(marsad_command(config, "run", "--json"), env=env, stdout=out, stderr=err)


def finish(process: subprocess.Popen[bytes], env: dict[str, str]) -> dict[str, Any]:
    process.wait(300)
    folder = Path(env["MARSAD_DATA_DIR"]).parent
    assert process.returncode == 0, (folder / "stderr").read_text(errors="replace")[-3000:]
    report: dict[str, Any] = last_json((folder / "stdout").read_text(encoding="utf-8"))
    return report


def article_fetches(world: PortalWorld, host: str | None = None) -> Counter[str]:
    """How often each article URL was requested from the portals (by one host's User-Agent, or all)."""
    articles = {article["canonical_url"] for article in world.expected_articles()}
    fetched = (world.base_url(record.portal) + record.path for record in list(world.request_log)
               if host is None or f"({host})" in record.user_agent)
    return Counter(url for url in fetched if url in articles)


def test_two_hosts_fetch_index_and_alert_every_article_once(tmp_path: Path, portal_world: PortalWorld,
                                                            redis_url: str, es_cluster: EsNode, cluster_index: str,
                                                            smtp_sink: SmtpSink,
                                                            one_process_alerts: Counter[frozenset[str]]) -> None:
    world = portal_world
    articles = len(world.expected_articles())
    configs = {host: host_config(tmp_path / host / "config", world, smtp_sink, host, FAST_CRAWL) for host in "ab"}
    envs = {host: shared_env(tmp_path, host, redis_url, es_cluster, cluster_index) for host in "ab"}
    world.reset_requests()
    runs = {host: start(configs[host], envs[host]) for host in "ab"}
    reports = {host: finish(process, envs[host]) for host, process in runs.items()}

    fetched = article_fetches(world)
    assert set(fetched) == {article["canonical_url"] for article in world.expected_articles()}
    assert set(fetched.values()) == {1}, f"fetched more than once: {[url for url, n in fetched.items() if n > 1]}"
    assert es_cluster.count_documents(cluster_index) == articles
    assert reports["a"]["created"] + reports["b"]["created"] == articles
    sent = reports["a"]["messages_sent"] + reports["b"]["messages_sent"]
    assert emails(smtp_sink, sent, mentioning(world)) == one_process_alerts, "the emails one process sends alone"
    print(f"articles fetched by host a: {sum(article_fetches(world, 'a').values())}, "
          f"by host b: {sum(article_fetches(world, 'b').values())}")

    world.reset_requests()  # the next cycle on both hosts: nothing new anywhere
    again = {host: finish(start(configs[host], envs[host]), envs[host]) for host in "ab"}
    assert not article_fetches(world) and again["a"]["created"] == again["b"]["created"] == 0
    assert len(smtp_sink.received()) == sent and es_cluster.count_documents(cluster_index) == articles


def test_a_host_killed_mid_crawl_loses_and_repeats_nothing(tmp_path: Path, portal_world: PortalWorld, redis_url: str,
                                                           es_cluster: EsNode, cluster_index: str,
                                                           smtp_sink: SmtpSink,
                                                           one_process_alerts: Counter[frozenset[str]]) -> None:
    world = portal_world
    configs = {host: host_config(tmp_path / host / "config", world, smtp_sink, host, SLOW_CRAWL) for host in "ab"}
    envs = {host: shared_env(tmp_path, host, redis_url, es_cluster, cluster_index) for host in "ab"}
    world.reset_requests()
    hosts = {host: start(configs[host], envs[host]) for host in "ab"}
    try:
        # Kill whichever host has fetched articles first while it is still running: under load either
        # host may take most of the queue, so waiting for one named host could see it end first.
        victim = ""
        deadline = time.monotonic() + 120
        while not victim:
            running = [host for host, process in hosts.items() if process.poll() is None]
            assert running and time.monotonic() < deadline, "both hosts ended before one was killed"
            victim = next((host for host in running if sum(article_fetches(world, host).values()) >= 2), "")
            time.sleep(0.01)
        survivor = "b" if victim == "a" else "a"
        hosts[victim].send_signal(signal.SIGKILL)
        hosts[victim].wait(30)
        assert len(article_fetches(world)) < len(world.expected_articles()), "killed mid-crawl"
        finish(hosts[survivor], envs[survivor])  # takes over what the killed host left in the shared queue
    finally:
        for process in hosts.values():
            if process.poll() is None:
                process.kill()
                process.wait(30)
    heartbeats = redis.Redis.from_url(redis_url)
    deadline = time.monotonic() + 30
    while heartbeats.keys("marsad:crawler:*"):  # the killed host's heartbeat expires (15 s)
        assert time.monotonic() < deadline, "the killed host's heartbeat never expired"
        time.sleep(0.2)
    rerun = finish(start(configs[victim], envs[victim]), envs[victim])  # cron's next run on the killed host

    assert set(article_fetches(world)) == {article["canonical_url"] for article in world.expected_articles()}
    assert es_cluster.count_documents(cluster_index) == len(world.expected_articles()), "nothing lost, nothing twice"
    got = emails(smtp_sink, len(smtp_sink.received()), mentioning(world))
    assert sum(got.values()) == sum(one_process_alerts.values()) and set(got.values()) == {1}, "every alert once"
    for urls in got:  # a story's copy stored after its email went out joins it silently (no second email)
        assert sum(1 for alone in one_process_alerts if urls <= alone) == 1
    assert rerun["ok"] and rerun["created"] > 0, "what the killed host had taken is found again by its next run"


def test_an_unreachable_redis_stops_the_run_before_anything_is_stored(tmp_path: Path, portal_world: PortalWorld,
                                                                      smtp_sink: SmtpSink) -> None:
    config = host_config(tmp_path / "config", portal_world, smtp_sink, "a", FAST_CRAWL)
    portal_world.reset_requests()
    result = subprocess.run(marsad_command(config, "run"), capture_output=True, text=True, timeout=120,
                            env={**os.environ, "MARSAD_DATA_DIR": str(tmp_path / "data"),
                                 "MARSAD_REDIS_URL": "redis://:hunter2@127.0.0.1:1/0"})
    assert result.returncode == 1
    assert "redis://:***@127.0.0.1:1/0" in result.stdout + result.stderr
    assert "hunter2" not in result.stdout + result.stderr
    assert not portal_world.requests, "nothing was crawled"
    assert not (tmp_path / "data" / "state.sqlite").exists() and not (tmp_path / "data" / "spool").exists()
    assert not smtp_sink.received()
