"""One URL a feed or sitemap lists, with its dates; one parsed feed or sitemap."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

Kind = Literal["feed", "urlset", "sitemapindex"]


class DiscoveryError(ValueError):
    """The feed or sitemap cannot be read at all; the message says why in one line."""


@dataclass(frozen=True)
class Listed:
    """A listed URL: ``published`` (pubDate, news:publication_date) and ``modified`` (Atom
    updated, lastmod) as the listing gives them, timezone-aware, or None."""

    url: str
    published: datetime | None = None
    modified: datetime | None = None

    @property
    def dated(self) -> datetime | None:
        """When the entry was published (else last modified): what ``max_age`` compares."""
        return self.published or self.modified

    @property
    def changed(self) -> datetime | None:
        """The newest date the listing gives: a later one than last time means an edit."""
        dates = [date for date in (self.published, self.modified) if date is not None]
        return max(dates) if dates else None


@dataclass
class Parsed:
    """A feed or sitemap: what kind, its entries, and ``problem`` when the XML was broken but
    entries could still be recovered."""

    kind: Kind
    entries: list[Listed] = field(default_factory=list)
    problem: str | None = None
