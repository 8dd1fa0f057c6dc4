"""The command line: every command has help, and the thin commands print and exit as documented."""

from __future__ import annotations

import argparse
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from core.errors import ConfigError
from marsad.cli import build_parser, main
from marsad.commands import parse_since
from marsad.lock import run_lock


def subcommands(parser: argparse.ArgumentParser, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found: list[tuple[str, ...]] = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found.append((*prefix, name))
                found.extend(subcommands(sub, (*prefix, name)))
    return found


COMMANDS = subcommands(build_parser())


def test_every_documented_command_exists() -> None:
    names = {" ".join(command) for command in COMMANDS}
    assert {"run", "crawl", "search", "extract", "date", "alerts", "alerts try", "alerts list", "serve",
            "demo", "sources", "cron"} <= names


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_every_command_has_help(command: tuple[str, ...], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main([*command, "--help"])
    assert exited.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: marsad " + " ".join(command))
    helps = {action.help for action in build_parser()._actions}
    assert helps


def test_unknown_command_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["frobnicate"])
    assert exited.value.code == 2
    assert "invalid choice" in capsys.readouterr().err


def test_parse_since() -> None:
    now = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
    assert parse_since("7d", now) == now - timedelta(days=7)
    assert parse_since("24h", now) == now - timedelta(hours=24)
    assert parse_since("2026-11-01", now) == datetime(2026, 11, 1, tzinfo=UTC)
    assert parse_since(None, now) is None
    with pytest.raises(ConfigError, match="--since"):
        parse_since("last tuesday", now)


def test_date_prints_iso_with_offset_on_last_line(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["date", "23 تشرين الثاني 2026 الساعة 14:30", "--tz", "Asia/Damascus"])
    out = capsys.readouterr().out.strip().splitlines()
    assert code == 0
    assert out[-1] == "2026-11-23T14:30:00+03:00"


def test_date_relative_to_now(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["date", "منذ 3 ساعات", "--now", "2026-11-25T12:00:00+02:00"])
    assert code == 0
    parsed = datetime.fromisoformat(capsys.readouterr().out.strip().splitlines()[-1])
    assert parsed == datetime.fromisoformat("2026-11-25T09:00:00+02:00")


@pytest.mark.parametrize(
    ("text", "expected"),
    [("أمس", "2026-11-24T00:00:00+02:00"), ("02:35 م", "2026-11-25T14:35:00+02:00"),
     ("23 نوفمبر 2026", "2026-11-23T00:00:00+02:00")],
    ids=["yesterday", "clock-time", "date-only"],
)
def test_date_without_tz_reads_in_the_zone_of_now(text: str, expected: str, capsys: pytest.CaptureFixture[str]) -> None:
    """At 01:00 in +02:00 it is still the 24th in UTC: «أمس» must be the 24th, «02:35 م» 14:35 local."""
    assert main(["date", text, "--now", "2026-11-25T01:00:00+02:00"]) == 0
    parsed = capsys.readouterr().out.strip().splitlines()[-1]
    assert parsed == expected


def test_date_tz_option_still_wins_over_the_zone_of_now(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["date", "أمس", "--now", "2026-11-25T01:00:00+02:00", "--tz", "UTC"]) == 0
    assert capsys.readouterr().out.strip() == "2026-11-23T00:00:00+00:00"


def test_date_without_tz_or_now_is_in_the_machines_zone(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("TZ", "Asia/Riyadh")
    assert main(["date", "23 نوفمبر 2026 02:35 م"]) == 0
    assert capsys.readouterr().out.strip() == "2026-11-23T14:35:00+03:00"


def test_date_unknown_tz_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["date", "أمس", "--tz", "Mars/Olympus"]) == 2
    assert "Mars/Olympus" in capsys.readouterr().err


def test_date_exit_1_when_nothing_parses(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["date", "لا يوجد تاريخ هنا"]) == 1
    assert "no date" in capsys.readouterr().err


def test_alerts_try_match_and_no_match(capsys: pytest.CaptureFixture[str]) -> None:
    text = "التقى الوزير بنظيره لبحث التعاون مع لأذربيجان وبأذربيجان"
    assert main(["alerts", "try", "أذربيجان", "--text", text]) == 0
    out = capsys.readouterr().out
    assert "لأذربيجان" in out and "وبأذربيجان" in out
    assert main(["alerts", "try", "أذربيجان", "--text", "اتفاقية مع مصر"]) == 1


def test_alerts_try_bad_query_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["alerts", "try", "(أذربيجان", "--text", "x"]) == 2
    assert "at character" in capsys.readouterr().err


def test_alerts_list_prints_rules(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "alerts.yaml").write_text(
        "channels: {hook: 'json://127.0.0.5/x'}\n"
        "rules:\n  - name: azerbaijan\n    query: 'أذربيجان'\n    sources: [techwave]\n"
        "    channels: [log, {name: hook, mode: digest, every: 1d, quiet_hours: '22:00-07:00'}]\n"
        "    max_per_hour: 5\n",
        encoding="utf-8",
    )
    assert main(["--config-dir", str(tmp_path), "alerts", "list"]) == 0
    captured = capsys.readouterr()
    assert captured.out.splitlines() == [
        "azerbaijan\tأذربيجان\t→ log (immediate, max 5/h), hook (digest every 1d, quiet 22:00-07:00, max 5/h)"
        "\t[sources=['techwave']]"
    ]
    assert "1 rule(s)" in captured.err


def test_a_run_that_finds_the_lock_taken_is_skipped_with_one_line_and_exit_0(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "config"
    config.mkdir()
    (config / "sources.yaml").write_text(
        "sources:\n  - name: a\n    domains: [127.0.0.1]\n    feeds: [http://127.0.0.1:9/feed]\n"
        "    article_pattern: x\n",
        encoding="utf-8",
    )
    (config / "settings.yaml").write_text(f"data_dir: {tmp_path / 'data'}\n", encoding="utf-8")
    with run_lock(tmp_path / "data" / "marsad.lock"):
        assert main(["--config-dir", str(config), "run"]) == 0
        out = capsys.readouterr().out
        assert main(["--config-dir", str(config), "run", "--quiet"]) == 0
        assert capsys.readouterr() == ("", ""), "--quiet: a skipped run is not a failure"
    (line,) = out.splitlines()
    assert line.startswith(f"marsad: skipped: another marsad run (pid {os.getpid()}, started 20")


def test_alerts_list_shows_every_filter(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "alerts.yaml").write_text(
        "rules:\n  - name: talaat\n    query: 'أذربيجان'\n    entities: {persons: [عمرو طلعت]}\n"
        "    language: ar\n    match: exact\n",
        encoding="utf-8",
    )
    assert main(["--config-dir", str(tmp_path), "alerts", "list"]) == 0
    line = capsys.readouterr().out.strip()
    assert line.startswith("talaat\tأذربيجان\t→ log (immediate)\t[persons=[")
    assert "language=ar" in line and "match=exact" in line
