"""Dates as feeds and sitemaps write them: W3C/ISO 8601 (sitemaps, Atom) and RFC 822 (RSS)."""

from __future__ import annotations

from datetime import datetime
from email.utils import parsedate_to_datetime
from zoneinfo import ZoneInfo


def parse_listing_date(text: str | None, timezone: str = "UTC") -> datetime | None:
    """``text`` as an aware datetime; a date or time without an offset is in ``timezone``.
    None when there is no text or it is no date."""
    value = (text or "").strip()
    if not value:
        return None
    parsed = _iso(value) or _rfc822(value)
    if parsed is None:
        return None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=ZoneInfo(timezone))


def _iso(value: str) -> datetime | None:
    try:
        return datetime.fromisoformat(value.replace(" ", "T", 1) if len(value) > 10 else value)
    except ValueError:
        return None


def _rfc822(value: str) -> datetime | None:
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return parsed  # naive for "-0000" (offset unknown): the caller puts it in the source's zone
