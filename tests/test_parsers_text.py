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


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("&quot;سدايا&quot; تطلق منصة", '"سدايا" تطلق منصة'),
        ("&amp;quot;سدايا&amp;quot; تطلق منصة", '"سدايا" تطلق منصة'),
        ("خدمات &#8211; جديدة", "خدمات – جديدة"),
        ("R&notes و AT&T", "R&notes و AT&T"),
    ],
    ids=["escaped-once-left-over", "escaped-twice", "numeric", "ampersand-without-semicolon-kept"],
)
def test_leftover_entities_are_decoded(raw: str, clean: str) -> None:
    assert clean_line(raw) == clean
