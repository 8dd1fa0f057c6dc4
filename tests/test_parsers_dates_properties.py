"""Property tests: parse_date and find_dates never raise and never return naive datetimes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from hypothesis import given, settings
from hypothesis import strategies as st

from crawler.parsers.dates import find_dates, parse_date
from crawler.parsers.dates.clock import DAY_PERIODS
from crawler.parsers.dates.months import GREGORIAN_MONTHS, HIJRI_MONTHS
from crawler.parsers.dates.zones import ZONE_WORDS

_TOKENS = sorted(
    {*GREGORIAN_MONTHS, *HIJRI_MONTHS, *DAY_PERIODS, *ZONE_WORDS}
    | {"منذ", "قبل", "أمس", "اليوم", "الساعة", "بتوقيت", "GMT", "هـ", "م", "ساعات", "يومين", "دقيقة",
       "T", "Z", ":", "/", "-", ".", "+", "،", "(", ")", "ـ", "\u064b", "\u200f", "٠", "٩", "۵"}
)
_NUMBERS = st.integers(min_value=0, max_value=99999).map(str)
_DATEISH = st.lists(st.one_of(st.sampled_from(_TOKENS), _NUMBERS), max_size=12).map(" ".join)
_GLUED = st.lists(st.one_of(st.sampled_from(_TOKENS), _NUMBERS), max_size=12).map("".join)
_TEXT = st.one_of(st.text(max_size=200), _DATEISH, _GLUED)
_NOW = st.one_of(
    st.none(),
    st.datetimes(timezones=st.just(UTC)),
    st.sampled_from([datetime.min.replace(tzinfo=UTC), datetime.max.replace(tzinfo=UTC)]),
)
_TZ = st.sampled_from([None, "UTC", "Africa/Cairo", "America/Los_Angeles", "Pacific/Kiritimati",
                       timezone(timedelta(hours=-12)), timezone(timedelta(hours=14))])


@settings(max_examples=600, deadline=None)
@given(text=_TEXT, now=_NOW, tz=_TZ)
def test_parse_date_never_raises_and_is_aware(text: str, now: datetime | None, tz: object) -> None:
    result = parse_date(text, now=now, tz=tz)  # type: ignore[arg-type]
    assert result is None or (result.tzinfo is not None and result.utcoffset() is not None)


@settings(max_examples=400, deadline=None)
@given(text=_TEXT, now=_NOW, tz=_TZ)
def test_find_dates_never_raises_and_offsets_hold(text: str, now: datetime | None, tz: object) -> None:
    for mention in find_dates(text, now=now, tz=tz):  # type: ignore[arg-type]
        assert text[mention.start:mention.end] == mention.text
        assert mention.text.strip()
        if isinstance(mention.value, datetime):
            assert mention.value.tzinfo is not None and mention.value.utcoffset() is not None
