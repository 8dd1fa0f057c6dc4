"""config/sources.yaml validation: precise errors naming file and key; exit code 2 from the CLI."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.errors import ConfigError
from crawler.sources import load_sources, select_sources
from marsad.cli import main

GOOD = """
sources:
  - name: techwave
    domains: [127.0.0.1]
    timezone: Asia/Riyadh
    feeds: [http://127.0.0.1:8000/feed/]
    article_pattern: '/\\d{4}/\\d{2}/\\d{2}/'
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sources.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_good_file_loads(tmp_path: Path) -> None:
    sources = load_sources(write(tmp_path, GOOD))
    assert [s.name for s in sources] == ["techwave"]
    assert sources[0].is_article_url("http://127.0.0.1:8000/2026/11/23/x/")
    assert not sources[0].is_article_url("http://127.0.0.9:8000/2026/11/23/x/")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (GOOD.replace("timezone:", "colour: red\n    timezone:"), "sources.0.colour: unknown key"),
        (GOOD.replace("[http://127.0.0.1:8000/feed/]", "['']"), "sources.0.feeds.0: empty (a value is required)"),
        (GOOD.replace("[http://127.0.0.1:8000/feed/]", "[ftp://x]"), "expected an http(s):// URL, got 'ftp://x'"),
        (GOOD.replace("    feeds: [http://127.0.0.1:8000/feed/]\n", ""), "at least one of feeds, sitemaps or listings"),
        (GOOD.replace("Asia/Riyadh", "Mars/Olympus"), "unknown IANA time zone"),
        (GOOD.replace("'/\\d{4}/\\d{2}/\\d{2}/'", "'(['"), "not a valid regular expression"),
        (GOOD.replace("http://127.0.0.1:8000/feed/", "http://evil.example/feed/"), "outside the source's domains"),
        (GOOD + "  - name: techwave\n    domains: [a]\n    feeds: [http://a/f]\n    article_pattern: x\n",
         "duplicate source names: techwave"),
        ("sources: [\n  - name: x\n", "invalid YAML"),
        (GOOD + "    max_age_days: 0\n", "sources.0.max_age_days"),
        (GOOD + "    page_budget: 0\n", "sources.0.page_budget"),
        (GOOD + "    page_budget: many\n", "sources.0.page_budget"),
    ],
)
def test_bad_file_names_file_and_key(tmp_path: Path, text: str, expected: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as error:
        load_sources(path)
    assert str(path) in str(error.value)
    assert expected in str(error.value)


def test_invalid_yaml_names_the_line(tmp_path: Path) -> None:
    path = write(tmp_path, "sources:\n  - name: x\n    domains: [a\n")
    with pytest.raises(ConfigError, match=r"line \d+"):
        load_sources(path)


def test_select_unknown_source_is_an_error(tmp_path: Path) -> None:
    sources = load_sources(write(tmp_path, GOOD))
    with pytest.raises(ConfigError, match="unknown source"):
        select_sources(sources, ["nope"])


@pytest.mark.parametrize("command", [["run"], ["crawl"]])
def test_cli_exits_2_on_bad_config(tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str]) -> None:
    write(tmp_path, GOOD.replace("timezone:", "colour: red\n    timezone:"))
    code = main(["--config-dir", str(tmp_path), *command])
    err = capsys.readouterr().err
    assert code == 2
    assert "sources.yaml" in err and "colour" in err


def test_cli_exits_2_on_bad_alert_rules(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path, GOOD)
    (tmp_path / "alerts.yaml").write_text("rules:\n  - name: a\n    query: '(أذربيجان'\n", encoding="utf-8")
    code = main(["--config-dir", str(tmp_path), "run"])
    err = capsys.readouterr().err
    assert code == 2
    assert "alerts.yaml" in err


def test_cli_exits_2_on_bad_settings(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path, GOOD)
    (tmp_path / "settings.yaml").write_text("storage:\n  backend: mongodb\n", encoding="utf-8")
    code = main(["--config-dir", str(tmp_path), "run"])
    err = capsys.readouterr().err
    assert code == 2
    assert "settings.yaml" in err and "storage.backend" in err


def test_crawl_limits_per_source(tmp_path: Path) -> None:
    source = load_sources(write(tmp_path, GOOD))[0]
    assert source.max_age_days == 7 and source.page_budget == 500
    unlimited = load_sources(write(tmp_path, GOOD + "    max_age_days: null\n    page_budget: 20\n"))[0]
    assert unlimited.max_age is None and unlimited.page_budget == 20
    assert unlimited.fingerprint() != source.fingerprint(), "a changed max_age reads pages in full"
    assert source.model_copy(update={"page_budget": 3}).fingerprint() == source.fingerprint()
