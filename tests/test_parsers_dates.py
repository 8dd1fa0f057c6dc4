"""parse_date: one row per regional convention, with a frozen "now" and exact ISO values."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from babel import Locale

from crawler.parsers.dates import parse_date
from crawler.parsers.dates.months import ARABIC_LOCALES

NOW = datetime(2026, 3, 15, 12, 0, tzinfo=UTC)  # 14:00 in Cairo, 15:00 in Riyadh

CAIRO, RIYADH, AMMAN, DAMASCUS = "Africa/Cairo", "Asia/Riyadh", "Asia/Amman", "Asia/Damascus"
BEIRUT, BAGHDAD, TUNIS, ALGIERS = "Asia/Beirut", "Asia/Baghdad", "Africa/Tunis", "Africa/Algiers"
CASABLANCA = "Africa/Casablanca"

CASES: list[tuple[str, str | None, str]] = [
    # Egyptian / Gulf month names (CLDR ar_EG) and their spelling variants (config/date_variants.yaml)
    ("الإثنين، 24 أغسطس 2020 09:23 ص", CAIRO, "2020-08-24T09:23:00+02:00"),
    ("الأربعاء، 07 أكتوبر 2020 - 12:09 م", CAIRO, "2020-10-07T12:09:00+02:00"),
    ("الإثنين، 13 مايو 2024 06:00 ص", CAIRO, "2024-05-13T06:00:00+03:00"),  # Egyptian DST is back
    ("15 يناير 2023", RIYADH, "2023-01-15T00:00:00+03:00"),
    ("3 فبراير 2022 الساعة 14:30", RIYADH, "2022-02-03T14:30:00+03:00"),
    ("1 يونيه 2021", CAIRO, "2021-06-01T00:00:00+02:00"),
    ("10 يوليه 2019", CAIRO, "2019-07-10T00:00:00+02:00"),
    ("5 إبريل 2022", CAIRO, "2022-04-05T00:00:00+02:00"),
    ("20 ابريل 2021", None, "2021-04-20T00:00:00+00:00"),
    ("7 اغسطس 2018", RIYADH, "2018-08-07T00:00:00+03:00"),
    ("2 نوڤمبر 2020", RIYADH, "2020-11-02T00:00:00+03:00"),
    ("السبت 1 أغسطـس 2020", RIYADH, "2020-08-01T00:00:00+03:00"),  # tatweel inside the month
    # Levantine / Iraqi (CLDR ar_SY, ar_IQ)
    ("تم نشره الجمعة 24 نيسان / أبريل 2020 09:22 مساءً", AMMAN, "2020-04-24T21:22:00+03:00"),
    ("بروكسل، 9 تشرين الأول 2009", "Europe/Brussels", "2009-10-09T00:00:00+02:00"),
    ("1 كانون الثاني 2021", DAMASCUS, "2021-01-01T00:00:00+02:00"),
    ("14 شباط 2019", BEIRUT, "2019-02-14T00:00:00+02:00"),
    ("21 آذار 2023", DAMASCUS, "2023-03-21T00:00:00+03:00"),  # Syria on +03:00 all year since 2022
    ("5 أيار 2017", BEIRUT, "2017-05-05T00:00:00+03:00"),
    ("30 حزيران 2015", BAGHDAD, "2015-06-30T00:00:00+03:00"),
    ("4 تموز 2016", BAGHDAD, "2016-07-04T00:00:00+03:00"),
    ("12 آب/أغسطس 2020", AMMAN, "2020-08-12T00:00:00+03:00"),
    ("3 أيلول 2024", BEIRUT, "2024-09-03T00:00:00+03:00"),
    ("25 تشرين الثاني 2021", BEIRUT, "2021-11-25T00:00:00+02:00"),
    ("31 كانون الأول 2022", DAMASCUS, "2022-12-31T00:00:00+03:00"),
    ("10 كانون ثاني 2020", DAMASCUS, "2020-01-10T00:00:00+02:00"),
    ("15 مايس 2019", BAGHDAD, "2019-05-15T00:00:00+03:00"),
    ("نيسان / أبريل 2020", AMMAN, "2020-04-01T00:00:00+03:00"),  # month only: its first day
    ("7 أبريل (نيسان) 2021", AMMAN, "2021-04-07T00:00:00+03:00"),
    # Algerian / Tunisian (CLDR ar_DZ, ar_TN)
    ("الجمعة 8 فيفري 2019", TUNIS, "2019-02-08T00:00:00+01:00"),
    ("12 جانفي 2020", ALGIERS, "2020-01-12T00:00:00+01:00"),
    ("3 أفريل 2021", TUNIS, "2021-04-03T00:00:00+01:00"),
    ("1 ماي 2022", ALGIERS, "2022-05-01T00:00:00+01:00"),
    ("20 جوان 2018", TUNIS, "2018-06-20T00:00:00+01:00"),
    ("5 جويلية 2023", ALGIERS, "2023-07-05T00:00:00+01:00"),
    ("15 أوت 2017", TUNIS, "2017-08-15T00:00:00+01:00"),
    # Moroccan (CLDR ar_MA); Morocco drops to +00:00 during Ramadan
    ("9 يوليوز 2021", CASABLANCA, "2021-07-09T00:00:00+01:00"),
    ("20 غشت 2022", CASABLANCA, "2022-08-20T00:00:00+01:00"),
    ("1 شتنبر 2020", CASABLANCA, "2020-09-01T00:00:00+01:00"),
    ("11 نونبر 2019", CASABLANCA, "2019-11-11T00:00:00+01:00"),
    ("25 دجنبر 2023", CASABLANCA, "2023-12-25T00:00:00+01:00"),
    ("الأحد 14 أبريل 2024", CASABLANCA, "2024-04-14T00:00:00+00:00"),
    # era markers after the year
    ("23 نوفمبر 2026م", CAIRO, "2026-11-23T00:00:00+02:00"),
    ("23 نوفمبر 2026 م", CAIRO, "2026-11-23T00:00:00+02:00"),
    ("10 مارس 2024 ميلادي", RIYADH, "2024-03-10T00:00:00+03:00"),
    # Arabic-Indic and Persian digits
    ("١٥ مارس ٢٠٢٤", RIYADH, "2024-03-15T00:00:00+03:00"),
    ("۱۵ مارس ۲۰۲۴", RIYADH, "2024-03-15T00:00:00+03:00"),
    ("٢٤/٠٨/٢٠٢٠", CAIRO, "2020-08-24T00:00:00+02:00"),
    ("الساعة ١٠:٣٠ صباحاً ٥ مايو ٢٠٢١", RIYADH, "2021-05-05T10:30:00+03:00"),
    # day periods
    ("الخميس 12 مارس 2020 10:30 صباحاً", RIYADH, "2020-03-12T10:30:00+03:00"),
    ("الخميس 12 مارس 2020 08:15 مساءً", RIYADH, "2020-03-12T20:15:00+03:00"),
    ("الجمعة 13 مارس 2020 12:30 ظهراً", RIYADH, "2020-03-13T12:30:00+03:00"),
    ("13 مارس 2020 1:45 ظهرا", RIYADH, "2020-03-13T13:45:00+03:00"),
    ("13 مارس 2020 12:05 ص", RIYADH, "2020-03-13T00:05:00+03:00"),
    ("13 مارس 2020 11:00 ليلاً", RIYADH, "2020-03-13T23:00:00+03:00"),
    ("13 مارس 2020 الساعة 3 عصراً", RIYADH, "2020-03-13T15:00:00+03:00"),
    ("13 مارس 2020 14:30 م", RIYADH, "2020-03-13T14:30:00+03:00"),
    # zones written in the text win over the source's zone
    ("الخميس 12 مارس 2020 الساعة 10:30 صباحاً بتوقيت مكة المكرمة", None, "2020-03-12T10:30:00+03:00"),
    ("5 مايو 2020 الساعة 9:00 بتوقيت القاهرة", RIYADH, "2020-05-05T09:00:00+02:00"),
    ("5 مايو 2020 14:00 بتوقيت غرينتش", RIYADH, "2020-05-05T14:00:00+00:00"),
    ("5 مايو 2020 14:00 بتوقيت دمشق", None, "2020-05-05T14:00:00+03:00"),
    ("5 مايو 2020 14:00 بتوقيت بيروت", None, "2020-05-05T14:00:00+03:00"),
    ("5 مايو 2020 14:00 بتوقيت أبوظبي", None, "2020-05-05T14:00:00+04:00"),
    ("5 مايو 2020 14:00 بتوقيت الرياض", CAIRO, "2020-05-05T14:00:00+03:00"),
    ("5 مايو 2020 14:00 حسب توقيت تونس", None, "2020-05-05T14:00:00+01:00"),
    ("5 مايو 2020 14:00 GMT+3", CAIRO, "2020-05-05T14:00:00+03:00"),
    ("5 مايو 2020 14:00 (UTC+2)", RIYADH, "2020-05-05T14:00:00+02:00"),
    ("5 مايو 2020 14:00 (ت.غ)", RIYADH, "2020-05-05T14:00:00+00:00"),
    # English
    ("November 9, 2020", BEIRUT, "2020-11-09T00:00:00+02:00"),
    ("9 November 2020", None, "2020-11-09T00:00:00+00:00"),
    ("Feb. 19 2020", None, "2020-02-19T00:00:00+00:00"),
    ("Sept 3, 2021", None, "2021-09-03T00:00:00+00:00"),
    ("March 13, 2020 3:00 PM", RIYADH, "2020-03-13T15:00:00+03:00"),
    # ISO 8601
    ("2020-08-24T09:23:13Z", CAIRO, "2020-08-24T09:23:13+00:00"),
    ("2020-08-24T09:23:13+03:00", CAIRO, "2020-08-24T09:23:13+03:00"),
    ("2020-08-24T09:23:13", CAIRO, "2020-08-24T09:23:13+02:00"),
    ("2020-08-24", RIYADH, "2020-08-24T00:00:00+03:00"),
    ("2020-08-24 09:23", None, "2020-08-24T09:23:00+00:00"),
    ("2020-08-24T09:23:13.123456+0530", None, "2020-08-24T09:23:13+05:30"),
    # Hijri (Umm al-Qura); a Gregorian date printed beside it wins
    ("5 جمادى الأولى 1447 هـ", RIYADH, "2025-10-27T00:00:00+03:00"),
    ("1447/05/05هـ", RIYADH, "2025-10-27T00:00:00+03:00"),
    ("١٤٤٧/٠٥/٠٥ هـ", RIYADH, "2025-10-27T00:00:00+03:00"),
    ("5 رمضان 1445هـ", RIYADH, "2024-03-15T00:00:00+03:00"),
    ("1 محرم 1446 هـ", RIYADH, "2024-07-07T00:00:00+03:00"),
    ("ذي الحجة 1445 هـ", RIYADH, "2024-06-07T00:00:00+03:00"),
    ("10 شوال 1445 هـ - 20 أبريل 2024", RIYADH, "2024-04-20T00:00:00+03:00"),
    ("الخميس 4 رمضان 1445 هـ الموافق 14 مارس 2024م 09:00 ص", RIYADH, "2024-03-14T09:00:00+03:00"),
    # numeric, day first
    ("24/08/2020", CAIRO, "2020-08-24T00:00:00+02:00"),
    ("24-08-2020", CAIRO, "2020-08-24T00:00:00+02:00"),
    ("24.08.2020", CAIRO, "2020-08-24T00:00:00+02:00"),
    ("5/3/2021", CAIRO, "2021-03-05T00:00:00+02:00"),
    ("2020/08/24", CAIRO, "2020-08-24T00:00:00+02:00"),
    ("2020/8/4", CAIRO, "2020-08-04T00:00:00+02:00"),
    ("11/25/2023", CAIRO, "2023-11-25T00:00:00+02:00"),  # month first only when unambiguous
    ("نشر في 24/08/2020 - 10:15 ص", CAIRO, "2020-08-24T10:15:00+02:00"),
    # no year: this year, or last year when that would be in the future
    ("15 مارس", CAIRO, "2026-03-15T00:00:00+02:00"),
    ("20 ديسمبر", CAIRO, "2025-12-20T00:00:00+02:00"),
    # a time alone: today in the zone
    ("الساعة 14:30", CAIRO, "2026-03-15T14:30:00+02:00"),
]


@pytest.mark.parametrize(("text", "tz", "expected"), CASES)
def test_parse_date(text: str, tz: str | None, expected: str) -> None:
    result = parse_date(text, now=NOW, tz=tz)
    assert result is not None
    assert result.tzinfo is not None
    assert result.isoformat() == expected


NOT_DATES = [
    "", "   ", "مرحبا بكم", "hello world", "2020", "12345", "مرحبا 12345",
    "عام 2026",  # a bare year is not a point in time
    "منذ ساعات",  # «hours ago»: too vague
    "قبل شهر رمضان",  # a month name, not «a month ago»
    "\x00\x01",
]


@pytest.mark.parametrize("text", NOT_DATES)
def test_not_a_date(text: str) -> None:
    assert parse_date(text, now=NOW, tz=CAIRO) is None


IMPOSSIBLE = [
    "31 شباط 2020", "30 فبراير 2021", "29 فبراير 2023", "31 نيسان 2020", "32 مايو 2020",
    "0 مايو 2020", "13/13/2020", "31/04/2021", "2021-02-30", "30 صفر 1447 هـ", "31 جوان 2019",
    "29 فيفري 2019", "31 نونبر 2020", "31 September 2020",
]


@pytest.mark.parametrize("text", IMPOSSIBLE)
def test_impossible_date_is_none(text: str) -> None:
    assert parse_date(text, now=NOW, tz=CAIRO) is None


def test_invalid_time_keeps_the_date() -> None:
    result = parse_date("24 أغسطس 2020 25:61", now=NOW, tz=CAIRO)
    assert result is not None and result.tzinfo is not None
    assert result.isoformat() == "2020-08-24T00:00:00+02:00"


def test_tz_may_be_a_tzinfo() -> None:
    result = parse_date("24 أغسطس 2020 09:23 ص", tz=timezone(timedelta(hours=3)))
    assert result is not None and result.tzinfo is not None
    assert result.isoformat() == "2020-08-24T09:23:00+03:00"


def test_default_zone_is_utc() -> None:
    result = parse_date("24 أغسطس 2020")
    assert result is not None and result.tzinfo is not None
    assert result.isoformat() == "2020-08-24T00:00:00+00:00"


def test_unknown_tz_name_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="unknown time zone 'Mars/Olympus'"):
        parse_date("24 أغسطس 2020", tz="Mars/Olympus")


@pytest.mark.parametrize("locale_name", ARABIC_LOCALES)
@pytest.mark.parametrize("context", ["format", "stand-alone"])
@pytest.mark.parametrize("width", ["wide", "abbreviated"])
def test_every_cldr_month_name_parses(locale_name: str, context: str, width: str) -> None:
    """Every month spelling CLDR gives for an Arabic locale reads as that month."""
    for number, name in Locale.parse(locale_name).months[context][width].items():
        result = parse_date(f"7 {name} 2021", tz="UTC")
        assert result is not None and result.tzinfo is not None
        assert result.isoformat() == f"2021-{number:02d}-07T00:00:00+00:00", name
