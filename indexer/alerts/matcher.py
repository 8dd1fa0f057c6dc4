"""Match every alert rule against an article in one pass over its tokens.

Compilation turns each query word into an *atom*: the set of index terms it matches
(:func:`~indexer.alerts.query.term_keys`, stems for inflected words, normalized forms for exact
ones). All atoms of all rules go into two dictionaries, stem → atoms and normalized form → atoms.
Scanning an article costs one regex pass and one or two dictionary look-ups per token (cached
per surface form), whatever the number of rules; only rules with a hit atom are then evaluated
(phrases, NEAR, AND/OR/exclusion) on the recorded token positions, by
:class:`~indexer.alerts.evaluate.Evaluation` in time linear in those positions.

A second line of defence against hostile pages: an article with more than ``max_tokens`` tokens
(title first, then body, as :data:`~indexer.analysis.tokenize.TOKEN_RE` finds them) is matched on
its first ``max_tokens`` tokens, with one warning.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from core.article import Article
from indexer.alerts.evaluate import FIELD_STRIDE, Evaluation
from indexer.alerts.query import And, Near, Not, Or, Phrase, Query, Term, parse_query, term_keys
from indexer.alerts.rules import ENTITY_KINDS, Rule, norm_name
from indexer.analysis import analyze_word
from indexer.analysis.tokenize import TOKEN_RE

__all__ = ["DEFAULT_MAX_TOKENS", "RuleMatch", "RuleMatcher", "try_query"]

logger = logging.getLogger(__name__)

DEFAULT_MAX_TOKENS = 200_000  # a long news article has a few thousand tokens
_Hits = dict[int, list[int]]  # atom → its positions, ascending (see evaluate.FIELD_STRIDE)
_Spans = dict[int, tuple[int, int]]  # position → character span of its token
_Atoms = dict[tuple[bool, str], int]  # (exact, normalized word) → atom
_Key = int | tuple[int, int]  # a candidate key: one atom, or two atoms on adjacent tokens
_CACHE_LIMIT = 500_000


@dataclass(frozen=True)
class RuleMatch:
    """A rule that matched; ``spans_by_field`` maps a field name to sorted character spans."""

    rule: str
    spans_by_field: dict[str, list[tuple[int, int]]]

    @property
    def field(self) -> str:
        """The field to highlight first: the title when the rule matched there."""
        return next(iter(self.spans_by_field))

    @property
    def spans(self) -> list[tuple[int, int]]:
        return self.spans_by_field[self.field]


class RuleMatcher:
    """Compiled rules. ``last_work`` is the evaluation work spent on the last article (intervals
    built, pairs and partners tried; see :class:`Evaluation`): a deterministic cost measure."""

    def __init__(self, rules: Iterable[Rule], max_tokens: int = DEFAULT_MAX_TOKENS) -> None:
        if max_tokens < 1:
            raise ValueError(f"max_tokens must be at least 1, not {max_tokens}")
        self.rules: list[Rule] = list(rules)
        self.max_tokens = max_tokens
        self.last_work = 0
        self._atom_ids: dict[tuple[bool, str], int] = {}
        self._stem_atoms: dict[str, tuple[int, ...]] = {}
        self._norm_atoms: dict[str, tuple[int, ...]] = {}
        self._atom_count = 0
        self._key_rules: dict[_Key, list[int]] = {}
        self._followers: dict[int, set[int]] = {}  # phrase keys: first atom → the atoms after it
        self._following: set[int] = set()  # every atom after one
        self._cache: dict[str, tuple[int, ...]] = {}
        usage: dict[int, int] = {}
        for rule in self.rules:
            for term in _all_terms(rule.query):
                atom = self._atom(term)
                usage[atom] = usage.get(atom, 0) + 1
        self._required: list[tuple[tuple[int, ...], ...]] = []
        self._filtered: list[bool] = []
        shared: dict[object, Query] = {}
        self._queries = [_shared(rule.query, shared) for rule in self.rules]
        for index, rule in enumerate(self.rules):
            for key in _triggers(rule.query, self._atom_ids, usage):
                self._key_rules.setdefault(key, []).append(index)
                if isinstance(key, tuple):
                    self._followers.setdefault(key[0], set()).add(key[1])
                    self._following.add(key[1])
            required = {tuple(sorted(group)) for group in _requirements(rule.query, self._atom_ids, usage)}
            self._required.append(tuple(sorted(required, key=lambda group: -usage[group[0]])))
            self._filtered.append(bool(rule.sources or rule.sections or rule.language or rule.entities))

    def _atom(self, term: Term) -> int:
        key = (term.exact, term.norm)
        atom = self._atom_ids.get(key)
        if atom is None:
            atom = self._atom_ids[key] = self._atom_count
            self._atom_count += 1
            index = self._norm_atoms if term.exact else self._stem_atoms
            for value in term_keys(term):
                index[value] = (*index.get(value, ()), atom)
        return atom

    def _scan(self, text: str, base: int, budget: int, hits: _Hits, spans: _Spans) -> tuple[int, bool]:
        """Record the atoms of the first ``budget`` tokens of ``text`` at positions from ``base``.
        Returns the number of tokens read and whether more were left unread."""
        cache, stem_atoms, norm_atoms = self._cache, self._stem_atoms, self._norm_atoms
        tokens = TOKEN_RE.finditer(text)
        read = skipped = 0
        for read, match in enumerate(itertools.islice(tokens, budget), start=1):
            surface = match.group()
            atoms = cache.get(surface)
            if atoms is None:  # a new word: its inflected and exact atoms (never the same atom)
                norm, word_stem = analyze_word(surface)
                atoms = cache[surface] = stem_atoms.get(word_stem, ()) + norm_atoms.get(norm, ()) if norm else (-1,)
            if atoms:
                if atoms[0] == -1:  # a token that normalizes to nothing holds no position
                    skipped += 1
                    continue
                position = base + read - 1 - skipped
                spans[position] = match.span()
                for atom in atoms:
                    hits.setdefault(atom, []).append(position)
        return read, read == budget and next(tokens, None) is not None

    def _evaluate(self, fields: Sequence[tuple[str, str]], article: Article | None) -> list[RuleMatch]:
        hits: _Hits = {}
        spans: _Spans = {}
        self.last_work = 0
        if len(self._cache) > _CACHE_LIMIT:  # checked per article, not per word (may run over by one article)
            self._cache.clear()
        budget, truncated = self.max_tokens, False
        for number, (_, text) in enumerate(fields):
            if text and not truncated:
                used, truncated = self._scan(text, number * FIELD_STRIDE, budget, hits, spans)
                budget -= used
        if truncated:
            logger.warning("%s has more than %d tokens: alert rules were matched on its first %d only",
                           article.url if article is not None else "text", self.max_tokens, self.max_tokens)
        names = [name for name, _ in fields]
        return [
            RuleMatch(self.rules[index].name, _spans(positions, spans, names))
            for index, positions in self._matching(hits, article)
        ]

    def _matching(self, hits: _Hits, article: Article | None) -> Iterable[tuple[int, set[int]]]:
        """``(rule index, positions to highlight)`` of every rule that matches."""
        keys: set[_Key] = set(hits)
        if self._followers:
            keys.update(self._adjacent_pairs(hits))
        key_rules = self._key_rules
        evaluation = Evaluation(hits, self._atom_ids)
        for index in sorted({rule for key in keys for rule in key_rules.get(key, ())}):
            # Cheap pre-check: every word the query cannot do without must have been seen.
            if not _seen_all(self._required[index], hits):
                continue
            rule = self.rules[index]
            if article is not None and self._filtered[index] and not _passes_filters(rule, article):
                continue
            positions = evaluation.match(self._queries[index])
            if positions:
                yield index, positions
        self.last_work = evaluation.work

    def _adjacent_pairs(self, hits: _Hits) -> set[tuple[int, int]]:
        """The candidate keys of phrases: pairs of atoms on adjacent tokens that some rule uses."""
        followers = self._followers
        at: dict[int, list[int]] = {}  # position → its atoms that can follow another
        for atom, positions in hits.items():
            if atom in self._following:
                for position in positions:
                    at.setdefault(position, []).append(atom)
        pairs: set[tuple[int, int]] = set()
        for atom, positions in hits.items():
            wanted = followers.get(atom)
            if wanted is not None:
                for position in positions:
                    for following in at.get(position + 1, ()):
                        if following in wanted:
                            pairs.add((atom, following))
        return pairs

    def match_article(self, article: Article) -> list[RuleMatch]:
        """Rules matching the article's title or body that also pass their filters."""
        return self._evaluate((("title", article.title), ("body", article.body)), article)

    def match_text(self, text: str) -> list[RuleMatch]:
        """Rules whose query matches ``text`` (field ``"text"``); article filters are not applied."""
        return self._evaluate((("text", text),), None)


