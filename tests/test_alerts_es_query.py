"""to_es_query: the DSL shape for each construct over the pre-analyzed fields."""

from __future__ import annotations

import json

from indexer.alerts import parse_query, term_keys, to_es_query
from indexer.alerts.query import Term

FIELDS = (("body_terms", "body_norm"),)


def test_term_uses_all_inflected_stems() -> None:
    query = parse_query("أذربيجان")
    assert isinstance(query, Term)
    assert to_es_query(query, FIELDS) == {"terms": {"body_terms": sorted(term_keys(query))}}


def test_exact_term_uses_norm_field() -> None:
    assert to_es_query(parse_query("=مصر"), FIELDS) == {"term": {"body_norm": "مصر"}}


def test_default_fields_are_or_ed() -> None:
    dsl = to_es_query(parse_query("=مصر"))
    assert dsl == {"bool": {"should": [{"term": {"title_norm": "مصر"}}, {"term": {"body_norm": "مصر"}}],
                            "minimum_should_match": 1}}


def test_phrase_of_single_terms_is_match_phrase() -> None:
    dsl = to_es_query(parse_query('="عمرو طلعت"'), FIELDS)
    assert dsl == {"match_phrase": {"body_norm": {"query": "عمرو طلعت", "analyzer": "whitespace"}}}


def test_inflected_phrase_is_ordered_span_near() -> None:
    dsl = to_es_query(parse_query('"الذكاء الاصطناعي"'), FIELDS)
    near = dsl["span_near"]
    assert near["slop"] == 0 and near["in_order"] is True and len(near["clauses"]) == 2
    assert {"span_term": {"body_terms": "ذكاء"}} in near["clauses"][0]["span_or"]["clauses"]


def test_near_mixes_exact_with_field_masking() -> None:
    """Sides that cannot cover the same token: one unordered span_near (the query stays linear)."""
    dsl = to_es_query(parse_query("=مصر NEAR/5 chatgpt"), FIELDS)
    egypt = {"span_field_masking": {"query": {"span_term": {"body_norm": "مصر"}}, "field": "body_terms"}}
    chatgpt = {"span_term": {"body_terms": "chatgpt"}}
    assert dsl == {"span_near": {"clauses": [egypt, chatgpt], "slop": 5, "in_order": False}}


def test_near_whose_sides_may_overlap_is_two_ordered_span_nears() -> None:
    """An unordered span_near lets its sides share a token; the matcher's NEAR does not."""
    dsl = to_es_query(parse_query("=مصر NEAR/5 مصر"), FIELDS)
    egypt = {"span_field_masking": {"query": {"span_term": {"body_norm": "مصر"}}, "field": "body_terms"}}
    inflected = {"span_or": {"clauses": [{"span_term": {"body_terms": key}} for key in sorted(
        term_keys(Term("مصر", "مصر")))]}}
    assert dsl == {"span_or": {"clauses": [
        {"span_near": {"clauses": [egypt, inflected], "slop": 5, "in_order": True}},
        {"span_near": {"clauses": [inflected, egypt], "slop": 5, "in_order": True}},
    ]}}


def test_near_of_words_phrases_and_or_groups_writes_each_word_once() -> None:
    """Sides that cannot overlap: the DSL is as long as the query, however many words."""
    words = ["chatgpt", "5g", "iphone", "android", "linux", "python", "rust", "java", "kotlin", "swift"]
    for size in range(2, len(words)):
        left = "(" + " OR ".join(words[:size]) + ")"
        dsl = json.dumps(to_es_query(parse_query(f'{left} NEAR/3 "{words[size]} gpu"'), FIELDS))
        assert all(dsl.count(f'"{word}"') == 1 for word in words[:size + 1]), dsl


def test_a_near_inside_a_near_doubles_once_per_level() -> None:
    """The outer NEAR measures from the inner one's ends, so it must not overlap it: the inner
    side is written once per order. The search limits bound the levels (indexer/search/plan.py)."""
    words = ["chatgpt", "5g", "iphone", "android", "linux"]
    for size in range(2, len(words) + 1):
        dsl = json.dumps(to_es_query(parse_query(" NEAR/3 ".join(words[:size])), FIELDS))
        assert dsl.count('"chatgpt"') == 2 ** (size - 2)


def test_boolean_structure() -> None:
    dsl = to_es_query(parse_query("(=a OR =b) =c -=d"), FIELDS)
    assert dsl == {"bool": {
        "must": [
            {"bool": {"should": [{"term": {"body_norm": "a"}}, {"term": {"body_norm": "b"}}],
                      "minimum_should_match": 1}},
            {"term": {"body_norm": "c"}},
        ],
        "must_not": [{"term": {"body_norm": "d"}}],
    }}


def test_hostile_text_stays_data() -> None:
    dsl = to_es_query(parse_query('"} ] {script: 1"'), FIELDS)
    assert dsl == {"match_phrase": {"body_terms": {"query": "script 1", "analyzer": "whitespace"}}}
