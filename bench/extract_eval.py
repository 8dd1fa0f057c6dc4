"""Extraction quality and speed: Marsad vs trafilatura (and htmldate for dates), same pages, same run.

Sets: ``fixtures`` (tests/fixtures/parsers, hand-written), ``portalworld`` (the synthetic portals'
article pages and their ground truth) and ``corpus`` (real pages in ../shared/corpus, read in place).
Per field: title exact match, date accuracy (day; minute where the gold has a time), body token F1
against the gold text, boilerplate leakage (1 - token precision, and "must not contain" snippets),
first-sentence recall, pages/s (median of --runs timed passes).

    python bench/extract_eval.py [--runs 5] [--sets fixtures,portalworld,corpus]
"""

from __future__ import annotations

import argparse
import csv
import json
import logging
import re
import statistics
import sys
import time
import urllib.request
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from crawler.parsers.page import ExtractionError, PageInput, SourceInfo  # noqa: E402
from crawler.parsers.registry import parse_article  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus"
FIXTURES = ROOT / "tests" / "fixtures" / "parsers"
CORPUS_ZONES = {
    "assabah.com.tn": "Africa/Tunis", "youm7.com": "Africa/Cairo", "akhbarelyom.com": "Africa/Cairo",
    "almadenahnews.com": "Asia/Amman", "beirutobserver.com": "Asia/Beirut", "europa.eu": "Europe/Brussels",
}
_WORD = re.compile(r"\w+")
_TAG = re.compile(r"<[^>]+>")


@dataclass
class Case:
    set_name: str
    name: str
    page: PageInput
    source: SourceInfo
    title: str | None = None
    date: str | None = None  # ISO; date-only, local wall clock, or with an offset
    body: str | None = None
    include: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)
    first_sentence: str | None = None


@dataclass
class Output:
    title: str | None = None
    date: str | None = None  # ISO as the tool gives it
    body: str | None = None


def _norm(text: str | None) -> str:
    return " ".join((text or "").split())


def tokens(text: str | None) -> Counter[str]:
    return Counter(_WORD.findall(text or ""))


def f1_precision(predicted: str | None, gold: str) -> tuple[float, float]:
    got, want = tokens(predicted), tokens(gold)
    overlap = sum((got & want).values())
    if not overlap:
        return 0.0, 0.0
    precision, recall = overlap / sum(got.values()), overlap / sum(want.values())
    return 2 * precision * recall / (precision + recall), precision


# -- loading the sets ---------------------------------------------------------------------


def fixture_cases() -> Iterator[Case]:
    for expected_path in sorted(FIXTURES.glob("*/*/expected.json")):
        case_dir = expected_path.parent
        meta = json.loads((case_dir / "meta.json").read_text(encoding="utf-8"))
        expected = json.loads(expected_path.read_text(encoding="utf-8"))
        page = PageInput(meta["url"], (case_dir / "page.html").read_bytes(), meta.get("headers", {}),
                         datetime.fromisoformat(meta["fetched_at"]))
        yield Case("fixtures", f"{case_dir.parent.name}/{case_dir.name}", page, SourceInfo(**meta["source"]),
                   title=expected.get("title"), date=expected.get("published_at"), body=expected.get("body"))


