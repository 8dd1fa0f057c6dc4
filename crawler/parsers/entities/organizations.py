"""Organizations named by a head word and their complements, captured whole.

«وزارة الاتصالات وتكنولوجيا المعلومات», «الجهاز القومي لتنظيم الاتصالات», «شركة سيريتل»: the head
(وزارة، هيئة، جهاز …) is followed by definite words, «و/ل + word» before a definite word
(construct chains), and — for company-like heads — one proper name.
"""

from __future__ import annotations

from functools import cache

from crawler.parsers.entities.tokens import Token, clitic_variants, is_definite, norm


def _words(text: str) -> list[str]:
    return text.split()


HEADS = frozenset(
    norm(word)
    for word in _words(
        "وزارة هيئة الهيئة جهاز الجهاز سلطة السلطة مؤسسة المؤسسة مجلس المجلس اتحاد الاتحاد معهد "
        "المعهد صندوق الصندوق وكالة الوكالة منظمة المنظمة أكاديمية الأكاديمية مديرية المديرية بنك "
        "البنك شركة الشركة جامعة الجامعة مصرف المصرف كلية الكلية "
    )
)
# «وزير الاتصالات …» names the ministry «وزارة الاتصالات …» (the post, not «الوزير» alone).
MINISTER_HEADS = frozenset(norm(word) for word in ("وزير", "وزيرة", "لوزير", "ووزير"))
MINISTRY = "وزارة"
NAMED_HEADS = frozenset(norm(word) for word in _words("شركة بنك جامعة مصرف مجموعة"))
# Definite words that follow an organization without belonging to it.
NOT_COMPLEMENT = frozenset(
    norm(word)
    for word in _words(
        "اليوم الأحد الاثنين الإثنين الثلاثاء الأربعاء الخميس الجمعة السبت الماضي المقبل الجاري "
        "الحالي الذي التي الذين الخطة الاجتماع المؤتمر الأسبوع الشهر العام أمس "
    )
)
_MAX_COMPLEMENTS = 6


def _head(token: Token) -> bool:
    return token.is_word and _head_form(token.norm)


@cache
def _head_form(form: str) -> bool:
    return any(variant in HEADS or variant in MINISTER_HEADS for variant in clitic_variants(form))


@cache
def _minister_form(form: str) -> bool:
    return any(variant in MINISTER_HEADS for variant in clitic_variants(form))


def head_positions(tokens: list[Token]) -> list[int]:
    """Indexes of the tokens that can head an organization (the only places one can start)."""
    return [index for index, token in enumerate(tokens) if token.is_word and _head_form(token.norm)]


def _adjective_or_genitive(form: str) -> bool:
    """A nisba adjective («المركزي», «الوطنية») or a «لل…» genitive («للاتصالات»)."""
    return form.startswith("لل") or (form.startswith("ال") and form.endswith(("ي", "يه")))


def _proper_name(form: str) -> bool:
    """A word that can name a company after «شركة»: not an adjective, verb or conjunction chain."""
    if form.isascii():
        return form.isalnum()
    return len(form) > 2 and not form.startswith(("و", "ال")) and not form.endswith(("ه", "ت", "ين", "ون"))


def is_minister(token: Token) -> bool:
    return _minister_form(token.norm)


def organization_span(tokens: list[Token], index: int, stop: set[int], stopwords: set[str]) -> int | None:
    """End (exclusive) of an organization starting at ``index``, or ``None``.

    ``stop`` holds token indexes already claimed by the gazetteer (a place adjective ends the name).
    """
    if not _head(tokens[index]):
        return None
    end = index + 1
    head_variants = clitic_variants(tokens[index].norm)
    named = any(variant in NAMED_HEADS for variant in head_variants)
    definite_head = any(variant.startswith("ال") for variant in head_variants)
    while end < len(tokens) and end - index <= _MAX_COMPLEMENTS:
        token = tokens[end]
        if not token.is_word or end in stop or token.norm in NOT_COMPLEMENT or token.norm in stopwords:
            break
        if definite_head and end == index + 1 and not _adjective_or_genitive(token.norm):
            break  # «الشركة المشغلة», «الهيئة المستخدمين»: the head is anaphoric, not a name
        if token.norm.startswith(("ال", "وال", "لل")) and is_definite(token.norm):
            end += 1
            continue
        following = tokens[end + 1] if end + 1 < len(tokens) else None
        linked = token.norm[:1] in ("و", "ل") and following is not None and following.is_word
        if _head(token) and end > index + 1:
            break  # «… والرى وكلية الهندسة»: a second organization starts here
        if linked and following is not None and following.norm.startswith("ال") and end + 1 not in stop:
            end += 2
            continue
        if named and end == index + 1 and _proper_name(token.norm):
            end += 1
            continue
        break
    return end if end > index + 1 else None
