"""Extraction confidence: 1.0 without doubt; each doubt lowers it and names itself."""

from __future__ import annotations

from crawler.parsers.confidence import LOW_CONFIDENCE, Signals, assess


def test_no_doubt_is_full_confidence() -> None:
    assert assess(Signals(body_chars=1500, page_chars=1600, title_origin="json-ld headline",
                          date_origin="json-ld datePublished")) == (1.0, [])


def test_fallback_body_short_and_undated_is_low_and_says_why() -> None:
    value, reasons = assess(Signals(body_layer="trafilatura", body_chars=250, page_chars=2000,
                                    title_origin="<title>", date_origin=None))
    assert value < LOW_CONFIDENCE
    assert reasons == [
        "body from the trafilatura fallback",
        "short body (250 characters of running text)",
        "body holds 250 of ≈2000 characters of running text on the page",
        "title only from <title>",
        "no publication date",
    ]


def test_confidence_stays_between_0_and_1() -> None:
    value, _ = assess(Signals(body_layer="description", body_chars=0, page_chars=5000, title_origin="<title>",
                              doubts=("a", "b", "c"), language="en", expected_language="ar"))
    assert value == 0.0
