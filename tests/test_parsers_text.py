"""Line cleaning shared by the parsers."""

from __future__ import annotations

from pathlib import Path

import pytest

from crawler.parsers.text import clean_line, strip_controls
from marsad.extract import extract_target


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


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("\x1b]0;pwned\x07أذربيجان", "]0;pwnedأذربيجان"),  # a terminal title sequence: ESC and BEL go
        ("وزير\x9b31m الاتصالات\x7f", "وزير31m الاتصالات"),  # C1 CSI and DEL
        ("سطر\x00 أول\x1f", "سطر أول"),
        ("&#x1b;[2Jمصر&#7;", "[2Jمصر"),  # controls written as character references
        ("a\x0bb\x0cc\rd", "a b c d"),  # vertical tab, form feed, CR: whitespace, not glue
    ],
    ids=["osc-title", "c1-and-del", "nul-and-unit-separator", "references", "whitespace-controls"],
)
def test_clean_line_strips_control_characters(raw: str, clean: str) -> None:
    assert clean_line(raw) == clean


def test_strip_controls_keeps_lines_and_tabs() -> None:
    assert strip_controls("فقرة\x1b[31m أولى\n\nفقرة\tثانية\x07") == "فقرة[31m أولى\n\nفقرة\tثانية"


def test_extracted_articles_carry_no_control_characters(tmp_path: Path) -> None:
    """Title, body and metadata of a page full of control characters, through the generic parser."""
    paragraph = "أعلنت وزارة الاتصالات عن خطة جديدة للتحول الرقمي تشمل مراكز البيانات والحوسبة السحابية. " * 3
    page = tmp_path / "hostile.html"
    page.write_text(
        '<html lang="ar"><head><meta charset="utf-8"><title>&#x1b;]0;pwned&#x7;خطة رقمية</title>'
        '<meta name="author" content="محرر&#x9b;31m"></head><body><article><h1>&#x1b;]0;pwned&#x7;خطة رقمية</h1>'
        f"<p>{paragraph}&#x1b;[2J</p><p>\x1b[31m{paragraph}\x7f</p></article></body></html>",
        encoding="utf-8",
    )
    article, _ = extract_target(str(page), url="http://127.0.0.1/news/1")
    for value in (article.title, article.body, article.author or ""):
        assert not any((ord(char) < 32 and char not in "\n\t") or 0x7f <= ord(char) <= 0x9f for char in value), value
    assert article.title == "]0;pwnedخطة رقمية"
