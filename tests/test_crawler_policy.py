"""Which canonical URLs a page may claim and which redirects a source follows."""

from __future__ import annotations

import pytest

from crawler.policy import canonical_refusal, redirect_refusal
from crawler.sources import Source

SOURCE = Source(name="site", domains=["example.com"], feeds=["https://www.example.com/feed/"],
                article_pattern=r"^https?://(www\.|m\.)?example\.com/news/\d+/?$")
PAGE = "https://www.example.com/news/1/"


@pytest.mark.parametrize(("declared", "refusal"), [
    ("https://www.example.com/news/1/", None),
    ("https://m.example.com/news/1/", None),  # a mobile variant names the article: same site
    ("https://example.com/news/2/", None),
    ("https://other.org/news/1/", "it is on another site"),
    ("http://127.0.0.1/news/1/", "it is on another site"),
    ("https://www.example.com/", "it does not match the source's article_pattern"),  # every page → home
    ("https://www.example.com/tag/x", "it does not match the source's article_pattern"),
])
def test_canonical_refusal(declared: str, refusal: str | None) -> None:
    assert canonical_refusal(declared, PAGE, SOURCE) == refusal


def test_canonical_on_the_same_site_but_off_the_source() -> None:
    narrow = SOURCE.model_copy(update={"domains": ["news.example.com"]})
    assert canonical_refusal("https://blog.example.com/news/1/", "https://news.example.com/news/1/", narrow) == (
        "it is off the source's domains ['news.example.com']")


@pytest.mark.parametrize(("kind", "chain", "target", "refusal"), [
    ("article", [PAGE], "https://www.example.com/news/2/", None),
    ("article", ["http://www.example.com/news/1/"], "https://www.example.com/news/1/", None),  # https upgrade
    ("article", ["https://example.com/news/1/"], "https://www.example.com/news/1/", None),  # www of the same site
    ("article", [PAGE], "https://www.example.com/login?next=/news/1/",
     "the target does not match the source's article_pattern"),
    ("feed", ["https://www.example.com/feed/"], "https://www.example.com/feed/rss2/", None),
    ("article", [PAGE], "https://evil.org/news/1/", "another host, off the source's domains"),
    ("article", ["http://www.example.com:8080/news/1/"], "http://www.example.com:9090/news/1/", "another host or port"),
    ("article", ["http://www.example.com/news/1/"], "http://m.example.com:8080/news/1/", "another host or port"),
    ("article", [PAGE, "https://www.example.com/news/2/"], PAGE, "redirect loop"),
    ("article", [PAGE], PAGE + "#x", "redirect loop"),
])
def test_redirect_refusal(kind: str, chain: list[str], target: str, refusal: str | None) -> None:
    assert redirect_refusal(SOURCE, kind, chain, target) == refusal
