"""The alert/search rule language: parser and AST.

Grammar (keywords are upper case, so the Latin words "or"/"near" stay searchable)::

    query   := or
    or      := and ("OR" and)*
    and     := near (["AND"] near)*          # juxtaposition means AND
    near    := unary ("NEAR/" n unary)*      # n = max. number of other words between
    unary   := "-" unary | primary           # exclusion, only inside an AND with a positive part
    primary := "(" or ")" | ["="] '"' words '"' | ["="] word

A word or quoted phrase is matched *inflected* (stems, clitics allowed on every word) unless the
rule says ``match: exact`` or the word is prefixed with ``=`` (``=مصر``), which compares
normalized surface forms. A word that the analyzer splits in several tokens (``COVID-19``) is a
phrase. Errors raise :class:`QuerySyntaxError` with the character ``position`` in the query.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from indexer.analysis import analyze_word, query_stems
from indexer.analysis.tokenize import TOKEN_RE

__all__ = [
    "And", "Near", "Not", "Or", "Phrase", "Query", "QuerySyntaxError", "Term", "parse_query", "term_keys",
]


class QuerySyntaxError(ValueError):
    """A query that does not parse; ``position`` is the 0-based character offset of the problem."""

    def __init__(self, message: str, position: int, query: str = "") -> None:
        self.message = message
        self.position = position
        self.query = query
        super().__init__(f"{message} (at character {position})")


@dataclass(frozen=True)
class Term:
    text: str  # the word as written
    norm: str  # its normalized form
    exact: bool = False
    position: int = 0


@dataclass(frozen=True)
class Phrase:
    terms: tuple[Term, ...]
    position: int = 0


@dataclass(frozen=True)
class And:
    children: tuple[Query, ...]


@dataclass(frozen=True)
class Or:
    children: tuple[Query, ...]


@dataclass(frozen=True)
class Not:
    child: Query


@dataclass(frozen=True)
class Near:
    left: Query
    right: Query
    distance: int


Query = Term | Phrase | And | Or | Not | Near

_LEXER = re.compile(
    r'(?P<space>\s+)|(?P<lparen>\()|(?P<rparen>\))|(?P<phrase>=?"[^"]*"?)'
    r"|(?P<near>NEAR/\S*)|(?P<word>=?[^\s()\"]+)"
)
_NEAR_RE = re.compile(r"NEAR/(\d{1,4})")
_MAX_DEPTH = 100


@dataclass(frozen=True)
class _Tok:
    kind: str  # lparen rparen phrase near word or and not
    text: str
    position: int


def _lex(text: str) -> list[_Tok]:
    tokens: list[_Tok] = []
    for match in _LEXER.finditer(text):
        kind = match.lastgroup or "space"
        value, position = match.group(), match.start()
        if kind == "space":
            continue
        if kind == "word" and value in ("OR", "AND"):
            kind = value.lower()
        elif kind == "word" and value.startswith("-"):
            tokens.append(_Tok("not", "-", position))
            value, position = value[1:], position + 1
            if not value:
                continue
            kind = "near" if value.startswith("NEAR/") else "word"
        tokens.append(_Tok(kind, value, position))
    return tokens


def _analyze_words(text: str, offset: int, exact: bool) -> list[Term]:
    terms = []
    for match in TOKEN_RE.finditer(text):
        norm = analyze_word(match.group())[0]
        if norm:
            terms.append(Term(match.group(), norm, exact, offset + match.start()))
    return terms


class _Parser:
    def __init__(self, text: str, exact: bool) -> None:
        self.text = text
        self.exact = exact
        self.tokens = _lex(text)
        self.index = 0
        self.depth = 0

    def error(self, message: str, position: int | None = None) -> QuerySyntaxError:
        if position is None:
            token = self.peek()
            position = token.position if token is not None else len(self.text)
        return QuerySyntaxError(message, position, self.text)

    def peek(self) -> _Tok | None:
        return self.tokens[self.index] if self.index < len(self.tokens) else None

    def take(self) -> _Tok:
        token = self.tokens[self.index]
        self.index += 1
        return token

    def parse(self) -> Query:
        if not self.tokens:
            raise self.error("empty query", 0)
        query = self.parse_or()
        token = self.peek()
        if token is not None:
            raise self.error("unbalanced ')'" if token.kind == "rparen" else f"unexpected {token.text!r}")
        return query

    def parse_or(self) -> Query:
        children = [self.parse_and()]
        while (token := self.peek()) is not None and token.kind == "or":
            self.take()
            children.append(self.parse_and())
        return children[0] if len(children) == 1 else Or(tuple(children))

    def parse_and(self) -> Query:
        children = [self.parse_near()]
        while (token := self.peek()) is not None and token.kind not in ("or", "rparen"):
            if token.kind == "and":
                self.take()
            children.append(self.parse_near())
        return children[0] if len(children) == 1 else And(tuple(children))

    def parse_near(self) -> Query:
        left = self.parse_unary()
        while (token := self.peek()) is not None and token.kind == "near":
            self.take()
            match = _NEAR_RE.fullmatch(token.text)
            if match is None:
                raise self.error("NEAR needs a distance, e.g. NEAR/5", token.position)
            right = self.parse_unary()
            left = Near(left, right, int(match.group(1)))
        return left

    def parse_unary(self) -> Query:
        negations = 0
        while (token := self.peek()) is not None and token.kind == "not":
            self.take()
            negations += 1
        node = self.parse_primary()
        for _ in range(negations):
            node = Not(node)
        return node

    def parse_primary(self) -> Query:
        token = self.peek()
        if token is None:
            raise self.error("query ends where a word, a phrase or '(' was expected")
        if token.kind == "lparen":
            self.take()
            self.depth += 1
            if self.depth > _MAX_DEPTH:
                raise self.error("parentheses nested too deeply", token.position)
            inner = self.parse_or()
            closing = self.peek()
            if closing is None or closing.kind != "rparen":
                raise self.error("'(' is never closed", token.position)
            self.take()
            self.depth -= 1
            return inner
        if token.kind in ("word", "phrase"):
            self.take()
            return self.words(token)
        raise self.error(f"expected a word, a phrase or '(' but found {token.text!r}")

    def words(self, token: _Tok) -> Query:
        value, offset = token.text, token.position
        exact = self.exact
        if value.startswith("="):
            exact, value, offset = True, value[1:], offset + 1
        if token.kind == "phrase":
            if len(value) < 2 or not value.endswith('"'):
                raise self.error("unterminated quoted phrase", token.position)
            value, offset = value[1:-1], offset + 1
        terms = _analyze_words(value, offset, exact)
        if not terms:
            raise self.error(f"{token.text!r} contains no searchable word", token.position)
        if len(terms) == 1 and token.kind == "word":
            return terms[0]
        return Phrase(tuple(terms), token.position)


def _check(node: Query, text: str, in_near: bool = False) -> None:
    """Reject structures that cannot be matched: exclusions outside an AND with a positive
    part, and NEAR over anything but words, phrases, OR of those, or another NEAR."""
    if isinstance(node, Term | Phrase):
        return
    if isinstance(node, Not):
        raise QuerySyntaxError("an exclusion (-word) needs a positive word beside it", _first(node), text)
    if isinstance(node, Near):
        _check(node.left, text, True)
        _check(node.right, text, True)
        return
    if isinstance(node, And):
        if in_near:
            raise QuerySyntaxError("NEAR works on words, phrases and OR groups only", _first(node), text)
        positives = [child for child in node.children if not isinstance(child, Not)]
        if not positives:
            raise QuerySyntaxError("a query needs at least one word that is not excluded", _first(node), text)
        for child in node.children:
            _check(child.child if isinstance(child, Not) else child, text, False)
        return
    for child in node.children:
        _check(child, text, in_near)


def _first(node: Query) -> int:
    while not isinstance(node, Term | Phrase):
        if isinstance(node, Not):
            node = node.child
        elif isinstance(node, Near):
            node = node.left
        else:
            node = node.children[0]
    return node.position


def parse_query(text: str, match: str = "inflected") -> Query:
    """Parse ``text``; ``match`` ("inflected" or "exact") is the default for every word."""
    if match not in ("inflected", "exact"):
        raise ValueError(f"match must be 'inflected' or 'exact', not {match!r}")
    query = _Parser(text, match == "exact").parse()
    _check(query, text)
    return query


def term_keys(term: Term) -> frozenset[str]:
    """The index terms a query word matches: its inflected stems, or its normalized surface
    form for an exact word. The matcher and the search backends both use this."""
    return frozenset({term.norm}) if term.exact else query_stems(term.norm)