def try_query(query: str, text: str, match: str = "inflected") -> list[tuple[int, int, str]]:
    """``(start, end, surface)`` of every highlighted word when ``query`` matches ``text``,
    else an empty list. Raises QuerySyntaxError for a bad query (``marsad alerts try``)."""
    rule = Rule(name="try", query_text=query, query=parse_query(query, match), match=match)
    found = RuleMatcher([rule]).match_text(text)
    return [(start, end, text[start:end]) for start, end in found[0].spans] if found else []


def _all_terms(node: Query) -> Iterable[Term]:
    if isinstance(node, Term):
        yield node
    elif isinstance(node, Phrase):
        yield from node.terms
    elif isinstance(node, Not):
        yield from _all_terms(node.child)
    elif isinstance(node, Near):
        yield from _all_terms(node.left)
        yield from _all_terms(node.right)
    else:
        for child in node.children:
            yield from _all_terms(child)


def _shared(node: Query, nodes: dict[object, Query]) -> Query:
    """One object for each distinct part of all the rules' queries (where a word stands in the
    query aside): an :class:`Evaluation` remembers occurrences per object, so a phrase that
    a thousand rules share is looked for once per article."""
    if isinstance(node, Not):
        node = Not(_shared(node.child, nodes))
    elif isinstance(node, Near):
        node = Near(_shared(node.left, nodes), _shared(node.right, nodes), node.distance)
    elif isinstance(node, And):
        node = And(tuple(_shared(child, nodes) for child in node.children))
    elif isinstance(node, Or):
        node = Or(tuple(_shared(child, nodes) for child in node.children))
    return nodes.setdefault(_shape(node), node)


