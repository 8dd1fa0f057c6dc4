"""Small text helpers shared by the parsers: whitespace, invisible marks, Arabic letter tests."""

from __future__ import annotations

import re

_INVISIBLE = re.compile("[\u200b\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff\xad]")
_SPACES = re.compile(r"[ \t\r\f\v\xa0\u2000-\u200a\u202f\u205f\u3000]+")
_ARABIC_LETTER = re.compile(r"[\u0621-\u064a\u0671-\u06d3\u06fa-\u06ff]")
_WORD = re.compile(r"\w+", re.UNICODE)


def clean_line(text: str) -> str:
    """One line: invisible marks removed, runs of whitespace collapsed, ends stripped."""
    return _SPACES.sub(" ", _INVISIBLE.sub("", text).replace("\n", " ")).strip()


def arabic_ratio(text: str) -> float:
    """Share of letters that are Arabic."""
    letters = sum(1 for char in text if char.isalpha())
    if not letters:
        return 0.0
    return len(_ARABIC_LETTER.findall(text)) / letters


def words(text: str) -> list[str]:
    return _WORD.findall(text)
