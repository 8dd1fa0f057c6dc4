"""Small text helpers shared by the parsers: whitespace and invisible marks."""

from __future__ import annotations

import re

_INVISIBLE = re.compile("[\u200b\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff\xad]")
_SPACES = re.compile(r"[ \t\r\f\v\xa0\u2000-\u200a\u202f\u205f\u3000]+")
# Whitespace before a haraka: exported word-processor HTML splits words across <span>s
# («ي</span> <span>ُرجى»); no word starts with a vowel mark, so the space is an artefact.
_SPACE_BEFORE_MARK = re.compile(r" (?=[\u064b-\u065f\u0670])")


def clean_line(text: str) -> str:
    """One line: invisible marks removed, runs of whitespace collapsed, ends stripped."""
    line = _SPACES.sub(" ", _INVISIBLE.sub("", text).replace("\n", " ")).strip()
    return _SPACE_BEFORE_MARK.sub("", line)


