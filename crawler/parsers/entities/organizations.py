"""Organizations named by a head word and their complements, captured whole.

«وزارة الاتصالات وتكنولوجيا المعلومات», «الجهاز القومي لتنظيم الاتصالات», «شركة سيريتل»: the head
(وزارة، هيئة، جهاز …) is followed by definite words, «و/ل + word» before a definite word
(construct chains), and — for company-like heads — one proper name.
"""

from __future__ import annotations

from crawler.parsers.entities.tokens import Token, clitic_variants, is_definite, norm

HEADS = frozenset(
    norm(word)
    for word in (
        "وزارة هيئة الهيئة جهاز الجهاز سلطة السلطة مؤسسة المؤسسة مجلس المجلس اتحاد الاتحاد معهد المعهد "
        "صندوق الصندوق وكالة الوكالة منظمة المنظمة أكاديمية الأكاديمية مديرية المديرية بنك البنك "
        "شركة الشركة جامعة الجامعة مصرف المصرف"
    ).split()
)
NAMED_HEADS = frozenset(norm(word) for word in "شركة بنك جامعة مصرف مجموعة".split())
# Definite words that follow an organization without belonging to it.
NOT_COMPLEMENT = frozenset(
    norm(word)
    for word in (
        "اليوم الأحد الاثنين الإثنين الثلاثاء الأربعاء الخميس الجمعة السبت الماضي المقبل الجاري الحالي "
        "الذي التي الذين الخطة الاجتماع المؤتمر الأسبوع الشهر العام أمس"
    ).split()
)
_MAX_COMPLEMENTS = 6


def _head(token: Token) -> bool:
    return token.is_word and any(variant in HEADS for variant in clitic_variants(token.norm))


def organization_span(tokens: list[Token], index: int, stop: set[int], stopwords: set[str]) -> int | None:
    """End (exclusive) of an organization starting at ``index``, or ``None``.

    ``stop`` holds token indexes already claimed by the gazetteer (a place adjective ends the name).
    """
    if not _head(tokens[index]):
        return None
    end = index + 1
    named = any(variant in NAMED_HEADS for variant in clitic_variants(tokens[index].norm))
    while end < len(tokens) and end - index <= _MAX_COMPLEMENTS:
        token = tokens[end]
        if not token.is_word or end in stop or token.norm in NOT_COMPLEMENT or token.norm in stopwords:
            break
        if is_definite(token.norm) and (token.norm.startswith(("ال", "وال", "لل")) or end > index + 1):
            end += 1
            continue
        following = tokens[end + 1] if end + 1 < len(tokens) else None
        linked = token.norm[:1] in ("و", "ل") and following is not None and following.is_word
        if linked and following is not None and is_definite(following.norm) and end + 1 not in stop:
            end += 2
            continue
        if named and end == index + 1 and not is_definite(token.norm) and len(token.norm) > 1:
            end += 1
            continue
        break
    return end if end > index + 1 else None
