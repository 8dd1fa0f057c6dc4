"""Marsad's RuleMatcher against a real Elasticsearch percolator: same rules, same articles.

    .venv/bin/python bench/bench_percolator.py [--runs 5] [--repeat 20] [--batch 20]

Articles: the portal world's articles (``load_world_data``, no server needed) and the paragraph
text of every page of ``../shared/corpus`` (read in place by bench_matcher's ``corpus_articles``).
Rules: bench_matcher's generator (10, 1,000, 10,000 rules). The percolator index holds each rule
translated by ``to_es_query`` over the pre-analyzed ``*_terms``/``*_norm`` fields, registered with
one bulk request stream; a percolated document carries ``index_terms``/``norm_terms`` of the
article, computed inside the timed loop. Two ways to percolate are timed: one ``percolate`` search
request per article, and ``_msearch`` batches of ``--batch`` articles (one percolate search each).

Then recall and false hits on the matcher's variant table (tests/test_alerts_matcher.py) for
Marsad's matcher, a percolator over the built-in ``arabic``-analyzed fields (match / match_phrase
on the query's own words) and a percolator over Marsad's pre-analyzed fields. Elasticsearch is
MARSAD_ES_URL (with MARSAD_ES_USER/MARSAD_ES_PASSWORD or MARSAD_ES_API_KEY), else the node of
``scripts/elasticsearch start``; every index this script creates is deleted at the end.

The percolator and the ``arabic`` analyzer are modules of the full Elasticsearch distribution; the
minimal one that ``scripts/elasticsearch`` runs (Maven Central's integ-test-zip, 8.19 and 9.x) has
neither, so against that node the script says so and exits 1. BENCHMARKS.md's numbers were measured
on Elasticsearch 7.10.2 (the runner the project used before); point MARSAD_ES_URL at a full
distribution to measure again.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterable, Sequence
from functools import partial
from pathlib import Path
from typing import Any

from elasticsearch import BadRequestError, Elasticsearch, helpers

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from bench_matcher import DEFAULT_CORPUS, clear_caches, corpus_articles, generate_rules
from test_alerts_matcher import MUST_MATCH, MUST_NOT_MATCH, RULES

from core.article import Article
from crawler.portalworld import load_world_data
from indexer.alerts import And, Near, Not, Or, Phrase, Query, RuleMatcher, Term, to_es_query
from indexer.analysis import index_terms, norm_terms
from indexer.storage.es_mapping import MAPPINGS

_Dsl = dict[str, Any]
ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "elasticsearch"
TERM_FIELDS = ("title_terms", "body_terms", "title_norm", "body_norm")
ARABIC: _Dsl = {"type": "text", "analyzer": "arabic"}  # Elasticsearch's built-in analyzer, for comparison
MAX_HITS = 1_000  # per percolated article; far above the matches of any article here


def connect() -> tuple[Elasticsearch, str]:
    """A client for MARSAD_ES_URL and its credentials, else for the node of scripts/elasticsearch."""
    url = os.environ.get("MARSAD_ES_URL")
    if url:
        if os.environ.get("MARSAD_ES_API_KEY"):
            return Elasticsearch(url, api_key=os.environ["MARSAD_ES_API_KEY"], request_timeout=300), url
        user = os.environ.get("MARSAD_ES_USER")
        auth = (user, os.environ.get("MARSAD_ES_PASSWORD", "")) if user else None
        return Elasticsearch(url, basic_auth=auth, request_timeout=300), url
    started = subprocess.run([SCRIPT, "start"], capture_output=True, text=True, timeout=900, check=False)
    if started.returncode != 0:
        sys.exit(f"scripts/elasticsearch start failed:\n{started.stderr}")
    url = started.stdout.strip().splitlines()[-1]
    password = subprocess.run([SCRIPT, "password"], capture_output=True, text=True, timeout=60, check=True)
    return Elasticsearch(url, basic_auth=("marsad", password.stdout.strip()), request_timeout=300), url


def missing_modules(es: Elasticsearch) -> list[str]:
    """The modules this benchmark needs that the node lacks (the percolator, the arabic analyzer)."""
    index = f"marsad-bench-probe-{uuid.uuid4().hex[:8]}"
    missing = []
    for name, properties in (("percolator", {"query": {"type": "percolator"}}), ("arabic analyzer", {"t": ARABIC})):
        try:
            es.indices.create(index=index, mappings={"properties": properties})
        except BadRequestError as exc:
            if exc.error not in ("mapper_parsing_exception", "illegal_argument_exception"):
                raise
            missing.append(name)
        else:
            es.indices.delete(index=index)
    return missing


def node_version(es: Elasticsearch) -> str:
    """The node's version from _nodes (``GET /``, behind ``info()``, is refused by the minimal distribution)."""
    nodes = es.nodes.info(node_id="_local", metric="_none", filter_path="nodes.*.version")["nodes"]
    return str(next(iter(nodes.values()))["version"])


