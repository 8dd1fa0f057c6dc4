"""SQLite and Elasticsearch give the same hits as the alert matcher, query for query.

One set of articles (every text of the matcher's variant table, the portal world's articles and a
few made for NEAR) is stored once per module and engine in both backends: a SQLite file and an index
of its own on the real Elasticsearch node, 8.19 and 9.x (each test runs against both). Each query
then has to return exactly the same canonical URLs from both backends, and those must be the
articles :class:`RuleMatcher` says the query matches.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from es_nodes import EsNode
from test_alerts_matcher import MUST_MATCH, MUST_NOT_MATCH, RULES

from core.article import Article
from crawler.portalworld import load_world_data
from indexer.alerts import Rule, RuleMatcher
from indexer.storage.base import SearchRequest, Storage
from indexer.storage.elastic import ElasticsearchStorage
from indexer.storage.sqlite import SqliteStorage

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
VARIANT_HOST = "http://127.0.0.1/parity"
PAGE = 100  # the largest page: a query's hits are read page by page

# Headlines for the variant-table articles, one per rule; they contain none of the queried words,
# so whether an article matches is decided by its body text from the table.
HEADLINES = {
    "azerbaijan": "جولة إقليمية لبحث الربط الرقمي وممرات البيانات",
    "ai": "تقرير: تقنيات المستقبل تعيد تشكيل سوق العمل العربي",
    "talaat": "لقاءات رسمية على هامش معرض التكنولوجيا",
    "minister": "تصريحات حول خطط تطوير البنية التحتية للاتصالات",
    "egypt": "متابعات اقتصادية من أسواق المنطقة",
    "company": "أخبار ريادة الأعمال والتمويل",
}

# Bodies written for NEAR, exclusions and words at the edges of a field.
EXTRA_BODIES = {
    "three-countries": "وقعت مصر وأذربيجان وتونس اتفاقا ثلاثيا للربط الرقمي.",
    "three-countries-reordered": "اجتماع وزاري بين مصر وتونس وأذربيجان حول الأمن السيبراني.",
    "egypt-twice": "ناقش المؤتمر في مصر خطط مصر لمراكز البيانات.",
    "minister-ambassador": "استقبل الوزير سفير أذربيجان في القاهرة لبحث التعاون.",
    "ai-sport": "تحليل أداء المنتخب الأذربيجاني بالذكاء الاصطناعي في كرة القدم.",
    "latin": "أطلقت الشركة خدمة ChatGPT بالعربية على شبكات 5G في عام ٢٠٢٦.",
    "egypt-ai-strategy": "أطلقت مصر استراتيجية وطنية للذكاء الاصطناعي.",
    # a pasted key of 320 letters and digits: longer than ES's 255-character token limit, so no word
    "long-token": f"نشرت الهيئة المفتاح {'A1b2' * 80} للتحقق من التحديثات.",
}

def variant_articles() -> list[Article]:
    articles = []
    table = [("match", rule, text) for rule, text in MUST_MATCH] + [("nomatch", rule, t) for rule, t in MUST_NOT_MATCH]
    for number, (kind, rule, text) in enumerate(table):
        url = f"{VARIANT_HOST}/{kind}/{rule}/{number}"
        articles.append(Article(
            url=url, canonical_url=url, source="variants", title=HEADLINES[rule], body=text,
            published_at=NOW - timedelta(hours=number), fetched_at=NOW, language="ar",
        ))
    return articles


def extra_articles() -> list[Article]:
    return [
        Article(url=f"{VARIANT_HOST}/extra/{name}", canonical_url=f"{VARIANT_HOST}/extra/{name}", source="extra",
                title="موجز أخبار التكنولوجيا", body=body, published_at=NOW, fetched_at=NOW, language="ar")
        for name, body in EXTRA_BODIES.items()
    ]


def world_articles() -> list[Article]:
    data = load_world_data()
    return [
        Article(
            url=f"http://{data.portals[record.portal].host}{record.path}",
            canonical_url=f"http://{data.portals[record.portal].host}{record.path}",
            source=record.portal, title=record.title, body=record.body, published_at=record.published,
            section=record.section, tags=list(record.tags), fetched_at=NOW, language="ar",
        )
        for record in data.articles
    ]


ARTICLES = variant_articles() + extra_articles() + world_articles()

QUERIES = [
    # the variant table's own rules
    *[pytest.param(rule.query_text, id=f"rule-{rule.name}") for rule in RULES],
    # terms, Latin words and numbers
    pytest.param("سفير", id="term-ambassador"),
    pytest.param("القاهرة", id="term-cairo"),
    pytest.param("الاتصالات", id="term-telecom"),
    pytest.param("chatgpt", id="term-latin"),
    pytest.param("5G", id="term-5g"),
    pytest.param("2026", id="term-year-indic-digits"),
    # phrases
    pytest.param('"التحول الرقمي"', id="phrase-digital-transformation"),
    pytest.param('"مراكز البيانات"', id="phrase-data-centers"),
    pytest.param('"وزير الاتصالات"', id="phrase-ict-minister"),
    pytest.param('"كرة القدم"', id="phrase-football"),
    # OR
    pytest.param("مصر OR أذربيجان", id="or-countries"),
    pytest.param('"عمرو طلعت" OR "رشاد نابييف"', id="or-phrases"),
    pytest.param("وزير OR شركة OR سفير", id="or-three"),
    # exclusion
    pytest.param("أذربيجان -وفد", id="not-term"),
    pytest.param("شركة -الناشئة", id="not-article-word"),
    pytest.param('الذكاء -"الذكاء الاصطناعي"', id="not-phrase"),
    pytest.param("أذربيجان -(مصر OR تونس)", id="not-group"),
    pytest.param('أذربيجان -"كرة القدم" -رياضة', id="not-two"),
    # NEAR/n
    pytest.param("الوزير NEAR/3 أذربيجان", id="near-3"),
    pytest.param("سفير NEAR/0 أذربيجان", id="near-0"),
    pytest.param("مصر NEAR/2 أذربيجان", id="near-2"),
    pytest.param('"الذكاء الاصطناعي" NEAR/5 مصر', id="near-phrase"),
    pytest.param("(مصر OR تونس) NEAR/4 أذربيجان", id="near-or"),
    pytest.param("وزير NEAR/1 الاتصالات NEAR/3 مصر", id="near-chain"),
    pytest.param("(مصر NEAR/0 تونس) NEAR/0 أذربيجان", id="near-nested"),
    # exact words
    pytest.param("=أذربيجان", id="exact-term"),
    pytest.param("=مصر", id="exact-egypt"),
    pytest.param('="الذكاء الاصطناعي"', id="exact-phrase"),
    pytest.param("=الوزير NEAR/2 سفير", id="exact-in-near"),
    pytest.param("=مصر OR =بمصر", id="exact-or"),
    pytest.param("أذربيجان -=الأذربيجاني", id="exact-excluded"),
    # parentheses
    pytest.param("(مصر OR أذربيجان) (وزير OR سفير)", id="parens-and-of-ors"),
    pytest.param('(أذربيجان -وفد) OR "عمرو طلعت"', id="parens-or-of-and"),
    pytest.param("((مصر OR أذربيجان) -رياضة) (وزير OR الوزيرة)", id="parens-nested"),
    # NEAR sides never overlap (two ordered span_near in ES); a 320-character "word" is no word
    pytest.param("مصر NEAR/5 مصر", id="near-same-word"),
    pytest.param("(مصر NEAR/2 تونس) NEAR/1 أذربيجان", id="near-word-inside-span"),
    pytest.param("المفتاح NEAR/1 التحقق", id="near-across-long-token"),
]


class Backends:
    def __init__(self, sqlite: SqliteStorage, elastic: ElasticsearchStorage) -> None:
        self.sqlite = sqlite
        self.elastic = elastic


@pytest.fixture(scope="module", params=["es_node", "es9_node"], ids=["elasticsearch-8", "elasticsearch-9"])
def backends(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Backends]:
    """Both backends holding ARTICLES, indexed once per module and engine; the ES index is deleted after."""
    node: EsNode = request.getfixturevalue(request.param)
    sqlite = SqliteStorage(Path(tmp_path_factory.mktemp("parity")) / "articles.sqlite")
    with node.fresh_index("marsad-test-parity") as index:
        elastic = node.storage(index)
        try:
            assert sqlite.store(ARTICLES).created == len(ARTICLES)
            assert elastic.store(ARTICLES).created == len(ARTICLES)
            yield Backends(sqlite, elastic)
        finally:
            sqlite.close()
            elastic.close()


def found(storage: Storage, query: str) -> set[str]:
    """Every hit of the query, page after page; the pages add up to the total, without repeats."""
    urls: list[str] = []
    while True:
        result = storage.search(SearchRequest(query=query, limit=PAGE, offset=len(urls)))
        assert result.total_exact
        urls += [hit.article.canonical_url for hit in result.hits]
        if len(result.hits) < PAGE:
            break
    assert result.total == len(urls) == len(set(urls)), f"{storage.name}: {result.total} hits, {len(urls)} read"
    return set(urls)


def expected(query: str) -> set[str]:
    matcher = RuleMatcher([Rule.from_query("parity", query)])
    return {article.canonical_url for article in ARTICLES if matcher.match_article(article)}


def test_articles_have_distinct_urls() -> None:
    assert len({article.canonical_url for article in ARTICLES}) == len(ARTICLES)


@pytest.mark.elasticsearch
@pytest.mark.parametrize("query", QUERIES)
def test_backends_agree_with_the_matcher(backends: Backends, query: str) -> None:
    wanted = expected(query)
    assert wanted, f"query {query!r} matches no article: the case tests nothing"
    in_sqlite = found(backends.sqlite, query)
    in_elastic = found(backends.elastic, query)
    assert in_sqlite == in_elastic, (
        f"query {query!r}: only SQLite {sorted(in_sqlite - in_elastic)}, only ES {sorted(in_elastic - in_sqlite)}"
    )
    assert in_sqlite == wanted, (
        f"query {query!r}: missed {sorted(wanted - in_sqlite)}, extra {sorted(in_sqlite - wanted)}"
    )


@pytest.mark.elasticsearch
@pytest.mark.parametrize("rule", RULES, ids=[rule.name for rule in RULES])
def test_rule_queries_follow_the_variant_table(backends: Backends, rule: Rule) -> None:
    """Both backends find every must-match text of a rule and none of its must-not-match texts."""
    must = {a.canonical_url for a in ARTICLES if a.canonical_url.startswith(f"{VARIANT_HOST}/match/{rule.name}/")}
    must_not = {a.canonical_url for a in ARTICLES
                if a.canonical_url.startswith(f"{VARIANT_HOST}/nomatch/{rule.name}/")}
    for storage in (backends.sqlite, backends.elastic):
        hits = found(storage, rule.query_text)
        assert must <= hits, f"{storage.name} missed {sorted(must - hits)}"
        assert not hits & must_not, f"{storage.name} false hits {sorted(hits & must_not)}"
