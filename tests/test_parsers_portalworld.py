"""The generic parser on every article page of the running portal world, against its ground truth."""

from __future__ import annotations

import urllib.request
from datetime import UTC, datetime

import pytest

from crawler.parsers.page import PageInput, SourceInfo
from crawler.parsers.registry import parse_article
from crawler.portalworld import PortalWorld

FETCHED = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def fetch(url: str) -> PageInput:
    with urllib.request.urlopen(url, timeout=10) as response:
        headers = {key.lower(): value for key, value in response.headers.items()}
        return PageInput(url=url, body=response.read(), headers=headers, fetched_at=FETCHED)


@pytest.fixture(scope="module")
def world_pages(portal_world: PortalWorld) -> list[tuple[dict[str, object], PageInput, SourceInfo]]:
    zones = {source["name"]: source["timezone"] for source in portal_world.sources_config()["sources"]}
    return [
        (dict(expected), fetch(expected["canonical_url"]), SourceInfo(expected["portal"], zones[expected["portal"]]))
        for expected in portal_world.expected_articles()
    ]


@pytest.mark.parametrize("portal", ["techwave", "arabnet", "shamtech"])
def test_portal_articles_match_ground_truth(
    world_pages: list[tuple[dict[str, object], PageInput, SourceInfo]], portal: str
) -> None:
    pages = [item for item in world_pages if item[0]["portal"] == portal]
    assert pages, portal
    for expected, page, source in pages:
        article = parse_article(page, source)
        label = f"{portal} {expected['id']}"
        assert article.title == expected["title"], label
        assert article.body == expected["body"], label
        assert article.canonical_url == expected["canonical_url"], label
        assert article.author == expected["author"], label
        assert article.published_at is not None, label
        assert article.published_at.tzinfo is not None, label
        assert article.published_at == expected["published"], label
        assert article.fetched_at == FETCHED, label
        assert article.language == "ar", label
        assert article.section == expected["section"], label
        assert article.tags == expected["tags"], label
        assert article.image == expected["image"], label
        assert article.modified_at == expected["modified"], label
        assert article.modified_at is None or article.modified_at.tzinfo is not None, label
