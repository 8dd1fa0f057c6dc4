"""Translate a parsed rule query to Elasticsearch query DSL (8.19, 9.x) over pre-analyzed fields.

Each text field is stored twice beside the ``standard``-analyzed one:

* ``<field>_terms``: ``" ".join(index_terms(text))`` indexed with the ``whitespace`` analyzer;
* ``<field>_norm``: ``" ".join(norm_terms(text))``, same tokenization, for exact words.

Both hold one term per token, so positions line up and a NEAR or a phrase may mix inflected and
exact words (``span_field_masking`` puts the exact clause on the ``_terms`` field's positions).
A word matches any of its :func:`~indexer.alerts.query.term_keys`, exactly like the alert
matcher; AND/OR/exclusion combine over the whole document, phrases and NEAR within one field.
The DSL is built as plain dicts, never by formatting strings.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from indexer.alerts.query import And, Near, Not, Or, Phrase, Query, Term, term_keys
from indexer.analysis import stem

__all__ = ["DEFAULT_FIELDS", "may_overlap", "to_es_query"]

# (inflected field, exact field) pairs.
DEFAULT_FIELDS: tuple[tuple[str, str], ...] = (("title_terms", "title_norm"), ("body_terms", "body_norm"))

_Dsl = dict[str, Any]


def to_es_query(query: Query, fields: Sequence[tuple[str, str]] = DEFAULT_FIELDS) -> _Dsl:
    """The ES query for ``query``; ``fields`` lists (inflected field, exact field) pairs."""
    if not fields:
        raise ValueError("to_es_query needs at least one (terms field, norm field) pair")
    return _doc(query, fields)


def _should(clauses: list[_Dsl]) -> _Dsl:
    return clauses[0] if len(clauses) == 1 else {"bool": {"should": clauses, "minimum_should_match": 1}}


def _doc(node: Query, fields: Sequence[tuple[str, str]]) -> _Dsl:
    if isinstance(node, Term):
        return _should([_term(node, pair) for pair in fields])
    if isinstance(node, Phrase):
        return _should([_phrase(node, pair) for pair in fields])
    if isinstance(node, Near):
        return _should([_span(node, pair) for pair in fields])
    if isinstance(node, Or):
        should = [_doc(child, fields) for child in node.children]
        return {"bool": {"should": should, "minimum_should_match": 1}}
    if isinstance(node, And):
        must = [_doc(child, fields) for child in node.children if not isinstance(child, Not)]
        must_not = [_doc(child.child, fields) for child in node.children if isinstance(child, Not)]
        body: _Dsl = {"must": must}
        if must_not:
            body["must_not"] = must_not
        return {"bool": body}
    # A bare exclusion is rejected by the parser; keep the translation total anyway.
    return {"bool": {"must_not": [_doc(node.child, fields)]}}


def _field(term: Term, pair: tuple[str, str]) -> str:
    return pair[1] if term.exact else pair[0]


def _term(term: Term, pair: tuple[str, str]) -> _Dsl:
    keys = sorted(term_keys(term))
    field = _field(term, pair)
    return {"term": {field: keys[0]}} if len(keys) == 1 else {"terms": {field: keys}}


def _phrase(node: Phrase, pair: tuple[str, str]) -> _Dsl:
    keys = [sorted(term_keys(term)) for term in node.terms]
    fields = {_field(term, pair) for term in node.terms}
    if len(fields) == 1 and all(len(options) == 1 for options in keys):
        words = " ".join(options[0] for options in keys)
        return {"match_phrase": {fields.pop(): {"query": words, "analyzer": "whitespace"}}}
    return _span(node, pair)


def _span(node: Query, pair: tuple[str, str]) -> _Dsl:
    if isinstance(node, Term):
        keys = sorted(term_keys(node))
        field = _field(node, pair)
        clauses = [{"span_term": {field: key}} for key in keys]
        span: _Dsl = clauses[0] if len(clauses) == 1 else {"span_or": {"clauses": clauses}}
        if field != pair[0]:
            span = {"span_field_masking": {"query": span, "field": pair[0]}}
        return span
    if isinstance(node, Phrase):
        clauses = [_span(term, pair) for term in node.terms]
        return {"span_near": {"clauses": clauses, "slop": 0, "in_order": True}}
    if isinstance(node, Or):
        return {"span_or": {"clauses": [_span(child, pair) for child in node.children]}}
    if isinstance(node, Near):
        left, right = _span(node.left, pair), _span(node.right, pair)
        if not may_overlap(node.left, node.right):
            # Sides that can never cover the same token: one unordered span_near, the same size as
            # the query (a chain of NEARs stays linear).
            return {"span_near": {"clauses": [left, right], "slop": node.distance, "in_order": False}}
        # Two ordered span_near queries instead of one unordered: an unordered span_near lets its
        # sides overlap (`مصر NEAR/5 مصر` would match a single مصر), the matcher does not. Each side
        # is written twice, so this doubles the size: the search limits bound how deep NEARs nest.
        return {"span_or": {"clauses": [
            {"span_near": {"clauses": [left, right], "slop": node.distance, "in_order": True}},
            {"span_near": {"clauses": [right, left], "slop": node.distance, "in_order": True}},
        ]}}
    raise ValueError(f"{type(node).__name__} cannot be used inside NEAR")


def may_overlap(left: Query, right: Query) -> bool:
    """Whether an occurrence of ``left`` and one of ``right`` could share a position, which the
    matcher's NEAR forbids and an unordered span or FTS5 NEAR allows. A side holding a NEAR
    always may: its occurrence spans the words between its two sides, and any word could be one.
    Otherwise they may when some token could match a word of each: a token's stem is a function
    of its normalized form, so an exact word ``=w`` only matches tokens whose stem is stem(w)."""
    left_stems, right_stems = _side_stems(left), _side_stems(right)
    return left_stems is None or right_stems is None or not left_stems.isdisjoint(right_stems)


def _side_stems(node: Query) -> set[str] | None:
    """The stems of the tokens ``node`` can cover, None when that is any token (a NEAR inside)."""
    if isinstance(node, Term):
        return {stem(node.norm)} if node.exact else set(term_keys(node))
    if isinstance(node, Phrase):
        return set().union(*(_side_stems(term) or set() for term in node.terms))
    if isinstance(node, Or):
        stems: set[str] = set()
        for child in node.children:
            found = _side_stems(child)
            if found is None:
                return None
            stems |= found
        return stems
    return None
