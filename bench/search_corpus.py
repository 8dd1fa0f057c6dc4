"""A synthetic corpus for bench/bench_search.py, made only of the project's own data.

Sentences and headlines come from the portal world (crawler/portalworld/articles.yaml) and the
story fixtures written for Marsad (tests/fixtures/stories/rewrites.yaml). Each place name Babel's
CLDR Arabic territory list holds is a slot, refilled with a territory drawn with Zipf-like
weights; organization names from config/entities/organizations.yaml are slots too. An article is
a headline and 6–16 sentences in paragraphs of two or three, from one of 12 sources, with the
section of its source, dated in the two years before ``NOW``. About 15 % of the articles are
copies of an earlier one on another source (a new first sentence, two sentences swapped): the
same story. Entities are the territories and organizations written into the text. Everything is
drawn from one seeded generator: the same size and seed give the same corpus.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import accumulate
from pathlib import Path

import yaml
from babel import Locale

from core.article import Article, Entities
from crawler.portalworld import load_world_data

ROOT = Path(__file__).resolve().parents[1]
REWRITES = ROOT / "tests" / "fixtures" / "stories" / "rewrites.yaml"
ORGANIZATIONS = ROOT / "config" / "entities" / "organizations.yaml"
NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
DAYS = 730
SOURCES = ("techwave", "arabnet", "shamtech", "gulfbytes", "nileit", "maghrebtech", "levantdigital", "bayantech",
           "sahabnews", "tadweenit", "raqmiya", "shabakat")
SECTIONS = ("اتصالات", "ذكاء اصطناعي", "أمن سيبراني", "شركات ناشئة", "بنية تحتية", "حكومة رقمية")
COPY_SHARE = 0.15
_SENTENCE_END = re.compile(r"(?<=[.!؟])\s+")
_SLOT = "\x00{}\x00"


@dataclass(frozen=True)
class Vocabulary:
    headlines: list[str]  # with slots
    sentences: list[str]  # with slots
    places: list[str]
    place_weights: list[float]  # cumulative
    organizations: list[str]


def vocabulary() -> Vocabulary:
    world = load_world_data()
    raw = yaml.safe_load(REWRITES.read_text(encoding="utf-8"))
    headlines = [record.title for record in world.articles]
    headlines += [base["headline"] for base in raw["bases"].values()] + [story["title"] for story in raw["stories"]]
    paragraphs = [block.text for record in world.articles for block in record.blocks if block.kind == "p"]
    paragraphs += [base["lead"] for base in raw["bases"].values()]
    paragraphs += [text for story in raw["stories"] for text in story["paragraphs"]]
    sentences = [part for text in paragraphs for part in _SENTENCE_END.split(text) if len(part) > 30]
    # Longest first (a name inside a longer one is slotted after it), then by name: the order of a
    # set is not the same from one process to the next, so equal lengths must not keep it.
    places = sorted({name for code, name in Locale("ar").territories.items() if code.isalpha() and " " not in name},
                    key=lambda name: (-len(name), name))
    organizations = sorted({entry["canonical"] for entry in yaml.safe_load(
        ORGANIZATIONS.read_text(encoding="utf-8"))["organizations"]}, key=lambda name: (-len(name), name))
    names = [("place", name) for name in places] + [("organization", name) for name in organizations]
    rng = random.Random(0)
    order = places[:]
    rng.shuffle(order)  # which territories are common: fixed, not alphabetical
    weights = list(accumulate(1 / (rank + 1) for rank in range(len(order))))
    return Vocabulary([slotted(text, names) for text in headlines], [slotted(text, names) for text in sentences],
                      order, weights, organizations)


def slotted(text: str, names: list[tuple[str, str]]) -> str:
    """``text`` with each known place or organization name replaced by a slot of its kind."""
    for kind, name in names:
        if name in text:
            text = re.sub(rf"(?<!\w){re.escape(name)}(?!\w)", _SLOT.format(kind), text)
    return text


def corpus(size: int, seed: int = 9) -> Iterator[Article]:
    """``size`` articles, oldest first; each one's doc_id is unique."""
    words = vocabulary()
    rng = random.Random(seed)
    made: list[Article] = []
    for number in range(size):
        if made and rng.random() < COPY_SHARE:
            article = copy_of(rng.choice(made[-2_000:]), number, rng, words)
        else:
            article = original(number, rng, words)
        made.append(article)
        yield article


def original(number: int, rng: random.Random, words: Vocabulary) -> Article:
    entities = Entities()
    title = fill(rng.choice(words.headlines), rng, words, entities)
    count = rng.randint(6, 16)
    sentences = [fill(text, rng, words, entities) for text in rng.sample(words.sentences, count)]
    source = rng.choice(SOURCES)
    article = make(number, source, rng.choice(SECTIONS), title, paragraphs(sentences, rng), dated(rng), None, entities)
    article.story_id = article.doc_id  # a story of its own, as the crawler's dedup stage assigns it
    return article


def copy_of(base: Article, number: int, rng: random.Random, words: Vocabulary) -> Article:
    sentences = [sentence for paragraph in base.body.split("\n\n") for sentence in _SENTENCE_END.split(paragraph)]
    sentences[0] = fill(rng.choice(words.sentences), rng, words, Entities())
    if len(sentences) > 3:
        first = rng.randrange(1, len(sentences) - 1)
        sentences[first], sentences[first + 1] = sentences[first + 1], sentences[first]
    source = rng.choice([name for name in SOURCES if name != base.source])
    when = (base.published_at or NOW) + timedelta(minutes=rng.randint(5, 600))
    return make(number, source, base.section or SECTIONS[0], base.title, paragraphs(sentences, rng), min(when, NOW),
                base.story_id, base.entities)


def fill(text: str, rng: random.Random, words: Vocabulary, entities: Entities) -> str:
    """``text`` with its slots filled, the names written recorded in ``entities``."""
    while "\x00place\x00" in text:
        place = rng.choices(words.places, cum_weights=words.place_weights)[0]
        text = text.replace("\x00place\x00", place, 1)
        if place not in entities.locations:
            entities.locations.append(place)
    while "\x00organization\x00" in text:
        organization = rng.choice(words.organizations)
        text = text.replace("\x00organization\x00", organization, 1)
        if organization not in entities.organizations:
            entities.organizations.append(organization)
    return text


def paragraphs(sentences: list[str], rng: random.Random) -> str:
    found, start = [], 0
    while start < len(sentences):
        size = rng.choice((2, 3))
        found.append(" ".join(sentences[start:start + size]))
        start += size
    return "\n\n".join(found)


def dated(rng: random.Random) -> datetime:
    return NOW - timedelta(days=DAYS) + timedelta(seconds=rng.randrange(DAYS * 86_400))


def make(number: int, source: str, section: str, title: str, body: str, when: datetime, story: str | None,
         entities: Entities) -> Article:
    url = f"https://{source}.example/news/{number}"
    return Article(url=url, canonical_url=url, source=source, title=title, body=body, published_at=when,
                   fetched_at=NOW, language="ar", section=section,
                   story_id=story, entities=Entities(list(entities.persons), list(entities.organizations),
                                                     list(entities.locations)))
