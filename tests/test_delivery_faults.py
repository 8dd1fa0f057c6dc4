"""Fault drills on real servers: a channel down for a run, a webhook answering 500, an unwritable
log, secrets in the environment. Nothing is lost, nothing is sent twice, the exit code tells."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from marsad_runs import AZERBAIJAN, last_json, mentioning, run_marsad, write_config

from indexer.delivery.log import read_alerts
from marsad.sinks import SmtpSink, WebhookSink

if TYPE_CHECKING:
    from crawler.portalworld import PortalWorld

SECRET = "s3cr3t-Hunter2-xyz"


def stories_in(world: PortalWorld, source: str | None = None) -> int:
    """Alerts the azerbaijan rule raises: one per story (the syndicated pair is one)."""
    urls = {u for u in mentioning(world) if source is None or u.startswith(world.base_url(source))}
    return len(urls) - (1 if source is None else 0)


def alerts_config(channels: dict[str, object], rule_channels: list[str]) -> dict[str, object]:
    return {"channels": channels, "rules": [{**AZERBAIJAN, "channels": rule_channels}]}


@pytest.mark.slow
def test_smtp_down_for_a_run_then_delivered_exactly_once(tmp_path: Path, portal_world: PortalWorld) -> None:
    sink = SmtpSink()  # not started: the server is down
    config = write_config(tmp_path / "config", portal_world,
                          alerts_config({"mail": {"url": sink.url(), "throttle": 0}}, ["mail"]))
    env = {"MARSAD_DATA_DIR": str(tmp_path / "data")}
    down = run_marsad(config, env, "run", "--json")
    assert down.returncode == 1, "a failed delivery fails the run"
    report = last_json(down.stdout)
    expected = stories_in(portal_world)
    assert report["alerts"] == expected and report["messages_sent"] == 0 and report["delivery_failed"] == 1
    status = json.loads(run_marsad(config, env, "alerts", "status", "--json").stdout)
    assert {row["status"]: row["alerts"] for row in status["counts"]} == {"pending": expected}
    with sink:
        up = run_marsad(config, env, "run", "--json")
        assert up.returncode == 0, up.stderr
        assert last_json(up.stdout)["messages_sent"] == expected
        again = run_marsad(config, env, "run", "--json")
        assert again.returncode == 0 and last_json(again.stdout)["messages_sent"] == 0
        messages = sink.wait_for(expected)
    assert len(messages) == expected
    assert len({m["Subject"] for m in messages}) == expected, "no story was sent twice"


@pytest.mark.slow
def test_webhook_500_is_retried_and_delivered_once(tmp_path: Path, portal_world: PortalWorld) -> None:
    with WebhookSink("127.0.0.5", statuses=[500]) as hook:
        config = write_config(tmp_path / "config", portal_world, alerts_config({"hook": hook.url()}, ["hook"]))
        result = run_marsad(config, {"MARSAD_DATA_DIR": str(tmp_path / "data")}, "run", "--json",
                            "--source", "techwave")
        assert result.returncode == 0, result.stderr
        expected = stories_in(portal_world, "techwave")
        posts = hook.received()
        assert len(posts) == expected and hook.attempts == expected + 1
        assert len({post["title"] for post in posts}) == expected
        for post in posts:
            assert post["title"].startswith("[مرصد] azerbaijan: ") and post["type"] == "info"
            assert "الخبر الأصلي: " + portal_world.base_url("techwave") in post["message"]
            assert "«" in post["message"], "the matched word is marked in the text"


@pytest.mark.slow
def test_webhook_failing_a_whole_run_is_delivered_on_the_next(tmp_path: Path, portal_world: PortalWorld) -> None:
    with WebhookSink("127.0.0.5", statuses=[500, 503]) as hook:
        config = write_config(tmp_path / "config", portal_world, alerts_config({"hook": hook.url()}, ["hook"]))
        env = {"MARSAD_DATA_DIR": str(tmp_path / "data")}
        first = run_marsad(config, env, "run", "--json", "--source", "techwave")
        assert first.returncode == 1 and "channel hook" in first.stderr
        assert hook.received() == []
        second = run_marsad(config, env, "run", "--json", "--source", "techwave")
        assert second.returncode == 0, second.stderr
        expected = stories_in(portal_world, "techwave")
        assert len(hook.received()) == expected
        assert Counter(post["title"] for post in hook.received()).most_common(1)[0][1] == 1


@pytest.mark.slow
def test_unwritable_alert_log_fails_the_run_and_keeps_the_alerts(tmp_path: Path, portal_world: PortalWorld) -> None:
    config = write_config(tmp_path / "config", portal_world)
    env = {"MARSAD_DATA_DIR": str(tmp_path / "data")}
    log_path = tmp_path / "data" / "alerts.jsonl"
    log_path.mkdir(parents=True)  # a directory where the log file should be
    first = run_marsad(config, env, "run", "--json", "--source", "techwave")
    assert first.returncode == 1
    assert "alerts.jsonl" in first.stderr and last_json(first.stdout)["alerts"] > 0
    shutil.rmtree(log_path)
    delivered = run_marsad(config, env, "alerts", "deliver")
    assert delivered.returncode == 0, delivered.stderr
    expected = stories_in(portal_world, "techwave")
    assert len(read_alerts(log_path)) == expected
    assert run_marsad(config, env, "alerts", "deliver").returncode == 0
    assert len(read_alerts(log_path)) == expected, "delivered once"


@pytest.mark.slow
def test_a_channel_that_is_down_does_not_hold_up_the_others(tmp_path: Path, portal_world: PortalWorld,
                                                           webhook_sink: WebhookSink) -> None:
    down = SmtpSink()
    channels = {"mail": {"url": down.url(), "throttle": 0}, "hook": webhook_sink.url()}
    config = write_config(tmp_path / "config", portal_world, alerts_config(channels, ["mail", "hook", "log"]))
    env = {"MARSAD_DATA_DIR": str(tmp_path / "data")}
    result = run_marsad(config, env, "run", "--json", "--source", "techwave")
    assert result.returncode == 1
    expected = stories_in(portal_world, "techwave")
    assert len(webhook_sink.received()) == expected
    assert len(read_alerts(tmp_path / "data" / "alerts.jsonl")) == expected
    status = json.loads(run_marsad(config, env, "alerts", "status", "--json").stdout)
    counts = {(row["channel"], row["status"]): row["alerts"] for row in status["counts"]}
    assert counts == {("hook", "sent"): expected, ("log", "sent"): expected, ("mail", "pending"): expected}


@pytest.mark.slow
def test_secrets_stay_out_of_logs_errors_and_status(tmp_path: Path, portal_world: PortalWorld) -> None:
    down = SmtpSink()
    url = f"mailto://marsad:${{SMTP_PASSWORD}}@127.0.0.1:{down.port}?mode=insecure&from=m@example.org&to=a@example.org"
    alerts = {"channels": {"mail": {"url": url, "throttle": 0}, "admin": "json://tok-${HOOK_TOKEN}@127.0.0.5:9/x"},
              "rules": [{**AZERBAIJAN, "channels": ["mail"]}]}
    config = write_config(tmp_path / "config", portal_world, alerts)
    env = {"MARSAD_DATA_DIR": str(tmp_path / "data"), "SMTP_PASSWORD": SECRET, "HOOK_TOKEN": SECRET + "2"}
    result = run_marsad(config, env, "-v", "run", "--source", "techwave")
    assert result.returncode == 1
    status = run_marsad(config, env, "alerts", "status")
    test = run_marsad(config, env, "-v", "alerts", "test-channel", "mail")
    assert test.returncode == 1 and "channel mail" in test.stderr
    for output in (result.stdout, result.stderr, status.stdout, status.stderr, test.stdout, test.stderr):
        assert SECRET not in output
    assert "FAILED" not in status.stdout  # still pending: 1 attempt of 8

    bad = write_config(tmp_path / "bad", portal_world, {
        "channels": {"chat": "slack://${SMTP_PASSWORD}"}, "rules": [{**AZERBAIJAN, "channels": ["chat"]}]})
    refused = run_marsad(bad, env, "run")
    assert refused.returncode == 2
    assert "channel 'chat'" in refused.stderr and "key 'url'" in refused.stderr
    assert SECRET not in refused.stderr + refused.stdout


@pytest.mark.slow
def test_a_failed_run_sends_one_summary_to_the_admin_channel(tmp_path: Path, portal_world: PortalWorld,
                                                           webhook_sink: WebhookSink) -> None:
    config = write_config(tmp_path / "config", portal_world,
                          {"channels": {"admin": webhook_sink.url("admin")}, "rules": [AZERBAIJAN]})
    sources = json.loads(json.dumps(portal_world.sources_config()))
    sources["sources"][0]["feeds"] = [portal_world.base_url("techwave") + "/no-such-feed.xml"]
    import yaml

    (config / "sources.yaml").write_text(yaml.safe_dump(sources, allow_unicode=True), encoding="utf-8")
    result = run_marsad(config, {"MARSAD_DATA_DIR": str(tmp_path / "data")}, "run")
    assert result.returncode == 1
    (summary,) = webhook_sink.received()
    assert summary["path"] == "/admin"
    assert "source failed: techwave" in summary["message"]
    assert summary["title"].startswith("[مرصد] تشغيل مرصد لم يكتمل")
    ok = run_marsad(config, {"MARSAD_DATA_DIR": str(tmp_path / "data")}, "run", "--source", "arabnet")
    assert ok.returncode == 0 and len(webhook_sink.received()) == 1, "a good run sends no summary"
