"""alerts.yaml channels and delivery modes: valid files, and precise errors that never show secrets."""

from __future__ import annotations

from datetime import time, timedelta
from pathlib import Path

import pytest

from core.errors import ConfigError
from indexer.delivery.config import load_alert_config, parse_alert_config
from marsad.cli import main

SECRET = "pa55-w0rd-in-env"


def test_channels_routes_and_environment_substitution() -> None:
    data = {
        "timezone": "Asia/Riyadh",
        "channels": {"mail": "mailto://user:${SMTP_PASSWORD}@smtp.example.org?to=a@example.org",
                     "hook": {"url": "json://hooks.example.org/x", "timezone": "UTC", "throttle": 0}},
        "rules": [{"name": "az", "query": "أذربيجان", "mode": "digest", "every": "1h", "max_per_hour": 3,
                   "channels": ["mail", {"name": "hook", "mode": "immediate", "quiet_hours": "22:00-06:30"}]},
                  {"name": "plain", "query": "مصر"}],
    }
    config = parse_alert_config(data, "alerts.yaml", {"SMTP_PASSWORD": SECRET})
    assert SECRET in config.channels["mail"].url and SECRET in config.secrets
    assert SECRET not in repr(config.channels["mail"])
    assert config.channels["hook"].timezone.key == "UTC" and config.channels["mail"].timezone.key == "Asia/Riyadh"
    mail, hook = config.rules[0].routes
    assert (mail.channel, mail.mode, mail.every, mail.max_per_hour) == ("mail", "digest", timedelta(hours=1), 3)
    assert (hook.mode, hook.quiet_hours, hook.every) == ("immediate", (time(22), time(6, 30)), timedelta(hours=1))
    (default,) = config.rules[1].routes
    assert (default.channel, default.mode) == ("log", "immediate"), "a rule without channels goes to the log"


@pytest.mark.parametrize(
    ("data", "fragments"),
    [
        ({"rules": [{"name": "az", "query": "x", "channels": ["team"]}]},
         ["rule 'az' (#1)", "key 'channels.0'", "unknown channel 'team'", "defined: log"]),
        ({"channels": {"mail": "mailtoo://x:${SMTP_PASSWORD}@host"}, "rules": []},
         ["channel 'mail'", "key 'url'", "'mailtoo://…' is not an Apprise URL"]),
        ({"channels": {"chat": "slack://${SMTP_PASSWORD}"}, "rules": []}, ["channel 'chat'", "key 'url'"]),
        ({"channels": {"mail": "mailto://u:${NOT_SET}@example.org"}, "rules": []},
         ["channel 'mail'", "environment variable NOT_SET is not set"]),
        ({"channels": {"log": "json://x/y"}, "rules": []}, ["channel 'log'", "built in"]),
        ({"channels": {"hook": {"url": "json://x/y", "timeout": 3}}, "rules": []}, ["channel 'hook'", "'timeout'"]),
        ({"channels": {"hook": {"url": "json://x/y", "timezone": "Mars/Base"}}, "rules": []},
         ["channel 'hook'", "unknown time zone 'Mars/Base'"]),
        ({"rules": [{"name": "az", "query": "x", "every": "5x"}]}, ["rule 'az'", "'every'", "30m, 1h or 1d"]),
        ({"rules": [{"name": "az", "query": "x", "quiet_hours": "22:00"}]}, ["rule 'az'", "'quiet_hours'"]),
        ({"rules": [{"name": "az", "query": "x", "at": "25:00"}]}, ["rule 'az'", "'at'", "HH:MM"]),
        ({"rules": [{"name": "az", "query": "x", "mode": "sometimes"}]}, ["rule 'az'", "'mode'"]),
        ({"rules": [{"name": "az", "query": "x", "max_per_hour": 0}]}, ["rule 'az'", "'max_per_hour'"]),
        ({"rules": [{"name": "../etc/passwd", "query": "x"}]}, ["key 'name'", "feed file"]),
        ({"timezone": "Nowhere", "rules": []}, ["key 'timezone'", "unknown time zone"]),
        ({"rules": [{"name": "az", "query": "x", "channels": [{"name": "log", "moed": "digest"}]}]},
         ["rule 'az'", "unknown key 'channels.0.moed'"]),
        ({"rules": [{"name": "az", "query": "x", "channels": [3]}]},
         ["rule 'az'", "key 'channels.0': expected a channel name, or a mapping"]),
    ],
)
def test_errors_name_the_file_and_place_and_hide_secrets(data: dict[str, object], fragments: list[str]) -> None:
    with pytest.raises(ConfigError) as info:
        parse_alert_config(data, "config/alerts.yaml", {"SMTP_PASSWORD": SECRET})
    message = str(info.value)
    assert message.startswith("config/alerts.yaml: ")
    for fragment in fragments:
        assert fragment in message
    assert SECRET not in message


def test_cli_exits_2_on_unknown_channel_before_crawling(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "sources.yaml").write_text(
        "sources:\n  - name: s\n    domains: [example.org]\n    feeds: [http://example.org/feed]\n"
        "    article_pattern: x\n", encoding="utf-8")
    (tmp_path / "alerts.yaml").write_text(
        "rules:\n  - name: az\n    query: 'أذربيجان'\n    channels: [log, mail]\n", encoding="utf-8")
    assert main(["--config-dir", str(tmp_path), "run"]) == 2
    err = capsys.readouterr().err
    assert str(tmp_path / "alerts.yaml") in err and "rule 'az' (#1)" in err and "key 'channels.1'" in err
    with pytest.raises(ConfigError, match="unknown channel 'mail'"):
        load_alert_config(tmp_path / "alerts.yaml", {})


def test_apprise_never_writes_to_our_logs(capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture) -> None:
    with pytest.raises(ConfigError):
        parse_alert_config({"channels": {"t": "tgram://${SMTP_PASSWORD}/123"}, "rules": []}, "a.yaml",
                           {"SMTP_PASSWORD": SECRET})
    captured = capsys.readouterr()
    assert SECRET not in captured.out + captured.err + caplog.text
