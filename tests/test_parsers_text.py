"""Line cleaning shared by the parsers."""

from __future__ import annotations

import pytest

from crawler.parsers.text import clean_line


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("  وزير \n الاتصالات\t\xa0يزور  ", "وزير الاتصالات يزور"),
        ("\u200fأذربيجان\u200e", "أذربيجان"),
        ("لمزيد من المعلومات، ي ُرجى زيارة الرابط", "لمزيد من المعلومات، يُرجى زيارة الرابط"),
        ("شكراً جزيلاً", "شكراً جزيلاً"),
    ],
    ids=["whitespace", "bidi-marks", "word-split-before-haraka", "tanween-kept"],
)
def test_clean_line(raw: str, clean: str) -> None:
    assert clean_line(raw) == clean
