"""Small text helpers shared by the parsers: whitespace, invisible marks and leftover HTML entities."""

from __future__ import annotations

import html
import re

_INVISIBLE = re.compile("[\u200b\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff\xad]")
_SPACES = re.compile(r"[ \t\r\f\v\xa0\u2000-\u200a\u202f\u205f\u3000]+")
# Whitespace before a haraka: exported word-processor HTML splits words across <span>s
# («ي</span> <span>ُرجى»); no word starts with a vowel mark, so the space is an artefact.
_SPACE_BEFORE_MARK = re.compile(r" (?=[\u064b-\u065f\u0670])")
# A character reference with its closing semicolon. Only these are decoded: html.unescape alone
# also reads «&not» in «R&notes» as «¬».
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_MAX_ROUNDS = 3  # «&amp;amp;quot;» is escaped three times; more is not text any more
# Control characters: C0 but the tab, line feed and the other whitespace controls (\v \f \r, which
# _SPACES turns into spaces), DEL and C1. Scraped text is hostile: «ESC ]0;… BEL» in a title would
# retitle the terminal of whoever prints it.
_CONTROLS = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")


def decode_entities(text: str) -> str:
    """``text`` with character references left in it decoded, also when escaped twice.

    Values from JSON-LD and meta tags are sometimes HTML-escaped before being escaped again for
    the attribute or the JSON string (``&amp;quot;``, ``&quot;`` in JSON): the parser's one decoding
    leaves ``&quot;`` behind. Each round decodes one level.
    """
    for _ in range(_MAX_ROUNDS):
        if "&" not in text:
            break
        decoded = _ENTITY.sub(lambda match: html.unescape(match.group(0)), text)
        if decoded == text:
            break
        text = decoded
    return text


def strip_controls(text: str) -> str:
    """``text`` without control characters (see ``_CONTROLS``); line feeds and tabs are kept."""
    return _CONTROLS.sub("", text)


def clean_line(text: str) -> str:
    """One line: leftover entities decoded, invisible marks and control characters removed,
    whitespace collapsed, ends stripped."""
    if "&" in text:
        text = decode_entities(text)
    line = _SPACES.sub(" ", _CONTROLS.sub("", _INVISIBLE.sub("", text)).replace("\n", " ")).strip()
    return _SPACE_BEFORE_MARK.sub("", line)
