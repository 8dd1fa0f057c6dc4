"""Person names from honorifics, posts and appositions, with quoted surnames resolved.

* honorific + NAME: «الدكتور عمرو طلعت» → «عمرو طلعت» (honorifics are never part of a name);
* post + NAME: «وزير النقل كامل الوزير», «الوزير الأذربيجاني رشاد نابييف»;
* NAME، post: «أحمد سمير، رئيس الشركة»;
* a quoted or bare surname later on («طلعت») resolves to the full name mentioned earlier.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from crawler.parsers.entities.tokens import Token, clitic_variants, is_definite, norm
from crawler.parsers.entities.vocab import Vocabulary

_CONSTRUCT = frozenset(norm(word) for word in ("عبد", "أبو", "ابو", "أبي", "بن", "ابن", "بنت", "آل"))
_COMMAS = frozenset({"،", ","})
_QUOTES = frozenset("«»“”\"'‹›„")
_OPENERS = _COMMAS | _QUOTES
_MAX_NAME = 4


class PhraseIndex:
    """Phrases (normalized word tuples) by the words that may start them, clitics allowed."""

    def __init__(self, phrases: set[tuple[str, ...]]) -> None:
        self.by_first: dict[str, list[tuple[str, ...]]] = {}
        for phrase in phrases:
            self.by_first.setdefault(phrase[0], []).append(phrase)
        self.starting = lru_cache(maxsize=1 << 16)(self._starting)

    def _starting(self, form: str) -> tuple[tuple[str, ...], ...]:
        """The phrases whose first word is ``form`` or one of its clitic readings."""
        return tuple(phrase for first in clitic_variants(form) for phrase in self.by_first.get(first, ()))

    def longest_at(self, tokens: list[Token], index: int) -> int:
        """Length of the longest phrase at ``index`` (0 when none starts there)."""
        token = tokens[index]
        if not token.is_word:
            return 0
        best = 0
        for phrase in self.starting(token.norm):
            size = len(phrase)
            if size <= best or index + size > len(tokens):
                continue
            if all(tokens[index + offset].norm == phrase[offset] for offset in range(1, size)):
                best = size
        return best


class PersonPhrases:
    """The honorific and post indexes of a vocabulary, built once and shared by every finder."""

    def __init__(self, vocabulary: Vocabulary) -> None:
        self.honorifics = PhraseIndex(vocabulary.honorifics)
        self.roles = PhraseIndex(vocabulary.roles)


def _verb_like(form: str) -> bool:
    """An imperfect verb shape (ي/ت/ن + three letters: «يشهد», «تطلق») — weak evidence, used after posts."""
    return len(form) == 4 and form[0] in "يتن"


# First names that happen to have a verbal-noun shape (normalized): «توفيق الحكيم» is a person.
_NAMES_SHAPED_LIKE_NOUNS = frozenset(
    norm(name) for name in (
        "توفيق", "تحسين", "تيسير", "تغريد", "تسنيم", "تهاني", "إيمان", "إحسان", "إكرام", "إسلام", "إلهام",
        "إنعام", "إيناس", "إيهاب", "انتصار", "ابتسام", "اعتدال", "اعتماد", "ابتهال", "امتثال", "افتكار",
    )
)


def _verbal_noun(form: str) -> bool:
    """A verbal-noun (masdar) shape: تفعيل «تعميق، تعزيز، تطوير»، تفاعل «تعاون، تبادل»، إفعال «إطلاق»،
    افتعال «انتقال»، استفعال «استكمال»، مفاعلة «مناقشة». After a post, «بحث الوزير تعميق التعاون»
    reads a verb's object, not a name."""
    if form in _NAMES_SHAPED_LIKE_NOUNS:
        return False
    size = len(form)
    return (
        (size == 5 and form[0] == "ت" and (form[3] == "ي" or form[2] == "ا"))
        or (size == 5 and form[0] == "ا" and form[3] == "ا")
        or (size == 6 and form[0] == "ا" and form[2] == "ت" and form[4] == "ا")
        or (size == 7 and form.startswith("است") and form[5] == "ا")
        or (size == 6 and form[0] == "م" and form[2] == "ا" and form[5] == "ه")
    )


