"""The entity extractor: rule-based tagging by default, other taggers pluggable.

>>> EntityExtractor().extract("استقبل الدكتور عمرو طلعت وزير التنمية الرقمية والنقل بجمهورية أذربيجان")
Entities(persons=['عمرو طلعت'], organizations=['وزارة التنمية الرقمية والنقل'], locations=['أذربيجان'])
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from crawler.items import Entities
from crawler.parsers.entities.gazetteer import GazetteerMatcher
from crawler.parsers.entities.mentions import LOCATION, ORGANIZATION, PERSON, Mention, Tagger
from crawler.parsers.entities.organizations import organization_span
from crawler.parsers.entities.persons import PersonFinder
from crawler.parsers.entities.tokens import norm, tokenize
from crawler.parsers.entities.vocab import Vocabulary, default_vocabulary


class RuleTagger:
    """Gazetteer lookup, head-word organizations and person patterns over each paragraph."""

    def __init__(self, vocabulary: Vocabulary | None = None) -> None:
        self.vocabulary = vocabulary or default_vocabulary()
        self.matcher = GazetteerMatcher(self.vocabulary)

    def tag(self, text: str) -> Iterable[Mention]:
        persons = PersonFinder(self.vocabulary)
        offset = 0
        mentions: list[Mention] = []
        for paragraph in text.split("\n"):
            tokens = tokenize(paragraph)
            claimed: set[int] = set()
            for match in self.matcher.find_all(tokens):
                claimed.update(range(match.start, match.end))
                mentions.append(Mention(match.entry.kind, match.entry.canonical, offset + match.start))
            index = 0
            while index < len(tokens):
                end = None if index in claimed else organization_span(tokens, index, claimed, self.vocabulary.stopwords)
                if end is None:
                    index += 1
                    continue
                surface = " ".join(token.text for token in tokens[index:end])
                mentions.append(Mention(ORGANIZATION, _strip_clitic(surface), offset + index))
                claimed.update(range(index, end))
                index = end
            for position, name in persons.scan(tokens, claimed):
                mentions.append(Mention(PERSON, name, offset + position))
            offset += len(tokens) + 1
        return mentions


def _strip_clitic(surface: str) -> str:
    """«ووزارة …» / «بوزارة …» / «لهيئة …» → the organization's own name."""
    first, _, rest = surface.partition(" ")
    for size in (2, 1):
        if len(first) > size + 3 and first[:size] in ("وب", "ول", "و", "ب", "ل", "ف") and first[size:] != first:
            stem = first[size:]
            if stem[:1] in "وهجسمشبصاعكمأ" and (stem.startswith(("ال", "وزار", "هيئ", "جه", "سلط", "شرك", "مؤسس",
                                                                 "مجل", "بنك", "جامع", "اتحاد", "معهد", "صندوق",
                                                                 "وكال", "منظم", "أكاديم", "مديري", "مصرف"))):
                return f"{stem} {rest}".strip()
    if first.startswith("لل") and len(first) > 4:
        return f"ال{first[2:]} {rest}".strip()
    return surface


class EntityExtractor:
    """Runs its taggers over a text and merges their mentions into canonical :class:`Entities`."""

    def __init__(self, taggers: Sequence[Tagger] | None = None) -> None:
        self.taggers: list[Tagger] = list(taggers) if taggers is not None else [RuleTagger()]

    def extract(self, text: str) -> Entities:
        lists: dict[str, list[str]] = {PERSON: [], ORGANIZATION: [], LOCATION: []}
        seen: set[tuple[str, str]] = set()
        for tagger in self.taggers:
            for mention in sorted(tagger.tag(text), key=lambda item: item.position):
                key = (mention.kind, norm(mention.canonical.replace(" ", "")))
                if mention.kind in lists and key not in seen:
                    seen.add(key)
                    lists[mention.kind].append(mention.canonical)
        return Entities(persons=lists[PERSON], organizations=lists[ORGANIZATION], locations=lists[LOCATION])


_DEFAULT: list[EntityExtractor] = []


def default_extractor() -> EntityExtractor:
    """The process-wide rule-based extractor (built on first use: the gazetteer loads once)."""
    if not _DEFAULT:
        _DEFAULT.append(EntityExtractor())
    return _DEFAULT[0]