def world_articles() -> list[Article]:
    data = load_world_data()
    return [
        Article(url=record.path, canonical_url=f"http://{data.portals[record.portal].host}{record.path}",
                source=record.portal, title=record.title, body=record.body, published_at=record.published)
        for record in data.articles
    ]


def document(title: str, body: str) -> _Dsl:
    """What a percolated article carries: raw text for ``arabic`` fields, Marsad's terms for the rest."""
    return {
        "title": title, "body": body,
        "title_terms": " ".join(index_terms(title)), "body_terms": " ".join(index_terms(body)),
        "title_norm": " ".join(norm_terms(title)), "body_norm": " ".join(norm_terms(body)),
    }


def arabic_query(node: Query) -> _Dsl:
    """The query a user of the built-in ``arabic`` analyzer would write: the rule's own words."""
    fields = ["title", "body"]
    if isinstance(node, Term):
        return {"multi_match": {"query": node.text, "fields": fields, "operator": "and"}}
    if isinstance(node, Phrase):
        words = " ".join(term.text for term in node.terms)
        return {"multi_match": {"query": words, "fields": fields, "type": "phrase"}}
    if isinstance(node, Or):
        return {"bool": {"should": [arabic_query(child) for child in node.children], "minimum_should_match": 1}}
    if isinstance(node, And):
        return {"bool": {
            "must": [arabic_query(child) for child in node.children if not isinstance(child, Not)],
            "must_not": [arabic_query(child.child) for child in node.children if isinstance(child, Not)],
        }}
    if isinstance(node, Not):
        return {"bool": {"must_not": [arabic_query(node.child)]}}
    assert isinstance(node, Near)
    raise ValueError("NEAR is not needed for the variant table's rules")


class Percolator:
    """A percolator index of its own, deleted by :meth:`delete`."""

    def __init__(self, es: Elasticsearch, label: str) -> None:
        self.es = es
        self.index = f"marsad-bench-{label}-{uuid.uuid4().hex[:8]}"
        properties = {"title": ARABIC, "body": ARABIC, **{name: MAPPINGS["properties"][name] for name in TERM_FIELDS}}
        es.indices.create(
            index=self.index,
            mappings={"dynamic": "strict", "properties": {**properties, "query": {"type": "percolator"}}},
            settings={"number_of_shards": 1, "number_of_replicas": 0},
        )

    def register(self, queries: Iterable[tuple[str, _Dsl]]) -> float:
        """Bulk-index ``(id, query)`` pairs; seconds until they are searchable."""
        start = time.perf_counter()
        actions = ({"_index": self.index, "_id": name, "_source": {"query": dsl}} for name, dsl in queries)
        helpers.bulk(self.es, actions, chunk_size=1_000, request_timeout=300)
        self.es.indices.refresh(index=self.index)
        return time.perf_counter() - start

    def search_body(self, doc: _Dsl) -> _Dsl:
        return {"query": {"percolate": {"field": "query", "document": doc}}, "size": MAX_HITS, "_source": False}

    def one(self, doc: _Dsl) -> set[str]:
        body = self.search_body(doc)
        response = self.es.search(index=self.index, query=body["query"], size=MAX_HITS, _source=False)
        return {hit["_id"] for hit in response["hits"]["hits"]}

    def batch(self, docs: Sequence[_Dsl]) -> list[set[str]]:
        lines: list[_Dsl] = []
        for doc in docs:
            lines += [{"index": self.index}, self.search_body(doc)]
        responses = self.es.msearch(searches=lines)["responses"]
        for response in responses:
            if "error" in response:
                raise RuntimeError(f"percolate failed: {response['error']}")
        return [{hit["_id"] for hit in response["hits"]["hits"]} for response in responses]

    def delete(self) -> None:
        self.es.indices.delete(index=self.index, ignore_unavailable=True)


def timed(run: Callable[[], object]) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def match_all(matcher: RuleMatcher, articles: Sequence[Article], repeat: int = 1) -> None:
    for _ in range(repeat):
        for article in articles:
            matcher.match_article(article)


def percolate_each(percolator: Percolator, articles: Sequence[Article]) -> None:
    for article in articles:
        percolator.one(document(article.title, article.body))


def percolate_batches(percolator: Percolator, articles: Sequence[Article], size: int) -> None:
    for i in range(0, len(articles), size):
        percolator.batch([document(a.title, a.body) for a in articles[i: i + size]])


