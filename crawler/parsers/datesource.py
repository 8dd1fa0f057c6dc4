"""The one door to date parsing for the parsers.

Uses :mod:`crawler.parsers.dates` (the project's Arabic-aware date module) when present, and a
small dateparser fallback otherwise, so parsers never care which one answered.
"""

from __future__ import annotations

import functools
import importlib
import logging
import re
from collections.abc import Callable
from datetime import datetime, tzinfo
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

logger = logging.getLogger(__name__)

DateParser = Callable[..., "datetime | None"]

_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$")


def zone(name: str | None) -> tzinfo:
    """The ``ZoneInfo`` for a configured zone name; UTC (with a log line) when unknown."""
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        logger.warning("unknown timezone %r, using UTC", name)
        return ZoneInfo("UTC")


def _iso(text: str, tz: tzinfo) -> datetime | None:
    stripped = text.strip()
    if not _ISO.match(stripped):
        return None
    try:
        value = datetime.fromisoformat(stripped.replace("Z", "+00:00"))
    except ValueError:
        return None
    return value if value.tzinfo is not None else value.replace(tzinfo=tz)


def _fallback(text: str, *, now: datetime | None = None, tz: tzinfo | None = None) -> datetime | None:
    zone_info = tz or ZoneInfo("UTC")
    quick = _iso(text, zone_info)
    if quick is not None:
        return quick
    import dateparser  # deferred: slow import, only needed without the dates module

    settings: dict[str, object] = {
        "RETURN_AS_TIMEZONE_AWARE": True,
        "TIMEZONE": str(zone_info),
        "PREFER_DATES_FROM": "past",
        "DATE_ORDER": "DMY",
    }
    if now is not None:
        settings["RELATIVE_BASE"] = now.astimezone(zone_info).replace(tzinfo=None)
    try:
        value: datetime | None = dateparser.parse(text, languages=["ar", "en", "fr"], settings=settings)
    except (ValueError, OverflowError) as error:
        logger.debug("dateparser failed on %r: %s", text, error)
        return None
    if value is None:
        return None
    return value if value.tzinfo is not None else value.replace(tzinfo=zone_info)


@functools.cache
def _resolve() -> DateParser:
    try:
        module = importlib.import_module("crawler.parsers.dates")
        found: DateParser = module.parse_date
    except (ImportError, AttributeError):
        return _fallback
    return found


def mentioned_dates(text: str, *, now: datetime | None = None, tz: tzinfo | None = None) -> list[str]:
    """Dates named in ``text`` as ISO strings at their precision («يونيو 2024» → ``2024-06``)."""
    try:
        module = importlib.import_module("crawler.parsers.dates")
        find: Callable[..., list[Any]] = module.find_dates
    except (ImportError, AttributeError):
        return []
    found: list[str] = []
    for mention in find(text, now=now, tz=tz):
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
    """An aware datetime for ``text`` (local times in ``tz``), or ``None``."""
    if not text or not text.strip() or len(text) > 300:
        return None
    value = _resolve()(text, now=now, tz=tz)
    if value is None or value.tzinfo is None:
        return None
    return value
