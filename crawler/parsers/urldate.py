"""Publication dates written in a URL path: ``/2026/11/23/slug``, ``/story/2013/8/3/…``, ``/20261123/``.

The weakest date layer: a URL says on which day a CMS filed the page, not when it was published,
so the value is the day's midnight in the source's zone and is used only when the page prints and
declares no date at all.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, tzinfo
from urllib.parse import unquote, urlsplit

_YEAR = re.compile(r"^(?:199[5-9]|20\d\d)$")
_NUMBER = re.compile(r"^\d{1,2}$")
_COMPACT = re.compile(r"(?<!\d)((?:199[5-9]|20\d\d))([-_/.]?)(0[1-9]|1[0-2])\2(0[1-9]|[12]\d|3[01])(?!\d)")
_SKIPPABLE = 2  # segments between the year and month/day: «/2013/tech/8/3/», «/2013/news/ar/8/3/»


def _day(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _from_segments(segments: list[str]) -> date | None:
    for index, segment in enumerate(segments):
        if not _YEAR.match(segment):
            continue
        rest = segments[index + 1 : index + 1 + _SKIPPABLE + 2]
        for offset in range(min(_SKIPPABLE, max(0, len(rest) - 2)) + 1):
            month, day = rest[offset : offset + 2] if len(rest) >= offset + 2 else ("", "")
            if _NUMBER.match(month) and _NUMBER.match(day):
                found = _day(int(segment), int(month), int(day))
                if found is not None:
                    return found
            if _NUMBER.match(rest[offset] if offset < len(rest) else ""):
                break  # «/2026/11/slug»: a month without a day is no day
    return None


def url_date(url: str, tz: tzinfo) -> datetime | None:
    """The day a URL names, as midnight in ``tz``; ``None`` when it names none (or only a month)."""
    parts = urlsplit(url)
    path = unquote(parts.path)
    found = _from_segments([segment for segment in path.split("/") if segment])
    if found is None:
        match = _COMPACT.search(path) or _COMPACT.search(unquote(parts.query))
        if match:
            found = _day(int(match.group(1)), int(match.group(3)), int(match.group(4)))
    return datetime.combine(found, time(0), tzinfo=tz) if found else None
