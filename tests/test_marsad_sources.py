"""`marsad sources`: the last run, the trend and the health of each source, as a table or JSON."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from core.settings import HealthSection
from indexer.state import StateStore
from marsad.cli import main
from marsad.sources_report import source_health, sparkline, table

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
RIYADH = ZoneInfo("Asia/Riyadh")


def seed(path: Path, now: datetime) -> None:
    """techwave: new articles every 6 h for 6 days, then 3 days of silence; arabnet: its feed did not
    parse in one run, and did again in the last; shamtech: never crawled."""
    state = StateStore(path)
    for hours_ago in range(9 * 24, 0, -6):
        started = now - timedelta(hours=hours_ago)
        new = 2 if hours_ago > 3 * 24 else 0
        counters = {"techwave": {"requests": 10, "new": new, "parsed": new, "bytes": 150_000, "not_modified": 8},
                    "arabnet": {"requests": 4, "new": 1, "parsed": 1, "discovered": 30}}
        if hours_ago == 12:
            counters["arabnet"].update(failed=1, unparsable=1)
        run_id = state.health.start_run(started)
        state.health.finish_run(run_id, started + timedelta(minutes=3), "ok", counters, [])
    state.close()


def test_the_table_names_the_zone_and_flags_what_is_wrong(tmp_path: Path) -> None:
    seed(tmp_path / "state.sqlite", NOW)
    state = StateStore(tmp_path / "state.sqlite")
    entries, unfinished = source_health(state.health, ["techwave", "arabnet", "shamtech"], NOW, HealthSection(),
                                        RIYADH)
    state.close()
    assert unfinished is None
    text = table(entries, NOW, RIYADH, HealthSection(), None)
    lines = text.splitlines()
    assert lines[0] == ("Sources at 2026-11-25 12:00; times in Asia/Riyadh (UTC+03:00); "
                        "trend: new articles per day over the last 7 days, oldest first")
    assert lines[1].split() == ["source", "last", "run", "requests", "304", "found", "new", "updated", "failed",
                                "http", "errors", "bytes", "last", "new", "new/7d", "trend", "status"]
    techwave, arabnet, shamtech = lines[2:]
    assert techwave.split()[:9] == ["techwave", "11-25", "06:00", "10", "8", "0", "0", "0", "0"]
    assert "150.0 kB  3 d 6 h ago      28  ███▄···  " in techwave
    assert techwave.endswith("FLAGGED: no new article for 3 d 6 h (usually one every 6 h; flagged after 24 h)")
    assert arabnet.endswith("  ok"), "the last run of arabnet parsed its feed again"
    assert shamtech.split() == ["shamtech", "never", "never", "run"]


def test_sparkline() -> None:
    assert sparkline([0, 0, 0]) == "···"
    assert sparkline([1, 2, 4, 8, 0]) == "▁▂▄█·"


def test_marsad_sources_json_and_exit_0(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "config"
    config.mkdir()
    (config / "sources.yaml").write_text(
        "sources:\n" + "".join(
            f"  - name: {name}\n    domains: [127.0.0.1]\n    feeds: [http://127.0.0.1:9/{name}]\n"
            "    article_pattern: x\n" for name in ("techwave", "arabnet", "shamtech")),
        encoding="utf-8")
    (config / "settings.yaml").write_text(f"data_dir: {tmp_path / 'data'}\n", encoding="utf-8")
    seed(tmp_path / "data" / "state.sqlite", datetime.now(UTC))
    monkeypatch.setenv("TZ", "Africa/Cairo")
    assert main(["--config-dir", str(config), "sources", "--json"]) == 0, "it reports; `run` is what fails"
    techwave, arabnet, shamtech = json.loads(capsys.readouterr().out)
    assert techwave["status"] == "flagged" and techwave["flags"][0]["reason"] == "silent"
    assert techwave["counters"]["not_modified"] == 8 and techwave["last_run"]["outcome"] == "ok"
    assert len(techwave["trend"]) == 7 and sum(day["new"] for day in techwave["trend"]) > 0
    assert arabnet["status"] == "ok" and arabnet["counters"]["discovered"] == 30
    assert shamtech == {"source": "shamtech", "last_run": None, "counters": {}, "last_new_at": None,
                        "trend": shamtech["trend"], "status": "never run", "flags": []}
    assert main(["--config-dir", str(config), "sources"]) == 0
    assert "times in Africa/Cairo" in capsys.readouterr().out
