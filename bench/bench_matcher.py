"""Alert matching throughput (articles/s) with 10, 1,000 and 10,000 generated rules.

    .venv/bin/python bench/bench_matcher.py [--corpus ../shared/corpus] [--runs 5]

Articles: the seed article and the paragraph text of every corpus page, read in place. Rules are
generated from data: country names from Babel CLDR (``Locale('ar').territories``) with their
usual forms (bare, "minister of X", NEAR with AI, exclusions), people and company names built
from small name pools, and technology phrases. "cold" builds a fresh matcher, then empties every
analyzer cache (``indexer.analysis.clear_caches``: normalized forms, stems, suffix stripping,
query stems), so every word of every article is analyzed as if seen for the first time; "warm"
reuses one matcher (a long-running cycle).

A second table times one hostile page: 12,000 words that repeat both sides of
``(مصر OR تونس OR الجزائر) NEAR/10 (وزير OR شركة OR اتصالات)`` thousands of times, matched by the
10,000 generated rules plus that rule (flat), or plus a NEAR of that NEAR (nested).
"""

from __future__ import annotations

import argparse
import itertools
import random
import statistics
import sys
import time
from pathlib import Path

import lxml.html
from babel import Locale

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core.article import Article
from indexer.alerts import Rule, RuleMatcher
from indexer.analysis import clear_caches

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
FIRST = ["عمرو", "محمد", "أحمد", "رشاد", "خالد", "سارة", "منى", "ياسر", "هشام", "طارق", "ليلى", "عمر",
         "فاطمة", "كريم", "نادية", "يوسف", "سامي", "رانيا", "علي", "مريم"]
LAST = ["طلعت", "نابييف", "الشريف", "المصري", "العتيبي", "الحسيني", "بولوخوف", "حداد", "الخطيب",
        "منصور", "عبد الله", "القحطاني", "بن علي", "السويدي", "الزهراني", "النجار", "فرج", "عثمان"]
COMPANY_PARTS = ["تل", "نت", "سوفت", "داتا", "كلاود", "موبايل", "تك", "لينك", "سيستمز", "ديجيتال"]
LATIN_PARTS = ["Tel", "Net", "Soft", "Data", "Cloud", "Mobi", "Tech", "Link", "Sys", "Digi", "Pay"]
TOPICS = ['"الذكاء الاصطناعي"', '"الأمن السيبراني"', '"التحول الرقمي"', "5G", '"الحوسبة السحابية"',
          '"مراكز البيانات"', "ChatGPT", '"الكابلات البحرية"', '"الشمول المالي"', '"إنترنت الأشياء"']


def generate_rules(count: int, seed: int = 7) -> list[Rule]:
    rng = random.Random(seed)
    countries = sorted(Locale("ar").territories.values())
    people = [f'"{f} {last}"' for f, last in itertools.product(FIRST, LAST)]
    companies = [f"{a}{b}" for a, b in itertools.permutations(COMPANY_PARTS, 2)]
    companies += [f"{a}{b}" for a, b in itertools.permutations(LATIN_PARTS, 2)]
    makers = [
        lambda: f'"{rng.choice(countries)}"',
        lambda: f'"وزير" NEAR/4 "{rng.choice(countries)}"',
        lambda: f'"{rng.choice(countries)}" NEAR/5 {rng.choice(TOPICS)}',
        lambda: f'"{rng.choice(countries)}" -رياضة -"كرة القدم"',
        lambda: rng.choice(people),
        lambda: f"{rng.choice(people)} ({rng.choice(TOPICS)} OR {rng.choice(TOPICS)})",
        lambda: rng.choice(companies),
        lambda: f"{rng.choice(companies)} {rng.choice(TOPICS)}",
        lambda: rng.choice(TOPICS),
    ]
    queries: dict[str, None] = {}  # distinct queries, in generation order
    for attempt in itertools.count():
        if len(queries) == count:
            break
        queries.setdefault(makers[attempt % len(makers)](), None)
    return [Rule.from_query(f"rule{i}", query) for i, query in enumerate(queries)]


