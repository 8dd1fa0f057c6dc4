"""Relative expressions anchored at "now": «منذ 3 ساعات», «قبل يومين», «أمس», «أول أمس», «اليوم»."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta, tzinfo

from babel import Locale

from .clock import find_time
from .months import GREGORIAN_MONTH_RE, HIJRI_MONTH_RE
from .normalize import alternation, fold_word
from .scan import Granularity
from .vocab import VOCABULARY

_UNIT_GRANULARITY: dict[str, Granularity] = {
    "second": "second", "minute": "minute", "hour": "hour",
    "day": "day", "week": "day", "month": "month", "year": "year",
}
_UNIT_FORMS: dict[str, tuple[str, str]] = {
    fold_word(word): (unit, number)
    for unit, forms in VOCABULARY.relative_units.items()
    for number, words in forms.items()
    for word in words
}
_NUMBER_WORDS = {fold_word(w): n for w, n in VOCABULARY.number_words.items()}
_DAY_WORDS = {fold_word(w): n for w, n in VOCABULARY.relative_days.items()}
_NOW_WORDS = {fold_word(w) for w in VOCABULARY.relative_now}
_WEEKDAYS = alternation([fold_word(w) for w in Locale.parse("ar").days["format"]["wide"].values()])

# «قبل شهر رمضان», «منذ يوم الجمعة» name a month or a weekday, not a duration.
_NOT_A_NAME = rf"(?!\s+(?:{GREGORIAN_MONTH_RE}|{HIJRI_MONTH_RE}|{_WEEKDAYS}))"
DURATION_RE = re.compile(
    rf"(?<![^\W\d_])(?P<marker>{alternation([fold_word(w) for w in VOCABULARY.relative_past_markers])})\s+"
    rf"(?:(?P<n>\d{{1,4}})\s*|(?P<nw>{alternation(list(_NUMBER_WORDS))})\s+)?"
    rf"(?P<unit>{alternation(list(_UNIT_FORMS))})(?![^\W\d_]){_NOT_A_NAME}"
)
DAY_WORD_RE = re.compile(rf"(?<![^\W\d_])(?P<w>{alternation(list(_DAY_WORDS))})(?![^\W\d_])")
_MARKERS = tuple(fold_word(w) for w in VOCABULARY.relative_past_markers)
_DAY_KEYS = tuple(_DAY_WORDS)
NOW_RE = re.compile(rf"(?<![^\W\d_])(?:{alternation(list(_NOW_WORDS))})(?![^\W\d_])")


@dataclass(frozen=True, slots=True)
class Relative:
    """A relative expression resolved against "now"."""

    start: int
    end: int
    value: datetime
    granularity: Granularity


def _minus_months(moment: datetime, months: int) -> datetime:
    index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(index, 12)
    if year < 1:
        raise OverflowError("date before year 1")
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


def _count(match: re.Match[str], number: str) -> int | None:
    if match["n"] is not None:
        return int(match["n"])
    if match["nw"] is not None:
        return _NUMBER_WORDS[" ".join(match["nw"].split())]
    return {"one": 1, "two": 2}.get(number)  # a bare plural («منذ ساعات») is too vague


def _duration(match: re.Match[str], now: datetime, zone: tzinfo) -> Relative | None:
    unit, number = _UNIT_FORMS[" ".join(match["unit"].split())]
    count = _count(match, number)
    if count is None:
        return None
    try:
        if unit in ("month", "year"):
            value = _minus_months(now.astimezone(zone), count * (12 if unit == "year" else 1))
        else:
            seconds = {"second": 1, "minute": 60, "hour": 3600, "day": 86400, "week": 604800}[unit]
            value = (now.astimezone(UTC) - timedelta(seconds=count * seconds)).astimezone(zone)
    except (OverflowError, ValueError):
        return None
    return Relative(match.start(), match.end(), value, _UNIT_GRANULARITY[unit])


def _day_word(match: re.Match[str], folded: str, now: datetime, zone: tzinfo, with_time: bool) -> Relative:
    offset = _DAY_WORDS[" ".join(match["w"].split())]
    day = now.astimezone(zone).date() + timedelta(days=offset)
    clock = find_time(folded) if with_time else None
    if clock is None:
        return Relative(match.start(), match.end(), datetime.combine(day, time(0), zone), "day")
    value = datetime.combine(day, clock.value, clock.zone or zone)
    return Relative(min(match.start(), clock.start), max(match.end(), clock.end), value,
                    "second" if clock.seconds else "minute")


def parse_relative(folded: str, now: datetime, zone: tzinfo) -> Relative | None:
    """The first relative expression in a date field, resolved against ``now`` in ``zone``.

    A day word takes a time written anywhere in the field («أمس الساعة 14:30»); without one it
    means midnight of that day in ``zone``.
    """
    match = DURATION_RE.search(folded)
    if match is not None:
        return _duration(match, now, zone)
    match = DAY_WORD_RE.search(folded)
    if match is not None:
        try:
            return _day_word(match, folded, now, zone, with_time=True)
        except OverflowError:
            return None
    match = NOW_RE.search(folded)
    if match is not None:
        return Relative(match.start(), match.end(), now.astimezone(zone), "second")
    return None


def find_relatives(folded: str, now: datetime, zone: tzinfo) -> list[Relative]:
    """Relative expressions inside a body, except «اليوم» (too often part of a name: «اليوم السابع»)."""
    found: list[Relative] = []
    # Substring checks first: most bodies hold no relative expression, and «in» is cheap.
    durations = DURATION_RE.finditer(folded) if any(m in folded for m in _MARKERS) else iter(())
    for match in durations:
        relative = _duration(match, now, zone)
        if relative is not None:
            found.append(relative)
    day_words = DAY_WORD_RE.finditer(folded) if any(w in folded for w in _DAY_KEYS) else iter(())
    for match in day_words:
        if _DAY_WORDS[" ".join(match["w"].split())] != 0:
            try:
                found.append(_day_word(match, folded, now, zone, with_time=False))
            except OverflowError:
                continue
    return found
