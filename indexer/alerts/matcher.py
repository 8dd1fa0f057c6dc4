"""Match every alert rule against an article in one pass over its tokens.

Compilation turns each query word into an *atom*: the set of index terms it matches
(:func:`~indexer.alerts.query.term_keys`, stems for inflected words, normalized forms for exact
ones). All atoms of all rules go into two dictionaries, stem → atoms and normalized form → atoms.
Scanning an article costs one regex pass and one or two dictionary look-ups per token (cached
per surface form), whatever the number of rules; only rules with a hit atom are then evaluated
(phrases, NEAR, AND/OR/exclusion) on the recorded token positions.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from core.article import Article
from indexer.alerts.query import And, Near, Not, Or, Phrase, Query, Term, parse_query, term_keys
from indexer.alerts.rules import ENTITY_KINDS, Rule, norm_name
from indexer.analysis import analyze_word
from indexer.analysis.tokenize import TOKEN_RE

__all__ = ["RuleMatch", "RuleMatcher", "try_query"]

# One occurrence: field, first and last token index, character spans of the matched words.
_Occurrence = tuple[str, int, int, tuple[tuple[int, int], ...]]
_Positions = dict[tuple[str, int], tuple[int, int]]  # (field, token index) → char span
_Hits = dict[int, _Positions]  # atom → its positions
_Atoms = dict[tuple[bool, str], int]  # (exact, normalized word) → atom
_Key = int | tuple[int, int]  # a candidate key: one atom, or two atoms on adjacent tokens
_CACHE_LIMIT = 500_000
_FIELDS = ("title", "body")


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
    def __init__(self, rules: Iterable[Rule]) -> None:
        self.rules: list[Rule] = list(rules)
        self._atom_ids: dict[tuple[bool, str], int] = {}
        self._stem_atoms: dict[str, list[int]] = {}
        self._norm_atoms: dict[str, list[int]] = {}
        self._atom_count = 0
        self._key_rules: dict[_Key, list[int]] = {}
        self._bigrams: set[tuple[int, int]] = set()
        self._cache: dict[str, tuple[int, ...]] = {}
        usage: dict[int, int] = {}
        for rule in self.rules:
            for term in _all_terms(rule.query):
                atom = self._atom(term)
                usage[atom] = usage.get(atom, 0) + 1
        self._required: list[tuple[tuple[int, ...], ...]] = []
        self._filtered: list[bool] = []
        for index, rule in enumerate(self.rules):
            for key in _triggers(rule.query, self._atom_ids, usage):
                self._key_rules.setdefault(key, []).append(index)
                if isinstance(key, tuple):
                    self._bigrams.add(key)
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
                index.setdefault(value, []).append(atom)
        return atom

    def _atoms_of(self, surface: str) -> tuple[int, ...]:
        atoms = self._cache.get(surface)
        if atoms is None:
            norm, word_stem = analyze_word(surface)
            atoms = tuple(self._stem_atoms.get(word_stem, ())) + tuple(self._norm_atoms.get(norm, ()))
            if not norm:
                atoms = (-1,)
            if len(self._cache) >= _CACHE_LIMIT:
                self._cache.clear()
            self._cache[surface] = atoms
        return atoms

    def _scan(self, field: str, text: str, hits: dict[int, _Positions]) -> None:
        position = 0
        cache_get = self._cache.get
        for match in TOKEN_RE.finditer(text):
            atoms = cache_get(match.group())
            if atoms is None:
                atoms = self._atoms_of(match.group())
            if atoms:
                if atoms[0] == -1:
                    continue  # a token that normalizes to nothing holds no position
                span = match.span()
                for atom in atoms:
                    hits.setdefault(atom, {})[(field, position)] = span
            position += 1

    def _evaluate(self, fields: Sequence[tuple[str, str]], article: Article | None) -> list[RuleMatch]:
        hits: dict[int, _Positions] = {}
        for name, text in fields:
            if text:
                self._scan(name, text, hits)
        keys: set[_Key] = set(hits)
        if self._bigrams:
            keys.update(self._adjacent_pairs(hits))
        key_rules = self._key_rules
        candidates = sorted({rule for key in keys for rule in key_rules.get(key, ())})
        results = []
        for index in candidates:
            # Cheap pre-check: every word the query cannot do without must have been seen.
            if not all(any(atom in hits for atom in group) for group in self._required[index]):
                continue
            rule = self.rules[index]
            if article is not None and self._filtered[index] and not _passes_filters(rule, article):
                continue
            occurrences = _eval(rule.query, hits, self._atom_ids)
            if occurrences:
                results.append(RuleMatch(rule.name, _spans(occurrences, [name for name, _ in fields])))
        return results

    def _adjacent_pairs(self, hits: _Hits) -> set[tuple[int, int]]:
        at: dict[tuple[str, int], list[int]] = {}
        for atom, positions in hits.items():
            for position in positions:
                at.setdefault(position, []).append(atom)
        pairs: set[tuple[int, int]] = set()
        for (field, index), atoms in at.items():
            following = at.get((field, index + 1))
            if following:
                pairs.update(pair for pair in itertools.product(atoms, following) if pair in self._bigrams)
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


def _eval(node: Query, hits: _Hits, atoms: _Atoms) -> list[_Occurrence]:
    if isinstance(node, Term):
        positions = hits.get(atoms[(node.exact, node.norm)], {})
        return [(field, i, i, (span,)) for (field, i), span in positions.items()]
    if isinstance(node, Phrase):
        return _eval_phrase(node, hits, atoms)
    if isinstance(node, Or):
        return [occ for child in node.children for occ in _eval(child, hits, atoms)]
    if isinstance(node, Not):
        return _eval(node.child, hits, atoms)
    if isinstance(node, And):
        found: list[_Occurrence] = []
        for child in node.children:
            occurrences = _eval(child, hits, atoms)
            if isinstance(child, Not):
                if occurrences:
                    return []
            elif not occurrences:
                return []
            else:
                found.extend(occurrences)
        return found
    return _eval_near(node, hits, atoms)


def _eval_phrase(node: Phrase, hits: _Hits, atoms: _Atoms) -> list[_Occurrence]:
    positions = [hits.get(atoms[(term.exact, term.norm)], {}) for term in node.terms]
    found: list[_Occurrence] = []
    for (field, first), span in positions[0].items():
        spans = [span]
        for offset, following in enumerate(positions[1:], start=1):
            next_span = following.get((field, first + offset))
            if next_span is None:
                break
            spans.append(next_span)
        else:
            found.append((field, first, first + len(spans) - 1, tuple(spans)))
    return found


def _eval_near(node: Near, hits: _Hits, atoms: _Atoms) -> list[_Occurrence]:
    lefts = _eval(node.left, hits, atoms)
    rights = _eval(node.right, hits, atoms) if lefts else []
    found: list[_Occurrence] = []
    for field, first, last, spans in lefts:
        for other_field, other_first, other_last, other_spans in rights:
            if other_field != field:
                continue
            gap = other_first - last - 1 if other_first > last else first - other_last - 1
            if 0 <= gap <= node.distance:
                found.append((field, min(first, other_first), max(last, other_last), spans + other_spans))
    return found


def _spans(occurrences: list[_Occurrence], order: list[str]) -> dict[str, list[tuple[int, int]]]:
    by_field: dict[str, set[tuple[int, int]]] = {}
    for field, _first, _last, spans in occurrences:
        by_field.setdefault(field, set()).update(spans)
    return {field: sorted(by_field[field]) for field in order if field in by_field}


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
