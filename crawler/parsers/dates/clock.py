"""Times of day: «09:23 ص», «09:22 مساءً», «الساعة 14:30», «12:09 م», «3 عصراً» with «الساعة»."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import time, tzinfo

from babel import Locale

from .normalize import alternation, fold_word
from .vocab import VOCABULARY
from .zones import offset_zone


def _period_kind(key: str) -> str:
    if key in {"am", "morning1", "morning2"}:
        return "am"
    if key.startswith("night") or key == "midnight":
        return "night"
    return "pm"


def _day_periods() -> dict[str, str]:
    """Folded day-period word -> am | pm | night, from CLDR Arabic (all widths) and English AM/PM."""
    periods: dict[str, str] = {}
    arabic = Locale.parse("ar").day_periods
    for context in ("format", "stand-alone"):
        for width in ("abbreviated", "wide", "narrow"):
            for key, word in arabic[context][width].items():
                periods.setdefault(fold_word(word), _period_kind(key))
    english = Locale.parse("en").day_periods["format"]["abbreviated"]
    periods.setdefault(fold_word(english["am"]), "am")
    periods.setdefault(fold_word(english["pm"]), "pm")
    for word, kind in VOCABULARY.day_period_variants.items():
        periods.setdefault(fold_word(word), kind)
    return periods


#: folded day-period word -> "am" | "pm" | "night"
DAY_PERIODS: dict[str, str] = _day_periods()
_PERIOD_RE = alternation(list(DAY_PERIODS))

TIME_RE = re.compile(
    r"(?:(?<![^\W\d_])(?:[وف]?ال|[بل])ساعه\s*)?"
    r"(?<![\d:.])(?P<h>\d{1,2})\s*:\s*(?P<mi>\d{2})(?:\s*:\s*(?P<s>\d{2})(?:[.,]\d+)?)?(?![\d:])"
    r"(?:(?P<z>z)(?![a-z])|(?P<sign>[+-])(?P<oh>\d{2}):?(?P<om>\d{2})(?!\d))?"
    rf"(?:\s*(?P<p>{_PERIOD_RE})(?![^\W\d_]))?"
    # «الساعة 3 عصراً»: an hour alone needs the word الساعة in front and a period word after it.
    rf"|(?<![^\W\d_])(?:[وف]?ال|[بل])ساعه\s*(?P<h2>\d{{1,2}})(?![\d:])\s*(?P<p2>{_PERIOD_RE})(?![^\W\d_])"
)


@dataclass(frozen=True, slots=True)
class TimeOfDay:
    value: time
    zone: tzinfo | None  # an offset written right after the time («14:30+03:00», «14:30Z»)
    start: int
    end: int
    seconds: bool


def _apply_period(hour: int, period: str | None) -> int:
    kind = DAY_PERIODS.get(" ".join(period.split())) if period else None
    if kind is None or not 1 <= hour <= 12:  # «14:30 م» is already 24-hour: the word adds nothing
        return hour
    if kind == "am":
        return 0 if hour == 12 else hour
    if kind == "pm":
        return hour if hour == 12 else hour + 12
    return hour + 12 if 6 <= hour < 12 else (0 if hour == 12 else hour)  # night


def parse_time(match: re.Match[str]) -> TimeOfDay | None:
    """The time of a TIME_RE match, or None when it is not a valid time of day."""
    if match["h2"] is not None:
        hour, minute, second, period = int(match["h2"]), 0, 0, match["p2"]
    else:
        hour, minute, period = int(match["h"]), int(match["mi"]), match["p"]
        second = int(match["s"] or 0)
    hour_24 = _apply_period(hour, period)
    if hour_24 is None or not (0 <= hour_24 <= 23 and minute <= 59 and second <= 59):
        return None
    zone = None
    if match["z"]:
        zone = offset_zone("+", "0", None)
    elif match["sign"]:
        zone = offset_zone(match["sign"], match["oh"], match["om"])
        if zone is None:
            return None
    return TimeOfDay(time(hour_24, minute, second), zone, match.start(), match.end(), match["s"] is not None)


def find_time(folded: str, start: int = 0, end: int | None = None) -> TimeOfDay | None:
    """The first valid time of day in ``folded[start:end]``."""
    for match in TIME_RE.finditer(folded, start, len(folded) if end is None else end):
        parsed = parse_time(match)
        if parsed is not None:
            return parsed
    return None
