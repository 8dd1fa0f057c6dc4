"""Evaluate one query on the token positions of one article, in time linear in those positions.

The matcher records, for every query word (*atom*), the sorted token positions where it occurs.
A position is an int: the token's index in its field plus the field's number × ``FIELD_STRIDE``,
so positions of two fields are never near each other and no phrase or NEAR spans two fields.

An *occurrence* of a word, phrase, OR group or NEAR is the interval ``(first, last)`` of the
positions it covers. Each node's occurrences are one sorted list of distinct intervals: an OR
group does not repeat an interval two alternatives share, and no occurrence carries the words
behind it. Once a query is known to match, :meth:`Evaluation.mark` walks down from the intervals
that took part to the words inside them, so the highlights are every word of every way the
query matched, exactly as if all combinations had been listed.

NEAR/n joins two intervals that do not overlap and have at most n positions between them. At the
top of a query (not inside another NEAR) only *whether* an interval has a partner matters, which
one bisection answers: O((L + R) log R) for L left and R right intervals, however many pairs
there are. Inside another NEAR the joined intervals themselves are needed (the outer NEAR
measures from their ends), so their distinct hulls are listed; each left interval meets only the
right intervals that start in the n + 1 positions after it, so that list is bounded by the
positions × the window, never by L × R.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from typing import Any

from indexer.alerts.query import And, Near, Not, Or, Phrase, Query, Term

__all__ = ["FIELD_STRIDE", "Evaluation"]

FIELD_STRIDE = 1 << 32  # positions of field k are k × FIELD_STRIDE + token index
_Interval = tuple[int, int]


class Evaluation:
    """Queries against one article's hits (the occurrences of a node are computed once, so rules
    sharing parts of a query share the work). ``work`` counts the positions read, intervals
    built and pairs and partners tried: a deterministic measure of the cost, for tests."""

    def __init__(self, hits: Mapping[int, Sequence[int]], atoms: Mapping[tuple[bool, str], int]) -> None:
        self.hits = hits
        self.atoms = atoms
        self.work = 0
        self._memo: dict[int, list[_Interval]] = {}  # id(node) → occurrences
        self._sets: dict[int, set[int]] = {}  # id(positions list) → the positions as a set
        self._matchers: dict[type, Callable[[Any], set[int] | None]] = {
            Term: self._match_term, Phrase: self._match_phrase, And: self._match_and, Or: self._match_or,
            Not: self._match_not, Near: self._match_near,
        }

    def match(self, node: Query) -> set[int] | None:
        """Positions of the words to highlight when ``node`` matches, None when it does not."""
        return self._matchers[type(node)](node)

    def _match_term(self, node: Term) -> set[int] | None:
        at = self._positions(node)
        self.work += len(at)
        return set(at) if at else None

    def _match_phrase(self, node: Phrase) -> set[int] | None:
        if len(node.terms) == 1:  # a quoted word: «"مصر"»
            return self._match_term(node.terms[0])
        occurrences = self.occurrences(node)
        return self.mark(node, occurrences) if occurrences else None

    def _match_or(self, node: Or) -> set[int] | None:
        found = [positions for child in node.children if (positions := self.match(child)) is not None]
        return set().union(*found) if found else None

    def _match_not(self, node: Not) -> set[int] | None:
        return self.match(node.child)  # what is excluded, for the AND above to test

    def _match_and(self, node: And) -> set[int] | None:
        positions: set[int] = set()
        for child in node.children:
            found = self.match(child)
            if isinstance(child, Not):
                if found is not None:
                    return None
            elif found is None:
                return None
            else:
                positions |= found
        return positions

    def _match_near(self, node: Near) -> set[int] | None:
        lefts = self.occurrences(node.left)
        rights = self.occurrences(node.right) if lefts else []
        used_lefts = self._with_partner(lefts, rights, node.distance)
        if not used_lefts:
            return None
        used_rights = self._with_partner(rights, lefts, node.distance)
        return self.mark(node.left, used_lefts) | self.mark(node.right, used_rights)

    def _with_partner(self, xs: list[_Interval], ys: list[_Interval], distance: int) -> list[_Interval]:
        """The intervals of ``xs`` that some interval of ``ys`` is NEAR/``distance`` to."""
        if not ys:
            return []
        firsts = [first for first, _ in ys]  # ys is sorted, so these are too
        lasts = sorted(last for _, last in ys)
        self.work += len(xs) + len(ys)
        found = []
        for x in xs:
            after = bisect_right(firsts, x[1])  # the first y starting after x ends
            before = bisect_left(lasts, x[0] - 1 - distance)  # the first y ending close enough before x
            if (after < len(firsts) and firsts[after] <= x[1] + 1 + distance) or (
                before < len(lasts) and lasts[before] < x[0]
            ):
                found.append(x)
        return found

    def occurrences(self, node: Query) -> list[_Interval]:
        """Sorted distinct ``(first, last)`` intervals where ``node`` occurs (memoized)."""
        found = self._memo.get(id(node))
        if found is None:
            found = self._memo[id(node)] = self._occurrences(node)
            self.work += len(found)
        return found

    def _occurrences(self, node: Query) -> list[_Interval]:
        if isinstance(node, Term):
            return [(position, position) for position in self._positions(node)]
        if isinstance(node, Phrase):
            return self._phrase(node)
        if isinstance(node, Near):
            return self._near(node)
        if isinstance(node, Not):
            return self.occurrences(node.child)
        if isinstance(node, And) and self._match_and(node) is None:
            return []
        # OR; an AND (which parse_query never puts under a NEAR) gives its positive parts' occurrences
        children = [child for child in node.children if not isinstance(child, Not)]
        return sorted({interval for child in children for interval in self.occurrences(child)})

    def _positions(self, term: Term) -> Sequence[int]:
        return self.hits.get(self.atoms[(term.exact, term.norm)], ())

    def _phrase(self, node: Phrase) -> list[_Interval]:
        """Occurrences of the words at consecutive positions, driven by the rarest word."""
        lists = [self._positions(term) for term in node.terms]
        size = len(lists)
        driver = min(range(size), key=[len(positions) for positions in lists].__getitem__)
        others = [(offset - driver, self._set_of(lists[offset])) for offset in range(size) if offset != driver]
        self.work += len(lists[driver])
        found = []
        for position in lists[driver]:
            for shift, positions in others:
                if position + shift not in positions:
                    break
            else:
                found.append((position - driver, position - driver + size - 1))
        return found

    def _set_of(self, positions: Sequence[int]) -> set[int] | frozenset[int]:
        if not positions:
            return frozenset()
        found = self._sets.get(id(positions))
        if found is None:
            found = self._sets[id(positions)] = set(positions)
            self.work += len(found)
        return found

    def _near(self, node: Near) -> list[_Interval]:
        lefts = self.occurrences(node.left)
        rights = self.occurrences(node.right) if lefts else []
        hulls = {(left[0], right[1]) for left, right in self._pairs(lefts, rights, node.distance)}
        hulls.update((right[0], left[1]) for right, left in self._pairs(rights, lefts, node.distance))
        return sorted(hulls)

    def _pairs(self, xs: list[_Interval], ys: list[_Interval], distance: int) -> Iterator[tuple[_Interval, _Interval]]:
        """Every ``(x, y)`` where y starts after x ends with at most ``distance`` positions between."""
        firsts = [first for first, _ in ys]
        for x in xs:
            low = bisect_right(firsts, x[1])
            high = bisect_right(firsts, x[1] + 1 + distance, low)
            self.work += 1 + high - low
            for y in ys[low:high]:
                yield x, y

    def mark(self, node: Query, wanted: Collection[_Interval]) -> set[int]:
        """Positions of the words behind the occurrences ``wanted`` of ``node``."""
        if isinstance(node, Term):
            return {first for first, _ in wanted}
        if isinstance(node, Phrase):
            return {position for first, last in wanted for position in range(first, last + 1)}
        if isinstance(node, Not):
            return self.mark(node.child, wanted)
        wanted = set(wanted)
        if isinstance(node, Near):
            return self._mark_near(node, wanted)
        positions: set[int] = set()
        for child in node.children:
            if not isinstance(child, Not):
                occurrences = self.occurrences(child)
                self.work += len(occurrences)
                chosen = [interval for interval in occurrences if interval in wanted]
                if chosen:
                    positions |= self.mark(child, chosen)
        return positions

    def _mark_near(self, node: Near, wanted: set[_Interval]) -> set[int]:
        lefts, rights = self.occurrences(node.left), self.occurrences(node.right)
        used_lefts: set[_Interval] = set()
        used_rights: set[_Interval] = set()
        for left, right in self._pairs(lefts, rights, node.distance):
            if (left[0], right[1]) in wanted:
                used_lefts.add(left)
                used_rights.add(right)
        for right, left in self._pairs(rights, lefts, node.distance):
            if (right[0], left[1]) in wanted:
                used_lefts.add(left)
                used_rights.add(right)
        return self.mark(node.left, used_lefts) | self.mark(node.right, used_rights)
