"""Last resort: dateparser, for wordings the Arabic fast path does not know."""

from __future__ import annotations

import re
from datetime import datetime, tzinfo
from typing import Any

import dateparser

from .normalize import ascii_digits

#: dateparser is a parser for date fields, not a search engine; longer text goes unparsed.
MAX_FALLBACK_CHARS = 120
_WORD_RE = re.compile(r"[^\W\d_]{2,}")
# Exceptions dateparser is known to raise on odd input instead of returning None.
_DATEPARSER_ERRORS = (ValueError, OverflowError, TypeError, AttributeError, IndexError, KeyError)


def _settings(now: datetime, zone: tzinfo) -> dict[str, Any]:
    name = getattr(zone, "key", None)
    local_now = now.astimezone(zone).replace(tzinfo=None)
    return {
        "TIMEZONE": name or "UTC",
        "RETURN_AS_TIMEZONE_AWARE": True,
        "PREFER_DAY_OF_MONTH": "first",
        "PREFER_DATES_FROM": "past",
        "DATE_ORDER": "DMY",
        "REQUIRE_PARTS": ["day", "month", "year"],  # a bare year or month is no publication date
        "RELATIVE_BASE": local_now,
    }


def dateparser_parse(text: str, now: datetime, zone: tzinfo) -> datetime | None:
    """dateparser's reading of a short field (Arabic or English), always timezone-aware, or None."""
    text = ascii_digits(text).strip()
    if not text or len(text) > MAX_FALLBACK_CHARS or _WORD_RE.search(text) is None:
        return None  # bare numbers («2020», «12345») are not dates on their own
    try:
        parsed = dateparser.parse(text, languages=["ar", "en"], settings=_settings(now, zone))
    except _DATEPARSER_ERRORS:
        return None
    if not isinstance(parsed, datetime):
        return None
    if parsed.tzinfo is None or parsed.utcoffset() is None:
        return parsed.replace(tzinfo=zone)
    if getattr(zone, "key", None) is None:  # fixed offset zone: dateparser worked in UTC
        try:
            return parsed.astimezone(zone)
        except OverflowError:
            return None
    return parsed
