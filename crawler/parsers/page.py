"""Page objects' inputs: what a parser sees of a fetched response, and who published it.

Nothing here imports Scrapy: the spider builds a :class:`PageInput` from its response and
hands it, with the source's :class:`SourceInfo`, to :func:`crawler.parsers.registry.parse_article`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class SourceInfo:
    """A configured portal: its name, the timezone its local times are in, its usual language."""

    name: str
    timezone: str = "UTC"
    language: str | None = None


@dataclass(frozen=True)
class PageInput:
    """One fetched page: raw bytes plus the response headers (names lower-case)."""

    url: str
    body: bytes
    headers: Mapping[str, str]
    fetched_at: datetime

    def __post_init__(self) -> None:
        if self.fetched_at.tzinfo is None:
            raise ValueError(f"PageInput.fetched_at must be timezone-aware, got {self.fetched_at!r}")

    def header(self, name: str) -> str:
        """A header value by case-insensitive name, or ``""``."""
        wanted = name.lower()
        for key, value in self.headers.items():
            if key.lower() == wanted:
                return value
        return ""


class ExtractionError(Exception):
    """The page cannot yield an article (empty, not HTML, too large, no text).

    The message always names the URL and the problem, so one log line says it all.
    """

    def __init__(self, url: str, problem: str) -> None:
        super().__init__(f"{url}: {problem}")
        self.url = url
        self.problem = problem


class NotAnArticle(ExtractionError):
    """The page is fetched and readable but is no article: a redirect stub, an error page, a wall
    (JavaScript, bot check, cookie consent) or a listing (home, section, tag page).

    ``kind`` is one of :data:`NON_ARTICLE_KINDS`; the message says why in one line. Such a page is
    skipped and counted, never stored.
    """

    def __init__(self, url: str, kind: str, reason: str) -> None:
        super().__init__(url, f"not an article ({kind}): {reason}")
        self.kind = kind
        self.reason = reason


NON_ARTICLE_KINDS = ("redirect", "error", "wall", "listing")
