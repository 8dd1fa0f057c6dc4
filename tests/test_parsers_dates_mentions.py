"""find_dates: dates mentioned inside an article body, with offsets into the original text."""

from __future__ import annotations

from datetime import UTC, date, datetime

from crawler.parsers.dates import DateMention, find_dates

PUBLISHED = datetime(2026, 3, 15, 10, 0, tzinfo=UTC)

PARAGRAPH = (
    "وقّع الجانبان مذكرة تفاهم للتحول الرقمي في يونيو 2024، على أن يكون عام 2026م عاماً للتعاون في "
    "الذكاء الاصطناعي. وأعلنت الوزارة يوم الإثنين ٢٣ نوفمبر ٢٠٢٦م الساعة 10:30 ص عن بدء المرحلة "
    "الثانية، بعد اجتماع عُقد قبل يومين، وكانت المرحلة الأولى قد انطلقت في 5 جمادى الأولى 1447 هـ "
    "الموافق 27 أكتوبر 2025. وقالت صحيفة اليوم السابع إن الموعد النهائي هو 31 شباط 2027."
)


def _key(m: DateMention) -> tuple[str, date | datetime, str, str]:
    return m.text, m.value, m.granularity, m.calendar


def test_paragraph_mentions() -> None:
    mentions = find_dates(PARAGRAPH, now=PUBLISHED, tz="Africa/Cairo")
    assert [_key(m) for m in mentions] == [
        ("يونيو 2024", date(2024, 6, 1), "month", "gregorian"),
        ("عام 2026م", date(2026, 1, 1), "year", "gregorian"),
        ("٢٣ نوفمبر ٢٠٢٦م الساعة 10:30 ص", mentions[2].value, "minute", "gregorian"),
        ("قبل يومين", mentions[3].value, "day", "gregorian"),
        ("5 جمادى الأولى 1447 هـ", date(2025, 10, 27), "day", "hijri"),
        ("27 أكتوبر 2025", date(2025, 10, 27), "day", "gregorian"),
    ]  # «اليوم السابع» is a newspaper; «31 شباط» does not exist
    timed, relative = mentions[2].value, mentions[3].value
    assert isinstance(timed, datetime) and timed.tzinfo is not None
    assert timed.isoformat() == "2026-11-23T10:30:00+02:00"
    assert isinstance(relative, datetime) and relative.tzinfo is not None
    assert relative.isoformat() == "2026-03-13T12:00:00+02:00"


def test_offsets_point_into_the_original_text() -> None:
    for mention in find_dates(PARAGRAPH, now=PUBLISHED):
        assert PARAGRAPH[mention.start:mention.end] == mention.text


def test_offsets_survive_diacritics_and_tatweel() -> None:
    text = "أُعْلِنَ ذلك في ١٥ مـارس ٢٠٢٤ ثم في شهر رمضان ١٤٤٥هـ."
    mentions = find_dates(text)
    assert [(m.text, m.value, m.granularity) for m in mentions] == [
        ("١٥ مـارس ٢٠٢٤", date(2024, 3, 15), "day"),
        ("شهر رمضان ١٤٤٥هـ", date(2024, 3, 11), "month"),
    ]
    for mention in mentions:
        assert text[mention.start:mention.end] == mention.text


def test_time_and_zone_after_a_date() -> None:
    text = "انطلقت القمة 12 مارس 2020 الساعة 10:30 صباحاً بتوقيت مكة المكرمة في الرياض"
    (mention,) = find_dates(text, tz="Africa/Cairo")
    assert mention.text == "12 مارس 2020 الساعة 10:30 صباحاً بتوقيت مكة المكرمة"
    assert isinstance(mention.value, datetime) and mention.value.tzinfo is not None
    assert mention.value.isoformat() == "2020-03-12T10:30:00+03:00"


def test_numbers_and_names_that_are_not_dates() -> None:
    text = "بلغ عدد المشتركين 2024 مشتركاً في 15 محافظة، وقال رجب 1500 كلمة قبل شهر رمضان منذ ساعات."
    assert find_dates(text, now=PUBLISHED) == []


def test_english_and_numeric_mentions() -> None:
    text = "The report (November 9, 2020) cites the 24/08/2020 meeting and 2021-02-03."
    assert [(m.text, m.value) for m in find_dates(text)] == [
        ("November 9, 2020", date(2020, 11, 9)),
        ("24/08/2020", date(2020, 8, 24)),
        ("2021-02-03", date(2021, 2, 3)),
    ]


def test_empty_text() -> None:
    assert find_dates("") == []
