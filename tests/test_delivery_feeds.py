"""After a real crawl of the portal world: the Atom feed per rule (read by feedparser and served
by `marsad serve`), `marsad alerts backtest` on both backends, and `marsad alerts test-channel`."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import feedparser
import pytest
from lxml import etree
from marsad_runs import AZERBAIJAN, last_json, mentioning, run_marsad, syndicated_pairs, write_config

from core.settings import load_settings
from indexer.web import WebServer

if TYPE_CHECKING:
    from crawler.portalworld import PortalWorld
    from marsad.sinks import SmtpSink

ATOM = "{http://www.w3.org/2005/Atom}"
RULES = {"timezone": "Asia/Riyadh", "rules": [AZERBAIJAN, {"name": "quiet-rule", "query": "كلمةلاتردأبدا"}]}


@pytest.fixture(scope="module")
def crawled(portal_world: PortalWorld, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    tmp = tmp_path_factory.mktemp("crawled")
    config = write_config(tmp / "config", portal_world, RULES)
    env = {"MARSAD_DATA_DIR": str(tmp / "data"), "MARSAD_STORAGE_BACKEND": "sqlite"}
    result = run_marsad(config, env, "run", "--json")
    assert result.returncode == 0, result.stderr
    return {"config": config, "env": env, "report": last_json(result.stdout)}


def test_feed_per_rule_is_valid_atom_with_one_entry_per_story(crawled: dict[str, Any],
                                                               portal_world: PortalWorld) -> None:
    feeds = Path(crawled["env"]["MARSAD_DATA_DIR"]) / "feeds"
    parsed = feedparser.parse((feeds / "azerbaijan.atom").read_bytes())
    assert parsed.bozo == 0 and parsed.version == "atom10"
    expected = mentioning(portal_world)
    assert len(parsed.entries) == len(expected) - len(syndicated_pairs(portal_world))
    linked = {entry.link for entry in parsed.entries}
    assert linked <= expected
    for entry in parsed.entries:
        assert entry.id.startswith("tag:marsad.local,2026:rule/azerbaijan/story/")
        assert entry.title and entry.published_parsed and entry.updated_parsed
        assert "<b>" in entry.content[0].value, "matched words survive feed readers' sanitizers"
    pair = next(iter(syndicated_pairs(portal_world)))
    (both,) = [entry for entry in parsed.entries if entry.link in pair]
    assert len(both.authors) == 2, "the syndicated story names both sources"
    root = etree.fromstring((feeds / "azerbaijan.atom").read_bytes())
    assert root.tag == f"{ATOM}feed"
    for name in ("id", "title", "updated", "author"):
        assert root.find(f"{ATOM}{name}") is not None
    empty = feedparser.parse((feeds / "quiet-rule.atom").read_bytes())
    assert empty.bozo == 0 and empty.entries == [], "a rule without matches has an empty, valid feed"


@pytest.fixture
def server(crawled: dict[str, Any]) -> Iterator[str]:
    settings = load_settings(env=crawled["env"], config_dir=crawled["config"])
    with WebServer(settings) as httpd:
        yield httpd.url


def fetch(url: str) -> tuple[int, str, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.headers["Content-Type"], response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers["Content-Type"], error.read()


def test_serve_publishes_the_feeds_and_nothing_else(server: str, crawled: dict[str, Any]) -> None:
    status, kind, body = fetch(f"{server}/feeds/azerbaijan.atom")
    assert status == 200 and kind.startswith("application/atom+xml")
    assert feedparser.parse(body).entries
    for path in ("/feeds/nope.atom", "/feeds/..%2Fstate.sqlite", "/feeds/../state.sqlite", "/feeds/azerbaijan",
                 "/feeds/.hidden.atom"):
        assert fetch(server + path)[0] == 404, path


@pytest.mark.parametrize("backend", ["sqlite", "elasticsearch"])
def test_backtest_counts_per_day_source_and_story(backend: str, crawled: dict[str, Any], portal_world: PortalWorld,
                                                  tmp_path: Path, request: pytest.FixtureRequest) -> None:
    config, env = crawled["config"], dict(crawled["env"])
    if backend == "elasticsearch":
        env = {"MARSAD_DATA_DIR": str(tmp_path / "data"), **request.getfixturevalue("es_env"),
               "MARSAD_ES_INDEX": request.getfixturevalue("es_index")}
        assert run_marsad(config, env, "crawl").returncode == 0
    result = run_marsad(config, env, "alerts", "backtest", "azerbaijan", "--since", "2026-01-01", "--json",
                        "--top", "50")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    truth = [a for a in portal_world.expected_articles() if a["mentions_azerbaijan"]]
    assert data["articles"] == len(truth)
    assert data["per_source"] == dict(Counter(a["portal"] for a in truth))
    days = Counter(a["published"].astimezone(ZoneInfo("Asia/Riyadh")).date().isoformat() for a in truth)
    assert data["per_day"] == dict(sorted(days.items()))
    assert data["stories"] == len(truth) - len(syndicated_pairs(portal_world))
    assert data["top_stories"][0]["articles"] == 2 and len(data["top_stories"][0]["sources"]) == 2

    query = run_marsad(config, env, "alerts", "backtest", "باكو", "--since", "2026-01-01")
    assert query.returncode == 0 and "«query» (باكو)" in query.stdout and "per source:" in query.stdout
    bad = run_marsad(config, env, "alerts", "backtest", "(باكو", "--since", "30d")
    assert bad.returncode == 2 and "neither a rule" in bad.stderr


def test_test_channel_sends_one_message(crawled: dict[str, Any], smtp_sink: SmtpSink, tmp_path: Path,
                                        portal_world: PortalWorld) -> None:
    config = write_config(tmp_path / "config", portal_world,
                          {"channels": {"mail": {"url": smtp_sink.url(), "throttle": 0}}, "rules": [AZERBAIJAN]})
    env = {"MARSAD_DATA_DIR": str(tmp_path / "data")}
    result = run_marsad(config, env, "alerts", "test-channel", "mail")
    assert result.returncode == 0, result.stderr
    (message,) = smtp_sink.wait_for(1)
    assert "رسالة تجريبية" in str(message["Subject"])
    missing = run_marsad(config, env, "alerts", "test-channel", "nope")
    assert missing.returncode == 2 and "no channel named 'nope'" in missing.stderr
