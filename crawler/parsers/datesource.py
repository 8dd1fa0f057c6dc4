"""The parsers' door to :mod:`crawler.parsers.dates`: zones by name, field dates, body dates."""

from __future__ import annotations

import logging
from datetime import datetime, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from crawler.parsers.dates import DateMention, find_dates
from crawler.parsers.dates import parse_date as parse_field

logger = logging.getLogger(__name__)

MAX_FIELD_CHARS = 300  # a date field is short; longer text is not a date field


def zone(name: str | None) -> tzinfo:
    """The ``ZoneInfo`` for a configured zone name; UTC (with a log line) when unknown."""
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        logger.warning("unknown timezone %r, using UTC", name)
        return ZoneInfo("UTC")


def day_mentions(text: str, *, now: datetime | None = None, tz: tzinfo | None = None) -> list[DateMention]:
    """Day-precise dates named in ``text``, in text order."""
    return [mention for mention in find_dates(text, now=now, tz=tz) if mention.granularity == "day"]


def mentioned_dates(text: str, *, now: datetime | None = None, tz: tzinfo | None = None) -> list[str]:
    """Dates named in ``text`` as ISO strings at their precision («يونيو 2024» → ``2024-06``)."""
    found: list[str] = []
    for mention in find_dates(text, now=now, tz=tz):
        value, granularity = mention.value, mention.granularity
        if granularity == "year":
            rendered = f"{value.year:04d}"
        elif granularity == "month":
            rendered = f"{value.year:04d}-{value.month:02d}"
        else:
            rendered = value.isoformat()
        if rendered not in found:
            found.append(rendered)
    return found


def parse_date(text: str, *, now: datetime | None = None, tz: tzinfo | None = None) -> datetime | None:
    """An aware datetime for one date field (local times in ``tz``), or ``None``."""
    if not text or not text.strip() or len(text) > MAX_FIELD_CHARS:
        return None
    return parse_field(text, now=now, tz=tz)
