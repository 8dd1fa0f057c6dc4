"""Scoring a story grouping against the evaluation set's ground truth, and printing tables."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import ClassVar

import numpy as np
from story_evalset import Doc


@dataclass(frozen=True)
class Scores:
    precision: float
    recall: float
    f1: float

    @classmethod
    def of(cls, true_positive: int, predicted: int, actual: int) -> Scores:
        precision = true_positive / predicted if predicted else 1.0
        recall = true_positive / actual if actual else 1.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return cls(precision, recall, f1)

    def short(self) -> str:
        return f"{self.precision:.3f} / {self.recall:.3f} / {self.f1:.3f}"


@dataclass(frozen=True)
class Metrics:
    pair: Scores  # over the article pairs the test links
    cluster: Scores  # over the article pairs in one group after the transitive closure
    stories_exact: float  # share of true stories recovered exactly as one group
    azerbaijan_false: int  # linked pairs of different stories that both name Azerbaijan

    HEADERS: ClassVar[list[str]] = ["pair P", "pair R", "pair F1", "cluster P", "cluster R", "cluster F1",
                                    "stories exact", "Azerbaijan false links"]

    def cells(self) -> list[str]:
        numbers = (*vars(self.pair).values(), *vars(self.cluster).values(), self.stories_exact)
        return [f"{number:.3f}" for number in numbers] + [str(self.azerbaijan_false)]


def truth(docs: Sequence[Doc]) -> tuple[np.ndarray, np.ndarray]:
    """Upper-triangle masks: same story, and different stories that both name Azerbaijan."""
    stories = np.array([doc.story for doc in docs])
    azerbaijan = np.array([doc.azerbaijan for doc in docs])
    upper = np.triu(np.ones((len(docs), len(docs)), dtype=bool), 1)
    same = (stories[:, None] == stories[None, :]) & upper
    return same, ~same & upper & azerbaijan[:, None] & azerbaijan[None, :]


def evaluate(docs: Sequence[Doc], links: np.ndarray) -> Metrics:
    """``links[i, j]`` (i < j is read) says the test put articles i and j in one story."""
    same, azerbaijan = truth(docs)
    linked = np.triu(links, 1)
    roots = np.array(components(len(docs), zip(*np.nonzero(linked), strict=True)))
    grouped = np.triu(roots[:, None] == roots[None, :], 1)
    return Metrics(
        Scores.of(int((linked & same).sum()), int(linked.sum()), int(same.sum())),
        Scores.of(int((grouped & same).sum()), int(grouped.sum()), int(same.sum())),
        exact_stories(docs, roots),
        int((linked & azerbaijan).sum()),
    )


def components(count: int, links: object) -> list[int]:
    """Union-find: each article's group once every link is merged."""
    parent = list(range(count))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, j in links:  # type: ignore[attr-defined]
        parent[root(int(i))] = root(int(j))
    return [root(i) for i in range(count)]


def exact_stories(docs: Sequence[Doc], roots: np.ndarray) -> float:
    members: dict[str, set[int]] = {}
    found: dict[int, set[int]] = {}
    for i, doc in enumerate(docs):
        members.setdefault(doc.story, set()).add(i)
        found.setdefault(int(roots[i]), set()).add(i)
    groups = list(found.values())
    return sum(group in groups for group in members.values()) / len(members)


def recall_by_variant(docs: Sequence[Doc], links: np.ndarray) -> dict[str, float]:
    """For each rewrite, the share of (original, copy) pairs the test linked."""
    index = {doc.id: i for i, doc in enumerate(docs)}
    found: dict[str, list[bool]] = {}
    for j, doc in enumerate(docs):
        if doc.kind != "original":
            i = index[doc.id.split("~")[0]]
            found.setdefault(doc.kind, []).append(bool(links[min(i, j), max(i, j)]))
    return {kind: sum(hits) / len(hits) for kind, hits in found.items()}


@dataclass
class Table:
    """A Markdown table, printed as is (BENCHMARKS.md takes it verbatim)."""

    headers: list[str]
    rows: list[list[object]] = field(default_factory=list)

    def add(self, cells: list[object]) -> None:
        self.rows.append(cells)

    def print(self) -> None:
        print("| " + " | ".join(self.headers) + " |")
        print("|" + "|".join("---" if n == 0 else "---:" for n in range(len(self.headers))) + "|")
        for cells in self.rows:
            print("| " + " | ".join(str(cell) for cell in cells) + " |")
