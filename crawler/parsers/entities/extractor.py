"""The entity extractor: rule-based tagging by default, other taggers pluggable.

>>> EntityExtractor().extract("استقبل الدكتور عمرو طلعت وزير التنمية الرقمية والنقل بجمهورية أذربيجان")
Entities(persons=['عمرو طلعت'], organizations=['وزارة التنمية الرقمية والنقل'], locations=['أذربيجان'])
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from core.article import Entities
from crawler.parsers.entities.gazetteer import GazetteerMatcher
from crawler.parsers.entities.mentions import LOCATION, ORGANIZATION, PERSON, Mention, Tagger
from crawler.parsers.entities.organizations import (
    HEADS,
    MINISTRY,
    head_positions,
    is_minister,
    organization_span,
)
from crawler.parsers.entities.persons import PersonFinder, PersonPhrases
from crawler.parsers.entities.tokens import Token, norm, tokenize
from crawler.parsers.entities.vocab import Vocabulary, default_vocabulary


class RuleTagger:
    """Gazetteer lookup, head-word organizations and person patterns over each paragraph."""

    def __init__(self, vocabulary: Vocabulary | None = None) -> None:
        self.vocabulary = vocabulary or default_vocabulary()
        self.matcher = GazetteerMatcher(self.vocabulary)
        self.phrases = PersonPhrases(self.vocabulary)

    def tag(self, text: str) -> Iterable[Mention]:
        persons = PersonFinder(self.vocabulary, phrases=self.phrases)
        organizations: list[str] = []
        offset = 0
        mentions: list[Mention] = []
        for paragraph in text.split("\n"):
            tokens = tokenize(paragraph)
            claimed: set[int] = set()
            for match in self.matcher.find_all(tokens):
                claimed.update(range(match.start, match.end))
                mentions.append(Mention(match.entry.kind, match.entry.canonical, offset + match.start))
            resume = 0
            for index in head_positions(tokens):
                if index < resume or index in claimed:
                    continue
                end = organization_span(tokens, index, claimed, self.vocabulary.stopwords)
                if end is None:
                    continue
                name = self._organization(tokens, index, end)
                # «وزارة النقل التاكسى …» after «وزارة النقل»: the known one; but «وزارة الاتصالات
                # والتقانة» goes on with «و»: a coordinated name, longer than the known one.
                name = next((known for known in organizations
                             if name.startswith(known + " ") and not name[len(known) + 1:].startswith("و")), name)
                organizations.append(name)
                mentions.append(Mention(ORGANIZATION, name, offset + index))
                if not is_minister(tokens[index]):
                    claimed.update(range(index, end))
                resume = end
            for position, name in persons.scan(tokens, claimed):
                mentions.append(Mention(PERSON, name, offset + position))
            offset += len(tokens) + 1
        return mentions

    def _organization(self, tokens: list[Token], start: int, end: int) -> str:
        """Canonical name of a head-word organization (a gazetteer alias maps to its entry)."""
        words = [token.text for token in tokens[start:end]]
        if is_minister(tokens[start]):
            words[0] = MINISTRY
        surface = _strip_clitic(" ".join(words))
        key = tuple(token.norm for token in tokenize(surface) if token.is_word)
        entry = self.vocabulary.aliases.get(key)
        return entry.canonical if entry is not None else surface


def _strip_clitic(surface: str) -> str:
    """«ووزارة …» / «بوزارة …» / «وكلية …» / «للهيئة …» → the organization's own name."""
    first, _, rest = surface.partition(" ")
    if norm(first) in HEADS:
        return surface
    for size in (2, 1):
        stem = first[size:]
        if first[:size] in ("وب", "ول", "و", "ب", "ل", "ف") and norm(stem) in HEADS:
            return f"{stem} {rest}".strip()
    if first.startswith("لل") and norm("ال" + first[2:]) in HEADS:
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
        organizations = lists[ORGANIZATION]
        # «هيئة الاتصالات» in a headline and «هيئة الاتصالات والفضاء والتقنية» in the text: one body.
        organizations = [
            name for name in organizations if not any(other.startswith(name + " ") for other in organizations)
        ]
        return Entities(persons=lists[PERSON], organizations=organizations, locations=lists[LOCATION])


_DEFAULT: list[EntityExtractor] = []


def default_extractor() -> EntityExtractor:
    """The process-wide rule-based extractor (built on first use: the gazetteer loads once)."""
    if not _DEFAULT:
        _DEFAULT.append(EntityExtractor())
    return _DEFAULT[0]
