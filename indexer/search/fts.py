"""A query in the rule language as an SQLite FTS5 expression, exact where FTS5 can say it.

The FTS table has one column per field and kind: ``title_terms body_terms`` hold each token's
stem, ``title_norm body_norm`` its normalized form, one FTS token per text token, so positions
line up with the matcher's. Keys are always quoted FTS5 strings built from analyzed terms, never
from the raw query text.

The expression is *exact* (it matches what :class:`~indexer.alerts.matcher.RuleMatcher` matches,
no more, no less) when every part of the query is:

* a word: any of its keys (:func:`~indexer.alerts.query.term_keys`) in the field kind's columns;
* a phrase whose words are all inflected or all exact: the OR of one FTS5 phrase per combination
  of its words' keys — keys the index does not hold are dropped first (``known``), and at most
  ``MAX_EXPANSION`` combinations are written;
* a NEAR between words, phrases and OR groups of those, all of one kind, whose two sides cannot
  cover the same token (:func:`~indexer.alerts.es_query.may_overlap`): the OR of one FTS5 NEAR
  group per combination, at most ``MAX_EXPANSION``. (FTS5's NEAR is unordered like the matcher's,
  counts the tokens between the phrases the same way, never spans two columns, but lets the two
  phrases share tokens, which the matcher does not);
* AND, OR and exclusions of exact parts.

Anything else — a phrase or NEAR mixing exact and inflected words, a NEAR inside a NEAR, a NEAR
whose sides may overlap, more combinations than ``MAX_EXPANSION`` — is written as the AND of its
words (a superset), and the expression is flagged inexact; an exclusion of an inexact part is left
out (excluding a superset would lose matches), which also makes it inexact. The storage then
confirms candidates with the matcher.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from indexer.alerts.es_query import may_overlap
from indexer.alerts.query import And, Near, Not, Or, Phrase, Query, Term, term_keys

STEM_COLUMNS = "{title_terms body_terms}"
NORM_COLUMNS = "{title_norm body_norm}"
MAX_EXPANSION = 64  # FTS5 phrases or NEAR groups written for one phrase or NEAR

Known = Callable[[set[str]], set[str]]  # which of these terms the index holds


@dataclass(frozen=True)
class FtsQuery:
    expression: str
    exact: bool  # False: a superset of the matches, to be confirmed by the matcher


@dataclass(frozen=True)
class _Part:
    text: str
    exact: bool


# A word of a phrase or NEAR side: (exact kind, the keys it may be).
_Word = tuple[bool, tuple[str, ...]]


def fts_query(query: Query, known: Known) -> FtsQuery:
    """The FTS5 expression of ``query``; ``known`` filters keys down to those in the index."""
    keys = {key for term in _terms(query) for key in _keys(term)}
    present = known(keys) if keys else set()
    part = _Translator(present).node(query)
    return FtsQuery(part.text, part.exact)


class _Translator:
    def __init__(self, present: set[str]) -> None:
        self.present = present

    def keys(self, term: Term) -> tuple[str, ...]:
        """The term's keys the index holds; one absent key when none is (it then matches nothing)."""
        keys = sorted(_keys(term))
        return tuple(key for key in keys if key in self.present) or (keys[0],)

    def node(self, node: Query) -> _Part:
        if isinstance(node, Term):
            return self.term(node)
        if isinstance(node, Phrase):
            return self.phrase(node)
        if isinstance(node, Near):
            return self.near(node)
        if isinstance(node, Or):
            parts = [self.node(child) for child in node.children]
            return _Part(_join("OR", [part.text for part in parts]), all(part.exact for part in parts))
        if isinstance(node, And):
            return self.conjunction(node)
        raise ValueError("an exclusion stands only inside an AND with a positive part")

    def term(self, term: Term) -> _Part:
        alternatives = " OR ".join(_quote(key) for key in self.keys(term))
        return _Part(f"{_columns(term.exact)} : ({alternatives})", True)

    def conjunction(self, node: And) -> _Part:
        positives = [self.node(child) for child in node.children if not isinstance(child, Not)]
        negatives = [self.node(child.child) for child in node.children if isinstance(child, Not)]
        text = _join("AND", [part.text for part in positives])
        exact = all(part.exact for part in positives)
        excluded = [part.text for part in negatives if part.exact]
        if excluded:
            text = f"({text} NOT {_join('OR', excluded)})"
        return _Part(text, exact and len(excluded) == len(negatives))

    def phrase(self, node: Phrase) -> _Part:
        words = [(term.exact, self.keys(term)) for term in node.terms]
        kinds = {exact for exact, _ in words}
        if len(kinds) == 1 and _combinations(words) <= MAX_EXPANSION:
            phrases = [_phrase(keys) for keys in itertools.product(*(keys for _, keys in words))]
            return _Part(f"{_columns(kinds.pop())} : ({' OR '.join(phrases)})", True)
        return self.superset(node.terms)

    def near(self, node: Near) -> _Part:
        lefts, rights = _sequences(node.left), _sequences(node.right)
        if lefts is None or rights is None or may_overlap(node.left, node.right):
            return self.superset(_terms(node))
        groups: list[tuple[bool, list[str]]] = []  # (kind, one FTS5 NEAR group per key combination)
        count = 0
        for left, right in itertools.product(lefts, rights):
            words = [(term.exact, self.keys(term)) for term in left + right]
            kinds = {exact for exact, _ in words}
            count += _combinations(words)
            if len(kinds) > 1 or count > MAX_EXPANSION:
                return self.superset(_terms(node))
            keys = [keys for _, keys in words]
            written = [
                f"NEAR({_phrase(combo[:len(left)])} {_phrase(combo[len(left):])}, {node.distance})"
                for combo in itertools.product(*keys)
            ]
            groups.append((kinds.pop(), written))
        texts = [f"{_columns(exact)} : ({' OR '.join(written)})" for exact, written in groups]
        return _Part(_join("OR", texts), True)

    def superset(self, terms: Iterable[Term]) -> _Part:
        """Every word present: what any phrase or NEAR of these words needs at least."""
        return _Part(_join("AND", list(dict.fromkeys(self.term(term).text for term in terms))), False)