def corpus_articles(corpus: Path) -> list[Article]:
    seed = (corpus / "seed-article.txt").read_text(encoding="utf-8")
    articles = [Article(url="seed", canonical_url="seed", source="corpus", title=seed.splitlines()[0], body=seed)]
    for page in sorted(corpus.glob("*.html")):
        root = lxml.html.fromstring(page.read_bytes())
        body = "\n\n".join(p.text_content().strip() for p in root.xpath("//p") if p.text_content().strip())
        title = root.findtext(".//title") or ""
        articles.append(Article(url=page.name, canonical_url=page.name, source="corpus", title=title, body=body))
    return articles


HOSTILE_LEFT = ["مصر", "تونس", "الجزائر"]
HOSTILE_RIGHT = ["وزير", "شركة", "اتصالات"]
HOSTILE_QUERIES = {
    "flat": "(مصر OR تونس OR الجزائر) NEAR/10 (وزير OR شركة OR اتصالات)",
    "nested": "((مصر OR تونس OR الجزائر) NEAR/10 (وزير OR شركة)) NEAR/10 (اتصالات OR الجزائر)",
}


def hostile_article(words: int = 12_000, seed: int = 11) -> Article:
    """A page of ``words`` words, 90 % of them from the two sides of the hostile NEAR."""
    rng = random.Random(seed)
    fillers = ["في", "من", "على", "قال", "اليوم", "إلى", "عن"]
    pools = [HOSTILE_LEFT, HOSTILE_RIGHT, fillers]
    body = " ".join(rng.choice(rng.choices(pools, weights=[45, 45, 10])[0]) for _ in range(words))
    return Article(url="hostile", canonical_url="hostile", source="bench", title="صفحة معادية", body=body)


def time_cold(rules: list[Rule], articles: list[Article]) -> float:
    """Seconds to match ``articles`` with a fresh matcher and every analyzer cache empty."""
    fresh = RuleMatcher(rules)
    clear_caches()
    start = time.perf_counter()
    for article in articles:
        fresh.match_article(article)
    return time.perf_counter() - start


def time_warm(matcher: RuleMatcher, articles: list[Article], repeat: int) -> float:
    """Seconds per pass over ``articles`` with a matcher that has seen them before."""
    for article in articles:
        matcher.match_article(article)
    start = time.perf_counter()
    for _ in range(repeat):
        for article in articles:
            matcher.match_article(article)
    return (time.perf_counter() - start) / repeat


def throughput_table(articles: list[Article], runs: int, repeat: int) -> list[Rule]:
    print(f"{'rules':>7}{'compile s':>11}{'cold art/s':>12}{'warm art/s':>12}{'matches/pass':>14}")
    for count in (10, 1_000, 10_000):
        clear_caches()
        start = time.perf_counter()
        rules = generate_rules(count)
        matcher = RuleMatcher(rules)
        compile_seconds = time.perf_counter() - start
        matches = sum(len(matcher.match_article(a)) for a in articles)
        cold = [len(articles) / time_cold(rules, articles) for _ in range(runs)]
        warm = [len(articles) / time_warm(matcher, articles, repeat) for _ in range(runs)]
        print(f"{count:>7,}{compile_seconds:>11.2f}{statistics.median(cold):>12,.0f}"
              f"{statistics.median(warm):>12,.0f}{matches:>14,}")
    return rules


def hostile_table(rules: list[Rule], runs: int) -> None:
    page = hostile_article()
    print(f"\nhostile page: {len(page.body.split()):,} words; {len(rules):,} generated rules + one hostile rule")
    print(f"{'hostile rule':<14}{'cold ms/art':>12}{'warm ms/art':>12}{'matches':>9}")
    for name, query in HOSTILE_QUERIES.items():
        with_hostile = [*rules, Rule.from_query("hostile", query)]
        matcher = RuleMatcher(with_hostile)
        matches = len(matcher.match_article(page))
        cold = [1000 * time_cold(with_hostile, [page]) for _ in range(runs)]
        warm = [1000 * time_warm(matcher, [page], 1) for _ in range(runs)]
        print(f"{name:<14}{statistics.median(cold):>12,.1f}{statistics.median(warm):>12,.1f}{matches:>9,}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=20, help="passes over the articles per warm run")
    args = parser.parse_args()
    articles = corpus_articles(args.corpus)
    words = sum(len(a.title.split()) + len(a.body.split()) for a in articles)
    print(f"articles: {len(articles)} ({words:,} words); runs: median of {args.runs}")
    rules = throughput_table(articles, args.runs, args.repeat)
    hostile_table(rules, args.runs)


if __name__ == "__main__":
    main()
