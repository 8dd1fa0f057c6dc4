"""parse_query: the AST for each construct, and a precise error for each mistake."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indexer.alerts import And, Near, Not, Or, Phrase, QuerySyntaxError, Term, parse_query


def words(query: object) -> list[str]:
    if isinstance(query, Term):
        return [query.norm]
    if isinstance(query, Phrase):
        return [t.norm for t in query.terms]
    if isinstance(query, Not):
        return words(query.child)
    if isinstance(query, Near):
        return words(query.left) + words(query.right)
    assert isinstance(query, And | Or)
    return [w for child in query.children for w in words(child)]


def test_term_is_normalized() -> None:
    assert parse_query("أذربيجان") == Term("أذربيجان", "اذربيجان", False, 0)


def test_implicit_and_or_not_near_parentheses() -> None:
    query = parse_query('(مصر OR "المملكة العربية") NEAR/5 أذربيجان -رياضة')
    assert isinstance(query, And)
    near, exclusion = query.children
    assert isinstance(near, Near) and near.distance == 5
    assert isinstance(near.left, Or) and isinstance(near.left.children[1], Phrase)
    assert isinstance(exclusion, Not)
    assert words(query) == ["مصر", "المملكه", "العربيه", "اذربيجان", "رياضه"]


def test_explicit_and_and_exact_marker() -> None:
    query = parse_query("=مصر AND تونس", match="inflected")
    assert isinstance(query, And)
    assert [c.exact for c in query.children if isinstance(c, Term)] == [True, False]
    assert isinstance(parse_query("مصر", match="exact"), Term)
    assert parse_query("مصر", match="exact") == Term("مصر", "مصر", True, 0)


def test_or_binds_looser_than_and() -> None:
    query = parse_query("a b OR c")
    assert isinstance(query, Or) and isinstance(query.children[0], And)


def test_word_that_splits_becomes_phrase() -> None:
    query = parse_query("COVID-19")
    assert isinstance(query, Phrase) and words(query) == ["covid", "19"]


@pytest.mark.parametrize(
    ("query", "position", "fragment"),
    [
        ("", 0, "empty query"),
        ("   ", 0, "empty query"),
        ("(مصر تونس", 0, "never closed"),
        ("مصر)", 3, "unbalanced"),
        ('"الذكاء الاصطناعي', 0, "unterminated"),
        ("مصر NEAR/x تونس", 4, "NEAR needs a distance"),
        ("NEAR/3 مصر", 0, "expected a word"),
        ("مصر OR", 6, "query ends"),
        ("-مصر", 1, "exclusion"),
        ("مصر OR -تونس", 8, "exclusion"),
        ("مصر NEAR/3 (تونس ليبيا)", 12, "NEAR works on"),
        ("؟؟", 0, "no searchable word"),
        ("()", 1, "expected a word"),
    ],
)
def test_syntax_errors_have_position(query: str, position: int, fragment: str) -> None:
    with pytest.raises(QuerySyntaxError) as info:
        parse_query(query)
    assert info.value.position == position
    assert fragment in info.value.message


@given(st.text(alphabet=st.sampled_from(list('مصر تونس()"-=ORANDNEAR/5 OR AND NEAR/ ab')) | st.characters()))
def test_any_string_parses_or_raises_syntax_error(text: str) -> None:
    try:
        parse_query(text)
    except QuerySyntaxError as exc:
        assert 0 <= exc.position <= len(text)