@dataclass
class PersonFinder:
    vocabulary: Vocabulary
    names: list[str] = field(default_factory=list)  # canonical full names, first mention first
    phrases: PersonPhrases | None = None  # shared indexes (built from ``vocabulary`` when absent)

    def __post_init__(self) -> None:
        phrases = self.phrases or PersonPhrases(self.vocabulary)
        self.honorifics = phrases.honorifics
        self.roles = phrases.roles

    def _blocked(self, tokens: list[Token], index: int, claimed: set[int]) -> bool:
        token = tokens[index]
        if not token.is_word or index in claimed or token.norm.isdigit():
            return True
        if any(variant in self.vocabulary.stopwords for variant in clitic_variants(token.norm)):
            return True
        return bool(self.roles.longest_at(tokens, index) or self.honorifics.longest_at(tokens, index))

    def _boundary(self, tokens: list[Token], index: int, claimed: set[int]) -> bool:
        return index >= len(tokens) or self._blocked(tokens, index, claimed)

    def _read_name(self, tokens: list[Token], start: int, claimed: set[int]) -> list[int]:
        """Token indexes of the name at ``start``: two free words, plus «عبد/بن/أبو X» pairs.

        A definite word ends a one-word name («خالد الدوسري») or follows a pair («محمد بن سعود
        التميمي»); a third free word («عمرو طلعت أهمية …») is never read.
        """
        picked: list[int] = []
        free = 0
        paired = False
        index = start
        while index < len(tokens) and len(picked) < _MAX_NAME:
            token = tokens[index]
            if self._blocked(tokens, index, claimed):
                if picked and free < 2 and self._surname_like_role(tokens, index, claimed):
                    picked.append(index)  # «كامل الوزير وزير النقل»
                break
            after_marker = bool(picked) and tokens[index - 1].norm in _CONSTRUCT
            if token.norm in _CONSTRUCT:
                if not picked and free == 0 and index + 1 < len(tokens):
                    picked.append(index)  # a name may start with «عبد»/«أبو»
                    free += 1
                    index += 1
                    continue
                picked.append(index)
                index += 1
                continue
            if after_marker:
                paired = True
            elif is_definite(token.norm):
                following_free = not self._boundary(tokens, index + 1, claimed) and not is_definite(
                    tokens[index + 1].norm
                )
                opens_name = not picked and following_free
                closes_name = bool(picked) and (free == 1 or paired)
                if not (opens_name or closes_name):
                    break
                free += 1
                picked.append(index)
                index += 1
                followed_by_marker = index < len(tokens) and tokens[index].norm in _CONSTRUCT
                if closes_name and not followed_by_marker:
                    break  # «حسام الدين عبد الفتاح» goes on through «عبد»
                continue
            else:
                if free >= 2:
                    break
                free += 1
            picked.append(index)
            index += 1
        while picked and tokens[picked[-1]].norm in _CONSTRUCT:
            picked.pop()
        return picked

    def _surname_like_role(self, tokens: list[Token], index: int, claimed: set[int]) -> bool:
        token = tokens[index]
        if not token.is_word or index in claimed or not is_definite(token.norm) or index + 1 >= len(tokens):
            return False
        return bool(self.roles.longest_at(tokens, index + 1))

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
        if self.resolve_full(name) is None and not self._extends_known(name):
            self.names.append(name)

    def _extends_known(self, name: str) -> bool:
        """«رشاد نابييف رؤية» read past a known «رشاد نابييف»: keep the known name only."""
        wanted = norm(name)
        return any(wanted.startswith(norm(known) + " ") for known in self.names)

    def resolve_full(self, name: str) -> str | None:
        """A known name equal to ``name``, or ending with it («عبد العاطي» → «محمد عبد العاطي»)."""
        wanted = norm(name.replace(" ", ""))
        for known in self.names:
            compact = norm(known.replace(" ", ""))
            if compact == wanted or (len(name.split()) > 1 and compact.endswith(wanted)):
                return known
        return None

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
        resume = 0
        name_end = -1
        for index in self._openings(tokens):
            if index < resume:
                continue
            before = len(self.names)
            honorific = self.honorifics.longest_at(tokens, index)
            role = self.roles.longest_at(tokens, index)
            if role > honorific:
                honorific = 0  # «الرئيس التنفيذي لـ…» is a post, not the honorific «الرئيس»
            else:
                role = 0 if honorific else role
            picked: list[int] = []
            if honorific:
                start = index + honorific
                while start < len(tokens) and (
                    tokens[start].text == "." or self.honorifics.longest_at(tokens, start)
                ):
                    start += max(1, self.honorifics.longest_at(tokens, start))
                picked = self._read_name(tokens, start, claimed)
                if len(picked) > 1 and _verbal_noun(tokens[picked[0]].norm) and is_definite(tokens[picked[1]].norm):
                    picked = []  # «ناقش السفير تعزيز الشراكة»: the verb's object, not a person
                self._add(tokens, picked)
            elif role and index != name_end:  # «NAME وزير …» is an apposition, not «وزير … NAME»
                picked = self._read_name(tokens, self._skip_complements(tokens, index + role, claimed), claimed)
                after = picked[-1] + 1 if picked else 0
                if picked and after < len(tokens) and is_definite(tokens[after].norm) and not self._blocked(
                    tokens, after, claimed
                ):
                    picked = []  # «مدير برامج ريادة الأعمال»: a construct chain, not a name
                if picked and _verb_like(tokens[picked[0]].norm):
                    picked = []  # «وزير الري يشهد توقيع عقد …»: a verb follows the post, not a name
                if len(picked) > 1 and _verbal_noun(tokens[picked[0]].norm) and is_definite(tokens[picked[1]].norm):
                    picked = []  # «وبحث الوزير تعميق التعاون»: the verb's object, not a person
                self._add(tokens, picked)
            elif (
                tokens[index].text in _COMMAS
                and index + 1 < len(tokens)
                and self.roles.longest_at(tokens, index + 1)
            ):
                picked = self._apposition(tokens, index, claimed)
                self._add(tokens, picked)
            elif tokens[index].text in _QUOTES and index + 2 < len(tokens) and tokens[index + 2].text in _QUOTES:
                picked = [index + 1]
            name = self._name_of(tokens, picked) if picked else None
            if name is not None:
                found.append((index, name))
                name_end = picked[-1] + 1
            resume = max(index + 1, picked[-1] + 1) if picked and len(self.names) > before else index + 1
        return found

    def _openings(self, tokens: list[Token]) -> list[int]:
        """Where a mention can open: an honorific or post, a comma or a quote (elsewhere nothing happens)."""
        honorific_at, role_at = self.honorifics.starting, self.roles.starting
        return [
            index
            for index, token in enumerate(tokens)
            if ((honorific_at(token.norm) or role_at(token.norm)) if token.is_word else token.text in _OPENERS)
        ]

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
        for known in self.names:
            if norm(words).startswith(norm(known) + " "):
                return known
        if len(picked) == 1:
            return self.resolve(words)
        if words[:1] == "و":
            return self.resolve_full(words) or self.resolve_full(words[1:])
        return self.resolve_full(words)
