"""`config/sources.yaml`: which portals to crawl and how, validated on load."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta
from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator

from core.configfile import load_model
from core.errors import ConfigError
from crawler.urls import ascii_host, host_of, readable_url

HttpUrl = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, pattern=r"^https?://[^/\s]+")]


class Listing(BaseModel):
    model_config = ConfigDict(extra="forbid")

    url: HttpUrl
    max_pages: int = Field(default=5, ge=1, le=1000)


class Source(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]*$")]
    enabled: bool = True
    domains: list[str] = Field(min_length=1)
    timezone: str = "UTC"
    language: str | None = "ar"
    feeds: list[HttpUrl] = Field(default_factory=list)
    sitemaps: list[HttpUrl] = Field(default_factory=list)
    listings: list[Listing] = Field(default_factory=list)
    article_pattern: str
    # Entries that a feed or sitemap dates (news:publication_date, else pubDate/lastmod) older
    # than this are skipped, and so are index children last modified before it; null: no limit.
    max_age_days: float | None = Field(default=7, gt=0)
    # Requests per run (feeds, sitemaps, listing pages, articles; not retries or robots.txt);
    # what is left waits for the next run.
    page_budget: int = Field(default=500, ge=1, le=1_000_000)

    @field_validator("timezone")
    @classmethod
    def known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown IANA time zone {value!r} (e.g. Africa/Cairo)") from None
        return value

    @field_validator("domains")
    @classmethod
    def ascii_domains(cls, values: list[str]) -> list[str]:
        """Domains as URLs carry them once canonical: lower-case, internationalised names in punycode."""
        return [ascii_host(value.strip().lower().rstrip(".")) for value in values]

    @field_validator("article_pattern")
    @classmethod
    def compiles(cls, value: str) -> str:
        try:
            re.compile(value)
        except re.error as exc:
            raise ValueError(f"not a valid regular expression: {exc}") from None
        return value

    @model_validator(mode="after")
    def has_entry_points(self) -> Source:
        if not (self.feeds or self.sitemaps or self.listings):
            raise ValueError("a source needs at least one of feeds, sitemaps or listings")
        for url in self.start_urls():
            if not self.allows(url):
                raise ValueError(f"{url} is outside the source's domains {self.domains}")
        return self

    @property
    def max_age(self) -> timedelta | None:
        return timedelta(days=self.max_age_days) if self.max_age_days is not None else None

    def fingerprint(self) -> str:
        """Changes when anything that decides what the source's pages lead to changes: page
        validators saved under another fingerprint are not used (the pages are read in full)."""
        settings = self.model_dump_json(exclude={"enabled", "page_budget"})
        return hashlib.sha256(settings.encode("utf-8")).hexdigest()[:16]

    def start_urls(self) -> list[str]:
        return [*self.feeds, *self.sitemaps, *(listing.url for listing in self.listings)]

    def allows(self, url: str) -> bool:
        host = host_of(url)
        return any(host == domain or host.endswith("." + domain) for domain in self.domains)

    def is_article_url(self, url: str) -> bool:
        """On the source's domains, and ``article_pattern`` matches the URL as given or as people
        write it (Arabic slugs and hosts unescaped), so a pattern may be written either way."""
        if not self.allows(url):
            return False
        if re.search(self.article_pattern, url) is not None:
            return True
        return ("%" in url or "xn--" in url) and re.search(self.article_pattern, readable_url(url)) is not None


class SourcesFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    sources: list[Source] = Field(min_length=1)

    @model_validator(mode="after")
    def unique_names(self) -> SourcesFile:
        names = [source.name for source in self.sources]
        duplicates = sorted({name for name in names if names.count(name) > 1})
        if duplicates:
            raise ValueError(f"duplicate source names: {', '.join(duplicates)}")
        return self


def load_sources(path: Path) -> list[Source]:
    return load_model(path, SourcesFile).sources


def select_sources(sources: list[Source], names: list[str] | None) -> list[Source]:
    """The enabled sources, or exactly the named ones (an unknown name is a config error)."""
    if not names:
        return [source for source in sources if source.enabled]
    by_name = {source.name: source for source in sources}
    unknown = [name for name in names if name not in by_name]
    if unknown:
        raise ConfigError(f"unknown source(s): {', '.join(unknown)}; known: {', '.join(sorted(by_name))}")
    return [by_name[name] for name in names]
