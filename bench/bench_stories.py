"""Story grouping: which near-duplicate test puts rewritten copies of one story together.

    .venv/bin/python bench/bench_stories.py [--runs 5]

The evaluation set (bench/story_evalset.py) is the portal world's 32 articles, six same-topic
stories of our own, and rewritten copies of 14 base articles (reordered paragraphs, a new lead, a
new headline, last paragraph dropped, subheadings dropped, agency boilerplate, synonyms swapped in
~20 % or in all sentences, a shortened version, and combinations). Every method sees the same
analyzed words (crawler.parsers.fingerprint.analyze of the body). "pair" P/R/F1 count the article
pairs a test links; "cluster" P/R/F1 count the pairs that end up in one group after the transitive
closure of the links (what a store that joins an article to any matching story produces).
Signature time is the median of ``--runs`` passes over all articles.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from hashlib import blake2b
from itertools import pairwise
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np
from datasketch import MinHash
from story_evalset import VARIANTS, Doc, describe, evaluation_set, pairs
from story_metrics import Metrics, Table, evaluate, recall_by_variant

from core.article import Article
from crawler.parsers.fingerprint import analyze, hamming, simhash
from indexer import stories


def shingles(words: list[str], size: int) -> set[str]:
    return {" ".join(words[i:i + size]) for i in range(len(words) - size + 1)}


@dataclass(frozen=True)
class Family:
    """One way to sign an article, and the similarity scores that can be read off the signature."""

    name: str
    sign: Callable[[str], Any]
    scores: dict[str, Callable[[Any, Any], float]]  # "bits" is a distance, the others similarities
    size: Callable[[Any], int]  # bytes to store per article


def simhash_family() -> Family:
    return Family("SimHash 64, word pairs", simhash, {"bits": lambda a, b: float(hamming(a, b))}, lambda _: 8)


def minhash_family(num_perm: int, size: int) -> Family:
    permutations = MinHash(num_perm=num_perm, seed=1).permutations

    def sign(body: str) -> tuple[np.ndarray, int]:
        grams = shingles(analyze(body), size)
        minhash = MinHash(num_perm=num_perm, seed=1, permutations=permutations, scheme="affine32")
        minhash.update_batch([gram.encode("utf-8") for gram in grams])
        return minhash.hashvalues, len(grams)

    def jaccard(a: tuple[np.ndarray, int], b: tuple[np.ndarray, int]) -> float:
        return float(np.count_nonzero(a[0] == b[0])) / num_perm

    def containment(a: tuple[np.ndarray, int], b: tuple[np.ndarray, int]) -> float:
        return estimated_containment(jaccard(a, b), a[1], b[1])

    return Family(f"MinHash {num_perm}, {size}-grams", sign,
                  {"jaccard": jaccard, "containment": containment}, lambda _: num_perm * 4 + 2)


def estimated_containment(jaccard: float, size_a: int, size_b: int) -> float:
    """|A∩B| / min(|A|,|B|) from the Jaccard estimate and the set sizes: |A∩B| = J(|A|+|B|)/(1+J)."""
    return min(1.0, jaccard * (size_a + size_b) / (1 + jaccard) / max(1, min(size_a, size_b)))


def exact_family(size: int) -> Family:
    def sign(body: str) -> frozenset[str]:
        return frozenset(shingles(analyze(body), size))

    return Family(f"exact {size}-gram sets", sign, {
        "jaccard": lambda a, b: len(a & b) / len(a | b),
        "containment": lambda a, b: len(a & b) / min(len(a), len(b)),
    }, lambda signature: 8 * len(signature))


def production_family() -> Family:
    def sign(body: str) -> stories.StorySignature | None:
        return stories.story_signature(Article(url="u", canonical_url="u", source="s", title="", body=body))

    def jaccard(a: stories.StorySignature | None, b: stories.StorySignature | None) -> float:
        return stories.jaccard(a, b) if a and b else 0.0  # no signature: a story of its own

    return Family("indexer.stories", sign, {"jaccard": jaccard},
                  lambda signature: len(signature.dumps()) if signature else 0)


FAMILIES: tuple[Callable[[], Family], ...] = (
    simhash_family,
    *(lambda n=n, k=k: minhash_family(n, k) for n in (64, 128) for k in (1, 2, 3)),
    *(lambda k=k: exact_family(k) for k in (1, 2, 3)),
    production_family,
)
THRESHOLDS = {
    "bits": (3, 4, 6, 8, 10, 12, 14, 15, 16),
    "jaccard": (0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5),
    "containment": (0.2, 0.3, 0.4, 0.5, 0.6, 0.7),
}


@dataclass
class Signed:
    family: Family
    signatures: list[Any]
    micros: float  # median signature time per article
    size: float  # mean stored bytes per article
    scores: dict[str, np.ndarray]  # score name -> symmetric matrix over articles

    def links(self, score: str, threshold: float) -> np.ndarray:
        values = self.scores[score]
        return values <= threshold if score == "bits" else values >= threshold


def sign_all(family: Family, docs: list[Doc], runs: int) -> Signed:
    bodies = [doc.body for doc in docs]
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        signatures = [family.sign(body) for body in bodies]
        times.append((time.perf_counter() - start) / len(bodies) * 1e6)
    matrices = {name: score_matrix(signatures, score) for name, score in family.scores.items()}
    size = statistics.mean(family.size(signature) for signature in signatures)
    return Signed(family, signatures, statistics.median(times), size, matrices)


def score_matrix(signatures: list[Any], score: Callable[[Any, Any], float]) -> np.ndarray:
    values = np.zeros((len(signatures), len(signatures)))
    for i, j in pairs(signatures):
        values[i, j] = values[j, i] = score(signatures[i], signatures[j])
    return values


def label(score: str, threshold: float) -> str:
    return f"≤ {threshold:g} bits" if score == "bits" else f"{score} ≥ {threshold:g}"


# -- band keys -------------------------------------------------------------------------------------

def pigeonhole_keys(fingerprint: str, bits: int) -> set[int]:
    """bits + 1 bands of the 64-bit SimHash: within ``bits`` bits, at least one band is equal."""
    value, bands = int(fingerprint, 16), bits + 1
    edges = [round(64 * band / bands) for band in range(bands + 1)]
    return {band << 59 | (value >> (64 - end)) & ((1 << (end - start)) - 1)
            for band, (start, end) in enumerate(pairwise(edges))}


def lsh_keys(values: np.ndarray, bands: int, rows: int) -> set[int]:
    """One key per band of ``rows`` MinHash values (band number in the top bits, as in production)."""
    return {band << 59 | int.from_bytes(blake2b(values[band * rows:(band + 1) * rows].tobytes(),
                                                 digest_size=8).digest()) >> 5 for band in range(bands)}


@dataclass(frozen=True)
class Keying:
    name: str
    family: str
    score: str
    threshold: float
    keys: Callable[[Any], set[int]]
    rows: int = 0  # MinHash LSH rows per band, for the expected false-candidate rate; 0 for SimHash
    exact: str = ""  # the exact shingle-set family whose Jaccard gives the expected rate


def minhash_lsh_keys(signature: tuple[np.ndarray, int], bands: int, rows: int) -> set[int]:
    return lsh_keys(signature[0], bands, rows)


def production_keys(signature: stories.StorySignature | None) -> set[int]:
    return set(stories.band_keys(signature)) if signature else set()


def keyings() -> list[Keying]:
    found = [Keying(f"SimHash pigeonhole, {k + 1} bands", "SimHash 64, word pairs", "bits", k,
                    partial(pigeonhole_keys, bits=k)) for k in (6, 10, 15)]
    threshold = stories.SAME_STORY_JACCARD  # the keys vary, the exact check stays the production one
    for num_perm, size in ((64, 3), (128, 2), (128, 3)):
        found += [Keying(f"LSH {bands}×{rows}", f"MinHash {num_perm}, {size}-grams", "jaccard", threshold,
                         partial(minhash_lsh_keys, bands=bands, rows=rows), rows, f"exact {size}-gram sets")
                  for bands, rows in ((16, 1), (16, 2), (16, 3), (8, 4)) if bands * rows <= num_perm]
    found += [Keying(f"band_keys ({stories.BANDS}×{stories.ROWS})", "indexer.stories", "jaccard", threshold,
                     production_keys, stories.ROWS,
                     f"exact {stories.SHINGLE}-gram sets") for threshold in (0.1, 0.15, 0.2, 0.25, 0.3)]
    return found


# -- reports ---------------------------------------------------------------------------------------

def grid(docs: list[Doc], signed: dict[str, Signed], score: str) -> Table:
    thresholds = THRESHOLDS[score]
    table = Table(["method", *(label(score, t) for t in thresholds)])
    for name, entry in signed.items():
        if score in entry.scores:
            cells = [evaluate(docs, entry.links(score, t)).pair.short() for t in thresholds]
            table.add([name, *cells])
    return table


def best_rows(docs: list[Doc], signed: dict[str, Signed]) -> Table:
    table = Table(["method", "same story if", *Metrics.HEADERS, "µs/article", "bytes"])
    chosen = [("SimHash 64, word pairs", "bits", 6.0), ("SimHash 64, word pairs", "bits", 15.0)]
    for name, entry in signed.items():
        for score in entry.scores:
            f1 = {t: evaluate(docs, entry.links(score, t)).pair.f1 for t in THRESHOLDS[score]}
            chosen.append((name, score, max(f1, key=f1.__getitem__)))
    chosen.append(("indexer.stories", "jaccard", stories.SAME_STORY_JACCARD))
    for name, score, threshold in dict.fromkeys(chosen):
        entry = signed[name]
        metrics = evaluate(docs, entry.links(score, threshold))
        table.add([name, label(score, threshold), *metrics.cells(), f"{entry.micros:.0f}", f"{entry.size:.0f}"])
    return table


def margins(docs: list[Doc], signed: dict[str, Signed]) -> Table:
    """The worst same-story and the worst different-story scores: the gap a threshold must sit in."""
    table = Table(["method", "score", "worst same-story", "1st percentile same-story", "closest other-story",
                   "closest other-story, both Azerbaijan"])
    index = list(pairs(docs))
    same = np.array([docs[i].story == docs[j].story for i, j in index])
    azerbaijan = np.array([docs[i].azerbaijan and docs[j].azerbaijan for i, j in index])
    for name, entry in signed.items():
        for score, matrix in entry.scores.items():
            sign = -1 if score == "bits" else 1  # report distances the other way round
            values = sign * np.array([matrix[i, j] for i, j in index])
            cells = [values[same].min(), np.percentile(values[same], 1), values[~same].max(),
                     values[~same & azerbaijan].max()]
            table.add([name, score, *(f"{sign * cell:.3f}" for cell in cells)])
    return table


def variant_recall(docs: list[Doc], signed: dict[str, Signed], keyed: dict[str, np.ndarray]) -> Table:
    table = Table(["method", *(f"all {v.count('+') + 1} combined" if v.count("+") > 3 else v for v in VARIANTS)])
    rows = [("SimHash ≤ 6 bits (today's near-duplicate test)", signed["SimHash 64, word pairs"].links("bits", 6)),
            ("SimHash ≤ 15 bits", signed["SimHash 64, word pairs"].links("bits", 15)),
            ("indexer.stories same_story", signed["indexer.stories"].links("jaccard", stories.SAME_STORY_JACCARD)),
            ("indexer.stories band key + same_story",
             keyed[f"band_keys ({stories.BANDS}×{stories.ROWS}) jaccard ≥ {stories.SAME_STORY_JACCARD:g}"])]
    for name, links in rows:
        recall = recall_by_variant(docs, links)
        table.add([name, *(f"{recall[variant]:.2f}" for variant in VARIANTS)])
    return table


def candidates(docs: list[Doc], signed: dict[str, Signed]) -> tuple[Table, dict[str, np.ndarray]]:
    """Band keys: how many same-story pairs share a key, how many other pairs do, and the end result."""
    table = Table(["keys", "method", "same story if", "keys/article", "same-story pairs sharing a key",
                   "other pairs sharing a key", "expected (from exact Jaccard)",
                   "false candidates per 10k stored (observed / expected)",
                   *Metrics.HEADERS])
    same = np.array([[a.story == b.story for b in docs] for a in docs])
    upper = np.triu(np.ones_like(same), 1).astype(bool)
    keyed = {}
    for keying in keyings():
        entry = signed[keying.family]
        keys = [keying.keys(signature) for signature in entry.signatures]
        share = np.array([[bool(a & b) for b in keys] for a in keys]) & upper
        links = share & entry.links(keying.score, keying.threshold)
        keyed[f"{keying.name} {label(keying.score, keying.threshold)}"] = links
        false_rate = share[~same & upper].mean()
        expected = None
        if keying.rows:
            exact = signed[keying.exact].scores["jaccard"]
            expected = (1 - (1 - exact ** keying.rows) ** len(keys[0]))[~same & upper].mean()
        table.add([keying.name, keying.family, label(keying.score, keying.threshold), len(keys[0]),
                   f"{share[same & upper].mean():.3f}", f"{100 * false_rate:.3f} %",
                   "–" if expected is None else f"{100 * expected:.3f} %",
                   f"{1e4 * false_rate:.1f}" + ("" if expected is None else f" / {1e4 * expected:.1f}"),
                   *evaluate(docs, links).cells()])
    return table, keyed


def production_costs(signed: Signed, runs: int) -> Table:
    """Median µs per call of the production functions the store calls per article and per candidate."""
    signatures = [signature for signature in signed.signatures if signature]
    texts = [signature.dumps() for signature in signatures]
    calls: dict[str, Callable[[], object]] = {
        "band_keys": lambda: [stories.band_keys(signature) for signature in signatures],
        "same_story": lambda: [stories.same_story(signatures[0], signature) for signature in signatures],
        "StorySignature.loads": lambda: [stories.StorySignature.loads(text) for text in texts],
        "StorySignature.dumps": lambda: [signature.dumps() for signature in signatures],
    }
    table = Table(["indexer.stories call", "µs per call", "note"])
    table.add(["story_signature", f"{signed.micros:.0f}", "analysis included"])
    for name, call in calls.items():
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            call()
            times.append((time.perf_counter() - start) / len(signatures) * 1e6)
        table.add([name, f"{statistics.median(times):.1f}", ""])
    table.add(["dumps() length", f"{statistics.mean(map(len, texts)):.0f} chars", "ASCII, no spaces"])
    return table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    docs = evaluation_set()
    describe(docs)
    signed = {(family := make()).name: sign_all(family, docs, args.runs) for make in FAMILIES}
    for score in ("bits", "jaccard", "containment"):
        print(f"\nPairwise P/R/F1, same story if {score} passes the threshold:\n")
        grid(docs, signed, score).print()
    print("\nBest threshold per method (by pair F1), today's SimHash test and the production module:\n")
    best_rows(docs, signed).print()
    print("\nScore margins:\n")
    margins(docs, signed).print()
    key_table, keyed = candidates(docs, signed)
    print("\nBand keys (candidates looked up by key, then the same-story test):\n")
    key_table.print()
    print("\nRecall of (original, copy) pairs by rewrite:\n")
    variant_recall(docs, signed, keyed).print()
    print("\nProduction costs:\n")
    production_costs(signed["indexer.stories"], args.runs).print()


if __name__ == "__main__":
    main()
