"""One parametrized test over every parser fixture: page + expected.json + meta.json.

Fixtures live in ``tests/fixtures/parsers/<parser version>/<case>/``; each ``meta.json`` carries
the URL, the frozen fetch time, the response headers, the source and the template family, so the
test needs no clock. Every parser version in the registry must have fixtures, and they must cover
the required fields. ``page_type`` is asserted for every page: an article's fields all, a
non-article's kind (the parser must refuse it).
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from crawler.parsers.confidence import LOW_CONFIDENCE
from crawler.parsers.generic import GenericParser
from crawler.parsers.page import NON_ARTICLE_KINDS, NotAnArticle, PageInput, SourceInfo
from crawler.parsers.registry import REGISTRY, build_parser, load_portals

FIXTURES = Path(__file__).parent / "fixtures" / "parsers"
CASES = sorted(path.parent for path in FIXTURES.glob("*/*/expected.json"))
DATE_FIELDS = ("published_at", "modified_at")
REQUIRED_FIELDS = {"title", "body", "canonical_url", "published_at", "author", "language"}
NOT_FIELDS = {"parser", "page_type", "low_confidence"}


def load_case(case: Path) -> tuple[PageInput, SourceInfo, dict[str, Any]]:
    meta = json.loads((case / "meta.json").read_text(encoding="utf-8"))
    page = PageInput(
        url=meta["url"],
        body=(case / "page.html").read_bytes(),
        headers=meta.get("headers", {}),
        fetched_at=datetime.fromisoformat(meta["fetched_at"]),
    )
    source = SourceInfo(**meta["source"])
    expected = json.loads((case / "expected.json").read_text(encoding="utf-8"))
    return page, source, expected


def test_every_registered_parser_version_has_fixtures() -> None:
    load_portals()  # per-portal modules register themselves on import
    versions = {GenericParser.VERSION} | {entry.parser.VERSION for entry in REGISTRY.registrations}
    covered = {case.parent.name for case in CASES}
    assert versions <= covered, f"parser versions without fixtures: {sorted(versions - covered)}"


@pytest.mark.parametrize("case", CASES, ids=[f"{case.parent.name}/{case.name}" for case in CASES])
def test_fixture_covers_required_fields(case: Path) -> None:
    expected = json.loads((case / "expected.json").read_text(encoding="utf-8"))
    assert expected["page_type"] in ("article", *NON_ARTICLE_KINDS)
    if expected["page_type"] == "article":
        assert set(expected) >= REQUIRED_FIELDS, f"{case}: missing {sorted(REQUIRED_FIELDS - set(expected))}"
    meta = json.loads((case / "meta.json").read_text(encoding="utf-8"))
    assert {"url", "fetched_at", "source", "family"} <= set(meta)


@pytest.mark.parametrize("case", CASES, ids=[f"{case.parent.name}/{case.name}" for case in CASES])
def test_parser_fixture(case: Path) -> None:
    page, source, expected = load_case(case)
    parser = build_parser(page, source)
    assert case.parent.name == parser.VERSION
    assert parser.page_type().kind == expected["page_type"], parser.page_type().reason
    if expected["page_type"] != "article":
        with pytest.raises(NotAnArticle) as refused:
            parser.to_article()
        assert refused.value.kind == expected["page_type"]
        assert refused.value.reason and "\n" not in str(refused.value)
        return
    article = parser.to_article()
    assert article.fetched_at == page.fetched_at
    assert article.source == source.name
    assert article.confidence is not None and 0.0 <= article.confidence <= 1.0
    low = article.confidence < LOW_CONFIDENCE
    assert low == expected.get("low_confidence", False), article.confidence_reasons
    for name, want in expected.items():
        if name in NOT_FIELDS:
            continue
        got = getattr(article, name)
        if name in DATE_FIELDS:
            if want is None:
                assert got is None, name
                continue
            assert got is not None, name
            assert got.tzinfo is not None, name
            assert got == datetime.fromisoformat(want), name
            assert got.utcoffset() == datetime.fromisoformat(want).utcoffset(), name
        elif name == "entities":
            assert article.entities.__dict__ == want
        else:
            assert got == want, name
