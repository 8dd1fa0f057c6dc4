"""Hijri (Umm al-Qura) dates, converted to Gregorian with hijridate."""

from __future__ import annotations

from datetime import date

from hijridate import Hijri

#: Hijri years hijridate's Umm al-Qura table covers (1343-1500 AH = 1924-2077 CE).
HIJRI_YEARS = range(1343, 1501)


def hijri_to_gregorian(year: int, month: int, day: int) -> date | None:
    """The Gregorian date of an Umm al-Qura Hijri date, or None if it does not exist or is out of range."""
    if year not in HIJRI_YEARS:
        return None
    try:
        converted = Hijri(year, month, day).to_gregorian()
    except (ValueError, OverflowError):
        return None
    return date(converted.year, converted.month, converted.day)


def hijri_month_start(year: int, month: int) -> date | None:
    """The Gregorian date on which a Hijri month begins, or None when out of range."""
    return hijri_to_gregorian(year, month, 1)
