"""The search address: parsing the parameters, the SearchRequest they make, and the links."""

from __future__ import annotations

from datetime import date, datetime
from urllib.parse import parse_qsl, urlsplit
from zoneinfo import ZoneInfo

import pytest

from core.errors import UsageError
from indexer.web.params import MAX_QUERY_CHARS, SearchParams

RIYADH = ZoneInfo("Asia/Riyadh")


def query_of(url: str) -> list[tuple[str, str]]:
    return parse_qsl(urlsplit(url).query)


def test_defaults_collapse_by_story_and_sort_by_relevance_only_with_a_query() -> None:
    params = SearchParams.parse()
    assert params.collapse and params.page == 1 and params.effective_sort == "date" and params.is_empty
    assert SearchParams.parse(q=" أذربيجان ").effective_sort == "relevance"
    assert SearchParams.parse(q="x", sort="date").effective_sort == "date"


def test_request_bounds_whole_days_in_the_readers_zone_and_pages() -> None:
    params = SearchParams.parse(q="طيف", source=["techwave", "arabnet", "techwave"], since="2026-11-01",
                                until="2026-11-03", page="3", copies="1")
    request = params.request(RIYADH, per_page=20)
    assert request.sources == ("techwave", "arabnet"), "duplicates dropped, order kept"
    assert request.since == datetime(2026, 11, 1, tzinfo=RIYADH)
    assert request.until == datetime(2026, 11, 4, tzinfo=RIYADH), "exclusive: the whole last day is in"
    assert request.since.tzinfo is not None and request.until.tzinfo is not None
    assert (request.offset, request.limit, request.collapse) == (40, 20, False)
    assert request.facets and request.histogram and request.timezone == "Asia/Riyadh"


@pytest.mark.parametrize(("name", "value", "message"), [
    ("since", "23/11/2026", "'since' must be a date"),
    ("until", "غدا", "'until' must be a date"),
    ("page", "0", "'page' must be a number"),
    ("page", "abc", "'page' must be a number"),
    ("sort", "random", "sort must be"),
    ("q", "x" * (MAX_QUERY_CHARS + 1), "longer than"),
])
def test_bad_values_are_usage_errors(name: str, value: str, message: str) -> None:
    with pytest.raises(UsageError, match=message):
        SearchParams.parse(**{name: value})  # type: ignore[arg-type]


def test_since_after_until_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="after"):
        SearchParams.parse(since="2026-11-05", until="2026-11-01")


def test_links_change_one_thing_and_return_to_the_first_page() -> None:
    params = SearchParams.parse(q="أذربيجان", source=["techwave"], page="2")
    assert query_of(params.url()) == [("q", "أذربيجان"), ("source", "techwave"), ("page", "2")]
    added = params.toggled("source", "arabnet")
    assert query_of(added.url()) == [("q", "أذربيجان"), ("source", "techwave"), ("source", "arabnet")]
    removed = params.toggled("source", "techwave")
    assert query_of(removed.url()) == [("q", "أذربيجان")]
    assert params.changed(page=3).page == 3
    assert query_of(params.changed(since=date(2026, 11, 5), until=date(2026, 11, 5)).url())[-2:] == [
        ("since", "2026-11-05"), ("until", "2026-11-05")]


def test_the_form_carries_filters_but_not_the_query_or_page() -> None:
    params = SearchParams.parse(q="x", entity=["عمرو طلعت"], since="2026-11-01", page="4", copies="1")
    assert params.hidden_fields() == [("entity", "عمرو طلعت"), ("since", "2026-11-01"), ("copies", "1")]
    assert params.filters() == [("entity", "عمرو طلعت")]


def test_hostile_values_stay_data_in_links() -> None:
    params = SearchParams.parse(q='"><script>alert(1)</script>', source=["a&b=c"])
    assert query_of(params.url()) == [("q", '"><script>alert(1)</script>'), ("source", "a&b=c")]
    assert "<" not in params.url() and '"' not in params.url()
