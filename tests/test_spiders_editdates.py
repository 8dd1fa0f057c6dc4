"""Which dates of a listing may announce an edit of a stored article."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from crawler.discovery import Listed, Parsed
from crawler.spiders.editdates import edit_dates

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


def listing(*entries: tuple[datetime | None, datetime | None]) -> Parsed:
    return Parsed("urlset", [Listed(f"http://a/{i}", published, modified) for i, (published, modified)
                             in enumerate(entries)])


def test_varied_dates_in_the_past_are_believed() -> None:
    parsed = listing((NOW - timedelta(days=1), NOW - timedelta(hours=2)), (NOW - timedelta(days=2), None))
    assert edit_dates(parsed, NOW) == ("all", None)


def test_dates_ahead_of_the_clock_announce_nothing() -> None:
    parsed = listing((NOW + timedelta(hours=3), None), (NOW - timedelta(days=1), None))
    dates, why = edit_dates(parsed, NOW)
    assert dates == "none" and why is not None and "ahead of the clock" in why
    assert edit_dates(listing((NOW + timedelta(minutes=5), None)), NOW)[0] == "all", "a clock a little off is fine"


def test_one_lastmod_for_every_entry_is_the_generation_time() -> None:
    generated = NOW - timedelta(minutes=1)
    parsed = listing(*[(NOW - timedelta(days=i), generated) for i in range(1, 5)])
    dates, why = edit_dates(parsed, NOW)
    assert dates == "published" and why is not None and "same lastmod" in why
    assert edit_dates(listing((None, generated), (None, generated)), NOW)[0] == "all", "two entries prove nothing"
