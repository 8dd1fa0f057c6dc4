"""Nothing lost when Elasticsearch is down: a real node of our own is stopped before a run and in
the middle of one. New articles wait in the spool, the run exits 1 naming the cause, alerts go
out once; when the node is back the next run indexes the spool first, nothing is duplicated."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from es_nodes import ROOT, SCRIPT, EsNode
from marsad_runs import AZERBAIJAN, last_json, marsad_command, mentioning, run_marsad, syndicated_pairs, write_config

from marsad.sinks import WebhookSink

if TYPE_CHECKING:
    from crawler.portalworld import PortalWorld


class OwnNode:
    """A node in a data folder of its own, so stopping it disturbs no other test."""

    def __init__(self) -> None:
        self.data = ROOT / "data" / f"test-spool-{uuid.uuid4().hex[:8]}"  # reachable by the node's user
        self.env = {**os.environ, "MARSAD_DATA_DIR": str(self.data), "MARSAD_ES_HEAP": "384m"}

    def script(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(SCRIPT), *args], capture_output=True, text=True, timeout=900, env=self.env)

    def start(self) -> EsNode:
        started = self.script("start")
        if started.returncode != 0:
            pytest.fail(f"scripts/elasticsearch start failed:\n{started.stderr}", pytrace=False)
        password = self.script("password").stdout.strip()
        return EsNode("own", started.stdout.strip().splitlines()[-1], "marsad", password)

    def stop(self) -> None:
        assert self.script("stop").returncode == 0


@pytest.fixture
def own_node() -> Iterator[OwnNode]:
    node = OwnNode()
    yield node
    node.script("stop")
    shutil.rmtree(node.data, ignore_errors=True)


def indexed_urls(node: EsNode, index: str) -> Counter[str]:
    client = node.client()
    try:
        if not client.indices.exists(index=index):
            return Counter()
        client.indices.refresh(index=index)
        hits = client.search(index=index, size=1000, source=["canonical_url"])["hits"]["hits"]
        return Counter(hit["_source"]["canonical_url"] for hit in hits)
    finally:
        client.close()


@pytest.mark.slow
def test_a_node_down_before_and_during_runs_loses_and_duplicates_nothing(
    tmp_path: Path, portal_world: PortalWorld, own_node: OwnNode
) -> None:
    world = portal_world
    expected = {a["canonical_url"] for a in world.expected_articles()}
    stories = len(mentioning(world)) - len(syndicated_pairs(world))
    node = own_node.start()
    with WebhookSink("127.0.0.5") as hook:
        alerts = {"channels": {"hook": hook.url()}, "rules": [{**AZERBAIJAN, "channels": ["hook"]}]}
        config = write_config(tmp_path / "config", world, alerts)
        env = {**node.env, "MARSAD_DATA_DIR": str(tmp_path / "data"), "MARSAD_ES_INDEX": "spool-before"}

        own_node.stop()  # down before the run
        down = run_marsad(config, env, "run", "--json")
        assert down.returncode == 1
        report = last_json(down.stdout)
        assert report["spooled"] == len(expected) and report["created"] == 0
        assert "unreachable" in report["storage_error"] and node.url in down.stderr
        assert len(hook.received()) == stories, "alerts do not wait for the index"

        node = own_node.start()
        env = {**env, **node.env}
        back = run_marsad(config, env, "run", "--json")
        assert back.returncode == 0, back.stderr
        report = last_json(back.stdout)
        assert report["unspooled"] == len(expected) and report["created"] == 0 and report["alerts"] == 0
        assert indexed_urls(node, "spool-before") == Counter(expected)
        assert not list((tmp_path / "data" / "spool").glob("*.jsonl")), "the spool is empty again"
        assert len(hook.received()) == stories

        first_folder = len(hook.received())

        # Down in the middle of a run: stopped once some articles are indexed.
        slow = {"crawl": {"download_delay": 0.3, "autothrottle": False, "concurrent_requests_per_domain": 1},
                "storage": {"batch_size": 2}}
        config = write_config(tmp_path / "config2", world, alerts, slow)
        data = tmp_path / "data2"
        env = {**env, "MARSAD_DATA_DIR": str(data), "MARSAD_ES_INDEX": "spool-during"}
        process = subprocess.Popen(marsad_command(config, "run", "--json"), env={**os.environ, **env},
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline and sum(indexed_urls(node, "spool-during").values()) < 4:
                time.sleep(0.2)
            own_node.stop()
            out, err = process.communicate(timeout=300)
        finally:
            if process.poll() is None:
                process.kill()
                process.communicate()
        assert process.returncode == 1, err
        report = json.loads(out.strip().splitlines()[-1])
        assert report["spooled"] > 0 and report["created"] + report["spooled"] == len(expected)

        node = own_node.start()
        env = {**env, **node.env}
        again = run_marsad(config, env, "run", "--json")
        assert again.returncode == 0, again.stderr
        assert last_json(again.stdout)["unspooled"] == report["spooled"]
        assert indexed_urls(node, "spool-during") == Counter(expected), "every article once"
        # Each folder alerts each story once. Which copy of a syndicated story leads (and titles the
        # message) depends on which was recorded first, which the node stopping mid-run can change.
        titles = Counter(post["title"] for post in hook.received()[first_folder:])
        assert len(titles) == stories and set(titles.values()) == {1}, "each story alerted once per data folder"


def test_a_spool_that_cannot_be_written_fails_the_items(tmp_path: Path, portal_world: PortalWorld) -> None:
    config = write_config(tmp_path / "config", portal_world)
    data = tmp_path / "data"
    data.mkdir()
    (data / "spool").write_text("a file where the spool folder should be", encoding="utf-8")
    env = {"MARSAD_DATA_DIR": str(data), "MARSAD_ES_URL": "http://127.0.0.1:9", "MARSAD_ES_PASSWORD": ""}
    result = run_marsad(config, env, "run", "--json", "--source", "techwave")
    assert result.returncode == 1
    report = last_json(result.stdout)
    assert report["spooled"] == 0 and report["storage_failed"] > 0
    assert "spool" in result.stderr and "fetched again next run" in result.stderr
    (data / "spool").unlink()
    sqlite = run_marsad(config, {"MARSAD_DATA_DIR": str(data), "MARSAD_STORAGE_BACKEND": "sqlite"}, "run", "--json",
                        "--source", "techwave")
    assert sqlite.returncode == 0, sqlite.stderr
    assert last_json(sqlite.stdout)["created"] == report["storage_failed"], "nothing was lost: fetched again"
