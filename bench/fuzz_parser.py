"""Fuzz the article parser with hypothesis: any bytes, any headers → an Article or ExtractionError.

Generated pages mix real page structure (headings, paragraphs, tables, JSON-LD, meta dates,
nesting) with hostile content (broken JSON, impossible dates, random bytes, mixed encodings).
Invariants: no other exception escapes; dates are timezone-aware and not in the future; the body
is plain text (no tags); the fetch time is carried over.

    python bench/fuzz_parser.py --seconds 180
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from crawler.parsers.page import ExtractionError, PageInput, SourceInfo
from crawler.parsers.registry import parse_article

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
ARABIC_WORDS = ["وزارة", "الاتصالات", "أذربيجان", "الدكتور", "عمرو", "طلعت", "اقرأ أيضاً", "تابعونا على",
                "31 شباط 2026", "منذ 3 ساعات", "الأحد 15 تشرين الثاني 2026", "1447 هـ", "٢٣ نوفمبر ٢٠٢٦م", "«طلعت»"]
DATES = ["2026-11-20T10:30:00+01:00", "2026-02-31T10:00:00Z", "9999-99-99", "", "not a date", "31 شباط 2026",
         "2026-11-22T09:23:13Z", "0001-01-01", "10/11/2026", "منذ ساعتين"]

words = st.lists(st.sampled_from(ARABIC_WORDS) | st.text(max_size=12), min_size=0, max_size=30).map(" ".join)
TAGS = ["div", "p", "span", "h1", "h2", "article", "td", "font", "b", "a", "li", "nav", "footer", "aside", "time"]
CLASSES = ["", "entry-content", "share-bar", "related", "date", "author", "sidebar", "title", "text", "info"]


@st.composite
def elements(draw: st.DrawFn, depth: int = 0) -> str:
    tag = draw(st.sampled_from(TAGS))
    cls = draw(st.sampled_from(CLASSES))
    inner = draw(words)
    if depth < 4:
        inner += "".join(draw(st.lists(elements(depth + 1), max_size=4)))
    if draw(st.booleans()):
        inner += "<br>" + draw(words)
    closing = "" if draw(st.integers(0, 9)) == 0 else f"</{tag}>"  # sometimes unclosed
    return f'<{tag} class="{cls}">{inner}{closing}'


@st.composite
def pages(draw: st.DrawFn) -> tuple[bytes, str]:
    head = f"<title>{draw(words)}</title>"
    head += f'<meta property="article:published_time" content="{draw(st.sampled_from(DATES))}">'
    json_ld = draw(st.sampled_from(['{"@type": "NewsArticle", "headline": "x", "datePublished": "%s"}',
                                    '{"@graph": [{"@type": "NewsArticle", "author": [[[{"name": 1}]]]}',
                                    '{"@type": ["Article", "NewsArticle"], "headline": %s}', "[[[[[[]]]]]]"]))
    head += f'<script type="application/ld+json">{json_ld.replace("%s", draw(st.sampled_from(DATES)))}</script>'
    body = "".join(draw(st.lists(elements(), max_size=8)))
    nesting = draw(st.integers(0, 3000)) if draw(st.integers(0, 20)) == 0 else 0
    html = f"<html><head>{head}</head><body>{'<div>' * nesting}{body}</body></html>"
    encoding = draw(st.sampled_from(["utf-8", "cp1256", "utf-16", "iso-8859-6"]))
    raw = html.encode(encoding, errors="replace")
    if draw(st.integers(0, 10)) == 0:
        raw = draw(st.binary(max_size=2000))  # pure noise
    content_type = draw(st.sampled_from(["text/html", f"text/html; charset={encoding}", "text/html; charset=bogus",
                                         "", "application/pdf", "text/html; charset=utf-8"]))
    return raw, content_type


def check(raw: bytes, content_type: str) -> None:
    page = PageInput("https://fuzz.example/a?utm_source=x", raw, {"content-type": content_type}, NOW)
    try:
        article = parse_article(page, SourceInfo("fuzz", "Africa/Cairo"))
    except ExtractionError as error:
        assert "https://fuzz.example/a" in str(error)
        return
    for value in (article.published_at, article.modified_at):
        if value is not None:
            assert value.tzinfo is not None
            assert value <= NOW + timedelta(days=1)
    assert article.fetched_at == NOW
    assert "<p>" not in article.body and article.body
    assert article.title


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Fuzz the article parser for a while.")
    parser.add_argument("--seconds", type=float, default=180.0)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.ERROR)  # the parser logs every bad page; the fuzzer makes thousands
    deadline = time.monotonic() + args.seconds
    examples = 0

    @settings(max_examples=200, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(pages())
    def run(page: tuple[bytes, str]) -> None:
        nonlocal examples
        examples += 1
        check(*page)

    while time.monotonic() < deadline:
        run()
    print(f"fuzzed {examples} pages in {args.seconds:.0f}s: no unexpected exception, invariants held")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
