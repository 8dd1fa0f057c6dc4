"""The Article contract: its dict form, its storage id."""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, datetime, timedelta, timezone

import pytest

from core.article import Article, Entities, doc_id_of, is_doc_id

RIYADH = timezone(timedelta(hours=3))


def full() -> Article:
    return Article(
        url="https://techwave.example/a?utm_source=rss", canonical_url="https://techwave.example/a",
        source="techwave", title="عنوان", body="نص.", author="كاتب",
        published_at=datetime(2026, 11, 23, 9, tzinfo=RIYADH),
        modified_at=datetime(2026, 11, 23, 10, tzinfo=RIYADH), language="ar", section="اتصالات", tags=["5G"],
        image="https://techwave.example/a.jpg", entities=Entities(["شخص"], ["هيئة"], ["الرياض"]),
        fetched_at=datetime(2026, 11, 24, tzinfo=UTC), fingerprint="0f", dates_mentioned=["2026-11-23"],
        story_id="a" * 40, confidence=0.5, confidence_reasons=["short body"],
    )


@pytest.mark.parametrize("article", [full(), Article(url="u", canonical_url="u", source="s", title="t", body="b")])
def test_to_dict_is_the_dataclass_with_iso_dates(article: Article) -> None:
    expected = asdict(article)
    for name in ("published_at", "modified_at", "fetched_at"):
        expected[name] = expected[name].isoformat() if expected[name] else None
    data = article.to_dict()
    assert data == expected and list(data) == list(expected)
    assert Article.from_dict(data) == article


def test_to_dict_copies_the_lists() -> None:
    article = full()
    data = article.to_dict()
    data["tags"].append("x")
    data["entities"]["persons"].append("x")
    assert article.tags == ["5G"] and article.entities.persons == ["شخص"]


def test_doc_id_shape() -> None:
    article = full()
    assert article.doc_id == doc_id_of(article.canonical_url) and is_doc_id(article.doc_id)
    for value in ("", article.doc_id.upper(), article.doc_id + "\n", article.doc_id[:-1], "g" * 40):
        assert not is_doc_id(value)
