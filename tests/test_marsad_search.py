"""`marsad search`, in-process on a SQLite index: the table, --json, every filter, and the exit codes."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from core.article import Article, Entities
from core.settings import load_settings
from indexer.storage.sqlite import SqliteStorage
from marsad.cli import main

NOW = datetime(2026, 11, 24, 22, 30, tzinfo=UTC)  # already the 25th in Riyadh


def article(n: int, title: str, body: str, source: str, hours_ago: int, story: str | None = None,
            section: str = "اتصالات", language: str = "ar", persons: tuple[str, ...] = ()) -> Article:
    return Article(url=f"http://127.0.0.1/a/{n}", canonical_url=f"http://127.0.0.1/a/{n}", source=source, title=title,
                   body=body, published_at=NOW - timedelta(hours=hours_ago), fetched_at=NOW, section=section,
                   language=language, story_id=story, entities=Entities(persons=list(persons)))


ARTICLES = [
    article(1, "مصر وأذربيجان توقعان مذكرة تفاهم", "بحث وزير الاتصالات التعاون الرقمي مع الجانب الأذربيجاني.",
            "techwave", 0, story="s1", persons=("عمرو طلعت",)),
    article(2, "اتفاق رقمي بين القاهرة وباكو", "وقعت مصر وأذربيجان اتفاقا للتعاون الرقمي.", "arabnet", 2, story="s1"),
    article(3, "أذربيجان تطلق شبكة الجيل الخامس", "أعلنت باكو إطلاق شبكات 5G.", "shamtech", 30, section="شبكات"),
    article(4, "Azerbaijan launches 5G", "Baku launched 5G networks.", "wire", 50, language="en"),
    # scraped before extraction stripped control characters: an ESC ]0;…BEL title and a C1 CSI
    article(5, "\x1b]0;pwned\x07أذربيجان \x9b31m تحذير", "نص عن أذربيجان.\x1b[2J", "hostile", 3),
]


@pytest.fixture
def config(tmp_path: Path) -> Path:
    folder = tmp_path / "config"
    folder.mkdir()
    (folder / "settings.yaml").write_text(f"data_dir: {tmp_path / 'data'}\n", encoding="utf-8")
    storage = SqliteStorage(load_settings(config_dir=folder, env={}).sqlite_path)
    storage.store(ARTICLES)
    storage.close()
    return folder


def run(config: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["--config-dir", str(config), "search", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_table_collapses_stories_and_marks_matches(config: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(config, capsys, "أذربيجان", "--tz", "Asia/Riyadh", "--sort", "date")
    lines = out.splitlines()
    assert code == 0
    assert lines[0] == "«أذربيجان»: 4 article(s) in 3 stories; showing 1–3, by date"
    assert lines[2] == ("  1. 2026-11-25 01:30  techwave  مصر «وأذربيجان» توقعان مذكرة تفاهم  "
                        "(+1 مصادر أخرى: arabnet)")
    assert lines[3] == "     بحث وزير الاتصالات التعاون الرقمي مع الجانب «الأذربيجاني»."
    assert lines[4] == "     http://127.0.0.1/a/1"
    assert "Azerbaijan" not in out  # Latin «Azerbaijan» is another word


def test_control_characters_are_escaped_on_the_terminal(config: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(config, capsys, "تحذير")
    assert code == 0
    assert "\x1b" not in out and "\x07" not in out and "\x9b" not in out
    assert "\\x1b]0;pwned\\x07«أذربيجان» \\x9b31m «تحذير»" not in out  # the title did not match «أذربيجان»
    assert "\\x1b]0;pwned\\x07أذربيجان \\x9b31m «تحذير»" in out
    code, out, _ = run(config, capsys, "تحذير", "--json")
    assert "\x1b" not in out and "\x9b" not in out and "\\u001b]0;pwned\\u0007" in out and "\\u009b31m" in out
    assert json.loads(out)["hits"][0]["article"]["title"].startswith("\x1b]0;pwned\x07")


def test_json_has_hits_highlights_and_the_counts_asked_for(config: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(config, capsys, "أذربيجان", "--json", "--facets", "--histogram", "--tz", "Asia/Riyadh",
                       "--no-collapse", "--sort", "date")
    data = json.loads(out)
    assert code == 0
    assert (data["total"], data["total_exact"], len(data["hits"]), "stories" in data) == (4, True, 4, False)
    first = data["hits"][0]
    assert first["article"]["canonical_url"] == "http://127.0.0.1/a/1"
    assert {"text": "وأذربيجان", "match": True} in first["title_marks"]
    assert data["facets"]["source"] == [{"value": source, "count": 1}
                                        for source in ("arabnet", "hostile", "shamtech", "techwave")]
    assert data["facets"]["entity"] == [{"value": "عمرو طلعت", "count": 1}]
    assert data["histogram"] == {"timezone": "Asia/Riyadh", "days": [  # 22:30 UTC is the next day in Riyadh
        {"day": "2026-11-23", "count": 1}, {"day": "2026-11-24", "count": 2}, {"day": "2026-11-25", "count": 1}]}
    _, out, _ = run(config, capsys, "أذربيجان", "--json", "--sort", "date")
    data = json.loads(out)
    assert "facets" not in data and "histogram" not in data
    assert (data["stories"], data["hits"][0]["story_size"], data["hits"][0]["story_sources"]) == (3, 2, ["arabnet"])


@pytest.mark.parametrize(
    ("args", "urls"),
    [
        (["--source", "shamtech", "--source", "wire"], [3, 4]),
        (["--section", "شبكات"], [3]),
        (["--language", "en"], [4]),
        (["--entity", "عمرو طلعت"], [1]),
        (["--since", "2026-11-24T12:00:00+00:00"], [1, 2, 5]),
        (["--until", "2026-11-22", "--tz", "UTC"], [4]),  # the whole 22nd, UTC: 4 is at 20:30
        (["--until", "2026-11-22", "--tz", "Pacific/Auckland"], []),  # there 4 is on the 23rd already
        (["--sort", "date", "--limit", "2", "--page", "2"], [5, 3]),
        (["--sort", "date", "--offset", "3"], [3, 4]),
    ],
)
def test_filters_and_paging(config: Path, capsys: pytest.CaptureFixture[str], args: list[str], urls: list[int]) -> None:
    code, out, err = run(config, capsys, "--json", "--no-collapse", "--sort", "date", *args)
    assert code == 0, err
    assert [hit["article"]["canonical_url"] for hit in json.loads(out)["hits"]] == [
        f"http://127.0.0.1/a/{n}" for n in urls]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (['"الذكاء'], "unterminated quoted phrase"),
        ([" NEAR/1 ".join(["مصر"] * 8)], "chains 7 NEARs"),
        (["x" * 1_001], "at most 1,000 are allowed"),
        (["مصر", "--limit", "101"], "limit must be between 1 and 100"),
        (["مصر", "--page", "600"], "beyond the first 10,000"),
        (["مصر", "--tz", "Mars/Olympus"], "unknown time zone"),
        (["مصر", "--since", "last tuesday"], "--since: expected"),
        (["مصر", "--until", "soon"], "--until: expected"),
    ],
)
def test_usage_errors_exit_2(config: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str) -> None:
    code, out, err = run(config, capsys, *args)
    assert (code, out) == (2, "")
    assert message in err and "Traceback" not in err


def test_page_and_offset_exclude_each_other(config: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--config-dir", str(config), "search", "مصر", "--page", "2", "--offset", "3"])
    assert exited.value.code == 2
    assert "not allowed with argument" in capsys.readouterr().err


def test_no_query_lists_every_article_newest_first(config: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(config, capsys, "--no-collapse")
    assert code == 0 and out.splitlines()[0] == "every article: 5 article(s); showing 1–5, by relevance"