def speed(es: Elasticsearch, articles: list[Article], count: int, args: argparse.Namespace) -> list[str]:
    clear_caches()
    start = time.perf_counter()
    rules = generate_rules(count)
    matcher = RuleMatcher(rules)
    compile_seconds = time.perf_counter() - start
    expected = [{m.rule for m in matcher.match_article(a)} for a in articles]
    cold, warm = [], []
    for _ in range(args.runs):
        clear_caches()
        fresh = RuleMatcher(rules)
        cold.append(len(articles) / timed(partial(match_all, fresh, articles)))
        warm.append(args.repeat * len(articles) / timed(partial(match_all, matcher, articles, args.repeat)))
    percolator = Percolator(es, f"speed{count}")
    try:
        register = percolator.register((rule.name, to_es_query(rule.query)) for rule in rules)
        subset = articles[: args.perc_articles] if args.perc_articles else articles
        found = [percolator.one(document(a.title, a.body)) for a in subset]  # warm-up, and the hits
        agree = sum(hits == wanted for hits, wanted in zip(found, expected, strict=False))
        single, batched = [], []
        for _ in range(args.runs):
            single.append(len(subset) / timed(partial(percolate_each, percolator, subset)))
            batched.append(len(subset) / timed(partial(percolate_batches, percolator, subset, args.batch)))
    finally:
        percolator.delete()
    return [f"{count:,}", f"{compile_seconds:.2f}", f"{statistics.median(cold):,.0f}",
            f"{statistics.median(warm):,.0f}", f"{register:.2f}", f"{statistics.median(single):,.0f}",
            f"{statistics.median(batched):,.0f}", f"{sum(map(len, expected)):,}/{sum(map(len, found)):,}",
            f"{agree}/{len(subset)}"]


def recall(es: Elasticsearch) -> tuple[list[list[str]], list[str]]:
    texts = sorted({text for _, text in MUST_MATCH + MUST_NOT_MATCH})
    matcher = RuleMatcher(RULES)
    fired: dict[str, dict[str, set[str]]] = {"marsad matcher": {}, "percolator, arabic": {},
                                             "percolator, pre-analyzed": {}}
    percolator = Percolator(es, "variants")
    try:
        percolator.register([(f"arabic:{r.name}", arabic_query(r.query)) for r in RULES]
                            + [(f"marsad:{r.name}", to_es_query(r.query)) for r in RULES])
        hits = percolator.batch([document("", text) for text in texts])
    finally:
        percolator.delete()
    for text, ids in zip(texts, hits, strict=True):
        fired["marsad matcher"][text] = {m.rule for m in matcher.match_text(text)}
        fired["percolator, arabic"][text] = {i.split(":", 1)[1] for i in ids if i.startswith("arabic:")}
        fired["percolator, pre-analyzed"][text] = {i.split(":", 1)[1] for i in ids if i.startswith("marsad:")}
    rows, misses = [], []
    for setup, by_text in fired.items():
        missed = [(rule, text) for rule, text in MUST_MATCH if rule not in by_text[text]]
        false = [(rule, text) for rule, text in MUST_NOT_MATCH if rule in by_text[text]]
        found = len(MUST_MATCH) - len(missed)
        rows.append([setup, f"{found}/{len(MUST_MATCH)}", f"{100 * found / len(MUST_MATCH):.1f}%",
                     f"{len(false)}/{len(MUST_NOT_MATCH)}"])
        misses += [f"{setup}: missed {rule}: {text}" for rule, text in missed]
        misses += [f"{setup}: false hit {rule}: {text}" for rule, text in false]
    return rows, misses


def table(header: list[str], rows: list[list[str]]) -> None:
    widths = [max(len(cell) for cell in column) for column in zip(header, *rows, strict=True)]
    for row in [header, *rows]:
        print("  ".join(cell.rjust(width) if i else cell.ljust(width) for i, (cell, width) in
                        enumerate(zip(row, widths, strict=True))))


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=20, help="passes over the articles per warm matcher run")
    parser.add_argument("--batch", type=int, default=20, help="articles per _msearch request")
    parser.add_argument("--perc-articles", type=int, default=0, help="percolate only the first N articles (0: all)")
    parser.add_argument("--counts", type=int, nargs="+", default=[10, 1_000, 10_000])
    args = parser.parse_args()
    es, url = connect()
    version = node_version(es)
    missing = missing_modules(es)
    if missing:
        es.close()
        sys.exit(f"Elasticsearch {version} at {url} lacks {' and '.join(missing)}: the minimal distribution "
                 "scripts/elasticsearch runs has no percolator module and no arabic analyzer. BENCHMARKS.md's "
                 "percolator numbers were measured on 7.10.2; set MARSAD_ES_URL (and MARSAD_ES_USER/"
                 "MARSAD_ES_PASSWORD) to a full distribution to measure again.")
    articles = world_articles() + corpus_articles(args.corpus)
    words = sum(len(a.title.split()) + len(a.body.split()) for a in articles)
    print(f"articles: {len(articles)} ({words:,} words); Elasticsearch {version} at {url}; "
          f"speeds: median of {args.runs} runs")
    rows = [speed(es, articles, count, args) for count in args.counts]
    table(["rules", "compile s", "matcher cold art/s", "matcher warm art/s", "perc register s",
           "perc art/s 1 req/art", f"perc art/s msearch×{args.batch}", "matches m/p", "same rules"], rows)
    print()
    recall_rows, misses = recall(es)
    print(f"variant table: {len(MUST_MATCH)} must-match, {len(MUST_NOT_MATCH)} must-not-match (rule, text) pairs")
    table(["setup", "found", "recall", "false hits"], recall_rows)
    for line in misses:
        print("  " + line)
    es.close()


if __name__ == "__main__":
    main()
