"""Extraction quality and speed: Marsad vs trafilatura (and htmldate for dates), same pages, same run.

Sets: ``fixtures`` (tests/fixtures/parsers, hand-written: the template zoo, older layouts and
non-article pages), ``portalworld`` (the synthetic portals' article pages and their ground truth)
and ``corpus`` (real pages in ../shared/corpus, read in place).

Tools: ``marsad`` (the full pipeline: per-portal parsers, template hints, every field),
``marsad-generic`` (no per-portal parser and no template name at all: the body finder on its own),
trafilatura (``bare_extraction`` with metadata) and htmldate (dates only).

Per field: title exact match, date accuracy (day; minute where the gold has a time), first
sentence of the gold body found in the body, body token F1 against the gold text (and against
the gold minus its headline and non-Arabic player lines, see ``clean_gold``), leakage
(1 − token precision), non-articles accepted (a refused page yields nothing), how often
Marsad's trafilatura fallback fired, pages/s (median of --runs timed passes). ``--loo`` adds the
leave-one-template-out table: per fixture family, generic extraction with that family's
template names and portal parsers switched off.

    python bench/extract_eval.py [--runs 5] [--sets fixtures,portalworld,corpus] [--loo] [--show]
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
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from crawler.parsers.hints import ALL_HINTS, BODY_CLASSES, NO_HINTS, TemplateHints  # noqa: E402
from crawler.parsers.page import ExtractionError, PageInput, SourceInfo  # noqa: E402
from crawler.parsers.registry import ParserRegistry, build_parser  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus"
FIXTURES = ROOT / "tests" / "fixtures" / "parsers"
CORPUS_ZONES = {
    "assabah.com.tn": "Africa/Tunis", "youm7.com": "Africa/Cairo", "akhbarelyom.com": "Africa/Cairo",
    "almadenahnews.com": "Asia/Amman", "beirutobserver.com": "Asia/Beirut", "europa.eu": "Europe/Brussels",
}
_WORD = re.compile(r"\w+")
_TAG = re.compile(r"<[^>]+>")
_ARABIC = re.compile(r"[\u0600-\u06ff]")
_SENTENCE_END = re.compile(r"(?<=[.؟!?])\s")
_NAMES = re.compile(rb"""\s(?:class|id|itemprop|role)\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+)""", re.I)


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
    family: str = ""
    article: bool = True  # False for the non-article fixtures


@dataclass
class Output:
    title: str | None = None
    date: str | None = None  # ISO as the tool gives it
    body: str | None = None
    accepted: bool = False  # the tool returned an article
    fallback: bool = False  # Marsad's trafilatura fallback fired


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


def clean_gold(case: Case) -> str:
    """The gold body minus its headline (the Article keeps the title apart) and, on an Arabic page,
    minus lines with no Arabic letter: the corpus manifest flags 012's gold as carrying a video
    player's interface («Error loading media», «Play», «00:13» …)."""
    gold = case.body or ""
    lines = [line for line in gold.splitlines() if _ARABIC.search(line)] if _ARABIC.search(gold) else gold.splitlines()
    text = _norm("\n".join(lines))
    title = _norm(case.title)
    return text.replace(title, " ", 1) if title else text


def strip_names(case: Case) -> Case:
    """The case with every class, id, itemprop and role attribute removed from its page: no template
    knowledge and no furniture names left, only structure and text."""
    page = PageInput(case.page.url, _NAMES.sub(b"", case.page.body), case.page.headers, case.page.fetched_at)
    return Case(**{**case.__dict__, "page": page})


def first_sentence(body: str | None) -> str | None:
    if not body:
        return None
    first = body.strip().split("\n\n")[0]
    return _SENTENCE_END.split(first, maxsplit=1)[0]


# -- loading the sets ---------------------------------------------------------------------


def fixture_cases() -> Iterator[Case]:
    for expected_path in sorted(FIXTURES.glob("*/*/expected.json")):
        case_dir = expected_path.parent
        meta = json.loads((case_dir / "meta.json").read_text(encoding="utf-8"))
        expected = json.loads(expected_path.read_text(encoding="utf-8"))
        page = PageInput(meta["url"], (case_dir / "page.html").read_bytes(), meta.get("headers", {}),
                         datetime.fromisoformat(meta["fetched_at"]))
        yield Case("fixtures", f"{case_dir.parent.name}/{case_dir.name}", page, SourceInfo(**meta["source"]),
                   title=expected.get("title"), date=expected.get("published_at"), body=expected.get("body"),
                   first_sentence=first_sentence(expected.get("body")), family=meta.get("family", ""),
                   article=expected.get("page_type", "article") == "article")


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
                   first_sentence=row["first_sentence"] or None, family=row["publisher_domain"])


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
                   date=expected["published"].isoformat(), body=expected["body"],
                   first_sentence=first_sentence(expected["body"]), family=expected["portal"])


