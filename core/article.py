"""The Article: the stable contract between parsers, pipelines, storage and alerts."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import Any

DOC_ID = re.compile(r"[0-9a-f]{40}")  # the shape of every Article.doc_id: SHA-1 hex, lowercase


@dataclass
class Entities:
    persons: list[str] = field(default_factory=list)
    organizations: list[str] = field(default_factory=list)
    locations: list[str] = field(default_factory=list)


@dataclass
class Article:
    """One extracted news article.

    Datetimes are always timezone-aware; ``to_dict`` renders them as ISO 8601 with an offset.
    ``body`` is plain text, paragraphs separated by one blank line.
    """

    url: str
    canonical_url: str
    source: str
    title: str
    body: str
    author: str | None = None
    published_at: datetime | None = None
    modified_at: datetime | None = None
    language: str | None = None
    section: str | None = None
    tags: list[str] = field(default_factory=list)
    image: str | None = None
    entities: Entities = field(default_factory=Entities)
    fetched_at: datetime | None = None
    content_hash: str = ""
    fingerprint: str | None = None  # 64-bit SimHash (hex) of the analyzed body, for near-duplicates
    dates_mentioned: list[str] = field(default_factory=list)  # ISO dates/months/years named in the body
    story_id: str | None = None  # shared by near-duplicate copies across sources: the lead copy's doc_id
    confidence: float | None = None  # 0–1: how sure the extraction is that this is the article, whole
    confidence_reasons: list[str] = field(default_factory=list)  # what lowered it («short body …»)

    def __post_init__(self) -> None:
        for name in ("published_at", "modified_at", "fetched_at"):
            value = getattr(self, name)
            if value is not None and value.tzinfo is None:
                raise ValueError(f"Article.{name} must be timezone-aware, got naive {value!r}")
        if not self.content_hash:
            self.content_hash = compute_content_hash(self.title, self.body)

    @property
    def doc_id(self) -> str:
        """Storage id derived from the canonical URL, so re-runs never duplicate."""
        return doc_id_of(self.canonical_url)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready values (lists copied), fields in declaration order. Written out rather
        than ``dataclasses.asdict``, whose deep copy was half the cost of indexing a document."""
        data: dict[str, Any] = {}
        for name in _FIELDS:
            value = getattr(self, name)
            if isinstance(value, list):
                value = list(value)
            elif isinstance(value, datetime):
                value = value.isoformat()
            elif isinstance(value, Entities):
                value = {"persons": list(value.persons), "organizations": list(value.organizations),
                         "locations": list(value.locations)}
            data[name] = value
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Article:
        values = dict(data)
        for name in ("published_at", "modified_at", "fetched_at"):
            raw = values.get(name)
            values[name] = datetime.fromisoformat(raw) if raw else None
        values["entities"] = Entities(**(values.get("entities") or {}))
        known = set(cls.__dataclass_fields__)
        return cls(**{key: value for key, value in values.items() if key in known})


_FIELDS = tuple(item.name for item in fields(Article))


def doc_id_of(canonical_url: str) -> str:
    """The storage id of the article at ``canonical_url``."""
    return hashlib.sha1(canonical_url.encode("utf-8")).hexdigest()


def is_doc_id(value: str) -> bool:
    """Whether ``value`` has the shape of a storage id (anything else names no article)."""
    return DOC_ID.fullmatch(value) is not None


def compute_content_hash(title: str, body: str) -> str:
    return hashlib.sha256(f"{title}\n\n{body}".encode()).hexdigest()
