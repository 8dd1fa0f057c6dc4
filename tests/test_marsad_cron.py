"""`marsad cron --every 15m`: a crontab line with absolute paths, a log file, --quiet, and the
environment the channels need named (never their values)."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

import pytest

from core.errors import UsageError
from core.settings import PROJECT_ROOT
from marsad.cli import main
from marsad.crontab import schedule


@pytest.mark.parametrize(("every", "fields"), [
    ("5m", "*/5 * * * *"), ("15m", "*/15 * * * *"), ("30m", "*/30 * * * *"), ("60m", "0 * * * *"),
    ("1h", "0 * * * *"), ("6h", "0 */6 * * *"), ("24h", "0 0 * * *"), ("1d", "0 0 * * *"),
])
def test_schedule(every: str, fields: str) -> None:
    assert schedule(every) == fields


@pytest.mark.parametrize("every", ["4m", "25h", "2d", "45m", "90m", "5h", "0m", "soon", "15", "-15m", ""])
def test_schedule_refuses_what_cron_cannot_keep(every: str) -> None:
    with pytest.raises(UsageError, match="--every"):
        schedule(every)


def write_config(config: Path, data: Path) -> None:
    config.mkdir()
    (config / "sources.yaml").write_text(
        "sources:\n  - name: a\n    domains: [127.0.0.1]\n    feeds: [http://127.0.0.1:9/feed]\n"
        "    article_pattern: x\n",
        encoding="utf-8")
    (config / "settings.yaml").write_text(f"data_dir: {data}\n", encoding="utf-8")
    (config / "alerts.yaml").write_text(
        'channels:\n  mail: "mailtos://${SMTP_USER}:${SMTP_PASSWORD}@smtp.example.org?to=a@example.org"\n'
        "rules: [{name: r, query: x, channels: [mail]}]\n", encoding="utf-8")


def test_the_crontab_line_has_absolute_paths_a_log_and_the_variables(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MARSAD_DATA_DIR", raising=False)
    monkeypatch.setenv("SMTP_PASSWORD", "s3cret-value")
    monkeypatch.setenv("MARSAD_ES_PASSWORD", "another-s3cret")
    write_config(tmp_path / "config", tmp_path / "data")
    monkeypatch.chdir(tmp_path)
    assert main(["--config-dir", "config", "cron", "--every", "15m"]) == 0
    out = capsys.readouterr().out
    assert "s3cret" not in out, "names only, never values"
    comments = [line for line in out.splitlines() if line.startswith("#")]
    (line,) = [line for line in out.splitlines() if not line.startswith("#")]
    assert {"# SMTP_USER=…", "# SMTP_PASSWORD=…", "# MARSAD_ES_PASSWORD=…"} <= set(comments)
    words = shlex.split(line)
    assert words[:5] == ["*/15", "*", "*", "*", "*"]
    assert words[5:8] == ["cd", str(PROJECT_ROOT), "&&"]
    assert words[8] == f"MARSAD_DATA_DIR={tmp_path / 'data'}"
    marsad = Path(words[9])
    assert marsad.is_absolute() and marsad.name == "marsad" and marsad.parent == Path(sys.executable).parent
    assert words[10:] == ["--config-dir", str(tmp_path / "config"), "run", "--quiet", ">>",
                          str(tmp_path / "data" / "cron.log"), "2>&1"]


def test_the_log_can_be_chosen(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                               monkeypatch: pytest.MonkeyPatch) -> None:
    write_config(tmp_path / "config", tmp_path / "data")
    monkeypatch.chdir(tmp_path)
    assert main(["--config-dir", str(tmp_path / "config"), "cron", "--every", "2h", "--log", "logs/m.log"]) == 0
    line = capsys.readouterr().out.splitlines()[-1]
    assert line.startswith("0 */2 * * * cd ") and line.endswith(f">> {tmp_path / 'logs' / 'm.log'} 2>&1")


def test_nonsense_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_config(tmp_path / "config", tmp_path / "data")
    assert main(["--config-dir", str(tmp_path / "config"), "cron", "--every", "7m"]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and "cron cannot run every 7m evenly" in captured.err