# -- the tools ------------------------------------------------------------------------------


def marsad_with(registry: ParserRegistry | None, hints: TemplateHints) -> Callable[[Case], Output]:
    def run(case: Case) -> Output:
        try:
            parser = build_parser(case.page, case.source, registry=registry, hints=hints)
            article = parser.to_article()
        except ExtractionError:
            return Output()
        date = article.published_at.isoformat() if article.published_at else None
        return Output(article.title, date, article.body, True, "fallback" in parser.provenance)

    return run


def run_trafilatura(case: Case) -> Output:
    from trafilatura import bare_extraction

    document = bare_extraction(case.page.body, url=case.page.url, with_metadata=True)
    if document is None:
        return Output()
    data = document.as_dict() if hasattr(document, "as_dict") else dict(document)
    return Output(data.get("title"), data.get("date"), data.get("text"), bool(data.get("text")))


def run_htmldate(case: Case) -> Output:
    from htmldate import find_date

    found = find_date(case.page.body, url=case.page.url, outputformat="%Y-%m-%dT%H:%M", extensive_search=True)
    return Output(date=found, accepted=bool(found))


run_marsad = marsad_with(None, ALL_HINTS)
TOOLS: dict[str, Callable[[Case], Output]] = {
    "marsad": run_marsad, "marsad-generic": marsad_with(ParserRegistry(), NO_HINTS),
    "trafilatura": run_trafilatura, "htmldate": run_htmldate,
}
DATE_ONLY = {"htmldate"}


# -- scoring --------------------------------------------------------------------------------


def _date_scores(gold: str, got: str | None, tool: str) -> tuple[bool, bool | None]:
    """(day correct, minute correct or None when the gold or the tool has no time)."""
    if not got:
        return False, (False if "T" in gold and tool.startswith("marsad") else None)
    day = got[:10] == gold[:10]
    if "T" not in gold or tool == "trafilatura" or (tool == "htmldate" and got.endswith("T00:00")):
        return day, None
    gold_dt, got_dt = datetime.fromisoformat(gold), datetime.fromisoformat(got)
    if gold_dt.tzinfo is not None and got_dt.tzinfo is not None:
        return day, abs((gold_dt - got_dt).total_seconds()) < 60
    return day, got[:16] == gold[:16]


def _mean(values: list[bool] | list[float]) -> str:
    return f"{statistics.fmean(values):.3f} ({len(values)})" if values else "n/a"


def score(cases: list[Case], outputs: list[Output], tool: str) -> dict[str, str]:
    values: dict[str, list[Any]] = defaultdict(list)
    for case, out in zip(cases, outputs, strict=True):
        if not case.article:
            values["non-articles accepted"].append(out.accepted)
            continue
        if tool.startswith("marsad"):
            values["fallback fired"].append(out.fallback)
        if case.date:
            day, minute = _date_scores(case.date, out.date, tool)
            values["date day"].append(day)
            if minute is not None:
                values["date minute"].append(minute)
        if tool in DATE_ONLY:
            continue
        body = _norm(out.body)
        if case.title is not None:
            values["title exact"].append(_norm(out.title) == _norm(case.title))
        if case.first_sentence:
            values["first sentence"].append(_norm(case.first_sentence)[:60] in body)
        if case.body:
            f1, precision = f1_precision(out.body, case.body)
            values["body F1"].append(f1)
            values["body F1 clean gold"].append(f1_precision(out.body, clean_gold(case))[0])
            values["leakage 1-P"].append(1 - precision)
        values["junk snippets"].extend(_norm(snippet) in body for snippet in case.exclude)
        values["must-have text"].extend(_norm(snippet) in body for snippet in case.include)
    columns = ("title exact", "date day", "date minute", "first sentence", "body F1", "body F1 clean gold",
               "leakage 1-P", "junk snippets", "must-have text", "non-articles accepted", "fallback fired")
    return {column: _mean(values[column]) for column in columns}


def timed(tools: dict[str, Callable[[Case], Output]], cases: list[Case],
          runs: int) -> dict[str, tuple[list[Output], float]]:
    """Per tool: its outputs and its median pages/s. The tools take turns within each pass, so a
    noisy minute on a shared machine slows them all alike and the ratios stay fair."""
    outputs: dict[str, list[Output]] = {}
    rates: dict[str, list[float]] = defaultdict(list)
    for tool in tools.values():
        for case in cases[:3]:
            tool(case)  # warm-up: imports and caches are not part of the rate
    for _ in range(runs):
        for name, tool in tools.items():
            start = time.perf_counter()
            outputs[name] = [tool(case) for case in cases]
            rates[name].append(len(cases) / (time.perf_counter() - start))
    return {name: (outputs[name], statistics.median(rates[name])) for name in tools}