def _shape(node: Query) -> object:
    """What ``node`` means; its parts are already shared, so their ids stand for them."""
    if isinstance(node, Term):
        return node.exact, node.norm
    if isinstance(node, Phrase):
        return "phrase", tuple((term.exact, term.norm) for term in node.terms)
    if isinstance(node, Not):
        return "not", id(node.child)
    if isinstance(node, Near):
        return "near", id(node.left), id(node.right), node.distance
    return type(node).__name__, tuple(id(child) for child in node.children)


def _triggers(node: Query, atoms: _Atoms, usage: dict[int, int]) -> set[_Key]:
    """Candidate keys one of which must occur for ``node`` to match. Where every part is
    required (AND, NEAR) the part whose atoms the fewest rules use is enough, so a rule like
    «وزير NEAR/4 أذربيجان» is only evaluated for articles that mention أذربيجان; a phrase is
    keyed on its rarest pair of adjacent words («عمرو طلعت» not on every «عمرو»)."""
    if isinstance(node, Term):
        return {atoms[(node.exact, node.norm)]}
    if isinstance(node, Or):
        return set().union(*(_triggers(child, atoms, usage) for child in node.children))
    options: list[set[_Key]]
    if isinstance(node, Phrase):
        ids = [atoms[(term.exact, term.norm)] for term in node.terms]
        if len(ids) == 1:
            return {ids[0]}
        pair = min(itertools.pairwise(ids), key=lambda p: usage[p[0]] * usage[p[1]])
        return {pair}
    elif isinstance(node, Near):
        options = [_triggers(node.left, atoms, usage), _triggers(node.right, atoms, usage)]
    elif isinstance(node, And):
        options = [_triggers(child, atoms, usage) for child in node.children if not isinstance(child, Not)]
    else:  # an exclusion never triggers a rule
        return set()
    return min(options, key=lambda found: (sum(_usage(key, usage) for key in found), len(found)))


def _usage(key: _Key, usage: dict[int, int]) -> int:
    return usage[key] if isinstance(key, int) else min(usage[key[0]], usage[key[1]]) // 4


def _requirements(node: Query, atoms: _Atoms, usage: dict[int, int]) -> list[set[int]]:
    """Groups of atoms such that ``node`` can only match when each group has a hit."""
    if isinstance(node, Term):
        return [{atoms[(node.exact, node.norm)]}]
    if isinstance(node, Or):  # some word of some alternative
        return [{atom for child in node.children for group in _requirements(child, atoms, usage) for atom in group}]
    if isinstance(node, Phrase):
        return [{atoms[(term.exact, term.norm)]} for term in node.terms]
    if isinstance(node, Near):
        return _requirements(node.left, atoms, usage) + _requirements(node.right, atoms, usage)
    if isinstance(node, And):
        return [group for child in node.children for group in _requirements(child, atoms, usage)]
    return []


def _seen_all(required: tuple[tuple[int, ...], ...], hits: _Hits) -> bool:
    """Whether each group of atoms has one that occurs (loops: this runs for every candidate)."""
    for group in required:
        for atom in group:
            if atom in hits:
                break
        else:
            return False
    return True


def _spans(positions: set[int], spans: _Spans, names: list[str]) -> dict[str, list[tuple[int, int]]]:
    """Character spans by field name, fields in order (positions sort by field, then by place)."""
    by_field: dict[int, list[tuple[int, int]]] = {}
    for position in sorted(positions):
        by_field.setdefault(position // FIELD_STRIDE, []).append(spans[position])
    return {names[number]: found for number, found in by_field.items()}


def _passes_filters(rule: Rule, article: Article) -> bool:
    if rule.sources and article.source not in rule.sources:
        return False
    if rule.sections and norm_name(article.section or "") not in rule.sections:
        return False
    if rule.language and (article.language or "").lower().split("-")[0] != rule.language:
        return False
    for kind in ENTITY_KINDS:
        wanted = rule.entities.get(kind)
        if wanted and not wanted.intersection(norm_name(name) for name in getattr(article.entities, kind)):
            return False
    return True
