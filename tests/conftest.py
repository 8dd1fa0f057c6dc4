"""Shared fixtures: the real Elasticsearch node, the portal world, temporary config folders."""

from __future__ import annotations

import os
import subprocess
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from crawler.portalworld import PortalWorld
    from marsad.sinks import SmtpSink, WebhookSink

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def es_url() -> Iterator[str]:
    """MARSAD_ES_URL if set, else a node started by scripts/elasticsearch. Never skips: fails loudly."""
    given = os.environ.get("MARSAD_ES_URL")
    if given:
        yield given
        return
    script = ROOT / "scripts" / "elasticsearch"
    already_running = subprocess.run([script, "status"], capture_output=True).returncode == 0
    started = subprocess.run(
        [ROOT / "scripts" / "elasticsearch", "start"], capture_output=True, text=True, timeout=900
    )
    if started.returncode != 0:
        pytest.fail(f"Elasticsearch could not be started by scripts/elasticsearch:\n{started.stderr}", pytrace=False)
    yield started.stdout.strip().splitlines()[-1]
    if not already_running and not os.environ.get("MARSAD_ES_KEEP"):
        subprocess.run([ROOT / "scripts" / "elasticsearch", "stop"], capture_output=True, timeout=120)


@pytest.fixture
def es_index(es_url: str) -> Iterator[str]:
    """A fresh index name for one test, deleted afterwards."""
    from elasticsearch import Elasticsearch

    name = f"marsad-test-{uuid.uuid4().hex[:12]}"
    yield name
    client = Elasticsearch(es_url)
    client.indices.delete(index=name, ignore_unavailable=True)
    client.close()


@pytest.fixture(scope="session")
def portal_world() -> Iterator[PortalWorld]:
    from crawler.portalworld import PortalWorld

    with PortalWorld() as world:
        yield world


@pytest.fixture(scope="session")
def chromium() -> str:
    """Debian's chromium, installed by `./setup.sh --with-browser`. Never skips: fails loudly."""
    import shutil

    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        pytest.fail("chromium is not installed: run ./setup.sh --with-browser (as root)", pytrace=False)
    return path


@pytest.fixture
def render_dom(chromium: str, tmp_path: Path) -> Callable[[str], str]:
    """Load a URL in headless chromium and return the DOM after its scripts ran."""

    def render(url: str) -> str:
        result = subprocess.run(
            [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={tmp_path / 'chromium-profile'}", "--dump-dom", url],
            capture_output=True, text=True, timeout=60,
        )
        if result.returncode != 0:
            pytest.fail(f"chromium failed on {url}: {result.stderr[-2000:]}", pytrace=False)
        return result.stdout

    return render


@pytest.fixture
def smtp_sink() -> Iterator[SmtpSink]:
    """A real SMTP server (aiosmtpd) on 127.0.0.1 that keeps what it receives."""
    from marsad.sinks import SmtpSink

    with SmtpSink() as sink:
        yield sink


@pytest.fixture
def webhook_sink() -> Iterator[WebhookSink]:
    """A real HTTP server on 127.0.0.5 recording the JSON posts of Apprise's json:// channel."""
    from marsad.sinks import WebhookSink

    with WebhookSink("127.0.0.5") as sink:
        yield sink
