"""The Elasticsearch nodes the tests use: started by scripts/elasticsearch, with their credentials."""

from __future__ import annotations

import os
import subprocess
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from elasticsearch import Elasticsearch

from indexer.storage.elastic import ElasticsearchStorage

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "elasticsearch"


@dataclass(frozen=True)
class EsNode:
    """A node's URL and the credentials that reach it (the password is kept out of reprs)."""

    label: str  # "8", "9" or "external" (MARSAD_ES_URL)
    url: str
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    api_key: str | None = field(default=None, repr=False)

    @property
    def env(self) -> dict[str, str]:
        """MARSAD_ES_* for a `marsad` process that should use this node."""
        values = {"MARSAD_ES_URL": self.url, "MARSAD_ES_USER": self.user, "MARSAD_ES_PASSWORD": self.password,
                  "MARSAD_ES_API_KEY": self.api_key}
        return {name: value for name, value in values.items() if value}

    def client(self) -> Elasticsearch:
        if self.api_key:
            return Elasticsearch(self.url, api_key=self.api_key)
        auth = (self.user, self.password or "") if self.user else None
        return Elasticsearch(self.url, basic_auth=auth)

    def count_documents(self, index: str) -> int:
        """Documents in ``index`` once a refresh has made every write visible."""
        client = self.client()
        try:
            client.indices.refresh(index=index)
            return int(client.count(index=index)["count"])
        finally:
            client.close()

    def storage(self, index: str, timeout: float = 30.0) -> ElasticsearchStorage:
        return ElasticsearchStorage(self.url, index, timeout, user=self.user, password=self.password,
                                    api_key=self.api_key)

    @contextmanager
    def fresh_index(self, prefix: str = "marsad-test") -> Iterator[str]:
        """A new index name, deleted afterwards."""
        name = f"{prefix}-{uuid.uuid4().hex[:12]}"
        try:
            yield name
        finally:
            self.drop(name)

    def drop(self, name: str) -> None:
        """Delete the index ``name`` or, when it is an alias, the versioned indices behind it, and
        their template (concrete names only: the node refuses wildcard deletes)."""
        client = self.client()
        try:
            for concrete in client.indices.get(index=f"{name}*", ignore_unavailable=True).body:
                if concrete == name or concrete.startswith(f"{name}-v"):
                    client.indices.delete(index=concrete, ignore_unavailable=True)
            client.options(ignore_status=404).indices.delete_index_template(name=f"{name}-template")
        finally:
            client.close()


def external_node() -> EsNode | None:
    """The cluster MARSAD_ES_URL names, with MARSAD_ES_USER/PASSWORD or MARSAD_ES_API_KEY, if set."""
    url = os.environ.get("MARSAD_ES_URL")
    if not url:
        return None
    return EsNode("external", url, os.environ.get("MARSAD_ES_USER"), os.environ.get("MARSAD_ES_PASSWORD"),
                  os.environ.get("MARSAD_ES_API_KEY"))


def script(version: str, *args: str, timeout: float = 900) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "MARSAD_ES_VERSION": version}
    return subprocess.run([str(SCRIPT), *args], capture_output=True, text=True, timeout=timeout, env=env)


@contextmanager
def script_node(version: str) -> Iterator[EsNode]:
    """The node of scripts/elasticsearch for this major version; stopped afterwards if this started it
    (MARSAD_ES_KEEP=1 keeps it). Never skips: a node that cannot start fails the test loudly."""
    already_running = script(version, "status").returncode == 0
    started = script(version, "start")
    if started.returncode != 0:
        pytest.fail(f"scripts/elasticsearch --version {version} start failed:\n{started.stderr}", pytrace=False)
    password = script(version, "password")
    if password.returncode != 0:
        pytest.fail(f"scripts/elasticsearch --version {version} password failed:\n{password.stderr}", pytrace=False)
    try:
        yield EsNode(version, started.stdout.strip().splitlines()[-1], "marsad", password.stdout.strip())
    finally:
        if not already_running and not os.environ.get("MARSAD_ES_KEEP"):
            script(version, "stop", timeout=120)


@contextmanager
def script_cluster(nodes: int = 2, version: str = "8") -> Iterator[EsNode]:
    """A cluster of ``nodes`` nodes on loopback from scripts/elasticsearch --cluster (beside the single
    node), stopped afterwards if this started it (MARSAD_ES_KEEP=1 keeps it). Never skips."""
    cluster = ("--cluster", str(nodes))
    already_running = script(version, *cluster, "status").returncode == 0
    started = script(version, *cluster, "start")
    if started.returncode != 0:
        pytest.fail(f"scripts/elasticsearch --cluster {nodes} start failed:\n{started.stderr}", pytrace=False)
    password = script(version, *cluster, "password")
    if password.returncode != 0:
        pytest.fail(f"scripts/elasticsearch --cluster {nodes} password failed:\n{password.stderr}", pytrace=False)
    node = EsNode(f"cluster-{nodes}", started.stdout.strip().splitlines()[-1], "marsad", password.stdout.strip())
    health = node.client().cluster.health(wait_for_nodes=str(nodes), wait_for_status="green", timeout="60s")
    if health["number_of_nodes"] != nodes:
        pytest.fail(f"the cluster has {health['number_of_nodes']} node(s), expected {nodes}", pytrace=False)
    try:
        yield node
    finally:
        if not already_running and not os.environ.get("MARSAD_ES_KEEP"):
            script(version, *cluster, "stop", timeout=180)
