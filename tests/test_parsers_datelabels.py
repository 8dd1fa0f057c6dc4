"""Which part of a labelled date line is the publication date."""

from __future__ import annotations

import pytest

from crawler.parsers.datelabels import published_part, updated_part


@pytest.mark.parametrize(
    ("line", "published", "updated"),
    [
        ("نشر في: 20 نوفمبر 2026 10:00 ص | آخر تحديث: 22 نوفمبر 2026", "20 نوفمبر 2026 10:00 ص", "22 نوفمبر 2026"),
        ("آخر تحديث: 22 نوفمبر 2026 - تاريخ النشر: 20 نوفمبر 2026", "20 نوفمبر 2026", "22 نوفمبر 2026"),
        ("تم نشره الجمعة 24 نيسان / أبريل 2020 09:22 مساءً", "الجمعة 24 نيسان / أبريل 2020 09:22 مساءً", None),
        ("الإثنين، 24 أغسطس 2020 09:23 ص", "الإثنين، 24 أغسطس 2020 09:23 ص", None),
        ("20 نوفمبر 2026 (آخر تحديث: 22 نوفمبر 2026)", "20 نوفمبر 2026 (", "22 نوفمبر 2026)"),
        ("منشور 20 نوفمبر 2026", "منشور 20 نوفمبر 2026", None),
        ("Published on November 9, 2020 | Updated November 10, 2020", "November 9, 2020", "November 10, 2020"),
    ],
)
def test_labelled_parts(line: str, published: str, updated: str | None) -> None:
    assert published_part(line) == published
    assert updated_part(line) == updated
