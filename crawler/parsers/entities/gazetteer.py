"""Longest-match lookup of gazetteer aliases over a token stream, tolerant of Arabic clitics."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

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
        self._keys_at = lru_cache(maxsize=1 << 16)(self._keys_for)

    def _keys_for(self, form: str) -> tuple[tuple[str, ...], ...]:
        """Aliases that may start at a word of normalized ``form``, in the order they are tried."""
        return tuple(key for first in clitic_variants(form) for key in self.by_first.get(first, ()))

    def match_at(self, tokens: list[Token], index: int) -> Match | None:
        token = tokens[index]
        if not token.is_word:
            return None
        for key in self._keys_at(token.norm):
            end = index + len(key)
            if end <= len(tokens) and all(tokens[index + offset].norm == key[offset] for offset in range(1, len(key))):
                return Match(index, end, self.aliases[key])
        return None

    def find_all(self, tokens: list[Token]) -> list[Match]:
        keys_at = self._keys_at
        matches: list[Match] = []
        resume = 0
        for index, token in enumerate(tokens):
            if index < resume or not token.is_word or not keys_at(token.norm):
                continue  # most words start no alias
            found = self.match_at(tokens, index)
            if found is not None:
                matches.append(found)
                resume = found.end
        return matches
