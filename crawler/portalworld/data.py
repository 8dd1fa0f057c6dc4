"""Load and validate the portal world's data: portals and articles from ``articles.yaml``."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import yaml

DATA_FILE = Path(__file__).with_name("articles.yaml")

# Matches every surface form of Azerbaijan used in the data (with or without hamza, with clitics).
AZERBAIJAN_RE = re.compile(r"\w*[أا]ذربيجان\w*")

PORTAL_NAMES = ("techwave", "arabnet", "shamtech")
_TECHWAVE_PATH_RE = re.compile(r"^/(\d{4})/(\d{2})/(\d{2})/[a-z0-9-]+/$")


class PortalWorldDataError(ValueError):
    """The portal world's YAML data is malformed or inconsistent; the message names the record."""


@dataclass(frozen=True)
class Block:
    """One block of an article body: a paragraph (``kind == "p"``) or a subheading (``"h"``)."""

    kind: str
    text: str


@dataclass(frozen=True)
class PortalSpec:
    name: str
    site_name: str
    tagline: str
    host: str
    timezone: str
    sections: dict[str, str]


@dataclass(frozen=True)
class ArticleRecord:
    id: str
    portal: str
    path: str
    title: str
    author: str
    published: datetime
    modified: datetime | None
    section: str
    tags: tuple[str, ...]
    image: str
    blocks: tuple[Block, ...]
    mentions_azerbaijan: bool
    syndicated_group: str | None

    @property
    def paragraphs(self) -> list[str]:
        """Plain-text paragraphs; subheadings are paragraphs of their own."""
        return [block.text for block in self.blocks]

    @property
    def body(self) -> str:
        return "\n\n".join(self.paragraphs)

    @property
    def excerpt(self) -> str:
        first = next(block.text for block in self.blocks if block.kind == "p")
        return first if len(first) <= 160 else first[:157].rstrip() + "…"

    def azerbaijan_forms(self) -> set[str]:
        return set(AZERBAIJAN_RE.findall(" ".join([self.title, *self.paragraphs])))


@dataclass(frozen=True)
class WorldData:
    portals: dict[str, PortalSpec]
    articles: tuple[ArticleRecord, ...]
    private_pages: tuple[ArticleRecord, ...]

    def articles_of(self, portal: str) -> list[ArticleRecord]:
        """The portal's published articles, newest first."""
        found = [a for a in self.articles if a.portal == portal]
        return sorted(found, key=lambda a: a.published, reverse=True)

    def private_of(self, portal: str) -> ArticleRecord:
        return next(p for p in self.private_pages if p.portal == portal)


def _require(record: dict[str, Any], key: str, where: str) -> Any:
    if key not in record:
        raise PortalWorldDataError(f"{where}: missing key {key!r}")
    return record[key]


