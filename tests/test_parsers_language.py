"""Language detection for ar / en / fr (and too-short text)."""

from __future__ import annotations

import pytest

from crawler.parsers.language import detect_language


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("أعلنت وزارة الاتصالات عن إطلاق خدمة جديدة للمواطنين في جميع المحافظات", "ar"),
        ("The ministry announced that the new fibre network will reach ten provinces by the end of the year.",
         "en"),
        ("Le ministère a annoncé que le nouveau réseau de fibre sera déployé dans dix wilayas avant la fin de "
         "l'année.", "fr"),
        ("نشر موقع Middle East Eye البريطاني خبراً عن سرقة منزل أميرة في باريس بقيمة 700 ألف دولار", "ar"),
        ("عنوان", None),
        ("", None),
    ],
    ids=["arabic", "english", "french", "arabic-with-latin-name", "too-short", "empty"],
)
def test_detect_language(text: str, language: str | None) -> None:
    assert detect_language(text) == language
