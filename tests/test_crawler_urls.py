"""URL canonicalisation: one address per article, one key per article behind its AMP and mobile variants."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crawler.urls import article_key, canonicalize_url, registered_domain, same_site

SLUG = "/أخبار/شبكات-الجيل-الخامس"
ESCAPED = ("/%D8%A3%D8%AE%D8%A8%D8%A7%D8%B1/%D8%B4%D8%A8%D9%83%D8%A7%D8%AA-%D8%A7%D9%84%D8%AC%D9%8A%D9%84-"
           "%D8%A7%D9%84%D8%AE%D8%A7%D9%85%D8%B3")


@pytest.mark.parametrize(("given", "expected"), [
    ("HTTP://Example.COM:80/news/1?utm_source=rss&utm_medium=feed#comments", "http://example.com/news/1"),
    ("https://example.com:443/news/1?id=7&fbclid=x&page=2", "https://example.com/news/1?id=7&page=2"),
    ("http://example.com:8080/news/1", "http://example.com:8080/news/1"),
    ("http://example.com", "http://example.com/"),
    ("http://example.com./news/1?", "http://example.com/news/1"),
    (f"http://example.com{SLUG}", f"http://example.com{ESCAPED}"),
    (f"http://example.com{ESCAPED.lower()}", f"http://example.com{ESCAPED}"),
    ("http://example.com/%41%62c%7e/x%2Fy", "http://example.com/Abc~/x%2Fy"),
    ("http://مثال.مصر/خبر", "http://xn--mgbh0fb.xn--wgbh1c/%D8%AE%D8%A8%D8%B1"),
    ("  http://example.com/a b  ", "http://example.com/a%20b"),
], ids=["tracking-fragment-port", "https-default-port", "other-port", "empty-path", "trailing-dot-empty-query",
        "arabic-slug-raw", "arabic-slug-lowercase-escapes", "unreserved-escapes", "idn-host", "spaces"])
def test_canonicalize_url(given: str, expected: str) -> None:
    assert canonicalize_url(given) == expected


def test_raw_and_escaped_arabic_slugs_are_one_url() -> None:
    assert canonicalize_url(f"http://example.com{SLUG}") == canonicalize_url(f"http://EXAMPLE.com{ESCAPED.lower()}")


@given(st.text(alphabet="abcأخبار/%-_.~?=&#:", max_size=30))
def test_canonicalize_url_is_idempotent(path: str) -> None:
    once = canonicalize_url("http://example.com/" + path)
    assert canonicalize_url(once) == once


@pytest.mark.parametrize("variant", [
    "https://www.example.com/news/1/amp/",
    "http://example.com/news/1/?amp=1",
    "http://example.com/news/1/?amp",
    "https://m.example.com/news/1/",
    "https://amp.example.com/news/1/",
    "https://example.com/amp/news/1/",
    "http://example.com/news/1/?outputType=amp&utm_source=x",
])
def test_amp_and_mobile_variants_share_the_article_key(variant: str) -> None:
    assert article_key(variant) == article_key("https://www.example.com/news/1/")


def test_article_key_keeps_what_selects_content() -> None:
    assert article_key("http://example.com/article.php?id=1") != article_key("http://example.com/article.php?id=2")
    assert article_key("http://example.com/news/amp-launch/") == "http://example.com/news/amp-launch/"
    assert article_key("http://m.com/x") == "http://m.com/x", "a two-label host is no mobile variant"


def test_registered_domains() -> None:
    assert registered_domain("news.example.co.uk") == "example.co.uk"
    assert registered_domain("127.0.0.1") == "127.0.0.1"
    assert registered_domain("foo.blogspot.com") == "foo.blogspot.com", "private suffixes count"
    assert same_site("https://m.youm7.com/x", "http://www.youm7.com/y")
    assert not same_site("http://127.0.0.1:80/x", "http://127.0.0.2:80/x")
    assert not same_site("http://a.blogspot.com/", "http://b.blogspot.com/")


def test_arabic_hosts_and_slugs_in_the_configuration() -> None:
    from crawler.sources import Source

    source = Source(name="idn", domains=["مثال.مصر"], feeds=["http://مثال.مصر/feed"],
                    article_pattern=r"^http://مثال\.مصر/أخبار/\d+$")
    url = canonicalize_url("http://مثال.مصر/أخبار/12")
    assert source.domains == ["xn--mgbh0fb.xn--wgbh1c"]
    assert source.allows(url) and source.is_article_url(url), "a pattern written in Arabic matches the escaped URL"
    assert not source.is_article_url(canonicalize_url("http://مثال.مصر/رياضة/12"))