def _parse_datetime(value: Any, where: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(str(value))
    except ValueError as exc:
        raise PortalWorldDataError(f"{where}: not an ISO 8601 datetime: {value!r}") from exc
    if parsed.tzinfo is None:
        raise PortalWorldDataError(f"{where}: datetime {value!r} has no UTC offset")
    return parsed


def _parse_blocks(raw: Any, where: str) -> tuple[Block, ...]:
    if not isinstance(raw, list) or not raw:
        raise PortalWorldDataError(f"{where}: 'paragraphs' must be a non-empty list")
    blocks: list[Block] = []
    for item in raw:
        if isinstance(item, str):
            blocks.append(Block("p", item.strip()))
        elif isinstance(item, dict) and set(item) == {"h"}:
            blocks.append(Block("h", str(item["h"]).strip()))
        else:
            raise PortalWorldDataError(f"{where}: paragraph must be a string or {{h: ...}}, got {item!r}")
    return tuple(blocks)


def _parse_article(raw: dict[str, Any], portals: dict[str, PortalSpec]) -> ArticleRecord:
    where = f"{DATA_FILE.name}: article {raw.get('id', '?')!r}"
    portal = str(_require(raw, "portal", where))
    if portal not in portals:
        raise PortalWorldDataError(f"{where}: unknown portal {portal!r}")
    modified = raw.get("modified")
    record = ArticleRecord(
        id=str(_require(raw, "id", where)),
        portal=portal,
        path=str(_require(raw, "path", where)),
        title=str(_require(raw, "title", where)),
        author=str(_require(raw, "author", where)),
        published=_parse_datetime(_require(raw, "published", where), where),
        modified=_parse_datetime(modified, where) if modified is not None else None,
        section=str(_require(raw, "section", where)),
        tags=tuple(str(t) for t in raw.get("tags") or ()),
        image=str(_require(raw, "image", where)),
        blocks=_parse_blocks(_require(raw, "paragraphs", where), where),
        mentions_azerbaijan=bool(_require(raw, "mentions_azerbaijan", where)),
        syndicated_group=raw.get("syndicated_group"),
    )
    _check_article(record, portals[portal], where)
    return record


def _check_article(record: ArticleRecord, spec: PortalSpec, where: str) -> None:
    local_offset = record.published.astimezone(ZoneInfo(spec.timezone)).utcoffset()
    if record.published.utcoffset() != local_offset:
        raise PortalWorldDataError(f"{where}: published offset does not match {spec.timezone}")
    if bool(record.azerbaijan_forms()) != record.mentions_azerbaijan:
        raise PortalWorldDataError(f"{where}: mentions_azerbaijan disagrees with the text")
    if record.portal == "techwave":
        match = _TECHWAVE_PATH_RE.match(record.path.removeprefix("/private"))
        date_parts = tuple(int(x) for x in match.groups()) if match else None
        published = record.published
        if date_parts != (published.year, published.month, published.day):
            raise PortalWorldDataError(f"{where}: path {record.path!r} does not carry the publication date")
    if record.portal == "shamtech":
        text = " ".join([record.title, record.author, record.section, *record.paragraphs])
        try:
            text.encode("cp1256")
        except UnicodeEncodeError as exc:
            raise PortalWorldDataError(f"{where}: text not encodable in windows-1256: {exc}") from exc


def parse_world(raw: dict[str, Any]) -> WorldData:
    """Build :class:`WorldData` from the YAML mapping, raising :class:`PortalWorldDataError`."""
    portals = {
        name: PortalSpec(
            name=name,
            site_name=str(spec["site_name"]),
            tagline=str(spec["tagline"]),
            host=str(spec["host"]),
            timezone=str(spec["timezone"]),
            sections={str(k): str(v) for k, v in (spec.get("sections") or {}).items()},
        )
        for name, spec in _require(raw, "portals", DATA_FILE.name).items()
    }
    if tuple(portals) != PORTAL_NAMES:
        raise PortalWorldDataError(f"{DATA_FILE.name}: portals must be {PORTAL_NAMES}, got {tuple(portals)}")
    articles = tuple(_parse_article(a, portals) for a in _require(raw, "articles", DATA_FILE.name))
    private = tuple(_parse_article(a, portals) for a in _require(raw, "private_pages", DATA_FILE.name))
    seen: set[tuple[str, str]] = set()
    for record in (*articles, *private):
        key = (record.portal, record.path)
        if key in seen or record.id in {r.id for r in articles if r is not record}:
            raise PortalWorldDataError(f"{DATA_FILE.name}: duplicate id or path for {record.id!r}")
        seen.add(key)
    for record in private:
        if not record.path.startswith("/private/"):
            raise PortalWorldDataError(f"{DATA_FILE.name}: private page {record.id!r} not under /private/")
    return WorldData(portals=portals, articles=articles, private_pages=private)


@cache
def load_world_data(path: Path = DATA_FILE) -> WorldData:
    with path.open(encoding="utf-8") as handle:
        raw = yaml.safe_load(handle)
    if not isinstance(raw, dict):
        raise PortalWorldDataError(f"{path}: expected a mapping at the top level")
    return parse_world(raw)
