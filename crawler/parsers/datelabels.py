"""Labelled date lines: «نشر في: … | آخر تحديث: …» — which part is the publication date.

Portals print both dates on one line, in either order; a date parser given the whole line takes
whichever comes first. The labels say which is which.
"""

from __future__ import annotations

import re

_AR = "\u0621-\u064a"
_PUBLISHED = (
    r"تاريخ النشر|تم النشر|تم نشر(?:ه|ها)?|نشرت?(?:ه|ها)?(?:\s+(?:في|بتاريخ))?|بتاريخ|"
    r"published(?: on)?|posted(?: on)?|publié le"
)
_UPDATED = (
    r"آخر تحديث|اخر تحديث|تم التحديث|تحديث|محدث|آخر تعديل|اخر تعديل|تعديل|"
    r"last updated|updated(?: on)?|modified|mis à jour(?: le)?"
)
# A label is a whole word: «نشر» inside «منشور» or «انتشر» is none.
_LABEL = re.compile(
    rf"(?<![{_AR}\w])(?:(?P<updated>{_UPDATED})|(?P<published>{_PUBLISHED}))(?![{_AR}\w])", re.IGNORECASE
)


def _segments(text: str) -> list[tuple[str, str]]:
    """(kind, text) pieces: what follows each label up to the next one; "" kind before any label."""
    pieces: list[tuple[str, str]] = []
    kind, start = "", 0
    for match in _LABEL.finditer(text):
        pieces.append((kind, text[start:match.start()]))
        kind, start = ("updated" if match.group("updated") else "published"), match.end()
    pieces.append((kind, text[start:]))
    return [(kind, piece.strip(" :|-–—،,")) for kind, piece in pieces if piece.strip(" :|-–—،,")]


def published_part(text: str) -> str:
    """The part of a date line that is the publication date (the whole line when unlabelled)."""
    pieces = _segments(text)
    for kind, piece in pieces:
        if kind == "published":
            return piece
    unlabelled = [piece for kind, piece in pieces if kind == ""]
    if len(pieces) > len(unlabelled):  # only "updated" labels: the unlabelled rest is the publication
        return unlabelled[0] if unlabelled else ""
    return text


def updated_part(text: str) -> str | None:
    """The part after an «updated» label, if the line has one."""
    return next((piece for kind, piece in _segments(text) if kind == "updated"), None)


# «القاهرة في 23 نوفمبر 2026 (أ ش أ) -», «بروكسل، 9 تشرين الأول 2009»: a dateline opens the body.
DATELINE_CHARS = 60
