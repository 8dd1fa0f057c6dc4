"""``str.translate`` for tables that touch few characters of a text, at C speed.

``str.translate`` with a dict looks every character of the text up in the table; on Arabic text
(non-ASCII, so no fast path) that costs tens of nanoseconds a character. A :class:`CharMap` finds
the table's characters that occur with one compiled character class and replaces only those.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

__all__ = ["CharMap"]


class CharMap:
    """Callable equivalent of ``text.translate(table)`` for a table of single characters.

    Replacements are applied one after the other, which equals ``translate``'s simultaneous
    mapping because no replacement may contain a mapped character (checked here).
    """

    def __init__(self, table: Mapping[int, str | None]) -> None:
        self.replacements = {chr(code): value or "" for code, value in table.items()}
        for source, target in self.replacements.items():
            if any(char in self.replacements for char in target):
                raise ValueError(f"replacement {target!r} of {source!r} contains a mapped character")
        deleted = "".join(sorted(char for char, target in self.replacements.items() if not target))
        mapped = "".join(sorted(char for char, target in self.replacements.items() if target))
        self._deleted = re.compile(f"[{re.escape(deleted)}]") if deleted else None
        self._mapped = re.compile(f"[{re.escape(mapped)}]") if mapped else None

    def __call__(self, text: str) -> str:
        if self._deleted is not None:
            text = self._deleted.sub("", text)
        if self._mapped is not None:
            for char in set(self._mapped.findall(text)):
                text = text.replace(char, self.replacements[char])
        return text
