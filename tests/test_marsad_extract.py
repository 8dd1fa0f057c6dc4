"""`marsad extract`: a saved page or a live URL from the portal world, printed as the Article JSON."""

from __future__ import annotations

import json
import urllib.request
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from marsad.cli import main

if TYPE_CHECKING:
    from crawler.portalworld import PortalWorld


def expected_article(world: PortalWorld, portal: str) -> dict[str, object]:
    return next(dict(a) for a in world.expected_articles() if a["portal"] == portal)


@pytest.mark.parametrize("portal", ["techwave", "arabnet", "shamtech"])
def test_extract_url(portal_world: PortalWorld, portal: str, capsys: pytest.CaptureFixture[str]) -> None:
    expected = expected_article(portal_world, portal)
    assert main(["extract", str(expected["canonical_url"]), "--explain"]) == 0
    article = json.loads(capsys.readouterr().out)
    assert article["provenance"]["title"], "the debug field names the layer the title came from"
    assert article["title"] == expected["title"]
    assert article["canonical_url"] == expected["canonical_url"]
    assert datetime.fromisoformat(article["published_at"]).tzinfo is not None


def test_extract_saved_file_with_url_and_source_zone(
    portal_world: PortalWorld, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    expected = expected_article(portal_world, "shamtech")
    with urllib.request.urlopen(str(expected["canonical_url"]), timeout=10) as response:
        page = tmp_path / "page.html"
        page.write_bytes(response.read())
    assert main(["extract", str(page), "--url", str(expected["canonical_url"]), "--tz", "Asia/Damascus"]) == 0
    article = json.loads(capsys.readouterr().out)
    assert article["title"] == expected["title"]
    assert datetime.fromisoformat(article["published_at"]) == expected["published"]


def test_extract_missing_file_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["extract", "/nonexistent/page.html"]) == 2
    assert "/nonexistent/page.html" in capsys.readouterr().err


def test_extract_non_article_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    empty = tmp_path / "empty.html"
    empty.write_bytes(b"")
    assert main(["extract", str(empty)]) == 1
    assert "empty" in capsys.readouterr().err.lower()


def test_extract_non_article_exits_1_with_its_reason(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    stub = tmp_path / "moved.html"
    stub.write_bytes(b'<head><title>Object moved</title></head><body><h1>Object Moved</h1>'
                     b'This object may be found <a HREF="/News/Details.aspx?id=7">here</a>.</body>')
    assert main(["extract", str(stub), "--url", "https://portal.example/News/Details.aspx?id=7"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    err = captured.err.strip()
    assert "\n" not in err
    assert "not an article (redirect)" in err and "object moved" in err.lower()


def test_extract_explain_names_the_body_layer_and_confidence(capsys: pytest.CaptureFixture[str]) -> None:
    fixture = Path(__file__).parent / "fixtures" / "parsers" / "generic-1" / "zoo-nextjs"
    url = json.loads((fixture / "meta.json").read_text(encoding="utf-8"))["url"]
    assert main(["extract", str(fixture / "page.html"), "--url", url, "--explain"]) == 0
    article = json.loads(capsys.readouterr().out)
    assert article["provenance"]["body"] == "json: __NEXT_DATA__"
    assert article["provenance"]["page_type"] == "article"
    assert 0 <= article["confidence"] <= 1
