"""``parse_date``: one date field («الإثنين، 24 أغسطس 2020 09:23 ص») to an aware datetime."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, tzinfo

from .clock import TimeOfDay, find_time
from .fallback import dateparser_parse
from .normalize import fold
from .relative import parse_relative
from .scan import Found, scan
from .zones import find_zone, resolve_tz

#: Longer input is cut: a date field is short, whole bodies are ``find_dates``'s job.
MAX_FIELD_CHARS = 2000
_GRANULARITY_RANK = {"day": 0, "month": 1, "year": 2}
# "now" is kept a little inside datetime's range so that moving it between zones cannot overflow.
_EARLIEST_NOW = datetime(2, 1, 1, tzinfo=UTC)
_LATEST_NOW = datetime(9998, 12, 31, tzinfo=UTC)


def anchor_now(now: datetime | None, zone: tzinfo) -> datetime:
    """``now`` as an aware datetime (a naive one is taken to be in ``zone``); default: the clock."""
    if now is None:
        return datetime.now(UTC)
    if now.tzinfo is None or now.utcoffset() is None:
        now = now.replace(tzinfo=zone)
    try:
        return min(max(now, _EARLIEST_NOW), _LATEST_NOW)
    except OverflowError:  # a naive extreme "now" read in a zone beyond its range
        return _EARLIEST_NOW if now.year < 5000 else _LATEST_NOW


def _best(found: list[Found]) -> Found | None:
    """Most precise first; Gregorian before Hijri when a page prints both; then text order."""
    if not found:
        return None
    return min(found, key=lambda f: (_GRANULARITY_RANK[f.granularity], f.year_inferred,
                                     f.calendar != "gregorian", f.start))


def _time_for(folded: str, found: Found) -> TimeOfDay | None:
    return find_time(folded, found.end) or find_time(folded, 0, found.start)


def _prefer_past(found: Found, now: datetime, zone: tzinfo) -> date | None:
    """A day and month written without a year: this year, or last year if that is in the future."""
    value = found.value
    if value is None:
        return None
    if value > now.astimezone(zone).date() + timedelta(days=1):
        try:
            return value.replace(year=value.year - 1)
        except ValueError:  # 29 February
            return None
    return value


def _combine(day: date, clock: TimeOfDay | None, zone: tzinfo) -> datetime:
    if clock is None:
        return datetime.combine(day, time(0), zone)
    return datetime.combine(day, clock.value, clock.zone or zone)


def parse_date(text: str, *, now: datetime | None = None, tz: str | tzinfo | None = None) -> datetime | None:
    """Read one date field and return a timezone-aware datetime, or None.

    The zone is the one written in the text («بتوقيت مكة المكرمة», «GMT+3», «+03:00», «Z»), else
    ``tz`` (the source's configured zone), else UTC. ``now`` anchors relative expressions
    («منذ 3 ساعات», «أمس») and years left out («15 مارس»). A date that is written but does not
    exist («31 شباط 2020») gives None; so does a bare year. Never raises on any ``text``;
    raises ValueError for an unknown ``tz`` name.
    """
    zone = resolve_tz(tz)
    if not isinstance(text, str):
        return None
    folded = fold(text[:MAX_FIELD_CHARS]).text
    if not folded.strip():
        return None
    stated = find_zone(folded)
    if stated is not None:
        zone = stated[0]
    anchor = anchor_now(now, zone)
    best = _best(scan(folded, year_now=anchor.astimezone(zone).year))
    if best is not None:
        day = _prefer_past(best, anchor, zone) if best.year_inferred else best.value
        if day is None or best.granularity == "year":
            return None
        clock = _time_for(folded, best) if best.granularity == "day" else None
        try:
            return _combine(day, clock, zone)
        except OverflowError:
            return None
    relative = parse_relative(folded, anchor, zone)
    if relative is not None:
        return relative.value
    clock = find_time(folded)
    if clock is not None:  # a time alone («الساعة 14:30»): today, in the zone
        return _combine(anchor.astimezone(clock.zone or zone).date(), clock, zone)
    return dateparser_parse(text[:MAX_FIELD_CHARS], anchor, zone)