def table(rows: list[dict[str, str]]) -> str:
    columns = [col for col in rows[0] if any(row[col] != "n/a" for row in rows)]
    widths = {col: max(len(col), *(len(row[col]) for row in rows)) for col in columns}
    lines = [" | ".join(col.ljust(widths[col]) for col in columns), "-+-".join("-" * widths[c] for c in columns)]
    lines += [" | ".join(row[col].ljust(widths[col]) for col in columns) for row in rows]
    return "\n".join(lines)


def family_hints(family: str) -> TemplateHints:
    """All template names except those learned from ``family`` («wordpress-jnews» also drops «wordpress»)."""
    related = {name for name in BODY_CLASSES
               if family == name or family.startswith(name + "-") or name.startswith(family + "-")}
    return ALL_HINTS.without(*related)


def leave_one_template_out(cases: list[Case]) -> list[dict[str, str]]:
    """Per fixture family: the full pipeline, generic extraction with that family's knowledge off, trafilatura."""
    rows: list[dict[str, str]] = []
    by_family: dict[str, list[Case]] = defaultdict(list)
    for case in cases:
        by_family[case.family].append(case)
    for family, group in sorted(by_family.items()):
        tools = {"marsad": run_marsad, "marsad minus family": marsad_with(ParserRegistry(), family_hints(family)),
                 "trafilatura": run_trafilatura}
        for tool_name, tool in tools.items():
            outputs = [tool(case) for case in group]
            result = score(group, outputs, "marsad" if tool_name.startswith("marsad") else tool_name)
            rows.append({"family": f"{family} ({len(group)})", "tool": tool_name,
                         **{key: result[key] for key in ("title exact", "date day", "first sentence", "body F1",
                                                        "non-articles accepted")}})
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="timed passes per tool and set (median reported)")
    parser.add_argument("--sets", default="fixtures,portalworld,corpus")
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--loo", action="store_true", help="add the leave-one-template-out table (fixtures)")
    parser.add_argument("--strip-names", action="store_true",
                        help="also run every set with class/id/itemprop/role attributes removed from the pages")
    parser.add_argument("--show", action="store_true", help="print per-page Marsad misses")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.ERROR)
    loaders: dict[str, Callable[[], Iterator[Case]]] = {
        "fixtures": fixture_cases, "portalworld": portalworld_cases, "corpus": lambda: corpus_cases(args.corpus),
    }
    rows: list[dict[str, str]] = []
    fixtures: list[Case] = []
    for set_name in args.sets.split(","):
        try:
            cases = list(loaders[set_name]())
        except (ImportError, OSError) as error:
            print(f"set {set_name!r} unavailable: {error}", file=sys.stderr)
            continue
        fixtures = cases if set_name == "fixtures" else fixtures
        results = timed(TOOLS, cases, args.runs)
        for tool_name, (outputs, rate) in results.items():
            rows.append({"set": f"{set_name} ({len(cases)})", "tool": tool_name,
                         **score(cases, outputs, tool_name), "pages/s": f"{rate:.1f}"})
            if args.show and tool_name == "marsad":
                _show_misses(cases, outputs)
        ratio = results["marsad"][1] / results["trafilatura"][1]
        print(f"{set_name}: marsad / trafilatura pages/s = {ratio:.2f}", file=sys.stderr)
        if args.strip_names:
            stripped = [strip_names(case) for case in cases]
            for tool_name in ("marsad-generic", "trafilatura"):
                outputs = [TOOLS[tool_name](case) for case in stripped]
                rows.append({"set": f"{set_name}, names stripped", "tool": tool_name,
                             **score(stripped, outputs, tool_name), "pages/s": "–"})
    print(table(rows))
    if args.loo and fixtures:
        print("\nLeave one template out (fixtures; generic extraction without the family's names and parsers)")
        print(table(leave_one_template_out(fixtures)))
    return 0


def _show_misses(cases: list[Case], outputs: list[Output]) -> None:
    for case, out in zip(cases, outputs, strict=True):
        notes = []
        if not case.article:
            if out.accepted:
                notes.append("non-article accepted")
        elif case.title is not None and _norm(out.title) != _norm(case.title):
            notes.append(f"title {out.title!r}")
        if case.article and case.date and not _date_scores(case.date, out.date, "marsad")[0]:
            notes.append(f"date {out.date} want {case.date}")
        if case.body:
            f1, precision = f1_precision(out.body, case.body)
            if f1 < 0.95:
                notes.append(f"body F1 {f1:.3f} P {precision:.3f}")
        if notes:
            print(f"  {case.set_name}/{case.name}: " + "; ".join(notes), file=sys.stderr)


if __name__ == "__main__":
    raise SystemExit(main(argv=None))
