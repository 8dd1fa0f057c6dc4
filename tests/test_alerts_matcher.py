"""RuleMatcher: for each rule, a table of texts that must match and texts that must not."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.article import Article, Entities
from indexer.alerts import And, Not, Or, Phrase, Query, Rule, RuleMatcher, Term, term_keys, try_query
from indexer.analysis import Token, tokenize

RLM = "\u200f"

RULES = [
    Rule.from_query("azerbaijan", "أذربيجان"),
    Rule.from_query("ai", '"الذكاء الاصطناعي"'),
    Rule.from_query("talaat", '"عمرو طلعت"'),
    Rule.from_query("minister", "وزير"),
    Rule.from_query("egypt", "مصر"),
    Rule.from_query("company", "شركة"),
]
MATCHER = RuleMatcher(RULES)

MUST_MATCH: list[tuple[str, str]] = [
    # hamza / madda variants of the first letter
    ("azerbaijan", "زيارة إلى أذربيجان الأسبوع المقبل"),
    ("azerbaijan", "زيارة إلى اذربيجان الأسبوع المقبل"),
    ("azerbaijan", "زيارة إلى إذربيجان الأسبوع المقبل"),
    ("azerbaijan", "زيارة إلى آذربيجان الأسبوع المقبل"),
    # each single proclitic
    ("azerbaijan", "اجتماع بأذربيجان اليوم"),
    ("azerbaijan", "رسالة لأذربيجان اليوم"),
    ("azerbaijan", "مصر وأذربيجان توقعان"),
    ("azerbaijan", "فأذربيجان سباقة"),
    ("azerbaijan", "كأذربيجان وغيرها"),
    # combined proclitics, with the article
    ("azerbaijan", "وبأذربيجان أيضا"),
    ("azerbaijan", "والأذربيجانية أيضا"),
    ("azerbaijan", "للأذربيجانيين حق"),
    ("azerbaijan", "وبالأذربيجانية كتب"),
    # nisba with and without the article, plural nisba
    ("azerbaijan", "الوفد الأذربيجاني وصل"),
    ("azerbaijan", "وفد أذربيجاني وصل"),
    ("azerbaijan", "الحكومة الأذربيجانية قررت"),
    ("azerbaijan", "حكومة أذربيجانية قررت"),
    ("azerbaijan", "المستثمرين الأذربيجانيين"),
    ("azerbaijan", "المستثمرون الأذربيجانيون"),
    # diacritics, tatweel, RLM, end of sentence with punctuation
    ("azerbaijan", "سفيرُ أَذْرَبِيجَانَ في القاهرة"),
    ("azerbaijan", "سفير أذربيـــجان في القاهرة"),
    ("azerbaijan", f"سفير أذربيجان{RLM} في القاهرة"),
    ("azerbaijan", "التقى الوزير سفير أذربيجان."),
    ("azerbaijan", "هل زار أذربيجان؟"),
    ("azerbaijan", "(أذربيجان)"),
    # phrase with بال / لل / وال on the first word and hamza on the second
    ("ai", "تقنيات الذكاء الاصطناعي"),
    ("ai", "الاستثمار بالذكاء الاصطناعي"),
    ("ai", "مركز للذكاء الإصطناعي"),
    ("ai", "الحوسبة والذكاء الاصطناعى"),
    ("ai", "وبالذكاء الاصطناعي"),
    ("ai", "تطبيقات الذكاء الاصطناعيّ."),
    # full name after و / ل
    ("talaat", "التقى عمرو طلعت"),
    ("talaat", "التقى الوزير وعمرو طلعت"),
    ("talaat", "رسالة لعمرو طلعت"),
    # a short word keeps its clitics
    ("minister", "صرح الوزير"),
    ("minister", "والوزيرة قالت"),
    ("minister", "ووزير الاتصالات"),
    ("minister", "للوزير"),
    ("egypt", "بمصر"),
    ("egypt", "ولمصر"),
    ("egypt", "الشركات المصرية"),
    ("egypt", "المصريون"),
    ("company", "الشركات الناشئة"),
    ("company", "وشركاتها"),
    ("company", "للشركة"),
]

MUST_NOT_MATCH: list[tuple[str, str]] = [
    ("azerbaijan", "زيارة إلى أرمينيا وجورجيا"),
    ("azerbaijan", "جانب من الربيع"),  # the letters, not the word
    ("ai", "تقنيات الذكاء في العمل"),  # only the first word
    ("ai", "الاصطناعي وحده"),  # only the second word
    ("ai", "الذكاء العاطفي"),  # a different second word
    ("ai", "الذكاء البشري والذكاء العاطفي والاصطناعي"),
    ("ai", "الاصطناعي الذكاء"),  # wrong order
    ("talaat", "عمرو أحمد طلعت"),  # another word in between
    ("talaat", "عمرو موسى"),
    ("talaat", "طلعت حرب"),
    ("minister", "زير النساء"),
    ("minister", "وزارة"),
    ("egypt", "مصرف لبنان المركزي"),
    ("egypt", "عصر التكنولوجيا"),
    ("egypt", "أصر على رأيه"),
    ("company", "اشترك في الخدمة"),
]


@pytest.mark.parametrize(("rule", "text"), MUST_MATCH)
def test_must_match(rule: str, text: str) -> None:
    assert rule in {m.rule for m in MATCHER.match_text(text)}


@pytest.mark.parametrize(("rule", "text"), MUST_NOT_MATCH)
def test_must_not_match(rule: str, text: str) -> None:
    assert rule not in {m.rule for m in MATCHER.match_text(text)}


def test_spans_point_at_the_words() -> None:
    text = f"قال عمرو طلعت إن التعاون بالذكاء الإصطناعي مع أذربيجان{RLM}، وبالأذربيجانية."
    found = {m.rule: m for m in MATCHER.match_text(text)}
    assert [text[s:e] for s, e in found["azerbaijan"].spans] == ["أذربيجان", "وبالأذربيجانية"]
    assert [text[s:e] for s, e in found["ai"].spans] == ["بالذكاء", "الإصطناعي"]
    assert [text[s:e] for s, e in found["talaat"].spans] == ["عمرو", "طلعت"]
    assert found["talaat"].field == "text"


@pytest.mark.parametrize(
    ("query", "text", "expected"),
    [
        ("مصر OR تونس", "مؤتمر في تونس", ["تونس"]),
        ("مصر تونس", "مؤتمر في تونس", []),
        ("مصر تونس", "مصر وتونس", ["مصر", "وتونس"]),
        ("أذربيجان -رياضة", "منتخب أذربيجان", ["أذربيجان"]),
        ("أذربيجان -رياضة", "الرياضة في أذربيجان", []),
        ("(مصر OR تونس) أذربيجان", "بين تونس وأذربيجان", ["تونس", "وأذربيجان"]),
        ("(مصر OR تونس) أذربيجان", "بين ليبيا وأذربيجان", []),
        ("مصر NEAR/3 أذربيجان", "مصر وأذربيجان", ["مصر", "وأذربيجان"]),
        ("مصر NEAR/3 أذربيجان", "أذربيجان تستقبل وفدا من مصر", ["أذربيجان", "مصر"]),
        ("مصر NEAR/2 أذربيجان", "أذربيجان تستقبل وفدا رفيعا من مصر", []),
        ('"الذكاء الاصطناعي" NEAR/1 مصر', "مصر والذكاء الاصطناعي", ["مصر", "والذكاء", "الاصطناعي"]),
        ("=مصر", "بمصر والمصرية", []),
        ("=مصر", "في مصر", ["مصر"]),
        ("5G", "شبكات 5G في مصر", ["5G"]),
        ("chatgpt", "أطلقت ChatGPT", ["ChatGPT"]),
        ("2026", "في عام ٢٠٢٦", ["٢٠٢٦"]),
    ],
)
def test_try_query(query: str, text: str, expected: list[str]) -> None:
    assert [surface for _, _, surface in try_query(query, text)] == expected


def test_exact_rule_mode() -> None:
    assert try_query("مصر", "بمصر", match="exact") == []
    assert try_query("مصر", "مَصر", match="exact") == [(0, 4, "مَصر")]


def article(**overrides: object) -> Article:
    values: dict[str, object] = {
        "url": "http://127.0.0.1/a", "canonical_url": "http://127.0.0.1/a", "source": "techwave",
        "title": "مصر وأذربيجان", "body": "لقاء عمرو طلعت بالوزير الأذربيجاني.", "language": "ar",
        "section": "اتصالات", "entities": Entities(persons=["عمرو طلعت"]),
        "fetched_at": datetime(2026, 3, 15, tzinfo=UTC),
    }
    values.update(overrides)
    return Article(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("filters", "overrides", "matches"),
    [
        ({}, {}, True),
        ({"sources": ["techwave"]}, {}, True),
        ({"sources": ["arabnet"]}, {}, False),
        ({"sections": ["الاتصالات", "اتصالات"]}, {}, True),
        ({"sections": ["رياضة"]}, {}, False),
        ({"language": "ar"}, {"language": "ar-EG"}, True),
        ({"language": "en"}, {}, False),
        ({"entities": {"persons": ["عمرو طلعت"]}}, {}, True),
        ({"entities": {"persons": ["عمرو  طلعت"]}}, {}, True),
        ({"entities": {"persons": ["رشاد نابييف"]}}, {}, False),
        ({"entities": {"organizations": ["ITIDA"]}}, {}, False),
    ],
)
def test_rule_filters(filters: dict[str, Any], overrides: dict[str, object], matches: bool) -> None:
    matcher = RuleMatcher([Rule.from_query("r", "أذربيجان", **filters)])
    assert bool(matcher.match_article(article(**overrides))) is matches


def test_match_article_reports_fields() -> None:
    (found,) = RuleMatcher([Rule.from_query("r", "أذربيجان طلعت")]).match_article(article())
    assert found.field == "title"
    assert found.spans_by_field == {"title": [(4, 13)], "body": [(10, 14), (23, 34)]}


def test_cost_does_not_depend_on_unrelated_rules() -> None:
    many = [Rule.from_query(f"r{i}", f"كلمة{i}") for i in range(2000)]
    matcher = RuleMatcher([*many, RULES[0]])
    assert [m.rule for m in matcher.match_text("وصل وفد أذربيجاني")] == ["azerbaijan"]


@settings(max_examples=200)
@given(st.text())
def test_matcher_never_raises(text: str) -> None:
    for found in MATCHER.match_text(text):
        for start, end in found.spans:
            assert 0 <= start < end <= len(text)


# --- Bounded cost on hostile pages ------------------------------------------------------------------
# A page can repeat a rule's words thousands of times. Listing every NEAR pair costs L × R
# (36 million for the page below, seconds of CPU per article); the cost must stay linear in the
# number of tokens. `last_work` counts the intervals built and the pairs and partners tried.

LEFT_WORDS, RIGHT_WORDS = ["مصر", "تونس", "الجزائر"], ["وزير", "شركة", "اتصالات"]
FLAT_NEAR = "(مصر OR تونس OR الجزائر) NEAR/10 (وزير OR شركة OR اتصالات)"
NESTED_NEAR = "((مصر OR تونس) NEAR/10 (وزير OR شركة)) NEAR/10 (الجزائر OR اتصالات)"


def hostile_text(size: int) -> str:
    """``size`` words alternating between the two OR groups, then a left word far from any right one."""
    words = [LEFT_WORDS[i // 2 % 3] if i % 2 == 0 else RIGHT_WORDS[i // 2 % 3] for i in range(size)]
    return " ".join([*words, *["في"] * 20, "مصر"])


@pytest.mark.parametrize(("query", "work_per_token"), [(FLAT_NEAR, 6), (NESTED_NEAR, 20)], ids=["flat", "nested"])
def test_near_between_or_groups_costs_linear_work(query: str, work_per_token: int) -> None:
    matcher = RuleMatcher([Rule.from_query("hostile", query)])
    text = hostile_text(12_000)
    (found,) = matcher.match_text(text)
    assert len(found.spans) == 12_000  # every alternating word took part, the lone مصر did not
    assert found.spans[-1][1] < len(text) - len(" مصر")
    assert matcher.last_work <= work_per_token * 12_000  # L × R would be 36,000,000
    work = matcher.last_work
    matcher.match_text(hostile_text(6_000))
    assert work <= 2.1 * matcher.last_work  # twice the page, twice the work


def test_nested_near_keeps_every_joined_interval() -> None:
    # مصر(1) NEAR/5 وزير(4) spans 1–4, which شركة(5) follows and تونس(0) precedes. Pairing each
    # word only with its nearest partner would keep 1–3 and 2–4 and miss this match.
    text = "تونس مصر مصر وزير وزير شركة"
    found = try_query("تونس NEAR/0 ((مصر NEAR/5 وزير) NEAR/0 شركة)", text)
    assert [(start, surface) for start, _, surface in found] == [(0, "تونس"), (5, "مصر"), (18, "وزير"), (23, "شركة")]


def test_long_article_is_matched_on_its_first_tokens(caplog: pytest.LogCaptureFixture) -> None:
    matcher = RuleMatcher([Rule.from_query("egypt", "مصر"), Rule.from_query("tunisia", "تونس")], max_tokens=6)
    long = article(title="خبر عن مصر", body="في اليوم التالي وصل الوفد إلى تونس")  # تونس is the 10th token
    with caplog.at_level("WARNING", logger="indexer.alerts.matcher"):
        assert [m.rule for m in matcher.match_article(long)] == ["egypt"]
    assert [(r.levelname, r.getMessage()) for r in caplog.records] == [
        ("WARNING", "http://127.0.0.1/a has more than 6 tokens: alert rules were matched on its first 6 only")
    ]


def test_article_within_the_token_cap_is_matched_whole(caplog: pytest.LogCaptureFixture) -> None:
    matcher = RuleMatcher([Rule.from_query("tunisia", "تونس")], max_tokens=10)
    with caplog.at_level("WARNING"):
        assert matcher.match_article(article(title="خبر عن مصر", body="في اليوم التالي وصل الوفد إلى تونس"))
    assert caplog.records == []


def test_token_cap_counts_the_title_first(caplog: pytest.LogCaptureFixture) -> None:
    matcher = RuleMatcher([Rule.from_query("egypt", "مصر")], max_tokens=3)
    with caplog.at_level("WARNING", logger="indexer.alerts.matcher"):
        assert matcher.match_article(article(title="خبر عن تونس", body="مصر")) == []
    assert len(caplog.records) == 1


def test_token_cap_must_be_positive() -> None:
    with pytest.raises(ValueError, match="max_tokens"):
        RuleMatcher([], max_tokens=0)


# --- The evaluator against a brute-force reference -------------------------------------------------
# The reference is the rule language's definition written for clarity, not speed: every
# occurrence of every node is listed with the token positions that took part in it, and NEAR
# pairs every left occurrence with every right one. The matcher must agree with it on whether a
# rule matches and on every highlighted word.

_Place = tuple[str, int]  # field, token index in it
_RefOccurrence = tuple[str, int, int, frozenset[_Place]]  # field, first and last token, places taking part


def reference_spans(query: Query, fields: list[tuple[str, str]]) -> dict[str, list[tuple[int, int]]] | None:
    """What the rule language says: ``{field: highlighted spans}`` when ``query`` matches, else None."""
    tokens = {name: tokenize(text) for name, text in fields}
    occurrences = _ref_eval(query, tokens)
    if occurrences is None:
        return None
    places = {place for *_, used in occurrences for place in used}
    return {
        name: sorted((tokens[name][i].start, tokens[name][i].end) for field, i in places if field == name)
        for name, _ in fields
        if any(field == name for field, _ in places)
    }


def _ref_matches(term: Term, token: Token) -> bool:
    return token.norm == term.norm if term.exact else token.stem in term_keys(term)


def _ref_eval(node: Query, tokens: dict[str, list[Token]]) -> list[_RefOccurrence] | None:
    """Every occurrence of ``node``, None when there is none. AND, OR and exclusion combine over
    the whole article; phrases and NEAR stay within one field."""
    found: list[_RefOccurrence] = []
    if isinstance(node, Term | Phrase):
        terms = node.terms if isinstance(node, Phrase) else (node,)
        for field, words in tokens.items():
            for i in range(len(words) - len(terms) + 1):
                if all(_ref_matches(term, words[i + k]) for k, term in enumerate(terms)):
                    found.append((field, i, i + len(terms) - 1, frozenset((field, i + k) for k in range(len(terms)))))
    elif isinstance(node, Or):
        found = [occ for child in node.children for occ in _ref_eval(child, tokens) or []]
    elif isinstance(node, Not):
        found = _ref_eval(node.child, tokens) or []
    elif isinstance(node, And):
        for child in node.children:
            occurrences = _ref_eval(child, tokens)
            if (occurrences is None) != isinstance(child, Not):
                return None
            if not isinstance(child, Not):
                found.extend(occurrences or [])
    else:
        for field, first, last, used in _ref_eval(node.left, tokens) or []:
            for other_field, other_first, other_last, other_used in _ref_eval(node.right, tokens) or []:
                gap = other_first - last - 1 if other_first > last else first - other_last - 1
                if field == other_field and 0 <= gap <= node.distance:
                    found.append((field, min(first, other_first), max(last, other_last), used | other_used))
    return found or None


# Small vocabularies so that random texts are dense with matches, inflected forms included.
TEXT_WORDS = ["مصر", "بمصر", "المصرية", "تونس", "وتونس", "وزير", "الوزير", "للشركة", "شركات", "في", "من"]
QUERY_WORDS = ["مصر", "تونس", "وزير", "شركة", "=مصر", "=الوزير", '"وزير مصر"', '"مصر وتونس"']
_near_operands = st.recursive(
    st.sampled_from(QUERY_WORDS),
    lambda inner: st.one_of(
        st.builds(lambda a, b: f"({a} OR {b})", inner, inner),
        st.builds(lambda a, b, n: f"({a} NEAR/{n} {b})", inner, inner, st.integers(0, 3)),
    ),
    max_leaves=6,
)
QUERIES = st.recursive(
    _near_operands,
    lambda inner: st.one_of(
        st.builds(lambda a, b: f"({a} {b})", inner, inner),
        st.builds(lambda a, b: f"({a} OR {b})", inner, inner),
        st.builds(lambda a, b: f"({a} -{b})", inner, inner),
    ),
    max_leaves=8,
)
TEXTS = st.lists(st.sampled_from(TEXT_WORDS), max_size=24).map(" ".join)


@settings(max_examples=500, deadline=None)
@given(QUERIES, st.lists(st.sampled_from(TEXT_WORDS), max_size=5).map(" ".join), TEXTS)
def test_matcher_agrees_with_the_reference(query: str, title: str, body: str) -> None:
    rule = Rule.from_query("r", query)
    found = RuleMatcher([rule]).match_article(article(title=title, body=body, entities=Entities()))
    expected = reference_spans(rule.query, [("title", title), ("body", body)])
    assert (found[0].spans_by_field if found else None) == expected
