"""``find_dates``: the dates a body mentions («يونيو 2024», «عام 2026», «23 نوفمبر 2026م»)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, tzinfo

from .clock import TIME_RE, parse_time
from .normalize import Folded, fold
from .parse import anchor_now
from .relative import find_relatives
from .scan import Calendar, Found, Granularity, scan
from .zones import ZONE_RE, find_zone, resolve_tz

# Between a date and its time only separators, «الساعة» or «على الساعة» may stand.
_GAP_RE = re.compile(r"[\s,\-|]*(?:(?:على|في)\s+)?")
_MAX_GAP = 12


@dataclass(frozen=True, slots=True)
class DateMention:
    """A date mentioned in a text.

    ``start``/``end`` are character offsets into the text given to :func:`find_dates`, so that
    ``text[start:end] == mention.text``. ``value`` is a ``date`` for day, month and year mentions
    (the first day of the month or year) and an aware ``datetime`` when a time of day is written
    or the mention is relative («منذ 3 ساعات»). ``calendar`` says how it was written; ``value`` is
    always Gregorian.
    """

    text: str
    start: int
    end: int
    value: date | datetime
    granularity: Granularity
    calendar: Calendar = "gregorian"


def _with_time(folded: str, found: Found, zone: tzinfo) -> tuple[int, datetime | None]:
    """A time written right after a day mention («24 أغسطس 2020 09:23 ص»), with its end offset."""
    gap = _GAP_RE.match(folded, found.end)
    position = gap.end() if gap is not None else found.end
    if found.value is None or position - found.end > _MAX_GAP:
        return found.end, None
    match = TIME_RE.match(folded, position)
    clock = parse_time(match) if match is not None else None
    if clock is None:
        return found.end, None
    end, clock_zone = clock.end, clock.zone
    zone_match = ZONE_RE.match(folded, end + len(folded[end:]) - len(folded[end:].lstrip()))
    if clock_zone is None and zone_match is not None:
        stated = find_zone(zone_match.group(0))
        if stated is not None:
            clock_zone, end = stated[0], zone_match.end()
    return end, datetime.combine(found.value, clock.value, clock_zone or zone)


def _mention(source: str, folded: Folded, start: int, end: int, value: date | datetime,
             granularity: Granularity, calendar: Calendar) -> DateMention:
    o_start, o_end = folded.original_span(start, end)
    return DateMention(source[o_start:o_end], o_start, o_end, value, granularity, calendar)


def find_dates(
    text: str, *, now: datetime | None = None, tz: str | tzinfo | None = None
) -> list[DateMention]:
    """Every date mentioned in ``text``, in text order, without overlaps.

    Absolute dates of every form ``parse_date`` reads (Gregorian and Hijri, day, month or year
    granularity: «عام 2026» needs the word عام/سنة) and relative ones («منذ يومين», «أمس»;
    not «اليوم») resolved against ``now`` (e.g. the article's publication time) in ``tz``.
    Impossible dates are skipped. Never raises on any ``text``.
    """
    zone = resolve_tz(tz)
    if not isinstance(text, str) or not text:
        return []
    folded = fold(text)
    body = folded.text
    mentions: list[DateMention] = []
    for found in scan(body):
        if found.value is None:
            continue
        value: date | datetime = found.value
        end, granularity = found.end, found.granularity
        if granularity == "day":
            end, moment = _with_time(body, found, zone)
            if moment is not None:
                value, granularity = moment, "minute"
        mentions.append(_mention(text, folded, found.start, end, value, granularity, found.calendar))
    taken = [(m.start, m.end) for m in mentions]
    for relative in find_relatives(body, anchor_now(now, zone), zone):
        o_start, o_end = folded.original_span(relative.start, relative.end)
        if all(o_end <= s or o_start >= e for s, e in taken):
            mentions.append(_mention(text, folded, relative.start, relative.end, relative.value,
                                     relative.granularity, "gregorian"))
    return sorted(mentions, key=lambda m: m.start)
