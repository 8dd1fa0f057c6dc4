"""Turn a query in the rule language into what each backend runs.

SQLite gets an FTS5 expression that selects a superset of the matches (built from analyzed,
quoted terms — never from the raw query text), and every candidate is confirmed by the alert
matcher, so both backends and the alerts agree on what a query means. Elasticsearch gets the
equivalent query DSL over the pre-analyzed fields.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from core.article import Article
from core.errors import UsageError
from indexer.alerts.es_query import to_es_query
from indexer.alerts.matcher import RuleMatcher
from indexer.alerts.query import And, Near, Not, Or, Phrase, Query, QuerySyntaxError, Term, term_keys
from indexer.alerts.rules import Rule
from indexer.analysis import stem

STEM_COLUMNS = "{title_terms body_terms}"
NORM_COLUMNS = "{title_norm body_norm}"


@dataclass(frozen=True)
class SearchPlan:
    query: Query
    fts: str | None  # None: the query has no positive term to narrow candidates with
    es: dict[str, Any]
    matcher: RuleMatcher

    def matches(self, article: Article) -> bool:
        return bool(self.matcher.match_article(article))


def compile_plan(text: str, match: str = "inflected") -> SearchPlan:
    try:
        rule = Rule.from_query("search", text, match=match)
    except QuerySyntaxError as exc:
        raise UsageError(f"search query {text!r}: {exc}") from exc
    return SearchPlan(query=rule.query, fts=fts_expression(rule.query), es=to_es_query(rule.query),
                      matcher=RuleMatcher([rule]))


def fts_expression(node: Query) -> str | None:
    """An FTS5 expression every match of ``node`` satisfies (None = no narrowing possible)."""
    if isinstance(node, Term):
        return term_expression(node)
    if isinstance(node, Phrase):
        return join("AND", [term_expression(term) for term in node.terms])
    if isinstance(node, Near):
        return join("AND", [fts_expression(node.left), fts_expression(node.right)])
    if isinstance(node, And):
        return join("AND", [fts_expression(child) for child in node.children])
    if isinstance(node, Or):
        parts = [fts_expression(child) for child in node.children]
        return None if any(part is None for part in parts) else join("OR", parts)
    if isinstance(node, Not):
        return None
    raise TypeError(f"unknown query node {node!r}")


def term_expression(term: Term) -> str:
    columns = NORM_COLUMNS if term.exact else STEM_COLUMNS
    keys = sorted(term_keys(term)) if not term.exact else [term.norm]
    alternatives = " OR ".join(quote(key) for key in keys if key) or quote(stem(term.norm))
    return f"{columns} : ({alternatives})"


def quote(key: str) -> str:
    return '"' + key.replace('"', '""') + '"'


def join(operator: str, parts: list[str | None]) -> str | None:
    present = [part for part in parts if part is not None]
    if not present:
        return None
    return present[0] if len(present) == 1 else "(" + f" {operator} ".join(present) + ")"
