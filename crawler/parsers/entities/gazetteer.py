"""Longest-match lookup of gazetteer aliases over a token stream, tolerant of Arabic clitics."""

from __future__ import annotations

from dataclasses import dataclass

from crawler.parsers.entities.tokens import Token, clitic_variants
from crawler.parsers.entities.vocab import Entry, Vocabulary


@dataclass(frozen=True)
class Match:
    start: int
    end: int  # exclusive
    entry: Entry


class GazetteerMatcher:
    """Finds aliases (as normalized token tuples) with clitics allowed on the first token."""

    def __init__(self, vocabulary: Vocabulary) -> None:
        self.aliases = vocabulary.aliases
        self.by_first: dict[str, list[tuple[str, ...]]] = {}
        for key in sorted(self.aliases, key=len, reverse=True):
            self.by_first.setdefault(key[0], []).append(key)

    def match_at(self, tokens: list[Token], index: int) -> Match | None:
        token = tokens[index]
        if not token.is_word:
            return None
        for first in clitic_variants(token.norm):
            for key in self.by_first.get(first, ()):
                end = index + len(key)
                if end <= len(tokens) and all(
                    tokens[index + offset].norm == key[offset] for offset in range(1, len(key))
                ):
                    return Match(index, end, self.aliases[key])
        return None

    def find_all(self, tokens: list[Token]) -> list[Match]:
        matches: list[Match] = []
        index = 0
        while index < len(tokens):
            found = self.match_at(tokens, index)
            if found is None:
                index += 1
                continue
            matches.append(found)
            index = found.end
        return matches
