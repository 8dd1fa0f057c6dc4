"""Person names from honorifics, posts and appositions, with quoted surnames resolved.

* honorific + NAME: «الدكتور عمرو طلعت» → «عمرو طلعت» (honorifics are never part of a name);
* post + NAME: «وزير النقل كامل الوزير», «الوزير الأذربيجاني رشاد نابييف»;
* NAME، post: «أحمد سمير، رئيس الشركة»;
* a quoted or bare surname later on («طلعت») resolves to the full name mentioned earlier.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from crawler.parsers.entities.tokens import Token, clitic_variants, is_definite, norm
from crawler.parsers.entities.vocab import Vocabulary

_CONSTRUCT = frozenset(norm(word) for word in ("عبد", "أبو", "ابو", "أبي", "بن", "ابن", "بنت", "آل"))
_COMMAS = frozenset({"،", ","})
_QUOTES = frozenset("«»“”\"'‹›„")
_MAX_NAME = 4


@dataclass
class PersonFinder:
    vocabulary: Vocabulary
    names: list[str] = field(default_factory=list)  # canonical full names, first mention first

    def _phrase(self, tokens: list[Token], index: int, phrases: set[tuple[str, ...]]) -> int:
        """Length of the longest phrase of ``phrases`` at ``index`` (clitics allowed on its first word)."""
        best = 0
        if not tokens[index].is_word:
            return 0
        for first in clitic_variants(tokens[index].norm):
            for phrase in phrases:
                size = len(phrase)
                if phrase[0] != first or size <= best or index + size > len(tokens):
                    continue
                if all(tokens[index + offset].norm == phrase[offset] for offset in range(1, size)):
                    best = size
        return best

    def _blocked(self, tokens: list[Token], index: int, claimed: set[int]) -> bool:
        token = tokens[index]
        if not token.is_word or index in claimed or token.norm.isdigit():
            return True
        if any(variant in self.vocabulary.stopwords for variant in clitic_variants(token.norm)):
            return True
        v = self.vocabulary
        return bool(self._phrase(tokens, index, v.roles) or self._phrase(tokens, index, v.honorifics))

    def _boundary(self, tokens: list[Token], index: int, claimed: set[int]) -> bool:
        return index >= len(tokens) or self._blocked(tokens, index, claimed)

    def _read_name(self, tokens: list[Token], start: int, claimed: set[int]) -> list[int]:
        picked: list[int] = []
        index = start
        while index < len(tokens) and len(picked) < _MAX_NAME and not self._blocked(tokens, index, claimed):
            if is_definite(tokens[index].norm):
                after_construct = bool(picked) and tokens[index - 1].norm in _CONSTRUCT
                opens_name = not picked and not self._boundary(tokens, index + 1, claimed) and not is_definite(
                    tokens[index + 1].norm
                )
                closes_name = bool(picked) and self._boundary(tokens, index + 1, claimed)
                if not (after_construct or opens_name or closes_name):
                    break
            picked.append(index)
            index += 1
        return picked

    def _skip_complements(self, tokens: list[Token], index: int, claimed: set[int]) -> int:
        """Past the words that complete a post («وزير الاتصالات وتكنولوجيا المعلومات …»)."""
        while index < len(tokens) and tokens[index].is_word:
            token = tokens[index]
            if index in claimed or is_definite(token.norm):
                index += 1
            elif token.norm[:1] in ("و", "ل") and index + 1 < len(tokens) and is_definite(tokens[index + 1].norm):
                index += 2
            else:
                break
        return index

    def _add(self, tokens: list[Token], picked: list[int], minimum: int = 2) -> None:
        words = [tokens[index].text for index in picked]
        if words and words[0][:1] == "و" and len(words[0]) > 4:
            words[0] = words[0][1:]  # «وأحمد سمير» → «أحمد سمير»
        if len(words) == 1:
            resolved = self.resolve(words[0])
            if resolved is not None or minimum > 1:
                return
        if len(words) < minimum:
            return
        name = " ".join(words)
        if self.resolve_full(name) is None:
            self.names.append(name)

    def resolve_full(self, name: str) -> str | None:
        wanted = norm(name.replace(" ", ""))
        return next((known for known in self.names if norm(known.replace(" ", "")) == wanted), None)

    def resolve(self, word: str) -> str | None:
        """The full name whose last (or first) word is ``word`` («طلعت» → «عمرو طلعت»)."""
        wanted = norm(word)
        for known in self.names:
            parts = [norm(part) for part in known.split()]
            if wanted in (parts[-1], parts[0]) and len(parts) > 1:
                return known
        return None

    def scan(self, tokens: list[Token], claimed: set[int]) -> list[tuple[int, str]]:
        """Person mentions ``(token index, canonical name)`` in one paragraph."""
        found: list[tuple[int, str]] = []
        v = self.vocabulary
        index = 0
        while index < len(tokens):
            before = len(self.names)
            honorific = self._phrase(tokens, index, v.honorifics)
            role = 0 if honorific else self._phrase(tokens, index, v.roles)
            picked: list[int] = []
            if honorific:
                start = index + honorific
                while start < len(tokens) and (tokens[start].text == "." or self._phrase(tokens, start, v.honorifics)):
                    start += max(1, self._phrase(tokens, start, v.honorifics))
                picked = self._read_name(tokens, start, claimed)
                self._add(tokens, picked, minimum=1)
            elif role:
                picked = self._read_name(tokens, self._skip_complements(tokens, index + role, claimed), claimed)
                self._add(tokens, picked)
            elif tokens[index].text in _COMMAS and index + 1 < len(tokens) and self._phrase(tokens, index + 1, v.roles):
                picked = self._apposition(tokens, index, claimed)
                self._add(tokens, picked)
            elif tokens[index].text in _QUOTES and index + 2 < len(tokens) and tokens[index + 2].text in _QUOTES:
                picked = [index + 1]
            name = self._name_of(tokens, picked) if picked else None
            if name is not None:
                found.append((index, name))
            index = (picked[-1] + 1) if picked and len(self.names) >= before else index + 1
        return found

    def _apposition(self, tokens: list[Token], comma: int, claimed: set[int]) -> list[int]:
        picked: list[int] = []
        index = comma - 1
        while index >= 0 and len(picked) < 3 and not self._blocked(tokens, index, claimed):
            if is_definite(tokens[index].norm) and not (index > 0 and tokens[index - 1].norm in _CONSTRUCT):
                break
            picked.insert(0, index)
            index -= 1
        return picked if len(picked) >= 2 else []

    def _name_of(self, tokens: list[Token], picked: list[int]) -> str | None:
        words = " ".join(tokens[index].text for index in picked)
        if len(picked) == 1:
            return self.resolve(words)
        return self.resolve_full(words) or self.resolve_full(words[1:]) if words[:1] == "و" else self.resolve_full(words)
