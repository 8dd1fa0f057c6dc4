"""parse_date on relative expressions, anchored at a frozen "now"."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from crawler.parsers.dates import parse_date

NOW = datetime(2026, 3, 15, 12, 0, tzinfo=UTC)  # 14:00 in Cairo (+02:00)
CAIRO = "Africa/Cairo"

RELATIVE: list[tuple[str, str]] = [
    ("منذ دقيقة", "2026-03-15T13:59:00+02:00"),
    ("منذ دقيقتين", "2026-03-15T13:58:00+02:00"),
    ("منذ 5 دقائق", "2026-03-15T13:55:00+02:00"),
    ("منذ ٥ دقائق", "2026-03-15T13:55:00+02:00"),
    ("منذ 11 دقيقة", "2026-03-15T13:49:00+02:00"),
    ("منذ ساعة", "2026-03-15T13:00:00+02:00"),
    ("منذ ساعتين", "2026-03-15T12:00:00+02:00"),
    ("منذ 3 ساعات", "2026-03-15T11:00:00+02:00"),
    ("منذ ثلاث ساعات", "2026-03-15T11:00:00+02:00"),
    ("منذ يوم", "2026-03-14T14:00:00+02:00"),
    ("منذ يومين", "2026-03-13T14:00:00+02:00"),
    ("منذ أسبوع", "2026-03-08T14:00:00+02:00"),
    ("منذ أسبوعين", "2026-03-01T14:00:00+02:00"),
    ("قبل 3 أيام", "2026-03-12T14:00:00+02:00"),
    ("قبل شهر", "2026-02-15T14:00:00+02:00"),
    ("منذ شهرين", "2026-01-15T14:00:00+02:00"),
    ("قبل سنة", "2025-03-15T14:00:00+02:00"),
    ("نُشر منذ 30 ثانية", "2026-03-15T13:59:30+02:00"),
    ("أمس", "2026-03-14T00:00:00+02:00"),
    ("أول أمس", "2026-03-13T00:00:00+02:00"),
    ("أول من أمس", "2026-03-13T00:00:00+02:00"),
    ("اليوم", "2026-03-15T00:00:00+02:00"),
    ("أمس الساعة 14:30", "2026-03-14T14:30:00+02:00"),
    ("اليوم 09:15 ص", "2026-03-15T09:15:00+02:00"),
    ("البارحة 11:40 مساءً", "2026-03-14T23:40:00+02:00"),
    ("منذ 3 أيام بتوقيت مكة المكرمة", "2026-03-12T15:00:00+03:00"),
    ("الآن", "2026-03-15T14:00:00+02:00"),
]


@pytest.mark.parametrize(("text", "expected"), RELATIVE)
def test_relative(text: str, expected: str) -> None:
    result = parse_date(text, now=NOW, tz=CAIRO)
    assert result is not None
    assert result.tzinfo is not None
    assert result.isoformat() == expected


def test_durations_are_real_time_across_a_dst_change() -> None:
    # Egypt moved to +03:00 on 2026-04-24; two weeks before 1 May 12:00 UTC is 17 April 12:00 UTC.
    result = parse_date("منذ أسبوعين", now=datetime(2026, 5, 1, 12, 0, tzinfo=UTC), tz=CAIRO)
    assert result is not None and result.tzinfo is not None
    assert result.isoformat() == "2026-04-17T14:00:00+02:00"


def test_month_arithmetic_clamps_the_day() -> None:
    result = parse_date("قبل شهر", now=datetime(2026, 3, 31, 9, 0, tzinfo=UTC), tz="UTC")
    assert result is not None and result.tzinfo is not None
    assert result.isoformat() == "2026-02-28T09:00:00+00:00"


def test_naive_now_is_read_in_the_source_zone() -> None:
    result = parse_date("منذ ساعة", now=datetime(2026, 3, 15, 14, 0), tz=CAIRO)
    assert result is not None and result.tzinfo is not None
    assert result.isoformat() == "2026-03-15T13:00:00+02:00"


def test_default_now_is_the_clock() -> None:
    before = datetime.now(UTC)
    result = parse_date("منذ 5 دقائق", tz=CAIRO)
    after = datetime.now(UTC)
    assert result is not None and result.tzinfo is not None
    assert before - timedelta(minutes=5) <= result <= after - timedelta(minutes=5)


FALLBACK: list[tuple[str, str]] = [  # wordings only dateparser knows; still aware, still anchored
    ("الأسبوع الماضي", "2026-03-08T14:00:00+02:00"),
    ("yesterday", "2026-03-14T14:00:00+02:00"),
    ("2 days ago", "2026-03-13T14:00:00+02:00"),
]


@pytest.mark.parametrize(("text", "expected"), FALLBACK)
def test_dateparser_fallback(text: str, expected: str) -> None:
    result = parse_date(text, now=NOW, tz=CAIRO)
    assert result is not None
    assert result.tzinfo is not None
    assert result.isoformat() == expected


def test_bare_hijri_year_is_no_date() -> None:
    from crawler.parsers.dates import parse_date

    assert parse_date("1447 هـ", tz="Africa/Cairo") is None
