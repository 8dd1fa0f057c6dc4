"""Analyzer throughput (tokens/s) on the shared corpus, read in place.

    .venv/bin/python bench/bench_analyzer.py [--corpus ../shared/corpus] [--runs 5]

Texts: ``seed-article.txt`` and the visible text (lxml ``text_content()``, scripts and styles
dropped) of every ``*.html`` page. "cold" clears the per-word caches before each run, "warm"
keeps them (a long-running crawl sees mostly known words).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import lxml.html

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from indexer.analysis import analyze_word, index_terms, normalize, stem, tokenize

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


def corpus_texts(corpus: Path) -> list[str]:
    texts = [(corpus / "seed-article.txt").read_text(encoding="utf-8")]
    for page in sorted(corpus.glob("*.html")):
        root = lxml.html.fromstring(page.read_bytes())
        for node in root.xpath("//script|//style|//noscript"):
            node.drop_tree()
        texts.append(root.text_content())
    return texts


def clear_caches() -> None:
    analyze_word.cache_clear()
    stem.cache_clear()


def median_seconds(work: Callable[[], object], runs: int, cold: bool) -> float:
    times = []
    for _ in range(runs):
        if cold:
            clear_caches()
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    texts = corpus_texts(args.corpus)
    tokens = sum(len(tokenize(text)) for text in texts)
    chars = sum(len(text) for text in texts)
    print(f"corpus: {len(texts)} texts, {chars:,} characters, {tokens:,} tokens")
    print(f"{'operation':<28}{'cache':<7}{'median s':>10}{'tokens/s':>14}")
    cases: list[tuple[str, Callable[[], object]]] = [
        ("tokenize (Token objects)", lambda: [tokenize(t) for t in texts]),
        ("index_terms", lambda: [index_terms(t) for t in texts]),
        ("normalize (whole text)", lambda: [normalize(t) for t in texts]),
    ]
    for name, work in cases:
        for cold in (True, False):
            seconds = median_seconds(work, args.runs, cold)
            print(f"{name:<28}{'cold' if cold else 'warm':<7}{seconds:>10.4f}{tokens / seconds:>14,.0f}")


if __name__ == "__main__":
    main()
