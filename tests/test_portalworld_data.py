"""Validation of the portal world's YAML data."""

from __future__ import annotations

import copy
from typing import Any

import pytest
import yaml

from crawler.portalworld.data import DATA_FILE, PortalWorldDataError, load_world_data, parse_world


def raw_data() -> dict[str, Any]:
    with DATA_FILE.open(encoding="utf-8") as handle:
        data: dict[str, Any] = yaml.safe_load(handle)
    return data


def test_shipped_data_loads() -> None:
    world = load_world_data()
    assert len(world.articles) >= 30
    assert {p.portal for p in world.private_pages} == set(world.portals)


def mutate(article_id: str, **changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(raw_data())
    record = next(a for a in data["articles"] if a["id"] == article_id)
    record.update(changes)
    return data


@pytest.mark.parametrize(
    ("article_id", "changes", "message"),
    [
        ("tw-02", {"mentions_azerbaijan": True}, "mentions_azerbaijan disagrees"),
        ("tw-02", {"published": "2026-11-04T18:30:00"}, "no UTC offset"),
        ("an-02", {"published": "2026-11-02T13:20:00+03:00"}, "does not match Africa/Cairo"),
        ("tw-03", {"path": "/2026/11/07/riyadh-hyperscale-data-center-opens/"}, "publication date"),
        ("st-01", {"title": "عنوان 中"}, "windows-1256"),
        ("st-01", {"paragraphs": [{"x": "y"}]}, "string or {h: ...}"),
        ("st-01", {"portal": "elsewhere"}, "unknown portal"),
    ],
)
def test_bad_records_raise_errors_naming_the_article(article_id: str, changes: dict[str, Any], message: str) -> None:
    with pytest.raises(PortalWorldDataError, match=article_id) as caught:
        parse_world(mutate(article_id, **changes))
    assert message in str(caught.value)


def test_missing_key_is_named() -> None:
    data = copy.deepcopy(raw_data())
    del data["articles"][0]["author"]
    with pytest.raises(PortalWorldDataError, match="missing key 'author'"):
        parse_world(data)
