"""What taggers produce, and the extension point for plugging in other taggers (e.g. an ML model)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

PERSON, ORGANIZATION, LOCATION = "person", "organization", "location"


@dataclass(frozen=True)
class Mention:
    """One entity mention: its kind, its canonical name, and where it starts (token index or char)."""

    kind: str  # PERSON | ORGANIZATION | LOCATION
    canonical: str
    position: int = 0


class Tagger(Protocol):
    """Anything that finds entity mentions in plain text.

    The rule-based tagger implements it; an ML tagger (a spaCy/transformers model wrapped in a
    class with this one method) can be passed to :class:`EntityExtractor` beside or instead of it.
    """

    def tag(self, text: str) -> Iterable[Mention]: ...