def corpus_cases(corpus: Path = CORPUS) -> Iterator[Case]:
    with (corpus / "manifest.tsv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    fetched = datetime(2026, 11, 25, tzinfo=UTC)
    for row in rows:
        truth_path = corpus / row["file"].replace(".html", ".truth.json")
        truth: dict[str, Any] = json.loads(truth_path.read_text(encoding="utf-8")) if truth_path.exists() else {}
        url = row["original_url"] or truth.get("url") or f"https://{row['publisher_domain']}/{row['file']}"
        body_gold: str | None = None
        if "expected" in truth and truth["expected"].get("content"):
            body_gold = truth["expected"]["content"]
        elif truth.get("reference_html"):
            body_gold = _TAG.sub(" ", truth["reference_html"])
        entry = truth.get("entry", {})
        page = PageInput(url, (corpus / row["file"]).read_bytes(), {"content-type": "text/html"}, fetched)
        source = SourceInfo(row["publisher_domain"], CORPUS_ZONES.get(row["publisher_domain"], "UTC"))
        yield Case("corpus", row["file"], page, source, title=row["title"], date=row["published"] or None,
                   body=body_gold, include=list(entry.get("with", [])), exclude=list(entry.get("without", [])),
                   first_sentence=row["first_sentence"] or None)


def fetch_page(url: str) -> PageInput:
    """GET ``url`` from the portal world over real HTTP (loopback only)."""
    with urllib.request.urlopen(url, timeout=10) as response:  # loopback portal world only
        headers = {key.lower(): value for key, value in response.headers.items()}
        return PageInput(url, response.read(), headers, datetime.now(UTC))


def portalworld_cases() -> Iterator[Case]:
    from crawler.portalworld import PortalWorld

    with PortalWorld() as world:
        zones = {source["name"]: source["timezone"] for source in world.sources_config()["sources"]}
        pages = [(expected, fetch_page(expected["canonical_url"])) for expected in world.expected_articles()]
    for expected, page in pages:
        source = SourceInfo(expected["portal"], zones[expected["portal"]], "ar")
        yield Case("portalworld", expected["id"], page, source, title=expected["title"],
                   date=expected["published"].isoformat(), body=expected["body"])


# -- the tools ------------------------------------------------------------------------------


def run_marsad(case: Case) -> Output:
    try:
        article = parse_article(case.page, case.source)
    except ExtractionError:
        return Output()
    date = article.published_at.isoformat() if article.published_at else None
    return Output(article.title, date, article.body)


def run_trafilatura(case: Case) -> Output:
    from trafilatura import bare_extraction

    document = bare_extraction(case.page.body, url=case.page.url, with_metadata=True)
    if document is None:
        return Output()
    data = document.as_dict() if hasattr(document, "as_dict") else dict(document)
    return Output(data.get("title"), data.get("date"), data.get("text"))


def run_htmldate(case: Case) -> Output:
    from htmldate import find_date

    found = find_date(case.page.body, url=case.page.url, outputformat="%Y-%m-%dT%H:%M", extensive_search=True)
    return Output(date=found)


TOOLS: dict[str, Callable[[Case], Output]] = {
    "marsad": run_marsad, "trafilatura": run_trafilatura, "htmldate": run_htmldate,
}
DATE_ONLY = {"htmldate"}


# -- scoring --------------------------------------------------------------------------------


def _date_scores(gold: str, got: str | None, tool: str) -> tuple[bool, bool | None]:
    """(day correct, minute correct or None when the gold or the tool has no time)."""
    if not got:
        return False, (False if "T" in gold and tool == "marsad" else None)
    day = got[:10] == gold[:10]
    if "T" not in gold or tool == "trafilatura" or (tool == "htmldate" and got.endswith("T00:00")):
        return day, None
    gold_dt, got_dt = datetime.fromisoformat(gold), datetime.fromisoformat(got)
    if gold_dt.tzinfo is not None and got_dt.tzinfo is not None:
        return day, abs((gold_dt - got_dt).total_seconds()) < 60
    return day, got[:16] == gold[:16]


def score(cases: list[Case], outputs: list[Output], tool: str) -> dict[str, Any]:
    titles, days, minutes, f1s, leaks, excl, firsts = [], [], [], [], [], [], []
    for case, out in zip(cases, outputs, strict=True):
        if case.title is not None and tool not in DATE_ONLY:
            titles.append(_norm(out.title) == _norm(case.title))
        if case.date:
            day, minute = _date_scores(case.date, out.date, tool)
            days.append(day)
            if minute is not None:
                minutes.append(minute)
        if tool in DATE_ONLY:
            continue
        if case.body:
            f1, precision = f1_precision(out.body, case.body)
            f1s.append(f1)
            leaks.append(1 - precision)
        body = _norm(out.body)
        for snippet in case.exclude:
            excl.append(_norm(snippet) in body)
        if case.include:
            leaks_missing = [(_norm(snippet) in body) for snippet in case.include]
            firsts.extend(leaks_missing)
        if case.first_sentence:
            firsts.append(_norm(case.first_sentence)[:60] in body)

    def mean(values: list[bool] | list[float]) -> str:
        return f"{statistics.fmean(values):.3f} ({len(values)})" if values else "n/a"

    return {"title exact": mean(titles), "date day": mean(days), "date minute": mean(minutes),
            "body F1": mean(f1s), "leakage 1-P": mean(leaks), "junk snippets": mean(excl),
            "must-have text": mean(firsts)}


def timed(tool: Callable[[Case], Output], cases: list[Case], runs: int) -> tuple[list[Output], float]:
    outputs: list[Output] = []
    rates = []
    for case in cases[:3]:
        tool(case)  # warm-up: imports and caches are not part of the rate
    for _ in range(runs):
        start = time.perf_counter()
        outputs = [tool(case) for case in cases]
        rates.append(len(cases) / (time.perf_counter() - start))
    return outputs, statistics.median(rates)


def table(rows: list[dict[str, str]]) -> str:
    columns = list(rows[0])
    widths = {col: max(len(col), *(len(row[col]) for row in rows)) for col in columns}
    lines = [" | ".join(col.ljust(widths[col]) for col in columns), "-+-".join("-" * widths[c] for c in columns)]
    lines += [" | ".join(row[col].ljust(widths[col]) for col in columns) for row in rows]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="timed passes per tool and set (median reported)")
    parser.add_argument("--sets", default="fixtures,portalworld,corpus")
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--show", action="store_true", help="print per-page Marsad misses")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.ERROR)
    loaders: dict[str, Callable[[], Iterator[Case]]] = {
        "fixtures": fixture_cases, "portalworld": portalworld_cases, "corpus": lambda: corpus_cases(args.corpus),
    }
    rows: list[dict[str, str]] = []
    for set_name in args.sets.split(","):
        try:
            cases = list(loaders[set_name]())
        except (ImportError, OSError) as error:
            print(f"set {set_name!r} unavailable: {error}", file=sys.stderr)
            continue
        for tool_name, tool in TOOLS.items():
            outputs, rate = timed(tool, cases, args.runs)
            rows.append({"set": f"{set_name} ({len(cases)})", "tool": tool_name,
                         **score(cases, outputs, tool_name), "pages/s": f"{rate:.1f}"})
            if args.show and tool_name == "marsad":
                _show_misses(cases, outputs)
    print(table(rows))
    return 0


def _show_misses(cases: list[Case], outputs: list[Output]) -> None:
    for case, out in zip(cases, outputs, strict=True):
        notes = []
        if case.title is not None and _norm(out.title) != _norm(case.title):
            notes.append(f"title {out.title!r}")
        if case.date and not _date_scores(case.date, out.date, "marsad")[0]:
            notes.append(f"date {out.date} want {case.date}")
        if case.body:
            f1, precision = f1_precision(out.body, case.body)
            if f1 < 0.95:
                notes.append(f"body F1 {f1:.3f} P {precision:.3f}")
        if notes:
            print(f"  {case.set_name}/{case.name}: " + "; ".join(notes), file=sys.stderr)


if __name__ == "__main__":
    raise SystemExit(main())
