"""Find absolute date expressions in folded text: textual, numeric, ISO and Hijri forms.

Every pattern runs on text already folded by :mod:`.normalize` (ASCII digits, one spelling per
letter), so a pattern is written once for all regional spellings. Overlapping matches are resolved
longest-first. Impossible dates (31 شباط) are kept as ``value=None`` so that callers can tell
"a date was written but it does not exist" from "no date here".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Literal

from babel import Locale

from .hijri import HIJRI_YEARS, hijri_month_start, hijri_to_gregorian
from .months import GREGORIAN_MONTH_RE, HIJRI_MONTH_RE, gregorian_month, hijri_month
from .normalize import alternation, fold_word
from .vocab import VOCABULARY

Granularity = Literal["year", "month", "day", "hour", "minute", "second"]
Calendar = Literal["gregorian", "hijri"]


def _era_words() -> tuple[str, str]:
    eras = Locale.parse("ar").eras
    gregorian = {fold_word(w) for w in VOCABULARY.gregorian_eras}
    gregorian |= {fold_word(eras[width][1]) for width in ("abbreviated", "wide", "narrow")}
    hijri = {fold_word(w) for w in VOCABULARY.hijri_eras}
    return alternation(list(gregorian)), alternation(list(hijri))


_ERA_G, _ERA_H = _era_words()
_ERA = rf"(?:\s*(?:(?P<eg>{_ERA_G})|(?P<eh>{_ERA_H}))(?![^\W\d_]))?"
_MON = rf"(?P<mon>{GREGORIAN_MONTH_RE})(?:\s*[/(\-]\s*(?P<mon2>{GREGORIAN_MONTH_RE})\s*\)?)?"
_HMON = rf"(?P<mon>{HIJRI_MONTH_RE})"
_DAY = r"(?<![\d.:/])(?P<d>\d{1,2})(?:st|nd|rd|th)?(?![\d:])"
_YEAR_WORD = r"(?:(?:من\s+)?(?:ال)?(?:عام|سنه)\s+)?"
_YEAR = r"(?P<y>\d{4})(?![\d:])"
_SEP = r"[\s,.\-/]*"

_TEXT_DMY = re.compile(rf"{_DAY}{_SEP}(?:من\s+)?(?:شهر\s+)?{_MON}{_SEP}{_YEAR_WORD}{_YEAR}{_ERA}")
_TEXT_MDY = re.compile(rf"{_MON}\s*(?P<d>\d{{1,2}})(?:st|nd|rd|th)?(?![\d:])\s*,?\s*{_YEAR}{_ERA}")
_TEXT_MY = re.compile(rf"{_MON}{_SEP}{_YEAR_WORD}{_YEAR}{_ERA}")
_TEXT_DM = re.compile(rf"{_DAY}{_SEP}(?:من\s+)?(?:شهر\s+)?{_MON}")
_HIJRI_DMY = re.compile(rf"{_DAY}{_SEP}(?:من\s+)?(?:شهر\s+)?{_HMON}{_SEP}{_YEAR_WORD}{_YEAR}{_ERA}")
_HIJRI_MY = re.compile(rf"(?P<word>شهر\s+)?{_HMON}{_SEP}{_YEAR_WORD}{_YEAR}{_ERA}")
_NUM_YMD = re.compile(
    r"(?<![\d.:/\-])(?P<y>\d{4})\s*(?P<sep>[-/.])\s*(?P<m>\d{1,2})\s*(?P=sep)\s*(?P<d>\d{1,2})"
    rf"(?!\d|[/.\-]\d){_ERA}"
)
_NUM_DMY = re.compile(
    r"(?<![\d.:/\-])(?P<d>\d{1,2})\s*(?P<sep>[-/.])\s*(?P<m>\d{1,2})\s*(?P=sep)\s*(?P<y>\d{4})"
    rf"(?!\d|[/.\-]\d){_ERA}"
)
_YEAR_ONLY = re.compile(rf"(?<![^\W\d_])[وبلف]?(?:ال)?(?:عام|سنه)\s+{_YEAR}{_ERA}")

_DIGIT_RE = re.compile(r"\d")
_YEAR_HINT_RE = re.compile(r"\d{4}")
_WHOLE_TEXT_CHARS = 400  # shorter texts are searched whole
_WINDOW_BEFORE, _WINDOW_AFTER = 90, 40

# Lower rank wins when two readings of one span tie in length.
_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("num_ymd", _NUM_YMD),
    ("num_dmy", _NUM_DMY),
    ("text_dmy", _TEXT_DMY),
    ("text_mdy", _TEXT_MDY),
    ("hijri_dmy", _HIJRI_DMY),
    ("text_my", _TEXT_MY),
    ("hijri_my", _HIJRI_MY),
    ("year", _YEAR_ONLY),
    ("text_dm", _TEXT_DM),
)


@dataclass(frozen=True, slots=True)
class Found:
    """One absolute date expression in folded text. ``value`` is None for an impossible date."""

    start: int
    end: int
    value: date | None
    granularity: Granularity
    calendar: Calendar
    year_inferred: bool = False


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _numeric(match: re.Match[str]) -> tuple[date | None, Calendar]:
    year, month, day = int(match["y"]), int(match["m"]), int(match["d"])
    hijri = match["eh"] is not None or (match["eg"] is None and year in HIJRI_YEARS)
    if hijri:
        return hijri_to_gregorian(year, month, day), "hijri"
    if month > 12 >= day and match.re is _NUM_DMY:  # unambiguous month-first (US) order
        month, day = day, month
    return _safe_date(year, month, day), "gregorian"


def _textual_month(match: re.Match[str]) -> int | None:
    month = gregorian_month(match["mon"])
    second = gregorian_month(match["mon2"]) if match["mon2"] else None
    if month is None or (second is not None and second != month):
        return None
    return month


def _read(kind: str, match: re.Match[str], year_now: int | None) -> Found | None:
    start, end = match.start(), match.end()
    if kind in ("num_ymd", "num_dmy"):
        value, calendar = _numeric(match)
        return Found(start, end, value, "day", calendar)
    if kind == "year":
        return Found(start, end, _safe_date(int(match["y"]), 1, 1), "year", "gregorian")
    if kind in ("hijri_dmy", "hijri_my"):
        year, h_month = int(match["y"]), hijri_month(match["mon"])
        if h_month is None or (year not in HIJRI_YEARS and match["eh"] is None):
            return None
        if kind == "hijri_my":
            if match["word"] is None and match["eh"] is None:
                return None  # «رجب 1500 كلمة»: a name and a number, not a month
            return Found(start, end, hijri_month_start(year, h_month), "month", "hijri")
        return Found(start, end, hijri_to_gregorian(year, h_month, int(match["d"])), "day", "hijri")
    month = _textual_month(match)
    if month is None:
        return Found(start, end, None, "day", "gregorian")
    if kind == "text_my":
        return Found(start, end, _safe_date(int(match["y"]), month, 1), "month", "gregorian")
    if kind == "text_dm":
        if year_now is None:
            return None
        return Found(start, end, _safe_date(year_now, month, int(match["d"])), "day", "gregorian", True)
    return Found(start, end, _safe_date(int(match["y"]), month, int(match["d"])), "day", "gregorian")


def _windows(folded: str) -> list[tuple[int, int]]:
    """Stretches of a long text around each four-digit number: the only places a dated match can be."""
    windows: list[tuple[int, int]] = []
    for match in _YEAR_HINT_RE.finditer(folded):
        start, end = max(0, match.start() - _WINDOW_BEFORE), match.end() + _WINDOW_AFTER
        if windows and start <= windows[-1][1]:
            windows[-1] = (windows[-1][0], end)
        else:
            windows.append((start, end))
    return windows


def scan(folded: str, *, year_now: int | None = None) -> list[Found]:
    """Non-overlapping date expressions in ``folded``, in text order.

    ``year_now`` enables day-and-month expressions without a year («15 مارس»), read in that year.
    """
    if _DIGIT_RE.search(folded) is None:
        return []
    whole = [(0, len(folded))]
    near_years = _windows(folded) if len(folded) > _WHOLE_TEXT_CHARS else whole
    candidates: list[tuple[int, int, Found]] = []
    for rank, (kind, pattern) in enumerate(_PATTERNS):
        if kind == "text_dm" and year_now is None:
            continue
        # Every pattern but «15 مارس» holds a four-digit year, so long texts are only searched near one.
        for start, end in whole if kind == "text_dm" else near_years:
            for match in pattern.finditer(folded, start, end):
                found = _read(kind, match, year_now)
                if found is not None:
                    candidates.append((found.start - found.end, rank, found))
    candidates.sort(key=lambda c: (c[0], c[1], c[2].start))
    taken: list[Found] = []
    for _, _, found in candidates:
        if all(found.end <= t.start or found.start >= t.end for t in taken):
            taken.append(found)
    return sorted(taken, key=lambda f: f.start)