def _sequences(node: Query) -> list[tuple[Term, ...]] | None:
    """A NEAR side as the word sequences it may be (an OR lists its alternatives), None when it
    holds something FTS5's NEAR cannot take (another NEAR)."""
    if isinstance(node, Term):
        return [(node,)]
    if isinstance(node, Phrase):
        return [node.terms]
    if isinstance(node, Or):
        found: list[tuple[Term, ...]] = []
        for child in node.children:
            sequences = _sequences(child)
            if sequences is None:
                return None
            found.extend(sequences)
        return found
    return None


def _terms(node: Query) -> list[Term]:
    if isinstance(node, Term):
        return [node]
    if isinstance(node, Phrase):
        return list(node.terms)
    if isinstance(node, Not):
        return _terms(node.child)
    if isinstance(node, Near):
        return _terms(node.left) + _terms(node.right)
    return [term for child in node.children for term in _terms(child)]


def _keys(term: Term) -> frozenset[str]:
    return frozenset({term.norm}) if term.exact else term_keys(term)


def _combinations(words: list[_Word]) -> int:
    count = 1
    for _, keys in words:
        count *= len(keys)
    return count


def _columns(exact: bool) -> str:
    return NORM_COLUMNS if exact else STEM_COLUMNS


def _quote(key: str) -> str:
    return '"' + key.replace('"', '""') + '"'


def _phrase(keys: Iterable[str]) -> str:
    return _quote(" ".join(keys))


def _join(operator: str, parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else "(" + f" {operator} ".join(parts) + ")"
